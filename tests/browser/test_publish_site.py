"""The published site in real Chromium, served on loopback as a host serves it (dashboard/publish/preview.py: the
precompressed files, the cache headers).

Every view's page and embed draws its chart, with the plotly.js bundle the publisher chose for its figure and
only after its static image, with no request leaving the origin (any other origin is recorded and refused); a
figure that needs the full bundle (WebGL markers) gets it and draws; embeds fit 320, 600 and 1000 px without
horizontal scrolling and the iframe snippet sizes itself; the CSV a reader downloads from the live app equals the
published data.csv.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.publish import bundles, preview, urls
from tests.browser.harness import open_page
from tests.conftest import REPO
from tests.test_publish import built_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(chromium_path) -> Path:
    return built_site()


def serve(folder: Path) -> Iterator[str]:
    """`folder` served as a host serves the site (python -m dashboard.publish.preview), until the fixture ends."""
    server = preview.server(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    yield from serve(site)


def guarded_page(new_context, origin: str):
    """A page whose requests to any origin but `origin` are recorded on `.outside` and refused."""
    context = new_context()
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.outside = outside
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def tab(new_context, origin):
    return guarded_page(new_context, origin)


def slugs(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "latest").iterdir() if (p / "embed.html").is_file())


def wait_drawn(page) -> int:
    """Wait until the page has drawn its chart; returns how many traces Plotly drew."""
    page.wait_for_selector("html[data-chart=drawn]", timeout=60_000)
    return page.locator("#chart .main-svg").count() and page.locator("#chart .scatterlayer .trace").count()


# What the page loaded and drew: the plotly.js files fetched, when the chart's image and the bundle were requested,
# the bundle chart.js drew with, the trace types Plotly drew, and whether the Plotly that ran has WebGL markers.
DRAWN_WITH = """() => {
  const resources = performance.getEntriesByType('resource');
  const image = resources.find(e => /chart\\.svg$/.test(e.name));
  const plotly = resources.filter(e => /plotly[^/]*\\.js$/.test(e.name));
  return {plotly: plotly.map(e => new URL(e.name).pathname), image_end: image ? image.responseEnd : null,
          plotly_start: plotly.length ? plotly[0].startTime : null,
          bundle: document.documentElement.dataset.bundle,
          chosen: document.querySelector('figure.chart').dataset.bundle,
          types: [...new Set(document.getElementById('chart')._fullData.map(t => t.type))],
          has_scattergl: Object.keys(Plotly.PlotSchema.get().traces).includes('scattergl')};
}"""


def check_drawn_with_its_bundle(page, where: str) -> dict:
    """The figure drew with the one bundle the publisher chose for it, fetched after its image had loaded."""
    page.wait_for_selector("html[data-chart=drawn]", timeout=60_000)
    drawn = page.evaluate(DRAWN_WITH)
    chosen = bundles.basic() if drawn["chosen"] == "basic" else bundles.full()
    assert drawn["bundle"] == drawn["chosen"] and drawn["plotly"] == ["/" + chosen.asset], (where, drawn)
    assert drawn["has_scattergl"] == (chosen.name == "full"), (where, drawn)
    assert chosen.draws(set(drawn["types"])), (where, drawn)
    if drawn["image_end"] is not None:  # from the page's own cache the image has no timing to compare
        assert drawn["plotly_start"] >= drawn["image_end"], f"{where}: the bundle raced the image ({drawn})"
    return drawn


def test_every_view_page_and_embed_draws_its_chart_with_its_bundle_without_leaving_the_site(tab, site, origin):
    assert len(slugs(site)) >= 4
    for slug in slugs(site):
        for name in ("index.html", "embed.html"):
            response = tab.goto(f"{origin}/latest/{slug}/{name}")
            assert response.status == 200, f"{slug}/{name}: HTTP {response.status}"
            assert response.headers.get("content-encoding") == "br", f"{slug}/{name} was not sent precompressed"
            assert wait_drawn(tab) >= 1, f"{slug}/{name} drew no trace"
            assert check_drawn_with_its_bundle(tab, f"{slug}/{name}")["bundle"] == "basic"
    version = (site / "v").iterdir().__next__().name
    for path in ("/", f"/v/{version}/overview/", f"/v/{version}/index.html"):
        assert tab.goto(origin + path).status == 200
        assert wait_drawn(tab) >= 1, path
    assert not tab.outside, f"requests left the site: {tab.outside[:5]}"
    assert not tab.errors, tab.errors


def test_claim_pages_data_and_feed_open_without_leaving_the_site(tab, site, origin):
    first = sorted(p.name for p in (site / "latest" / "claims").iterdir() if p.is_dir())[0]
    for path in (f"/latest/claims/{first}/", "/latest/claims/", "/latest/data/", "/feed.xml", "/sitemap.xml"):
        response = tab.goto(origin + path)
        assert response.status == 200, path
    tab.goto(f"{origin}/latest/claims/{first}/")
    assert tab.locator("h1").inner_text().strip()
    assert tab.get_by_role("heading", name="Claim check").is_visible()
    assert not tab.outside, tab.outside[:5]
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("width", [320, 600, 1000])
def test_embeds_fit_their_width_without_horizontal_scrolling(new_context, origin, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    for slug in ("overview", "output", "claims-timeline"):
        page.goto(f"{origin}/latest/{slug}/embed.html")
        wait_drawn(page)
        scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
        assert scroll <= client, f"{slug} at {width} px scrolls sideways ({scroll} > {client})"
        drawn = page.locator("#chart .main-svg").first.bounding_box()
        assert 0 < drawn["width"] <= width, f"{slug} at {width} px: chart {drawn['width']} px wide"


@pytest.mark.parametrize("width", [320, 1000])
def test_the_iframe_snippet_sizes_the_embed_to_its_content(new_context, origin, width):
    """A host page with the documented snippet: the iframe takes the container's width and the embed's height."""
    snippet = urls.iframe_snippet(origin, "overview", "Shell Count", height=900)
    host = f'<!doctype html><html><body style="margin:0"><div style="max-width:1200px">{snippet}</div></body></html>'
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.route(f"{origin}/__host__.html", lambda route: route.fulfill(status=200, content_type="text/html", body=host))
    page.goto(f"{origin}/__host__.html")
    frame = page.frame_locator("iframe")
    frame.locator("html[data-chart=drawn]").wait_for(timeout=60_000)
    inner = page.frames[1].evaluate("document.documentElement.scrollHeight")
    page.wait_for_function(f"Math.abs(document.querySelector('iframe').getBoundingClientRect().height - {inner}) <= 1")
    box = page.locator("iframe").bounding_box()
    assert box["width"] <= width and box["width"] >= min(width, 320)
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")


def _download_csv(page, app_url: str, path: str) -> bytes:
    open_page(page, app_url + path, chart=True)
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="CSV of these rows", exact=True).click()
    return Path(info.value.path()).read_bytes()


@pytest.fixture(scope="module")
def live_app(chromium_path, tmp_path_factory):
    """The app on the live dataset, the one the site is built from (the other browser tests serve a fixture)."""
    from tests.browser.conftest import _serve

    yield from _serve(tmp_path_factory, "live", REPO / "datasets")


@pytest.mark.parametrize(("path", "slug"), [("/", "overview"), ("/claims", "claims-timeline")])
def test_the_published_csv_equals_the_apps_download_for_the_same_view(page, live_app, site, path, slug):
    from tests.browser.conftest import _url

    app_url = _url(live_app)
    downloaded = _download_csv(page, app_url, path).decode("utf-8").split("\n")
    published = (site / "latest" / slug / "data.csv").read_text(encoding="utf-8").split("\n")
    assert downloaded[1:] == published[1:], f"{slug}: the rows differ from the app's CSV"
    # The first line names the view's own link: the app's page there, the pinned published page here.
    app_header, site_header = downloaded[0], published[0]
    app_link = app_header.split("; view: ")[1].split("; licence ")[0]
    site_link = site_header.split("; view: ")[1].split("; licence ")[0]
    assert site_link.endswith(f"/{slug}/") and app_link.startswith(app_url)
    assert app_header.replace(app_link, site_link) == site_header


@pytest.fixture(scope="module")
def webgl_origin(chromium_path, tmp_path_factory) -> Iterator[str]:
    """A site whose figures need the full bundle: tests/data/good built with each chart's statement marks drawn as
    WebGL markers (scattergl, which the basic bundle lacks). No chart draws them any more (past 1,500 points they
    draw a mark per month), but a figure that needs a trace type outside basic must still get the full bundle."""
    from dashboard.present import charts
    from dashboard.publish import build, views
    from tests.conftest import GOOD

    def with_webgl(traces, layout):
        for trace in traces:
            if trace.get("mode") == "lines+markers":
                trace["type"] = "scattergl"
        return built(traces, layout)

    built = charts.figure
    out = tmp_path_factory.mktemp("webgl-site") / "site"
    data, problems = views.load(GOOD)
    assert data is not None, problems
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "figure", with_webgl)
        build.write(build.build_site(data, GOOD, "", build.Progress(stream=io.StringIO()), images=False), out)
    yield from serve(out)


def test_a_figure_that_needs_the_full_bundle_gets_it_and_draws(new_context, webgl_origin):
    tab = guarded_page(new_context, webgl_origin)
    chosen = set()
    for slug in ("overview", "output", "claims-timeline"):
        assert tab.goto(f"{webgl_origin}/latest/{slug}/").status == 200
        drawn = check_drawn_with_its_bundle(tab, slug)
        chosen.add(drawn["bundle"])
        assert ("scattergl" in drawn["types"]) == (drawn["bundle"] == "full"), (slug, drawn)
    assert "full" in chosen, "no figure of this site needed the full bundle: the test no longer tests it"
    assert not tab.outside and not tab.errors, (tab.outside, tab.errors)


@pytest.fixture(scope="module")
def hostile_origin(chromium_path, tmp_path_factory) -> Iterator[str]:
    """The site of tests/data/hostile (script, handler, Markdown and formula payloads in every text field),
    served like the real one; its images are stand-ins, since only the pages are under test here."""
    from dashboard.publish import build, views
    from tests.browser.conftest import HOSTILE

    out = tmp_path_factory.mktemp("hostile-site") / "site"
    data, problems = views.load(HOSTILE)
    assert data is not None, problems
    build.write(build.build_site(data, HOSTILE, "", build.Progress(stream=io.StringIO()), images=False), out)
    yield from serve(out)


RUNNABLE_WITH_PAYLOAD = """() => [...document.querySelectorAll('script')].filter(
    s => s.textContent.includes('__pwned') && !/^application\\/(ld\\+)?json$/.test(s.type)).length"""


def test_hostile_text_stays_text_on_every_published_page(new_context, hostile_origin):
    from tests.browser.test_hostile import INJECTION_PROBE, hover_chart

    context = new_context()
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(hostile_origin + "/") or route.request.url.startswith(("data:", "blob:")) else (outside.append(route.request.url), route.abort()))  # fmt: skip
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = ["/index.html", "/latest/claims/index.html", "/latest/data/index.html"]
    page.goto(hostile_origin + "/latest/claims/index.html")
    paths += [f"/latest/claims/{href}" for href in page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")]  # fmt: skip
    page.goto(hostile_origin + "/index.html")
    views_ = page.locator("main ul").first.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # Every view page; one embed (it shows the same figure and caption as its page, in a smaller frame).
    paths += [f"/{href}" for href in views_] + [f"/{views_[0].replace('index.html', 'embed.html')}"]
    assert len(paths) > 15
    for path in paths:
        assert page.goto(hostile_origin + path).status == 200, path
        if page.locator("figure.chart").count():
            wait_drawn(page)
            if path.endswith(("/overview/index.html", "/output/index.html", "/claims-timeline/index.html")):
                assert hover_chart(page, limit=3), f"{path}: no hover label appeared"
        probe = page.evaluate(INJECTION_PROBE)
        # The chart's data and the JSON-LD carry the payloads as JSON strings in non-executable scripts
        # ('<' written as \\u003c); the probe counts those too, so they are checked apart: no runnable one.
        runnable = page.evaluate(RUNNABLE_WITH_PAYLOAD)
        found = [f for f in probe["found"] if f != "SCRIPT with payload"]
        assert not probe["pwned"] and found == [] and runnable == 0, (path, probe, runnable)
    assert not dialogs, dialogs
    assert not outside, outside[:5]


LIGHT, DARK = "rgb(255, 255, 255)", "rgb(14, 17, 23)"  # the page background of each theme (assets/site.css)


@pytest.mark.parametrize("system", ["light", "dark"])
def test_pages_follow_the_readers_theme_and_the_theme_parameter(new_context, origin, system):
    """The page and its chart follow the system's colour scheme; ?theme=light|dark overrides it (the inline theme
    script ran: the CSP let it through by its hash); the chart is the figure for its theme and width."""
    context = new_context(color_scheme=system)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    for path in ("/latest/overview/index.html", "/latest/overview/embed.html", "/latest/claims/index.html"):
        for theme in ("", "light", "dark"):
            page.goto(f"{origin}{path}" + (f"?theme={theme}" if theme else ""))
            expected = theme or system
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == (DARK if expected == "dark" else LIGHT), (path, system, theme, background)
            assert page.evaluate("document.documentElement.dataset.theme || ''") == theme, (path, theme)
            if "overview" in path:
                page.wait_for_selector("html[data-chart=drawn]", timeout=60_000)
                paper = page.evaluate("document.getElementById('chart')._fullLayout.paper_bgcolor")
                figure = page.evaluate("document.documentElement.dataset.figure")
                assert figure == ("figure-dark.json" if expected == "dark" else "figure.json"), (path, theme, figure)
                assert (paper in ("#0E1117", "rgb(14, 17, 23)")) == (expected == "dark"), (path, theme, paper)
    assert not refused, refused


@pytest.mark.parametrize(("width", "figure"), [(390, "figure-phone.json"), (1400, "figure.json")])
def test_the_chart_is_the_figure_laid_out_for_its_width(new_context, origin, width, figure):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    for path in ("/latest/output/", "/latest/overview/embed.html"):
        page.goto(origin + path)
        page.wait_for_selector("html[data-chart=drawn]", timeout=60_000)
        assert page.evaluate("document.documentElement.dataset.figure") == figure, (path, width)
        scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
        assert scroll <= client, f"{path} at {width} px scrolls sideways"


def line_slugs(site: Path) -> list[str]:
    """Every line's page (lines/<line_id>/): a folder below latest/lines/ with an embed."""
    return sorted(f"lines/{p.name}" for p in (site / "latest" / "lines").iterdir() if (p / "embed.html").is_file())


