"""The statistics page in a real browser: figures and charts render (screenshot), drill-down works."""
import pytest

from directory.database import write_session

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


# Every <text> of every chart, measured against its own <svg> and the window (CSS pixels).
CLIPPED_LABELS = """() => {
  const clipped = [];
  for (const svg of document.querySelectorAll("figure.chart svg")) {
    const box = svg.getBoundingClientRect();
    const chart = svg.closest("figure").className;
    if (box.left < -0.5 || box.right > window.innerWidth + 0.5) clipped.push({chart, text: "(the chart itself)", box: [box.left, box.right]});
    for (const text of svg.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      if (r.width === 0 || r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 ||
          r.bottom > box.bottom + 0.5) {
        clipped.push({chart, text: text.textContent, label: [r.left, r.right, r.top, r.bottom],
                      svg: [box.left, box.right, box.top, box.bottom]});
      }
    }
  }
  return clipped;
}"""
WIDTHS = (360, 768, 1024, 1600)


@pytest.fixture(scope="module")
def recorded_demand(live_app, live_server):
    """A few recorded needs, so that the demand charts (with their longest labels) are drawn."""
    from directory.demand.recording import demand_recorder

    client = live_app.test_client()
    for need, region in [("合同纠纷，客户拖欠货款", "320102"), ("想申请专利和商标", "320508"),
                         ("需要技术研发合作和检测认证", "110101"), ("企业数字化转型，上云", "440305")]:
        assert client.post("/api/v1/match", json={"need": need, "region_code": region}).status_code == 200
    demand_recorder(live_app).flush()


@pytest.fixture(scope="module")
def sample_requests(live_app):
    """The sample year of service requests (as ``flask seed`` adds them), so that the service charts are
    drawn; removed afterwards when this module added them, for the other modules' sake."""
    from sqlalchemy import text

    from directory.service_requests.sample import load_sample_requests

    with live_app.app_context(), write_session() as session, session.begin():
        added = load_sample_requests(session)
    yield added
    if added:
        with live_app.app_context(), write_session() as session, session.begin():
            for table in ("service_feedback", "service_request_event", "service_assignment", "service_request"):
                session.execute(text(f"DELETE FROM {table}"))


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("scope", ["", "&region_code=320000"])
def test_no_chart_label_is_clipped_at_any_width(page, live_server, recorded_demand, sample_requests, artifacts,
                                                language, scope):
    """At 360–1,600 px, in Chinese and English, every label lies whole inside its chart (service charts too)."""
    page.goto(f"{live_server}/stats?lang={language}{scope}")
    assert page.locator("figure.chart-demand svg text").count() > 0            # the demand chart is drawn
    assert page.locator("figure.chart-service-provinces svg text").count() > 0  # and the service charts
    assert page.locator("#service figure.chart-line").count() == 3
    assert page.locator("figure.chart svg").count() >= 4
    last_month = page.locator("figure.chart-line circle").last.get_attribute("data-month")
    ticks = page.locator("figure.chart-line text").all_text_contents()
    assert last_month in ticks                                                 # "2026-12", not "2026-"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        clipped = page.evaluate(CLIPPED_LABELS)
        assert not clipped, f"{width}px, {language}: {clipped[:5]}"
    page.locator("figure.chart-demand").screenshot(path=str(artifacts / f"stats-demand-{language}{scope[-6:]}.png"))
    page.locator("#service").screenshot(path=str(artifacts / f"stats-service-{language}{scope[-6:]}.png"))
