import json


def test_provinces_are_listed_with_pagination_header(client):
    response = client.get("/api/v1/regions?level=province&page_size=100")
    assert response.status_code == 200
    names = {r["name"] for r in response.json}
    assert {"北京市", "江苏省", "新疆维吾尔自治区", "香港特别行政区"} <= names
    assert len(response.json) == 34
    pagination = json.loads(response.headers["X-Pagination"])
    assert pagination["total"] == 34 and pagination["page"] == 1 and pagination["total_pages"] == 1


def test_all_divisions_are_loaded(client):
    for level, count in (("province", 34), ("prefecture", 333), ("county", 2846)):
        pagination = json.loads(client.get(f"/api/v1/regions?level={level}").headers["X-Pagination"])
        assert pagination["total"] == count


def test_children_of_a_prefecture(client):
    codes = [r["code"] for r in client.get("/api/v1/regions?parent_code=320500&page_size=100").json]
    assert "320583" in codes and all(c.startswith("3205") for c in codes)


def test_county_directly_under_province_has_province_as_parent(client):
    assert client.get("/api/v1/regions/429004").json["parent_code"] == "420000"  # 仙桃市


def test_name_search(client):
    response = client.get("/api/v1/regions?q=昆山")
    assert [r["code"] for r in response.json] == ["320583"]


def test_detail_has_path_and_children(client):
    body = client.get("/api/v1/regions/320500").json
    assert [p["name"] for p in body["path"]] == ["江苏省", "苏州市"]
    assert {"code": "320583", "name": "昆山市", "level": "county"} in body["children"]


def test_unknown_region_is_404_in_contract_shape(client):
    response = client.get("/api/v1/regions/999999")
    assert response.status_code == 404
    assert set(response.json) == {"code", "status", "message", "errors"}


def test_bad_filter_is_422_with_field_message(client):
    response = client.get("/api/v1/regions?level=galaxy&parent_code=12")
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"level", "parent_code"}


def test_non_mainland_regions_are_marked(client):
    assert client.get("/api/v1/regions/810000").json["mainland"] is False
    assert client.get("/api/v1/regions/320000").json["mainland"] is True


def test_json_is_utf8_unescaped(client):
    raw = client.get("/api/v1/regions/320583").get_data()
    assert "昆山市".encode() in raw and b"\\u" not in raw


def test_name_search_folds_traditional_characters(client):
    assert [r["code"] for r in client.get("/api/v1/regions?q=蘇州").json] == ["320500"]
    assert client.get("/api/v1/regions?q=%25").json == []
