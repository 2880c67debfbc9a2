"""Who may do what: every admin page and every API write × every kind of administrator × an object
inside and outside their region. A route that is missing from ROUTES fails the test, so a new
route cannot ship without its access rule being stated and checked here.

Administrators: anonymous; a county editor (姑苏区); a prefecture editor (苏州市); a province manager
(江苏省); a national manager; a manager of another province (浙江省); and a staff account of the 姑苏区
institution, which may work on that institution's service requests and nothing else. Objects: one set
in 姑苏区 (inside every Jiangsu scope), one in 杭州市 (only the Zhejiang manager's and the national scope).
"""
import re
from dataclasses import dataclass
from datetime import date

import pytest
from html_reading import csrf_token_in

from directory.auth.access import PERMISSIONS, Permission
from directory.auth.models import AdministratorRole, ApiToken
from directory.auth.service import create_administrator, get_administrator, issue_token
from directory.database import write_session
from directory.institutions.designations import grant_designation
from directory.institutions.models import Institution

PASSWORD = "correct-horse-battery"
ROLES = {  # name: (region scope, role)
    "county": ("320508", "editor"),
    "prefecture": ("320500", "editor"),
    "province": ("320000", "manager"),
    "national": (None, "manager"),
    "other_province": ("330000", "manager"),
}
SCOPE_HOLDS = {"js": {"county", "prefecture", "province", "national"}, "zj": {"other_province", "national"}}
STAFF = "staff"   # a staff account of the 姑苏区 side's institution
ACCOUNTS = (*ROLES, STAFF)


@dataclass(frozen=True)
class Route:
    """``kind``: public (no login), login (any account, staff included), admin (any administrator but
    not staff), manager (account managers), or the object the route acts on — institution, event,
    account, token, request (a service request: its institution's staff and administrators in scope) —
    whose region decides."""

    method: str
    url: str
    kind: str
    data: dict | None = None


