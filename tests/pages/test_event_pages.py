"""Event pages: the calendar, an event with its registration form, the SME's confirmation page,
and the organiser's page (registrations, schedule, timetable CSV and .ics, outcomes)."""
import csv
import io
import re

from directory import create_app
from directory.database import get_engine
from events_support import GUSU, at, credit_code, event_body, open_event
from admin_forms import log_in
from html_reading import csrf_token_in, page_text, parse


def register_form(client, event_id, **overrides):
    page = client.get(f"/events/{event_id}")
    form = {"csrf_token": csrf_token_in(page.get_data(as_text=True)), "enterprise_name": "苏州芯联微电子有限公司",
            "credit_code": credit_code(7), "region_code": GUSU, "industry": "integrated_circuit", "size": "small",
            "contact_name": "王磊", "contact_phone": "13912345678", "financing_type": "ip_pledge",
            "amount_yuan": "5000000", "need": "有12项发明专利，希望以专利质押获得500万元贷款"} | overrides
    return client.post(f"/events/{event_id}/register", data=form)


def test_calendar_lists_upcoming_events_by_month_and_past_ones_separately(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    past = client.post("/api/v1/events", json=event_body(
        event["organizer_id"], title="苏州市往期银企对接会", starts_at=at(-30, 9), ends_at=at(-30, 17),
        registration_deadline=None, sessions=[], status="completed"), headers=headers).json
    upcoming = parse(client.get("/events").data)
    ids = [int(e.attrs["data-event-id"]) for e in upcoming.find_all("li", data_event_id=True)]
    assert ids == [event["id"]]
    assert upcoming.find("section", data_month=True).attrs["data-month"] == event["starts_at"][:7]
    past_page = parse(client.get("/events?when=past").data)
    assert [int(e.attrs["data-event-id"]) for e in past_page.find_all("li", data_event_id=True)] == [past["id"]]
    assert parse(client.get("/events?chain=biomedicine").data).find_all("li", data_event_id=True) == []
    english = client.get("/events?lang=en").get_data(as_text=True)
    assert "Financing events" in english and "Integrated circuits" in english


def test_detail_shows_the_event_its_financiers_and_a_registration_form(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    page = parse(client.get(f"/events/{event['id']}").data)
    text = page.text
    assert event["title"] in text and "苏州国际博览中心" in text and "苏州银行科技支行" in text
    assert len(page.find_all("tr", data_financier_id=True)) == 2
    form = page.find("form", class_="registration-form")
    assert form.find("input", name="csrf_token").attrs["value"]
    assert GUSU in [o.attrs["value"] for o in form.find("select", name="region_code").find_all("option")]
    assert page.find("a", href=f"/events/{event['id']}/calendar.ics")


def test_registering_leads_to_a_confirmation_page_and_a_duplicate_is_refused(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    response = register_form(client, event["id"])
    assert response.status_code == 303
    confirmation = client.get(response.headers["Location"])
    assert confirmation.status_code == 200
    text = page_text(confirmation.data)
    assert "苏州芯联微电子有限公司" in text and "待审核" in text and credit_code(7) in text
    again = register_form(client, event["id"], enterprise_name="另一个名字有限公司")
    assert again.status_code == 409 and "已报名本活动" in page_text(again.data)
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 1


def test_after_a_duplicate_the_sme_finds_its_confirmation_page_again(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    first = register_form(client, event["id"])
    again = register_form(client, event["id"])
    recovery = parse(again.data).find("details", id="recover")
    assert again.status_code == 409 and "open" in recovery.attrs        # offered at once, filled in
    assert recovery.find("input", name="credit_code").attrs["value"] == credit_code(7)
    token = csrf_token_in(again.get_data(as_text=True))
    found = client.post(f"/events/{event['id']}/registrations/recover",
                        data={"csrf_token": token, "credit_code": credit_code(7).lower(),
                              "contact_phone": "139-1234-5678"})
    assert found.status_code == 303 and found.headers["Location"] == first.headers["Location"]
    for wrong in ({"credit_code": credit_code(7), "contact_phone": "13900000000"},
                  {"credit_code": credit_code(8), "contact_phone": "13912345678"},
                  {"credit_code": credit_code(7), "contact_phone": "1"}):
        refused = client.post(f"/events/{event['id']}/registrations/recover", data={"csrf_token": token, **wrong})
        assert refused.status_code == 404 and "Location" not in refused.headers
        assert "没有找到与该统一社会信用代码和联系电话相符的报名" in page_text(refused.data)
    english = client.post(f"/events/{event['id']}/registrations/recover?lang=en",
                          data={"csrf_token": token, "credit_code": credit_code(8), "contact_phone": "1"})
    assert "No registration matches" in page_text(english.data)


def test_finding_a_registration_again_is_rate_limited(app, add_institution, make_admin):
    event = open_event(app.test_client(), add_institution, make_admin())
    limited = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True, "RATELIMIT_ENABLED": True})
    client = limited.test_client()
    token = csrf_token_in(client.get(f"/events/{event['id']}").get_data(as_text=True))
    answers = [client.post(f"/events/{event['id']}/registrations/recover",
                           data={"csrf_token": token, "credit_code": credit_code(n), "contact_phone": "13912345678"},
                           environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code for n in range(7)]
    with limited.app_context():
        get_engine().dispose()
    assert answers[:5] == [404] * 5 and answers[5:] == [429, 429]


def test_a_bad_credit_code_is_shown_beside_its_field_and_the_form_keeps_the_input(client, add_institution,
                                                                                   make_admin):
    event = open_event(client, add_institution, make_admin())
    bad = credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1")
    response = register_form(client, event["id"], credit_code=bad)
    assert response.status_code == 422
    page = parse(response.data)
    assert page.find(data_error_for="credit_code")
    assert page.find("input", name="credit_code").attrs["value"] == bad
    assert page.find("input", name="enterprise_name").attrs["value"] == "苏州芯联微电子有限公司"
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 0


def test_registration_without_csrf_token_is_refused(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    response = register_form(client, event["id"], csrf_token="")
    assert response.status_code == 400
    assert client.get(f"/api/v1/events/{event['id']}").json["registrations"] == 0


def test_a_full_event_shows_why_registration_is_closed(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin(), capacity=1)
    assert register_form(client, event["id"]).status_code == 303
    page = parse(client.get(f"/events/{event['id']}").data)
    assert page.find(data_closed_reason="full")
    assert not page.find_all("form", class_="registration-form")


def test_organiser_accepts_schedules_confirms_downloads_and_records_outcomes(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    eid = event["id"]
    for number in (1, 2):
        register_form(client, eid, credit_code=credit_code(number), enterprise_name=f"苏州测试企业{number}有限公司")
    log_in(client)
    manage = client.get(f"/admin/events/{eid}")
    assert manage.status_code == 200
    page = parse(manage.data)
    token = csrf_token_in(manage.get_data(as_text=True))
    for row in page.find_all("tr", data_registration_id=True):
        rid = row.attrs["data-registration-id"]
        assert client.post(f"/admin/events/{eid}/registrations/{rid}",
                           data={"status": "accepted", "csrf_token": token}).status_code == 303
    assert client.post(f"/admin/events/{eid}/schedule", data={"slot_minutes": "20", "max_meetings_per_sme": "2",
                                                              "csrf_token": token}).status_code == 303
    page = parse(client.get(f"/admin/events/{eid}").data)
    summary = page.find(data_meetings=True)
    assert int(summary.attrs["data-meetings"]) >= 2
    fit = re.search(r"平均匹配度 (\d+)%", summary.text)    # a percentage a person reads, not 32.6749
    assert fit and 1 <= int(fit.group(1)) <= 100
    bank = event["financiers"][0]["id"]
    assert page.find("details", data_financier_id=str(bank))
    assert client.post(f"/admin/events/{eid}/schedule/confirm", data={"csrf_token": token}).status_code == 303

    rows = list(csv.reader(io.StringIO(client.get(f"/admin/events/{eid}/schedule.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0][:3] == ["桌号", "金融机构", "开始"] and len(rows) >= 3
    assert {row[4] for row in rows[1:]} == {"苏州测试企业1有限公司", "苏州测试企业2有限公司"}
    ics = client.get(f"/admin/events/{eid}/financiers/{bank}/meetings.ics")
    assert ics.status_code == 200 and ics.data.count(b"BEGIN:VEVENT") >= 2

    rid = page.find_all("tr", data_registration_id=True)[0].attrs["data-registration-id"]
    assert client.post(f"/admin/events/{eid}/outcomes", data={
        "registration_id": rid, "financier_id": str(bank), "result": "signed", "amount_yuan": "3000000",
        "csrf_token": token}).status_code == 303
    totals = client.get(f"/api/v1/events/{eid}").json["totals"]
    assert totals["deals"] == 1 and totals["amount_financed_yuan"] == 3_000_000
    public = parse(client.get(f"/events/{eid}").data)
    assert public.find(data_total="amount_financed_yuan").attrs["data-value"] == "3000000"


def test_sme_sees_its_meetings_and_downloads_its_own_calendar(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    confirmation_url = register_form(client, event["id"]).headers["Location"]
    rid = client.get(f"/api/v1/events/{event['id']}/registrations", headers=headers).json[0]["id"]
    client.patch(f"/api/v1/events/{event['id']}/registrations/{rid}", json={"status": "accepted"}, headers=headers)
    client.post(f"/api/v1/events/{event['id']}/schedule", json={}, headers=headers)
    page = parse(client.get(confirmation_url).data)
    assert page.find("table", data_party="registration").find_all("tr", data_meeting_id=True)
    ics = client.get(confirmation_url + "/meetings.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data and "苏州银行科技支行".encode() in ics.data
    assert client.get(f"/events/{event['id']}/registrations/not-a-key").status_code == 404


def test_organiser_pages_need_login_and_scope(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    anonymous = client.get(f"/admin/events/{event['id']}")
    assert anonymous.status_code == 302 and "/admin/login" in anonymous.headers["Location"]
    make_admin("zhejiang", region_code="330000")
    log_in(client, "zhejiang")
    assert client.get(f"/admin/events/{event['id']}").status_code == 403
    assert client.get(f"/admin/events/{event['id']}/schedule.csv").status_code == 403
