"""/regions and /regions/<code>: divisions, their institutions and their children."""
import json

import pytest
from html_reading import parse, result_total


def api_total(client, query: str) -> int:
    response = client.get(f"/api/v1/institutions?{query}&page_size=1")
    return json.loads(response.headers["X-Pagination"])["total"]


def region_page(client, code: str, lang: str = "zh"):
    response = client.get(f"/regions/{code}?lang={lang}")
    assert response.status_code == 200
    return parse(response.data)


def test_index_lists_the_34_provincial_divisions(sample_client):
    page = parse(sample_client.get("/regions").data)
    rows = page.find("tbody").find_all("tr")
    assert len(rows) == 34
    outside = {row.find("th").find("a").text for row in rows if row.has_class("outside-network")}
    assert outside == {"台湾省", "香港特别行政区", "澳门特别行政区"}
    for row in rows:
        if row.has_class("outside-network"):
            assert "不在内地服务网络范围内" in row.text


def test_index_counts_match_the_api(sample_client):
    page = parse(sample_client.get("/regions").data)
    for row in page.find("tbody").find_all("tr"):
        code = row.find("code").text
        if code in ("320000", "110000", "650000"):
            count = row.find_all("td")[-1].find("a")
            assert count.text == str(api_total(sample_client, f"within={code}&status=active"))
            assert count.attrs["href"] == f"/institutions?region_code={code}&status=active"


def test_province_page(sample_client):
    page = region_page(sample_client, "320000")
    assert page.find("h1").text == "江苏省"
    crumbs = page.find("nav", aria_label="breadcrumb")
    assert [a.attrs["href"] for a in crumbs.find_all("a")] == ["/regions"]
    assert "江苏省" in crumbs.text
    located = page.find("section", aria_labelledby="located")
    shown = {int(a.attrs["href"].rsplit("/", 1)[1]) for a in located.find_all("a")}
    expected = {row["id"] for row in sample_client.get("/api/v1/institutions?region_code=320000&page_size=100").json}
    assert shown == expected and shown
    assert [h.text for h in located.find_all("h3")] == ["省级"]


def test_province_page_summarises_the_levels_below(sample_client):
    page = region_page(sample_client, "320000")
    links = page.find("section", aria_labelledby="within").find_all("a")
    for link, level, label in zip(links, ["provincial", "municipal", "county"], ["省级", "市级", "县级"]):
        expected = api_total(sample_client, f"within=320000&level={level}&status=active")
        assert link.text == f"{label}机构 {expected} 个"
        listing = parse(sample_client.get(link.attrs["href"]).data)
        assert result_total(listing) == expected


def test_child_divisions_with_their_counts(sample_client):
    page = region_page(sample_client, "320000")
    rows = page.find("section", aria_labelledby="children").find("tbody").find_all("tr")
    prefectures = sample_client.get("/api/v1/regions?parent_code=320000&page_size=100").json
    assert [row.find("th").text for row in rows] == [r["name"] for r in prefectures]
    for row, region in zip(rows, prefectures):
        assert row.find("th").find("a").attrs["href"] == f"/regions/{region['code']}"
        count = row.find_all("td")[-1].find("a")
        assert count.text == str(api_total(sample_client, f"within={region['code']}&status=active"))


def test_county_page_has_the_full_breadcrumb_and_no_children(sample_client):
    page = region_page(sample_client, "320583")
    crumbs = page.find("nav", aria_label="breadcrumb")
    assert [a.attrs["href"] for a in crumbs.find_all("a")] == ["/regions", "/regions/320000", "/regions/320500"]
    assert crumbs.text.endswith("昆山市")
    assert not page.find_all("section", aria_labelledby="children")
    assert page.find("a", href="/institutions?region_code=320583")
    summary = [a.text for a in page.find("section", aria_labelledby="within").find_all("a")]
    assert summary == [f"县级机构 {api_total(sample_client, 'within=320583&status=active')} 个"]


def test_municipality_lists_its_districts(sample_client):
    page = region_page(sample_client, "110000")
    rows = page.find("section", aria_labelledby="children").find("tbody").find_all("tr")
    assert "朝阳区" in [row.find("th").text for row in rows]
    assert {row.find_all("td")[0].text for row in rows} == {"县级行政区"}


def test_outside_the_mainland_is_noted(sample_client):
    page = region_page(sample_client, "810000")
    assert "香港、澳门和台湾不在" in page.by_class("notice")[0].text


def test_region_page_in_english(sample_client):
    page = region_page(sample_client, "320500", lang="en")
    assert "Prefecture-level division" in page.find("hgroup").text
    assert page.find("h2", id="children").text == "Divisions below"


@pytest.mark.parametrize("code", ["999999", "abc", "32"])
def test_unknown_division_is_404(sample_client, code):
    assert sample_client.get(f"/regions/{code}").status_code == 404
