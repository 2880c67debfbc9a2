"""Financing events over the API: list and filters, detail, admin writes in scope, registrations,
schedule and outcomes (docs/contract.md "Financing events")."""
from datetime import datetime

import pytest
from events_support import (HANGZHOU, KUNSHAN, SUZHOU, add_financier, at, credit_code, event_body, open_event,
                            registration)


def test_created_event_has_the_contract_fields_and_the_organisers_place(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    for field in ("id", "title", "organizer_id", "region_code", "starts_at", "ends_at", "status", "capacity"):
        assert field in event
    assert event["region_code"] == SUZHOU and event["level"] == "municipal"
    assert event["starts_at"].endswith("+08:00") and event["ends_at"].endswith("+08:00")
    assert event["status"] == "open" and event["registration_open"] is True
    assert [f["table_number"] for f in event["financiers"]] == [1, 2]
    assert client.get(f"/api/v1/events/{event['id']}").json["title"] == event["title"]


def test_list_filters_by_status_region_within_dates_chain_and_category(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    hangzhou = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU, ("financing",))
    later = client.post("/api/v1/events", json=event_body(
        hangzhou, title="杭州市生物医药融资路演", starts_at=at(40, 9), ends_at=at(40, 17), chains=["biomedicine"],
        categories=["financing"], registration_deadline=None, sessions=[], status="draft"), headers=headers).json

    def ids(query=""):
        response = client.get(f"/api/v1/events?{query.replace('+', '%2B')}")
        assert response.status_code == 200, response.json
        return [e["id"] for e in response.json]

    assert ids() == [event["id"], later["id"]]                     # soonest first
    assert ids("status=draft") == [later["id"]]
    assert ids("within=320000") == [event["id"]]                   # Jiangsu holds Suzhou
    assert ids(f"region_code={HANGZHOU}") == [later["id"]]
    assert ids("chain=biomedicine") == [later["id"]]
    assert ids("category=ip") == [event["id"]]
    assert ids(f"from={at(20)}") == [later["id"]]
    assert ids(f"to={at(20)}") == [event["id"]]
    assert ids("from=2020-01-01T00:00:00%2B08:00&to=2020-12-31T00:00:00%2B08:00") == []
    assert client.get("/api/v1/events?status=sleeping").status_code == 422
    assert client.get("/api/v1/events?from=yesterday").status_code == 422


@pytest.mark.parametrize("change,field", [
    ({"ends_at": at(9, 17)}, "ends_at"),                              # ends before it starts
    ({"registration_deadline": at(11)}, "registration_deadline"),     # after the event
    ({"sessions": [{"starts_at": at(9, 9), "ends_at": at(9, 11)}]}, "sessions"),  # outside the event
    ({"chains": ["astrology"]}, "chains"),
    ({"categories": ["fortune"]}, "categories"),
    ({"capacity": 0}, "capacity"),
    ({"organizer_id": 999999}, "organizer_id"),
    ({"financiers": [{"financier_id": 999999}]}, "financiers"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"title": "长" * 201}, "title"),
    ({"status": "completed"}, "status"),                              # has not started
])
def test_invalid_events_are_refused_with_the_field(client, add_institution, make_admin, change, field):
    headers = make_admin()
    organizer = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("financing",))
    response = client.post("/api/v1/events", json=event_body(organizer) | change, headers=headers)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert client.get("/api/v1/events").json == []


def test_writes_need_a_token_and_stay_inside_the_scope(client, add_institution, make_admin):
    national = make_admin()
    event = open_event(client, add_institution, national)
    zhejiang = make_admin("zhejiang", region_code="330000")
    jiangsu = make_admin("jiangsu", region_code="320000")
    assert client.post("/api/v1/events", json=event_body(event["organizer_id"])).status_code == 401
    assert client.post("/api/v1/events", json=event_body(event["organizer_id"]), headers=zhejiang).status_code == 403
    assert client.patch(f"/api/v1/events/{event['id']}", json={"capacity": 5}, headers=zhejiang).status_code == 403
    assert client.delete(f"/api/v1/events/{event['id']}", headers=zhejiang).status_code == 403
    assert client.get(f"/api/v1/events/{event['id']}/registrations", headers=zhejiang).status_code == 403
    changed = client.patch(f"/api/v1/events/{event['id']}", json={"capacity": 5}, headers=jiangsu)
    assert changed.status_code == 200 and changed.json["capacity"] == 5
    cancelled = client.delete(f"/api/v1/events/{event['id']}", headers=jiangsu)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"


