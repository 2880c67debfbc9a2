"""/api/v1 designations: listed in the institution, filters, grant and revoke with token and scope,
the derived demonstration_platform, operator, and hostile input."""
import json
from datetime import timedelta

import pytest

from directory.timestamps import today

KUNSHAN, HANGZHOU = "320583", "330100"


def total(client, query: str) -> int:
    response = client.get(f"/api/v1/institutions?{query}")
    assert response.status_code == 200, response.json
    return json.loads(response.headers["X-Pagination"])["total"]


@pytest.fixture
def kunshan(add_institution):
    return add_institution("昆山市中小企业服务中心", "county", KUNSHAN, ("policy", "entrepreneurship"))


def test_kinds_are_listed(client):
    kinds = client.get("/api/v1/designation-kinds").json
    assert [k["code"] for k in kinds] == ["national_demo_platform", "provincial_demo_platform", "national_base",
                                          "provincial_base"]
    assert kinds[0]["name_zh"] == "国家中小企业公共服务示范平台" and kinds[0]["level"] == "national"
    assert kinds[3]["name_zh"] == "省级小型微型企业创业创新示范基地" and kinds[3]["level"] == "provincial"
    provincial = client.get("/api/v1/designation-kinds?level=provincial").json
    assert [k["code"] for k in provincial] == ["provincial_demo_platform", "provincial_base"]
    assert client.get("/api/v1/designation-kinds?level=county").status_code == 422


def test_grant_shows_in_the_institution_and_revoke_keeps_it(client, make_admin, kunshan):
    headers = make_admin()
    response = client.post(f"/api/v1/institutions/{kunshan}/designations", headers=headers, json={
        "kind": "provincial_base", "granted_by": "江苏省工业和信息化厅", "batch": "2022年第二批",
        "granted_on": "2022-12-01"})
    assert response.status_code == 201, response.json
    did = response.json["id"]
    assert response.json == {"id": did, "kind": "provincial_base", "kind_name": "省级小型微型企业创业创新示范基地",
                             "kind_name_en": "Provincial entrepreneurship and innovation demonstration base for "
                                             "small and micro enterprises",
                             "level": "provincial", "granted_by": "江苏省工业和信息化厅", "batch": "2022年第二批",
                             "granted_on": "2022-12-01", "revoked_on": None, "active": True}
    assert client.get(f"/api/v1/institutions/{kunshan}").json["designations"] == [response.json]
    assert total(client, "designation=provincial_base") == 1
    revoked = client.patch(f"/api/v1/institutions/{kunshan}/designations/{did}", headers=headers,
                           json={"revoked_on": "2025-06-30"})
    assert revoked.status_code == 200 and revoked.json["revoked_on"] == "2025-06-30" and not revoked.json["active"]
    listed = client.get(f"/api/v1/institutions/{kunshan}/designations").json
    assert [(d["id"], d["active"]) for d in listed] == [(did, False)]
    assert total(client, "designation=provincial_base") == 0
    again = client.patch(f"/api/v1/institutions/{kunshan}/designations/{did}", headers=headers,
                         json={"revoked_on": "2025-07-01"})
    assert again.status_code == 422 and "Already revoked" in again.json["errors"]["revoked_on"][0]
    assert again.json["errors_zh"]["revoked_on"] == ["已于 2025-06-30 撤销。"]   # the rules' own Chinese


def test_delete_revokes_today(client, make_admin, kunshan):
    headers = make_admin()
    did = client.post(f"/api/v1/institutions/{kunshan}/designations", headers=headers,
                      json={"kind": "national_demo_platform"}).json["id"]
    assert client.get(f"/api/v1/institutions/{kunshan}").json["demonstration_platform"] is True
    response = client.delete(f"/api/v1/institutions/{kunshan}/designations/{did}", headers=headers)
    assert response.status_code == 200 and response.json["revoked_on"] == today().isoformat()
    body = client.get(f"/api/v1/institutions/{kunshan}").json
    assert body["demonstration_platform"] is False and body["designations"][0]["revoked_on"] == today().isoformat()


def test_the_old_flag_still_writes_and_filters(client, make_admin):
    headers = make_admin()
    created = client.post("/api/v1/institutions", headers=headers, json={
        "name": "苏州市中小企业公共服务中心", "level": "municipal", "region_code": "320500", "services": ["policy"],
        "demonstration_platform": True, "operator": "苏州市中小企业服务中心有限公司"})
    assert created.status_code == 201, created.json
    body = created.json
    assert body["demonstration_platform"] is True and body["operator"] == "苏州市中小企业服务中心有限公司"
    assert [(d["kind"], d["granted_on"], d["active"]) for d in body["designations"]] == [
        ("national_demo_platform", today().isoformat(), True)]
    assert total(client, "demonstration_platform=true") == 1
    assert total(client, "demonstration_platform=false") == 0
    assert total(client, "designation=national_demo_platform") == 1
    patched = client.patch(f"/api/v1/institutions/{body['id']}", headers=headers,
                           json={"demonstration_platform": False, "operator": None})
    assert patched.status_code == 200 and patched.json["demonstration_platform"] is False
    assert patched.json["operator"] is None and len(patched.json["designations"]) == 1
    assert total(client, "demonstration_platform=true") == 0 and total(client, "demonstration_platform=false") == 1


