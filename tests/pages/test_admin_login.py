"""Logging in to the web administration (CONTRACT: /admin/ requires login; anonymous visitors go
to the login page): CSRF, safe redirects, session cookies, logout, inactive accounts, scope."""
import time
from urllib.parse import quote

import pytest
from events_support import HANGZHOU, KUNSHAN, SUZHOU, at, event_body
from html_reading import csrf_token_in, page_text, parse
from sqlalchemy import select, update
from werkzeug.exceptions import Forbidden
from werkzeug.security import generate_password_hash

from directory import create_app
from directory.auth.login import LOGIN_TIME_KEY, SESSION_LIFETIME, require_page_scope, start_session
from directory.auth.models import Administrator
from directory.auth.service import set_active
from directory.database import write_session
from directory.database import get_session

PASSWORD = "correct-horse-battery"
WRONG_CREDENTIALS = "用户名或密码错误"


def login(client, username: str, password: str = PASSWORD, next_: str | None = None):
    """Fill in the login form as a browser would: read its CSRF token, post it back."""
    form_page = client.get("/admin/login" + (f"?next={quote(next_, safe='')}" if next_ is not None else ""))
    form = {"csrf_token": csrf_token_in(form_page.data), "username": username, "password": password}
    if next_ is not None:
        form["next"] = next_
    return client.post("/admin/login", data=form)


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def change_administrator(app, username: str, **values) -> None:
    with app.app_context(), write_session() as session, session.begin():
        session.execute(update(Administrator).where(Administrator.username == username).values(**values))


def session_cookie_header(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/login?next=%2Fadmin%2F"
    page = client.get(response.headers["Location"])
    assert "请先登录管理后台" in page_text(page.data)


def test_login_page_has_the_fields_and_a_csrf_token(client):
    response = client.get("/admin/login?next=/admin/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    form = parse(response.data).find("form", action="/admin/login")
    assert form.attrs["method"] == "post"
    assert form.find("input", name="username").attrs["autocomplete"] == "username"
    assert form.find("input", name="password").attrs["type"] == "password"
    assert form.find("input", name="next").attrs["value"] == "/admin/"
    assert len(csrf_token_in(response.data)) > 20
    assert form.find("input", name="csrf_token").attrs["type"] == "hidden"


def test_the_navigation_links_to_the_administration(client):
    nav = parse(client.get("/").data).find("nav", aria_label="主导航")
    assert any(a.attrs.get("href") == "/admin/" and a.text == "管理" for a in nav.find_all("a"))
    assert not nav.find_all("form")


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_post_without_the_csrf_token_is_400(client, make_admin, token):
    make_admin("alice")
    client.get("/admin/login")
    form = {"username": "alice", "password": PASSWORD} | ({"csrf_token": token} if token is not None else {})
    response = client.post("/admin/login", data=form)
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in page_text(response.data)
    assert not logged_in(client)


@pytest.mark.parametrize("username,password", [("alice", "wrong-horse-battery"), ("nobody", PASSWORD)])
def test_wrong_credentials_are_401_with_one_message_and_the_username_kept(client, make_admin, username, password):
    make_admin("alice")
    response = login(client, username, password)
    assert response.status_code == 401
    page = parse(response.data)
    assert page.find(id="login-failed").text == "用户名或密码错误，请重新输入。"
    assert page.find("input", name="username").attrs["value"] == username
    assert "value" not in page.find("input", name="password").attrs or not page.find(
        "input", name="password").attrs["value"]
    assert not logged_in(client)


def test_empty_fields_are_422_with_field_messages(client):
    response = login(client, "", "")
    assert response.status_code == 422
    page = parse(response.data)
    assert page.find(id="username-error").text == "请输入用户名。"
    assert page.find(id="password-error").text == "请输入密码。"


def test_right_credentials_lead_to_the_dashboard_with_name_and_national_scope(client, make_admin):
    make_admin("alice")
    response = login(client, "alice")
    assert response.status_code in (302, 303) and response.headers["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    page = parse(dashboard.data)
    assert "alice" in page.find(id="greeting").text
    assert page.find(id="admin-scope").find("strong").text == "全国"
    assert page.find("summary", data_administrator="alice").text == "alice"


def test_regional_administrators_see_their_region(client, make_admin):
    make_admin("suzhou", region_code=SUZHOU)
    login(client, "suzhou")
    scope = parse(client.get("/admin/").data).find(id="admin-scope")
    assert scope.attrs["data-region-code"] == SUZHOU
    assert scope.find("strong").text == "江苏省 / 苏州市"


@pytest.mark.parametrize("next_,landing", [
    ("https://evil.example/", "/admin/"),
    ("//evil.example", "/admin/"),
    ("/\\evil.example", "/admin/"),
    ("/\t/evil.example", "/admin/"),
    ("javascript:alert(1)", "/admin/"),
    ("", "/admin/"),
    ("/events", "/events"),
    ("/institutions?level=national", "/institutions?level=national"),
])
def test_next_only_leads_to_pages_of_this_site(client, make_admin, next_, landing):
    make_admin("alice")
    response = login(client, "alice", next_=next_)
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == landing


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_admin):
    make_admin("alice")
    cookie = session_cookie_header(login(client, "alice"))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=lax"
    assert "secure" not in attributes   # plain HTTP in tests; SME_SECURE_COOKIES=1 behind HTTPS
    assert "expires" in attributes     # a login lasts SESSION_LIFETIME, not as long as the browser


def test_secure_cookies_are_switched_on_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("SME_SECURE_COOKIES", "1")
    secure_app = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True})
    assert secure_app.config["SESSION_COOKIE_SECURE"] and secure_app.config["REMEMBER_COOKIE_SECURE"]
    assert secure_app.config["SESSION_COOKIE_HTTPONLY"] and secure_app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert secure_app.config["PERMANENT_SESSION_LIFETIME"] == SESSION_LIFETIME


