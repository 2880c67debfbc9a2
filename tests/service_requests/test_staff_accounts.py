"""Staff accounts: created on the command line or the accounts page, bound to one institution, with an inbox."""
from pages.html_reading import csrf_token_in

PASSWORD = "correct-horse-battery"


def _log_in(client, username):
    page = client.get("/admin/login").get_data(as_text=True)
    return client.post("/admin/login", data={"username": username, "password": PASSWORD,
                                              "csrf_token": csrf_token_in(page)})


def test_create_admin_makes_a_staff_account(runner, network):
    result = runner.invoke(args=["create-admin", "gusu-desk", "--password", PASSWORD, "--role", "staff",
                                 "--institution", str(network["county"])])
    assert result.exit_code == 0, result.output
    assert "Staff account 'gusu-desk' created" in result.output
    missing = runner.invoke(args=["create-admin", "nobody-desk", "--password", PASSWORD, "--role", "staff"])
    assert missing.exit_code != 0 and "institution" in missing.output
    unknown = runner.invoke(args=["create-admin", "ghost-desk", "--password", PASSWORD, "--role", "staff",
                                  "--institution", "999999"])
    assert unknown.exit_code != 0
    editor = runner.invoke(args=["create-admin", "odd-editor", "--password", PASSWORD, "--role", "editor",
                                 "--institution", str(network["county"])])
    assert editor.exit_code != 0 and "Only staff" in editor.output


def test_a_manager_creates_a_staff_account_on_the_accounts_page(app, network, make_admin):
    make_admin("js-manager", region_code="320000")
    client = app.test_client()
    _log_in(client, "js-manager")
    form = client.get("/admin/accounts/new").get_data(as_text=True)
    data = {"username": "gusu-desk", "password": PASSWORD, "role": "staff", "region_code": "",
            "institution_id": str(network["county"]), "email": "desk@example.cn", "csrf_token": csrf_token_in(form)}
    assert client.post("/admin/accounts/new", data=data).status_code == 303
    outside = client.post("/admin/accounts/new", data=data | {"username": "hz-desk",
                                                              "institution_id": str(network["hangzhou"])})
    assert outside.status_code == 403
    no_institution = client.post("/admin/accounts/new", data=data | {"username": "lost-desk", "institution_id": ""})
    assert no_institution.status_code == 422


def test_staff_log_in_to_their_inbox_and_accept_on_the_web(app, client, network, submit, make_staff):
    from sqlalchemy import select

    from directory.audit.models import AuditEntry
    from directory.database import write_session

    body = submit(institution_ids=[network["county"]]).json
    submit(institution_ids=[network["municipal"]], contact_phone="13900000000")   # someone else's request
    make_staff("gusu-desk", network["county"])
    web = app.test_client()
    assert _log_in(web, "gusu-desk").status_code == 303
    home = web.get("/admin/")
    assert home.status_code == 303 and home.headers["Location"].endswith("/admin/service-requests")
    inbox = web.get("/admin/service-requests").get_data(as_text=True)
    assert f'data-request-id="{body["id"]}"' in inbox and inbox.count("data-request-id=") == 1
    detail = web.get(f"/admin/service-requests/{body['id']}")
    assert "13812345678" in detail.get_data(as_text=True)
    assignment = body["assignments"][0]["id"]
    accepted = web.post(f"/admin/service-requests/{body['id']}/assignments/{assignment}",
                        data={"action": "accept", "csrf_token": csrf_token_in(detail.get_data(as_text=True))})
    assert accepted.status_code == 303
    page = web.get(f"/admin/service-requests/{body['id']}").get_data(as_text=True)
    assert 'data-status="accepted"' in page
    for refused in ("/admin/institutions", "/admin/audit", "/admin/import", "/admin/accounts"):
        assert web.get(refused).status_code == 403, refused
    with app.app_context(), write_session() as session:
        views = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "view_contact")).all()
    assert views.count("gusu-desk") == 2


def test_a_staff_token_is_refused_by_every_administrator_api(client, network, make_staff):
    staff = make_staff("gusu-desk", network["county"])
    assert client.post("/api/v1/institutions", json={"name": "某中心", "level": "county", "region_code": "320508",
                                                     "services": ["policy"]}, headers=staff).status_code == 403
    assert client.patch(f"/api/v1/institutions/{network['county']}", json={"phone": "0512-65012345"},
                        headers=staff).status_code == 403
    assert client.post("/api/v1/financiers", json={"name": "某银行", "type": "bank"}, headers=staff).status_code == 403
    assert client.get("/api/v1/auth/tokens", headers=staff).status_code == 200
