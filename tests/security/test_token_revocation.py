"""Bearer tokens end with a password change (by any path), with deactivation, and with "log out
everywhere" (the web button and `POST /api/v1/auth/logout-everywhere`) — SECURITY.md "Bearer tokens
end with the password"."""
import pytest
from admin_forms import post_form, post_login
from pages.html_reading import page_text
from sqlalchemy import select

from directory.audit.models import AuditEntry
from directory.auth.service import get_administrator
from directory.database import write_session

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "plum tiger ferry window"
WRITE = {"name": "令牌测试服务中心", "level": "national", "services": ["policy"]}


def token_for(client, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def works(client, headers: dict) -> bool:
    """Whether ``headers`` still authenticate (reading one's tokens is an authenticated call)."""
    status = client.get("/api/v1/auth/tokens", headers=headers).status_code
    assert status in (200, 401)
    return status == 200


def test_changing_ones_own_password_on_the_web_ends_ones_tokens(client, make_admin):
    headers = make_admin("alice", password=PASSWORD)
    second = token_for(client, "alice")
    post_login(client, "alice")
    response = post_form(client, "/admin/password", "/admin/password", old_password=PASSWORD,
                         new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 303
    assert not works(client, headers) and not works(client, second)
    assert client.post("/api/v1/institutions", json=WRITE, headers=headers).status_code == 401
    assert works(client, token_for(client, "alice", NEW_PASSWORD))   # a new login gets a new token


def test_a_managers_reset_ends_the_accounts_tokens(app, client, make_admin):
    make_admin("boss", password=PASSWORD)
    headers = make_admin("dave", password=PASSWORD, role="editor")
    with app.app_context(), write_session() as session:
        dave = get_administrator(session, "dave").id
    post_login(client, "boss")
    boss_token = token_for(client, "boss")
    post_form(client, f"/admin/accounts/{dave}/password", "/admin/accounts", password=NEW_PASSWORD)
    assert not works(client, headers)
    assert works(client, boss_token)   # only the account whose password changed


def test_the_command_line_set_password_ends_the_tokens(client, runner, make_admin):
    headers = make_admin("erin", password=PASSWORD)
    result = runner.invoke(args=["admin", "set-password", "erin", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert not works(client, headers)


def test_deactivated_then_reactivated_account_gets_no_old_token_back(client, runner, make_admin):
    headers = make_admin("frank", password=PASSWORD)
    assert runner.invoke(args=["admin", "deactivate", "frank"]).exit_code == 0
    assert runner.invoke(args=["admin", "activate", "frank"]).exit_code == 0
    assert not works(client, headers)


def test_logout_everywhere_through_the_api_ends_every_token_and_web_session(app, make_admin):
    api = app.test_client()
    browser = app.test_client()
    first = make_admin("gina", password=PASSWORD)
    second = token_for(api, "gina")
    other = make_admin("henry", password=PASSWORD)
    post_login(browser, "gina")
    assert browser.get("/admin/").status_code == 200
    response = api.post("/api/v1/auth/logout-everywhere", headers=second)
    assert response.status_code == 200 and response.json == {"revoked_tokens": 2}
    assert not works(api, first) and not works(api, second)
    assert browser.get("/admin/").status_code == 302   # the browser's session ended too
    assert works(api, other)                            # nobody else's
    assert api.post("/api/v1/auth/logout-everywhere", headers=second).status_code == 401
    tokens = api.get("/api/v1/auth/tokens", headers=token_for(api, "gina")).json
    assert sum(token["revoked_at"] is not None for token in tokens) == 2
    with app.app_context(), write_session() as session:
        audited = session.scalars(select(AuditEntry).where(AuditEntry.entity == "token",
                                                           AuditEntry.action == "update")).all()
    assert len(audited) == 2 and {entry.actor for entry in audited} == {"gina"}
    assert all(entry.after["revoked_at"] for entry in audited)


def test_logout_everywhere_needs_a_token(client):
    response = client.post("/api/v1/auth/logout-everywhere")
    assert response.status_code == 401 and response.json["code"] == 401


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_web_button_logs_out_everywhere(app, make_admin, lang):
    headers = make_admin("ivy", password=PASSWORD)
    browser, elsewhere = app.test_client(), app.test_client()
    post_login(browser, "ivy")
    post_login(elsewhere, "ivy")
    page = page_text(browser.get(f"/admin/?lang={lang}").data)
    assert ("在所有设备上退出" if lang == "zh" else "Log out everywhere") in page
    response = post_form(browser, "/admin/logout-everywhere", "/admin/")
    assert response.status_code == 303
    assert not works(browser, headers)
    assert elsewhere.get("/admin/").status_code == 302 and browser.get("/admin/").status_code == 302
    home = page_text(browser.get(response.headers["Location"]).data)
    assert ("1 个 API 令牌" if lang == "zh" else "1 API tokens revoked") in home


def test_the_web_button_needs_the_csrf_token(client, make_admin):
    headers = make_admin("jack", password=PASSWORD)
    post_login(client, "jack")
    assert client.post("/admin/logout-everywhere").status_code == 400
    assert works(client, headers)
