"""Account management in the web administration: managers inside their scope, editors refused,
deactivation, password changes ending other sessions, tokens, failed logins and the login rate limit."""
import pytest
from admin_forms import post_form, post_login
from app_support import app_on
from html_reading import csrf_token_in, page_text, parse
from sqlalchemy import select

from directory.audit.models import AuditEntry
from directory.auth.models import Administrator, ApiToken
from directory.database import write_session

PASSWORD = "correct-horse-battery"
SUZHOU, KUNSHAN, HANGZHOU, JIANGSU = "320500", "320583", "330100", "320000"
ACCOUNTS = "/admin/accounts"   # the page whose forms most tests post


def account(app, username: str) -> Administrator | None:
    with app.app_context(), write_session() as session:
        return session.scalar(select(Administrator).where(Administrator.username == username))


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


@pytest.fixture
def suzhou_manager(client, make_admin):
    make_admin("suzhou-boss", region_code=SUZHOU, role="manager")
    assert post_login(client, "suzhou-boss").status_code == 303
    return client


def test_a_manager_creates_an_editor_inside_its_scope(app, suzhou_manager):
    page = suzhou_manager.get("/admin/accounts/new")
    assert page.status_code == 200
    assert parse(page.data).find("input", name="region_code").attrs["value"] == SUZHOU
    response = post_form(suzhou_manager, "/admin/accounts/new", "/admin/accounts/new",
                         username="kunshan-editor", password="a-long-password", role="editor",
                         region_code=KUNSHAN)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/accounts"
    created = account(app, "kunshan-editor")
    assert (created.role, created.region_code, created.active) == ("editor", KUNSHAN, True)
    listing = suzhou_manager.get("/admin/accounts")
    assert "账号 kunshan-editor 已创建" in page_text(listing.data)
    rows = {row.attrs["data-username"] for row in parse(listing.data).find_all("tr", data_account_id=True)}
    assert rows == {"suzhou-boss", "kunshan-editor"}


@pytest.mark.parametrize("region_code", [HANGZHOU, JIANGSU, ""])
def test_a_manager_cannot_create_an_account_outside_or_wider_than_its_scope(app, suzhou_manager, region_code):
    response = post_form(suzhou_manager, "/admin/accounts/new", "/admin/accounts/new",
                         username="too-wide", password="a-long-password", role="manager", region_code=region_code)
    assert response.status_code == 403
    assert "不能创建超出您管理范围的账号" in page_text(response.data)
    assert account(app, "too-wide") is None


def test_the_list_shows_only_accounts_in_scope(suzhou_manager, make_admin):
    make_admin("hangzhou-editor", region_code=HANGZHOU, role="editor")
    make_admin("gusu-editor", region_code="320508", role="editor")
    listing = parse(suzhou_manager.get("/admin/accounts").data)
    assert {row.attrs["data-username"] for row in listing.find_all("tr", data_account_id=True)} == {
        "suzhou-boss", "gusu-editor"}


@pytest.mark.parametrize("method,path", [("get", "/admin/accounts"), ("get", "/admin/accounts/new"),
                                         ("post", "/admin/accounts/1/active"), ("post", "/admin/accounts/1/role"),
                                         ("post", "/admin/accounts/1/password")])
def test_editors_get_403_on_account_management(client, make_admin, method, path):
    make_admin("an-editor", role="editor")
    post_login(client, "an-editor")
    token = csrf_token_in(client.get("/admin/password").data)
    response = getattr(client, method)(path, data={"csrf_token": token} if method == "post" else None)
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get("/admin/accounts").status_code == 302
    assert client.get("/admin/password").status_code == 302


