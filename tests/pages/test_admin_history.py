"""Audit history: every change in the same transaction, readable diffs, restore, merge, refusals."""
from admin_forms import log_in
from html_reading import csrf_token_in, parse
from sqlalchemy import select
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.database import get_engine

SUZHOU, HANGZHOU = "320500", "330100"


def login(client, username="national"):
    """Log in; returns the CSRF token of the administration's home page."""
    log_in(client, username)
    return csrf_token_in(client.get("/admin/").get_data(as_text=True))


def audit(app, **filters) -> list[AuditEntry]:
    with app.app_context(), Session(get_engine()) as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in filters.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return list(session.scalars(stmt))


def test_each_api_change_writes_one_entry_with_who_and_before_after(app, client, make_admin):
    headers = make_admin()
    body = {"name": "苏州市知识产权服务中心", "level": "municipal", "region_code": SUZHOU, "services": ["ip"]}
    iid = client.post("/api/v1/institutions", json=body, headers=headers).json["id"]
    client.patch(f"/api/v1/institutions/{iid}", json={"phone": "0512-65012345", "services": ["ip", "legal"]},
                 headers=headers)
    assert client.patch(f"/api/v1/institutions/{iid}", json={"phone": "nonsense"}, headers=headers).status_code == 422
    client.delete(f"/api/v1/institutions/{iid}", headers=headers)
    entries = audit(app, entity="institution", entity_id=iid)
    assert [e.action for e in entries] == ["create", "update", "close"]     # the refused change left nothing
    assert all(e.actor == "national" and e.at is not None for e in entries)
    update = entries[1]
    assert update.before["phone"] is None and update.after["phone"] == "0512-65012345"
    assert update.before["services"] == ["ip"] and update.after["services"] == ["ip", "legal"]
    assert entries[2].after["status"] == "closed"


def test_history_page_shows_a_diff_and_restores_an_earlier_version(app, client, make_admin, add_institution):
    headers = make_admin()
    iid = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("policy",), phone="0512-11111111")
    client.patch(f"/api/v1/institutions/{iid}", json={"phone": "0512-22222222"}, headers=headers)
    token = login(client)
    page = parse(client.get(f"/admin/institutions/{iid}/history").data)
    newest = page.find_all("li", class_="history-entry")[0]
    row = newest.find("tr", data_field="phone")
    assert "0512-11111111" in row.text and "0512-22222222" in row.text
    created = page.find("li", data_action="create").attrs["data-entry-id"]
    response = client.post(f"/admin/institutions/{iid}/restore/{created}", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get(f"/api/v1/institutions/{iid}").json["phone"] == "0512-11111111"
    assert audit(app, entity="institution", entity_id=iid)[-1].action == "restore"


def test_merge_keeps_both_histories_and_moves_services(app, client, make_admin, add_institution):
    make_admin()
    keep = add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, ("policy",))
    duplicate = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("legal",), phone="0512-33333333")
    token = login(client)
    response = client.post(f"/admin/institutions/{duplicate}/merge", data={"into": keep, "csrf_token": token})
    assert response.status_code == 303
    kept = client.get(f"/api/v1/institutions/{keep}").json
    assert kept["services"] == ["legal", "policy"] and kept["phone"] == "0512-33333333"
    assert client.get(f"/api/v1/institutions/{duplicate}").json["status"] == "closed"
    page = parse(client.get(f"/admin/institutions/{keep}/history").data)
    ids = {int(e.attrs["data-entry-id"]) for e in page.find_all("li", class_="history-entry")}
    merged_entries = {e.id for e in audit(app, entity="institution", entity_id=duplicate)}
    assert merged_entries <= ids                                  # the duplicate's history shows too
    assert {e.action for e in audit(app, entity="institution")} >= {"merge"}


def test_merge_target_is_chosen_by_name_search_within_scope(app, client, make_admin, add_institution):
    make_admin()
    keep = add_institution("苏州市中小企业公共服务中心", "municipal", SUZHOU, ("policy",))
    other = add_institution("苏州市中小企业公共服务中心（高新区分中心）", "municipal", SUZHOU, ("ip",))
    duplicate = add_institution("苏州中小企业服务中心", "municipal", SUZHOU, ("legal",))
    token = login(client)
    # A name that fits several: the page lists them to choose from, nothing is merged yet.
    choices = client.post(f"/admin/institutions/{duplicate}/merge", data={"into": "苏州 中小企业公共服务", "csrf_token": token})
    assert choices.status_code == 200
    offered = {int(li.attrs["data-candidate-id"]) for li in parse(choices.data).find_all("li", data_candidate_id=True)}
    assert {keep, other} <= offered and duplicate not in offered
    assert client.get(f"/api/v1/institutions/{duplicate}").json["status"] == "active"
    # The exact name (as the suggestions fill it in) merges at once.
    merged = client.post(f"/admin/institutions/{duplicate}/merge",
                         data={"into": "苏州市中小企业公共服务中心", "csrf_token": token})
    assert merged.status_code == 303 and f"/admin/institutions/{keep}/history" in merged.headers["Location"]
    assert client.get(f"/api/v1/institutions/{duplicate}").json["status"] == "closed"
    nothing = client.post(f"/admin/institutions/{other}/merge", data={"into": "杭州西湖不存在的机构", "csrf_token": token})
    assert nothing.status_code == 422   # said beside the field, what was typed kept
    assert client.get(f"/api/v1/institutions/{other}").json["status"] == "active"


def test_merge_candidates_outside_the_scope_are_not_offered(app, client, make_admin, add_institution):
    make_admin("suzhou", region_code=SUZHOU)
    duplicate = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("legal",))
    add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU, ("policy",))
    token = login(client, "suzhou")
    response = client.post(f"/admin/institutions/{duplicate}/merge", data={"into": "杭州市中小企业服务中心",
                                                                           "csrf_token": token})
    assert response.status_code == 422      # not found in scope: nothing merged
    assert client.get(f"/api/v1/institutions/{duplicate}").json["status"] == "active"


def test_refused_attempts_are_logged(app, client, make_admin, add_institution):
    hangzhou = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU, ("policy",))
    jiangsu = make_admin("jiangsu", region_code="320000")
    assert client.patch(f"/api/v1/institutions/{hangzhou}", json={"phone": "0571-12345678"},
                        headers=jiangsu).status_code == 403
    refused = audit(app, action="forbidden")
    assert refused and refused[-1].actor == "jiangsu" and f"/api/v1/institutions/{hangzhou}" in refused[-1].detail
    login(client, "jiangsu")
    assert client.get(f"/admin/institutions/{hangzhou}/history").status_code == 403
    assert len(audit(app, action="forbidden")) == 2


def test_event_and_account_changes_are_audited_too(app, client, make_admin, add_institution):
    from events_support import open_event

    headers = make_admin()
    event = open_event(client, add_institution, headers)
    client.patch(f"/api/v1/events/{event['id']}", json={"capacity": 80, "chains": ["biomedicine"]}, headers=headers)
    client.delete(f"/api/v1/events/{event['id']}", headers=headers)
    actions = [(e.action, e.actor) for e in audit(app, entity="event", entity_id=event["id"])]
    assert actions == [("create", "national"), ("update", "national"), ("cancel", "national")]
    accounts = audit(app, entity="administrator")
    assert accounts and accounts[0].action == "create" and "password_hash" not in accounts[0].after
