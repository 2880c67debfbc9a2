"""The SME's side: the private tracking link, rating a resolved request once, reopening within 7 days."""
from datetime import timedelta

import pytest

from directory.timestamps import utcnow


@pytest.fixture
def resolved(client, network, submit, make_staff):
    """A request resolved by 姑苏区's centre: (token, request id, staff headers, assignment id)."""
    body = submit(institution_ids=[network["county"]]).json
    token, assignment = body["tracking_url"].rsplit("/", 1)[1], body["assignments"][0]["id"]
    staff = make_staff("gusu-staff", network["county"])
    url = f"/api/v1/service-requests/{body['id']}/assignments/{assignment}"
    client.patch(url, json={"action": "accept"}, headers=staff)
    client.patch(url, json={"action": "resolve", "outcome": "resolved", "note": "已放款"}, headers=staff)
    return token, body["id"], staff, assignment


def test_the_tracking_link_shows_the_timeline_without_contact_details(client, resolved):
    token, request_id, _staff, _assignment = resolved
    tracked = client.get(f"/api/v1/service-requests/track/{token}")
    assert tracked.status_code == 200
    assert [line["action"] for line in tracked.json["timeline"]][-1] == "resolve"
    assert tracked.json["timeline"][-1]["note"] == "已放款" and tracked.json["may_rate"] is True
    text = tracked.get_data(as_text=True)
    assert "13812345678" not in text and "王经理" not in text and "contact" not in tracked.json
    page = client.get(f"/service-requests/track/{token}")
    assert page.status_code == 200 and "已放款" in page.get_data(as_text=True)


def test_guessed_tokens_find_nothing(client, resolved):
    token = resolved[0]
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, "1", "../" * 14 + "a", "x" * 500):
        assert client.get(f"/api/v1/service-requests/track/{guess}").status_code == 404
        assert client.post(f"/api/v1/service-requests/track/{guess}/feedback", json={"rating": 5}).status_code == 404


def test_rating_once_closes_the_request(client, resolved):
    token = resolved[0]
    rated = client.post(f"/api/v1/service-requests/track/{token}/feedback", json={"rating": 5, "comment": "很及时"})
    assert rated.status_code == 201 and rated.json["rating"] == 5
    again = client.post(f"/api/v1/service-requests/track/{token}/feedback", json={"rating": 1})
    assert again.status_code == 409
    assert client.get(f"/api/v1/service-requests/track/{token}").json["status"] == "closed"


@pytest.mark.parametrize("body", [{"rating": 0}, {"rating": 6}, {"rating": "five"}, {}, {"rating": 3, "comment": "好" * 3000}])
def test_bad_ratings_are_422(client, resolved, body):
    response = client.post(f"/api/v1/service-requests/track/{resolved[0]}/feedback", json=body)
    assert response.status_code == 422 and response.json["errors_zh"]


def test_an_unresolved_request_cannot_be_rated_or_reopened(client, network, submit):
    token = submit(institution_ids=[network["county"]]).json["tracking_url"].rsplit("/", 1)[1]
    assert client.post(f"/api/v1/service-requests/track/{token}/feedback", json={"rating": 4}).status_code == 409
    assert client.post(f"/api/v1/service-requests/track/{token}/reopen", json={"reason": "没人联系"}).status_code == 409


def test_reopen_within_seven_days_gives_it_back_to_the_institution(client, resolved):
    token, request_id, staff, assignment = resolved
    reopened = client.post(f"/api/v1/service-requests/track/{token}/reopen", json={"reason": "贷款并未到账"})
    assert reopened.status_code == 200, reopened.json
    assert reopened.json["status"] == "in_progress"
    mine = client.get(f"/api/v1/service-requests/{request_id}", headers=staff).json["assignments"][0]
    assert mine["status"] == "accepted" and mine["outcome"] is None
    assert reopened.json["timeline"][-1]["note"] == "贷款并未到账"


def test_reopen_after_seven_days_is_refused(app, client, resolved):
    from directory.database import write_session
    from directory.service_requests.models import Assignment

    token, _request_id, _staff, assignment = resolved
    with app.app_context(), write_session() as session, session.begin():
        session.get(Assignment, assignment).resolved_at = utcnow() - timedelta(days=8)
    refused = client.post(f"/api/v1/service-requests/track/{token}/reopen", json={"reason": "太晚了"})
    assert refused.status_code == 409 and "7 days" in refused.json["message"]
