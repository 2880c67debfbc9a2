"""Every form a person submits, refused: each field's problem beside it at once, in Chinese (English
with ?lang=en), what was typed kept; a Chinese page never shows an untranslated validation message."""
import inspect
import re
from datetime import date
from pathlib import Path

import marshmallow.fields
import marshmallow.validate
import pytest
from html_reading import csrf_token_in, page_text, parse
from events_support import at, open_event

from directory.database import write_session
from directory.institutions.designations import grant_designation
from directory.error_messages import _EXACT, _PATTERNS
from directory.institutions.models import Institution

HAN = re.compile(r"[\u4e00-\u9fff]")
PASSWORD = "correct-horse-battery"
PO_FILE = Path(__file__).parents[2] / "directory" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _literal_start(message: str) -> str:
    """The fixed words a formatted message starts with ("Must be one of: {choices}." -> "Must be one of:")."""
    return re.split(r"[{(\\^$]|%\(", message.lstrip("^"), maxsplit=1)[0].strip()


def english_vocabulary() -> set[str]:
    """What a Chinese page must never show: marshmallow's and WTForms' default messages, the project's own
    English validation messages, and every English translation of the catalogue of three words or more."""
    messages = set(_EXACT) | {pattern for pattern, _chinese in _PATTERNS}
    for module in (marshmallow.fields, marshmallow.validate):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            messages |= set(getattr(cls, "default_error_messages", {}).values())
            messages |= {getattr(cls, a) for a in dir(cls) if a.startswith(("message", "default_message"))
                         and isinstance(getattr(cls, a), str)}
    messages |= {"This field is required.", "Not a valid choice", "Invalid input.", "Field must be",
                 "Invalid email address.", "The CSRF token"}
    catalogue = PO_FILE.read_text(encoding="utf-8")
    messages |= {m.replace('\\"', '"') for m in re.findall(r'^msgstr "(.+)"$', catalogue, re.M)}
    starts = {_literal_start(m) for m in messages}
    return {s for s in starts if len(s.split()) >= 3 or (len(s) >= 12 and " " in s)}


VOCABULARY = sorted(english_vocabulary(), key=len, reverse=True)


def untranslated(text: str) -> list[str]:
    return [words for words in VOCABULARY if words in text]


# --- the world the forms are submitted in --------------------------------------------------------

class World:
    """A logged-in national manager, an open event with financiers, an institution with a designation."""

    def __init__(self, client, app, make_admin, add_institution):
        self.client = client
        self.headers = headers = make_admin()
        short_session = [{"starts_at": at(10, 9, 30), "ends_at": at(10, 10, 0)}]   # 30 minutes
        self.event = open_event(client, add_institution, headers, sessions=short_session)["id"]
        self.institution = add_institution("姑苏区中小企业服务中心", "county", "320508", ("policy",))
        with app.app_context(), write_session() as session, session.begin():
            granted = grant_designation(session, institution=session.get(Institution, self.institution),
                                        kind="provincial_base", batch="2021年", granted_on=date(2021, 9, 1))
            self.designation = granted.id
        self.login()

    def login(self):
        token = csrf_token_in(self.client.get("/admin/login").data)
        assert self.client.post("/admin/login", data={"username": "national", "password": PASSWORD,
                                                      "csrf_token": token}).status_code == 303

    def post(self, form_page: str, path: str, query: str, data: dict, **extra):
        token = csrf_token_in(self.client.get(form_page + query).data)
        return self.client.post(path + query, data={"csrf_token": token} | data, **extra)


@pytest.fixture
def world(client, app, make_admin, add_institution):
    return World(client, app, make_admin, add_institution)


def log_out_and_fail_login(w, q):
    w.client.post("/admin/logout", data={"csrf_token": csrf_token_in(w.client.get("/admin/").data)})
    return w.post("/admin/login", "/admin/login", q, {"username": "  ", "password": ""})


