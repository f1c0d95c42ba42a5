"""The chart checker: every view of every chart, in every channel, measured in real Chromium and judged by rule.

Views (tests/browser/chart_check.py `views`): from the registry on the live dataset, every baked view, one view per
subject and per measure the page's filters offer, a date window with a single figure and an empty one. Channels:
the live app on a 390 px phone (a phone's browser: the app lays charts out for the phone it is told of), at
1400 px and at 1400 px in dark mode (the browser prefers a dark colour scheme), and every image export
(export.FORMATS: what each hands the renderer, drawn by the plotly.js kaleido uses at the size and scale given).
The rules are chart_check.problems; a failure names the view, the size and the element:

    output?subject=NATO at 390 px: upper panel “Output” (xy) has 0 dated tick labels (labels shown: none)

Run alone: `.venv/bin/python -m pytest tests/browser/test_chart_check.py` (one view: add `-k output-subject-nato`,
one channel: `-k 390px`, `-k dark-1400px`, `-k test_export_chart`). A failing chart's screenshot is kept in
tests/artifacts/chart-check/.
"""

from __future__ import annotations

from pathlib import Path

import plotly
import plotly.io as pio
import pytest

from dashboard import settings
from dashboard.data.load import load_dataset
from dashboard.present import registry
from tests.browser import chart_check
from tests.browser.chart_check import LIVE, Channel, View
from tests.browser.conftest import _serve, _url
from tests.browser.harness import REPO, open_page, wait_idle

pytestmark = pytest.mark.browser

LOADED = load_dataset(REPO / "datasets")
DATA = LOADED.dataset
VIEWS = chart_check.views(DATA) if DATA is not None else []
# Plotly.js as kaleido loads it for every PNG/SVG export (plotly.py's own bundle).
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTS = '[data-testid="stMain"] .js-plotly-plot'
DRAWN = f"() => [...document.querySelectorAll('{PLOTS}')].some((gd) => gd._fullLayout && gd.calcdata)"
SETTLED = """(gd) => new Promise((done) => {  // Plotly's responsive re-layout to the container, then two frames
  const fits = () => gd._fullLayout && Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 2;
  const wait = (tries) => fits() || tries <= 0
    ? requestAnimationFrame(() => requestAnimationFrame(() => done(fits())))
    : setTimeout(() => wait(tries - 1), 50);
  wait(100);
})"""
APP_BACKGROUND = "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"

_CHARTS: dict[tuple, object] = {}


def _dataset_or_fail():
    if DATA is None:
        pytest.fail("the live dataset does not load: " + "; ".join(str(p) for p in LOADED.problems), pytrace=False)
    return DATA


def chart_of(view: View):
    """The view's filter state and chart model (computed once per view for every channel)."""
    data = _dataset_or_fail()
    state = chart_check.state_of(view, data)
    key = (view.page.name, state)
    if key not in _CHARTS:
        _CHARTS[key] = chart_check.model(view.page, data, state, chart_check.PUBLIC_URL + view.path(state))
    chart = _CHARTS[key]
    if view.window == "single":
        assert len(chart.rows) == 1, f"{view.name(state)}: the window holds {len(chart.rows)} figures, not one"
    if view.window == "empty":
        assert chart.empty, f"{view.name(state)}: the window was meant to hold nothing: {len(chart.rows)} rows"
    return state, chart


# Streamlit's own header floats over the page; a screenshot of the chart leaves it out.
HIDE_APP_HEADER = '[data-testid="stHeader"], [data-testid="stToolbar"] { visibility: hidden !important; }'


def keep_screenshot(element, name: str, failed: bool) -> None:
    """A PNG of the chart as measured (after it was measured): failing charts always, every chart with --shots."""
    folder = chart_check.SHOTS or (chart_check.SHOTS_ON_FAILURE if failed else None)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    page, window = element.page, element.page.viewport_size
    # The app scrolls inside its own container, which clips a chart taller than the window: open the window.
    tall = element.evaluate("(e) => Math.ceil(e.getBoundingClientRect().height) + 200")
    if tall > window["height"]:
        page.set_viewport_size({"width": window["width"], "height": tall})
    try:
        element.screenshot(path=str(folder / f"{name}.png"), animations="disabled", style=HIDE_APP_HEADER)
    finally:
        page.set_viewport_size(window)


