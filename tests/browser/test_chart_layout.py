"""The drawn charts at a 390 px phone and at 1400 px: nothing over the plot, nothing cut, nothing colliding.

Measured in real Chromium on the figure as Plotly laid it out (bounding boxes of the SVG elements), for the
three chart pages. Also: a subject keeps its colour and symbol whatever the filter.
"""

from __future__ import annotations

import itertools

import pytest

from tests.browser.chart_check import PHONE_USER_AGENT
from tests.browser.conftest import _url
from tests.browser.harness import PAGES, open_page

pytestmark = pytest.mark.browser

CHART_PAGES = ("overview", "output", "claims")
WIDTHS = (390, 1400)
DAY_MS = 86_400_000

MEASURE = """(gd) => {
  const box = (e) => { const b = e.getBoundingClientRect(); return {x: b.x, y: b.y, r: b.right, b: b.bottom}; };
  const time = (v) => typeof v === 'number' ? v : Date.parse(String(v).replace(' ', 'T'));
  const xs = [];
  for (const t of gd.data) {
    if ((t.xaxis || 'x') !== 'x' && t.xaxis !== 'x2') continue;
    for (const v of (t.x || [])) { if (v !== null && v !== undefined) xs.push(time(v)); }
  }
  const ticks = [...gd.querySelectorAll('.xaxislayer-above')].map(
    (layer) => [...layer.querySelectorAll('.xtick text')].filter((t) => t.textContent).map(box));
  const legend = gd.querySelector('g.legend');
  return {
    figure: box(gd.querySelector('.main-svg')),
    plots: [...gd.querySelectorAll('.draglayer .nsewdrag')].map(box),
    legend: legend && gd._fullLayout.showlegend ? box(legend.querySelector('.bg') || legend) : null,
    title: box(gd.querySelector('.g-gtitle')),
    ticks: ticks,
    range: gd._fullLayout.xaxis.range.map(time),
    span: [Math.min(...xs), Math.max(...xs)],
  };
}"""


def intersects(a: dict, b: dict) -> bool:
    return a["x"] < b["r"] - 1 and b["x"] < a["r"] - 1 and a["y"] < b["b"] - 1 and b["y"] < a["b"] - 1


@pytest.fixture(scope="module")
def layouts(browser, app_server):
    """Every chart page measured once at each width."""
    app_url, out = _url(app_server), {}
    for width in WIDTHS:
        # At 390 px as a phone browses (its User-Agent says so, and the app lays its charts out for a phone).
        phone = dict(user_agent=PHONE_USER_AGENT, is_mobile=True, has_touch=True) if width < 500 else {}
        context = browser.new_context(viewport={"width": width, "height": 1000}, **phone)
        page = context.new_page()
        for name in CHART_PAGES:
            open_page(page, app_url + PAGES[name], chart=True)
            page.wait_for_timeout(500)  # Plotly's responsive re-layout after the first draw
            out[(name, width)] = page.locator(".js-plotly-plot").first.evaluate(MEASURE)
        context.close()
    return out


CASES = [(name, width) for name in CHART_PAGES for width in WIDTHS]


@pytest.mark.parametrize(("name", "width"), CASES)
def test_the_legend_never_lies_over_the_plot(layouts, name, width):
    m = layouts[(name, width)]
    assert m["plots"], "no plot area drawn"
    if m["legend"]:
        for plot in m["plots"]:
            assert not intersects(m["legend"], plot), f"legend {m['legend']} over plot {plot}"


@pytest.mark.parametrize(("name", "width"), CASES)
def test_title_block_lies_inside_the_figure_and_above_the_plot(layouts, name, width):
    m = layouts[(name, width)]
    title, figure = m["title"], m["figure"]
    assert title["x"] >= figure["x"] - 1 and title["r"] <= figure["r"] + 1, f"title {title} cut at the side"
    assert title["y"] >= figure["y"] - 1, f"title {title} cut at the top"
    assert all(not intersects(title, plot) for plot in m["plots"])


@pytest.mark.parametrize(("name", "width"), CASES)
def test_x_tick_labels_do_not_overlap(layouts, name, width):
    for axis in layouts[(name, width)]["ticks"]:
        labels = sorted(axis, key=lambda b: b["x"])
        for left, right in itertools.pairwise(labels):
            assert right["x"] >= left["r"] - 1, f"tick labels overlap: {left} and {right}"
        for label in labels:
            figure = layouts[(name, width)]["figure"]
            assert label["x"] >= figure["x"] - 1 and label["r"] <= figure["r"] + 1, f"tick label cut: {label}"


@pytest.mark.parametrize(("name", "width"), CASES)
def test_x_range_fits_the_data_it_shows(layouts, name, width):
    m = layouts[(name, width)]
    low, high = m["span"]
    margin = max((high - low) * 0.1, 62 * DAY_MS)
    assert low - margin <= m["range"][0] <= low + 1 and high - 1 <= m["range"][1] <= high + margin, (
        m["range"],
        m["span"],
    )


def test_a_subject_keeps_its_colour_and_symbol_across_filter_states(page, app_url):
    looks = []
    for query in ("?subject=Russia%2CUnited+States", "?subject=United+States"):
        open_page(page, app_url + PAGES["output"] + query, chart=True)
        looks.append(
            page.locator(".js-plotly-plot").first.evaluate(
                """(gd) => gd.data.filter((t) => t.name === 'United States' && t.hovertext)
                              .map((t) => [t.marker.color, String(t.marker.symbol)])"""
            )
        )
    assert looks[0] and sorted(looks[0]) == sorted(looks[1]), looks
    assert ["#0072B2", "square"] in looks[1]
