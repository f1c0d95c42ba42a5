"""The static site (python -m dashboard.publish): complete, linked, parseable, deterministic, faithful to the app.

Two builds of the live dataset's site, each made at most once per test session:

* `site`, for the fast loop: every page, CSV, metadata file, feed and sitemap as published, with placeholder bytes
  for the chart images (rendering them through kaleido/Chromium is most of a build's time);
* `built_site()`, the complete build with real images, shared with the browser tests in
  tests/browser/test_publish_site.py and used by the `slow` tests below that are about the images: their sizes and
  words, and byte identity with a second build run as the real command in a subprocess (so that check also covers
  a fresh kaleido/Chromium).
"""

from __future__ import annotations

import ast
import atexit
import base64
import csv
import functools
import gzip
import hashlib
import io
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import brotli
import markupsafe
import pytest

from dashboard.analysis import claim_check
from dashboard.analysis import lines as line_reading
from dashboard.data.load import load_dataset
from dashboard.present import export, registry, view_models
from dashboard.present.chart_style import DESKTOP, THEMES
from dashboard.publish import build, bundles, compress, feed, hosting, preview, urls, views
from tests.conftest import GOOD, REPO, chromium_or_skip, set_cell

LIVE = REPO / "datasets"
HOSTILE = REPO / "tests" / "data" / "hostile"
BASE_URL = "https://example.org/shellcount/"
# A view's files: its pages, every published export format, its metadata and oEmbed, and the site's own figures.
VIEW_FILES = (
    "index.html", "embed.html", *(f.file for f in export.PUBLISHED_FORMATS), "metadata.json", "oembed.json",
    *build.FIGURES, build.DARK_IMAGE,
)  # fmt: skip
ATOM = "{http://www.w3.org/2005/Atom}"


@functools.cache
def built_site() -> Path:
    """The live dataset's site, built once per process into a temporary folder (removed at exit)."""
    chromium_or_skip()
    out = Path(tempfile.mkdtemp(prefix="shellcount-site-")) / "site"
    atexit.register(shutil.rmtree, out.parent, True)
    data, problems = views.load(LIVE)
    assert data is not None, problems
    build.write(build.build_site(data, LIVE, BASE_URL, build.Progress(stream=io.StringIO())), out)
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The live dataset's site with placeholder chart images (everything else exactly as published)."""
    out = tmp_path_factory.mktemp("site-pages") / "site"
    data, problems = views.load(LIVE)
    assert data is not None, problems
    build.write(build.build_site(data, LIVE, BASE_URL, build.Progress(stream=io.StringIO()), images=False), out)
    return out


@pytest.fixture(scope="session")
def real_site() -> Path:
    return built_site()


@pytest.fixture(scope="module")
def live():
    result = load_dataset(LIVE)
    assert result.ok, result.problems
    return result.dataset


def view_folders(site: Path, live) -> list[Path]:
    return sorted(p for p in (site / "v" / live.version).iterdir() if (p / "embed.html").is_file())


