"""Build the static site: every baked view, a page per claim, the data, the feed, all in memory first.

Stages (one progress line each): validate and load → charts → images → pages → write. Nothing is written
unless the dataset validates and every file was built; then files are written atomically, one by one. A build
owns latest/ completely (stale files there are removed); it only adds to or updates v/<version>/, and never
removes anything under v/ or assets/, so a pinned link, and the assets its page loads, never break.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from dashboard.analysis import lines as line_reading
from dashboard.analysis.filters import DEFAULT
from dashboard.data.load import Dataset
from dashboard.present import captions, export, registry, url_state
from dashboard.present.chart_style import DESKTOP, EXPORT, PHONE
from dashboard.present.view_models import DISPLAY_LIMIT, SOURCE_LINE, ChartModel, default_line
from dashboard.publish import bundles, compress, feed, hosting, structured, tables, urls, views, words
from dashboard.publish.render import Assets, Head, render

ASSETS = Path(__file__).parent / "assets"
OPEN_ROWS = 20  # a view's table of rows starts unfolded up to this many rows (the claims timeline has ~160)
HEADERS = "_headers"  # the cache rules, for hosts that read them (hosting.py)
Content = bytes | Callable[[str, str], bytes]  # a file, or an HTML page given its relative paths (root, tree)
# What an image file holds when a build is asked for none (tests of the pages): valid, tiny, never published.
PLACEHOLDER = {"png": b"\x89PNG\r\n\x1a\n", "svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'}


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


def release_date(data: Dataset) -> str:
    """The latest release date in the changelog, else the descriptor's creation date: never today's."""
    return data.updated or str(data.package.descriptor.get("created", ""))[:10] or "1970-01-01"


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


def _compact_json(value: object) -> bytes:
    """A figure for chart.js: compact (it is fetched, not read), key order as built (deterministic)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# The interactive figure of a view, in each size and theme a reader can arrive with: chart.js picks the file for
# the width its chart is drawn at and the page's theme (templates/theme.js, prefers-color-scheme), and fetches
# only that one. Each is the app's own chart rebuilt for that style (ChartModel.figure_for), words wrapped for it.
FIGURES = {
    "figure.json": DESKTOP,
    "figure-dark.json": DESKTOP.dark(),
    "figure-phone.json": PHONE,
    "figure-phone-dark.json": PHONE.dark(),
}
DARK_IMAGE = "chart-dark.svg"  # the static image a dark page shows first: the SVG export in the dark theme


def _spec(figure) -> dict:
    """A figure and the toolbar's settings, as chart.js hands them to Plotly.newPlot."""
    spec = json.loads(figure.to_json())
    config = {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": "shell-count", "scale": 2},
    }
    return {"data": spec.get("data", []), "layout": spec.get("layout", {}), "config": config}


def subtitle(chart: ChartModel) -> str:
    """The subtitle drawn under the title inside the figure (the figure keeps its words in layout.meta)."""
    return str(((chart.figure.layout.meta or {}).get("chart_text") or {}).get("subtitle", ""))


def earlier_views(out: Path) -> dict[str, tuple[str, ...]]:
    """Slug → the versions under `out`/v/ that publish a view there (a folder with an embed.html: a chart's, or a
    line's below lines/), oldest first.

    Read from the site being updated, so a view an earlier release baked and this one does not still gets a
    latest/ page that says where its pinned copies are."""
    found: dict[str, list[tuple[tuple[int, ...], str]]] = {}
    embed_name = urls.FILES["embed"]
    patterns = (f"*/*/{embed_name}", f"*/{urls.LINES}/*/{embed_name}")
    embeds = sorted(e for p in patterns for e in (out / "v").glob(p)) if (out / "v").is_dir() else []
    for embed in embeds:
        version_folder = embed.parents[2] if embed.parent.parent.name == urls.LINES else embed.parent.parent
        version, slug = version_folder.name, embed.parent.relative_to(version_folder).as_posix()
        if re.fullmatch(r"\d+\.\d+\.\d+", version):
            found.setdefault(slug, []).append((tuple(int(p) for p in version.split(".")), version))
    return {slug: tuple(v for _, v in sorted(versions)) for slug, versions in found.items()}


