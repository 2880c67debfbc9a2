"""The service-request loop in Chromium: an SME asks from /find, staff accept and resolve, the SME rates;
an unaccepted request escalates when the clock passes its deadline."""
from datetime import timedelta

import pytest

from directory.auth.service import create_administrator
from directory.database import write_session
from directory.timestamps import utcnow

pytestmark = pytest.mark.browser
NEED = "想申请银行贷款扩大生产"
PASSWORD = "browser-test-password"


def _ask(page, live_server, phone: str) -> tuple[str, int]:
    """From /find to the tracking page; returns its URL and the chosen institution's id."""
    page.goto(f"{live_server}/find?need={NEED}&region_code=320000&region_code=320500&region_code=320508")
    link = page.locator("a[data-contact-me]").first
    institution_id = int(link.get_attribute("data-contact-me"))
    with page.expect_navigation():
        link.click()
    form = page.locator("form.service-request-form")
    assert form.locator('textarea[name="need"]').input_value() == NEED
    form.locator('input[name="enterprise_name"]').fill("浏览器测试精密机械有限公司")
    form.locator('input[name="contact_name"]').fill("李娜")
    form.locator('input[name="contact_phone"]').fill(phone)
    form.locator('input[name="consent"]').check()
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    assert "/service-requests/track/" in page.url
    return page.url, institution_id


def test_an_sme_asks_staff_accept_and_resolve_the_sme_rates(page, live_server, live_app, artifacts):
    tracking, institution_id = _ask(page, live_server, "13900139000")
    assert page.locator("[data-request-status]").get_attribute("data-request-status") == "open"
    with live_app.app_context(), write_session() as session, session.begin():
        create_administrator(session, username="browser-desk", password=PASSWORD, role="staff",
                             institution_id=institution_id)
    page.goto(f"{live_server}/admin/login")
    page.fill('input[name="username"]', "browser-desk")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.locator('form [type="submit"]').first.click()
    assert page.url.endswith("/admin/service-requests")
    with page.expect_navigation():
        page.locator("tr[data-request-id] a").first.click()
    assert "13900139000" in page.inner_text("main")
    with page.expect_navigation():
        page.locator('button[data-action="accept"]').click()
    page.locator('select[name="outcome"]').select_option("resolved")
    page.locator('form:has(button[data-action="resolve"]) textarea[name="note"]').fill("已对接两家银行，获批授信")
    with page.expect_navigation():
        page.locator('button[data-action="resolve"]').click()
    assert page.locator("[data-request-status]").get_attribute("data-request-status") == "resolved"
    page.screenshot(path=str(artifacts / "service-request-staff.png"), full_page=True)
    page.goto(tracking)
    assert "已对接两家银行" in page.inner_text("main")
    page.locator('select[name="rating"]').select_option("5")
    with page.expect_navigation():
        page.locator('button[data-action="rate"]').click()
    assert page.locator("[data-rating]").get_attribute("data-rating") == "5"
    page.screenshot(path=str(artifacts / "service-request-rated.png"), full_page=True)


def test_an_unaccepted_request_escalates_when_the_clock_passes(page, live_server, live_app):
    tracking, _institution = _ask(page, live_server, "13900139001")
    later = (utcnow() + timedelta(days=10)).isoformat()
    result = live_app.test_cli_runner().invoke(args=["service-requests", "tick", "--now", later])
    assert result.exit_code == 0, result.output
    page.goto(tracking)
    rows = page.locator("tr[data-assignment-id]")
    assert rows.count() == 2
    assert "超时上移" in rows.first.inner_text()
    assert page.locator('li[data-action="offered_escalated"]').count() == 1