def judge(elements: list, view: View, state, chart, channel: Channel, extra: list[str] = ()) -> str:
    """The report of what is wrong with the charts drawn in `elements` ('' when nothing is). The view model's
    mark kinds are asked of its own chart (the one titled as it is), or of every chart when none is."""
    measured = [element.evaluate(chart_check.MEASURE_JS) for element in elements]
    title = " ".join(chart.title.split())
    own = [title in m["titleText"] for m in measured]
    kinds = chart_check.mark_kinds(chart)
    found = list(extra)
    for i, (element, m) in enumerate(zip(elements, measured, strict=True)):
        found += chart_check.problems(m, channel, kinds if own[i] or not any(own) else [])
        suffix = f"-{i + 1}" if len(elements) > 1 else ""
        keep_screenshot(element, f"{view.id}-{channel.id}{suffix}", bool(found))
    return chart_check.report(view.name(state), channel, found)


def fail_on(reports: list[str]) -> None:
    """Fail with every problem found, one per line (no assertion rewriting: the lines are the message)."""
    found = "\n".join(r for r in reports if r)
    if found:
        pytest.fail(found, pytrace=False)


# ---- the live app -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live_server(chromium_path, tmp_path_factory):
    """The app on the live dataset (the views and their baked variants are the live dataset's), deployed at
    chart_check.PUBLIC_URL, so the permalinks drawn in its charts are as long as a deployed app's."""
    yield from _serve(tmp_path_factory, "live", None, **{settings.PUBLIC_URL.name: chart_check.PUBLIC_URL})


class Tabs:
    """One page per channel (its own context: window, colour scheme, phone or not), reused for every view.

    Page loads dominate the run, so each channel's page starts loading its next view while another channel's is
    checked (`prefetch`): the server and the browser work on up to three views at once."""

    def __init__(self, browser, url: str) -> None:
        self.browser, self.url = browser, url
        self.pages: dict[str, object] = {}
        self.loading: dict[str, str] = {}  # channel id → the URL its page was sent to and not yet checked

    def page(self, channel: Channel):
        if channel.id not in self.pages:
            context = self.browser.new_context(**channel.context_options())
            context.set_default_timeout(60_000)
            self.pages[channel.id] = context.new_page()
        return self.pages[channel.id]

    def prefetch(self, channel: Channel, path: str) -> None:
        """Send the channel's page to a view without waiting for it (its own test waits)."""
        url = self.url + "/" + path
        if self.loading.get(channel.id) != url:
            self.page(channel).goto(url, wait_until="commit")
            self.loading[channel.id] = url

    def show(self, channel: Channel, path: str):
        """The channel's page showing the view, its script run finished."""
        url, page = self.url + "/" + path, self.page(channel)
        if self.loading.pop(channel.id, None) == url:
            wait_idle(page)
        else:
            open_page(page, url)
        return page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def tabs(browser, live_server):
    made = Tabs(browser, _url(live_server))
    yield made
    made.close()


def next_views(request) -> dict[str, View]:
    """For each other live channel, the view its next test in this run checks."""
    items = request.session.items
    here = items.index(request.node)
    found: dict[str, View] = {}
    for item in items[here + 1 : here + 1 + len(LIVE)]:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if getattr(item, "originalname", "") == "test_live_chart" and isinstance(params.get("view"), View):
            found.setdefault(params["channel"].id, params["view"])
    return found


LIVE_CASES = [pytest.param(view, channel, id=f"{view.id}-{channel.id}") for view in VIEWS for channel in LIVE]


