"""The administration's import pages: upload, dry-run report with duplicate choices, apply."""
import io

import pytest
from admin_forms import log_in, post_upload
from html_reading import csrf_token_in, parse

pytestmark = pytest.mark.usefixtures("upload_folder")

HEADER = "name,level,region_code,services,phone\n"
EXISTING = "苏州市中小企业公共服务中心"
NEAR = "苏州市中小企业服务中心"


def upload(client, text: str, filename="institutions.csv"):
    return post_upload(client, text.encode(), filename)


def institutions(client, region_code):
    return client.get(f"/api/v1/institutions?region_code={region_code}&page_size=100").json


def test_import_pages_need_a_login(client):
    assert client.get("/admin/import").status_code == 302
    assert client.post("/admin/import").status_code in (302, 400)


def test_upload_report_then_apply_with_update(client, make_admin, add_institution, upload_folder):
    make_admin()
    existing = add_institution(EXISTING, "municipal", "320500")
    log_in(client)
    page = upload(client, HEADER + f"{NEAR},municipal,320500,policy;ip,0512-65000001\n"
                                   "昆山市中小企业服务中心,county,320583,policy,\n")
    assert page.status_code == 200
    report = parse(page.data)
    assert report.find(id="import-summary").attrs["data-applied"] == "false"
    duplicate = report.find("tr", data_duplicate_row="2")
    assert duplicate.attrs["data-existing-id"] == str(existing) and float(duplicate.attrs["data-similarity"]) >= 85
    assert duplicate.find("a", href=f"/institutions/{existing}")
    choices = {i.attrs["value"] for i in duplicate.find_all("input", type="radio", name="decision-2")}
    assert choices == {"skip", "update", "create"}
    assert institutions(client, "320500")[0]["id"] == existing and len(institutions(client, "320500")) == 1
    form = report.find("form", class_="import-apply")
    assert len(list(upload_folder.glob("*.upload"))) == 1

    without_token = client.post(form.attrs["action"], data={"decision-2": "update"})
    assert without_token.status_code == 400
    done = client.post(form.attrs["action"], data={"decision-2": "update", "csrf_token": csrf_token_in(page.data)})
    assert done.status_code == 200
    result = parse(done.data)
    summary = result.find(id="import-summary")
    assert (summary.attrs["data-applied"], summary.attrs["data-created"], summary.attrs["data-updated"]) == (
        "true", "1", "1")
    assert result.find("tr", data_row="2").attrs["data-action"] == "update"
    [updated] = institutions(client, "320500")
    assert updated["id"] == existing and updated["name"] == EXISTING and updated["phone"] == "0512-65000001"
    assert len(institutions(client, "320583")) == 1
    assert list(upload_folder.glob("*.upload*")) == []
    again = client.post(form.attrs["action"], data={"decision-2": "update", "csrf_token": csrf_token_in(page.data)})
    assert again.status_code == 404


def test_rejected_rows_are_listed_and_nothing_can_be_applied(client, make_admin, upload_folder):
    make_admin("jiangsu", region_code="320000")
    log_in(client, "jiangsu")
    page = upload(client, HEADER + "昆山市中小企业服务中心,county,320583,policy,\n"
                                   "杭州市中小企业公共服务中心,municipal,330100,policy,\n")
    report = parse(page.data)
    assert report.find("tr", data_row="3", data_field="region_code")
    assert not report.find_all("form", class_="import-apply")
    # The file is kept so that its columns can be read differently, but applying it anyway changes nothing.
    token = report.find("form", class_="import-columns").attrs["action"].split("/")[-2]
    forced = client.post(f"/admin/import/{token}/apply", data={"csrf_token": csrf_token_in(page.data)})
    assert forced.status_code == 422 and institutions(client, "320583") == []


def test_xlsx_upload_and_garbage_file(client, make_admin):
    from openpyxl import Workbook

    make_admin()
    log_in(client)
    book = Workbook()
    book.active.append(["名称", "层级", "地区代码", "服务类别"])
    book.active.append(["昆山市中小企业服务中心", "县级", 320583, "policy"])
    buffer = io.BytesIO()
    book.save(buffer)
    token = csrf_token_in(client.get("/admin/import").get_data(as_text=True))
    page = client.post("/admin/import", data={"csrf_token": token, "file": (io.BytesIO(buffer.getvalue()), "x.xlsx")},
                       content_type="multipart/form-data")
    summary = parse(page.data).find(id="import-summary")
    assert summary.attrs["data-created"] == "1" and summary.attrs["data-rejected"] == "0"
    garbage = client.post("/admin/import", data={"csrf_token": token, "file": (io.BytesIO(bytes(range(256))), "x.bin")},
                          content_type="multipart/form-data")
    assert parse(garbage.data).find("tr", data_row="0", data_field="file")


def test_a_token_of_another_administrator_or_a_bad_token_is_not_found(client, make_admin, add_institution):
    make_admin()
    make_admin("second")
    log_in(client)
    page = upload(client, HEADER + "昆山市中小企业服务中心,county,320583,policy,\n")
    action = parse(page.data).find("form", class_="import-apply").attrs["action"]
    client.post("/admin/logout", data={"csrf_token": csrf_token_in(page.data)})
    log_in(client, "second")
    token = csrf_token_in(client.get("/admin/import").get_data(as_text=True))
    assert client.post(action, data={"csrf_token": token}).status_code == 404
    assert client.post("/admin/import/..%2F..%2Fetc/apply", data={"csrf_token": token}).status_code == 404
    assert institutions(client, "320583") == []


def test_missing_file_shows_the_form_again(client, make_admin):
    make_admin()
    log_in(client)
    token = csrf_token_in(client.get("/admin/import").get_data(as_text=True))
    response = client.post("/admin/import", data={"csrf_token": token})
    assert response.status_code == 400 and parse(response.data).find(data_error="file")
