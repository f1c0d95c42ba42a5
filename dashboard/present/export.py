"""Exports: formula-safe CSV, PNG/SVG through kaleido and the system Chromium, standalone HTML,
citation text, and a zip of the data package.

Images are rendered by one kaleido/Chromium process kept alive for the life of the server (starting
Chromium costs ~1.5 s; a warm render ~0.1 s), and memoised by the figure's JSON, so pressing the
same download twice renders once. Nothing here runs unless an export is asked for.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import shutil
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pandas as pd
import plotly.graph_objects as go

from dashboard import settings
from dashboard.data.schema import Package
from dashboard.present import captions
from dashboard.present.chart_style import (
    EXPORT,
    EXPORT_HEIGHT,
    EXPORT_WIDTH,
    PORTRAIT,
)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PACKAGE_FILES = ("datapackage.json", "claims.csv", "sources.csv", "lines.csv", "README.md", "CHANGELOG.md")
_SAFE_NAME = re.compile(r"[^a-z0-9-]+")
_CACHE_SIZE = 64
EXPORT_SCREEN = replace(EXPORT, height=None)  # the interactive HTML: export-wide words, height and width free


class ExportUnavailable(RuntimeError):
    """Image export cannot run here (no Chromium); the message says what to install."""


def find_chromium() -> str | None:
    """The system Chromium: $SHELLCOUNT_CHROMIUM or $BROWSER_PATH, else the first on PATH."""
    value = settings.CHROMIUM.get()
    if value and Path(value).is_file() and os.access(value, os.X_OK):
        return value
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def safe_filename(*parts: str, extension: str) -> str:
    """A file name from a fixed alphabet (a-z, 0-9, '-'), whatever the input."""
    stem = "-".join(p for p in (_SAFE_NAME.sub("-", str(part).lower()).strip("-") for part in parts) if p)
    return f"{stem[:80].strip('-') or 'shell-count'}.{_SAFE_NAME.sub('', extension.lower()) or 'bin'}"


def view_slug(link: str, limit: int = 60) -> str:
    """The view a permalink shows, as a short file-name part: its non-default query values in order
    ('?subject=Russia,United States&scale=linear' → 'russia-united-states-linear'; dates keep their key,
    'from-2024-01-01'), cut at a word boundary within `limit` characters; '' for the default view."""
    words = []
    for key, value in parse_qsl(urlparse(link).query):
        words.append(f"{key}-{value}" if key in ("from", "to") else value)
    slug = _SAFE_NAME.sub("-", "-".join(words).lower()).strip("-")
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-")


def neutralise(value: object) -> object:
    """A cell a spreadsheet would execute (=, +, -, @ …) gets a leading apostrophe; others pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _whole(value: object) -> object:
    """4500000.0 → 4500000 (a count reads as a count); 4.5, NaN and non-numbers pass unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cells(column: pd.Series, rule) -> pd.Series:
    """`rule` on every cell, kept as Python objects (Series.map would turn 4500000 back into 4500000.0)."""
    return pd.Series([_whole(rule(v)) for v in column.tolist()], index=column.index, dtype=object)


def csv_bytes(rows: pd.DataFrame, header_comment: str = "") -> bytes:
    """The rows as UTF-8 CSV, formula cells neutralised, whole numbers written as integers; an optional first
    line '# …' names the version."""
    safe = rows.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = _cells(safe[column], neutralise)
        elif pd.api.types.is_datetime64_any_dtype(safe[column]):
            safe[column] = safe[column].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(safe[column]):
            safe[column] = _cells(safe[column], _whole)
    buffer = io.StringIO()
    if header_comment:
        buffer.write("# " + header_comment.replace("\n", " ").replace("\r", " ") + "\n")
    safe.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def csv_header(version: str, rows: int, link: str, license: str) -> str:
    """The first line of every CSV download: data version, row count, the view's link, the licence."""
    return f"Shell Count data v{version}; {rows} rows; view: {link}; licence {license}"


def rows_csv(rows: pd.DataFrame, package: Package, header_comment: str = "") -> bytes:
    """The rows behind a chart as CSV, in the one column vocabulary of every CSV (the schema's names)."""
    return csv_bytes(captions.data_table(rows, package), header_comment)


def html_bytes(fig: go.Figure, title: str = "") -> bytes:
    """A standalone interactive HTML file: plotly.js inlined, works offline, titled like the chart."""
    page = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    heading = html.escape(title or "Shell Count chart", quote=False).replace("\n", " ")
    return page.replace("<head>", f"<head><title>{heading}</title>", 1).encode("utf-8")


