"""The Content-Security-Policy in a real browser: the pages, their scripts and Swagger UI work
with it and nothing on them is refused (SECURITY.md "Headers")."""
import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/find?need=贷款", "/institutions", "/events", "/stats", "/api/v1/docs", "/admin/login"]
# Every refusal fires this DOM event; collect them from the first script on.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    """The ``page`` tab, plus the CSP messages Chromium writes to the console."""
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.add_init_script(COLLECT_VIOLATIONS)
    return page, console


@pytest.mark.parametrize("path", PAGES)
def test_pages_work_under_the_content_security_policy(watched, live_server, path):
    page, console = watched
    response = page.goto(f"{live_server}{path}")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if path == "/api/v1/docs":
        page.locator(".swagger-ui .opblock-tag").first.wait_for(state="visible")
        assert page.locator(".swagger-ui").first.is_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []


def test_swagger_ui_runs_an_operation_under_the_policy(watched, live_server):
    page, console = watched
    page.goto(f"{live_server}/api/v1/docs")
    operation = page.locator(".swagger-ui .opblock-get .opblock-summary").first
    operation.wait_for(state="visible")
    operation.click()
    page.locator(".swagger-ui .try-out__btn").first.click()
    page.locator(".swagger-ui .execute").first.click()
    page.locator(".swagger-ui .responses-wrapper .live-responses-table").first.wait_for(state="visible")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []


def test_an_administrator_session_works_under_the_policy(watched, live_server, organiser):
    page, console = watched
    page.goto(f"{live_server}/admin/login?next=/admin/institutions")
    page.fill('input[name="username"]', organiser[0])
    page.fill('input[name="password"]', organiser[1])
    with page.expect_navigation():
        page.locator('form [type="submit"]').first.click()
    assert page.url.endswith("/admin/institutions")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
