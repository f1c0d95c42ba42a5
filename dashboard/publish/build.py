"""Build the static site: every canonical view, a page per claim, the data, the feed, all in memory first.

Stages (one progress line each): validate and load → charts → images → pages → write. Nothing is written
unless the dataset validates and every file was built; then files are written atomically, one by one, and
only the current version's trees (v/<version>/, latest/) and the root files are touched: older versions
under v/ stay, so a pinned link never breaks.

Determinism: no clock is read. The only date is the release date from CHANGELOG.md; Plotly's random ids in
SVG are replaced by a fixed one; the zip's entries carry the release date. Two builds of one dataset give
the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from dashboard.publish import feed, pages, urls, views
from dashboard.publish.pages import Assets, Head, esc

Content = bytes | Callable[[str], bytes]  # a file, or an HTML page given the relative path to the site root


@dataclass(frozen=True)
class SiteView:
    slug: str
    page: str  # overview, output or claims
    label: str  # how links name it
    chart: views.ChartModel
    link: str  # the permalink drawn in the figure and written in the CSV header (the pinned page)


@dataclass
class Site:
    files: dict[str, bytes] = field(default_factory=dict)  # path below the site root → bytes
    trees: tuple[str, ...] = ()  # the folders this build owns completely (stale files in them are removed)


class Progress:
    """One line per stage on stderr, with the seconds it took."""

    def __init__(self, stream=sys.stderr, stages: int = 5) -> None:
        self.stream, self.stages, self.done, self.started = stream, stages, 0, time.perf_counter()
        self._last = self.started

    def stage(self, what: str) -> None:
        now = time.perf_counter()
        self.done += 1
        print(f"publish [{self.done}/{self.stages}] {what} ({now - self._last:.1f} s)", file=self.stream, flush=True)
        self._last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def release_date(data: views.Dataset) -> str:
    """The latest release date in the changelog, else the descriptor's creation date: never today's."""
    return data.updated or str(data.package.descriptor.get("created", ""))[:10] or "1970-01-01"


def _views(data: views.Dataset, base_url: str) -> list[SiteView]:
    def link(slug: str) -> str:
        return urls.view_url(base_url, slug, "page", data.version)

    return [
        SiteView(slug, page, label, model.chart, link(slug)) for page, slug, label, model in views.baked(data, link)
    ]


# Plotly names clip paths, legends, defs and traces after random 6-hex ids, new at every render.
_PLOTLY_UID = re.compile(rb"(?:clip|legend|defs-|trace)([0-9a-f]{6})(?![0-9a-f])")


def stable_svg(svg: bytes) -> bytes:
    """Replace Plotly's random ids by sc0000, sc0001 … in order of first appearance (the same every render)."""
    for number, uid in enumerate(dict.fromkeys(_PLOTLY_UID.findall(svg))):
        svg = svg.replace(uid, b"sc%04d" % number)
    return svg


def stable_zip(archive: bytes, day: str) -> bytes:
    """The same zip with every entry stamped with the release date (file times differ between checkouts)."""
    year, month, day_of_month = (int(p) for p in day.split("-"))
    stamp = (year, month, day_of_month, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(archive))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            out.writestr(entry, source.read(info))
    return buffer.getvalue()


