"""/institutions: search, filters, cascading region selects and pagination.

Expected results come from the JSON API (same sample data, same page size), so a filter
that stopped filtering, or filtered the wrong thing, shows up as a mismatch.
"""
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from html_reading import parse, region_selects, result_ids, result_total

API_TO_PAGE = {"region_code": "within"}  # the page's region filter includes everything below


def api_results(client, filters: dict, page: int = 1) -> tuple[list[int], int]:
    """Ids on one page of 20 and the total, from the JSON API."""
    params = {API_TO_PAGE.get(k, k): v for k, v in filters.items()} | {"page": page, "page_size": 20}
    response = client.get(f"/api/v1/institutions?{urlencode(params)}")
    assert response.status_code == 200
    return [row["id"] for row in response.json], json.loads(response.headers["X-Pagination"])["total"]


def api_rows(client, filters: dict) -> list[dict]:
    """Every matching institution from the JSON API."""
    params = {API_TO_PAGE.get(k, k): v for k, v in filters.items()}
    rows, page = [], 1
    while True:
        response = client.get(f"/api/v1/institutions?{urlencode(params | {'page': page, 'page_size': 100})}")
        rows += response.json
        if page >= json.loads(response.headers["X-Pagination"])["total_pages"]:
            return rows
        page += 1


def directory(client, query: str | dict):
    response = client.get("/institutions?" + (urlencode(query, doseq=True) if isinstance(query, dict) else query))
    assert response.status_code == 200
    return parse(response.data)


def test_without_filters_everything_is_listed(sample_client):
    page = directory(sample_client, "")
    ids, total = api_results(sample_client, {})
    assert result_total(page) == total > 1000
    assert result_ids(page) == ids and len(ids) == 20


@pytest.mark.parametrize("filters", [
    {"level": "county"},
    {"level": "national"},
    {"region_code": "320500"},
    {"region_code": "110000"},
    {"service": "ip"},
    {"q": "苏州"},
    {"q": "知识产权 服务"},
    {"status": "suspended"},
    {"status": "closed"},
    {"region_code": "320000", "level": "municipal", "service": "financing"},
    {"q": "中心", "region_code": "440000", "status": "active"},
])
def test_filters_narrow_the_results_like_the_api(sample_client, filters):
    everything = result_total(directory(sample_client, ""))
    page = directory(sample_client, filters)
    ids, total = api_results(sample_client, filters)
    assert 0 < result_total(page) == total < everything
    assert result_ids(page) == ids


def test_level_filter_lists_only_that_level(sample_client):
    page = directory(sample_client, {"level": "provincial"})
    assert {e.text for e in page.by_class("level")} == {"省级"}


def test_region_filter_includes_every_division_below(sample_client):
    page = directory(sample_client, {"region_code": "320500"})
    paths = [e.text for e in page.by_class("region-path")]
    assert paths and all(p.startswith("江苏省 / 苏州市") for p in paths)
    expected = {row["name"] for row in api_rows(sample_client, {"region_code": "320500"})}
    names = {li.find("h3").find("a").text for li in page.find_all("li", data_institution_id=True)}
    assert names == expected
    assert "昆山市中小企业服务中心" in names  # a county institution below the prefecture
    assert "苏州市中小企业公共服务中心" in names  # and the prefecture's own


def test_search_matches_names(sample_client):
    page = directory(sample_client, {"q": "苏州"})
    names = [li.find("h3").find("a").text for li in page.find_all("li", data_institution_id=True)]
    assert names and all("苏州" in name for name in names)
    assert page.find("input", name="q").attrs["value"] == "苏州"


def test_service_filter_lists_only_institutions_offering_it(sample_client):
    page = directory(sample_client, {"service": "legal"})
    for row in page.find_all("li", data_institution_id=True):
        assert "legal" in [tag.attrs["data-service"] for tag in row.find_all("li", data_service=True)]
    chosen = page.find("select", name="service").find_all("option", selected=True)
    assert [o.text for o in chosen] == ["法律服务"]


def test_status_filter_shows_the_status(sample_client):
    page = directory(sample_client, {"status": "suspended"})
    rows = page.find_all("li", data_institution_id=True)
    assert rows and all(row.by_class("badge-suspended")[0].text == "暂停服务" for row in rows)


def test_active_institutions_carry_no_status_badge(sample_client):
    page = directory(sample_client, {"status": "active"})
    assert not page.by_class("badge-active") and not page.by_class("badge-closed")


def test_demonstration_platforms_are_badged(sample_client):
    rows = {row["id"]: row for row in api_rows(sample_client, {"level": "national"})}
    page = directory(sample_client, {"level": "national"})
    for li in page.find_all("li", data_institution_id=True):
        badged = bool(li.by_class("badge-demonstration"))
        assert badged == rows[int(li.attrs["data-institution-id"])]["demonstration_platform"]


def test_cascading_selects_send_the_deepest_choice(sample_client):
    chain = directory(sample_client, "region_code=320000&region_code=320500&region_code=320583")
    single = directory(sample_client, "region_code=320583")
    assert result_ids(chain) == result_ids(single) == api_results(sample_client, {"region_code": "320583"})[0]
    selects = region_selects(single)
    assert [s["chosen"] for s in selects] == ["320000", "320500", "320583"]
    counties = [r["code"] for r in sample_client.get("/api/v1/regions?parent_code=320500&page_size=100").json]
    assert selects[2]["options"] == counties


