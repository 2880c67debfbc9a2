"""Administration of institutions: the list in scope, the forms, status, verification, exports."""
import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from directory.database import write_session
from directory.institutions.models import Institution
from directory.timestamps import utcnow
from admin_forms import log_in
from html_reading import csrf_token_in, page_text, parse

JIANGSU, SUZHOU, GUSU, HANGZHOU = "320000", "320500", "320508", "330100"


def token(client) -> str:
    return csrf_token_in(client.get("/admin/institutions/new").get_data(as_text=True))


def stored(app, institution_id: int) -> Institution:
    with app.app_context(), write_session() as session:
        institution = session.get(Institution, institution_id)
        session.expunge(institution)
        return institution


def count(app) -> int:
    with app.app_context(), write_session() as session:
        return session.scalar(select(func.count()).select_from(Institution))


def all_institutions(app) -> list[Institution]:
    with app.app_context(), write_session() as session:
        rows = list(session.scalars(select(Institution)))
        session.expunge_all()
        return rows


def form(csrf: str, **overrides) -> dict:
    return {"csrf_token": csrf, "name": "苏州市知识产权服务中心", "level": "municipal", "region_code": SUZHOU,
            "services": ["ip", "legal"], "description": "专利申请与维权", "address": "苏州市姑苏区人民路100号",
            "phone": "0512-65012345", "email": "ip@example.cn", "website": "https://ip.example.cn",
            "operator": "苏州市工业和信息化局"} | overrides


def listed_ids(response) -> set[int]:
    return {int(tr.attrs["data-institution-id"]) for tr in parse(response.data).find_all("tr", data_institution_id=True)}


@pytest.fixture
def jiangsu(client, make_admin):
    """Logged in as an editor of Jiangsu."""
    make_admin("jiangsu", JIANGSU)
    log_in(client, "jiangsu")
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client, add_institution):
    iid = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    for path in ("/admin/institutions", "/admin/institutions/new", f"/admin/institutions/{iid}/edit",
                 "/admin/institutions/export.csv", "/admin/institutions/export.hsds.json"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"], path
    assert client.post(f"/admin/institutions/{iid}/verify").status_code in (302, 400)
    assert stored(client.application, iid).verified_at is None


def test_list_shows_only_institutions_in_scope_with_filters(jiangsu, add_institution):
    suzhou = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    gusu = add_institution("姑苏区企业服务站", "county", GUSU, services=("legal",))
    hangzhou = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU)
    national = add_institution("国家中小企业发展促进中心", "national", None)
    response = jiangsu.get("/admin/institutions")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert listed_ids(response) == {suzhou, gusu}
    text = page_text(response.data)
    assert "苏州市中小企业服务中心" in text and "杭州" not in text
    assert listed_ids(jiangsu.get("/admin/institutions?q=姑苏")) == {gusu}
    assert listed_ids(jiangsu.get("/admin/institutions?level=county")) == {gusu}
    assert listed_ids(jiangsu.get("/admin/institutions?service=legal")) == {gusu}
    assert listed_ids(jiangsu.get(f"/admin/institutions?region_code={GUSU}")) == {gusu}
    outside = jiangsu.get(f"/admin/institutions?region_code={HANGZHOU}")
    assert listed_ids(outside) == {suzhou, gusu} and f"region_code={HANGZHOU}" in page_text(outside.data)
    page = parse(response.data)
    province = page.find("select", data_region_select="0")
    assert [o.attrs["value"] for o in province.find_all("option") if o.attrs["value"]] == [JIANGSU]
    assert page.find("a", href=f"/admin/institutions/{suzhou}/edit")
    assert page.find("a", data_export="csv").attrs["href"].startswith("/admin/institutions/export.csv")
    assert national not in listed_ids(response) and hangzhou not in listed_ids(response)


def test_national_administrator_sees_everything(client, make_admin, add_institution):
    make_admin()
    log_in(client)
    ids = {add_institution("苏州市中小企业服务中心", "municipal", SUZHOU),
           add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU),
           add_institution("国家中小企业发展促进中心", "national", None)}
    assert listed_ids(client.get("/admin/institutions")) == ids


