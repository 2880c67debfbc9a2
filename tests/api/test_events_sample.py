"""The sample events as `seed` loads them: a past year and a coming year, schedules and outcomes."""
import json
import re
from datetime import datetime, timedelta, timezone

from directory.sample_events import retitled


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


def test_sample_titles_name_the_year_and_month_the_event_is_held_in(sample_client):
    """Dates move with the day of loading; the years and months written in titles move with them."""
    dated = 0
    for event in all_events(sample_client):
        start = datetime.fromisoformat(event["starts_at"])      # China Standard Time (+08:00)
        years = re.findall(r"(\d{4})年", event["title"])
        months = re.findall(r"\d{4}年(\d{1,2})月", event["title"])
        assert all(int(year) == start.year for year in years), (event["title"], event["starts_at"])
        assert all(int(month) == start.month for month in months), (event["title"], event["starts_at"])
        dated += bool(years)
    assert dated >= 90


def test_retitling_handles_year_only_and_year_month_titles():
    march = datetime(2027, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert retitled("苏州市融资对接会（2027年2月）", march) == "苏州市融资对接会（2027年3月）"
    assert retitled("2026年苏州市科技保险与科技信贷对接会", march) == "2027年苏州市科技保险与科技信贷对接会"
    assert retitled("苏州市2026年12月银企对接会", march) == "苏州市2027年3月银企对接会"