# name, how the form is submitted, {field: what its Chinese message says}, {field: what stays typed}
FORMS = [
    ("admin login", log_out_and_fail_login,
     {"username": "请输入用户名", "password": "请输入密码"}, {}),
    ("new account", lambda w, q: w.post("/admin/accounts/new", "/admin/accounts/new", q, {
        "username": "x", "password": "abc", "role": "god", "region_code": "12"}),
     {"username": "用户名须为", "password": "密码至少需要", "role": "不是有效的选择", "region_code": "6 位数字"},
     {"username": "x", "region_code": "12"}),
    ("own password", lambda w, q: w.post("/admin/password", "/admin/password", q, {
        "old_password": "", "new_password": "abc", "confirm": "xyz"}),
     {"old_password": "请输入当前密码", "new_password": "密码至少需要", "confirm": "不一致"}, {}),
    ("account password reset", lambda w, q: w.post("/admin/accounts", f"/admin/accounts/{w.other_account}/password",
                                                   q, {"password": "abc"}),
     {"password": "密码至少需要"}, {}),
    ("schedule options", lambda w, q: w.post(f"/admin/events/{w.event}", f"/admin/events/{w.event}/schedule", q, {
        "slot_minutes": "500", "max_meetings_per_sme": "0"}),
     {"slot_minutes": "须在 5 到 120 之间", "max_meetings_per_sme": "须在 1 到 20 之间"},
     {"slot_minutes": "500", "max_meetings_per_sme": "0"}),
    ("schedule longer than a session", lambda w, q: w.post(
        f"/admin/events/{w.event}", f"/admin/events/{w.event}/schedule", q, {"slot_minutes": "45"}),
     {"slot_minutes": "不够一个 45 分钟的洽谈时段"}, {"slot_minutes": "45"}),
    ("outcome", lambda w, q: w.post(f"/admin/events/{w.event}", f"/admin/events/{w.event}/outcomes", q, {
        "registration_id": "", "result": "signed", "amount_yuan": "", "note": "第一次洽谈"}),
     {"registration_id": "不能为空", "amount_yuan": "须填写金额"}, {"note": "第一次洽谈"}),
    ("outcome, every field nonsense", lambda w, q: w.post(
        f"/admin/events/{w.event}", f"/admin/events/{w.event}/outcomes", q, {
            "registration_id": "abc", "financier_id": "999999", "result": "maybe", "amount_yuan": "1e99"}),
     {"registration_id": "须为整数", "financier_id": "未参加本活动", "result": "须为以下之一", "amount_yuan": "金额"}, {}),
    ("designation grant", lambda w, q: w.post(
        f"/admin/institutions/{w.institution}/edit", f"/admin/institutions/{w.institution}/designations", q, {
            "kind": "provincial_base", "granted_on": "2024-02-30", "batch": "批" * 101, "granted_by": "省工信厅"}),
     {"kind": "请先撤销", "granted_on": "YYYY-MM-DD", "batch": "超过 100 个字符"}, {"granted_by": "省工信厅"}),
    ("designation revoke", lambda w, q: w.post(
        f"/admin/institutions/{w.institution}/edit",
        f"/admin/institutions/{w.institution}/designations/{w.designation}/revoke", q, {"revoked_on": "2099-01-01"}),
     {"revoked_on": "撤销日期不能晚于今天"}, {"revoked_on": "2099-01-01"}),
    ("merge", lambda w, q: w.post(f"/admin/institutions/{w.institution}/history",
                                  f"/admin/institutions/{w.institution}/merge", q, {"into": "不存在的机构甲乙丙"}),
     {"into": "没有找到要保留的机构"}, {"into": "不存在的机构甲乙丙"}),
    ("import without a file", lambda w, q: w.post("/admin/import", "/admin/import", q, {
        "designation_kind": "national_demo_platform"}),
     {"file": "请选择要上传的"}, {}),
    ("confirmation page recovery", lambda w, q: w.post(
        f"/events/{w.event}", f"/events/{w.event}/registrations/recover", q, {"credit_code": "", "contact_phone": " "}),
     {"recover-credit_code": "请填写统一社会信用代码", "recover-contact_phone": "请填写报名时的联系电话"}, {}),
]
IDS = [name for name, *_rest in FORMS]


def field_errors(response) -> dict[str, str]:
    return {small.attrs["data-error-for"]: small.text
            for small in parse(response.data).find_all("small", data_error_for=True)}


def typed(response, name: str) -> str:
    element = next(e for e in parse(response.data).iter() if e.attrs.get("name") == name and e.tag != "meta")
    return element.attrs.get("value", "")


@pytest.fixture
def submitted(world, make_admin, request):
    """Submit the form of ``request.param`` (a name in FORMS, with its language) and return the answer."""
    name, lang = request.param
    world.other_account = _other_account(world, make_admin)
    submit = dict((n, s) for n, s, *_ in FORMS)[name]
    return submit(world, "?lang=en" if lang == "en" else "")


def _other_account(world, make_admin) -> int:
    make_admin("kunshan-editor", region_code="320583", role="editor")
    listing = parse(world.client.get("/admin/accounts").data)
    return int(next(row.attrs["data-account-id"] for row in listing.find_all("tr", data_account_id=True)
                    if row.attrs["data-username"] == "kunshan-editor"))


@pytest.mark.parametrize("submitted, expected, kept", [((name, "zh"), expected, kept) for name, _s, expected, kept
                                                        in FORMS], ids=IDS, indirect=["submitted"])
def test_every_problem_beside_its_field_in_chinese_with_the_input_kept(submitted, expected, kept):
    assert 400 <= submitted.status_code < 500, submitted.status_code
    errors = field_errors(submitted)
    assert set(expected) <= set(errors), errors
    for field, chinese in expected.items():
        assert chinese in errors[field], (field, errors[field])
        assert HAN.search(errors[field]), errors[field]
    for field, value in kept.items():
        assert typed(submitted, field) == value, field
    assert not untranslated(page_text(submitted.data)), untranslated(page_text(submitted.data))