def test_logging_in_starts_a_new_session(client, make_admin):
    make_admin("alice")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, "alice")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_ends_the_session(client, make_admin):
    make_admin("alice")
    login(client, "alice")
    dashboard = client.get("/admin/")
    assert client.post("/admin/logout").status_code == 400   # no CSRF token: refused, still logged in
    assert logged_in(client)
    response = client.post("/admin/logout", data={"csrf_token": csrf_token_in(dashboard.data)})
    assert response.status_code in (302, 303) and response.headers["Location"] == "/"
    assert client.get("/admin/").status_code == 302
    assert not parse(client.get("/").data).find("nav", aria_label="主导航").find_all("form")


def test_an_inactive_administrator_cannot_log_in(app, client, make_admin):
    make_admin("alice")
    change_administrator(app, "alice", active=False)
    response = login(client, "alice")
    assert response.status_code == 401 and WRONG_CREDENTIALS in page_text(response.data)
    assert not logged_in(client)


def test_deactivating_or_changing_the_password_ends_open_sessions(app, client, make_admin):
    make_admin("alice")
    make_admin("bob")
    other = app.test_client()
    login(client, "alice")
    login(other, "bob")
    change_administrator(app, "alice", active=False)
    change_administrator(app, "bob", password_hash=generate_password_hash("another-long-password"))
    assert not logged_in(client) and not logged_in(other)