ROUTES = {
    # Web administration
    "admin.home": Route("GET", "/admin/", "login"),
    "admin.login": Route("GET", "/admin/login", "public"),
    "admin.login:post": Route("POST", "/admin/login", "public", {"username": "nobody", "password": "wrong"}),
    "admin.logout": Route("POST", "/admin/logout", "public"),
    "admin.logout_everywhere": Route("POST", "/admin/logout-everywhere", "login"),
    "admin_institutions.index": Route("GET", "/admin/institutions", "admin"),
    "admin_institutions.new": Route("GET", "/admin/institutions/new", "admin"),
    "admin_institutions.new:post": Route("POST", "/admin/institutions/new", "institution", {
        "name": "矩阵测试中心", "level": "county", "region_code": "{county}", "services": "policy"}),
    "admin_institutions.edit": Route("GET", "/admin/institutions/{institution}/edit", "institution"),
    "admin_institutions.edit:post": Route("POST", "/admin/institutions/{institution}/edit", "institution",
                                          {"name": "矩阵测试中心（改）", "level": "{level}", "region_code": "{region}",
                                           "services": "financing"}),
    "admin_institutions.change_status": Route("POST", "/admin/institutions/{institution}/status", "institution",
                                              {"status": "suspended"}),
    "admin_institutions.verify": Route("POST", "/admin/institutions/{institution}/verify", "institution"),
    "admin_institutions.export_csv": Route("GET", "/admin/institutions/export.csv", "admin"),
    "admin_institutions.export_xlsx": Route("GET", "/admin/institutions/export.xlsx", "admin"),
    "admin_institutions.export_json": Route("GET", "/admin/institutions/export.json", "admin"),
    "admin_institutions.export_hsds": Route("GET", "/admin/institutions/export.hsds.json", "admin"),
    "admin_institutions.export_hsds_zip": Route("GET", "/admin/institutions/export.hsds.zip", "admin"),
    "admin_history.history": Route("GET", "/admin/institutions/{institution}/history", "institution"),
    "admin_history.restore": Route("POST", "/admin/institutions/{institution}/restore/{entry}", "institution"),
    "admin_history.merge": Route("POST", "/admin/institutions/{institution}/merge", "institution",
                                 {"into": "{twin}"}),
    "admin_designations.grant": Route("POST", "/admin/institutions/{institution}/designations", "institution",
                                      {"kind": "provincial_base", "batch": "2024年"}),
    "admin_designations.revoke": Route("POST", "/admin/institutions/{institution}/designations/{designation}/revoke",
                                       "institution", {"revoked_on": ""}),
    "admin_imports.upload_form": Route("GET", "/admin/import", "admin"),
    "admin_imports.check_upload": Route("POST", "/admin/import", "admin"),
    "admin_imports.apply_upload": Route("POST", "/admin/import/not-a-token/apply", "admin"),
    "admin_imports.check_with_columns": Route("POST", "/admin/import/not-a-token/columns", "admin"),
    "event_admin.manage": Route("GET", "/admin/events/{event}", "event"),
    "event_admin.decide": Route("POST", "/admin/events/{event}/registrations/{registration}", "event",
                                {"status": "accepted"}),
    "event_admin.build_schedule": Route("POST", "/admin/events/{event}/schedule", "event"),
    "event_admin.confirm_schedule": Route("POST", "/admin/events/{event}/schedule/confirm", "event"),
    "event_admin.schedule_csv": Route("GET", "/admin/events/{event}/schedule.csv", "event"),
    "event_admin.financier_calendar": Route("GET", "/admin/events/{event}/financiers/{financier}/meetings.ics",
                                            "event"),
    "event_admin.add_outcome": Route("POST", "/admin/events/{event}/outcomes", "event",
                                     {"registration_id": "{registration}", "result": "intention"}),
    "admin_accounts.accounts": Route("GET", "/admin/accounts", "manager"),
    "admin_accounts.new_account": Route("GET", "/admin/accounts/new", "manager"),
    "admin_accounts.new_account:post": Route("POST", "/admin/accounts/new", "account", {
        "username": "matrix-{side}-{actor}", "password": PASSWORD, "confirm": PASSWORD, "role": "editor",
        "region_code": "{region}"}),
    "admin_accounts.account_active": Route("POST", "/admin/accounts/{account}/active", "account", {"active": "1"}),
    "admin_accounts.account_role": Route("POST", "/admin/accounts/{account}/role", "account", {"role": "editor"}),
    "admin_accounts.account_password": Route("POST", "/admin/accounts/{account}/password", "account",
                                             {"password": PASSWORD + "!", "confirm": PASSWORD + "!"}),
    "admin_accounts.own_password": Route("GET", "/admin/password", "login"),
    "admin_accounts.own_password:post": Route("POST", "/admin/password", "login", {
        "current_password": "wrong", "password": PASSWORD + "?", "confirm": PASSWORD + "?"}),
    "admin_accounts.tokens": Route("GET", "/admin/tokens", "login"),
    "admin_audit.audit_log": Route("GET", "/admin/audit", "admin"),
    "admin_accounts.revoke": Route("POST", "/admin/tokens/{token}/revoke", "token"),
    # API writes (bearer tokens)
    "auth.create_token": Route("POST", "/api/v1/auth/token", "public", {"username": "nobody", "password": "x"}),
    "auth.delete_token": Route("DELETE", "/api/v1/auth/tokens/{token}", "token"),
    "auth.logout_everywhere": Route("POST", "/api/v1/auth/logout-everywhere", "login"),
    "institutions.create_institution": Route("POST", "/api/v1/institutions", "institution", {
        "name": "矩阵测试中心", "level": "county", "region_code": "{county}", "services": ["policy"]}),
    "institutions.update_institution": Route("PATCH", "/api/v1/institutions/{institution}", "institution",
                                             {"phone": "0512-65012345"}),
    "institutions.close_institution": Route("DELETE", "/api/v1/institutions/{institution}", "institution"),
    "designations.grant": Route("POST", "/api/v1/institutions/{institution}/designations", "institution",
                                {"kind": "national_base", "batch": "2024年"}),
    "designations.revoke_on": Route("PATCH", "/api/v1/institutions/{institution}/designations/{designation}",
                                    "institution", {"revoked_on": "2026-01-01"}),
    "designations.revoke": Route("DELETE", "/api/v1/institutions/{institution}/designations/{designation}",
                                 "institution"),
    "institutions.import_institutions": Route("POST", "/api/v1/institutions/import?dry_run=true", "admin"),
    "events.create_event": Route("POST", "/api/v1/events", "event", {
        "title": "矩阵测试对接会", "organizer_id": "{organizer}", "starts_at": "2030-05-01T09:00:00+08:00",
        "ends_at": "2030-05-01T17:00:00+08:00", "capacity": 10}),
    "events.update_event": Route("PATCH", "/api/v1/events/{event}", "event", {"capacity": 20}),
    "events.cancel_event": Route("DELETE", "/api/v1/events/{event}", "event"),
    "events.register": Route("POST", "/api/v1/events/{event}/registrations", "public", {}),
    "events.decide_registration": Route("PATCH", "/api/v1/events/{event}/registrations/{registration}", "event",
                                        {"status": "accepted"}),
    "events.build_schedule": Route("POST", "/api/v1/events/{event}/schedule", "event", {}),
    "events.confirm_schedule": Route("POST", "/api/v1/events/{event}/schedule/confirm", "event"),
    "events.add_outcome": Route("POST", "/api/v1/events/{event}/outcomes", "event",
                                {"registration_id": "{registration}", "result": "intention"}),
    "financiers.create_financier": Route("POST", "/api/v1/financiers", "admin", {
        "name": "矩阵测试银行", "type": "bank", "financing_types": ["credit_loan"]}),
    "matching.match": Route("POST", "/api/v1/match", "public", {"need": "贷款"}),
    # Service requests: SMEs submit and follow them without login; staff and administrators act on them
    "service_requests.submit": Route("POST", "/api/v1/service-requests", "public", {}),
    "service_requests.act": Route("PATCH", "/api/v1/service-requests/{request}/assignments/{assignment}",
                                  "request", {"action": "accept"}),
    "service_requests.feedback": Route("POST", "/api/v1/service-requests/track/{tracking}/feedback", "public",
                                       {"rating": 5}),
    "service_requests.reopen": Route("POST", "/api/v1/service-requests/track/{tracking}/reopen", "public",
                                     {"reason": "没有解决"}),
    "service_inbox.inbox": Route("GET", "/admin/service-requests", "login"),
    "service_inbox.detail": Route("GET", "/admin/service-requests/{request}", "request"),
    "service_inbox.institution_figures": Route("GET", "/admin/service-requests/institutions/{institution}", "request"),
    "service_inbox.act": Route("POST", "/admin/service-requests/{request}/assignments/{assignment}", "request",
                               {"action": "accept"}),
    "matching.match_batch_upload": Route("POST", "/api/v1/match/batch", "admin"),
}
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
# These end the actor's sessions (and tokens): they run last, each after logging everyone in again.
SESSION_ENDING = ("auth.logout_everywhere", "admin.logout_everywhere", "admin.logout")


