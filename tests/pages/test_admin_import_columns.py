"""The web import shows how each column is read, lets the administrator choose, and remembers the choice."""
import io

import pytest
from admin_forms import log_in, post_upload
from html_reading import csrf_token_in, page_text, parse
from sqlalchemy import select
from published_lists import as_csv, as_xlsx, list_rows

from directory.database import write_session
from directory.institutions.import_mapping import ImportColumnMapping

pytestmark = pytest.mark.usefixtures("upload_folder")

UNKNOWN_TITLE = "平台（基地）全称"


def upload(client, data: bytes, filename="名单.csv", query=""):
    return post_upload(client, data, filename, path=f"/admin/import{query}")


def choices(page) -> dict[str, str]:
    """Column title -> the field selected for it."""
    rows = parse(page.data).find("table", class_="import-column-choices").find_all("tr", data_column=True)
    return {row.attrs["data-column"]: row.attrs["data-field"] for row in rows}


def recheck(client, page, chosen: dict[str, str]):
    form = parse(page.data).find("form", class_="import-columns")
    data = {"csrf_token": csrf_token_in(page.data)}
    for index, title in enumerate(choices(page), start=1):
        data[f"title-{index}"] = title
        data[f"column-{index}"] = chosen.get(title, choices(page)[title])
    return client.post(form.attrs["action"], data=data)


def unknown_title_list(name: str) -> bytes:
    return as_csv([["2024年度省级中小企业公共服务示范平台名单"], ["序号", UNKNOWN_TITLE, "所在地区", "服务内容"],
                   ["1", name, "安徽省芜湖市", "政策咨询、投融资"]])


def test_a_published_workbook_shows_its_columns_levels_and_categories_then_goes_in(client, make_admin):
    make_admin()
    log_in(client)
    page = upload(client, as_xlsx(list_rows()), "名单.xlsx")
    assert choices(page) == {"序号": "ignore", "平台名称": "name", "运营单位": "operator", "所在地区": "region_code",
                             "主要服务": "services", "联系电话": "phone", "备注": "ignore"}
    report = parse(page.data)
    assert report.find(id="import-summary").attrs["data-created"] == "47"
    wuhu = report.find("tr", data_row="24")
    assert wuhu.find("td", class_="row-level").attrs["data-level"] == "municipal" and "按所在地推定" in wuhu.text
    assert "投融资服务" in wuhu.find("td", class_="row-categories").text
    action = report.find("form", class_="import-apply").attrs["action"]
    done = client.post(action, data={"csrf_token": csrf_token_in(page.data)})
    assert done.status_code == 200 and parse(done.data).find(id="import-summary").attrs["data-created"] == "47"


def test_choosing_a_column_rechecks_the_file_and_is_remembered_for_the_next_upload(client, make_admin):
    make_admin()
    make_admin("other")
    log_in(client)
    page = upload(client, unknown_title_list("芜湖市中小企业服务平台"))
    assert choices(page)[UNKNOWN_TITLE] == "ignore"
    assert parse(page.data).find("tr", data_row="2", data_field="name")        # the name column is missing
    assert not parse(page.data).find_all("form", class_="import-apply")

    again = recheck(client, page, {UNKNOWN_TITLE: "name"})
    assert again.status_code == 200 and choices(again)[UNKNOWN_TITLE] == "name"
    action = parse(again.data).find("form", class_="import-apply").attrs["action"]
    assert client.post(action, data={"csrf_token": csrf_token_in(again.data)}).status_code == 200
    assert [i["name"] for i in client.get("/api/v1/institutions?region_code=340200").json] == ["芜湖市中小企业服务平台"]

    later = upload(client, unknown_title_list("芜湖市企业服务平台"))
    assert choices(later)[UNKNOWN_TITLE] == "name"
    assert parse(later.data).find(id="import-summary").attrs["data-rejected"] == "0"

    client.post("/admin/logout", data={"csrf_token": csrf_token_in(later.data)})
    log_in(client, "other")
    assert choices(upload(client, unknown_title_list("芜湖市企业服务平台")))[UNKNOWN_TITLE] == "ignore"


