"""The one door between the static site and the app: every model, figure, sentence and export the site uses.

The site draws nothing itself. Each chart, its one-sentence text alternative, its table, its CSV and its
images come from the app's own code through the names below, so a published view is the same chart a
reader sees live. When the app's modules move, only the imports in this file change.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import plotly

from dashboard import compare, describe, export, models, paths
from dashboard.charts import EXPORT_HEIGHT, EXPORT_WIDTH
from dashboard.export import ExportUnavailable
from dashboard.load import Dataset, load_dataset
from dashboard.models import SOURCE_LINE, ChartModel
from dashboard.normalize import value_words
from dashboard.state import DEFAULT, ViewState
from dashboard.tables import Problem
from dashboard.validate import validate_dataset

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
    "chart_rows_csv",
    "citation",
    "claim_checks",
    "claims_chart",
    "column_meanings",
    "csv_columns",
    "csv_header",
    "data_dir",
    "load",
    "output_chart",
    "output_subjects",
    "overview_chart",
    "package_files",
    "package_zip",
    "plotly_js",
    "png",
    "portrait_png",
    "single_subject",
    "subtitle",
    "svg",
    "value_words",
]

PORTRAIT_WIDTH, PORTRAIT_HEIGHT = 1080, 1350


def data_dir(explicit: str | None = None) -> Path:
    """The dataset folder the app would read (argument, else $DASHBOARD_DATA_DIR, else datasets/)."""
    return paths.data_dir(explicit)


def load(folder: Path) -> tuple[Dataset | None, list[Problem]]:
    """The validated dataset, or the validator's problems (the same check the app runs before showing anything)."""
    report = validate_dataset(folder)
    if not report.valid:
        return None, report.problems
    result = load_dataset(folder)
    return (result.dataset, []) if result.ok else (None, result.problems)


# ---- the charts, exactly as the pages build them ---------------------------------------------------
def overview_chart(data: Dataset, link: str) -> ChartModel:
    return models.overview(data, link).chart


_TARGET_STATUS: dict[int, tuple[Dataset, pd.DataFrame]] = {}


def output_chart(data: Dataset, view: ViewState, link: str) -> ChartModel:
    # Every target is judged once per dataset, as the app's memo does, not once per published view.
    held = _TARGET_STATUS.get(id(data))
    if held is None or held[0] is not data:
        held = _TARGET_STATUS[id(data)] = (data, models.all_target_status(data))
    return models.output(data, view, link, held[1]).chart


def claims_chart(data: Dataset, view: ViewState, link: str) -> ChartModel:
    return models.claims(data, view, link).chart


_SUBTITLE = re.compile(r"<br><span[^>]*>(.*)</span>", re.DOTALL)


def subtitle(chart: ChartModel) -> str:
    """The subtitle drawn under the title inside the figure (ChartModel does not carry it apart)."""
    match = _SUBTITLE.search(str(chart.figure.layout.title.text or ""))
    return html.unescape(match.group(1)) if match else ""


def output_subjects(data: Dataset) -> list[str]:
    """The subjects the Output page's filter offers (so every one-subject view the app can show is published)."""
    return list(models.options(data, shells_only=True)["subject"])


def single_subject(subject: str) -> ViewState:
    return replace(DEFAULT, subject=(subject,))


def claim_checks(data: Dataset) -> dict[str, dict[str, str]]:
    """The claim check for each comparative claim, as the Overview's table words it, by claim id."""
    comparisons = compare.claim_vs_estimates(data.claims)
    table = describe.comparison_table(comparisons)
    return {str(row["id"]): {k: "" if pd.isna(v) else str(v) for k, v in row.items()} for _, row in table.iterrows()}


# ---- exports ----------------------------------------------------------------------------------------
def csv_header(data: Dataset, chart: ChartModel, link: str) -> str:
    """The first line of a chart's CSV, as the app's download writes it (dashboard/ui.py downloads())."""
    return f"Shell Count data v{data.version}; {len(chart.rows)} rows; view: {link}; licence {data.package.license}"


def chart_rows_csv(data: Dataset, chart: ChartModel, link: str) -> bytes:
    """The app's 'CSV of these rows': every row behind the chart, formula cells neutralised."""
    return export.csv_bytes(describe.display_table(chart.rows), csv_header(data, chart, link))


def csv_columns(chart: ChartModel) -> list[str]:
    """The header of the chart's CSV (the display names of the columns behind it)."""
    return list(describe.display_table(chart.rows.head(0)).columns)


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
    return {shown: derived.get(column) or fields.get(column, "") for column, shown in describe.DISPLAY_COLUMNS.items()}


def png(chart: ChartModel) -> bytes:
    """The app's PNG export (1280 × 720), rendered by the one kaleido/Chromium session of this process."""
    return export.image_bytes(chart.figure, "png")


def svg(chart: ChartModel) -> bytes:
    return export.image_bytes(chart.figure, "svg")


def portrait_png(chart: ChartModel) -> bytes:
    """A 1080 × 1350 PNG for social feeds. For now the landscape figure rendered at that size; the app's
    portrait layout replaces this body when it exists."""
    return export.RENDERER.render(chart.figure, "png", PORTRAIT_WIDTH, PORTRAIT_HEIGHT)


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
