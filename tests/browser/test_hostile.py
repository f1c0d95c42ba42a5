"""Hostile text stays text: a dataset seeded with script, event-handler, Markdown, LaTeX and formula
payloads in every free-text field renders with no dialog, no injected element and no script run, on
every page, and its CSV export neutralises spreadsheet formulas.

The fixture is tests/data/hostile (regenerate with tests/browser/make_hostile.py).
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.harness import PAGES, open_page
from tests.browser.make_hostile import FORMULA_START, PAYLOADS

pytestmark = pytest.mark.browser

HTML_PAYLOADS = [p for p in PAYLOADS if p.startswith("<")]
MARKUP_PAYLOADS = [":red[red]", "$\\LaTeX$", "[click](javascript:window.__pwned=1)"]
CHART_PAGES = ("overview", "output", "claims")
# Where each page shows dataset text (the Contribute page shows none but the footer's version).
SHOWS_TEXT = ("overview", "output", "claims", "data", "method")

INJECTION_PROBE = """() => {
    const found = [];
    const all = document.querySelectorAll('*');
    for (const el of all) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase(), value = attr.value;
            if (name.startsWith('on') && value.includes('__pwned')) found.push(`${el.tagName}[${name}]`);
            if ((name === 'href' || name === 'src' || name === 'xlink:href' || name === 'action')
                && /^\\s*javascript:/i.test(value)) found.push(`${el.tagName}[${name}=${value}]`);
        }
    }
    for (const s of document.querySelectorAll('script')) {
        if (s.textContent.includes('__pwned')) found.push('SCRIPT with payload');
    }
    const count = (sel) => document.querySelectorAll(sel).length;
    if (count('img[src="x"]')) found.push('img[src="x"]');
    if (count('svg[onload]')) found.push('svg[onload]');
    if (count('[onerror]')) found.push('[onerror]');
    if (count('.katex')) found.push(`.katex x${count('.katex')} (LaTeX from the data rendered)`);
    if (count('.stMarkdownColoredText')) found.push('.stMarkdownColoredText (colour directive from the data rendered)');
    for (const a of document.querySelectorAll('a')) {
        if (a.textContent.trim() === 'click') found.push(`A "click" -> ${a.getAttribute('href')} (Markdown link from the data)`);
    }
    return {pwned: typeof window.__pwned !== 'undefined', found};
}"""


def text_of_page(page) -> str:
    """All text in the document, including SVG text and the data grid's accessible cells."""
    return page.evaluate("() => document.documentElement.textContent")


def assert_inert(page, name: str, when: str) -> None:
    assert page.dialogs == [], f"{name} ({when}): a dialog opened: {page.dialogs}"
    for frame in page.frames:
        probe = frame.evaluate(INJECTION_PROBE)
        assert not probe["pwned"], f"{name} ({when}): a payload ran (window.__pwned is set)"
        assert probe["found"] == [], f"{name} ({when}): payload markup became DOM: {probe['found']}"
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name} ({when}): exception shown"


def hover_chart(page, limit: int = 8) -> list[str]:
    """Hover the first few markers of every chart; returns the hover labels shown."""
    labels: list[str] = []
    points = page.locator(".js-plotly-plot .scatterlayer .trace .point")
    for i in range(min(points.count(), limit)):
        points.nth(i).hover(force=True)
        hover = page.locator(".js-plotly-plot .hoverlayer .hovertext")
        try:
            hover.first.wait_for(state="attached", timeout=2_000)
        except Exception:  # noqa: BLE001 - a marker hidden under another has no label of its own
            continue
        labels += hover.all_text_contents()
    page.mouse.move(1, 1)
    return labels


def hover_tooltips(page) -> None:
    """Open the metrics' help tooltips (the Overview's carry each claim's interpretation)."""
    targets = page.locator('[data-testid="stMetric"] [data-testid="stTooltipIcon"]')
    for i in range(targets.count()):
        targets.nth(i).hover()
        page.wait_for_timeout(300)


@pytest.mark.parametrize("name", list(PAGES))
def test_hostile_text_stays_text(page, hostile_url, name):
    open_page(page, hostile_url + PAGES[name], chart=name in CHART_PAGES)
    if page.locator('[data-testid="stDataFrame"]').count():
        page.locator('[data-testid="stDataFrame"] [id^="glide-cell-"]').first.wait_for(state="attached")
    page.wait_for_timeout(500)
    assert_inert(page, name, "after load")

    hover_labels: list[str] = []
    if name in CHART_PAGES:
        hover_labels = hover_chart(page)
        assert hover_labels, f"{name}: hovering the chart showed no label"
        assert_inert(page, name, "after hovering the chart")
    hover_tooltips(page)
    assert_inert(page, name, "after opening help tooltips")

    if name in SHOWS_TEXT:  # the data grid fills its cells lazily: give it a few seconds
        shown: list[str] = []
        for _ in range(40):
            text = text_of_page(page) + "\n".join(hover_labels)
            shown = [p for p in HTML_PAYLOADS if p in text]
            if shown:
                break
            page.wait_for_timeout(250)
        assert shown, f"{name}: no payload is visible as text; the data's text went missing"
    if name in CHART_PAGES:
        assert any(p in label for label in hover_labels for p in HTML_PAYLOADS + MARKUP_PAYLOADS), hover_labels


def test_hostile_labels_and_speakers_show_verbatim_on_the_overview(page, hostile_url):
    """Annotations and metric labels carry the data's text literally, not rendered as markup."""
    open_page(page, hostile_url + "/", chart=True)
    # Labels are wrapped to a phone's width: compare without the spaces the line breaks took.
    annotations = [a.replace(" ", "") for a in page.locator(".js-plotly-plot .annotation-text").all_text_contents()]
    assert any('<imgsrc=xonerror="window.__pwned=1">' in a for a in annotations), annotations
    assert any("<svgonload=window.__pwned=1>" in a for a in annotations), annotations
    metrics = [t.strip() for t in page.locator('[data-testid="stMetricLabel"]').all_text_contents()]
    assert any("Mark Rutte :red[red]" in m for m in metrics), f"speaker text not shown verbatim: {metrics}"
    assert any("Mark Rutte $\\LaTeX$" in m for m in metrics), f"speaker text not shown verbatim: {metrics}"


def test_hostile_csv_export_neutralises_formulas(page, hostile_url):
    open_page(page, hostile_url + "/data")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="CSV of these rows", exact=True).click()
    with open(info.value.path(), "rb") as handle:
        text = handle.read().decode("utf-8")
    _, _, body = text.partition("\n")
    rows = list(csv.reader(io.StringIO(body)))
    header, cells = rows[0], [cell for row in rows[1:] for cell in row]
    assert len(rows) == 11, f"expected 10 rows and a header, got {len(rows)}"
    live_formulas = [c for c in cells if c.startswith(FORMULA_START)]
    assert live_formulas == [], f"cells a spreadsheet would run: {live_formulas[:5]}"
    for prefix in FORMULA_START:
        assert any(c.startswith("'" + prefix) for c in cells), f"no neutralised cell starting with '{prefix}"
    assert any(c.startswith('\'=HYPERLINK("http://x")') for c in cells)
    for column in ("speaker", "quote", "label", "publisher", "original_publisher", "source_title"):
        assert column in header, header