@pytest.mark.parametrize(("width", "figure"), [(390, "figure-phone.json"), (1400, "figure.json")])
def test_every_line_page_draws_its_track_with_its_bundle_at_phone_and_desktop_width(
    new_context, origin, site, artifacts, width, figure
):
    """Each line's page (Rutte's first: the line said most often) draws its chart with the bundle the publisher
    chose for it, after its image, in the figure laid out for the width; its reading and every statement are
    there, nothing scrolls sideways and no request leaves the site. The line's embed draws too."""
    lines = line_slugs(site)
    assert "lines/rutte-three-months" in lines and len(lines) >= 2
    tab = guarded_page(lambda: new_context(viewport={"width": width, "height": 900}), origin)
    for slug in lines:
        response = tab.goto(f"{origin}/latest/{slug}/")
        assert response.status == 200, slug
        check_drawn_with_its_bundle(tab, f"{slug} at {width} px")
        assert tab.evaluate("document.documentElement.dataset.figure") == figure, (slug, width)
        assert wait_drawn(tab) >= 1, f"{slug} at {width} px drew no trace"
        assert tab.locator("#reading").is_visible() and tab.locator("#reading").inner_text().strip(), slug
        statements = tab.locator("ol.statements > li")
        assert statements.count() >= 2, slug
        scroll, client = tab.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
        assert scroll <= client, f"{slug} at {width} px scrolls sideways ({scroll} > {client})"
        chart = tab.locator("#chart .main-svg").first.bounding_box()
        assert 0 < chart["width"] <= width, (slug, width, chart)
    rutte = "lines/rutte-three-months"
    tab.goto(f"{origin}/latest/{rutte}/")
    tab.wait_for_selector("html[data-chart=drawn]", timeout=60_000)
    last = tab.locator("ol.statements > li").last
    assert last.get_attribute("class") == "statement reverses", "the reversal is the last statement"
    assert "reversed" in last.inner_text().lower(), "and says so in words"
    tab.screenshot(path=str(artifacts / f"published-line-{width}.png"), full_page=False)
    assert tab.goto(f"{origin}/latest/{rutte}/embed.html").status == 200
    check_drawn_with_its_bundle(tab, f"{rutte}/embed.html at {width} px")
    assert not tab.outside, f"requests left the site: {tab.outside[:5]}"
    assert not tab.errors, tab.errors


