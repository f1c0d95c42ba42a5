"""What the browser tests and the screenshot script share: open a page and wait for Streamlit to finish a run,
pick widgets. The app server is serving/launcher.py (AppServer) and the system Chromium serving/browser.py, both
re-exported here: the same launcher and browser the benchmarks and the load scripts use.
"""

from __future__ import annotations

from dashboard import settings
from dashboard.present.registry import PAGES as REGISTERED_PAGES
from serving.browser import BROWSER_ARGS, IDLE, MISSING_REASON, find_chromium, launch_chromium
from serving.launcher import REPO, AppServer

__all__ = ["BROWSER_ARGS", "IDLE", "MISSING_REASON", "REPO", "AppServer", "find_chromium", "launch_chromium"]

REQUIRE_ENV = settings.REQUIRE_BROWSER.name
# The pages, by the name used for screenshots, and their paths (from the one registry).
PAGES = {page.name: "/" + page.url_path for page in REGISTERED_PAGES}
# Streamlit loads the code of some elements (page links, charts, download buttons) on first use and shows a
# skeleton in their place meanwhile: a run can be over, and the app idle, 100-500 ms before they are drawn.
DRAWING = '[data-testid="stMain"] [data-testid="stSkeleton"]'


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
        page.wait_for_function(  # a point of any kind of trace (a marker, a bar), or a scatter trace's line
            "() => [...document.querySelectorAll('.js-plotly-plot')].some("
            "(gd) => gd._fullLayout && gd.querySelector('.trace .point, .scatterlayer .trace path'))",
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


def show_filters(page) -> None:
    """Unfold the page's filters where they are folded into one line (Output keeps them under its chart)."""
    folded = page.locator("details:not([open]) > summary").filter(has_text="Filters:")
    if folded.count():
        folded.first.click()
        page.locator("details[open] > summary").filter(has_text="Filters:").first.wait_for()


def choose_option(page, label: str, option: str, timeout: float = 30_000) -> None:
    """Add `option` to the multiselect labelled `label` and wait until it shows as chosen
    (Streamlit then reruns the script; wait for the URL or wait_idle after this)."""
    show_filters(page)
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # filter the (virtualised) list so the option is rendered
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    multiselect(page, label).locator(f'[data-tag][aria-label="{option}"]').wait_for(timeout=timeout)


def selected_tags(page, label: str) -> list[str]:
    """The values a multiselect shows as chosen."""
    show_filters(page)
    return (
        multiselect(page, label).locator("[data-tag]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    )


def checked_radio(page, label: str) -> str:
    """The visible text of the checked option of the radio group labelled `label`."""
    show_filters(page)
    group = page.get_by_role("radiogroup", name=label, exact=True)
    return group.locator('[data-testid="stRadioOption"]').filter(has=page.locator("input:checked")).inner_text().strip()
