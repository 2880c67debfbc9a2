"""Whole error reports in the visitor's language: every field's problem at once, beside the field, in
Chinese (English with ?lang=en), the input kept; API 422 bodies carry the Chinese beside the English."""
import re

import pytest

from error_body import assert_chinese_errors, error_keys
from events_support import GUSU, credit_code, event_body, open_event, registration
from html_reading import csrf_token_in, parse

ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[ ,.;:]+[A-Za-z]{2,}")   # two English words in a row
HAN = re.compile(r"[\u4e00-\u9fff]")


def field_errors(response) -> dict[str, str]:
    """The text beside each field that has a problem."""
    return {small.attrs["data-error-for"]: small.text
            for small in parse(response.data).find_all("small", data_error_for=True)}


def assert_chinese(errors: dict[str, str]) -> None:
    """Each error beside a field reads in Chinese: no English sentence left untranslated."""
    for field, text in errors.items():
        assert HAN.search(text) and not ENGLISH_WORDS.search(text), (field, text)


@pytest.fixture
def admin_client(client, make_admin):
    make_admin()
    page = client.get("/admin/login").get_data(as_text=True)
    response = client.post("/admin/login", data={"username": "national", "password": "correct-horse-battery",
                                                 "csrf_token": csrf_token_in(page)})
    assert response.status_code in (302, 303)
    return client


def bad_institution(client, query: str = "") -> dict:
    page = client.get(f"/admin/institutions/new{query}").get_data(as_text=True)
    return {"csrf_token": csrf_token_in(page), "name": "昆山市知识产权服务中心", "level": "county",
            "region_code": "", "services": [], "phone": "call us", "email": "not-an-email",
            "website": "ftp://x.cn", "address": "昆山市前进西路1号", "description": "", "operator": ""}


def test_admin_form_shows_every_problem_at_once_in_chinese_and_keeps_the_input(admin_client):
    response = admin_client.post("/admin/institutions/new", data=bad_institution(admin_client))
    assert response.status_code == 422
    errors = field_errors(response)
    # The schema's problems and the rules' (a county institution needs its county) in one answer.
    assert {"services", "region_code", "phone", "email", "website"} <= set(errors), errors
    assert_chinese(errors)
    assert "县级机构需要填写所在地区" in errors["region_code"]
    assert "至少需要一个服务类别" in errors["services"]
    page = parse(response.data)
    assert page.find("input", name="email").attrs["value"] == "not-an-email"
    assert page.find("input", name="address").attrs["value"] == "昆山市前进西路1号"


def test_admin_form_in_english_shows_the_english_messages(admin_client):
    response = admin_client.post("/admin/institutions/new?lang=en", data=bad_institution(admin_client, "?lang=en"))
    assert response.status_code == 422
    errors = field_errors(response)
    assert "At least one service category is required." in errors["services"]
    assert "A county institution needs a region code." in errors["region_code"]
    assert "Not a valid email address." in errors["email"]
    assert not any(HAN.search(text) for text in errors.values()), errors


def register(client, event_id: int, query: str = "", **overrides):
    page = client.get(f"/events/{event_id}{query}").get_data(as_text=True)
    form = {"csrf_token": csrf_token_in(page), "region_code": GUSU} | {
        k: str(v) for k, v in registration(7).items() if k != "region_code"} | overrides
    return client.post(f"/events/{event_id}/register{query}", data=form)


BAD_REGISTRATION = {"credit_code": credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1"),
                    "contact_phone": "call us", "contact_email": "not-an-email", "amount_yuan": "0",
                    "enterprise_name": "王"}


def test_registration_form_shows_every_problem_at_once_in_chinese(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    response = register(client, event["id"], **BAD_REGISTRATION)
    assert response.status_code == 422
    errors = field_errors(response)
    assert {"credit_code", "contact_phone", "contact_email", "amount_yuan", "enterprise_name"} <= set(errors)
    assert_chinese(errors)
    assert "校验位不符" in errors["credit_code"]
    assert parse(response.data).find("input", name="contact_phone").attrs["value"] == "call us"


@pytest.mark.parametrize("credit, shown", [("91320500MA1X", "须为 18 位"), ("91320500MA1XOOOOOO", "不会出现的字符")])
def test_each_credit_code_problem_reads_in_chinese(client, add_institution, make_admin, credit, shown):
    event = open_event(client, add_institution, make_admin())
    errors = field_errors(register(client, event["id"], credit_code=credit))
    assert shown in errors["credit_code"]
    assert_chinese(errors)


def test_registration_form_in_english_shows_the_english_messages(client, add_institution, make_admin):
    event = open_event(client, add_institution, make_admin())
    errors = field_errors(register(client, event["id"], "?lang=en", **BAD_REGISTRATION))
    assert "Check character does not match (GB 32100)" in errors["credit_code"]
    assert "Not a valid phone number" in errors["contact_phone"]
    assert not any(HAN.search(text) for text in errors.values()), errors


def test_api_422_bodies_carry_the_chinese_beside_the_english(client, add_institution, make_admin):
    headers = make_admin()
    event = open_event(client, add_institution, headers)
    institution = client.post("/api/v1/institutions", headers=headers, json={
        "name": "昆", "level": "county", "services": [], "email": "x", "phone": "call us"})
    bad_event = client.post("/api/v1/events", headers=headers, json=event_body(
        event["organizer"]["id"] if "organizer" in event else event["organizer_id"],
        ends_at="2020-01-01T09:00:00+08:00", capacity=0, registration_deadline="2099-01-01T00:00:00+08:00"))
    bad_registration = client.post(f"/api/v1/events/{event['id']}/registrations", json=registration(
        9, credit_code="91320500MA1X", contact_phone="call us", amount_yuan=0, size="giant"))
    for response in (institution, bad_event, bad_registration):
        assert response.status_code == 422, response.json
        body = response.json
        assert set(body) == error_keys(422)
        assert body["message"].isascii() and all(m.isascii() for ms in body["errors"].values() for m in ms)
        assert_chinese_errors(body)
        assert not any(ENGLISH_WORDS.search(m) for ms in body["errors_zh"].values() for m in ms), body["errors_zh"]
    assert "统一社会信用代码须为 18 位" in " ".join(bad_registration.json["errors_zh"]["credit_code"])


def test_an_untranslated_message_is_caught_by_the_chinese_check():
    from directory.error_messages import chinese_message

    assert ENGLISH_WORDS.search(chinese_message("need", "Something nobody translated yet."))
    assert not ENGLISH_WORDS.search(chinese_message("need", "Shorter than minimum length 2."))