@pytest.mark.parametrize("submitted, expected", [((name, "en"), expected) for name, _s, expected, _k in FORMS],
                         ids=IDS, indirect=["submitted"])
def test_every_problem_beside_its_field_in_english_with_lang_en(submitted, expected):
    assert 400 <= submitted.status_code < 500, submitted.status_code
    errors = field_errors(submitted)
    assert set(expected) <= set(errors), errors
    assert not [text for text in errors.values() if HAN.search(text)], errors


def test_the_vocabulary_catches_an_untranslated_message():
    from directory.error_messages import chinese_message

    assert untranslated("请检查此项：Missing data for required field.")
    assert untranslated(chinese_message("need", "Must be greater than or equal to 1 and less than or equal to 5!"))
    assert not untranslated(chinese_message("need", "Missing data for required field."))
    assert "Not a valid choice" in VOCABULARY and len(VOCABULARY) > 100


def test_an_import_row_reports_its_bad_email_and_its_unknown_region_together(world):
    import io

    token = csrf_token_in(world.client.get("/admin/import").data)
    sheet = "name,level,region_code,services,email\n昆山市知识产权服务中心,county,999999,ip,not-an-email\n"
    page = world.client.post("/admin/import", data={"csrf_token": token, "designation_kind": "national_demo_platform",
                                                    "file": (io.BytesIO(sheet.encode()), "名单.csv")},
                             content_type="multipart/form-data")
    rejected = parse(page.data).find("table", class_="import-rejected")
    rows = {row.attrs["data-field"]: row.text for row in rejected.find_all("tr", data_row="2")}
    assert set(rows) == {"region_code", "email"}
    assert "999999" in rows["region_code"] and "不是有效的电子邮箱地址" in rows["email"]
    assert not untranslated(page_text(page.data))


# --- the default language: Chinese, whatever the browser asks for ----------------------------------

def html_lang(response) -> str:
    return parse(response.data).find("html").attrs["lang"]


@pytest.mark.parametrize("header", ["en-US,en;q=0.9", "en-GB", "zh-CN,zh;q=0.9,en;q=0.8", "fr-FR", ""])
def test_pages_are_chinese_until_the_visitor_chooses_english(client, header):
    response = client.get("/institutions", headers={"Accept-Language": header} if header else {})
    assert html_lang(response) == "zh-CN"
    assert "Cookie" in response.headers.get("Vary", "")


def test_lang_and_the_remembered_choice_decide_the_language(client):
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    assert html_lang(client.get("/institutions?lang=en", headers=english_browser)) == "en"
    assert html_lang(client.get("/institutions", headers=english_browser)) == "en"   # the cookie remembers
    assert html_lang(client.get("/institutions?lang=zh", headers=english_browser)) == "zh-CN"
    assert html_lang(client.get("/institutions", headers=english_browser)) == "zh-CN"


def test_a_refused_form_answers_in_the_chosen_language(client):
    token = csrf_token_in(client.get("/admin/login?lang=en").data)
    refused = client.post("/admin/login?lang=en", data={"csrf_token": token, "username": "", "password": ""})
    errors = field_errors(refused)
    assert errors["username"] == "Please enter your username." and not HAN.search(" ".join(errors.values()))


@pytest.mark.parametrize("refusal", [
    "Confirmed meetings use 20-minute slots; keep that length or cancel the confirmation first.",
    "No meeting slot fits into the event's sessions.", "No financier takes part in this event yet."])
def test_each_schedule_refusal_reads_in_chinese(refusal):
    from directory.error_messages import chinese_message

    chinese = chinese_message("schedule", refusal)
    assert HAN.search(chinese) and not untranslated(chinese), chinese


@pytest.mark.parametrize("address", [
    "/institutions?level=galactic&service=nonsense&region_code=999999",
    "/events?from=2024-13-45&status=nonsense&financing_type=x",
    "/stats?as_of=yesterday&region_code=999999&category=nonsense",
    "/find?need=%E6%88%91%E4%BB%AC%E9%9C%80%E8%A6%81%E9%92%B1&region_code=999999",
    "/admin/audit?since=yesterday&until=2024-02-30",
    "/admin/institutions?level=galactic&unverified=maybe",
])
def test_search_forms_with_nonsense_say_so_in_chinese(world, address):
    response = world.client.get(address)
    assert response.status_code == 200
    assert not untranslated(page_text(response.data)), untranslated(page_text(response.data))


def test_an_api_grant_reports_every_rule_it_breaks_at_once_in_both_languages(world):
    response = world.client.post(f"/api/v1/institutions/{world.institution}/designations", headers=world.headers,
                                 json={"kind": "provincial_base", "granted_by": "省\x07工信厅"})
    assert response.status_code == 422
    body = response.json
    assert set(body["errors"]) == set(body["errors_zh"]) == {"kind", "granted_by"}, body
    assert not any(HAN.search(m) for ms in body["errors"].values() for m in ms)
    assert all(HAN.search(m) and not untranslated(m) for ms in body["errors_zh"].values() for m in ms)
