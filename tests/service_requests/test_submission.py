"""Submitting a service request (no login): the contract's 201, default providers, duplicates, consent, bad input."""
import pytest
from service_request_support import GUSU, NEED, submission

from directory.credit_code import make_credit_code


def test_submission_goes_to_the_chosen_institutions_with_deadlines(client, network, submit):
    response = submit(institution_ids=[network["municipal"], network["county"]])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "open" and body["duplicate"] is False
    assert [a["institution_id"] for a in body["assignments"]] == [network["municipal"], network["county"]]
    assert all(a["status"] == "offered" and a["accept_by"] for a in body["assignments"])
    token = body["tracking_url"].rsplit("/", 1)[1]
    assert len(token) == 43
    tracked = client.get(f"/api/v1/service-requests/track/{token}")
    assert tracked.status_code == 200 and tracked.json["id"] == body["id"]
    assert "contact" not in tracked.json and "13812345678" not in tracked.get_data(as_text=True)


def test_by_default_the_first_in_chain_provider_per_detected_need(network, submit):
    body = submit(need="想申请银行贷款，同时咨询专利申请").json
    ids = [a["institution_id"] for a in body["assignments"]]
    assert network["county"] in ids                      # financing, on the county tier of 姑苏区
    assert network["county_ip"] in ids                   # ip
    assert network["hangzhou"] not in ids and len(ids) <= 3


def test_same_phone_and_need_within_a_day_is_the_same_request(client, network, submit):
    first = submit().json
    again = submit(contact_phone="138 1234 5678", need=f"  {NEED} ")
    assert again.status_code == 200
    assert again.json["id"] == first["id"] and again.json["duplicate"] is True
    assert again.json["tracking_url"] is None            # the private link is given once only
    other = submit(contact_phone="0512-65012345")
    assert other.status_code == 201 and other.json["id"] != first["id"]


def test_consent_is_required(client, network, submit):
    for consent in (False, None, "yes", 1):
        response = submit(consent=consent)
        assert response.status_code == 422
        assert "consent" in response.json["errors"] and response.json["errors_zh"]["consent"]
    missing = submission()
    del missing["consent"]
    response = client.post("/api/v1/service-requests", json=missing)
    assert response.status_code == 422 and "consent" in response.json["errors"]


@pytest.mark.parametrize("changes,field", [
    ({"contact_phone": "12345"}, "contact_phone"),
    ({"contact_phone": "1381234567"}, "contact_phone"),
    ({"contact_phone": "+1 415 555 0100"}, "contact_phone"),
    ({"contact_phone": "65012345"}, "contact_phone"),                   # landline without its area code
    ({"need": "贷" * 10_000}, "need"),
    ({"need": "贷"}, "need"),
    ({"region_code": "999999"}, "region_code"),
    ({"region_code": "abc"}, "region_code"),
    ({"credit_code": "91320508MA1X2Y3W40"}, "credit_code"),            # wrong check character
    ({"institution_ids": [999999]}, "institution_ids"),
    ({"institution_ids": [1, 2, 3, 4]}, "institution_ids"),
    ({"institution_ids": []}, None),                                    # empty list: the default providers
    ({"contact_email": "not-an-address"}, "contact_email"),
    ({"contact_name": "王\x00经理"}, "contact_name"),
    ({"enterprise_name": None}, "enterprise_name"),
])
def test_hostile_fields_are_refused_in_both_languages(network, submit, changes, field):
    response = submit(**changes)
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    chinese = " ".join(response.json["errors_zh"][field])
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese), chinese


def test_chinese_messages_name_this_features_fields(network, submit):
    body = submit(contact_phone="12345", need="贷").json
    assert "大陆号码" in body["errors_zh"]["contact_phone"][0]
    assert body["errors_zh"]["need"][0].startswith("需求说明")


def test_phone_numbers_are_kept_in_one_form(app, network, submit):
    from directory.database import write_session
    from directory.service_requests.models import ServiceRequest

    ids = [submit(contact_phone=phone, need=f"贷款需求 {n}").json["id"]
           for n, phone in enumerate(["+86 138-1234-5678", "０５１２－６５０１２３４５", "010 1234 5678 转 801"])]
    with app.app_context(), write_session() as session:
        assert [session.get(ServiceRequest, i).contact_phone for i in ids] == [
            "13812345678", "0512-65012345", "010-12345678-801"]


def test_a_valid_credit_code_is_optional(network, submit):
    assert submit(credit_code=None).status_code == 201
    assert submit(credit_code=make_credit_code("91320508MA1X2Y3W5"), need="另一个贷款需求").status_code == 201


def test_a_need_nobody_on_the_chain_serves_asks_for_a_choice(network, submit):
    response = submit(need="想找人帮忙设计一个外贸网站的多语言版本")
    assert response.status_code in (201, 422)
    if response.status_code == 422:
        assert "need" in response.json["errors"] and response.json["errors_zh"]["need"]


def test_submissions_are_rate_limited(empty_database_url, network):
    from directory import create_app

    limited = create_app({"DATABASE_URL": empty_database_url, "TESTING": True,
                          "RATELIMIT_STORAGE_URI": "memory://"})
    client = limited.test_client()
    codes = [client.post("/api/v1/service-requests", json=submission(contact_phone=f"1391234{n:04d}")).status_code
             for n in range(7)]
    assert codes[:5] == [201] * 5 and codes[-1] == 429


def test_simultaneous_double_submissions_make_one_request(app, network):
    """Two identical submissions at once (a double click) give one request, on SQLite and PostgreSQL."""
    from concurrent.futures import ThreadPoolExecutor

    def send(_n):
        return app.test_client().post("/api/v1/service-requests", json=submission()).json["id"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(send, range(4)))
    assert len(set(ids)) == 1


def test_choosing_the_providers_holds_no_write_lock(app, network, submit, monkeypatch):
    """Matching may first update the process's index (seconds at 200,000 institutions): meanwhile
    other writers must not wait for this submission (a load test saw 503s when they did)."""
    from sqlalchemy import text

    from directory.database import get_engine, writing
    from directory.service_requests import service

    original, others_could_write = service.route, []

    def route_while_another_writer_writes(session, *, fields):
        with writing(get_engine()).begin() as other:   # another request's write transaction
            other.execute(text("SELECT 1"))
            if get_engine().dialect.name == "sqlite":
                other.execute(text("PRAGMA busy_timeout = 0"))   # would fail at once if the lock were held
            other.execute(text("UPDATE directory_revision SET value = value WHERE id = 1"))
            others_could_write.append(True)
        return original(session, fields=fields)

    monkeypatch.setattr(service, "route", route_while_another_writer_writes)
    assert submit().status_code == 201
    assert others_could_write == [True]