def copy_session_cookie(source, target) -> None:
    """Give ``target`` the session cookie ``source`` holds, as someone who copied it would."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_logging_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(app, client, make_admin):
    make_admin("alice")
    login(client, "alice")
    thief = app.test_client()
    copy_session_cookie(client, thief)
    assert logged_in(thief)                       # the copy works while the session lasts
    client.post("/admin/logout", data={"csrf_token": csrf_token_in(client.get("/admin/").data)})
    assert not logged_in(client) and not logged_in(thief)
    login(client, "alice")                        # a new login after logging out works
    assert logged_in(client) and not logged_in(thief)


def test_reactivating_an_account_does_not_bring_back_its_old_sessions(app, client, make_admin):
    make_admin("alice")
    login(client, "alice")

    def activate(active: bool) -> None:
        with app.app_context(), write_session() as session, session.begin():
            alice = session.scalar(select(Administrator).where(Administrator.username == "alice"))
            set_active(session, target=alice, active=active)

    activate(False)
    assert not logged_in(client)
    activate(True)
    assert not logged_in(client)                  # the session begun before deactivation stays over
    login(client, "alice")
    assert logged_in(client)


def test_a_login_expires_after_the_session_lifetime(client, make_admin):
    make_admin("alice")
    login(client, "alice")
    with client.session_transaction() as session:
        session[LOGIN_TIME_KEY] = int(time.time() - SESSION_LIFETIME.total_seconds() - 60)
    assert not logged_in(client)


def test_api_writes_with_a_bearer_token_need_no_csrf_token(client, make_admin):
    headers = make_admin("alice")
    body = {"name": "国家测试中心", "level": "national", "services": ["policy"]}
    assert client.post("/api/v1/institutions", json=body, headers=headers).status_code == 201
    login(client, "alice")   # a browser session alongside changes nothing for the API
    body["name"] = "国家第二测试中心"
    assert client.post("/api/v1/institutions", json=body, headers=headers).status_code == 201


def test_page_scope_follows_the_administrators_region(app, make_admin):
    make_admin("suzhou", region_code=SUZHOU)
    with app.test_request_context("/admin/"):
        start_session(get_session().scalar(select(Administrator).where(Administrator.username == "suzhou")))
        require_page_scope(KUNSHAN)
        require_page_scope(SUZHOU)
        for outside in (HANGZHOU, None):
            with pytest.raises(Forbidden):
                require_page_scope(outside)


def test_the_dashboard_lists_the_events_inside_the_scope(client, make_admin, add_institution):
    headers = make_admin("national")
    make_admin("suzhou", region_code=SUZHOU)
    suzhou = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("financing",))
    hangzhou = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU, ("financing",))

    def add_event(organizer: int, title: str, days: int, **extra) -> int:
        body = event_body(organizer, title=title, starts_at=at(days, 9), ends_at=at(days, 17),
                          registration_deadline=None, sessions=[], **extra)
        response = client.post("/api/v1/events", json=body, headers=headers)
        assert response.status_code == 201, response.json
        return response.json["id"]

    later = add_event(suzhou, "苏州市知识产权质押融资对接会", 20)
    soon = add_event(suzhou, "苏州市集成电路银企对接会", 5)
    past = add_event(suzhou, "苏州市往期融资路演", -30, status="completed")
    elsewhere = add_event(hangzhou, "杭州市生物医药融资路演", 7)

    def listed(username: str) -> dict[str, list[int]]:
        browser = client.application.test_client()
        login(browser, username)
        page = parse(browser.get("/admin/").data)
        return {section: [int(row.attrs["data-event-id"]) for row in
                          page.find("section", aria_labelledby=section).find_all("tr", data_event_id=True)]
                for section in ("upcoming-events", "recent-events")}

    assert listed("suzhou") == {"upcoming-events": [soon, later], "recent-events": [past]}
    assert listed("national") == {"upcoming-events": [soon, elsewhere, later], "recent-events": [past]}

    browser = client.application.test_client()
    login(browser, "suzhou")
    link = parse(browser.get("/admin/").data).find("tr", data_event_id=str(soon)).find("a")
    manages = "event_admin.manage" in client.application.view_functions
    assert link.attrs["href"] == (f"/admin/events/{soon}" if manages else f"/events/{soon}")
    assert link.text == "苏州市集成电路银企对接会"


def test_a_logged_in_administrator_skips_the_login_form(client, make_admin):
    make_admin("alice")
    login(client, "alice")
    assert client.get("/admin/login?next=/events").headers["Location"] == "/events"
    assert client.get("/admin/login?next=//evil.example").headers["Location"] == "/admin/"