def test_writes_need_a_token_and_scope(client, make_admin, kunshan, add_institution):
    hangzhou = add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU)
    national = make_admin()
    did = client.post(f"/api/v1/institutions/{hangzhou}/designations", headers=national,
                      json={"kind": "provincial_demo_platform"}).json["id"]
    jiangsu = make_admin("jiangsu", region_code="320000", role="editor")
    assert client.post(f"/api/v1/institutions/{kunshan}/designations",
                       json={"kind": "provincial_base"}).status_code == 401
    refused = client.post(f"/api/v1/institutions/{hangzhou}/designations", headers=jiangsu,
                          json={"kind": "provincial_base"})
    assert refused.status_code == 403 and refused.json["code"] == 403
    assert client.delete(f"/api/v1/institutions/{hangzhou}/designations/{did}", headers=jiangsu).status_code == 403
    assert client.patch(f"/api/v1/institutions/{hangzhou}/designations/{did}", headers=jiangsu,
                        json={"revoked_on": "2025-01-01"}).status_code == 403
    assert client.get(f"/api/v1/institutions/{hangzhou}").json["designations"][0]["active"] is True
    assert client.post(f"/api/v1/institutions/{kunshan}/designations", headers=jiangsu,
                       json={"kind": "provincial_base"}).status_code == 201
    # Another institution's designation id is not found through this one.
    assert client.delete(f"/api/v1/institutions/{kunshan}/designations/{did}", headers=national).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({}, "kind"),
    ({"kind": "unknown"}, "kind"),
    ({"kind": "k" * 33}, "kind"),
    ({"kind": "provincial_base", "granted_on": "yesterday"}, "granted_on"),
    ({"kind": "provincial_base", "granted_on": (today() + timedelta(days=1)).isoformat()}, "granted_on"),
    ({"kind": "provincial_base", "batch": "x" * 101}, "batch"),
    ({"kind": "provincial_base", "granted_by": 12}, "granted_by"),
    ({"kind": "provincial_base", "revoked_on": "2020-01-01"}, "revoked_on"),
    ({"kind": ["provincial_base"]}, "kind"),
])
def test_bad_grants_are_422_with_the_field_named(client, make_admin, kunshan, body, field):
    response = client.post(f"/api/v1/institutions/{kunshan}/designations", headers=make_admin(), json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"].get("json", response.json["errors"])
    assert client.get(f"/api/v1/institutions/{kunshan}").json["designations"] == []


@pytest.mark.parametrize("body", [{"revoked_on": "2020-02-30"}, {"revoked_on": None}, {"revoked_on": 5},
                                  {"revoked_on": (today() + timedelta(days=2)).isoformat()}, {"other": 1}])
def test_bad_revocations_are_422(client, make_admin, kunshan, body):
    headers = make_admin()
    did = client.post(f"/api/v1/institutions/{kunshan}/designations", headers=headers,
                      json={"kind": "provincial_base", "granted_on": "2021-01-01"}).json["id"]
    response = client.patch(f"/api/v1/institutions/{kunshan}/designations/{did}", headers=headers, json=body)
    assert response.status_code == 422
    assert client.get(f"/api/v1/institutions/{kunshan}").json["designations"][0]["revoked_on"] is None


@pytest.mark.parametrize("path", ["/api/v1/institutions/999999/designations", "/api/v1/institutions/1/designations/0",
                                  "/api/v1/institutions/99999999999/designations"])
def test_unknown_ids_are_404(client, make_admin, path):
    assert client.post(path, headers=make_admin(), json={"kind": "provincial_base"}).status_code in (404, 405)
    assert client.get(path).status_code in (404, 405)


@pytest.mark.parametrize("query", ["designation=unknown", "designation=" + "x" * 40, "designation="])
def test_unknown_designation_filter_is_422(client, query):
    response = client.get(f"/api/v1/institutions?{query}")
    assert response.status_code == 422 and "designation" in json.dumps(response.json["errors"])


@pytest.mark.parametrize("operator, status", [("甲" * 200, 201), ("甲" * 201, 422), ("运营\x07单位", 422), ("", 201)])
def test_operator_is_checked(client, make_admin, operator, status):
    response = client.post("/api/v1/institutions", headers=make_admin(), json={
        "name": "无锡市中小企业服务中心", "level": "municipal", "region_code": "320200", "services": ["policy"],
        "operator": operator})
    assert response.status_code == status, response.json
    if status == 201:
        assert response.json["operator"] == (operator or None)


def test_openapi_documents_the_new_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/institutions/{institution_id}/designations"])
    assert {"patch", "delete"} <= set(paths["/api/v1/institutions/{institution_id}/designations/{designation_id}"])
    assert "/api/v1/stats/designations" in paths


def test_the_import_flag_column_grants_and_revokes(client, make_admin):
    headers = make_admin()
    created = client.post("/api/v1/institutions/import", headers=headers, content_type="text/csv", data=(
        "名称,层级,地区代码,服务类别,示范平台\n"
        "苏州市中小企业公共服务中心,市级,320500,policy,是\n"
        "无锡市中小企业公共服务中心,市级,320200,policy,否\n").encode())
    assert created.status_code == 200 and created.json["applied"] and created.json["created"] == 2, created.json
    assert total(client, "designation=national_demo_platform") == 1
    suzhou = client.get("/api/v1/institutions?region_code=320500").json[0]
    assert [(d["kind"], d["granted_on"]) for d in suzhou["designations"]] == [
        ("national_demo_platform", today().isoformat())]
    updated = client.post("/api/v1/institutions/import", headers=headers, content_type="text/csv", data=(
        f"id,name,level,region_code,services,demonstration_platform\n"
        f"{suzhou['id']},苏州市中小企业公共服务中心,municipal,320500,policy,false\n").encode())
    assert updated.json["updated"] == 1, updated.json
    after = client.get(f"/api/v1/institutions/{suzhou['id']}").json
    assert after["demonstration_platform"] is False and after["designations"][0]["revoked_on"] == today().isoformat()
