"""What only a browser shows: the headline chart draws, every page runs to its footer, phones fit."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis import claim_check
from dashboard.data.load import load_dataset
from dashboard.present import registry
from tests.browser.chart_check import PHONE_USER_AGENT
from tests.browser.conftest import GOOD, TALL_VIEWPORT
from tests.browser.harness import PAGES, open_page, wait_drawn

pytestmark = pytest.mark.browser

EXCEPTION = '[data-testid="stException"]'
CHART_PAGES = {page.name for page in registry.CHART_PAGES}  # from the registry: a new page is checked as it is


@pytest.fixture(scope="module")
def served():
    result = load_dataset(GOOD)
    assert result.ok, f"tests/data/good does not load: {result.problems}"
    return result.dataset


def test_overview_chart_draws_points_and_the_2025_annotations(page, app_url, served):
    open_page(page, app_url + "/", chart=True)
    chart = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
    assert chart.count() == 1
    traces = chart.locator(".scatterlayer .trace")
    ratio_claims = claim_check.headline_claims(served.claims)
    plotted = ratio_claims[ratio_claims["value_low"].notna() | ratio_claims["value_high"].notna()]
    sides = plotted["speaker_side"].nunique()
    assert traces.count() >= sides, f"{traces.count()} traces drawn, expected one per speaker side ({sides}) at least"
    points = chart.locator(".scatterlayer .trace .point")
    assert points.count() >= len(plotted), f"{points.count()} markers for {len(plotted)} plotted claims"

    # Labels are wrapped to a phone's width: their lines are read back without the breaks (and spaces).
    annotations = [a.replace(" ", "") for a in chart.locator(".annotation-text").all_text_contents()]
    labelled = plotted[plotted["label"].fillna("") != ""]
    for month in ("2025-07", "2025-11"):
        rows = labelled[labelled["stated_on"].dt.strftime("%Y-%m") == month]
        assert not rows.empty, f"no labelled ratio claim in {month} in the dataset"
        for label in rows["label"]:
            assert label.replace(" ", "") in annotations, f"annotation {label!r} not drawn; drawn: {annotations}"
    words = chart.locator(".g-gtitle").first.text_content().replace(" ", "")
    assert "Source:" in words and f"datav{served.version}" in words, words

    # The key numbers above the chart: the two latest labelled claims, by speaker and date.
    metrics = [t.strip() for t in page.locator('[data-testid="stMetricLabel"]').all_inner_texts()]
    latest = labelled.sort_values("stated_on").tail(2)
    expected = [f"{r['speaker']}, {pd.Timestamp(r['stated_on']):%d %b %Y}" for _, r in latest.iterrows()]
    assert metrics[: len(expected)] == expected, metrics


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_without_an_exception(new_context, app_url, artifacts, name):
    page = new_context(viewport=TALL_VIEWPORT).new_page()
    open_page(page, app_url + PAGES[name], chart=name in CHART_PAGES)
    wait_drawn(page)  # late elements (page links, charts, download buttons) drawn before the capture
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    errors = page.locator(EXCEPTION)
    assert errors.count() == 0, f"{name}: Streamlit exception shown: {errors.first.inner_text()[:500]}"
    heading = page.locator("h1").first.inner_text().strip()
    assert heading == registry.BY_NAME[name].heading, f"{name}: heading {heading!r}"
    footer = page.get_by_text("Shell Count data v", exact=False)
    assert footer.count() >= 1, f"{name}: the page stopped before its footer"
    assert "Traceback" not in page.locator("body").inner_text()


def test_phone_viewport_overview_has_no_horizontal_overflow(new_context, app_url):
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    open_page(page, app_url + "/", chart=True)
    assert page.locator(EXCEPTION).count() == 0
    widths = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return {viewport: window.innerWidth, document: document.documentElement.scrollWidth,
                    body: document.body.scrollWidth, main: main.scrollWidth, mainClient: main.clientWidth};
        }"""
    )
    assert widths["document"] <= widths["viewport"], widths
    assert widths["body"] <= widths["viewport"], widths
    assert widths["main"] <= widths["mainClient"] + 1, widths
    # The chart fits the phone's width rather than being laid out for a desktop.
    box = page.locator('[data-testid="stPlotlyChart"]').bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= widths["viewport"] + 1, box


def test_an_unknown_path_gives_a_not_found_page_without_the_path_in_any_link(page, app_url):
    open_page(page, app_url + "/no-such-page")
    wait_drawn(page)  # the page links are drawn after the run ends; counting them at idle raced (0 of 6, 1 in 4)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("h1").first.inner_text().strip() == "Page not found"
    assert "There is no page at" in main.inner_text()
    links = main.locator('[data-testid="stPageLink"] a')
    assert links.count() == len(PAGES)
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert not any("no-such-page" in href for href in hrefs), hrefs
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    assert page.locator(EXCEPTION).count() == 0


@pytest.mark.parametrize("width", [390, 1400])
def test_the_overview_cards_lead_to_their_line_drawn_with_its_reading(new_context, app_url, width):
    """From the Rutte cards to his line, in the app, on a phone and a desktop: the line's page opens on that line with
    its reading and a drawn track."""
    phone = width < 500
    page = new_context(viewport={"width": width, "height": 1000}, is_mobile=phone, has_touch=phone,
                       user_agent=PHONE_USER_AGENT if phone else None).new_page()  # fmt: skip
    open_page(page, app_url + "/", chart=True)
    # Streamlit draws a page link with help twice, the one with its tooltip hidden on a phone: click what is shown.
    page.get_by_text("The whole line: every time it was said").filter(visible=True).first.click()
    page.wait_for_url("**/lines?line=rutte-three-months**", timeout=60_000)
    open_page(page, page.url, chart=True)
    assert page.get_by_text("Reversed on 6 November 2025").count() > 0
    assert page.locator(".js-plotly-plot").count() == 1
