"""The service finder and name suggestions in a real browser."""
import pytest

pytestmark = pytest.mark.browser


def test_name_suggestions_while_typing(page, live_server):
    page.goto(f"{live_server}/institutions")
    page.locator('input[name="q"]').press_sequentially("苏州市中小", delay=30)
    option = page.locator('#name-suggestions option[value="苏州市中小企业公共服务中心"]')
    option.wait_for(state="attached", timeout=5000)
    assert page.locator("#name-suggestions option").count() >= 1


def test_finder_with_a_typed_place_suggestion(page, live_server, artifacts):
    page.goto(f"{live_server}/find")
    page.fill('textarea[name="need"]', "我们的专利被人抄袭了，想找人维权")
    page.locator("[data-place-input]").press_sequentially("昆山", delay=30)
    suggestion = page.locator('[data-place-suggestions] button[data-region-code="320583"]')
    suggestion.wait_for(timeout=5000)
    with page.expect_navigation():
        suggestion.click()
    assert "region_code=320583" in page.url
    cards = page.locator(".provider-card")
    assert cards.count() >= 1
    assert page.locator(".provider-card").first.get_attribute("data-tier") in {"county", "municipal", "provincial", "national"}
    assert "提供知识产权服务" in page.locator(".provider-card .reasons").first.inner_text()
    page.screenshot(path=str(artifacts / "finder-kunshan.png"), full_page=True)


def test_finder_example_links_work_without_typing(page, live_server):
    page.goto(f"{live_server}/find")
    with page.expect_navigation():
        page.locator("a.example-need").first.click()
    assert page.locator(".detected-needs .tag").count() >= 1
