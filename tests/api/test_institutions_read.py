"""Reading the directory over the API (sample network; read-only)."""
import json


def all_pages(client, query: str) -> list[dict]:
    """Every institution matching ``query``, following the pagination."""
    items, page = [], 1
    while True:
        response = client.get(f"/api/v1/institutions?{query}&page_size=100&page={page}")
        assert response.status_code == 200
        items += response.json
        meta = json.loads(response.headers["X-Pagination"])
        if page >= meta["total_pages"]:
            assert len(items) == meta["total"]
            return items
        page += 1


def test_list_is_paginated(sample_client):
    first = sample_client.get("/api/v1/institutions?page_size=10")
    second = sample_client.get("/api/v1/institutions?page_size=10&page=2")
    meta = json.loads(first.headers["X-Pagination"])
    assert len(first.json) == 10 and meta["total"] > 1700 and meta["total_pages"] == -(-meta["total"] // 10)
    assert not {i["id"] for i in first.json} & {i["id"] for i in second.json}


def test_page_size_is_capped_at_100(sample_client):
    assert sample_client.get("/api/v1/institutions?page_size=100").status_code == 200
    response = sample_client.get("/api/v1/institutions?page_size=101")
    assert response.status_code == 422 and "page_size" in response.json["errors"]


def test_level_filter(sample_client):
    national = all_pages(sample_client, "level=national")
    assert national and all(i["level"] == "national" and i["region_code"] is None
                            and i["region_path"] == [] for i in national)


def test_within_includes_everything_below_and_nothing_else(sample_client):
    jiangsu = all_pages(sample_client, "within=320000")
    suzhou = all_pages(sample_client, "within=320500")
    assert {i["level"] for i in jiangsu} == {"provincial", "municipal", "county"}
    assert all(i["region_path"][0]["code"] == "320000" for i in jiangsu)
    assert all(any(p["code"] == "320500" for p in i["region_path"]) for i in suzhou)
    assert {i["id"] for i in suzhou} < {i["id"] for i in jiangsu}
    exact = all_pages(sample_client, "region_code=320500")
    assert exact and all(i["region_code"] == "320500" for i in exact)
    below = [i for i in suzhou if i["region_code"] != "320500"]
    assert below and all(i["level"] == "county" for i in below)


def test_service_and_status_filters(sample_client):
    legal = all_pages(sample_client, "service=legal&status=active")
    assert legal and all("legal" in i["services"] and i["status"] == "active" for i in legal)
    closed = all_pages(sample_client, "status=closed")
    assert closed and all(i["status"] == "closed" and i["closed_at"] for i in closed)


def test_name_search(sample_client):
    found = all_pages(sample_client, "q=苏州市中小企业公共服务中心")
    assert found[0]["name"] == "苏州市中小企业公共服务中心"
    assert all("苏州" in i["name"] for i in found[:3])


def test_detail_has_every_contract_field(sample_client):
    listed = sample_client.get("/api/v1/institutions?within=320583&page_size=1").json[0]
    detail = sample_client.get(f"/api/v1/institutions/{listed['id']}").json
    assert {"id", "name", "level", "region_code", "services", "description", "address", "phone", "email",
            "website", "status", "created_at", "updated_at"} <= set(detail)
    assert [p["name"] for p in detail["region_path"]] == ["江苏省", "苏州市", "昆山市"]
    assert detail["created_at"].endswith("+00:00")


def test_unknown_institution_is_404(sample_client):
    response = sample_client.get("/api/v1/institutions/987654321")
    assert response.status_code == 404 and response.json["code"] == 404


def test_bad_filters_are_422(sample_client):
    response = sample_client.get("/api/v1/institutions?level=galactic&within=abc")
    assert response.status_code == 422 and {"level", "within"} <= set(response.json["errors"])


def test_name_search_folds_traditional_characters_and_ignores_wildcards(sample_client):
    simplified = all_pages(sample_client, "q=苏州市中小企业公共服务中心")
    traditional = all_pages(sample_client, "q=蘇州市中小企業公共服務中心")
    assert simplified and [i["id"] for i in traditional] == [i["id"] for i in simplified]
    assert sample_client.get("/api/v1/institutions?q=%25").json == []  # a literal %, not a wildcard


def test_name_search_is_fuzzy(sample_client):
    """Typos, missing words, pinyin and initials find the institution first."""
    for query in ["苏州中小企业服务中心", "suzhou zhongxiao qiye gonggong fuwu", "szszxqyggfwzx",
                  "蘇州市中小企業公共服務中心"]:
        first = sample_client.get(f"/api/v1/institutions?q={query}&page_size=1").json
        assert first and first[0]["name"] == "苏州市中小企业公共服务中心", query


def test_name_search_combines_with_filters(sample_client):
    found = all_pages(sample_client, "q=知识产权&within=320000")
    assert found and all(i["region_path"][0]["code"] == "320000" for i in found)
    assert "知识产权" in found[0]["name"]


def test_suggestions_while_typing(sample_client):
    response = sample_client.get("/api/v1/institutions/suggestions?q=苏州市中小")
    assert response.status_code == 200 and response.json
    assert all(set(s) == {"id", "name"} for s in response.json)
    assert any(s["name"] == "苏州市中小企业公共服务中心" for s in response.json)
    assert sample_client.get("/api/v1/institutions/suggestions").status_code == 422
