"""What each page shows, computed from the dataset and the view: figures, tables, sentences (no Streamlit).

A page asks for its model through `ui.memo`, which caches it per dataset version and view, so a rerun
that changes nothing recomputes nothing and a filter toggled back is instant. Tables sent to the browser
are capped at DISPLAY_LIMIT rows (a 100,000-row grid exceeds Streamlit's message limit); the CSV download
always carries every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.analysis import claim_check, filters, output_series, targets
from dashboard.analysis.filters import ViewState
from dashboard.data import paths
from dashboard.data.load import Dataset
from dashboard.data.normalize import SHELL_UNITS
from dashboard.data.schema import Field
from dashboard.present import captions, charts, data_dictionary, descriptions, export, identity

DISPLAY_LIMIT = 2_000
SOURCE_LINE = "Shell Count, from public statements and reports, each linked on the Data page"


@dataclass(frozen=True)
class ChartModel:
    title: str
    figure: go.Figure
    summary: str  # the one-sentence text alternative
    table: pd.DataFrame  # the chart's data as shown (at most DISPLAY_LIMIT rows)
    rows: pd.DataFrame  # every row behind the chart (the CSV is built from it only when asked for)
    note: str = ""  # says when the table is cut
    description: str = ""  # the chart in words: what it shows, how many points, extremes, latest
    empty: str = ""  # when nothing can be drawn: what to show instead of empty axes


def chart_text(data: Dataset, title: str, subtitle: str, link: str) -> charts.ChartText:
    return charts.ChartText(title, subtitle, SOURCE_LINE, data.version, link, data.updated)


def capped(table: pd.DataFrame, total: int | None = None) -> tuple[pd.DataFrame, str]:
    """At most DISPLAY_LIMIT rows, and a note when some were left out of `total` (default: the table's length)."""
    total = len(table) if total is None else total
    if total <= DISPLAY_LIMIT:
        return table, ""
    return table.head(
        DISPLAY_LIMIT
    ), f"Showing the first {DISPLAY_LIMIT:,} of {total:,} rows; the CSV download has them all."


def _chart(
    title: str, figure: go.Figure, summary: str, rows: pd.DataFrame, description: str, empty: str = ""
) -> ChartModel:
    shown, note = capped(captions.display_table(rows.head(DISPLAY_LIMIT)), total=len(rows))
    return ChartModel(title, figure, summary, shown, rows, note, description, empty)


NOTHING_MATCHES = "Nothing in the dataset matches this view. Widen the dates or clear a filter to see figures."


@dataclass(frozen=True)
class Overview:
    chart: ChartModel
    key_figures: list[tuple[str, str, str, str]]  # label, value as worded, help, note (how it usually reads)
    check: pd.DataFrame
    check_note: str


def overview(data: Dataset, view: ViewState, link: str) -> Overview:
    """The Overview has no filter: `view` is taken so every chart page's model has one signature."""
    ratio_claims = claim_check.headline_claims(data.claims)
    timelines = claim_check.Timelines(data.claims)  # built once for the claim check and the year bands
    comparisons = claim_check.claim_vs_estimates(data.claims, timelines)
    comparisons = comparisons[comparisons["claim_id"].isin(ratio_claims["claim_id"])]
    estimates = claim_check.estimate_years(data.claims, timelines=timelines)
    title = "Claimed ratio of Russia's ammunition output to NATO's"
    subtitle = (
        "Each point a statement (bars: ranges; arrows: open bounds); grey bands: ratio implied by output estimates"
    )
    figure = charts.ratio_timeline_figure(ratio_claims, estimates, chart_text(data, title, subtitle, link))
    check, check_note = capped(captions.comparison_table(comparisons))
    empty = "" if len(ratio_claims) else NOTHING_MATCHES
    description = descriptions.ratio_chart(ratio_claims, estimates)
    return Overview(
        chart=_chart(
            title, figure, captions.ratio_summary(ratio_claims, comparisons), ratio_claims, description, empty
        ),
        key_figures=captions.key_figures(ratio_claims, estimates),
        check=check,
        check_note=check_note,
    )


def shell_rows(data: Dataset) -> pd.DataFrame:
    return data.claims[data.claims["unit"].isin(SHELL_UNITS)]


def charted_rows(data: Dataset) -> pd.DataFrame:
    """The rows the Output chart can draw: figures in shells of a measure it charts."""
    rows = shell_rows(data)
    return rows[rows["measure"].isin(output_series.CHARTED)]


def options(data: Dataset) -> dict[str, list[str]]:
    """The values each list filter offers: those present in the data."""
    return filters.options(data.claims)


def output_options(data: Dataset) -> dict[str, list[str]]:
    """What the Output page's filters offer: only what it can draw (subjects and the rest from rows in shells,
    and the measures it charts)."""
    offered = filters.options(shell_rows(data))
    return {**offered, "measure": [m for m in output_series.CHARTED if m in offered["measure"]]}


def all_target_status(data: Dataset) -> pd.DataFrame:
    """Every target judged against the whole dataset (filters choose which to show, never change a verdict);
    computed once per dataset."""
    return data.derived("target_status", lambda d: targets.target_status(d.claims, as_of=d.claims["stated_on"].max()))


@dataclass(frozen=True)
class Output:
    chart: ChartModel
    targets: pd.DataFrame


def output_subjects(rows: pd.DataFrame, view: ViewState) -> list[str]:
    """The subjects drawn: those chosen, else the main ones (about eight series; the rest via the filter)."""
    present = set(rows["subject"].dropna())
    chosen = view.subject or identity.MAIN_SUBJECTS
    ordered = [s for s in identity.SUBJECT_LOOK if s in chosen] + sorted(set(chosen) - set(identity.SUBJECT_LOOK))
    return [s for s in ordered if s in present]


def output(data: Dataset, view: ViewState, link: str) -> Output:
    status = all_target_status(data)
    rows = filters.apply(shell_rows(data), view)
    subjects = output_subjects(rows, view)
    # Only what the chart draws: a container-capacity equivalent, say, is in shells but is no figure of output.
    rows = rows[rows["subject"].isin(subjects) & rows["measure"].isin(output_series.CHARTED)]
    shown = status[status["claim_id"].isin(rows["claim_id"])]
    series = output_series.series(rows, subjects)
    title = "Artillery shells a year: output, capacity and targets"
    chosen = "" if view.subject else "Main subjects (more in the filter). "
    subtitle = (
        f"{chosen}Each mark mid-period, a bar across the period; vertical bars: ranges; arrows: open bounds. "
        f"{sum(len(s.rows) for s in series)} figures, {view.scale} scale."
    )
    figure = charts.output_figure(series, view.scale == "log", chart_text(data, title, subtitle, link), shown)
    empty = "" if series else NOTHING_MATCHES
    chart = _chart(title, figure, captions.output_summary(rows), rows, descriptions.output_chart(series), empty)
    return Output(chart, captions.target_table(shown))


@dataclass(frozen=True)
class Claims:
    chart: ChartModel
    table: pd.DataFrame
    count: int


def claims(data: Dataset, view: ViewState, link: str) -> Claims:
    rows = filters.apply(data.claims, view).sort_values("stated_on", ascending=False)
    title = "Statements on artillery-ammunition output over time"
    figure = charts.claims_timeline_figure(
        rows, chart_text(data, title, f"{len(rows)} statements, by who made them", link)
    )
    empty = "" if len(rows) else NOTHING_MATCHES
    chart = _chart(
        title, figure, f"{len(rows)} statements match. Newest first.", rows, descriptions.claims_chart(rows), empty
    )
    return Claims(chart=chart, table=captions.claims_table(rows.head(DISPLAY_LIMIT)), count=len(rows))


@dataclass(frozen=True)
class DataView:
    table: pd.DataFrame  # every matching row (the CSV)
    shown: pd.DataFrame
    note: str
    total: int
    column_order: list[str]  # who, when, what, quote and link first


def data_rows(data: Dataset, view: ViewState) -> DataView:
    table = captions.data_table(filters.apply(data.claims, view), data.package)
    shown, note = capped(table)
    order = captions.DATA_FIRST + [c for c in shown.columns if c not in captions.DATA_FIRST]
    return DataView(table, shown, note, len(data.claims), order)


@dataclass(frozen=True)
class MethodPage:
    method: str  # the method in plain words (Markdown)
    grades: pd.DataFrame
    dictionary: pd.DataFrame
    citation: export.Citation
    license: str
    changelog: str


def method(data: Dataset, link: str, accessed: date) -> MethodPage:
    grades = data.sources["grade"].value_counts().rename_axis("grade").reset_index(name="sources")
    cite = export.Citation(
        title=data.package.title, version=data.version, url=link, accessed=accessed, license=data.package.license
    )
    text = (paths.CONTENT_DIR / "method.md").read_text(encoding="utf-8")
    return MethodPage(
        text, grades, data_dictionary.dictionary_table(data.package), cite, data.package.license, data.changelog
    )


@dataclass(frozen=True)
class ContributionForm:
    claim_fields: tuple[Field, ...]
    source_fields: tuple[Field, ...]  # without source_id (the claim names it) and excerpt (written for it)


def contribution_form(data: Dataset) -> ContributionForm:
    package = data.package
    sources = tuple(f for f in package.sources.fields if f.name not in ("source_id", "excerpt"))
    return ContributionForm(package.claims.fields, sources)