def test_creating_an_institution_leads_to_its_edit_page(jiangsu, app):
    response = jiangsu.post("/admin/institutions/new", data=form(token(jiangsu)))
    assert response.status_code == 303
    iid = int(response.headers["Location"].rstrip("/edit").rsplit("/", 1)[-1])
    saved = stored(app, iid)
    assert saved.name == "苏州市知识产权服务中心" and saved.region_code == SUZHOU
    assert saved.operator == "苏州市工业和信息化局" and not saved.demonstration_platform   # granted on the edit page
    assert saved.services == ["ip", "legal"] and saved.email == "ip@example.cn"
    page = jiangsu.get(response.headers["Location"])
    assert "已新增机构" in page_text(page.data)
    assert parse(page.data).find("a", href=f"/admin/institutions/{iid}/history")


def test_cascading_selects_send_every_level_and_the_deepest_wins(jiangsu, app):
    response = jiangsu.post("/admin/institutions/new", data=form(
        token(jiangsu), level="county", name="姑苏区企业服务站", region_code=[JIANGSU, SUZHOU, GUSU]))
    assert response.status_code == 303
    assert [i.region_code for i in all_institutions(app)] == [GUSU]



@pytest.mark.parametrize("overrides, field", [
    ({"phone": "call me"}, "phone"),
    ({"region_code": HANGZHOU}, "region_code"),
    ({"level": "county"}, "region_code"),           # a prefecture is no place for a county institution
    ({"level": "national", "region_code": ""}, "region_code"),   # national is outside a province's scope
    ({"services": []}, "services"),
    ({"name": ""}, "name"),
    ({"website": "ftp://x.cn"}, "website"),
])
def test_invalid_input_is_refused_beside_the_field_and_kept(jiangsu, app, overrides, field):
    response = jiangsu.post("/admin/institutions/new", data=form(token(jiangsu), **overrides))
    assert response.status_code == 422
    page = parse(response.data)
    assert page.find("small", data_error_for=field)
    assert page.find("input", name="address").attrs["value"] == "苏州市姑苏区人民路100号"
    assert count(app) == 0


def test_editing_changes_the_fields_and_validates_like_the_api(jiangsu, app, add_institution):
    iid = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    page = parse(jiangsu.get(f"/admin/institutions/{iid}/edit").data)
    assert page.find("input", name="name").attrs["value"] == "苏州市中小企业服务中心"
    response = jiangsu.post(f"/admin/institutions/{iid}/edit", data=form(
        token(jiangsu), name="苏州市中小企业公共服务中心", phone="400-123-4567"))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/admin/institutions/{iid}/edit")
    saved = stored(app, iid)
    assert saved.name == "苏州市中小企业公共服务中心" and saved.phone == "400-123-4567" and saved.services == ["ip", "legal"]
    refused = jiangsu.post(f"/admin/institutions/{iid}/edit", data=form(token(jiangsu), region_code=HANGZHOU))
    assert refused.status_code == 422 and parse(refused.data).find("small", data_error_for="region_code")
    assert stored(app, iid).region_code == SUZHOU


def test_suspend_close_and_reopen(jiangsu, app, add_institution):
    iid = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    csrf = token(jiangsu)
    for status in ("suspended", "closed", "active"):
        response = jiangsu.post(f"/admin/institutions/{iid}/status", data={"csrf_token": csrf, "status": status})
        assert response.status_code == 303
        saved = stored(app, iid)
        assert saved.status == status and (saved.closed_at is not None) == (status == "closed")
    assert jiangsu.post(f"/admin/institutions/{iid}/status",
                        data={"csrf_token": csrf, "status": "gone"}).status_code == 400
    assert jiangsu.post(f"/admin/institutions/{iid}/status", data={"status": "closed"}).status_code == 400
    assert stored(app, iid).status == "active"


def test_verifying_records_who_and_when_but_not_an_update(jiangsu, app, add_institution):
    iid = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    before = stored(app, iid)
    response = jiangsu.post(f"/admin/institutions/{iid}/verify", data={"csrf_token": token(jiangsu)})
    assert response.status_code == 303
    after = stored(app, iid)
    assert after.verified_by == "jiangsu" and utcnow() - after.verified_at < timedelta(minutes=1)
    assert after.updated_at == before.updated_at
    assert "jiangsu" in page_text(jiangsu.get(f"/admin/institutions/{iid}/edit").data)