def test_a_claim_page_s_line_links_open_the_line_and_its_neighbours(tab, origin):
    """From the July 2025 claim: its line's page, the statement before and the one after, each a page of the site."""
    tab.goto(f"{origin}/latest/claims/rutte-2025-07-nyt-three-times/")
    assert tab.get_by_role("heading", name="In a line of claims").is_visible()
    hrefs = [
        tab.locator(selector).first.get_attribute("href") for selector in ("#line a", "#said-before a", "#said-next a")
    ]
    for href in hrefs:
        assert tab.goto(f"{origin}/latest/claims/rutte-2025-07-nyt-three-times/{href}").status == 200, href
    tab.goto(f"{origin}/latest/claims/rutte-2025-07-nyt-three-times/")
    tab.locator("#line a").click()
    tab.wait_for_selector("html[data-chart=drawn]", timeout=60_000)
    assert tab.locator("h1").inner_text().strip() == "Russia makes in three months what NATO makes in a year"
    assert not tab.outside and not tab.errors, (tab.outside, tab.errors)


def test_view_pages_stay_short_with_their_rows_folded(new_context, origin, site):
    """A view page once carried a 30-column table (~9,200 px tall); now the columns a reader needs, folded away
    past 20 rows, and data.csv for the rest."""
    page = new_context(viewport={"width": 1400, "height": 900}).new_page()
    for slug in slugs(site):
        page.goto(f"{origin}/latest/{slug}/")
        wait_drawn(page)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 5_000, f"{slug} is {height} px tall at 1400 px"
        assert page.locator("#rows th").count() <= 6, slug
