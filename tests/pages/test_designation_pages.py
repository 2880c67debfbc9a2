"""Designations on the pages: the institution page section, the directory filter, the admin section
(grant, revoke, refusals) and the history, in Chinese and in English."""
from datetime import date

import pytest

from directory.database import write_session
from directory.institutions.designations import grant_designation, revoke_designation
from directory.institutions.models import Institution
from directory.timestamps import today
from admin_forms import post_login
from html_reading import csrf_token_in, page_text, parse, result_ids


@pytest.fixture
def gusu(app, add_institution):
    """姑苏区's centre: operated by a company, a revoked national and an active provincial designation."""
    iid = add_institution("姑苏区中小企业服务中心", "county", "320508", ("policy",), operator="苏州古城企业服务有限公司")
    with app.app_context(), write_session() as session, session.begin():
        institution = session.get(Institution, iid)
        national = grant_designation(session, institution=institution, kind="national_demo_platform",
                                     batch="2017年", granted_on=date(2017, 12, 5))
        revoke_designation(session, designation=national, revoked_on=date(2022, 6, 30))
        grant_designation(session, institution=institution, kind="provincial_demo_platform",
                          granted_by="江苏省工业和信息化厅", batch="2021年第四批", granted_on=date(2021, 9, 1))
    return iid


def rows_of(page) -> dict[str, str]:
    """designation rows of a page: kind → "active" | "revoked"."""
    return {row.attrs["data-kind"]: "active" if row.attrs["data-active"] == "true" else "revoked"
            for row in page.by_class("designation")}


def test_institution_page_shows_operator_and_designations_in_both_languages(client, gusu):
    page = parse(client.get(f"/institutions/{gusu}").data)
    text = page_text(client.get(f"/institutions/{gusu}").data)
    assert rows_of(page) == {"national_demo_platform": "revoked", "provincial_demo_platform": "active"}
    assert "运营单位" in text and "苏州古城企业服务有限公司" in text
    assert "国家中小企业公共服务示范平台" in text and "2022-06-30" in text and "已撤销" in text
    assert "2021年第四批" in text and "江苏省工业和信息化厅" in text
    assert not page.by_class("badge-demonstration")   # the national one was revoked
    english = page_text(client.get(f"/institutions/{gusu}?lang=en").data)
    assert "Operator" in english and "Provincial SME public service demonstration platform" in english
    assert "Revoked" in english and "Granted by" in english


def test_directory_filters_by_designation(client, gusu, add_institution):
    other = add_institution("平江街道服务站", "county", "320508")
    held = result_ids(parse(client.get("/institutions?designation=provincial_demo_platform").data))
    assert held == [gusu]
    assert result_ids(parse(client.get("/institutions?designation=national_demo_platform").data)) == []
    page = client.get("/institutions?designation=<script>")
    assert page.status_code == 200 and set(result_ids(parse(page.data))) == {gusu, other}   # ignored, and said so
    assert "designation=<script>" in page_text(page.data) and "=<script>" not in page.get_data(as_text=True)
    english = client.get("/institutions?lang=en").get_data(as_text=True)
    assert "National entrepreneurship and innovation demonstration base" in english


def test_admin_grants_and_revokes_and_the_history_shows_it(client, make_admin, gusu):
    make_admin("suzhou", region_code="320500", role="editor")
    post_login(client, "suzhou")
    edit = client.get(f"/admin/institutions/{gusu}/edit")
    assert edit.status_code == 200 and "认定（动态管理）" in page_text(edit.data)
    token = csrf_token_in(edit.get_data(as_text=True))
    granted = client.post(f"/admin/institutions/{gusu}/designations", data={
        "csrf_token": token, "kind": "provincial_base", "batch": "2024年", "granted_on": "2024-10-10",
        "granted_by": ""})
    assert granted.status_code == 303 and granted.headers["Location"].endswith("#designations")
    page = client.get(f"/admin/institutions/{gusu}/edit")
    assert "已新增认定" in page_text(page.data)
    assert rows_of(parse(page.data))["provincial_base"] == "active"
    did = next(row.attrs["data-designation-id"] for row in parse(page.data).by_class("designation")
               if row.attrs["data-kind"] == "provincial_base")
    revoked = client.post(f"/admin/institutions/{gusu}/designations/{did}/revoke",
                          data={"csrf_token": token, "revoked_on": today().isoformat()})
    assert revoked.status_code == 303
    page = client.get(f"/admin/institutions/{gusu}/edit")
    assert rows_of(parse(page.data))["provincial_base"] == "revoked" and "已撤销认定" in page_text(page.data)
    history = page_text(client.get(f"/admin/institutions/{gusu}/history").data)
    assert "revoke_designation" in history and "designate" in history
    assert f"provincial_base · 2024年 · 2024-10-10 → {today().isoformat()}" in history


@pytest.mark.parametrize("data, message", [
    ({"kind": "provincial_demo_platform"}, "请先撤销"),           # already holds an active one
    ({"kind": "nonsense"}, "未知的认定类型"),
    ({"kind": "provincial_base", "granted_on": "2024-02-30"}, "YYYY-MM-DD"),
    ({"kind": "provincial_base", "batch": "批" * 101}, "超过 100 个字符"),
])
def test_admin_refusals_are_explained_and_change_nothing(client, make_admin, gusu, data, message):
    make_admin()
    post_login(client, "national")
    token = csrf_token_in(client.get(f"/admin/institutions/{gusu}/edit").get_data(as_text=True))
    response = client.post(f"/admin/institutions/{gusu}/designations", data={"csrf_token": token} | data)
    assert response.status_code == 422 and message in page_text(response.data)
    assert len(parse(response.data).by_class("designation")) == 2


def test_admin_refusal_in_english(client, make_admin, gusu):
    make_admin()
    post_login(client, "national")
    token = csrf_token_in(client.get(f"/admin/institutions/{gusu}/edit?lang=en").get_data(as_text=True))
    response = client.post(f"/admin/institutions/{gusu}/designations",
                           data={"csrf_token": token, "kind": "provincial_demo_platform"}, follow_redirects=True)
    assert "Designation not changed" in page_text(response.data) and "revoke it first" in page_text(response.data)


def test_admin_list_filters_by_designation_and_exports_them(client, make_admin, gusu, add_institution):
    add_institution("沧浪街道服务站", "county", "320508")
    make_admin()
    post_login(client, "national")
    page = parse(client.get("/admin/institutions?designation=provincial_demo_platform").data)
    assert [int(row.attrs["data-institution-id"]) for row in page.find_all("tr", data_institution_id=True)] == [gusu]
    exported = client.get("/admin/institutions/export.json?designation=provincial_demo_platform").json
    assert [r["operator"] for r in exported] == ["苏州古城企业服务有限公司"]
    assert [(d["kind"], d["revoked_on"]) for d in exported[0]["designations"]] == [
        ("national_demo_platform", "2022-06-30"), ("provincial_demo_platform", None)]
    sheet = client.get("/admin/institutions/export.csv?designation=provincial_demo_platform").get_data(as_text=True)
    assert "national_demo_platform 2017年 2017-12-05–2022-06-30;provincial_demo_platform 2021年第四批 2021-09-01–" in sheet


def test_admin_out_of_scope_is_refused(client, make_admin, gusu):
    make_admin("zhejiang", region_code="330000", role="manager")
    post_login(client, "zhejiang")
    token = csrf_token_in(client.get("/admin/").get_data(as_text=True))
    response = client.post(f"/admin/institutions/{gusu}/designations",
                           data={"csrf_token": token, "kind": "provincial_base"})
    assert response.status_code == 403