def run_publish(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.publish", *args], cwd=cwd, capture_output=True, text=True, timeout=300)  # fmt: skip


# ---- what is there ---------------------------------------------------------------------------------
def test_every_canonical_view_has_every_file_in_both_trees(site, live):
    slugs = {variant.slug for _, variant in registry.baked(live)}
    assert {"overview", "output", "claims-timeline", "output-russia"} <= slugs
    for tree in (f"v/{live.version}", "latest"):
        for slug in slugs:
            for name in VIEW_FILES:
                assert (site / tree / slug / name).is_file(), f"{tree}/{slug}/{name} is missing"
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml"):
        assert (site / name).is_file(), name
    assert (site / bundles.basic().asset).is_file()
    assert (site / "_headers").is_file()


def test_latest_files_other_than_pages_are_copies_of_the_pinned_version(site, live):
    pinned = site / "v" / live.version
    for file in (site / "latest").rglob("*"):
        if file.is_file() and ".html" not in file.name:  # pages (and their compressed copies) differ in paths
            assert file.read_bytes() == (pinned / file.relative_to(site / "latest")).read_bytes(), file


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
def test_images_have_the_export_sizes_and_the_svg_names_source_and_version(real_site, live):
    for folder in view_folders(real_site, live):
        assert png_size((folder / "chart.png").read_bytes()) == (1280, 720), folder.name
        assert png_size((folder / "chart-portrait.png").read_bytes()) == (1080, 1350), folder.name
        words = "".join(ET.fromstring((folder / "chart.svg").read_bytes()).itertext())
        assert f"Shell Count data v{live.version}" in words and "Source:" in words, folder.name


# ---- the same as the app ---------------------------------------------------------------------------
def app_models(live):
    """Each published view's chart as the app's pages build it (the registry's model), with the published link."""
    link = functools.partial(urls.view_url, BASE_URL, version=live.version)
    return {v.slug: page.chart.model(live, v.view, link(v.slug)).chart for page, v in registry.baked(live)}


def test_csv_and_metadata_match_what_the_app_exports_for_the_same_view(site, live):
    for slug, chart in app_models(live).items():
        link = urls.view_url(BASE_URL, slug, version=live.version)
        # The header line exactly as the app's CSV download writes it (export.FORMAT["csv"] with csv_header).
        header = (
            f"Shell Count data v{live.version}; {len(chart.rows)} rows; view: {link}; licence {live.package.license}"
        )
        expected = export.rows_csv(chart.rows, live.package, header)
        assert (site / "v" / live.version / slug / "data.csv").read_bytes() == expected, slug
        meta = json.loads((site / "latest" / slug / "metadata.json").read_text(encoding="utf-8"))
        citation = export.Citation(chart.title, live.version, link, date.fromisoformat(live.updated))
        assert meta["title"] == chart.title and meta["version"] == live.version, slug
        assert meta["description"] == chart.summary and meta["rows"] == len(chart.rows), slug
        assert meta["licence"]["name"] == live.package.license, slug
        assert meta["citation"] == {"text": citation.plain(), "bibtex": citation.bibtex()}, slug
        assert meta["csv_first_line"] == "# " + header, slug
        columns = next(csv.reader(io.StringIO(expected.decode().split("\n", 2)[1])))
        assert [c["name"] for c in meta["columns"]] == columns, slug
        assert all(c["meaning"] for c in meta["columns"]), f"{slug}: a column without a meaning"
        assert meta["urls"]["csv"] == urls.data_csv_url(BASE_URL, slug, live.version)
        assert meta["latest_urls"]["csv"] == BASE_URL + f"latest/{slug}/data.csv"


def test_the_page_carries_the_apps_figure_in_every_size_and_theme_and_its_sentence(site, live):
    """figure[-phone][-dark].json are the app's chart rebuilt for that style (the page picks one)."""
    overview = registry.BY_NAME["overview"]
    link = urls.view_url(BASE_URL, "overview", version=live.version)
    chart = overview.chart.model(live, overview.default_variant().view, link, DESKTOP).chart
    for name, style in build.FIGURES.items():
        spec = json.loads((site / "latest" / "overview" / name).read_text(encoding="utf-8"))
        app = json.loads(chart.figure_for(style).to_json())
        assert spec["data"] == app["data"] and spec["layout"] == app["layout"], name
    dark = (site / "latest" / "overview" / "figure-dark.json").read_text(encoding="utf-8")
    assert THEMES["dark"].paper in dark and THEMES["dark"].paper not in (
        site / "latest" / "overview" / "figure.json"
    ).read_text(encoding="utf-8")
    page = (site / "latest" / "overview" / "index.html").read_text(encoding="utf-8")
    assert describe_text(chart.summary) in page


def describe_text(text: str) -> str:
    return str(markupsafe.escape(text))


# ---- links ------------------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for attribute in ("href", "src"):
            if values.get(attribute) is not None:
                self.links.append((tag, attribute, values[attribute]))
        if tag == "meta" and values.get("property") == "og:image":
            self.links.append((tag, "content", values["content"]))
        if tag == "figure" and values.get("data-plotly"):  # the bundle chart.js loads for this figure
            self.links.append((tag, "data-plotly", values["data-plotly"]))
        self._in_ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in_ld = False


def parsed(file: Path) -> _Links:
    parser = _Links()
    parser.feed(file.read_text(encoding="utf-8"))
    return parser


def target(site: Path, page: Path, link: str) -> Path | None:
    """The file a link points to inside the site, or None for a link that leaves it."""
    link = urldefrag(link)[0]
    if link.startswith(BASE_URL):
        path = site / link[len(BASE_URL) :]
    elif urlsplit(link).scheme or link.startswith("//"):
        return None
    elif link.startswith("/"):
        path = site / link.lstrip("/")
    else:
        path = page.parent / link
    return path / "index.html" if link.endswith("/") or path.is_dir() else path


def test_no_dead_internal_link_and_nothing_loaded_from_elsewhere(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 300
    dead, outside = [], []
    for page in pages:
        for tag, attribute, link in parsed(page).links:
            if link.startswith("data:"):
                continue
            file = target(site, page, link)
            if file is None:
                # Only a reader's click may leave the site (a source link); nothing is loaded from elsewhere.
                if tag != "a":
                    outside.append(f"{page.relative_to(site)}: <{tag} {attribute}={link}>")
                continue
            if not file.resolve().is_file():
                dead.append(f"{page.relative_to(site)}: {link}")
    assert not dead, f"{len(dead)} dead links, e.g. {dead[:5]}"
    assert not outside, outside[:5]


def test_sitemap_and_metadata_urls_point_at_files_that_exist(site, live):
    locations = [
        e.text
        for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert BASE_URL + f"latest/claims/{live.claims['claim_id'].iloc[0]}/" in locations
    for url in locations:
        assert target(site, site / "index.html", url).is_file(), url
    for folder in view_folders(site, live):
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        for url in [*meta["urls"].values(), *meta["latest_urls"].values()]:
            assert target(site, site / "index.html", url).is_file(), url
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (site / "robots.txt").read_text()


# ---- a lean site: the smallest bundle, precompressed files, cache rules -------------------------------------------
def test_every_text_file_has_precompressed_copies_that_decompress_to_it(site):
    texts = [p for p in site.rglob("*") if p.is_file() and compress.compressible(p.name)]
    assert len(texts) > 400 and any(p.name == "index.html" for p in texts)
    for file in texts:
        original = file.read_bytes()
        gz, br = file.with_name(file.name + ".gz"), file.with_name(file.name + ".br")
        assert gzip.decompress(gz.read_bytes()) == original, gz.relative_to(site)
        assert brotli.decompress(br.read_bytes()) == original, br.relative_to(site)
    for encoded in [*site.rglob("*.gz"), *site.rglob("*.br")]:
        assert encoded.with_suffix("").is_file(), f"{encoded.relative_to(site)} has no original"
    bundle = site / bundles.basic().asset
    assert len((bundle.parent / (bundle.name + ".br")).read_bytes()) < 350_000, "the chart bundle is ~330 kB brotli"


def test_every_published_text_format_is_precompressed():
    """A new export format of a text type is precompressed like CSV and SVG: compress.SUFFIXES is the publisher's
    list of what it compresses, and a new extension must be in it (PNG is compressed already)."""
    for f in export.PUBLISHED_FORMATS:
        text = f.mime.startswith("text/") or f.mime.endswith(("+xml", "/json"))
        assert compress.compressible(f.file) == text, f"{f.file} ({f.mime}): add .{f.extension} to compress.SUFFIXES"


def test_the_vendored_basic_bundle_is_the_plotly_js_the_python_package_bundles():
    basic, full = bundles.basic(), bundles.full()
    assert basic.version == full.version, (
        f"plotly.js {full.version} in the plotly package, {basic.version} in dashboard/publish/assets/: "
        "vendor the basic bundle of the same version (dashboard/publish/assets/README.md says how)"
    )
    assert (bundles.ASSETS / "plotly-basic-LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert f"plotly.js-basic-dist-min@{basic.version}" in (bundles.ASSETS / "README.md").read_text(encoding="utf-8")
    assert basic.path.stat().st_size < full.path.stat().st_size / 3


def test_each_figure_gets_the_smallest_bundle_that_draws_it(live, monkeypatch):
    """Every chart the app draws is scatter traces: basic, also past 1,500 points, where the charts draw a mark per
    month instead of WebGL markers. A figure with any other trace type (scattergl, a heatmap) gets the full one."""
    specs = {
        v.slug: json.loads(page.chart.model(live, v.view, "").chart.figure.to_json())
        for page, v in registry.baked(live)
    }
    assert {bundles.for_figure(spec).name for spec in specs.values()} == {"basic"}
    from dashboard.present import charts

    monkeypatch.setattr(charts, "MANY_POINTS", 2)  # as if every chart held thousands of figures
    for name in ("overview", "output", "claims"):
        page = registry.BY_NAME[name]
        spec = json.loads(page.chart.model(live, page.default_variant().view, "").chart.figure.to_json())
        assert bundles.trace_types(spec) == {"scatter"} and bundles.for_figure(spec).name == "basic", name
    assert bundles.for_figure({"data": [{"type": "scattergl"}]}).name == "full"
    assert bundles.for_figure({"data": [{"type": "heatmap"}]}).name == "full"
    assert bundles.for_figure({"data": [{"x": [1]}, {"type": "bar"}]}).name == "basic"  # no type: a scatter


def test_view_pages_load_plotly_only_through_their_figure_after_the_image(site, live):
    """No page names plotly.js in a <script> tag (which would race the image); each chart's <figure> names the bundle
    chart.js fetches, and on the live data every one is basic: the full bundle is not even written."""
    pages = [p for p in site.rglob("*.html") if 'class="chart"' in p.read_text(encoding="utf-8")]
    assert len(pages) >= 2 * 2 * len(registry.baked(live))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "plotly" not in " ".join(re.findall(r"<script\b[^>]*>", text)), page
        (figure,) = [attrs for tag, attrs in _start_tags(text) if tag == "figure"]
        assert figure["data-bundle"] == "basic" and figure["data-plotly"].endswith(bundles.basic().asset), page
    assert not (site / bundles.full().asset).exists()


def test_cache_rules_are_written_for_hosts_and_never_overlap(site):
    rules = dict(re.findall(r"^(/\S*)\n  Cache-Control: (.+)$", (site / "_headers").read_text(encoding="utf-8"), re.M))
    assert rules == dict(hosting.RULES)
    year = "public, max-age=31536000, immutable"
    assert rules["/assets/*"] == rules["/v/*"] == year
    assert rules["/latest/*"] == rules["/feed.xml"] == rules["/"] == "public, max-age=300"
    for path in ("/assets/x.js", "/v/1.0.0/overview/", "/latest/overview/", "/feed.xml", "/", "/robots.txt"):
        matching = [p for p in rules if p == path or (p.endswith("*") and path.startswith(p[:-1]))]
        assert len(matching) == 1, f"{path} matches {matching}: hosts would join their headers"
    root_files = [p.name for p in site.iterdir() if p.is_file() and compress.compressible(p.name)]
    assert all(hosting.cache_control("/" + name) == rules["/feed.xml"] for name in root_files)


def test_the_preview_server_sends_precompressed_files_and_cache_headers(tmp_path):
    (tmp_path / "latest" / "x").mkdir(parents=True)
    page = b"<!doctype html><p>" + b"shells " * 500
    (tmp_path / "latest" / "x" / "index.html").write_bytes(page)
    for path, content in compress.precompressed({"latest/x/index.html": page}).items():
        (tmp_path / path).write_bytes(content)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.png").write_bytes(b"png")
    httpd = preview.server(tmp_path)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    try:
        for accepted, encoding in (("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None)):
            request = urllib.request.Request(base + "/latest/x/", headers={"Accept-Encoding": accepted})
            with urllib.request.urlopen(request) as answer:
                body = answer.read()
                assert answer.headers.get("Content-Encoding") == encoding
                assert answer.headers["Cache-Control"] == "public, max-age=300"
                assert "Accept-Encoding" in answer.headers["Vary"]
            assert {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body) == page
        with urllib.request.urlopen(base + "/assets/a.png") as answer:
            assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert answer.headers.get("Content-Encoding") is None and answer.read() == b"png"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---- structured data and the feed ----------------------------------------------------------------------
def json_ld(page: Path) -> list[dict]:
    return [json.loads(text) for text in parsed(page).json_ld]


def test_claim_pages_carry_claim_and_claim_review_json_ld(site, live):
    checked = set(claim_check.claim_vs_estimates(live.claims)["claim_id"])
    assert checked, "the live dataset has comparative claims"
    for claim_id in live.claims["claim_id"]:
        page = site / "latest" / "claims" / claim_id / "index.html"
        items = {item["@type"]: item for item in json_ld(page)}
        claim = items["Claim"]
        assert claim["identifier"] == claim_id and claim["text"] and claim["author"]["name"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", claim["datePublished"])
        assert claim["appearance"]["url"].startswith("https://")
        if claim_id in checked:
            review = items["ClaimReview"]
            assert review["itemReviewed"]["identifier"] == claim_id
            assert review["reviewRating"]["ratingExplanation"] and review["reviewRating"]["alternateName"]
            assert review["claimReviewed"] and review["author"]["name"] and review["url"].startswith(BASE_URL)
        else:
            assert "ClaimReview" not in items


def test_data_index_carries_dataset_json_ld_with_working_downloads(site, live):
    (dataset,) = json_ld(site / "v" / live.version / "data" / "index.html")
    assert dataset["@type"] == "Dataset" and dataset["version"] == live.version
    for key in ("name", "description", "license", "url", "creator", "datePublished"):
        assert dataset[key], key
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert {"text/csv", "application/zip"} <= formats
    for item in dataset["distribution"]:
        assert target(site, site / "index.html", item["contentUrl"]).is_file(), item["contentUrl"]


def test_feed_parses_and_lists_every_release(site, live):
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == ATOM + "feed"
    titles = [e.findtext(ATOM + "title") for e in root.iter(ATOM + "entry")]
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}", live.changelog, re.M)
    assert released
    for version in released:
        assert f"Shell Count data v{version} released" in titles
    for entry in root.iter(ATOM + "entry"):
        assert entry.findtext(ATOM + "id").startswith("urn:uuid:") and entry.findtext(ATOM + "updated")


def test_feed_has_one_entry_per_corrected_claim_linking_its_page():
    """The changelog lists a correction per field; the feed has one entry per claim a release corrected, with every
    field and each reason once. A source's correction joins the entries of the claims citing it."""
    changelog = (
        '# Changelog\n\n## [Unreleased]\n\n### Corrections\n- `not-yet` value_low: "1" → "2". Why: unreleased\n\n'
        '## [1.1.0] - 2026-12-01\n\n### Corrections\n- `rutte-2025-07-nyt` value_low: "3" → "4". Why: typo\n'
        '- `rutte-2025-07-nyt` label: "x" → "y". Why: typo\n- `other-id` quote: "a" → "b". Why: misquoted\n'
        '- `src-1` (sources.csv) grade: "secondary" → "relay". Why: relayed\n'
        '- `src-2` (sources.csv) grade: "relay" → "secondary". Why: first-hand\n'
        "- `datapackage.json` (by hand) a new measure. Why: needed\n\n"
        "## [1.0.0] - 2026-11-25\n\n### Added\n- First release.\n"
    )
    cited = {"src-1": ["other-id"]}  # src-2 is cited by no claim
    text = feed.atom(
        changelog, "https://x.org/", "https://x.org/feed.xml", lambda v: f"https://x.org/v/{v}/",
        lambda v, c: f"https://x.org/v/{v}/claims/{c}/",
        describe=lambda table, row: {"rutte-2025-07-nyt": "Mark Rutte, 5 July 2025: Russia's output against NATO's, 12×"}.get(row, ""),
        cited_by=lambda source: cited.get(source, []),
    )  # fmt: skip
    entries = list(ET.fromstring(text).iter(ATOM + "entry"))
    titles = [e.findtext(ATOM + "title") for e in entries]
    assert titles == [
        "Correction in data v1.1.0: Mark Rutte, 5 July 2025: Russia's output against NATO's, 12× (value_low, label)",
        "Correction in data v1.1.0: other-id (quote, source grade)",
        "Correction in data v1.1.0: source src-2 (grade)",
        "Correction in data v1.1.0: datapackage.json",
        "Shell Count data v1.1.0 released",
        "Shell Count data v1.0.0 released",
    ]
    links = [e.find(ATOM + "link").get("href") for e in entries]
    assert links[:4] == ["https://x.org/v/1.1.0/claims/rutte-2025-07-nyt/", "https://x.org/v/1.1.0/claims/other-id/",
                         "https://x.org/v/1.1.0/", "https://x.org/v/1.1.0/"]  # fmt: skip
    first = entries[0].findtext(ATOM + "content")
    assert first == 'value_low: "3" → "4"\nlabel: "x" → "y"\n\nWhy: typo', "every field, each reason once"
    assert 'source src-1, grade: "secondary" → "relay"' in entries[1].findtext(ATOM + "content")
    assert "not-yet" not in text, "an unreleased correction is not published"
    assert len({e.findtext(ATOM + "id") for e in entries}) == len(entries)


def test_the_live_feed_has_an_entry_per_release_and_per_corrected_claim(site, live):
    entries = list(ET.parse(site / "feed.xml").getroot().iter(ATOM + "entry"))
    titles = [e.findtext(ATOM + "title") for e in entries]
    assert len(titles) == len(set(titles)), "two entries with one title"
    released = feed.releases(live.changelog)
    corrected = {f.claim_id for r in released for f in r.corrections if f.table == "claims"}
    assert len(entries) < 2 * len(corrected) + len(released) + 20, f"{len(entries)} entries: one per field again?"
    rutte = [t for t in titles if "Mark Rutte, 5 July 2025" in t]
    assert rutte == [
        "Correction in data v1.1.0: Mark Rutte, 5 July 2025: Russia's output against NATO's, 12× "
        "(value_low, interpretation, label, source added, source_id, quote, notes)"
    ], rutte
    for entry in entries:  # this release's entries link pages of the site, never a claim page that does not exist
        link = entry.find(ATOM + "link").get("href")
        if f"/v/{live.version}/" in link:
            assert target(site, site / "index.html", link).is_file(), link


# ---- what a reader reads -------------------------------------------------------------------------------------
def test_claim_pages_say_whose_figure_it_is_and_where_it_was_read(site, live):
    def main_of(claim_id: str) -> str:
        return (site / "latest" / "claims" / claim_id / "index.html").read_text(encoding="utf-8")

    july = main_of("rutte-2025-07-nyt-three-times")
    assert "<h1>Mark Rutte: Russia&#39;s output against NATO&#39;s, 12×</h1>" in july
    assert "<dt>Where</dt><dd>The New York Times, via Kyiv Independent: " in july
    items = {
        item["@type"]: item
        for item in json_ld(site / "latest" / "claims" / "rutte-2025-07-nyt-three-times" / "index.html")
    }
    assert items["Claim"]["appearance"]["url"].startswith("https://kyivindependent.com/")
    assert items["Claim"]["appearance"]["publisher"]["name"] == "Kyiv Independent"
    assert items["Claim"]["firstAppearance"]["publisher"]["name"] == "The New York Times"
    assert (
        "<h1>Bain &amp; Company (analysis for Sky News): Russia&#39;s output, 4.5 million shells a year</h1>"
        in main_of("bain-sky-2024-05-russia-4-5m-2024")
    )
    for claim_id in live.claims["claim_id"]:
        heading = re.search(r"<h1>(.*?)</h1>", main_of(claim_id)).group(1)
        assert "(ratio)" not in heading and "(multiplier)" not in heading and not re.match(r"[a-z_]+: ", heading), (
            heading
        )


def test_the_claims_index_lists_who_said_what_and_when_not_ids(site, live):
    text = (site / "latest" / "claims" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td><a href=\"([^\"]+)\">(.*?)</a></td><td>(.*?)</td></tr>", text
    )
    assert len(rows) == len(live.claims)
    ids = set(live.claims["claim_id"])
    for day, who, href, said, _where in rows:
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", day) and who and said not in ids, (day, who, said)
        assert href.split("/")[-2] in ids


def test_a_view_page_shows_the_columns_a_reader_needs_and_links_the_csv_for_the_rest(site, live):
    for slug in {v.slug for page, v in registry.baked(live) if page.name != "lines"}:  # a line lists its statements
        text = (site / "latest" / slug / "index.html").read_text(encoding="utf-8")
        rows = re.search(r'<details id="rows".*?</details>', text, re.S).group(0)
        header = re.findall(r'<th scope="col">(.*?)</th>', rows)
        assert header[:3] == ["date", "who", "what they said"] and len(header) <= 6, (slug, header)
        assert '<a href="data.csv">data.csv</a>' in rows, slug
    overview = (site / "latest" / "overview" / "index.html").read_text(encoding="utf-8")
    assert 'class="key-figure"' in overview and "Claim check" in overview, "the Overview model's figures and check"
    assert "Targets against later figures" in (site / "latest" / "output" / "index.html").read_text(encoding="utf-8")


def test_pages_follow_the_readers_theme_and_the_csp_allows_only_the_theme_script(site):
    css = next((site / "assets").glob("site-*.css")).read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme:dark)" in css and ":root[data-theme=dark]" in css
    assert ":root:not([data-theme=light])" in css, "?theme=light wins over a dark system setting"
    for page in [*sorted(site.rglob("*.html"))[:40], site / "latest" / "overview" / "embed.html"]:
        text = page.read_text(encoding="utf-8")
        inline = re.findall(r"<script>(.*?)</script>", text, re.S)
        assert len(inline) == 1 and "theme=" in inline[0], page
        digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
        assert f"script-src &#39;self&#39; &#39;sha256-{digest}&#39;;" in csp and "default-src &#39;self&#39;" in csp


# ---- lines of claims -------------------------------------------------------------------------------------
RUTTE = "rutte-three-months"


def test_every_line_has_its_page_with_every_file_in_both_trees_and_an_index(site, live):
    line_ids = list(live.lines["line_id"])
    assert RUTTE in line_ids and view_models.default_line(live) == RUTTE
    for tree in (f"v/{live.version}", "latest"):
        for line_id in line_ids:
            slug = urls.line_slug(line_id)
            assert slug in {v.slug for _, v in registry.baked(live)}, "the registry bakes the page the site links"
            for name in VIEW_FILES:
                assert (site / tree / slug / name).is_file(), f"{tree}/{slug}/{name} is missing"
        index = site / tree / "lines" / "index.html"
        hrefs = [link for tag, _, link in parsed(index).links if tag == "a"]
        assert [h for h in hrefs if re.fullmatch(r"\.\./lines/[a-z0-9-]+/index\.html", h)] == [
            f"../lines/{line_id}/index.html" for line_id in sorted(line_ids, key=lambda i: (-len(line_reading.instances(live.claims, i)), i))
        ], "every line, most often said first"  # fmt: skip
        for page in (site / tree / "index.html", site / tree / "overview" / "index.html", site / tree / "claims" / "index.html"):  # fmt: skip
            nav = re.search(r"<nav>.*?</nav>", page.read_text(encoding="utf-8")).group(0)
            assert 'lines/index.html">Lines</a>' in nav, page
    front = parsed(site / "latest" / "index.html")
    assert "lines/index.html" in [link for tag, _, link in front.links if tag == "a"]


def test_a_line_page_has_the_reading_and_every_statement_in_order_linked_to_its_claim(site, live):
    reading = line_reading.read(live.lines[live.lines["line_id"] == RUTTE].to_dict("records")[0], live.claims)
    ordered = list(reading.instances["claim_id"])
    assert ordered[0] == "rutte-2025-01-davos-three-months" and ordered[-1] == "rutte-2025-11-bucharest-not-anymore"
    for tree in (f"v/{live.version}", "latest"):
        page = site / tree / "lines" / RUTTE / "index.html"
        text = page.read_text(encoding="utf-8")
        assert f"<h1>{describe_text(reading.title)}</h1>" in text
        assert f'<p id="reading" class="reading">{describe_text(reading.sentence)}</p>' in text
        assert "Reversed on 6 November 2025" in reading.sentence
        # The chart as on every view page: the static image first, the figure with its bundle after it.
        assert re.search(r'<figure class="chart" data-plotly="[./]*assets/plotly-basic-[^"]+\.min\.js" data-bundle="basic"', text)  # fmt: skip
        assert text.index('src="chart.svg"') < text.index('<ol class="statements">')
        statements = re.findall(r'<li class="statement (\w+)" id="([^"]+)">(.*?)</li>', text, re.S)
        assert [claim_id for _, claim_id, _ in statements] == ordered, "every statement, oldest first"
        rows = reading.instances.to_dict("records")
        for (relation, claim_id, item), row in zip(statements, rows, strict=True):
            assert relation == row["line_relation"]
            assert f'<a href="../../claims/{claim_id}/index.html">its page</a>' in item
            assert f'<a href="{describe_text(row["url"])}" rel="nofollow noopener">' in item, claim_id
            quote = "" if row["quote"] is None or row["quote"] != row["quote"] else str(row["quote"])
            assert (f"<blockquote>{describe_text(quote)}</blockquote>" if quote else "paraphrases") in item, claim_id
        assert re.search(r'id="rutte-2025-11-bucharest-not-anymore"><p class="said"><b>6 November 2025</b> · <span class="how">reversed</span>', text)  # fmt: skip
        assert '<a href="data.csv">data.csv</a>' in text and 'href="../../lines/index.html">Lines of claims</a>' in text
        assert f"v/{live.version}/lines/{RUTTE}/embed.html" in text, "the embed snippet"
        (series,) = json_ld(page)
        assert series["@type"] == "CreativeWorkSeries" and series["name"] == reading.title
        assert [part["url"] for part in series["hasPart"]] == [
            BASE_URL + f"v/{live.version}/claims/{c}/" for c in ordered
        ]
    # Its CSV is the statements' rows; its metadata says what the line is and what the reading found.
    csv_rows = list(csv.DictReader(io.StringIO((site / "latest" / "lines" / RUTTE / "data.csv").read_text(encoding="utf-8").split("\n", 1)[1])))  # fmt: skip
    assert [r["claim_id"] for r in csv_rows] == ordered
    meta = json.loads((site / "latest" / "lines" / RUTTE / "metadata.json").read_text(encoding="utf-8"))
    assert meta["line"]["line_id"] == RUTTE and meta["line"]["who"] == reading.who
    assert meta["reading"]["sentence"] == reading.sentence and meta["reading"]["statements"] == len(ordered)
    assert meta["reading"]["reversed"] == "2025-11-06" and meta["reading"]["counts"]["reverses"] == 1
    embed = (site / "latest" / "lines" / RUTTE / "embed.html").read_text(encoding="utf-8")
    assert "<header" not in embed and 'data-figures=""' in embed


def test_claim_pages_link_their_line_and_the_statements_before_and_after(site, live):
    ordered = list(line_reading.instances(live.claims, RUTTE)["claim_id"])
    july = "rutte-2025-07-nyt-three-times"
    before, after = line_reading.neighbours(live.claims, july)
    assert (before, after) == (ordered[ordered.index(july) - 1], ordered[ordered.index(july) + 1])
    for tree in (f"v/{live.version}", "latest"):
        text = (site / tree / "claims" / july / "index.html").read_text(encoding="utf-8")
        assert (
            f'<p id="line">Statement {ordered.index(july) + 1} of {len(ordered)} of the line '
            f'<a href="../../lines/{RUTTE}/index.html">Russia makes in three months what NATO makes in a year</a>: '
            "said with another figure or wording.</p>"
        ) in text
        said_before = re.search(r'<li id="said-before">(.*?)</li>', text).group(1)
        said_next = re.search(r'<li id="said-next">(.*?)</li>', text).group(1)
        assert said_before.startswith(f'Said before: <a href="../../claims/{before}/index.html">')
        assert said_before.endswith("(said in its usual form)")
        assert said_next.startswith(
            f'Said next: <a href="../../claims/{after}/index.html">4 September 2025, Mark Rutte: '
        )
        assert said_next.endswith("(put in the past)")
    first = (site / "latest" / "claims" / ordered[0] / "index.html").read_text(encoding="utf-8")
    last = (site / "latest" / "claims" / ordered[-1] / "index.html").read_text(encoding="utf-8")
    assert "The first time it was said in the data." in first and "Said next:" in first
    assert "The latest time it was said in the data." in last and ": reversed.</p>" in last
    claim = next(i for i in json_ld(site / "latest" / "claims" / july / "index.html") if i["@type"] == "Claim")
    assert claim["isPartOf"] == {
        "@type": "CreativeWorkSeries", "@id": BASE_URL + f"v/{live.version}/lines/{RUTTE}/#line",
        "url": BASE_URL + f"v/{live.version}/lines/{RUTTE}/", "name": "Russia makes in three months what NATO makes in a year",
    } and claim["position"] == ordered.index(july) + 1  # fmt: skip
    alone = live.claims.loc[live.claims["line_id"].isna(), "claim_id"].iloc[0]
    text = (site / "latest" / "claims" / alone / "index.html").read_text(encoding="utf-8")
    assert "In a line of claims" not in text
    assert all("isPartOf" not in i for i in json_ld(site / "latest" / "claims" / alone / "index.html"))


def test_the_overview_and_the_front_page_link_rutte_s_line_where_his_claims_are(site, live):
    line_page = f"../lines/{RUTTE}/index.html"
    overview = (site / "latest" / "overview" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<div class="key-figure"><div class="label">(.*?)</div>', overview)
    assert [label for label in labels if label.startswith("Mark Rutte")], "the Overview's Rutte cards"
    # Right under the cards, the line their statements belong to (the model's card_lines, as the app links it).
    cards_end = overview.index('<div class="key-figures">') + overview[
        overview.index('<div class="key-figures">') :
    ].index("</div></div></div>")
    under = re.findall(
        r'<p class="card-line"><a href="([^"]+)">Every time it was said: “(.*?)”</a></p>', overview[cards_end:]
    )
    assert under == [(line_page, "Russia makes in three months what NATO makes in a year")], under
    assert overview.index('<p class="card-line">') < overview.index("<figure"), "before the chart, beside the cards"
    assert f'<ul class="drawn-lines"><li><a href="{line_page}">' in overview
    front = (site / "latest" / "index.html").read_text(encoding="utf-8")
    featured = re.search(r'<p id="featured-line">(.*?)</p>', front).group(1)
    assert f'<a href="lines/{RUTTE}/index.html">' in featured and "Reversed on 6 November 2025" in featured
    root = (site / "index.html").read_text(encoding="utf-8")  # the site's own front page goes through latest/
    assert f'href="latest/lines/{RUTTE}/index.html"' in root


def test_the_data_package_has_the_lines_table(site, live):
    for tree in (f"v/{live.version}", "latest"):
        assert (site / tree / "data" / "lines.csv").read_bytes() == (LIVE / "lines.csv").read_bytes()
        archive = zipfile.ZipFile(site / tree / "data" / f"shell-count-{live.version}.zip")
        assert "shell-count/lines.csv" in archive.namelist()


LINE_CHANGELOG = (
    "# Changelog\n\n## [1.3.0] - 2027-01-10\n\n### Corrections\n"
    '- `rutte-2025-04-tokyo` line_id: "" → "rutte-three-months". Why: "in three months": the usual words\n'
    '- `rutte-2025-04-tokyo` line_relation: "" → "states". Why: "in three months": the usual words\n'
    '- `rutte-2025-04-tokyo` value_low: "3" → "4". Why: typo\n'
    '- `rutte-2025-05-hague` line_id: "" → "rutte-three-months". Why: the same words again\n'
    '- `rutte-2025-05-hague` line_relation: "" → "states". Why: the same words again\n'
    '- `rutte-2025-09-prague` line_relation: "states" → "retracts". Why: "until recently"\n\n'
    "## [1.2.0] - 2026-12-10\n\n### Added\n"
    "- line `kallas-two-million-rounds`: Two million rounds for Ukraine in 2025 (Kaja Kallas; a goal line, target in shells), stated in its usual form by `kallas-2025-03`\n\n"
    "### Corrections\n"
    '- `kallas-2025-03` line_id: "" → "kallas-two-million-rounds". Why: the goal as first reported\n'
    '- `kallas-2025-03` line_relation: "" → "states". Why: the goal as first reported\n'
    '- `kallas-2025-04` line_id: "" → "kallas-two-million-rounds". Why: "over 50 per cent"\n'
    '- `kallas-2025-04` line_relation: "" → "tracks". Why: "over 50 per cent"\n'
    '- `rutte-2025-09-prague` line_id: "" → "rutte-three-months". Why: "until recently"\n'
    '- `rutte-2025-09-prague` line_relation: "" → "states". Why: "until recently"\n'
)  # fmt: skip


def _line_feed(changelog: str, describe=None) -> list:
    text = feed.atom(
        changelog, "https://x.org/", "https://x.org/feed.xml", lambda v: f"https://x.org/v/{v}/",
        lambda v, c: f"https://x.org/v/{v}/claims/{c}/", describe=describe,
        line_url=lambda v, line: f"https://x.org/v/{v}/lines/{line}/",
    )  # fmt: skip
    return list(ET.fromstring(text).iter(ATOM + "entry"))


def test_the_feed_has_one_entry_per_line_a_release_added_statements_to_linking_the_line_in_that_release():
    names = {"rutte-three-months": "Russia makes in three months what NATO makes in a year",
             "kallas-two-million-rounds": "Two million rounds for Ukraine in 2025",
             "rutte-2025-04-tokyo": "Mark Rutte, 9 April 2025: Russia's output against NATO's, 4×"}  # fmt: skip
    entries = _line_feed(LINE_CHANGELOG, describe=lambda table, row: names.get(row, ""))
    got = [(e.findtext(ATOM + "title"), e.find(ATOM + "link").get("href"), e.findtext(ATOM + "id")) for e in entries]
    assert [(title, link) for title, link, _ in got] == [
        ("Line in data v1.3.0: Russia makes in three months what NATO makes in a year (2 statements added)",
         "https://x.org/v/1.3.0/lines/rutte-three-months/"),
        # The claim's other correction keeps its entry; a relation recoded within its line is a correction too.
        ("Correction in data v1.3.0: Mark Rutte, 9 April 2025: Russia's output against NATO's, 4× (value_low)",
         "https://x.org/v/1.3.0/claims/rutte-2025-04-tokyo/"),
        ("Correction in data v1.3.0: rutte-2025-09-prague (line_relation)", "https://x.org/v/1.3.0/claims/rutte-2025-09-prague/"),
        ("Shell Count data v1.3.0 released", "https://x.org/v/1.3.0/"),
        ("New line in data v1.2.0: Two million rounds for Ukraine in 2025 (2 statements added)",
         "https://x.org/v/1.2.0/lines/kallas-two-million-rounds/"),
        ("Line in data v1.2.0: Russia makes in three months what NATO makes in a year (1 statement added)",
         "https://x.org/v/1.2.0/lines/rutte-three-months/"),
        ("Shell Count data v1.2.0 released", "https://x.org/v/1.2.0/"),
    ]  # fmt: skip
    ids = [entry_id for _, _, entry_id in got]
    assert len(set(ids)) == len(ids)
    assert ids[0] == feed.entry_id("line", "1.3.0", "rutte-three-months"), "derived from version and line: stable"
    assert ids[0] == _line_feed(LINE_CHANGELOG)[0].findtext(ATOM + "id"), "the same whatever the titles"
    text = entries[0].findtext(ATOM + "content")
    assert text == (
        "Mark Rutte, 9 April 2025: Russia's output against NATO's, 4×: said in its usual form\n"
        "rutte-2025-05-hague: said in its usual form\n\n"
        'Why: "in three months": the usual words\nthe same words again'
    ), text
    assert "value_low" not in text
    # Without a line page to link (an older caller), a coding stays the claim's correction, as before.
    plain = feed.entries(LINE_CHANGELOG, lambda v: v, lambda v, c: c)
    assert not any(e.title.startswith(("Line", "New line")) for e in plain)


def test_the_release_that_coded_the_lines_makes_one_feed_entry_per_line(live):
    """The live changelog's 1.2.0 section, which added the lines, gives one entry per line, counting every claim the
    data has in that line (each was coded in that release), never one per coded claim."""
    changelog = live.changelog
    entries = [e for e in _line_feed(changelog) if "v1.2.0" in e.findtext(ATOM + "title")]
    lined = [e for e in entries if e.findtext(ATOM + "title").startswith(("Line", "New line"))]
    coded = live.claims["line_id"].dropna().value_counts()
    assert len(lined) == len(live.lines) == len(coded)
    for entry in lined:
        line_id = entry.find(ATOM + "link").get("href").rstrip("/").rsplit("/", 1)[1]
        assert entry.findtext(ATOM + "title").startswith("New line in data v1.2.0: "), "each line is new in it"
        count = int(re.search(r"\((\d+) statements? added\)$", entry.findtext(ATOM + "title")).group(1))
        assert count == coded[line_id], line_id
    corrected = [e.findtext(ATOM + "title") for e in entries if e.findtext(ATOM + "title").startswith("Correction")]
    assert not [t for t in corrected if t.endswith("(line_id, line_relation)")], "a coding is not a claim's entry"


def test_a_line_no_longer_published_keeps_a_latest_page_linking_its_pinned_copy(tmp_path):
    out = tmp_path / "site"
    data, problems = views.load(GOOD)
    assert data is not None, problems
    old = out / "v" / "0.9.0" / "lines" / "gone-line"
    old.mkdir(parents=True)
    for name in ("index.html", "embed.html"):
        (old / name).write_text("pinned", encoding="utf-8")
    earlier = build.earlier_views(out)
    assert earlier["lines/gone-line"] == ("0.9.0",)
    build.write(build.build_site(data, GOOD, BASE_URL, build.Progress(stream=io.StringIO()), images=False, earlier=earlier), out)  # fmt: skip
    page = out / "latest" / "lines" / "gone-line" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "no longer published" in text and '<meta name="robots" content="noindex">' in text
    hrefs = [link for tag, _, link in parsed(page).links if tag == "a"]
    assert "../../../v/0.9.0/lines/gone-line/" in hrefs and "../../lines/index.html" in hrefs
    for link in [*hrefs, *(link for tag, _, link in parsed(page).links if tag == "link")]:
        file = target(out, page, link)
        assert file is None or file.resolve().is_file(), link
    assert (out / "latest" / "lines" / "rutte-three-months" / "index.html").is_file()


# ---- determinism, refusal, old versions ------------------------------------------------------------------
@pytest.mark.slow
def test_two_builds_are_byte_identical(real_site, tmp_path):
    site = real_site
    result = run_publish("--out", str(tmp_path / "again"), "--base-url", BASE_URL)
    assert result.returncode == 0, result.stderr
    stages = [line for line in result.stderr.splitlines() if line.startswith("publish [")]
    assert len(stages) == 5, result.stderr
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {
        p.relative_to(tmp_path / "again").as_posix(): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


@pytest.fixture
def broken_dataset(tmp_path: Path) -> Path:
    target_dir = tmp_path / "dataset"
    shutil.copytree(GOOD, target_dir)
    set_cell(target_dir / "claims.csv", "rutte-2025-07-nyt-three-times", "stated_on", "2025-02-30")
    return target_dir


def test_an_invalid_dataset_is_refused_with_the_validators_messages_and_nothing_written(broken_dataset, tmp_path):
    out = tmp_path / "site"
    result = run_publish("--out", str(out), "--data", str(broken_dataset))
    assert result.returncode == 1, result.stderr
    validator = subprocess.run([sys.executable, "-m", "dashboard.validate", str(broken_dataset)], cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert validator.returncode == 1 and validator.stdout.strip()
    assert result.stdout == validator.stdout, "the publish command must print exactly the validator's problems"
    assert "Traceback" not in result.stderr and "nothing was written" in result.stderr
    assert not out.exists()


def test_an_invalid_dataset_leaves_an_existing_site_untouched(broken_dataset, tmp_path):
    out = tmp_path / "site"
    (out / "latest").mkdir(parents=True)
    (out / "latest" / "index.html").write_text("old", encoding="utf-8")
    assert run_publish("--out", str(out), "--data", str(broken_dataset)).returncode == 1
    assert [p.name for p in out.rglob("*")] == ["latest", "index.html"]
    assert (out / "latest" / "index.html").read_text(encoding="utf-8") == "old"


def test_bad_usage_exits_2_without_a_traceback(tmp_path):
    result = run_publish("--base-url", "ftp://example.org/")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--base-url" in result.stderr
    result = run_publish("--data", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and not (tmp_path / "o").exists()


def test_a_rebuild_keeps_older_versions_and_clears_stale_latest_files(tmp_path):
    out = tmp_path / "site"
    (out / "v" / "0.9.0" / "overview").mkdir(parents=True)
    (out / "v" / "0.9.0" / "overview" / "data.csv").write_text("pinned", encoding="utf-8")
    (out / "latest" / "output-gone").mkdir(parents=True)
    (out / "latest" / "output-gone" / "data.csv").write_text("stale", encoding="utf-8")
    site = build.Site(files={"latest/overview/data.csv": b"new", "v/1.0.0/overview/data.csv": b"new", "feed.xml": b"f"},
                      trees=("v/1.0.0/", "latest/"))  # fmt: skip
    assert build.write(site, out) == 3
    assert (out / "v" / "0.9.0" / "overview" / "data.csv").read_text(encoding="utf-8") == "pinned"
    assert not (out / "latest" / "output-gone").exists()
    assert build.write(site, out) == 0, "unchanged files are not rewritten"


# ---- hostile text stays text ------------------------------------------------------------------------------
def hostile_with_a_line(folder: Path) -> Path:
    """tests/data/hostile with a line of claims whose title, who and assertion are payloads too, stated and then
    reversed by two of its (hostile) claims: the line's page, its index and the claim pages' line links."""
    shutil.copytree(HOSTILE, folder)
    (folder / "lines.csv").write_text(
        "line_id,title,who,asserts,measure,unit,kind\n"
        'hostile-line,"<script>window.__pwned=1</script> line",'
        '"<img src=x onerror=""window.__pwned=1""> who",'
        '"[click](javascript:window.__pwned=1) =HYPERLINK(""http://x"") asserts",ratio,ratio,claim\n',
        encoding="utf-8",
    )
    for claim_id, relation in (("rutte-2025-07-nyt-three-times", "states"), ("rutte-2025-11-bucharest-not-anymore", "reverses")):  # fmt: skip
        set_cell(folder / "claims.csv", claim_id, "line_id", "hostile-line")
        set_cell(folder / "claims.csv", claim_id, "line_relation", relation)
    return folder


@pytest.mark.parametrize("with_line", [False, True], ids=["hostile", "hostile-with-a-line"])
def test_hostile_text_is_escaped_in_every_page(tmp_path, with_line):
    folder = hostile_with_a_line(tmp_path / "hostile") if with_line else HOSTILE
    data, problems = views.load(folder)
    assert data is not None, problems
    if with_line:
        assert list(data.lines["line_id"]) == ["hostile-line"]
    # The HTML is under test here, not the images.
    site = build.build_site(data, folder, "", build.Progress(stream=io.StringIO()), images=False)
    if with_line:
        assert "latest/lines/hostile-line/index.html" in site.files and "latest/lines/index.html" in site.files
    html_files = {p: c.decode() for p, c in site.files.items() if p.endswith(".html")}
    assert len(html_files) > 10
    for path, text in html_files.items():
        tags = _Tags()
        tags.feed(text)
        assert tags.names <= SITE_TAGS, (path, tags.names - SITE_TAGS)
        assert not tags.handlers, (path, tags.handlers)
        scripts = re.findall(r"<script\b[^>]*>", text)
        allowed = ('<script type="application/ld+json">', "<script>")
        assert re.findall(r"<script>(.*?)</script>", text, re.S) == [THEME_SCRIPT], "one inline script: the theme's"
        assert all(s in allowed or re.fullmatch(r'<script src="[./a-z0-9-]+\.js" defer>', s) for s in scripts), (
            path,
            scripts,
        )
        for match in re.finditer(r'<script type="application/(?:ld\+)?json"[^>]*>(.*?)</script>', text, re.S):
            json.loads(match.group(1))
    for path, content in site.files.items():  # the figures carry the payloads as JSON strings, never as markup
        if path.endswith(".json"):
            json.loads(content)


THEME_SCRIPT = (REPO / "dashboard" / "publish" / "templates" / "theme.js").read_text(encoding="utf-8")
# Every element the site's templates use: a tag from the data (<img>, <iframe>, <svg>…) would be a new name here.
SITE_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "header", "nav", "a", "span", "main", "footer",
             "p", "h1", "h2", "figure", "div", "ul", "li", "pre", "code", "table", "caption", "thead", "tbody", "tr",
             "th", "td", "blockquote", "dl", "dt", "dd", "i", "b", "img", "details", "summary", "picture", "source",
             "ol", "br"}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


# ---- URL functions for the live app ------------------------------------------------------------------------
def test_iframe_snippet_and_data_url():
    snippet = urls.iframe_snippet("https://example.org/sc", "output-russia", 'Say "<hi>" & go', version="1.2.0")
    (iframe,) = [attrs for tag, attrs in _start_tags(snippet) if tag == "iframe"]
    assert iframe["src"] == "https://example.org/sc/v/1.2.0/output-russia/embed.html"
    assert iframe["title"] == 'Say "<hi>" & go' and "<hi>" not in snippet, "the title is escaped once, exactly"
    assert urls.EMBED_MESSAGE in snippet
    assert urls.data_csv_url("https://example.org/sc/", "overview") == "https://example.org/sc/latest/overview/data.csv"
    assert (
        urls.data_csv_url("https://example.org/sc", "overview", "1.0.0")
        == "https://example.org/sc/v/1.0.0/overview/data.csv"
    )


def _start_tags(text: str) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: found.append((tag, dict(attrs)))
    parser.feed(text)
    return found


def test_the_publisher_draws_nothing_itself_and_never_imports_the_streamlit_edge():
    """The site is the app's own charts and models: the publisher calls the registry's page models, never the chart
    functions (it would draw a second version) nor the Streamlit edge."""
    for file in sorted((REPO / "dashboard" / "publish").glob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith(("dashboard.web", "dashboard.present.charts", "streamlit"))], (
            file.name
        )


def test_citation_cff_version_follows_the_data_package():
    descriptor = json.loads((LIVE / "datapackage.json").read_text(encoding="utf-8"))
    cff = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    versions = re.findall(r"^version:\s*\"?([^\"\n]+)\"?\s*$", cff, re.M)
    assert versions == [descriptor["version"]], "set CITATION.cff's version to datasets/datapackage.json's"
    assert re.search(r"^cff-version:\s*1\.2\.0\s*$", cff, re.M)
    released = re.search(r"^## \[" + re.escape(descriptor["version"]) + r"\] - (\d{4}-\d{2}-\d{2})", (LIVE / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)  # fmt: skip
    if released:
        assert re.search(r"^date-released:\s*\"?" + released.group(1), cff, re.M), (
            "date-released must be the release date"
        )


def test_every_page_has_social_preview_tags_and_a_description(site):
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for tag in ("og:title", "og:description", "og:image"):
            found = re.search(rf'<meta property="{tag}" content="([^"]+)">', text)
            assert found and found.group(1).strip(), f"{page.relative_to(site)} has no {tag}"
        assert re.search(r'<meta property="og:image" content="https://example\.org/shellcount/[^"]+\.png">', text), page


def test_published_gives_the_live_app_every_url_of_a_view():
    copy = urls.published("https://example.org/sc/", "output-russia", title="Output", version="1.0.0")
    assert copy.slug == "output-russia"
    assert copy.page_url == "https://example.org/sc/v/1.0.0/output-russia/"
    assert copy.embed_url == "https://example.org/sc/v/1.0.0/output-russia/embed.html"
    assert copy.csv_url == "https://example.org/sc/v/1.0.0/output-russia/data.csv"
    assert copy.metadata_url.endswith("/output-russia/metadata.json") and copy.embed_url in copy.snippet


def test_without_chromium_the_build_stops_with_a_clear_message_and_writes_nothing(tmp_path):
    out = tmp_path / "site"
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no chromium on PATH, no SHELLCOUNT_CHROMIUM
    result = subprocess.run([sys.executable, "-m", "dashboard.publish", "--out", str(out), "--data", str(GOOD)],
                            cwd=REPO, capture_output=True, text=True, timeout=300, env=env)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Chromium" in result.stderr and "Nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


# ---- every page from a template; views no longer published -------------------------------------------------
# Markup in a Python string of the publisher would be HTML written by hand (the iframe snippet in urls.py is the
# one exception: a Markup template whose values markupsafe escapes).
HAND_MARKUP = re.compile(
    r"(?<!\?P)<(?:html|head|body|main|header|footer|p|h[1-6]|div|span|ul|li|dl|dt|dd|table|tr|td|th|a|pre|code|entry|url|feed)\b"
)


def test_no_hand_escaping_and_no_markup_in_the_publishers_code():
    for file in sorted((REPO / "dashboard" / "publish").glob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not {"html", "xml.sax.saxutils"} & set(imported), f"{file.name} escapes by hand"
        calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
        names = {c.id if isinstance(c, ast.Name) else c.attr for c in calls if isinstance(c, ast.Name | ast.Attribute)}
        assert not {"esc", "escape"} & names, f"{file.name} escapes by hand"
        documented = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(node) is not None
        }
        strings = [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in documented
        ]
        assert not [s for s in strings if HAND_MARKUP.search(s)], f"{file.name} writes markup in Python"
    from dashboard.publish import render

    for name in render.ENV.list_templates():
        if name.endswith((".html", ".xml")):
            assert render.ENV.get_template(name).environment.autoescape(name), name


def test_a_view_no_longer_baked_keeps_a_latest_page_that_links_its_pinned_copies(tmp_path):
    """output-knds was baked by an earlier release; this one does not bake it: latest/output-knds/ says so and
    links the pinned copy (kept, as is everything under v/), the data and the live app's Output page."""
    out = tmp_path / "site"
    data, problems = views.load(GOOD)
    assert data is not None, problems
    assert "output-knds" not in {v.slug for _, v in registry.baked(data)}
    old = out / "v" / "0.9.0" / "output-knds"
    old.mkdir(parents=True)
    for name in ("index.html", "embed.html", "data.csv"):
        (old / name).write_text("pinned", encoding="utf-8")
    stale = out / "v" / data.version / "output-knds" / "embed.html"  # a rebuild of a release keeps its pinned files
    stale.parent.mkdir(parents=True)
    stale.write_text("pinned too", encoding="utf-8")
    (stale.parent / "index.html").write_text("pinned too", encoding="utf-8")
    earlier = build.earlier_views(out)
    assert earlier["output-knds"] == ("0.9.0", data.version)
    site = build.build_site(data, GOOD, BASE_URL, build.Progress(stream=io.StringIO()), images=False,
                            earlier=earlier, app_url="https://app.example.org/")  # fmt: skip
    build.write(site, out)
    assert (old / "data.csv").read_text(encoding="utf-8") == "pinned" and stale.read_text(
        encoding="utf-8"
    ) == "pinned too"
    page = out / "latest" / "output-knds" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "no longer published" in text and "Output: KNDS" in text and '<meta name="robots" content="noindex">' in text
    hrefs = [link for tag, attribute, link in parsed(page).links if tag == "a"]
    assert "../../v/0.9.0/output-knds/" in hrefs
    assert "https://app.example.org/output?subject=KNDS" in hrefs
    for link in hrefs:
        file = target(out, page, link)
        assert file is None or file.is_file(), link
    embed = (out / "latest" / "output-knds" / "embed.html").read_text(encoding="utf-8")
    assert "no longer published" in embed and 'target="_blank"' in embed and "<header" not in embed
    assert not (out / "latest" / "output-knds" / "data.csv").exists(), "data files stop following releases"
    assert "output-knds" not in (out / "sitemap.xml").read_text(encoding="utf-8")
