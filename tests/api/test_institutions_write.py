"""Creating, changing and closing institutions over the API."""
import pytest

from error_body import assert_chinese_errors, error_keys

KUNSHAN = {"name": "昆山市知识产权服务中心", "level": "county", "region_code": "320583",
           "services": ["ip", "legal"], "description": "专利质押融资与知识产权维权。",
           "address": "江苏省昆山市前进西路1号", "phone": "0512-57123456",
           "email": "ip@kunshan.example.com", "website": "https://kunshan.example.com"}


def count(client, query=""):
    return int(client.get(f"/api/v1/institutions?{query}").headers["X-Pagination"].split('"total": ')[1]
               .split(",")[0])


def test_create_returns_201_with_the_institution(client, make_admin):
    response = client.post("/api/v1/institutions", json=KUNSHAN, headers=make_admin())
    assert response.status_code == 201
    body = response.json
    assert {k: body[k] for k in KUNSHAN} == KUNSHAN
    assert body["status"] == "active" and body["created_at"] == body["updated_at"]
    assert client.get(f"/api/v1/institutions/{body['id']}").json["name"] == KUNSHAN["name"]


@pytest.mark.parametrize("change,field", [
    ({"level": "galactic"}, "level"),
    ({"region_code": "999999"}, "region_code"),
    ({"region_code": "3205"}, "region_code"),
    ({"level": "provincial"}, "region_code"),            # a county code for a provincial institution
    ({"level": "municipal", "region_code": "320000"}, "region_code"),  # Jiangsu is no municipality
    ({"level": "national"}, "region_code"),              # national institutions have no region
    ({"region_code": None}, "region_code"),
    ({"services": []}, "services"),
    ({"services": ["ip", "astrology"]}, "services"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "call us"}, "phone"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"website": "kunshan"}, "website"),
    ({"name": "长" * 201}, "name"),
    ({"description": "长" * 2001}, "description"),
    ({"address": "长" * 301}, "address"),
    ({"name": " "}, "name"),
    ({"rating": 5}, "rating"),
    ({"id": 7}, "id"),
])
def test_invalid_institutions_are_422_with_a_field_message(client, make_admin, change, field):
    response = client.post("/api/v1/institutions", json=KUNSHAN | change, headers=make_admin())
    assert response.status_code == 422
    assert set(response.json) == error_keys(422)
    assert_chinese_errors(response.json)
    assert response.json["errors"][field] and all(isinstance(m, str) for m in response.json["errors"][field])
    assert count(client) == 0


def test_missing_required_fields_are_named(client, make_admin):
    response = client.post("/api/v1/institutions", json={}, headers=make_admin())
    assert response.status_code == 422
    assert {"name", "level", "services"} <= set(response.json["errors"])


def test_municipal_institution_in_a_provincial_level_municipality(client, make_admin):
    beijing = {"name": "北京市中小企业服务中心", "level": "municipal", "region_code": "110000", "services": ["policy"]}
    assert client.post("/api/v1/institutions", json=beijing, headers=make_admin()).status_code == 201


def test_non_json_body_is_rejected_cleanly(client, make_admin):
    response = client.post("/api/v1/institutions", data="name=x", headers=make_admin(),
                           content_type="application/x-www-form-urlencoded")
    assert 400 <= response.status_code < 500


def test_scoped_administrator_writes_only_inside_its_region(client, make_admin, add_institution):
    jiangsu = make_admin("jiangsu", region_code="320000")
    assert client.post("/api/v1/institutions", json=KUNSHAN, headers=jiangsu).status_code == 201
    zhejiang = KUNSHAN | {"name": "杭州市中小企业公共服务中心", "level": "municipal", "region_code": "330100"}
    refused = client.post("/api/v1/institutions", json=zhejiang, headers=jiangsu)
    assert refused.status_code == 403 and "330100" in refused.json["message"]
    national = client.post("/api/v1/institutions", headers=jiangsu,
                           json={"name": "国家中心", "level": "national", "services": ["policy"]})
    assert national.status_code == 403

    hangzhou_id = add_institution("杭州市中小企业公共服务中心", "municipal", "330100")
    assert client.patch(f"/api/v1/institutions/{hangzhou_id}", json={"phone": "0571-12345678"},
                        headers=jiangsu).status_code == 403
    assert client.delete(f"/api/v1/institutions/{hangzhou_id}", headers=jiangsu).status_code == 403
    assert client.get(f"/api/v1/institutions/{hangzhou_id}").json["status"] == "active"