class _Renderer:
    """One kaleido server for the process; renders are serialised and memoised."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self.renders = 0  # how many images were actually rendered (benchmarks and tests read it)

    def _start(self) -> None:
        chromium = find_chromium()
        if chromium is None:
            raise ExportUnavailable(
                "Image export needs Chromium, which is not installed on this server "
                "(Debian/Ubuntu: apt-get install chromium; or set SHELLCOUNT_CHROMIUM to its path). "
                "The chart toolbar's camera icon still downloads a PNG from your browser."
            )
        import kaleido  # lazily: only image exports pay for it

        kaleido.start_sync_server(path=chromium, mathjax=False, silence_warnings=True)
        self._started = True

    def render(self, fig: go.Figure, fmt: str, width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT) -> bytes:
        if fmt not in ("png", "svg"):
            raise ValueError(f"unsupported image format {fmt!r}")
        spec = fig.to_json()
        key = hashlib.sha256(f"{fmt}|{width}|{height}|{spec}".encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            if not self._started:
                self._start()
            import kaleido

            data = kaleido.calc_fig_sync(fig, opts=dict(format=fmt, width=width, height=height))
            self.renders += 1
            self._cache[key] = data
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
            return data


RENDERER = _Renderer()


def image_bytes(fig: go.Figure, fmt: str) -> bytes:
    """PNG or SVG of a figure at its own size (an export style sets it: 1280 × 720, or 1080 × 1350 portrait)."""
    return RENDERER.render(fig, fmt, int(fig.layout.width or EXPORT_WIDTH), int(fig.layout.height or EXPORT_HEIGHT))


@dataclass(frozen=True)
class Format:
    """One way to download a chart, declared once: the app offers it, the publisher writes it, the site's URL
    table names its file. `build(chart, package, header)` makes the bytes; `chart` has .figure, .rows, .title."""

    kind: str  # 'png', 'portrait', 'svg', 'csv', 'html'
    label: str  # the app's button
    mime: str
    extension: str
    build: Callable[[Any, Package, str], bytes]
    file: str = ""  # its name in a published view's folder; '' when the site does not publish it
    suffix: tuple[str, ...] = ()  # words added to the download's file name ('portrait')
    needs_chromium: bool = False
    icon: str = ""
    help: str = ""

    def file_name(self, *parts: str) -> str:
        """The download's name, e.g. output-russia-linear-v1-2-0-portrait.png."""
        return safe_filename(*parts, *self.suffix, extension=self.extension)


FORMATS = (
    Format("png", "PNG (1280 × 720)", "image/png", "png", lambda c, p, h: image_bytes(c.figure_for(EXPORT), "png"),
           file="chart.png", needs_chromium=True, icon=":material/image:"),
    Format("portrait", "Portrait PNG (1080 × 1350)", "image/png", "png",
           lambda c, p, h: image_bytes(c.figure_for(PORTRAIT), "png"), file="chart-portrait.png",
           suffix=("portrait",), needs_chromium=True, icon=":material/smartphone:",
           help="Laid out for social posts and phone articles"),
    Format("dark", "Dark PNG (1280 × 720)", "image/png", "png",
           lambda c, p, h: image_bytes(c.figure_for(EXPORT.dark()), "png"), file="chart-dark.png", suffix=("dark",),
           needs_chromium=True, icon=":material/dark_mode:", help="The same chart on a dark background"),
    Format("svg", "SVG", "image/svg+xml", "svg", lambda c, p, h: image_bytes(c.figure_for(EXPORT), "svg"),
           file="chart.svg", needs_chromium=True, icon=":material/draw:"),
    Format("csv", "CSV of these rows", "text/csv", "csv", lambda c, p, h: rows_csv(c.rows, p, h), file="data.csv",
           icon=":material/table:"),
    Format("html", "Interactive HTML", "text/html", "html", lambda c, p, h: html_bytes(c.figure_for(EXPORT_SCREEN), c.title),
           icon=":material/code:"),
)  # fmt: skip
FORMAT = {f.kind: f for f in FORMATS}
PUBLISHED_FORMATS = tuple(f for f in FORMATS if f.file)


@dataclass(frozen=True)
class Citation:
    title: str
    version: str
    url: str
    accessed: date
    license: str = "CC-BY-4.0"
    author: str = "Shell Count maintainers"

    def plain(self) -> str:
        return (
            f"{self.author} ({self.accessed.year}). {self.title} (data version {self.version}) [Data set and chart]. "
            f"{self.license}. Retrieved {self.accessed:%d %B %Y} from {self.url}"
        )

    def bibtex(self) -> str:
        key = safe_filename("shellcount", self.version, str(self.accessed.year), extension="x")[:-2].replace("-", "")
        fields = {
            "author": "{" + self.author + "}",
            "title": self.title.replace("{", "(").replace("}", ")"),
            "year": str(self.accessed.year),
            "version": self.version,
            "howpublished": r"\url{" + self.url.replace("}", "%7D") + "}",
            "note": f"Data licence {self.license}. Accessed {self.accessed.isoformat()}",
        }
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        return f"@misc{{{key},\n{body}\n}}\n"


def package_zip(data_dir: Path) -> bytes:
    """The data package (descriptor, both tables, data dictionary, changelog) as one zip, nothing else."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in PACKAGE_FILES:
            file = data_dir / name
            if file.is_file():
                archive.write(file, arcname=f"shell-count/{name}")
    return buffer.getvalue()