def _hashed(name: str, suffix: str, content: bytes) -> str:
    return f"assets/{name}-{hashlib.sha256(content).hexdigest()[:10]}{suffix}"


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _records(frame) -> list[dict]:
    return [{k: ("" if v is None or (isinstance(v, float) and v != v) else v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]  # fmt: skip


def _spec(chart: views.ChartModel) -> dict:
    figure = json.loads(chart.figure.to_json())
    config = {"displaylogo": False, "responsive": True,
              "toImageButtonOptions": {"format": "png", "filename": "shell-count", "scale": 2}}  # fmt: skip
    return {"data": figure.get("data", []), "layout": figure.get("layout", {}), "config": config}


class Builder:
    def __init__(self, data: views.Dataset, folder: Path, base_url: str, progress: Progress) -> None:
        self.data, self.folder, self.base = data, folder, base_url.rstrip("/") + "/" if base_url else ""
        self.version, self.released = data.version, release_date(data)
        self.progress = progress
        self.tree: dict[str, Content] = {}  # path inside a version tree → content
        self.root: dict[str, bytes] = {}  # path below the site root → bytes

    # ---- URLs ----------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """A site path as a public URL: absolute with a base URL, else root-relative."""
        return (self.base or "/") + path

    def pinned(self, path_in_tree: str) -> str:
        return self.url(urls.version_root(self.version) + path_in_tree)

    # ---- stages --------------------------------------------------------------------------------
    def build(self) -> Site:
        self.site_views = _views(self.data, self.base)
        self.progress.stage(f"charts: {len(self.site_views)} views from the app's models")
        # Every published image format (export.FORMATS), each view's files by name; SVG ids made stable.
        self.images = {
            v.slug: {f.file: (stable_svg if f.kind == "svg" else bytes)(f.build(v.chart, self.data.package, ""))
                     for f in views.image_formats()}
            for v in self.site_views
        }  # fmt: skip
        count = sum(len(files) for files in self.images.values())
        self.progress.stage(f"images: {count} PNG/SVG through one kaleido session")
        self._assets()
        for view in self.site_views:
            self._view(view)
        self._claims()
        self._data()
        self._front()
        self._root_files()
        site = Site(trees=(urls.version_root(self.version), urls.version_root(None)))
        for tree in site.trees:
            depth = tree.count("/")
            for path, content in self.tree.items():
                if callable(content):
                    root = "../" * (depth + path.count("/"))
                    site.files[tree + path] = content(root)
                else:
                    site.files[tree + path] = content
        site.files.update(self.root)
        self.progress.stage(f"pages: {len(site.files)} files in memory")
        return site

    def _assets(self) -> None:
        plotly_version, plotly_path = views.plotly_js()
        plotly_bytes = plotly_path.read_bytes()
        css, js = pages.CSS.encode(), pages.CHART_JS.encode()
        self.assets = Assets(css=_hashed("site", ".css", css), chart_js=_hashed("chart", ".js", js),
                             plotly_js=f"assets/plotly-{plotly_version}.min.js")  # fmt: skip
        self.root.update({self.assets.css: css, self.assets.chart_js: js, self.assets.plotly_js: plotly_bytes})

    def _page(
        self, path: str, head: Head, body: Callable[[str, str], str], chart: bool = False, embed: bool = False
    ) -> None:
        """Add an HTML page to the version tree; body(root, tree) gets both relative prefixes. An embed is the
        body alone (no header, navigation or footer: it lives inside someone else's page)."""
        depth = path.count("/")
        if not head.image:  # every page gets a social preview: the headline chart unless it has its own
            head = replace(head, image=self.pinned("overview/chart.png"))

        def render(root: str, tree: str | None = None) -> bytes:
            tree = "../" * depth if tree is None else tree
            inner = body(root, tree) if embed else (
                pages.nav(tree, self.version, self.released) + "\n<main>\n" + body(root, tree) + "\n</main>\n"
                + pages.footer(root, self.version, self.data.package.license, self.data.package.license_url)
            )  # fmt: skip
            kind = "embed" if embed else ""
            return pages.page(root, self.assets, head, inner, chart=chart, body_class=kind).encode("utf-8")

        self.tree[path] = render

    # ---- one view ------------------------------------------------------------------------------
    def file_urls(self, slug: str, version: str | None) -> dict[str, str]:
        return {kind: self.url(urls.view_path(slug, kind, version)) for kind in urls.FILES}

    def _view(self, view: SiteView) -> None:
        chart, data, folder = view.chart, self.data, view.slug + "/"
        subtitle = views.subtitle(chart)
        plain, bibtex = views.citation(chart.title, self.version, view.link, date.fromisoformat(self.released))
        pinned, latest = self.file_urls(view.slug, self.version), self.file_urls(view.slug, None)
        meanings = views.column_meanings(data)
        metadata = {
            "title": chart.title, "subtitle": subtitle, "source": views.SOURCE_LINE, "version": self.version,
            "released": self.released, "description": chart.summary,
            "licence": {"name": data.package.license, "url": data.package.license_url},
            "citation": {"text": plain, "bibtex": bibtex}, "rows": len(chart.rows),
            "csv_first_line": "# " + views.csv_header(data, chart, view.link),
            "columns": [{"name": c, "meaning": meanings.get(c, "")} for c in views.csv_columns(data, chart)],
            "urls": pinned, "latest_urls": latest,
        }  # fmt: skip
        self.tree.update({
            **{folder + name: content for name, content in self.images[view.slug].items()},
            folder + "data.csv": views.chart_rows_csv(data, chart, view.link), folder + "metadata.json": _json(metadata),
        })  # fmt: skip
        height = int(chart.figure.layout.height or 560)
        snippet = urls.iframe_snippet(self.base, view.slug, chart.title, self.version, height=height + 40)
        self.tree[folder + "oembed.json"] = _json({
            "version": "1.0", "type": "rich", "provider_name": "Shell Count", "provider_url": self.url(""),
            "title": chart.title, "html": snippet, "width": 1200, "height": height + 40,
            "thumbnail_url": pinned["png"], "thumbnail_width": views.EXPORT_WIDTH, "thumbnail_height": views.EXPORT_HEIGHT,
        })  # fmt: skip
        spec = _spec(chart)
        head = Head(title=f"{chart.title} — Shell Count", description=chart.summary, image=pinned["png"],
                    canonical=latest["page"] if self.base else "", oembed="oembed.json")  # fmt: skip
        records = _records(chart.table)

        def body(root: str, tree: str) -> str:
            files = [("chart.png", "PNG, 1280 × 720"), ("chart-portrait.png", "PNG, portrait 1080 × 1350"),
                     ("chart.svg", "SVG"), ("data.csv", f"CSV: the {len(chart.rows)} rows behind the chart"),
                     ("metadata.json", "metadata (JSON)"), ("embed.html", "the chart alone, for embedding"),
                     ("oembed.json", "oEmbed (JSON)")]  # fmt: skip
            return "\n".join([
                f"<h1>{esc(chart.title)}</h1>", f'<p class="subtitle">{esc(subtitle)}</p>',
                pages.chart_block(spec, chart.title, "chart.svg"),
                f'<p class="source">Source: {esc(views.SOURCE_LINE)}. Shell Count data v{esc(self.version)}, released {esc(self.released)}.</p>',
                "<h2>In words</h2>", f'<p id="summary">{esc(chart.summary)}</p>',
                "<h2>Files</h2>", '<ul class="files">' + "".join(f'<li><a href="{n}">{esc(t)}</a></li>' for n, t in files) + "</ul>",
                "<h2>Embed</h2><p>Paste this where the chart should appear; it fits any width from 320 to 1200 px and sets its own height.</p>",
                f"<pre><code>{esc(snippet)}</code></pre>",
                "<h2>Cite</h2>", f"<pre>{esc(plain)}</pre>", f"<pre>{esc(bibtex)}</pre>",
                "<h2>The chart's data</h2>", f"<p>{esc(chart.note)}</p>" if chart.note else "",
                pages.table(records, list(chart.table.columns), caption=chart.title, links=("link",)),
                "<h2>Other views</h2>", pages.links_list((f"{tree}{v.slug}/index.html", v.label) for v in self.site_views),
            ])  # fmt: skip

        def embed_body(root: str, tree: str) -> str:
            return (
                pages.chart_block(spec, chart.title, "chart.svg")
                + f'\n<p class="credit">Shell Count data v{esc(self.version)} · <a href="index.html" target="_blank" rel="noopener">source, data and method</a></p>'
            )

        self._page(folder + "index.html", head, body, chart=True)
        self._page(folder + "embed.html", Head(title=chart.title, description=chart.summary, image=pinned["png"]), embed_body, chart=True, embed=True)  # fmt: skip

    # ---- claims ----------------------------------------------------------------------------------
    def _claims(self) -> None:
        claims = self.data.claims.sort_values("claim_id")
        checks = views.claim_checks(self.data)
        appears: dict[str, list[SiteView]] = {}
        for view in self.site_views:
            for claim_id in sorted(set(view.chart.rows["claim_id"])):
                appears.setdefault(claim_id, []).append(view)
        for row in claims.to_dict("records"):
            self._claim(row, checks.get(row["claim_id"]), appears.get(row["claim_id"], []))
        index = [(f"{r['claim_id']}/index.html", f"{_day(r['stated_on'])} · {r['speaker']}: {r['claim_id']}") for r in claims.sort_values(["stated_on", "claim_id"], ascending=[False, True]).to_dict("records")]  # fmt: skip
        head = Head(title="Every claim — Shell Count", description=f"{len(index)} statements on artillery-ammunition output, each with its source and verbatim quote.")  # fmt: skip
        self._page(
            "claims/index.html",
            head,
            lambda root, tree: f"<h1>Every claim ({len(index)})</h1>\n" + pages.links_list(index),
        )

    def _claim(self, row: dict, check: dict | None, shown_in: list[SiteView]) -> None:
        claim_id = row["claim_id"]
        page_url = self.pinned(f"claims/{claim_id}/")
        quote = _text(row.get("quote"))
        said = f"{row['speaker']}" + (f", {_text(row.get('speaker_role'))}" if _text(row.get("speaker_role")) else "")
        figure = f"{row['measure']}: {views.value_words(row)}"
        outlet = _text(row.get("original_publisher")) or _text(row.get("publisher"))
        verdict = check["check"] if check else ""
        explanation = _check_words(check) if check else ""
        claim_ld = {
            "@context": "https://schema.org", "@type": "Claim", "@id": page_url + "#claim", "url": page_url,
            "identifier": claim_id, "text": quote or figure, "datePublished": _day(row["stated_on"]),
            "author": {"@type": "Person" if _text(row.get("speaker_role")) else "Organization", "name": row["speaker"],
                       **({"jobTitle": row["speaker_role"]} if _text(row.get("speaker_role")) else {})},
            "appearance": {"@type": "CreativeWork", "url": row["url"], "name": _text(row.get("source_title")),
                           "publisher": {"@type": "Organization", "name": outlet}},
        }  # fmt: skip
        json_ld: list[dict] = [claim_ld]
        if check:
            json_ld.append({
                "@context": "https://schema.org", "@type": "ClaimReview", "url": page_url,
                "datePublished": self.released, "claimReviewed": quote or figure,
                "author": {"@type": "Organization", "name": "Shell Count", "url": self.url("")},
                "itemReviewed": claim_ld,
                "reviewRating": {"@type": "Rating", "alternateName": verdict, "ratingExplanation": explanation},
            })  # fmt: skip
        head = Head(title=f"{row['speaker']}, {_day(row['stated_on'])}: {figure} — Shell Count",
                    description=quote or figure, image=self.pinned(f"{shown_in[0].slug}/chart.png") if shown_in else "",
                    canonical=self.url(f"latest/claims/{claim_id}/") if self.base else "", json_ld=tuple(json_ld))  # fmt: skip
        facts = [
            ("Who", said), ("When", f"{_day(row['stated_on'])} (known to the {row['date_precision']})"),
            ("Where", f"{outlet}" + (f": {_text(row.get('source_title'))}" if _text(row.get("source_title")) else "")),
            ("Figure", figure), ("Period described", f"{_day(row['period_start'])} to {_day(row['period_end'])}"),
            ("Basis", row["basis"]), ("Source grade", row["grade"]),
        ]  # fmt: skip

        def body(root: str, tree: str) -> str:
            parts = [f"<h1>{esc(said)}: {esc(figure)}</h1>"]
            parts.append(
                f"<blockquote>{esc(quote)}</blockquote>"
                if quote
                else "<p><i>No verbatim quote: the source paraphrases.</i></p>"
            )
            parts.append(
                '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>"
            )
            parts.append(
                f'<p>Source: <a href="{esc(row["url"])}" rel="nofollow noopener">{esc(row["url"])}</a> (grade: {esc(row["grade"])})</p>'
            )
            parts.append(f"<h2>How we read it</h2><p>{esc(_text(row.get('interpretation')))}</p>")
            if _text(row.get("notes")):
                parts.append(f"<h2>Notes</h2><p>{esc(row['notes'])}</p>")
            parts.append("<h2>Claim check</h2>")
            parts.append(f'<p id="verdict"><b>{esc(verdict)}</b>. {esc(explanation)}</p>' if check else
                         "<p>Not a comparative claim about Russia's output against an allied comparator, so there is no check against the estimates.</p>")  # fmt: skip
            parts.append("<h2>In these charts</h2>" + (pages.links_list((f"{tree}{v.slug}/index.html", v.label) for v in shown_in) if shown_in else "<p>None of the published charts draws this row.</p>"))  # fmt: skip
            parts.append(
                f'<p>Claim id <code>{esc(claim_id)}</code> (it never changes) · <a href="../index.html">every claim</a></p>'
            )
            return "\n".join(parts)

        self._page(f"claims/{claim_id}/index.html", head, body)

    # ---- data ------------------------------------------------------------------------------------
    def _data(self) -> None:
        names = [n for n in views.package_files() if (self.folder / n).is_file()]
        for name in names:
            self.tree["data/" + name] = (self.folder / name).read_bytes()
        zip_name = f"shell-count-{self.version}.zip"
        self.tree["data/" + zip_name] = stable_zip(views.package_zip(self.folder), self.released)
        package = self.data.package
        dataset_ld = {
            "@context": "https://schema.org", "@type": "Dataset", "name": package.title, "description": package.description,
            "version": self.version, "datePublished": self.released, "url": self.pinned("data/"),
            "license": package.license_url, "isAccessibleForFree": True,
            "creator": [{"@type": "Organization", "name": c} for c in package.contributors],
            "keywords": list(package.descriptor.get("keywords", [])),
            "distribution": [{"@type": "DataDownload", "encodingFormat": _media(n), "contentUrl": self.pinned("data/" + n)} for n in [*names, zip_name]],
        }  # fmt: skip
        head = Head(title=f"Data v{self.version} — Shell Count", description=package.description,
                    canonical=self.url("latest/data/") if self.base else "", json_ld=(dataset_ld,))  # fmt: skip
        files = [(n, n) for n in [*names, zip_name]]

        def body(root: str, tree: str) -> str:
            return "\n".join([
                f"<h1>{esc(package.title)}</h1>", f"<p>{esc(package.description)}</p>",
                f"<p>Version {esc(self.version)}, released {esc(self.released)}. Licence {esc(package.license)}. "
                "These URLs never change: a script can fetch them for ever (use <code>latest/data/</code> for the newest release).</p>",
                pages.links_list(files),
            ])  # fmt: skip

        self._page("data/index.html", head, body)

    # ---- front pages and root files ----------------------------------------------------------------
    def _front(self) -> None:
        overview = self.site_views[0]
        spec = _spec(overview.chart)
        head = Head(title="Shell Count — claimed and reported artillery-ammunition output", description=overview.chart.summary,
                    image=self.pinned("overview/chart.png"), canonical=self.url("") if self.base else "")  # fmt: skip

        def body(root: str, tree: str) -> str:
            return "\n".join([
                "<h1>Shell Count</h1>",
                "<p>What has been reported and claimed about artillery-ammunition output of NATO allies and Russia, "
                "next to every estimate that could be sourced. Every point links to the page it was read on.</p>",
                pages.chart_block(spec, overview.chart.title, f"{tree}overview/chart.svg"), f'<p id="summary">{esc(overview.chart.summary)}</p>',
                "<h2>Charts</h2>", pages.links_list((f"{tree}{v.slug}/index.html", v.label) for v in self.site_views),
                "<h2>More</h2>", pages.links_list([(f"{tree}claims/index.html", "Every claim, one page each"),
                                                  (f"{tree}data/index.html", "The data package (CSV, JSON, zip)"),
                                                  (f"{root}feed.xml", "Feed of releases and corrections (Atom)")]),
            ])  # fmt: skip

        self._page("index.html", head, body, chart=True)

    def _root_files(self) -> None:
        # The site's own front page: the latest tree's front page, its links into the tree going through latest/.
        self.root["index.html"] = self.tree["index.html"]("", urls.version_root(None))
        home = self.base or "/"
        self.root["404.html"] = pages.page(
            home if self.base else "/", self.assets, Head(title="Not found — Shell Count", description="This page does not exist.", image=self.pinned("overview/chart.png")),
            f'<main><h1>Not found</h1><p>This address is not part of Shell Count. Published pages never move: try '
            f'<a href="{esc(home)}latest/index.html">the latest release</a> or <a href="{esc(home)}latest/claims/index.html">every claim</a>.</p></main>',
        ).encode()  # fmt: skip
        self.root["feed.xml"] = feed.atom(
            self.data.changelog, self.url(""), self.url("feed.xml"),
            release_url=lambda v: self.url(urls.version_root(v)),
            claim_url=lambda v, c: self.url(urls.claim_path(c, v)),
        ).encode()  # fmt: skip
        html_paths = sorted(p for p in self.tree if p.endswith("index.html"))
        locations = [""] + [tree + p[: -len("index.html")] for tree in (urls.version_root(None), urls.version_root(self.version)) for p in html_paths]  # fmt: skip
        self.root["sitemap.xml"] = (
            '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(
                f"<url><loc>{esc(self.url(p))}</loc><lastmod>{self.released}</lastmod></url>\n" for p in locations
            )
            + "</urlset>\n"
        ).encode()
        robots = "User-agent: *\nAllow: /\n" + (f"Sitemap: {self.url('sitemap.xml')}\n" if self.base else "")
        self.root["robots.txt"] = robots.encode()


def _check_words(check: dict[str, str]) -> str:
    """The claim check in one sentence, from the Overview's claim-check table row."""
    claimed = f"Claimed {check['claimed']} against {check['compared with']}"
    if check["estimates for"] in ("", "—"):  # no estimate-implied ratio: say so, never guess one
        return f"{claimed}: {check['check']}, so no ratio is implied."
    used = f" (estimates from {check['estimates used']})" if check.get("estimates used") else ""
    return (
        f"{claimed}; the output estimates current on the claim's date for {check['estimates for']} imply "
        f"{check['implied by estimates']}{used}: {check['check']}."
    )


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return "" if text in ("<NA>", "nan", "NaT") else text


def _day(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") and value == value else ""


def _media(name: str) -> str:
    return {".csv": "text/csv", ".json": "application/json", ".md": "text/markdown", ".zip": "application/zip"}.get(Path(name).suffix, "application/octet-stream")  # fmt: skip


# ---- writing -------------------------------------------------------------------------------------
def write(site: Site, out: Path) -> int:
    """Write files whose bytes changed (atomically), remove stale files inside this build's trees; returns
    how many files were written."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path, content in sorted(site.files.items()):
        target = out / path
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        written += 1
    for tree in site.trees:
        folder = out / tree
        for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
            relative = posixpath.join(tree, file.relative_to(folder).as_posix())
            if file.is_file() and relative not in site.files:
                file.unlink()
        for empty in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True) if folder.is_dir() else ():
            if not any(empty.iterdir()):
                shutil.rmtree(empty)
    return written


def build_site(data: views.Dataset, folder: Path, base_url: str = "", progress: Progress | None = None) -> Site:
    return Builder(data, folder, base_url, progress or Progress()).build()
