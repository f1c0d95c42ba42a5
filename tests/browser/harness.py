"""What the browser tests, the screenshot script and the load test share: find and launch the system
Chromium, wait for Streamlit to finish a run. The app server itself is dashboard/web/serve.py (AppServer,
re-exported here), the one launcher the tests, the benchmarks and the load test use.

Nothing here downloads a browser: Chromium is Debian's (`apt-get install chromium`), found through
$SHELLCOUNT_CHROMIUM or PATH, and handed to Playwright as `executable_path`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dashboard import settings
from dashboard.web.pages import PAGES as REGISTERED_PAGES
from dashboard.web.serve import REPO, AppServer

__all__ = ["REPO", "AppServer"]  # re-exported for the tests, the screenshot script and the load test

LIVE_DATA = REPO / "datasets"
CHROMIUM_ENV = settings.CHROMIUM.name
REQUIRE_ENV = settings.REQUIRE_BROWSER.name
MISSING_REASON = "Chromium not found: install Debian's chromium (apt-get install chromium) or set SHELLCOUNT_CHROMIUM"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The pages, by the name used for screenshots, and their paths (from the one registry).
PAGES = {page.name: "/" + page.url_path for page in REGISTERED_PAGES}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
# Streamlit loads the code of some elements (page links, charts, download buttons) on first use and shows a
# skeleton in their place meanwhile: a run can be over, and the app idle, 100-500 ms before they are drawn.
DRAWING = '[data-testid="stMain"] [data-testid="stSkeleton"]'


def find_chromium() -> tuple[str | None, str]:
    """(path to the system Chromium or None, why not found). $SHELLCOUNT_CHROMIUM wins over PATH."""
    configured = settings.CHROMIUM.get()
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured, ""
        return None, f"{MISSING_REASON} ({CHROMIUM_ENV}={configured} is not an executable file)"
    found = shutil.which("chromium")
    return (found, "") if found else (None, MISSING_REASON)


def launch_chromium(playwright, executable: str, **kwargs):
    """Playwright's Chromium driver on the system binary; never a downloaded browser."""
    return playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS, headless=True, **kwargs)


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its current script run and is connected."""
    page.wait_for_selector(IDLE, timeout=timeout)


def wait_drawn(page, timeout: float = 60_000) -> None:
    """Wait until every element of the finished run is drawn, none still a skeleton waiting for its code."""
    page.wait_for_function(f"() => !document.querySelector({DRAWING!r})", timeout=timeout)


def open_page(page, url: str, chart: bool = False, timeout: float = 60_000) -> None:
    """Navigate, wait for the script run to finish, and (optionally) for a Plotly chart to draw its traces."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_idle(page, timeout)
    if chart:  # drawn: laid out, with traces (the first may be an invisible line, so none need be visible)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some("
            "(gd) => gd._fullLayout && gd.querySelector('.scatterlayer .trace .point, .scatterlayer .trace path'))",
            timeout=timeout,
        )


def main_content_height(page) -> int:
    """Bottom, in CSS pixels, of Streamlit's main block without its bottom padding (the app scrolls
    inside its own container, so the document's height says nothing)."""
    return int(page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid="stMainBlockContainer"]');
            if (!el) return document.body.scrollHeight;
            const padding = parseFloat(getComputedStyle(el).paddingBottom) || 0;
            return Math.ceil(el.getBoundingClientRect().bottom - padding);
        }"""
    ))  # fmt: skip


def multiselect(page, label: str):
    """The multiselect whose (accessible) label is exactly `label`."""
    return page.locator('[data-testid="stMultiSelect"]').filter(
        has=page.get_by_role("combobox", name=label, exact=True)
    )


def choose_option(page, label: str, option: str, timeout: float = 30_000) -> None:
    """Add `option` to the multiselect labelled `label` and wait until it shows as chosen
    (Streamlit then reruns the script; wait for the URL or wait_idle after this)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # filter the (virtualised) list so the option is rendered
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    multiselect(page, label).locator(f'[data-tag][aria-label="{option}"]').wait_for(timeout=timeout)


def selected_tags(page, label: str) -> list[str]:
    """The values a multiselect shows as chosen."""
    return (
        multiselect(page, label).locator("[data-tag]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    )


def checked_radio(page, label: str) -> str:
    """The visible text of the checked option of the radio group labelled `label`."""
    group = page.get_by_role("radiogroup", name=label, exact=True)
    return group.locator('[data-testid="stRadioOption"]').filter(has=page.locator("input:checked")).inner_text().strip()