def test_scoped_administrator_cannot_move_an_institution_out_of_scope(client, make_admin, add_institution):
    suzhou = make_admin("suzhou", region_code="320500")
    own = add_institution("昆山市中小企业服务中心", "county", "320583")
    response = client.patch(f"/api/v1/institutions/{own}", json={"region_code": "320481"}, headers=suzhou)
    assert response.status_code == 403  # 320481 溧阳市 is in 常州市
    assert client.get(f"/api/v1/institutions/{own}").json["region_code"] == "320583"


def test_patch_changes_only_the_given_fields(client, make_admin, add_institution):
    iid = add_institution("昆山市中小企业服务中心", "county", "320583", services=("policy", "financing"))
    before = client.get(f"/api/v1/institutions/{iid}").json
    response = client.patch(f"/api/v1/institutions/{iid}", json={"phone": "0512-50001234"}, headers=make_admin())
    assert response.status_code == 200
    after = response.json
    assert after["phone"] == "0512-50001234"
    assert {k: v for k, v in after.items() if k not in ("phone", "updated_at")} == \
           {k: v for k, v in before.items() if k not in ("phone", "updated_at")}
    assert after["updated_at"] > before["updated_at"]


def test_patch_that_breaks_a_rule_changes_nothing(client, make_admin, add_institution):
    iid = add_institution("昆山市中小企业服务中心", "county", "320583")
    response = client.patch(f"/api/v1/institutions/{iid}", json={"level": "provincial", "name": "新名字"},
                            headers=make_admin())
    assert response.status_code == 422 and "region_code" in response.json["errors"]
    assert client.get(f"/api/v1/institutions/{iid}").json["name"] == "昆山市中小企业服务中心"


def test_patch_unknown_institution_is_404(client, make_admin):
    assert client.patch("/api/v1/institutions/424242", json={"phone": "0512-50001234"},
                        headers=make_admin()).status_code == 404


def test_delete_closes_and_keeps_the_record(client, make_admin, add_institution):
    iid = add_institution("昆山市中小企业服务中心", "county", "320583")
    admin = make_admin()
    response = client.delete(f"/api/v1/institutions/{iid}", headers=admin)
    assert response.status_code == 200 and response.json["status"] == "closed" and response.json["closed_at"]
    assert client.get(f"/api/v1/institutions/{iid}").json["status"] == "closed"
    assert [i["id"] for i in client.get("/api/v1/institutions?status=closed").json] == [iid]
    reopened = client.patch(f"/api/v1/institutions/{iid}", json={"status": "active"}, headers=admin)
    assert reopened.json["status"] == "active" and reopened.json["closed_at"] is None


@pytest.mark.parametrize("field", ["name", "description", "address"])
def test_control_characters_are_refused(client, make_admin, field):
    response = client.post("/api/v1/institutions", json=KUNSHAN | {field: KUNSHAN[field] + "\x00\x07"},
                           headers=make_admin())
    assert response.status_code == 422 and response.json["errors"][field] == ["Contains control characters."]


@pytest.mark.parametrize("path", ["/api/v1/institutions?q=%00", "/api/v1/regions?q=a%00b",
                                  "/api/v1/institutions/99999999999999999999"])
def test_hostile_addresses_get_4xx(client, path):
    assert 400 <= client.get(path).status_code < 500
