"""The one door between the static site and the app: every model, figure, sentence and export the site uses.

The site draws nothing itself. Each chart, its one-sentence text alternative, its table, its CSV and its
images come from the app's own code through the names below, so a published view is the same chart a
reader sees live. When the app's modules move, only the imports in this file change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly

from dashboard.analysis import claim_check
from dashboard.analysis.filters import DEFAULT, ViewState
from dashboard.data import paths
from dashboard.data.csvfile import Problem
from dashboard.data.load import SOURCE_RENAMES, Dataset, load_dataset
from dashboard.data.normalize import value_words
from dashboard.present import captions, export, registry
from dashboard.present.chart_style import EXPORT_HEIGHT, EXPORT_WIDTH, PORTRAIT_HEIGHT, PORTRAIT_WIDTH
from dashboard.present.export import ExportUnavailable
from dashboard.present.view_models import SOURCE_LINE, ChartModel

__all__ = [
    "DEFAULT",
    "EXPORT_HEIGHT",
    "EXPORT_WIDTH",
    "PORTRAIT_HEIGHT",
    "PORTRAIT_WIDTH",
    "SOURCE_LINE",
    "ChartModel",
    "Dataset",
    "ExportUnavailable",
    "Problem",
    "ViewState",
    "baked",
    "chart_rows_csv",
    "citation",
    "claim_checks",
    "column_meanings",
    "csv_columns",
    "csv_header",
    "data_dir",
    "image_formats",
    "load",
    "package_files",
    "package_zip",
    "plotly_js",
    "png",
    "portrait_png",
    "subtitle",
    "svg",
    "value_words",
]


def data_dir(explicit: str | None = None) -> Path:
    """The dataset folder the app would read (argument, else $DASHBOARD_DATA_DIR, else datasets/)."""
    return paths.data_dir(explicit)


def load(folder: Path) -> tuple[Dataset | None, list[Problem]]:
    """The validated dataset, or the validator's problems (the same check the app runs before showing anything)."""
    result = load_dataset(folder)  # validates first: one reading path
    return (result.dataset, []) if result.ok else (None, result.problems)


# ---- the views, exactly as the pages build them ------------------------------------------------------
def baked(data: Dataset, link: Callable[[str], str]) -> list[tuple[str, str, str, object]]:
    """(page name, slug, label, page model) for every view the registry bakes, each model built once."""
    return [
        (page.name, variant.slug, variant.label, page.chart.model(data, variant.view, link(variant.slug)))
        for page, variant in registry.baked(data)
    ]


def subtitle(chart: ChartModel) -> str:
    """The subtitle drawn under the title inside the figure (the figure keeps its words in layout.meta)."""
    return str(((chart.figure.layout.meta or {}).get("chart_text") or {}).get("subtitle", ""))


def claim_checks(data: Dataset) -> dict[str, dict[str, str]]:
    """The claim check for each comparative claim, as the Overview's table words it, by claim id."""
    comparisons = claim_check.claim_vs_estimates(data.claims)
    table = captions.comparison_table(comparisons)
    return {
        str(claim_id): {k: "" if pd.isna(v) else str(v) for k, v in row.items()}
        for claim_id, (_, row) in zip(comparisons["claim_id"], table.iterrows(), strict=True)  # the table hides ids
    }


# ---- exports ----------------------------------------------------------------------------------------
def csv_header(data: Dataset, chart: ChartModel, link: str) -> str:
    """The first line of a chart's CSV, as the app's download writes it."""
    return export.csv_header(data.version, len(chart.rows), link, data.package.license)


def chart_rows_csv(data: Dataset, chart: ChartModel, link: str) -> bytes:
    """The app's 'CSV of these rows': every row behind the chart, formula cells neutralised."""
    return export.rows_csv(chart.rows, data.package, csv_header(data, chart, link))


def csv_columns(data: Dataset, chart: ChartModel) -> list[str]:
    """The header of the chart's CSV: the schema's names of the columns behind it, as in every CSV of the app."""
    return list(captions.data_table(chart.rows.head(0), data.package).columns)


def column_meanings(data: Dataset) -> dict[str, str]:
    """Display column name → what it means: the schema's description for curated columns, a fixed one for
    the columns the app derives (annualised values) or joins in from sources.csv."""
    fields = {f.name: f.description for f in (*data.package.claims.fields, *data.package.sources.fields)}
    derived = {
        "annual_low": "the figure's lower end annualised to shells per year (empty for other units or an open bound)",
        "annual_high": "the figure's upper end annualised to shells per year (empty for other units or an open bound)",
        "annualised_how": "how the figure was annualised (as stated, per month × 12, or a total over its period)",
        "publisher": fields.get("publisher", "who published the source page"),
    }
    joined = {renamed: name for name, renamed in SOURCE_RENAMES.items()}  # source columns renamed on the join
    return {
        column: derived.get(column) or fields.get(column) or fields.get(joined.get(column, ""), "")
        for column in captions.data_columns(data.package)
    }


def image_formats() -> tuple:
    """The export formats the site publishes as images (all but the CSV, which is built with its header line)."""
    return tuple(f for f in export.PUBLISHED_FORMATS if f.kind != "csv")


def png(chart: ChartModel) -> bytes:
    """The app's PNG export (1280 × 720), rendered by the one kaleido/Chromium session of this process."""
    return export.FORMAT["png"].build(chart, None, "")


def svg(chart: ChartModel) -> bytes:
    return export.FORMAT["svg"].build(chart, None, "")


def portrait_png(chart: ChartModel) -> bytes:
    """The app's portrait PNG (1080 × 1350), laid out for social feeds and phone articles."""
    return export.FORMAT["portrait"].build(chart, None, "")


def citation(title: str, version: str, url: str, accessed) -> tuple[str, str]:
    """(plain text, BibTeX) citation, as the app's 'Cite this chart' words it."""
    cite = export.Citation(title=title, version=version, url=url, accessed=accessed)
    return cite.plain(), cite.bibtex()


def package_files() -> tuple[str, ...]:
    return export.PACKAGE_FILES


def package_zip(folder: Path) -> bytes:
    return export.package_zip(folder)


def plotly_js() -> tuple[str, Path]:
    """(version, path) of the plotly.js bundle shipped with the plotly package the app draws with."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    head = path.read_text(encoding="utf-8", errors="replace")[:200]
    version = head.split("plotly.js v", 1)[1].split()[0] if "plotly.js v" in head else plotly.__version__
    return version, path
