"""Financing events in a real browser: an SME registers, an organiser views the schedule."""
import pytest
from directory.credit_code import make_credit_code

pytestmark = pytest.mark.browser


def test_an_sme_registers_for_an_open_event(page, live_server, artifacts):
    page.goto(f"{live_server}/events")
    card = page.locator('li.event-card[data-status="open"]').first
    with page.expect_navigation():
        card.locator("h3 a").click()
    form = page.locator("form.registration-form")
    form.locator('input[name="enterprise_name"]').fill("浏览器测试科技有限公司")
    form.locator('input[name="credit_code"]').fill(make_credit_code("91110105MA01BRWXR"))
    region = form.locator('select[name="region_code"]').first
    region.select_option(index=1)
    if form.locator('select[name="region_code"]').count() > 1:   # a national event: cascading selects
        page.wait_for_timeout(300)
    form.locator('input[name="contact_name"]').fill("李娜")
    form.locator('input[name="contact_phone"]').fill("13800138000")
    form.locator('select[name="financing_type"]').select_option("credit_loan")
    form.locator('input[name="amount_yuan"]').fill("2000000")
    form.locator('textarea[name="need"]').fill("订单增长，需要200万元流动资金贷款")
    with page.expect_navigation():
        form.locator('input[type="submit"]').click()
    assert "/registrations/" in page.url
    assert page.locator("[data-registration-status]").get_attribute("data-registration-status") == "pending"
    assert "浏览器测试科技有限公司" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "event-registered.png"), full_page=True)


def test_a_wrong_credit_code_is_explained_in_the_form(page, live_server):
    page.goto(f"{live_server}/events")
    with page.expect_navigation():
        page.locator('li.event-card[data-status="open"] h3 a').first.click()
    form = page.locator("form.registration-form")
    form.locator('input[name="enterprise_name"]').fill("校验位测试有限公司")
    form.locator('input[name="credit_code"]').fill("91110105MA01BRWXR0")
    form.locator('select[name="region_code"]').first.select_option(index=1)
    form.locator('input[name="contact_name"]').fill("李娜")
    form.locator('input[name="contact_phone"]').fill("13800138000")
    form.locator('textarea[name="need"]').fill("需要贷款")
    with page.expect_navigation():
        form.locator('input[type="submit"]').click()
    assert page.locator('[data-error-for="credit_code"]').is_visible()
    assert page.locator('.registration-form input[name="credit_code"]').input_value() == "91110105MA01BRWXR0"


def test_organiser_logs_in_and_views_a_schedule(page, live_server, artifacts, organiser):
    page.goto(f"{live_server}/admin/")
    assert "/admin/login" in page.url
    page.fill('input[name="username"]', organiser[0])
    page.fill('input[name="password"]', organiser[1])
    with page.expect_navigation():
        page.locator('form [type="submit"]').first.click()
    completed = page.locator("tr[data-event-id]", has_text="已举办").first
    with page.expect_navigation():
        completed.locator("a").first.click()
    assert "/admin/events/" in page.url
    tables = page.locator("details.timetable-financier")
    assert tables.count() >= 1
    first_row = tables.first.locator("tr[data-slot]").first
    assert first_row.locator("td").nth(1).inner_text().strip()          # an enterprise's name
    assert int(page.locator("[data-meetings]").get_attribute("data-meetings")) >= 1
    page.locator("details.timetable-financier").first.screenshot(path=str(artifacts / "event-schedule.png"))
