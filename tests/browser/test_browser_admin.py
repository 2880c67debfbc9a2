"""The web administration in a real browser: log in, edit in scope, refused outside it, import with
a duplicate decision, view the history and restore an earlier version."""
import pytest
from openpyxl import Workbook

pytestmark = pytest.mark.browser
SUZHOU_CENTRE = "苏州市中小企业公共服务中心"     # in the sample network, prefecture 320500


def log_in(page, live_server, username, password):
    page.goto(f"{live_server}/admin/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.locator('form [type="submit"]').first.click()
    assert page.url.rstrip("/").endswith("/admin")


def open_edit_form(page, live_server, name):
    page.goto(f"{live_server}/admin/institutions?q={name}")
    with page.expect_navigation():
        page.locator("table a", has_text=name).first.click()
    assert page.url.endswith("/edit")


def test_edit_in_scope_then_history_and_restore(page, live_server, organiser, artifacts):
    log_in(page, live_server, *organiser)
    open_edit_form(page, live_server, SUZHOU_CENTRE)
    edit_url = page.url
    original = page.input_value('input[name="phone"]')
    page.fill('input[name="phone"]', "0512-60000000")
    with page.expect_navigation():
        page.locator('form button[type="submit"]', has_text="保存").click()
    assert page.locator('[data-flash="success"]').count() == 1
    assert page.input_value('input[name="phone"]') == "0512-60000000"
    with page.expect_navigation():
        page.click("#history-link")
    newest = page.locator("li.history-entry").first
    assert "0512-60000000" in newest.locator('tr[data-field="phone"]').inner_text()
    page.screenshot(path=str(artifacts / "admin-history.png"), full_page=True)
    with page.expect_navigation():
        page.locator('li.history-entry[data-action="create"] button').click()
    assert page.locator('[data-flash="success"]').count() == 1
    page.goto(edit_url)
    assert page.input_value('input[name="phone"]') == original


def test_a_provincial_editor_is_refused_outside_its_province(page, live_server, make_live_admin):
    make_live_admin("zhejiang-editor", region_code="330000", role="editor")
    log_in(page, live_server, "zhejiang-editor", "browser-test-password")
    page.goto(f"{live_server}/admin/institutions?q={SUZHOU_CENTRE}")
    assert page.locator("table a", has_text=SUZHOU_CENTRE).count() == 0        # not even listed
    response = page.goto(f"{live_server}/institutions?q={SUZHOU_CENTRE}")
    public_link = page.locator("ol.results a", has_text=SUZHOU_CENTRE).first.get_attribute("href")
    institution_id = public_link.rsplit("/", 1)[-1]
    response = page.goto(f"{live_server}/admin/institutions/{institution_id}/edit")
    assert response.status == 403
    assert "不在您的管理范围" in page.inner_text("main")


def test_import_with_a_duplicate_decision(page, live_server, organiser, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "层级", "地区代码", "服务类别", "联系电话"])
    sheet.append(["苏州市中小企业服务中心", "市级", "320500", "policy;financing", "0512-61111111"])
    path = tmp_path / "institutions.xlsx"
    book.save(path)
    log_in(page, live_server, *organiser)
    page.goto(f"{live_server}/admin/import")
    page.set_input_files('input[name="file"]', str(path))
    with page.expect_navigation():
        page.locator('form button[type="submit"]', has_text="检查文件").click()
    duplicate = page.locator('input[type="radio"][value="update"]')
    assert duplicate.count() == 1
    duplicate.check()
    with page.expect_navigation():
        page.locator("button", has_text="确认导入").click()
    assert "更新 1 家" in page.inner_text("main")                      # updated, not created
    open_edit_form(page, live_server, SUZHOU_CENTRE)                 # the registry's name stays
    assert page.input_value('input[name="phone"]') == "0512-61111111"
