"""Browser-test fixtures: a live server on a sample SQLite database, and Debian's Chromium."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from directory import create_app
from directory.auth.service import create_administrator
from directory.database import write_session
from directory.database import get_engine

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NO_CHROMIUM = "Chromium not installed: apt-get install chromium fonts-wqy-microhei (or run make test as root)"
ORGANISER = ("organiser", "browser-test-password")   # a national administrator of the live server
HTTP_STATUS_MESSAGE = "Failed to load resource: the server responded with a status of 4"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def suite_fixtures_module(config):
    """tests/conftest.py as pytest loaded it (every conftest is named "conftest": no import)."""
    wanted = Path(__file__).resolve().parents[1] / "conftest.py"
    for plugin in config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == wanted:
            return plugin
    raise RuntimeError(f"{wanted} is not loaded")


@pytest.fixture(scope="session")
def live_app(pytestconfig, tmp_path_factory):
    """The app behind the live server, on its own sample SQLite database."""
    suite = suite_fixtures_module(pytestconfig)
    with suite.database("sqlite", tmp_path_factory, sample=True) as url:
        app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False})
        yield app


@pytest.fixture(scope="session")
def live_server(live_app):
    """Base URL of the app serving its own sample database from a background thread."""
    with live_app.app_context(), write_session() as session, session.begin():
        create_administrator(session, username=ORGANISER[0], password=ORGANISER[1], role="manager")
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with live_app.app_context():
            get_engine().dispose()


@pytest.fixture(scope="session")
def chromium(pytestconfig):
    """Debian's Chromium driven by Playwright; skipped (failed under SME_REQUIRE_BROWSER=1) without it."""
    skip_or_fail = suite_fixtures_module(pytestconfig).skip_or_fail
    if not Path(CHROMIUM).exists():
        skip_or_fail("SME_REQUIRE_BROWSER", NO_CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("SME_REQUIRE_BROWSER", f"{NO_CHROMIUM} (Playwright is not installed)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:  # Playwright raises its own Error for every launch failure
        playwright.stop()
        skip_or_fail("SME_REQUIRE_BROWSER", f"{NO_CHROMIUM} ({error.__class__.__name__}: {str(error)[:200]})")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (no cookies) that may load only the live server's own files.

    Anything else (a CDN, a font service) is blocked and reported, so the pages are shown
    to work offline. JavaScript errors fail the test.
    """
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    outside, errors = [], []

    def only_local(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # An HTTP error status (e.g. 422 for a form with mistakes) is logged as a console error; the
    # tests check statuses themselves, so only script errors count here.
    tab.on("console", lambda message: errors.append(message.text)
           if message.type == "error" and not message.text.startswith(HTTP_STATUS_MESSAGE) else None)
    yield tab
    context.close()
    assert not outside, f"requests outside the site: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def make_live_admin(live_app):
    """Create an administrator on the live server's database (password: browser-test-password)."""
    def make(username: str, *, region_code: str | None = None, role: str = "editor") -> None:
        with live_app.app_context(), write_session() as session, session.begin():
            create_administrator(session, username=username, password=ORGANISER[1], region_code=region_code,
                                 role=role)
    return make


@pytest.fixture
def organiser() -> tuple[str, str]:
    """Username and password of the live server's national administrator."""
    return ORGANISER


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