def test_deactivating_ends_the_accounts_login_and_activating_restores_it(app, make_admin, suzhou_manager):
    make_admin("kunshan-editor", region_code=KUNSHAN, role="editor")
    editor_id = account(app, "kunshan-editor").id
    editor = app.test_client()
    post_login(editor, "kunshan-editor")
    assert logged_in(editor)

    response = post_form(suzhou_manager, f"/admin/accounts/{editor_id}/active", ACCOUNTS, active="0")
    assert response.status_code == 303 and account(app, "kunshan-editor").active is False
    assert not logged_in(editor)
    assert post_login(editor, "kunshan-editor").status_code == 401

    post_form(suzhou_manager, f"/admin/accounts/{editor_id}/active", ACCOUNTS, active="1")
    assert post_login(app.test_client(), "kunshan-editor").status_code == 303


def test_a_manager_cannot_change_itself_or_accounts_outside_scope(app, make_admin, suzhou_manager):
    make_admin("hangzhou-editor", region_code=HANGZHOU, role="editor")
    own_id, other_id = account(app, "suzhou-boss").id, account(app, "hangzhou-editor").id
    assert post_form(suzhou_manager, f"/admin/accounts/{own_id}/role", ACCOUNTS, role="editor").status_code == 403
    assert post_form(suzhou_manager, f"/admin/accounts/{own_id}/active", ACCOUNTS, active="0").status_code == 403
    assert post_form(suzhou_manager, f"/admin/accounts/{other_id}/active", ACCOUNTS, active="0").status_code == 403
    assert account(app, "hangzhou-editor").active and account(app, "suzhou-boss").role == "manager"


def test_a_manager_changes_a_role_and_resets_a_password(app, make_admin, suzhou_manager):
    make_admin("kunshan-editor", region_code=KUNSHAN, role="editor")
    editor_id = account(app, "kunshan-editor").id
    assert post_form(suzhou_manager, f"/admin/accounts/{editor_id}/role", ACCOUNTS, role="manager").status_code == 303
    assert account(app, "kunshan-editor").role == "manager"
    assert post_form(suzhou_manager, f"/admin/accounts/{editor_id}/password", ACCOUNTS,
                     password="brand-new-password").status_code == 303
    assert post_login(app.test_client(), "kunshan-editor", "brand-new-password").status_code == 303
    short = post_form(suzhou_manager, f"/admin/accounts/{editor_id}/password", ACCOUNTS, password="short")
    assert short.status_code == 422     # the list again, the reason beside that account's password field
    assert "密码至少需要 10 个字符" in parse(short.data).find("small", data_error_for="password").text


def test_changing_ones_password_ends_other_sessions_and_keeps_this_one(app, client, make_admin):
    make_admin("alice", role="editor")
    post_login(client, "alice")
    elsewhere = app.test_client()
    post_login(elsewhere, "alice")
    assert logged_in(client) and logged_in(elsewhere)

    response = post_form(client, "/admin/password", "/admin/password", old_password=PASSWORD,
                         new_password="another-long-password", confirm="another-long-password")
    assert response.status_code == 303
    assert logged_in(client)
    assert not logged_in(elsewhere)
    assert post_login(elsewhere, "alice", PASSWORD).status_code == 401
    assert post_login(elsewhere, "alice", "another-long-password").status_code == 303


@pytest.mark.parametrize("old,new,confirm", [("wrong-password-here", "another-long-password", "another-long-password"),
                                             (PASSWORD, "another-long-password", "a-different-password"),
                                             (PASSWORD, "short", "short")])
def test_a_bad_password_change_changes_nothing(app, client, make_admin, old, new, confirm):
    make_admin("alice", role="editor")
    post_login(client, "alice")
    response = post_form(client, "/admin/password", "/admin/password", old_password=old, new_password=new,
                         confirm=confirm)
    assert response.status_code == 422
    assert logged_in(client)
    assert post_login(app.test_client(), "alice", PASSWORD).status_code == 303