def covered_routes(app) -> set[str]:
    """Every admin page (per method) and every API write the app serves."""
    found = set()
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if rule.rule.startswith("/admin"):
            for method in methods:
                found.add(rule.endpoint if method == "GET" or methods == {"POST"} else f"{rule.endpoint}:post")
        elif rule.rule.startswith("/api/") and methods & WRITE_METHODS:
            found.add(rule.endpoint)
    return found


def test_every_admin_route_and_api_write_is_in_the_matrix(app):
    assert covered_routes(app) == set(ROUTES)


@pytest.fixture
def world(app, client, make_admin, add_institution):
    """Administrators with their logged-in clients and tokens, and objects on both sides."""
    from events_support import add_financier, event_body, registration
    from sqlalchemy import select

    from directory.audit.models import AuditEntry

    national_headers = make_admin("seed-national")
    objects = {}
    for number, (side, (place, level, region)) in enumerate({
            "js": ("姑苏区", "county", "320508"), "zj": ("杭州市", "municipal", "330100")}.items(), start=1):
        organizer = add_institution(f"{place}矩阵服务中心", level, region, ("financing",))
        twin = add_institution(f"{place}矩阵服务中心二", level, region, ("policy",))
        financier = add_financier(client, national_headers, f"{place}矩阵银行")
        event = client.post("/api/v1/events", json=event_body(organizer, [financier]), headers=national_headers).json
        registration_id = client.post(f"/api/v1/events/{event['id']}/registrations",
                                      json=registration(number)).json["id"]
        with app.app_context(), write_session() as session, session.begin():
            account = create_administrator(session, username=f"target-{side}", password=PASSWORD,
                                           region_code="320508" if side == "js" else "330000")
            issue_token(session, administrator=account)
            token_id = session.scalar(select(ApiToken.id).where(ApiToken.administrator_id == account.id))
            entry = session.scalar(select(AuditEntry.id).where(AuditEntry.entity == "institution",
                                                               AuditEntry.entity_id == organizer))
            designation = grant_designation(session, institution=session.get(Institution, organizer),
                                            kind="provincial_demo_platform", granted_on=date(2020, 5, 1)).id
        sme = client.post("/api/v1/service-requests", json={
            "need": "需要申请银行贷款", "region_code": "320508" if side == "js" else "330106",
            "enterprise_name": "矩阵测试企业", "contact_name": "王经理", "contact_phone": f"1381234000{number}",
            "consent": True, "institution_ids": [organizer]}).json
        objects[side] = {"request": sme["id"], "assignment": sme["assignments"][0]["id"],
                         "tracking": sme["tracking_url"].rsplit("/", 1)[1], "institution": organizer, "twin": twin, "organizer": organizer, "event": event["id"],
                         "registration": registration_id, "financier": financier, "account": account.id,
                         "token": token_id, "entry": entry, "region": region, "designation": designation,
                         "county": "320508" if side == "js" else "330106", "level": level}
    actors = {"anonymous": {"client": app.test_client(), "headers": {}}}
    for name, (region, role) in ROLES.items():
        with app.app_context(), write_session() as session, session.begin():
            create_administrator(session, username=name, password=PASSWORD, region_code=region, role=role)
    with app.app_context(), write_session() as session, session.begin():
        create_administrator(session, username=STAFF, password=PASSWORD, role="staff",
                             institution_id=objects["js"]["institution"])
    log_everyone_in(app, actors)
    return objects, actors


