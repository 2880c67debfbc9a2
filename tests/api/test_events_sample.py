"""The sample events as `seed` loads them: a past year and a coming year, schedules and outcomes."""
import json
from datetime import datetime, timezone


def all_events(client):
    response = client.get("/api/v1/events?page_size=100")
    assert json.loads(response.headers["X-Pagination"])["total"] == 100
    return response.json


def test_sample_events_span_a_past_and_a_coming_year_relative_to_today(sample_client):
    events = all_events(sample_client)
    now = datetime.now(timezone.utc)
    starts = [datetime.fromisoformat(e["starts_at"]) for e in events]
    assert sum(s < now for s in starts) >= 50 and sum(s > now for s in starts) >= 40
    assert all(e["status"] in ("completed", "cancelled") for e in events
               if datetime.fromisoformat(e["ends_at"]) < now)
    assert sum(e["registration_open"] for e in events) >= 20          # the calendar has events to join
    assert {e["level"] for e in events} == {"national", "provincial", "municipal", "county"}


def test_completed_sample_events_have_schedules_and_outcomes(sample_client):
    totals = [sample_client.get(f"/api/v1/events/{e['id']}").json["totals"]
              for e in all_events(sample_client) if e["status"] == "completed"]
    assert all(t["meetings"] > 0 for t in totals if t["accepted"])
    assert sum(t["deals"] for t in totals) == 462
    assert sum(t["amount_financed_yuan"] for t in totals) > 1_000_000_000
    assert all(t["smes_served"] <= t["accepted"] for t in totals)


def test_event_calendar_and_an_event_page_render_the_sample(sample_client):
    assert sample_client.get("/events").status_code == 200
    assert sample_client.get("/events?when=past").status_code == 200
    event = next(e for e in all_events(sample_client) if e["status"] == "completed")
    page = sample_client.get(f"/events/{event['id']}").get_data(as_text=True)
    assert event["title"] in page and 'data-total="deals"' in page
