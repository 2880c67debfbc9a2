"""/ : the network at a glance."""
import json

from html_reading import parse
from sqlmodel import Session

from directory.database import get_engine
from directory.statistics.coverage import coverage_summary

LEVELS = ["national", "provincial", "municipal", "county"]


def api_total(client, query: str) -> int:
    response = client.get(f"/api/v1/institutions?{query}&page_size=1")
    return json.loads(response.headers["X-Pagination"])["total"]


def figures(page) -> dict[str, str]:
    """Figure value by level (``data-level``) or label for the others."""
    shown = {}
    for article in page.by_class("figure"):
        key = article.attrs.get("data-level") or article.by_class("figure-label")[0].text
        shown[key] = article.by_class("figure-value")[0].text
    return shown


def test_active_institutions_per_level(sample_client):
    page = parse(sample_client.get("/").data)
    shown = figures(page)
    expected = {level: api_total(sample_client, f"level={level}&status=active") for level in LEVELS}
    for level in LEVELS:
        assert shown[level] == f"{expected[level]:,}"
    assert shown["运营中的机构"] == f"{sum(expected.values()):,}"
    assert sum(expected.values()) == api_total(sample_client, "status=active")


def test_demonstration_platforms(sample_client):
    shown = figures(parse(sample_client.get("/").data))
    expected = api_total(sample_client, "demonstration_platform=true&status=active")
    assert 0 < expected and shown["国家级示范平台"] == f"{expected:,}"


def test_coverage_headline_and_table(sample_app, sample_client):
    with sample_app.app_context(), Session(get_engine()) as session:
        coverage = coverage_summary(session)
    page = parse(sample_client.get("/").data)
    rate = coverage["municipal_and_above"]["rate"]
    assert page.by_class("headline")[0].text == f"地市级及以上覆盖率 {rate * 100:.1f}%"
    rows = page.find("table", class_="coverage").find("tbody").find_all("tr")
    for row, level in zip(rows, coverage["levels"]):
        cells = [td.text for td in row.find_all("td")]
        assert cells == [f"{level['divisions']:,}", f"{level['covered']:,}",
                         f"{level['rate'] * 100:.1f}%", f"{level['institutions']:,}"]


def test_mainland_provinces_link_to_their_pages(sample_client):
    page = parse(sample_client.get("/").data)
    grid = page.by_class("province-grid")[0]
    items = grid.find_all("li")
    assert len(items) == 31
    hrefs = [li.find("a").attrs["href"] for li in items]
    assert "/regions/320000" in hrefs and "/regions/810000" not in hrefs
    jiangsu = next(li for li in items if li.find("a").text == "江苏省")
    assert jiangsu.by_class("count")[0].text == str(api_total(sample_client, "within=320000&status=active"))


def test_home_in_english(sample_client):
    page = parse(sample_client.get("/?lang=en").data)
    assert page.find("h1").text == "SME Service Network"
    assert page.by_class("headline")[0].text.startswith("Coverage at prefecture level and above: ")
    labels = [e.text for e in page.by_class("figure-label")]
    assert "County institutions" in labels and "National demonstration platform" in labels


def test_search_box_sends_to_the_directory(sample_client):
    form = parse(sample_client.get("/").data).find("form", class_="home-search")
    assert form.attrs["action"] == "/institutions" and form.attrs["method"] == "get"
    assert form.find("input", name="q")