def test_tokens_page_lists_and_revokes_own_tokens(app, client, make_admin):
    headers = make_admin("alice", role="editor")
    post_login(client, "alice")
    page = parse(client.get("/admin/tokens").data)
    rows = page.find_all("tr", data_token_id=True)
    assert len(rows) == 1 and "有效" in rows[0].text
    token_id = rows[0].attrs["data-token-id"]
    assert client.get("/api/v1/auth/tokens", headers=headers).status_code == 200

    response = post_form(client, f"/admin/tokens/{token_id}/revoke", "/admin/tokens")
    assert response.status_code == 303
    assert "已吊销" in parse(client.get("/admin/tokens").data).find("tr", data_token_id=token_id).text
    assert client.get("/api/v1/auth/tokens", headers=headers).status_code == 401


def test_a_manager_sees_and_revokes_tokens_in_scope_but_an_editor_not_others(app, client, make_admin):
    make_admin("suzhou-boss", region_code=SUZHOU, role="manager")
    make_admin("kunshan-editor", region_code=KUNSHAN, role="editor")
    make_admin("hangzhou-editor", region_code=HANGZHOU, role="editor")
    with app.app_context(), write_session() as session:
        ids = {username: session.scalar(select(ApiToken.id).join(Administrator, Administrator.id == ApiToken.administrator_id)
                                        .where(Administrator.username == username))
               for username in ("kunshan-editor", "hangzhou-editor", "suzhou-boss")}
    post_login(client, "suzhou-boss")
    listed = {row.attrs["data-token-id"] for row in parse(client.get("/admin/tokens").data).find_all("tr", data_token_id=True)}
    assert listed == {str(ids["suzhou-boss"]), str(ids["kunshan-editor"])}
    assert post_form(client, f"/admin/tokens/{ids['hangzhou-editor']}/revoke", "/admin/tokens").status_code == 403
    assert post_form(client, f"/admin/tokens/{ids['kunshan-editor']}/revoke", "/admin/tokens").status_code == 303

    editor = app.test_client()
    post_login(editor, "kunshan-editor")
    assert post_form(editor, f"/admin/tokens/{ids['suzhou-boss']}/revoke", "/admin/tokens").status_code == 403


def failed_logins(app) -> list[AuditEntry]:
    with app.app_context(), write_session() as session:
        return session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()


def test_a_failed_login_leaves_an_audit_entry(app, client, make_admin):
    make_admin("alice")
    assert post_login(client, "alice", "wrong-password!").status_code == 401
    assert post_login(client, "nobody-here", "wrong-password!").status_code == 401
    entries = failed_logins(app)
    assert [(e.actor, e.entity, e.detail) for e in entries] == [("alice", "auth", "127.0.0.1"),
                                                              ("nobody-here", "auth", "127.0.0.1")]
    assert post_login(client, "alice").status_code == 303
    assert len(failed_logins(app)) == 2


def test_a_failure_to_record_does_not_break_the_login_page(client, make_admin, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from directory.audit import refusals

    def unreachable(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("database gone"))
    monkeypatch.setattr(refusals, "writing", unreachable)
    make_admin("alice")
    assert post_login(client, "alice", "wrong-password!").status_code == 401


@pytest.fixture
def limited_app(app):
    """An app with the login rate limit on (the suite turns it off elsewhere), on ``app``'s database."""
    with app_on(app.config["DATABASE_URL"], RATELIMIT_ENABLED=True) as limited:
        yield limited


@pytest.fixture
def limited_client(limited_app):
    return limited_app.test_client()


def test_the_login_form_is_rate_limited_per_address(limited_client, make_admin):
    make_admin("alice")
    token = csrf_token_in(limited_client.get("/admin/login").data)
    form = {"username": "alice", "password": "wrong-password!", "csrf_token": token}
    statuses = [limited_client.post("/admin/login", data=form).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    refused = limited_client.post("/admin/login", data={**form, "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "登录尝试过于频繁" in page_text(refused.data)
    english = limited_client.post("/admin/login?lang=en", data=form)
    assert english.status_code == 429 and "Retry-After" in english.headers
    assert limited_client.get("/admin/login").status_code == 200   # the form itself stays reachable