def test_bookmarked_prefecture_shows_its_chain_and_fills_the_county_select(sample_client):
    page = directory(sample_client, "q=&level=&region_code=320500&service=")
    selects = region_selects(page)
    assert [s["chosen"] for s in selects] == ["320000", "320500", ""]
    assert len(selects[0]["options"]) == 34
    prefectures = sample_client.get("/api/v1/regions?parent_code=320000&page_size=100").json
    assert selects[1]["options"] == [r["code"] for r in prefectures]
    assert "昆山市" in selects[2]["names"] and not selects[2]["disabled"]


def test_province_choice_fills_the_prefecture_select_without_javascript(sample_client):
    selects = region_selects(directory(sample_client, "region_code=320000&region_code=&region_code="))
    assert [s["chosen"] for s in selects] == ["320000", "", ""]
    assert len(selects[1]["options"]) == 13 and "苏州市" in selects[1]["names"]
    assert selects[2]["disabled"] and selects[2]["options"] == []


def test_districts_of_a_municipality_fill_the_second_select(sample_client):
    page = directory(sample_client, "region_code=110105")
    selects = region_selects(page)
    assert [s["chosen"] for s in selects] == ["110000", "110105", ""]
    assert "朝阳区" in selects[1]["names"] and selects[2]["disabled"]
    assert result_ids(page) == api_results(sample_client, {"region_code": "110105"})[0]


def test_a_stale_deeper_choice_does_not_override_a_new_province(sample_client):
    page = directory(sample_client, "region_code=330000&region_code=320500&region_code=320583")
    assert [s["chosen"] for s in region_selects(page)][0:2] == ["330000", ""]
    assert result_total(page) == api_results(sample_client, {"region_code": "330000"})[1]


@pytest.mark.parametrize("query,ignored", [
    ("level=galactic", "level=galactic"),
    ("status=asleep", "status=asleep"),
    ("service=astrology", "service=astrology"),
    ("region_code=abc", "region_code=abc"),
    ("region_code=999999", "region_code=999999"),
    ("region_code=32050", "region_code=32050"),
    ("region_code=%27%3B--", "region_code=';--"),
])
def test_nonsense_filters_are_ignored_with_a_notice(sample_client, query, ignored):
    response = sample_client.get(f"/institutions?{query}")
    assert response.status_code == 200
    page = parse(response.data)
    assert ignored in page.by_class("notice")[0].text
    assert result_total(page) == result_total(directory(sample_client, ""))


@pytest.mark.parametrize("query", ["page=x", "page=-3", "page=0", "page=99999", "q=" + "苏" * 500,
                                   "level=&status=&service=&region_code=", "page=1e9", "q=%25%5F%5C",
                                   "q=%00", "region_code=%00"])
def test_odd_arguments_never_break_the_page(sample_client, query):
    response = sample_client.get(f"/institutions?{query}")
    assert response.status_code in (200, 400)  # 400: NUL bytes are refused before any view


def test_pages_follow_the_api_order(sample_client):
    filters = {"level": "county"}
    page_three = directory(sample_client, filters | {"page": 3})
    assert result_ids(page_three) == api_results(sample_client, filters, page=3)[0]
    assert page_three.find(id="result-summary").attrs["data-page"] == "3"


def test_page_links_keep_the_filters(sample_client):
    page = directory(sample_client, {"level": "county", "region_code": "320000", "page": 2})
    links = page.by_class("pagination")[0].find_all("a", href=True)
    assert links
    for link in links:
        url = urlsplit(link.attrs["href"])
        args = parse_qs(url.query)
        assert url.path == "/institutions"
        assert args["level"] == ["county"] and args["region_code"] == ["320000"]
    assert parse_qs(urlsplit(page.find("a", rel="next").attrs["href"]).query)["page"] == ["3"]
    assert parse_qs(urlsplit(page.find("a", rel="prev").attrs["href"]).query)["page"] == ["1"]


def test_a_page_past_the_end_shows_the_last_page(sample_client):
    page = directory(sample_client, {"level": "national", "page": 50})
    ids, total = api_results(sample_client, {"level": "national"})
    assert result_ids(page) == ids and result_total(page) == total
    assert not page.by_class("pagination")  # one page only


def test_no_results_says_so(sample_client):
    page = directory(sample_client, {"q": "不存在的机构名称"})
    assert result_total(page) == 0
    assert "没有符合条件的机构" in page.by_class("empty")[0].text


def test_english_labels(sample_client):
    page = directory(sample_client, {"region_code": "320500", "lang": "en"})
    assert page.find("h1").text == "Directory"
    services = [o.text for o in page.find("select", name="service").find_all("option")]
    assert "Intellectual property" in services and "知识产权" not in services
    assert {e.text for e in page.by_class("level")} == {"Municipal", "County"}
    assert page.find(id="result-summary").text.startswith(f"{result_total(page)} institutions")


def test_rows_show_name_level_region_and_services(sample_client):
    row = api_rows(sample_client, {"q": "昆山市中小企业服务中心"})[0]
    page = directory(sample_client, {"q": "昆山市中小企业服务中心"})
    li = page.find("li", data_institution_id=str(row["id"]))
    assert li.find("a").attrs["href"] == f"/institutions/{row['id']}"
    assert li.by_class("region-path")[0].text == "江苏省 / 苏州市 / 昆山市"
    assert sorted(t.attrs["data-service"] for t in li.find_all("li", data_service=True)) == sorted(row["services"])