def log_everyone_in(app, actors: dict) -> None:
    """Give every administrator a fresh token and a fresh web session."""
    for name in ACCOUNTS:
        with app.app_context(), write_session() as session, session.begin():
            token, _ = issue_token(session, administrator=get_administrator(session, name))
        actors[name] = {"client": app.test_client(), "headers": {"Authorization": f"Bearer {token}"}}
        login_page = actors[name]["client"].get("/admin/login").get_data(as_text=True)
        actors[name]["client"].post("/admin/login", data={
            "username": name, "password": PASSWORD, "csrf_token": csrf_token_in(login_page)})


def expectation(route: Route, actor: str, side: str) -> str:
    if route.kind == "public":
        return "ok"   # a 401 for wrong credentials counts as ok here: nobody was refused access
    if actor == "anonymous":
        return "login"
    if route.kind == "login":
        return "ok"
    if actor == STAFF:   # its own institution's service requests, nothing else
        return "ok" if route.kind == "request" and side == "js" else "refused"
    if route.kind == "admin":
        return "ok"
    permissions = PERMISSIONS[AdministratorRole(ROLES[actor][1])]   # what the access policy grants the role
    manager = Permission.manage_accounts in permissions
    if route.kind == "manager":
        return "ok" if manager else "refused"
    in_scope = actor in SCOPE_HOLDS[side]
    if route.kind in ("account", "token"):
        return "ok" if manager and in_scope else "refused"
    needed = Permission.handle_requests if route.kind == "request" else Permission.edit_directory
    return "ok" if needed in permissions and in_scope else "refused"


def _fill(value, values: dict, *, api: bool):
    """Placeholders replaced by the side's objects; a lone id placeholder stays a number in JSON."""
    if isinstance(value, list):
        return [_fill(v, values, api=api) for v in value]
    if not isinstance(value, str):
        return value
    lone = re.fullmatch(r"\{(\w+)\}", value)
    if api and lone and isinstance(values[lone.group(1)], int):
        return values[lone.group(1)]
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), value)


def call(actor: dict, route: Route, values: dict):
    api = route.url.startswith("/api/")
    url = _fill(route.url, values, api=False)
    data = {key: _fill(value, values, api=api) for key, value in (route.data or {}).items()}
    client = actor["client"]
    if api:
        return client.open(url, method=route.method, json=data if route.data is not None else None,
                           headers=actor["headers"])
    if route.method == "GET":
        return client.get(url)
    page = "/admin/" if actor["headers"] else "/admin/login"   # a logged-in page carries the logout form
    token = csrf_token_in(client.get(page, follow_redirects=True).get_data(as_text=True))   # staff: the inbox
    return client.open(url, method=route.method, data=data | {"csrf_token": token})


OUT_OF_SCOPE_FIELD = "所选地区不在您的管理范围内。".encode()   # the form's error for a region outside the scope


def outcome(response, api: bool) -> str:
    if response.status_code == 403 or (not api and response.status_code == 422 and OUT_OF_SCOPE_FIELD in response.data):
        return "refused"
    if api and response.status_code == 401:
        return "login"
    if not api and response.status_code in (302, 303) and "/admin/login" in response.headers.get("Location", ""):
        return "login"
    assert response.status_code < 500, response.status_code
    return "ok"


def test_access(app, world):
    objects, actors = world
    wrong = []
    last = {endpoint: place for place, endpoint in enumerate(SESSION_ENDING, start=1)}
    for endpoint in sorted(ROUTES, key=lambda e: last.get(e, 0)):
        if endpoint in last:
            log_everyone_in(app, actors)
        route = ROUTES[endpoint]
        sides = ["js", "zj"] if route.kind not in ("public", "login", "admin", "manager") else ["js"]
        for side in sides:
            for actor in ["anonymous", "other_province", "county", "prefecture", "province", "national", STAFF]:
                values = objects[side] | {"side": side, "actor": actor}
                got = outcome(call(actors[actor], route, values), route.url.startswith("/api/"))
                if route.kind == "public" and got == "login":
                    got = "ok"
                if got != expectation(route, actor, side):
                    wrong.append(f"{endpoint} {side} {actor}: got {got}, expected {expectation(route, actor, side)}")
    assert not wrong, "\n".join(wrong)
