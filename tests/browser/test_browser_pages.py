"""The pages in a real browser: search, cascading region selects, detail, language switch."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

PROVINCE, PREFECTURE, COUNTY = (f'select[data-region-select="{i}"]' for i in range(3))


def query_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def submit_filters(page):
    with page.expect_navigation():
        page.locator('form.directory-filters input[type="submit"]').click()


def test_search_by_name(page, live_server):
    page.goto(f"{live_server}/institutions")
    page.fill('input[name="q"]', "苏州")
    submit_filters(page)
    assert query_of(page.url)["q"] == ["苏州"]
    names = page.locator("li.result h3 a").all_inner_texts()
    assert names and all("苏州" in name for name in names)
    total = int(page.locator("#result-summary").get_attribute("data-total"))
    assert total == len(names)


def test_cascading_region_selects_with_javascript(page, live_server, artifacts):
    page.goto(f"{live_server}/institutions")
    assert page.locator(".no-js-hint").is_hidden()
    assert page.locator(PREFECTURE).is_disabled()
    page.select_option(PROVINCE, label="江苏省")
    page.locator(f'{PREFECTURE} option[value="320500"]').wait_for(state="attached")
    assert page.locator(PREFECTURE).is_enabled()
    assert page.locator(f"{PREFECTURE} option").count() == 14  # "all" + 13 prefectures
    page.select_option(PREFECTURE, label="苏州市")
    page.locator(f'{COUNTY} option[value="320583"]').wait_for(state="attached")
    page.select_option(COUNTY, label="昆山市")
    submit_filters(page)
    assert query_of(page.url)["region_code"] == ["320583"]
    paths = page.locator("li.result .region-path").all_inner_texts()
    assert paths and all("昆山市" in path for path in paths)
    selected = [page.locator(s).input_value() for s in (PROVINCE, PREFECTURE, COUNTY)]
    assert selected == ["320000", "320500", "320583"]
    page.screenshot(path=str(artifacts / "directory-kunshan.png"), full_page=True)


def test_changing_the_province_clears_the_deeper_selects(page, live_server):
    page.goto(f"{live_server}/institutions?region_code=320583")
    page.select_option(PROVINCE, label="浙江省")
    page.locator(f'{PREFECTURE} option[value="330100"]').wait_for(state="attached")
    assert page.locator(f'{PREFECTURE} option[value="320500"]').count() == 0
    assert page.locator(COUNTY).is_disabled()
    submit_filters(page)
    assert query_of(page.url)["region_code"] == ["330000"]


def test_districts_of_a_municipality(page, live_server):
    page.goto(f"{live_server}/institutions")
    page.select_option(PROVINCE, label="北京市")
    page.locator(f'{PREFECTURE} option[value="110105"]').wait_for(state="attached")
    page.select_option(PREFECTURE, label="朝阳区")
    page.wait_for_function(
        f"() => !document.querySelector('{COUNTY}').getAttribute('aria-busy')")
    assert page.locator(COUNTY).is_disabled()
    submit_filters(page)
    assert query_of(page.url)["region_code"] == ["110105"]


def test_cascading_region_selects_without_javascript(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(f"{live_server}/institutions")
        assert tab.locator(".no-js-hint").is_visible()
        tab.select_option(PROVINCE, label="江苏省")
        submit_filters(tab)
        tab.select_option(PREFECTURE, label="苏州市")
        submit_filters(tab)
        tab.select_option(COUNTY, label="昆山市")
        submit_filters(tab)
        assert query_of(tab.url)["region_code"] == ["320000", "320500", "320583"]
        paths = tab.locator("li.result .region-path").all_inner_texts()
        assert paths and all(path == "江苏省 / 苏州市 / 昆山市" for path in paths)
    finally:
        context.close()


def test_open_a_detail_page_from_the_results(page, live_server):
    page.goto(f"{live_server}/institutions?region_code=320500")
    first = page.locator("li.result").first
    name = first.locator("h3 a").inner_text()
    path = first.locator(".region-path").inner_text()
    with page.expect_navigation():
        first.locator("h3 a").click()
    assert re.fullmatch(rf"{live_server}/institutions/\d+", page.url)
    assert page.locator("h1").inner_text() == name
    assert page.locator("dd.region-path").inner_text() == path
    assert page.title().startswith(name)


def test_switch_to_english_and_stay_there(page, live_server, artifacts):
    page.goto(f"{live_server}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Sample data: the institutions shown" in page.locator(".sample-banner").inner_text()
    assert page.locator("h2#at-a-glance").inner_text() == "The network at a glance"
    with page.expect_navigation():
        page.locator("nav[aria-label='Main navigation']").get_by_role("link", name="Directory").click()
    assert "lang=" not in page.url
    assert page.locator("h1").inner_text() == "Directory"
    assert page.locator('select[name="level"] option[value="county"]').inner_text() == "County"
    page.screenshot(path=str(artifacts / "directory-english.png"), full_page=False)
    with page.expect_navigation():
        page.locator("li.result h3 a").first.click()
    assert page.locator("dl.fields dt").first.inner_text() == "Level"


def test_api_docs_render_offline(page, live_server):
    page.goto(f"{live_server}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "SME Service Network API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/institutions").count() >= 1
