"""Fixtures for the browser tests: the app served by `streamlit run`, and the system Chromium.

* `app_url` and `public_url` serve tests/data/good, `hostile_url` and `broken_url` the hostile and broken
  fixtures, all through DASHBOARD_DATA_DIR (the live data is checked in tests/test_live_data.py only). Each
  is one server per session, started by the shared launcher (serving/launcher.py: a free loopback port,
  awaited on /_stcore/health, stopped by killing its process group).
* `browser` is Debian's Chromium ($SHELLCOUNT_CHROMIUM, else `chromium` on PATH) driven by Playwright
  through `executable_path`; no browser is ever downloaded. Without it the tests skip, or fail when
  SHELLCOUNT_REQUIRE_BROWSER=1 (CI).
* `new_context` gives a fresh browser context per test (downloads accepted); `page` is one page in one.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboard import settings
from serving.launcher import REPO, AppServer, serve
from tests.browser.harness import MISSING_REASON, REQUIRE_ENV, find_chromium, launch_chromium
from tests.conftest import set_cell

ARTIFACTS = REPO / "tests" / "artifacts"
HOSTILE = REPO / "tests" / "data" / "hostile"
GOOD = REPO / "tests" / "data" / "good"
DEFAULT_VIEWPORT = {"width": 1400, "height": 1000}
TALL_VIEWPORT = {"width": 1400, "height": 3000}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser is slow (a real app server and Chromium): `-m "not slow"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


def _unavailable(reason: str) -> None:
    if settings.REQUIRE_BROWSER.is_on():
        pytest.fail(f"{REQUIRE_ENV}=1 but the browser tests cannot run. {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium, or skip (fail when SHELLCOUNT_REQUIRE_BROWSER=1) with a clear reason."""
    path, reason = find_chromium()
    if path is None:
        _unavailable(reason or MISSING_REASON)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable(
            "Playwright for Python is not installed: run scripts/setup dev (pip install -r requirements-dev.txt)"
        )
    return path


@pytest.fixture(scope="session")
def playwright_driver(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver, chromium_path: str):
    instance = launch_chromium(playwright_driver, chromium_path)
    yield instance
    instance.close()


@pytest.fixture
def new_context(browser) -> Iterator[Callable[..., object]]:
    """Factory for fresh contexts (own cookies, storage and session), all closed after the test."""
    contexts = []

    def make(**kwargs):
        options = {"viewport": DEFAULT_VIEWPORT, "accept_downloads": True, **kwargs}
        context = browser.new_context(**options)
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh 1400 × 1000 context; dialogs are recorded on `page.dialogs` and dismissed."""
    tab = new_context().new_page()
    tab.dialogs = []

    def on_dialog(dialog) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    return tab


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _serve(tmp_path_factory, name: str, data_dir: Path | None, **env: str) -> Iterator[AppServer]:
    log = tmp_path_factory.mktemp(f"app-{name}") / "streamlit.log"
    with serve(data_dir, log_path=log, env=env) as server:
        yield server


def _url(server: AppServer) -> str:
    """The server's URL, after checking it is still up between tests.

    A server that died while idle (on a shared machine, another job's broad `pkill` can do that) is
    restarted with a warning, so one outside kill does not fail every later test; a crash during a
    test still fails that test.
    """
    why = server.ensure_running()
    if why:
        warnings.warn(why, stacklevel=2)
    return server.url


@pytest.fixture(scope="session")
def app_server(chromium_path, tmp_path_factory) -> Iterator[AppServer]:
    """The app on tests/data/good."""
    yield from _serve(tmp_path_factory, "good", GOOD)


@pytest.fixture
def app_url(app_server: AppServer) -> str:
    return _url(app_server)


@pytest.fixture(scope="session")
def public_server(chromium_path, tmp_path_factory) -> Iterator[AppServer]:
    """The app on tests/data/good as deployed behind a public address (SHELLCOUNT_PUBLIC_URL = its own URL)."""
    yield from _serve(tmp_path_factory, "public", GOOD, SHELLCOUNT_PUBLIC_URL="{url}/")


@pytest.fixture
def public_url(public_server: AppServer) -> str:
    return _url(public_server)


@pytest.fixture(scope="session")
def hostile_server(chromium_path, tmp_path_factory) -> Iterator[AppServer]:
    """The app on tests/data/hostile, which must itself be valid (or the app would show the error page)."""
    from dashboard.data.validate import validate_dataset

    report = validate_dataset(HOSTILE)
    assert report.valid, "tests/data/hostile must validate: " + "; ".join(str(p) for p in report.problems)
    yield from _serve(tmp_path_factory, "hostile", HOSTILE)


@pytest.fixture
def hostile_url(hostile_server: AppServer) -> str:
    return _url(hostile_server)


@pytest.fixture(scope="session")
def broken_dir(tmp_path_factory) -> Path:
    """A copy of tests/data/good with an impossible date in claims.csv."""
    target = tmp_path_factory.mktemp("broken") / "dataset"
    shutil.copytree(GOOD, target)
    set_cell(target / "claims.csv", "rutte-2025-07-nyt-three-times", "stated_on", "2025-02-30")
    return target


@pytest.fixture(scope="session")
def broken_server(chromium_path, tmp_path_factory, broken_dir: Path) -> Iterator[AppServer]:
    yield from _serve(tmp_path_factory, "broken", broken_dir)


@pytest.fixture
def broken_url(broken_server: AppServer) -> str:
    return _url(broken_server)