class Builder:
    def __init__(
        self,
        data: Dataset,
        folder: Path,
        base_url: str,
        progress: Progress,
        images: bool = True,
        earlier: Mapping[str, tuple[str, ...]] | None = None,
        app_url: str = "",
    ) -> None:
        self.app_url = app_url.rstrip("/") + "/" if app_url else ""
        self.data, self.folder, self.base = data, folder, base_url.rstrip("/") + "/" if base_url else ""
        self.version, self.released = data.version, release_date(data)
        self.progress, self.images, self.earlier = progress, images, dict(earlier or {})
        self.tree: dict[str, Content] = {}  # path inside a version tree → content
        self.root: dict[str, bytes] = {}  # path below the site root → bytes
        self.licence = {"name": data.package.license, "url": data.package.license_url}
        self.outlets = words.outlets(data.claims)  # claim_id → "The New York Times, via Kyiv Independent"

    # ---- URLs ----------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """A site path as a public URL: absolute with a base URL, else root-relative."""
        return (self.base or "/") + path

    def pinned(self, path_in_tree: str) -> str:
        return self.url(urls.version_root(self.version) + path_in_tree)

    def link(self, slug: str) -> str:
        return urls.view_url(self.base, slug, "page", self.version)

    # ---- stages --------------------------------------------------------------------------------
    def build(self) -> Site:
        self.views = views.baked(self.data, self.link)
        # Each line's view (lines/<line_id>/), most often said first (ties by id): Rutte's three months leads.
        lined = [v for v in self.views if views.is_line(v)]
        lined.sort(key=lambda v: (-len(v.chart.rows), views.line_of(v)))
        self.lines = {views.line_of(v): v for v in lined}
        self._said: dict[str, dict] = {}  # line id → its statements by claim id, in the order it was said
        self.claim_line = self._claim_lines()
        self.progress.stage(f"charts: {len(self.views)} views from the app's page models")
        self.files = {view.slug: self._export_files(view) for view in self.views}
        made = "through one kaleido session" if self.images else "left out (placeholders)"
        self.progress.stage(f"images: {len(self.views) * (len(self._image_formats()) + 1)} PNG/SVG {made}")
        self._assets()
        for view in self.views:
            self._view(view)
        self._claims()
        self._lines_index()
        self._data()
        self._front()
        self._root_files()
        self._retired()
        site = Site(trees=(urls.version_root(None),))
        for tree in (urls.version_root(self.version), urls.version_root(None)):
            depth = tree.count("/")
            for path, content in self.tree.items():
                if callable(content):
                    site.files[tree + path] = content("../" * (depth + path.count("/")), "../" * path.count("/"))
                else:
                    site.files[tree + path] = content
        site.files.update(self.root)
        site.files[HEADERS] = hosting.headers_file()
        encoded = compress.precompressed(site.files)
        site.files.update(encoded)
        self.progress.stage(f"pages: {len(site.files)} files in memory ({len(encoded)} precompressed)")
        return site

    @staticmethod
    def _image_formats() -> tuple[export.Format, ...]:
        return tuple(f for f in export.PUBLISHED_FORMATS if f.needs_chromium)

    def _export_files(self, view: views.View) -> dict[str, bytes]:
        """Every published export format of the view, built as the app's download buttons build it."""
        header = export.csv_header(self.version, len(view.chart.rows), view.link, self.data.package.license)
        made = {}
        for fmt in export.PUBLISHED_FORMATS:
            if fmt.needs_chromium and not self.images:
                made[fmt.file] = PLACEHOLDER[fmt.extension]
                continue
            content = fmt.build(view.chart, self.data.package, header)
            made[fmt.file] = stable_svg(content) if fmt.extension == "svg" else content
        # The site's own: the SVG export in the dark theme, which a dark page shows until its figure is drawn.
        dark = export.image_bytes(view.chart.figure_for(EXPORT.dark()), "svg") if self.images else PLACEHOLDER["svg"]
        made[DARK_IMAGE] = stable_svg(dark) if self.images else dark
        return made

    def _assets(self) -> None:
        css, js = (ASSETS / "site.css").read_bytes(), (ASSETS / "chart.js").read_bytes()
        self.assets = Assets(css=_hashed("site", ".css", css), chart_js=_hashed("chart", ".js", js))
        self.root.update({self.assets.css: css, self.assets.chart_js: js})
        self.figures = {
            # The model was built for DESKTOP: its own figure is figure.json; the others are rebuilt for their style.
            view.slug: {
                name: _spec(view.chart.figure if style == DESKTOP else view.chart.figure_for(style))
                for name, style in FIGURES.items()
            }
            for view in self.views
        }
        # Each view's bundle, each bundle written once: the full one only when some figure needs it.
        self.bundles = {slug: bundles.for_figures(specs.values()) for slug, specs in self.figures.items()}
        for bundle in {b.name: b for b in self.bundles.values()}.values():
            self.root[bundle.asset] = bundle.path.read_bytes()

    def _page(self, path: str, template: str, head: Head, **context: object) -> None:
        """Add an HTML page to the version tree, rendered once per tree (its relative paths differ)."""
        if not head.image:  # every page gets a social preview: the headline chart unless it has its own
            head = replace(head, image=self.pinned("overview/chart.png"))

        def page(root: str, tree: str) -> bytes:
            return render(
                template,
                root=root,
                tree=tree,
                head=head,
                assets=self.assets,
                version=self.version,
                released=self.released,
                licence=self.licence,
                **context,
            )

        self.tree[path] = page

    def _view_links(self) -> list[tuple[str, str]]:
        """(slug, label) of every baked chart but the lines' (they have their index): pages link them below their
        version tree's root."""
        return [(v.slug, v.label) for v in self.views if not views.is_line(v)]

    def _line_links(self) -> list[tuple[str, str]]:
        """(slug, title) of every line's page, most often said first."""
        return [(v.slug, v.chart.title) for v in self.lines.values()]

    def _line_link(self, line_id: str) -> dict[str, str]:
        """A line as a link: its page's folder below the version root and its title."""
        return {"slug": urls.line_slug(line_id), "title": self.lines[line_id].chart.title}

    # ---- one view ------------------------------------------------------------------------------
    def file_urls(self, slug: str, version: str | None) -> dict[str, str]:
        return {kind: self.url(urls.view_path(slug, kind, version)) for kind in urls.FILES}

    def _view(self, view: views.View) -> None:
        chart, data, folder = view.chart, self.data, view.slug + "/"
        words_under_title = subtitle(chart)
        cite = export.Citation(
            title=chart.title, version=self.version, url=view.link, accessed=date.fromisoformat(self.released)
        )
        pinned, latest = self.file_urls(view.slug, self.version), self.file_urls(view.slug, None)
        meanings = views.column_meanings(data)
        header = export.csv_header(self.version, len(chart.rows), view.link, data.package.license)
        columns = list(captions.data_table(chart.rows.head(0), data.package).columns)
        metadata = {
            "title": chart.title,
            "subtitle": words_under_title,
            "source": SOURCE_LINE,
            "version": self.version,
            "released": self.released,
            "description": chart.summary,
            "licence": self.licence,
            "citation": {"text": cite.plain(), "bibtex": cite.bibtex()},
            "rows": len(chart.rows),
            "csv_first_line": "# " + header,
            "columns": [{"name": c, "meaning": meanings.get(c, "")} for c in columns],
            "urls": pinned,
            "latest_urls": latest,
        }
        line = self._line_context(view) if views.is_line(view) else None
        if line:
            metadata |= {"line": line["metadata"], "reading": line["reading_metadata"]}
        self.tree.update({folder + name: content for name, content in self.files[view.slug].items()})
        self.tree[folder + urls.FILES["metadata"]] = _json(metadata)
        height = int(chart.figure.layout.height or 560)
        snippet = urls.iframe_snippet(self.base, view.slug, chart.title, self.version, height=height + 40)
        self.tree[folder + urls.FILES["oembed"]] = _json(
            {
                "version": "1.0",
                "type": "rich",
                "provider_name": "Shell Count",
                "provider_url": self.url(""),
                "title": chart.title,
                "html": snippet,
                "width": 1200,
                "height": height + 40,
                "thumbnail_url": pinned["png"],
                "thumbnail_width": export.EXPORT_WIDTH,
                "thumbnail_height": export.EXPORT_HEIGHT,
            }
        )
        bundle = self.bundles[view.slug]
        self.tree.update({folder + name: _compact_json(spec) for name, spec in self.figures[view.slug].items()})
        files = [(f.file, f.label) for f in export.PUBLISHED_FORMATS]
        files[[f.kind for f in export.PUBLISHED_FORMATS].index("csv")] = (
            urls.FILES["csv"],
            f"CSV: the {len(chart.rows)} rows behind the chart",
        )
        files += [
            (urls.FILES["metadata"], "metadata (JSON)"),
            (urls.FILES["embed"], "the chart alone, for embedding"),
            (urls.FILES["oembed"], "oEmbed (JSON)"),
        ]
        head = Head(
            title=f"{chart.title} — Shell Count",
            description=line["sentence"] if line else chart.summary,
            image=pinned["png"],
            canonical=latest["page"] if self.base else "",
            oembed=urls.FILES["oembed"],
            json_ld=(line["json_ld"],) if line else (),
        )
        self._page(
            folder + "index.html",
            "line.html" if line else "view.html",
            head,
            chart=chart,
            subtitle=words_under_title,
            bundle=bundle,
            source_line=SOURCE_LINE,
            files=files,
            snippet=snippet,
            citation={"plain": cite.plain(), "bibtex": cite.bibtex()},
            views=self._view_links(),
            lines=self._line_links(),
            **({"line": line, "csv": urls.FILES["csv"]} if line else self._view_tables(view)),
        )
        embed_head = Head(title=chart.title, description=chart.summary, image=pinned["png"])
        self._page(
            folder + urls.FILES["embed"],
            "embed.html",
            embed_head,
            chart=chart,
            bundle=bundle,
            body_class="embed",
        )

    def _view_tables(self, view: views.View) -> dict[str, object]:
        """What a view page shows besides its chart, from its page model: the rows as a reader reads them (each
        claim linked to its page; data.csv has every column), and what else the model holds, as the app's page
        shows it (the Overview's key figures and claim check, the Output page's targets). The lines the key figures'
        statements belong to (the Overview's Rutte cards: the model's card_lines) are linked under them, as the app
        links them, and every view page lists the lines whose statements its chart draws."""
        model = view.model
        key_figures = [(label, value, note) for label, value, _help, note in getattr(model, "key_figures", [])]
        card_lines = [self._line_link(line_id) for line_id in getattr(model, "card_lines", {}) if line_id in self.lines]
        check = getattr(model, "check", None)
        targets = getattr(model, "targets", None)
        return {
            "drawn_lines": [
                {**self._line_link(line_id), "count": count}
                for line_id, count in views.lines_in(view.chart.rows)
                if line_id in self.lines
            ],
            "rows": tables.claim_rows(view.chart.rows.head(DISPLAY_LIMIT), self.outlets),
            "open_rows": OPEN_ROWS,
            "csv": urls.FILES["csv"],
            "key_figures": key_figures,
            "card_lines": card_lines,
            "check": tables.claim_check(check) if check is not None and len(check) else None,
            "check_note": getattr(model, "check_note", ""),
            "targets": tables.targets(targets, self.data.claims) if targets is not None and len(targets) else None,
        }

    # ---- lines of claims ------------------------------------------------------------------------------
    def _claim_lines(self) -> dict[str, str]:
        """claim id → the id of the line it belongs to (claims in no line are left out)."""
        claims = self.data.claims  # the loader gives every package both line columns, missing where no line
        coded = claims.dropna(subset=["line_id"])
        return dict(zip(coded["claim_id"].astype(str), coded["line_id"].astype(str), strict=True))

    def _line_row(self, line_id: str) -> dict:
        return self.data.lines[self.data.lines["line_id"] == line_id].to_dict("records")[0]

    def _line_context(self, view: views.View) -> dict[str, object]:
        """A line's page, from its page model (view_models.LineView): the reading in words and counts, and every
        statement in order as the app's table has it (date, how it relates, the figure as worded, who, the words,
        where it was read, its page), plus the line's metadata and JSON-LD."""
        model, line_id = view.model, views.line_of(view)
        line, reading = self._line_row(line_id), model.reading
        relations = list(reading.instances["line_relation"].astype(str))
        statements = [
            {
                "claim": words.text(row["id"]),
                "date": words.day(row["date"]),
                "how": words.text(row["how"]),
                "relation": relation,
                "figure": words.text(row["figure as worded"]),
                "speaker": words.text(row["speaker"]),
                "quote": words.text(row["quote"]),
                "outlet": words.text(row["outlet"]),
                "url": words.text(row["link"]),
            }
            for row, relation in zip(model.table.to_dict("records"), relations, strict=True)
        ]
        counts = [(n, line_reading.RELATION_WORDS[r]) for r, n in reading.counts.items() if n]
        page_url = self.pinned(urls.line_slug(line_id) + "/")
        claim_urls = [self.pinned(f"claims/{s['claim']}/") for s in statements]
        return {
            "id": line_id,
            "who": words.text(line.get("who")),
            "asserts": words.text(line.get("asserts")),
            "kind": words.text(line.get("kind")),
            "sentence": reading.sentence,
            "counts": counts,
            "statements": statements,
            "json_ld": structured.line(page_url, view.chart.title, words.text(line.get("asserts")), claim_urls),
            "metadata": {
                k: words.text(line.get(k)) for k in ("line_id", "title", "who", "asserts", "measure", "unit", "kind")
            },
            "reading_metadata": {
                "sentence": reading.sentence,
                "statements": len(statements),
                "counts": dict(reading.counts),
                "usual": reading.usual,
                "figures": list(reading.figures),
                "retracted": _day(reading.retracted),
                "reversed": _day(reading.reversed),
                "met": _day(reading.met),
            },
        }

    def _claim_in_line(self, claim_id: str) -> dict[str, object] | None:
        """Where a claim stands in its line, for its page: the line (link and title), how the claim relates to it in
        words, its place (3 of 13), and the statements said just before and after it, each as the line's page lists
        it (its table is the line's instances in order, as analysis.lines.neighbours reads them). None for a claim
        in no line."""
        line_id = self.claim_line.get(claim_id)
        if line_id not in self.lines:
            return None
        if line_id not in self._said:  # once per line, not once per claim of it
            table = self.lines[line_id].model.table
            self._said[line_id] = {str(r["id"]): r for r in table.to_dict("records")}
        said = self._said[line_id]
        ids = list(said)
        place = ids.index(claim_id)

        def statement(other: str | None) -> dict[str, str] | None:
            if other is None:
                return None
            row = said[other]
            return {"claim": other, "date": words.day(row["date"]), "speaker": words.text(row["speaker"]),
                    "figure": words.text(row["figure as worded"]), "how": words.text(row["how"])}  # fmt: skip

        return {
            **self._line_link(line_id),
            "how": words.text(said[claim_id]["how"]),
            "position": place + 1,
            "total": len(said),
            "before": statement(ids[place - 1] if place > 0 else None),
            "after": statement(ids[place + 1] if place + 1 < len(ids) else None),
        }

    def _lines_index(self) -> None:
        """lines/index.html: every line, most often said first, each with who said it and its reading."""
        entries = [
            {"slug": v.slug, "title": v.chart.title, "who": words.text(self._line_row(line_id).get("who")),
             "sentence": v.model.reading.sentence, "count": len(v.chart.rows)}
            for line_id, v in self.lines.items()
        ]  # fmt: skip
        head = Head(
            title="Lines of claims — Shell Count",
            description=f"{len(entries)} claims that were said again and again, each with every time it was said, "
            "as worded, and whether it was reversed.",
            canonical=self.url("latest/lines/") if self.base else "",
        )
        self._page("lines/index.html", "lines_index.html", head, entries=entries)

    # ---- claims ----------------------------------------------------------------------------------
    def _claims(self) -> None:
        claims = self.data.claims.sort_values("claim_id")

        checks = views.claim_checks(self.data)
        appears: dict[str, list[views.View]] = {}
        for view in self.views:
            for claim_id in sorted(set(view.chart.rows["claim_id"])):
                appears.setdefault(claim_id, []).append(view)
        for row in claims.to_dict("records"):
            self._claim(row, checks.get(row["claim_id"]), appears.get(row["claim_id"], []))
        entries = tables.claims_index(claims, self.outlets)
        head = Head(
            title="Every claim — Shell Count",
            description=f"{len(claims)} statements on artillery-ammunition output, each with its source "
            "and verbatim quote.",
        )
        self._page("claims/index.html", "claims_index.html", head, entries=entries)

    def _claim(self, row: dict, check: dict | None, shown_in: list[views.View]) -> None:
        claim_id = row["claim_id"]
        page_url = self.pinned(f"claims/{claim_id}/")
        quote = words.text(row.get("quote"))
        role = words.text(row.get("speaker_role"))
        said = f"{row['speaker']}" + (f", {role}" if role else "")
        figure = words.what(row)
        verdict = check["check"] if check else ""
        explanation = words.check_sentence(check) if check else ""
        claim_ld = structured.claim(row, page_url, quote or figure, _day(row["stated_on"]))
        line = self._claim_in_line(claim_id)
        if line:
            claim_ld |= structured.part_of_line(self.pinned(f"{line['slug']}/"), line["title"], line["position"])
        json_ld = [claim_ld]
        if check:
            json_ld.append(structured.review(claim_ld, page_url, self.released, verdict, explanation, self.url("")))
        head = Head(
            title=f"{words.heading(row)} ({words.day(row['stated_on'])}) — Shell Count",
            description=quote or figure,
            image=self.pinned(f"{shown_in[0].slug}/chart.png") if shown_in else "",
            canonical=self.url(f"latest/claims/{claim_id}/") if self.base else "",
            json_ld=tuple(json_ld),
        )
        title = words.text(row.get("source_title"))
        per_year = words.per_year(row)
        facts = [
            ("Who", said),
            ("When", f"{words.day(row['stated_on'])} (known to the {row['date_precision']})"),
            ("Where", self.outlets.get(claim_id, "") + (f": {title}" if title else "")),
            ("Figure, as worded", words.figure(row)),
            *([("Per year, worked out", per_year)] if per_year else []),
            ("Period described", words.period(row)),
            ("Measure", str(row["measure"]).replace("_", " ")),
            ("Basis", str(row["basis"]).replace("_", " ")),
            ("Source grade", row["grade"]),
        ]
        self._page(
            f"claims/{claim_id}/index.html",
            "claim.html",
            head,
            heading=words.heading(row),
            quote=quote,
            facts=facts,
            url=row["url"],
            grade=row["grade"],
            interpretation=words.text(row.get("interpretation")),
            notes=words.text(row.get("notes")),
            claim_id=claim_id,
            check={"verdict": verdict, "explanation": explanation} if check else None,
            shown_in=[(v.slug, v.label) for v in shown_in],
            line=line,
        )

    # ---- data ------------------------------------------------------------------------------------
    def _data(self) -> None:
        names = [n for n in export.PACKAGE_FILES if (self.folder / n).is_file()]
        for name in names:
            self.tree["data/" + name] = (self.folder / name).read_bytes()
        zip_name = f"shell-count-{self.version}.zip"
        self.tree["data/" + zip_name] = stable_zip(export.package_zip(self.folder), self.released)
        package = self.data.package
        files = [*names, zip_name]
        dataset_ld = structured.dataset(
            package, self.version, self.released, self.pinned("data/"), {n: self.pinned("data/" + n) for n in files}
        )
        head = Head(
            title=f"Data v{self.version} — Shell Count",
            description=package.description,
            canonical=self.url("latest/data/") if self.base else "",
            json_ld=(dataset_ld,),
        )
        self._page("data/index.html", "data.html", head, package=package, files=[(n, n) for n in files])

    # ---- front pages and root files ----------------------------------------------------------------
    def _front(self) -> None:
        overview = self.views[0]
        head = Head(
            title="Shell Count — claimed and reported artillery-ammunition output",
            description=overview.chart.summary,
            image=self.pinned("overview/chart.png"),
            canonical=self.url("") if self.base else "",
        )
        # The headline line (the one said most often: Rutte's three months), where the headline chart is.
        featured = default_line(self.data)
        self._page(
            "index.html",
            "front.html",
            head,
            chart=overview.chart,
            bundle=self.bundles[overview.slug],
            views=self._view_links(),
            lines=self._line_links(),
            featured={**self._line_link(featured), "who": words.text(self._line_row(featured).get("who")),
                      "sentence": self.lines[featured].model.reading.sentence} if featured in self.lines else None,
        )  # fmt: skip

    def _root_files(self) -> None:
        # The site's own front page: the latest tree's front page, its links into the tree going through latest/.
        self.root["index.html"] = self.tree["index.html"]("", urls.version_root(None))
        home = self.base or "/"
        head = Head(
            title="Not found — Shell Count",
            description="This page does not exist.",
            image=self.pinned("overview/chart.png"),
        )
        self.root["404.html"] = render("not_found.html", root=home, tree=home, head=head, assets=self.assets, home=home)
        self.root["feed.xml"] = feed.atom(
            self.data.changelog,
            self.url(""),
            self.url("feed.xml"),
            release_url=lambda v: self.url(urls.version_root(v)),
            claim_url=lambda v, c: self.url(urls.claim_path(c, v)),
            describe=self._describe,
            cited_by=self._cited_by,
            line_url=lambda v, line_id: self.url(urls.line_path(line_id, v)),
        ).encode()
        html_paths = sorted(p for p in self.tree if p.endswith("index.html"))
        trees = (urls.version_root(None), urls.version_root(self.version))
        locations = [self.url("")] + [self.url(t + p[: -len("index.html")]) for t in trees for p in html_paths]
        self.root["sitemap.xml"] = render("sitemap.xml", locations=locations, released=self.released)
        robots = "User-agent: *\nAllow: /\n" + (f"Sitemap: {self.url('sitemap.xml')}\n" if self.base else "")
        self.root["robots.txt"] = robots.encode()

    def _describe(self, table: str, row_id: str) -> str:
        """A claim in a feed entry's title: 'Mark Rutte, 5 July 2025: Russia's output against NATO's, 12×'; a line:
        its title."""
        if table == "lines":
            found = self.data.lines[self.data.lines["line_id"] == row_id]
            return "" if found.empty else str(found["title"].iloc[0])  # a line a later release removed: its id
        if table != "claims":
            return ""
        found = self.data.claims[self.data.claims["claim_id"] == row_id]
        if found.empty:  # a claim a later release removed: its id is all there is
            return ""
        row = found.iloc[0].to_dict()
        return f"{row['speaker']}, {words.day(row['stated_on'])}: {words.what(row)}"

    def _cited_by(self, source_id: str) -> list[str]:
        """The claims citing a source in this release (a source's correction corrects what they show)."""
        claims = self.data.claims
        return sorted(claims.loc[claims["source_id"] == source_id, "claim_id"].astype(str))

    # ---- views an earlier release published and this one does not --------------------------------------
    def _retired(self) -> None:
        """latest/<slug>/ of a view no longer baked says so and links its pinned copies (which never change) and
        where to see the same figures now, instead of leaving a dead latest/ link in someone's article. Its
        embed says the same inside the iframe. Its data files are gone from latest/ on purpose: a script
        following latest/ gets a clear 404 rather than figures that stopped following releases."""
        baked = {v.slug for v in self.views}
        for slug, versions in sorted(self.earlier.items()):
            if slug in baked:
                continue
            subject = self._subject_of(slug)
            line = slug.removeprefix(urls.LINES + "/") if slug.startswith(urls.LINES + "/") else ""
            label = f"Output: {subject}" if subject else f"Line of claims {line}" if line else slug
            up = "../" * (slug.count("/") + 1)  # from latest/<slug>/ to latest/
            context = {
                "label": label,
                "pinned": [(f"../{up}{urls.view_path(slug, 'page', v)}", v) for v in versions],
                "subject": subject,
                "line": line,
                "minimum": registry.MIN_BAKED_FIGURES,
                "app_link": self._app_output_link(subject) if subject else "",
            }
            head = Head(
                title=f"{label}: no longer published — Shell Count",
                image=self.pinned("overview/chart.png"),
                description=f"Data v{self.version} no longer publishes this view; its pinned copies stay.",
                noindex=True,
            )
            common = {
                "root": "../" + up,
                "tree": up,
                "head": head,
                "assets": self.assets,
                "version": self.version,
                "released": self.released,
                "licence": self.licence,
            }
            latest = urls.version_root(None) + slug + "/"
            self.root[latest + "index.html"] = render("retired.html", **common, **context)
            self.root[latest + urls.FILES["embed"]] = render("retired.html", **common, **context, body_class="embed")

    def _subject_of(self, slug: str) -> str:
        """The subject an output-<subject> slug was made from (registry.slugify of a subject the schema knows)."""
        subjects = next((f.enum for f in self.data.package.claims.fields if f.name == "subject"), ())
        return next((s for s in subjects if f"output-{registry.slugify(s)}" == slug), "")

    def _app_output_link(self, subject: str) -> str:
        """The live app's Output page showing this one subject, when the app's address is known."""
        if not self.app_url:
            return ""
        output = registry.BY_NAME["output"]
        query = urlencode(url_state.to_query(replace(DEFAULT, subject=(subject,))))
        return f"{self.app_url}{output.url_path}?{query}"


def _day(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") and value == value else ""


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


def build_site(
    data: Dataset,
    folder: Path,
    base_url: str = "",
    progress: Progress | None = None,
    images: bool = True,
    earlier: Mapping[str, tuple[str, ...]] | None = None,
    app_url: str = "",
) -> Site:
    """The whole site in memory. `images=False` puts placeholders where the PNG and SVG exports go (a test of
    the pages needs no Chromium); `earlier` is earlier_views() of the site being updated; `app_url` is the live
    app's address, which pages of views no longer published link to."""
    return Builder(data, folder, base_url, progress or Progress(), images, earlier, app_url).build()
