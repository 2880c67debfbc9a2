"""Staff and administrators act on assignments: accept, decline, forward, resolve; scope, 409s, audit, timeline."""
import pytest
from service_request_support import JIANGSU


@pytest.fixture
def request_for(network, submit):
    """A request sent to 姑苏区's centre; returns (request id, assignment id)."""
    def make(**changes):
        body = submit(institution_ids=[network["county"]], **changes).json
        return body["id"], body["assignments"][0]["id"]
    return make


def patch(client, headers, request_id, assignment_id, **body):
    return client.patch(f"/api/v1/service-requests/{request_id}/assignments/{assignment_id}", json=body,
                        headers=headers)


def test_staff_accept_then_resolve_and_the_sme_sees_it(client, network, request_for, make_staff):
    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    accepted = patch(client, staff, request_id, assignment_id, action="accept")
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted" and accepted.json["resolve_by"]
    resolved = patch(client, staff, request_id, assignment_id, action="resolve", outcome="partly", note="已对接两家银行")
    assert resolved.json["status"] == "resolved" and resolved.json["outcome"] == "partly"
    detail = client.get(f"/api/v1/service-requests/{request_id}", headers=staff).json
    assert detail["status"] == "resolved"
    assert [line["action"] for line in detail["timeline"]] == ["submitted", "offered_chosen", "accept", "resolve"]
    assert detail["contact"]["contact_phone"] == "13812345678"


def test_impossible_transitions_are_409_naming_the_state(client, network, request_for, make_staff):
    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    refused = patch(client, staff, request_id, assignment_id, action="resolve", outcome="resolved")
    assert refused.status_code == 409 and "offered" in refused.json["message"]
    assert patch(client, staff, request_id, assignment_id, action="accept").status_code == 200
    replayed = patch(client, staff, request_id, assignment_id, action="accept")   # a replayed transition
    assert replayed.status_code == 409 and "accepted" in replayed.json["message"]


def test_staff_of_another_institution_and_administrators_outside_scope_get_403(
        client, network, request_for, make_staff, make_admin):
    request_id, assignment_id = request_for()
    other_staff = make_staff("hz-staff", network["hangzhou"])
    zhejiang = make_admin("zj-manager", region_code="330000")
    for headers in (other_staff, zhejiang):
        assert patch(client, headers, request_id, assignment_id, action="accept").status_code == 403
        assert client.get(f"/api/v1/service-requests/{request_id}", headers=headers).status_code == 403
        assert client.get("/api/v1/service-requests", headers=headers).json == []
    jiangsu = make_admin("js-editor", region_code=JIANGSU, role="editor")
    assert patch(client, jiangsu, request_id, assignment_id, action="accept").status_code == 200


def test_anonymous_is_401_and_unknown_assignment_404(client, network, request_for, make_staff):
    request_id, assignment_id = request_for()
    assert client.get("/api/v1/service-requests").status_code == 401
    assert client.get(f"/api/v1/service-requests/{request_id}").status_code == 401
    assert patch(client, {}, request_id, assignment_id, action="accept").status_code == 401
    staff = make_staff("gusu-staff", network["county"])
    assert patch(client, staff, request_id, 999999, action="accept").status_code == 404
    assert patch(client, staff, 999999, assignment_id, action="accept").status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"action": "decline"}, "reason"),
    ({"action": "forward"}, "to_institution_id"),
    ({"action": "resolve", "outcome": "great"}, "outcome"),
    ({"action": "explode"}, "action"),
    ({"action": "accept", "reason": "x"}, "reason"),
    ({"action": "forward", "to_institution_id": 999999}, "to_institution_id"),
])
def test_bad_actions_are_422_in_both_languages(client, network, request_for, make_staff, body, field):
    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    response = patch(client, staff, request_id, assignment_id, **body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"] and response.json["errors_zh"][field]


def test_forward_hands_it_to_another_institution_with_the_note(client, network, request_for, make_staff):
    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    forwarded = patch(client, staff, request_id, assignment_id, action="forward",
                      to_institution_id=network["municipal"], note="金额较大，请市中心对接")
    assert forwarded.json["status"] == "forwarded"
    suzhou = make_staff("sz-staff", network["municipal"])
    listed = client.get("/api/v1/service-requests?status=offered", headers=suzhou).json
    assert [r["id"] for r in listed] == [request_id]
    assert [a["institution_id"] for a in listed[0]["assignments"]] == [network["municipal"]]
    assert "contact" not in listed[0]                               # the list never carries contact details
    assert client.get(f"/api/v1/service-requests/{request_id}", headers=staff).json.get("contact") is None


def test_declined_by_everyone_goes_up_the_chain(client, network, request_for, make_staff):
    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    assert patch(client, staff, request_id, assignment_id, action="decline", reason="不在服务范围").status_code == 200
    suzhou = make_staff("sz-staff", network["municipal"])
    detail = client.get(f"/api/v1/service-requests/{request_id}", headers=suzhou).json
    new = detail["assignments"]
    assert [(a["institution_id"], a["source"], a["status"]) for a in new] == [
        (network["municipal"], "escalated", "offered")]


def test_each_transition_and_each_contact_view_is_audited(app, client, network, request_for, make_staff):
    from sqlalchemy import select

    from directory.audit.models import AuditEntry
    from directory.database import write_session

    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    patch(client, staff, request_id, assignment_id, action="accept")
    client.get(f"/api/v1/service-requests/{request_id}", headers=staff)
    with app.app_context(), write_session() as session:
        entries = session.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity_id)
                                  .where(AuditEntry.entity.in_(("service_assignment", "service_request")))).all()
    assert ("gusu-staff", "request_accept", assignment_id) in entries
    assert ("gusu-staff", "view_contact", request_id) in entries


def test_simultaneous_transitions_happen_once(app, network, request_for, make_staff):
    """Four accepts at once: one is carried out, the others are 409 (row lock on PostgreSQL, write lock on SQLite)."""
    from concurrent.futures import ThreadPoolExecutor

    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()

    def accept(_n):
        return patch(app.test_client(), staff, request_id, assignment_id, action="accept").status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = sorted(pool.map(accept, range(4)))
    assert codes == [200, 409, 409, 409]


def test_the_audit_log_page_shows_the_transitions(app, client, network, request_for, make_staff, make_admin):
    from pages.html_reading import csrf_token_in

    staff = make_staff("gusu-staff", network["county"])
    request_id, assignment_id = request_for()
    patch(client, staff, request_id, assignment_id, action="accept")
    make_admin("auditor")
    web = app.test_client()
    login = web.get("/admin/login").get_data(as_text=True)
    web.post("/admin/login", data={"username": "auditor", "password": "correct-horse-battery",
                                   "csrf_token": csrf_token_in(login)})
    page = web.get("/admin/audit?entity=service_assignment")
    assert page.status_code == 200 and "request_accept" in page.get_data(as_text=True)
