"""The three rates: requests, response, resolution and satisfaction, hours to accept, escalations; by level,
by province, in a division, as of a past day. Plain function and API."""
from datetime import timedelta

from sqlalchemy import select

from directory.database import write_session
from directory.service_requests.clock import tick
from directory.service_requests.models import Assignment
from directory.timestamps import utcnow


def test_the_rates_after_the_clock(app, client, rated_requests):
    late = rated_requests()
    with app.app_context(), write_session() as session, session.begin():   # its deadline passed a minute ago
        session.scalar(select(Assignment).where(Assignment.request_id == late["id"])).accept_by = (
            utcnow() - timedelta(minutes=1))
    with app.app_context(), write_session() as session, session.begin():
        tick(session, now=utcnow())
    stats = client.get("/api/v1/stats/service").json
    assert stats["requests"] == 3 and stats["escalations"] == 1
    # Due: two accepted in time, the late one expired (the escalated one is not yet due).
    assert stats["response_rate"] == round(2 / 3, 4)
    assert stats["resolution_rate"] == round(1 / 3, 4)
    assert stats["satisfaction_rate"] == 0.5
    assert stats["median_hours_to_accept"] is not None and stats["median_hours_to_accept"] < 1
    county = next(level for level in stats["levels"] if level["level"] == "county")
    municipal = next(level for level in stats["levels"] if level["level"] == "municipal")
    assert county["requests"] == 3 and municipal["requests"] == 1 and municipal["escalations"] == 1
    assert municipal["response_rate"] is None                        # nothing due there yet
    assert [p["region_code"] for p in stats["provinces"]] == ["320000"]


def test_a_division_and_a_past_day(client, rated_requests):
    rated_requests()
    assert client.get("/api/v1/stats/service?region_code=330000").json["requests"] == 0
    assert client.get("/api/v1/stats/service?region_code=320508").json["requests"] == 3
    yesterday = (utcnow() - timedelta(days=2)).date().isoformat()
    past = client.get(f"/api/v1/stats/service?as_of={yesterday}").json
    assert past["requests"] == 0 and past["response_rate"] is None and past["satisfaction_rate"] is None


def test_bad_queries_are_422(client):
    for query in ("region_code=999999", "region_code=abc", "as_of=2999-01-01", "as_of=yesterday"):
        response = client.get(f"/api/v1/stats/service?{query}")
        assert response.status_code == 422, query
        assert response.json["errors_zh"]


def test_no_contact_details_in_statistics(client, rated_requests):
    rated_requests()
    text = client.get("/api/v1/stats/service").get_data(as_text=True)
    assert "1380000000" not in text and "王经理" not in text