def test_an_sme_registers_without_login_and_gets_its_confirmation_page(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    response = client.post(f"/api/v1/events/{event['id']}/registrations",
                           json=registration(1, credit_code=" " + credit_code(1).lower()[:8] + " " + credit_code(1)[8:]))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["credit_code"] == credit_code(1) and body["status"] == "pending"
    page = client.get(body["confirmation_url"].replace("http://localhost", ""))
    assert page.status_code == 200 and "苏州测试科技有限公司1" in page.get_data(as_text=True)
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 1


@pytest.mark.parametrize("code,message", [
    ("91320508000000001X", "Check character"),        # one character off
    ("9132050800000000", "18 characters"),
    ("91320508OOOOOOOOOO", "never has"),
])
def test_bad_credit_codes_are_refused_with_422(client, add_institution, make_admin, code, message):
    event = open_event(client, add_institution, make_admin())
    response = client.post(f"/api/v1/events/{event['id']}/registrations", json=registration(1, credit_code=code))
    assert response.status_code == 422
    assert message in " ".join(response.json["errors"]["credit_code"])
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 0


def test_duplicate_closed_and_full_events_are_refused_with_409(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers, capacity=2)
    url = f"/api/v1/events/{event['id']}/registrations"
    assert client.post(url, json=registration(1)).status_code == 201
    duplicate = client.post(url, json=registration(1, enterprise_name="换个名字有限公司"))
    assert duplicate.status_code == 409 and "credit_code" in duplicate.json["errors"]
    assert client.post(url, json=registration(2)).status_code == 201
    full = client.post(url, json=registration(3))
    assert full.status_code == 409 and "full" in full.json["message"]
    client.patch(f"/api/v1/events/{event['id']}", json={"capacity": 10, "status": "closed"}, headers=headers)
    closed = client.post(url, json=registration(4))
    assert closed.status_code == 409 and "not open" in closed.json["message"]
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 2


def test_a_passed_deadline_refuses_registration(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin(), starts_at=at(-1, 9), ends_at=at(1, 17),
                       registration_deadline=at(-2), sessions=[])
    response = client.post(f"/api/v1/events/{event['id']}/registrations", json=registration(1))
    assert response.status_code == 409 and "deadline" in response.json["message"]


def test_unknown_event_and_region_give_404_and_422(client, add_institution, make_admin):
    assert client.post("/api/v1/events/999/registrations", json=registration(1)).status_code == 404
    event = open_event(client, add_institution, make_admin())
    response = client.post(f"/api/v1/events/{event['id']}/registrations", json=registration(1, region_code="999999"))
    assert response.status_code == 422 and "region_code" in response.json["errors"]


def _register_and_accept(client, event_id, headers, numbers, **overrides):
    ids = []
    for number in numbers:
        rid = client.post(f"/api/v1/events/{event_id}/registrations", json=registration(number, **overrides)).json["id"]
        decided = client.patch(f"/api/v1/events/{event_id}/registrations/{rid}", json={"status": "accepted"},
                               headers=headers)
        assert decided.status_code == 200 and decided.json["status"] == "accepted"
        ids.append(rid)
    return ids


def test_schedule_pairs_accepted_smes_with_fitting_financiers_and_keeps_confirmed_meetings(
        client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    eid = event["id"]
    bank, fund = (f["id"] for f in event["financiers"])
    first = _register_and_accept(client, eid, headers, [1, 2])
    equity = _register_and_accept(client, eid, headers, [3], financing_type="equity",
                                  need="寻找A轮股权投资", amount_yuan=10_000_000)
    pending = client.post(f"/api/v1/events/{eid}/registrations", json=registration(9)).json["id"]

    schedule = client.post(f"/api/v1/events/{eid}/schedule", json={}, headers=headers)
    assert schedule.status_code == 200, schedule.json
    meetings = schedule.json["meetings"]
    assert {m["registration_id"] for m in meetings} == set(first + equity)       # pending gets nothing
    assert all(m["financier_id"] == bank for m in meetings if m["registration_id"] in first)
    assert [m["financier_id"] for m in meetings if m["registration_id"] in equity] == [fund]
    assert all(m["reasons"] and m["reasons_en"] and m["starts_at"].endswith("+08:00") for m in meetings)
    slots = [(m["financier_id"], m["slot"]) for m in meetings]
    assert len(slots) == len(set(slots))

    confirmed = client.post(f"/api/v1/events/{eid}/schedule/confirm", headers=headers).json["meetings"]
    kept = {(m["registration_id"], m["financier_id"], m["slot"]) for m in confirmed}
    late = _register_and_accept(client, eid, headers, [4])
    rebuilt = client.post(f"/api/v1/events/{eid}/schedule", json={}, headers=headers).json["meetings"]
    assert kept <= {(m["registration_id"], m["financier_id"], m["slot"]) for m in rebuilt}
    assert late[0] in {m["registration_id"] for m in rebuilt}
    assert client.post(f"/api/v1/events/{eid}/schedule", json={"slot_minutes": 30},
                       headers=headers).status_code == 409                       # confirmed slots are 20 min
    declined = client.patch(f"/api/v1/events/{eid}/registrations/{first[0]}", json={"status": "declined"},
                            headers=headers)
    assert declined.status_code == 200
    after = client.get(f"/api/v1/events/{eid}/schedule", headers=headers).json["meetings"]
    assert first[0] not in {m["registration_id"] for m in after}
    assert pending not in {m["registration_id"] for m in after}


def test_outcomes_add_up_to_the_event_totals(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    eid, bank = event["id"], event["financiers"][0]["id"]
    ids = _register_and_accept(client, eid, headers, [1, 2, 3])
    client.post(f"/api/v1/events/{eid}/schedule", json={}, headers=headers)
    url = f"/api/v1/events/{eid}/outcomes"
    assert client.post(url, json={"registration_id": ids[0], "financier_id": bank, "result": "signed",
                                  "amount_yuan": 3_000_000}, headers=headers).status_code == 201
    assert client.post(url, json={"registration_id": ids[1], "financier_id": bank, "result": "intention"},
                       headers=headers).status_code == 201
    # recording the same pair again replaces the earlier outcome
    assert client.post(url, json={"registration_id": ids[0], "financier_id": bank, "result": "signed",
                                  "amount_yuan": 4_000_000}, headers=headers).status_code == 201
    refused = client.post(url, json={"registration_id": ids[2], "result": "signed"}, headers=headers)
    assert refused.status_code == 422 and "amount_yuan" in refused.json["errors"]
    totals = client.get(f"/api/v1/events/{eid}").json["totals"]
    assert totals["deals"] == 1 and totals["intentions"] == 1
    assert totals["amount_financed_yuan"] == 4_000_000
    assert totals["smes_served"] == 3 and totals["meetings"] >= 3
    assert len(client.get(url, headers=headers).json) == 2


def test_financiers_are_listed_and_validated(client, make_admin):
    headers = make_admin()
    add_financier(client, headers, "南京银行科技支行")
    assert [f["name"] for f in client.get("/api/v1/financiers").json] == ["南京银行科技支行"]
    body = {"name": "X银行", "type": "bank", "financing_types": ["magic"]}
    bad = client.post("/api/v1/financiers", json=body, headers=headers)
    assert bad.status_code == 422 and "financing_types" in bad.json["errors"]
    body |= {"financing_types": ["credit_loan"], "amount_min_yuan": 5, "amount_max_yuan": 1}
    bad = client.post("/api/v1/financiers", json=body, headers=headers)
    assert bad.status_code == 422 and "amount_max_yuan" in bad.json["errors"]
    assert len(client.get("/api/v1/financiers").json) == 1


def test_event_calendar_file_is_valid_icalendar(client, add_institution, make_admin):
    from icalendar import Calendar

    event = open_event(client, add_institution, make_admin())
    response = client.get(f"/events/{event['id']}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    entry = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(entry["summary"]) == event["title"]
    assert entry.decoded("dtstart") == datetime.fromisoformat(event["starts_at"])
    assert entry.decoded("dtend") == datetime.fromisoformat(event["ends_at"])
    assert str(entry["location"]) == event["venue"]


def test_match_lists_open_events_in_the_smes_chain_that_fit_its_need(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    client.post("/api/v1/events", json=event_body(event["organizer_id"], title="苏州市筹备中的对接会",
                                                   status="draft"), headers=headers)

    def events(need, region_code):
        response = client.post("/api/v1/match", json={"need": need, "region_code": region_code})
        assert response.status_code == 200
        return response.json["events"]

    found = events("想用专利做质押贷款", "320508")
    assert [e["id"] for e in found] == [event["id"]]
    assert found[0]["starts_at"].endswith("+08:00") and found[0]["url"].endswith(f"/events/{event['id']}")
    assert events("想用专利做质押贷款", "330106") == []            # Hangzhou is outside Suzhou's chain
    assert events("客户拖欠货款，想打官司", "320508") == []         # a legal need: not this event's topic
    assert events("你好", "320508") == []


def test_two_smes_racing_for_the_last_seat_get_one_seat_between_them(app, client, add_institution, make_admin):
    import threading

    event = open_event(client, add_institution, make_admin(), capacity=1)
    barrier, statuses = threading.Barrier(4), []

    def register(number):
        local = app.test_client()
        barrier.wait()
        statuses.append(local.post(f"/api/v1/events/{event['id']}/registrations",
                                   json=registration(number)).status_code)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 409, 409, 409]
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 1


def test_match_sees_an_event_change_of_this_process_at_once_and_of_another_within_the_copys_age(
        app, client, add_institution, make_admin, monkeypatch):
    """Open events are kept per process (directory.process_copy): the bounds the README states."""
    import time

    from sqlalchemy import text

    from directory.database import get_engine
    from directory.events import for_need

    monkeypatch.setattr(for_need, "MAX_AGE_SECONDS", 0.3)
    headers = make_admin()
    event = open_event(client, add_institution, headers)

    def found():
        return [e["id"] for e in client.post("/api/v1/match", json={
            "need": "想用专利做质押贷款", "region_code": "320508"}).json["events"]]

    assert found() == [event["id"]]                                   # created in this process: seen at once
    assert client.delete(f"/api/v1/events/{event['id']}", headers=headers).status_code in (200, 204)
    assert found() == []                                              # cancelled here: gone from the next answer
    with app.app_context(), get_engine().begin() as connection:      # reopened as another process would
        connection.execute(text("UPDATE financing_event SET status = 'open' WHERE id = :id"), {"id": event["id"]})
    time.sleep(0.35)
    assert found() == [event["id"]]