def test_a_choice_that_is_not_a_field_is_refused(client, make_admin):
    make_admin()
    log_in(client)
    page = upload(client, unknown_title_list("芜湖市中小企业服务平台"))
    assert recheck(client, page, {UNKNOWN_TITLE: "colour"}).status_code == 400


@pytest.mark.parametrize("query, shown, hidden", [
    ("", "没有名为“火星市”的行政区划。", "No division is called"),
    ("?lang=en", "No division is called 火星市.", "没有名为"),
])
def test_problems_are_shown_with_their_column_in_the_page_language(client, make_admin, query, shown, hidden):
    make_admin()
    log_in(client)
    page = upload(client, as_csv([["名称", "所在地区", "服务内容", "电子邮箱"],
                                  ["火星市服务平台", "火星市", "政策咨询", "not-an-email"]]), query=query)
    rows = parse(page.data).find("table", class_="import-rejected").find_all("tr", data_row="2")
    assert {r.attrs["data-field"] for r in rows} == {"region_code", "email"}
    place = next(r for r in rows if r.attrs["data-field"] == "region_code")
    assert "所在地区" in place.text and shown in place.text and hidden not in place.text



def stored_mapping(app) -> dict:
    with app.app_context(), write_session() as session:
        return session.scalars(select(ImportColumnMapping)).one().mapping


def test_only_choices_that_differ_from_the_synonyms_are_remembered(app, client, make_admin):
    make_admin()
    log_in(client)
    page = upload(client, unknown_title_list("芜湖市中小企业服务平台"))
    recheck(client, page, {UNKNOWN_TITLE: "name", "服务内容": "services"})
    assert stored_mapping(app) == {"平台(基地)全称": "name"}
    recheck(client, upload(client, unknown_title_list("芜湖市企业服务平台")), {UNKNOWN_TITLE: "ignore"})
    assert stored_mapping(app) == {}


def batch_list(name: str) -> bytes:
    return as_csv([["序号", "平台名称", "所在地区", "服务内容", "认定年份"], ["1", name, "江苏省苏州市", "创业辅导", "2022年"]])


def selected_kind(page) -> str:
    return parse(page.data).find("select", name="designation_kind").find("option", selected=True).attrs["value"]


def test_the_kind_of_a_batch_column_is_chosen_on_upload_kept_with_the_file_and_bilingual(app, client, make_admin):
    from directory.designations.models import Designation

    make_admin()
    log_in(client)
    english = client.get("/admin/import?lang=en")
    assert "Designation kind of the batch or year column" in page_text(english.data)
    options = parse(english.data).find("select", name="designation_kind").find_all("option")
    assert [o.text.strip() for o in options][2] == (
        "National entrepreneurship and innovation demonstration base for small and micro enterprises")
    assert selected_kind(client.get("/admin/import")) == "national_demo_platform"
    token = csrf_token_in(client.get("/admin/import").get_data(as_text=True))
    page = client.post("/admin/import", data={"csrf_token": token, "designation_kind": "provincial_base",
                                              "file": (io.BytesIO(batch_list("苏州创业基地")), "名单.csv")},
                       content_type="multipart/form-data")
    assert page.status_code == 200 and selected_kind(page) == "provincial_base"
    page = recheck(client, page, {})   # a re-check without the field keeps the kind chosen on upload
    assert selected_kind(page) == "provincial_base"
    action = parse(page.data).find("form", class_="import-apply").attrs["action"]
    assert client.post(action, data={"csrf_token": csrf_token_in(page.data)}).status_code == 200
    with app.app_context(), write_session() as session:
        assert [(d.kind, d.batch) for d in session.scalars(select(Designation))] == [("provincial_base", "2022年")]
    bad = client.post("/admin/import", data={"csrf_token": token, "designation_kind": "<script>",
                                             "file": (io.BytesIO(batch_list("无锡创业基地")), "名单.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "designation kind is not valid" in bad.get_data(as_text=True)   # lang=en stays