def test_unverified_filter_lists_those_never_or_long_ago_verified(jiangsu, app, add_institution):
    never = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    old = add_institution("姑苏区企业服务站", "county", GUSU)
    recent = add_institution("江苏省中小企业服务中心", "provincial", JIANGSU)
    with app.app_context(), write_session() as session, session.begin():
        session.get(Institution, old).verified_at = utcnow() - timedelta(days=400)
        session.get(Institution, recent).verified_at = utcnow() - timedelta(days=30)
    assert listed_ids(jiangsu.get("/admin/institutions?unverified=1")) == {never, old}
    assert listed_ids(jiangsu.get("/admin/institutions")) == {never, old, recent}


def test_out_of_scope_institutions_are_forbidden(jiangsu, app, add_institution):
    iid = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU)
    national = add_institution("国家中小企业发展促进中心", "national", None)
    csrf = token(jiangsu)
    assert jiangsu.get(f"/admin/institutions/{iid}/edit").status_code == 403
    assert jiangsu.get(f"/admin/institutions/{national}/edit").status_code == 403
    assert jiangsu.post(f"/admin/institutions/{iid}/edit", data=form(csrf, region_code=HANGZHOU)).status_code == 403
    assert jiangsu.post(f"/admin/institutions/{iid}/status", data={"csrf_token": csrf, "status": "closed"}).status_code == 403
    assert jiangsu.post(f"/admin/institutions/{iid}/verify", data={"csrf_token": csrf}).status_code == 403
    saved = stored(app, iid)
    assert saved.name == "杭州市中小企业服务中心" and saved.status == "active" and saved.verified_at is None
    assert jiangsu.get("/admin/institutions/999999/edit").status_code == 404


def test_csv_export_is_spreadsheet_safe_and_in_scope(jiangsu, add_institution):
    add_institution('=HYPERLINK("http://evil.example")', "municipal", SUZHOU, description="=1+1")
    add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU)
    response = jiangsu.get("/admin/institutions/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil.example\")" and rows[0]["description"] == "'=1+1"
    assert rows[0]["region"] == "江苏省 / 苏州市" and "verified_at" in rows[0]


def test_exports_follow_the_current_filter(jiangsu, add_institution):
    add_institution("苏州市中小企业服务中心", "municipal", SUZHOU)
    gusu = add_institution("姑苏区企业服务站", "county", GUSU)
    records = jiangsu.get("/admin/institutions/export.json?level=county").json
    assert [r["id"] for r in records] == [gusu]
    assert {"verified_at", "verified_by", "region_code", "services"} <= records[0].keys()


def test_xlsx_export_opens_and_holds_the_institutions(jiangsu, add_institution):
    add_institution("=1+1 服务中心", "municipal", SUZHOU)
    add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU)
    response = jiangsu.get("/admin/institutions/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert "机构名录" in book.sheetnames            # named in the page's language
    sheet = book["机构名录"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(values) == 1 and values[0][1] == "=1+1 服务中心"
    assert sheet.cell(row=3, column=2).data_type == "s"


def test_hsds_export_is_the_filtered_list_in_scope_as_valid_hsds(jiangsu, add_institution):
    """The old download (five arrays of invented fields) is replaced by HSDS 3.0 packages that validate."""
    from hsds.validation import assert_valid
    suzhou = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, services=("ip", "policy"),
                             address="苏州市姑苏区人民路100号")
    add_institution("南京市中小企业服务中心", "municipal", "320100", services=("ip",))
    add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU)
    document = json.loads(jiangsu.get(f"/admin/institutions/export.hsds.json?region_code={SUZHOU}").data)
    assert [o["name"] for o in document["organizations"]] == ["苏州市中小企业服务中心"]
    assert {s["name"] for s in document["services"]} == {"苏州市中小企业服务中心 · 知识产权",
                                                         "苏州市中小企业服务中心 · 政策服务"}
    assert_valid(document["organizations"], "organization.json")
    assert_valid(document["services"], "service.json")
    address = document["organizations"][0]["locations"][0]["addresses"][0]
    assert (address["state_province"], address["city"], address["country"]) == ("江苏省", "苏州市", "CN")
    archive = zipfile.ZipFile(io.BytesIO(jiangsu.get("/admin/institutions/export.hsds.zip").data))
    organizations = list(csv.DictReader(io.StringIO(archive.read("organizations.csv").decode("utf-8"))))
    assert sorted(o["name"] for o in organizations) == ["南京市中小企业服务中心", "苏州市中小企业服务中心"]
    assert suzhou
