"""The statistics page in a real browser: figures and charts render (screenshot), drill-down works."""
import pytest

pytestmark = pytest.mark.browser


def test_statistics_page_shows_figures_and_charts(page, live_server, artifacts):
    page.goto(f"{live_server}/stats")
    assert page.locator('[data-figure="municipal_and_above"]').inner_text() == "84.1%"
    areas = page.locator("figure.chart-areas svg g.bar")
    assert areas.count() == 31
    assert areas.first.locator("rect").bounding_box()["width"] > 0          # drawn, not just present
    assert page.locator("figure.chart-line circle").count() >= 12           # a monthly trend
    assert "北京市" in page.locator("figure.chart-areas").inner_text()          # Chinese labels render as text
    page.locator("figure.chart-areas").screenshot(path=str(artifacts / "stats-provinces.png"))
    page.screenshot(path=str(artifacts / "stats-page.png"))


def test_province_drill_down_and_as_of_from_the_form(page, live_server, artifacts):
    page.goto(f"{live_server}/stats")
    with page.expect_navigation():
        page.locator('table.coverage-areas a', has_text="江苏省").click()
    assert "region_code=320000" in page.url
    assert page.locator("table.coverage-areas tr[data-area]").count() == 13   # Jiangsu's prefectures
    assert page.locator("li[data-county]").count() == 95
    page.fill('input[name="as_of"]', "2024-12-31")
    with page.expect_navigation():
        page.locator('form.stats-scope input[type="submit"]').click()
    assert page.locator("#as-of").get_attribute("data-as-of") == "2024-12-31"
    page.locator("figure.chart-line").screenshot(path=str(artifacts / "stats-trend-jiangsu.png"))