@pytest.mark.parametrize(("view", "channel"), LIVE_CASES or [pytest.param(None, LIVE[0], id="no-live-dataset")])
def test_live_chart(view: View, channel: Channel, tabs, request):
    _dataset_or_fail()
    state, chart = chart_of(view)
    upcoming = next_views(request)
    for other in LIVE:  # the other channels' pages start on their next views while this one is checked
        if other.id != channel.id and other.id in upcoming:
            tabs.prefetch(other, upcoming[other.id].path(chart_of(upcoming[other.id])[0]))
    page = tabs.show(channel, view.path(state))
    extra = []
    if channel.dark:
        background = [float(c) for c in page.evaluate(APP_BACKGROUND).split("(")[1].rstrip(")").split(",")]
        if chart_check.luminance(background) >= 0.5:
            extra.append(f"the app itself is not dark (background {chart_check.hex_colour(background)})")
    plots = page.locator(PLOTS)
    if chart.empty:  # the page says so in words; a chart drawn anyway must not be empty axes
        if not plots.count():
            fail_on([chart_check.report(view.name(state), channel, extra)])
            return
    else:
        try:
            page.wait_for_function(DRAWN, timeout=30_000)
        except Exception as error:  # noqa: BLE001 - reported as the view's failure, with its name
            pytest.fail(chart_check.report(view.name(state), channel, [f"no chart drawn ({error.__class__.__name__})"]))
    elements = [plots.nth(i) for i in range(plots.count())]
    for element in elements:
        element.evaluate(SETTLED)
    fail_on([judge(elements, view, state, chart, channel, extra)])


# ---- the image exports ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def export_tab(browser):
    """A page holding plotly.js the way kaleido's page does, where each exported figure is drawn alone."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.set_content("<!DOCTYPE html><html><body style='margin:0;padding:0'><div id='gd'></div></body></html>")
    page.add_script_tag(path=str(PLOTLY_JS))
    yield page
    context.close()


DRAW_EXPORT = """async ([figure, width, height]) => {
  const gd = document.getElementById('gd');
  Plotly.purge(gd);
  gd.style.width = width + 'px';  // the image's own size, as kaleido's page draws it
  gd.style.height = height + 'px';
  const fig = JSON.parse(figure);
  const layout = Object.assign(fig.layout || {}, {width: width, height: height});
  await Plotly.newPlot(gd, fig.data || [], layout, Object.assign({staticPlot: true}, fig.config || {}));
}"""

EXPORT_CASES = [pytest.param(view, id=view.id) for view in VIEWS if view.window != "empty"]


@pytest.mark.parametrize("view", EXPORT_CASES or [pytest.param(None, id="no-live-dataset")])
def test_export_chart(view: View, export_tab):
    """Every image export of the view (PNG and SVG at 1280×720, the portrait at 1080×1350, any other image
    format export.FORMATS declares), as the renderer would be handed it."""
    data = _dataset_or_fail()
    state, chart = chart_of(view)
    assert not chart.empty, chart_check.report(view.name(state), LIVE[0], [f"the chart is empty: {chart.empty}"])
    images = chart_check.exports(chart, data)
    assert images, "export.FORMATS declares no image format"
    reports = []
    for image in images:
        export_tab.evaluate(DRAW_EXPORT, [pio.to_json(image.figure), image.width, image.height])
        reports.append(judge([export_tab.locator("#gd")], view, state, chart, image.channel()))
    fail_on(reports)


def test_every_view_is_checked():
    """The checker visits every baked view, and a one-filter state per subject and measure each page offers."""
    data = _dataset_or_fail()
    ids = [view.id for view in VIEWS]
    assert len(ids) == len(set(ids)), "two views share a test id"
    states = {(view.page.name, view.state) for view in VIEWS if not view.window}
    assert {(page.name, variant.view) for page, variant in registry.baked(data)} <= states
    for page in registry.CHART_PAGES:
        for name in chart_check.ONE_FILTER_STATES:
            if name in page.filter_names:
                alone = {getattr(v.state, name) for v in VIEWS if v.page is page and not v.window}
                assert {(value,) for value in page.options(data)[name]} <= alone, (page.name, name)
        if {"start", "end"} <= set(page.filter_names):
            assert {v.window for v in VIEWS if v.page is page} >= {"single", "empty"}, page.name
