"""What each page shows, computed from the dataset and the view: figures, tables, sentences (no Streamlit).

A page asks for its model through `frame.memo`, which caches it per dataset version and view, so a rerun
that changes nothing recomputes nothing and a filter toggled back is instant. Tables sent to the browser
are capped at DISPLAY_LIMIT rows (a 100,000-row grid exceeds Streamlit's message limit); the CSV download
always carries every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.analysis import claim_check, filters, output_series, targets
from dashboard.analysis import lines as lines_analysis
from dashboard.analysis.filters import ViewState
from dashboard.data import paths
from dashboard.data.load import Dataset
from dashboard.data.normalize import SHELL_UNITS
from dashboard.data.schema import LINE_COLUMNS, Field
from dashboard.present import captions, charts, data_dictionary, descriptions, export, identity
from dashboard.present.chart_style import PHONE, Style
from dashboard.present.chart_words import ChartText

DISPLAY_LIMIT = 2_000
SOURCE_LINE = "Shell Count, from public statements and reports, each linked on the Data page"


@dataclass(frozen=True)
class ChartModel:
    title: str
    draw: Callable[[Style], go.Figure]  # the chart laid out for a size and theme, built from its data
    summary: str  # the one-sentence text alternative
    table: pd.DataFrame  # the chart's data as shown (at most DISPLAY_LIMIT rows)
    rows: pd.DataFrame  # every row behind the chart (the CSV is built from it only when asked for)
    note: str = ""  # says when the table is cut
    description: str = ""  # the chart in words: what it shows, how many points, extremes, latest
    empty: str = ""  # when nothing can be drawn: what to show instead of empty axes
    style: Style = PHONE  # the style `figure` is laid out for
    # Figures built so far, by style: a model is shared by every session showing its view, and each style's
    # figure is built when first asked for (a phone reader never pays for the desktop one, nor for the rest again).
    _figures: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def figure(self) -> go.Figure:
        return self.figure_for(self.style)

    def figure_for(self, style: Style) -> go.Figure:
        """The chart for a screen, an export or the other theme: built from its data, never re-scaled; once per
        style (read-only, like the model)."""
        built = self._figures.get(style)
        if built is None:
            built = self._figures[style] = self.draw(style)
        return built


def chart_text(data: Dataset, title: str, subtitle: str, link: str) -> ChartText:
    return ChartText(title, subtitle, SOURCE_LINE, data.version, link, data.updated)


def capped(table: pd.DataFrame, total: int | None = None) -> tuple[pd.DataFrame, str]:
    """At most DISPLAY_LIMIT rows, and a note when some were left out of `total` (default: the table's length)."""
    total = len(table) if total is None else total
    if total <= DISPLAY_LIMIT:
        return table, ""
    return table.head(
        DISPLAY_LIMIT
    ), f"Showing the first {DISPLAY_LIMIT:,} of {total:,} rows; the CSV download has them all."


def _chart(
    title: str,
    draw: Callable[[Style], go.Figure],
    style: Style,
    summary: str,
    rows: pd.DataFrame,
    description: str,
    empty: str = "",
) -> ChartModel:
    """A chart model; `draw(style)` builds its figure when first shown, for `style` or any export or theme."""
    shown, note = capped(captions.display_table(rows.head(DISPLAY_LIMIT)), total=len(rows))
    return ChartModel(title, draw, summary, shown, rows, note, description, empty, style)


NOTHING_MATCHES = "Nothing in the dataset matches this view. Widen the dates or clear a filter to see figures."


@dataclass(frozen=True)
class Overview:
    chart: ChartModel
    key_figures: list[tuple[str, str, str, str]]  # label, value as worded, help, note (how it usually reads)
    output_by_year: pd.DataFrame  # each main side's latest output figure per year
    card_lines: dict[str, str]  # the lines the cards' claims belong to: line id → title (a link to each)
    check: pd.DataFrame
    check_note: str


def overview(data: Dataset, view: ViewState, link: str, style: Style = PHONE) -> Overview:
    """The Overview has no filter: `view` is taken so every chart page's model has one signature."""
    ratio_claims = claim_check.headline_claims(data.claims)
    timelines = claim_check.Timelines(data.claims)  # built once for the claim check and the year bands
    comparisons = claim_check.claim_vs_estimates(data.claims, timelines)
    headline = set(ratio_claims["claim_id"].tolist())  # a set: Arrow's isin converts each of thousands of ids
    comparisons = comparisons[[claim_id in headline for claim_id in comparisons["claim_id"].tolist()]]
    estimates = claim_check.estimate_years(data.claims, timelines=timelines)
    title = "Claimed ratio of Russia's ammunition output to NATO's"
    subtitle = (
        "Each mark: a month's statements of a side, a bar from the lowest to the highest ratio claimed (each "
        "statement is in the table and the CSV); grey bands: ratio implied by output estimates"
        if charts.ratios_by_month(ratio_claims)
        else "Each point a statement (bars: ranges; arrows: open bounds); grey bands: ratio implied by output estimates"
    )
    text = chart_text(data, title, subtitle, link)
    check, check_note = capped(captions.comparison_table(comparisons))
    empty = "" if len(ratio_claims) else NOTHING_MATCHES
    description = descriptions.ratio_chart(ratio_claims, estimates)
    return Overview(
        chart=_chart(title, lambda s: charts.ratio_timeline_figure(ratio_claims, estimates, text, s), style,
                     captions.ratio_summary(ratio_claims, comparisons), ratio_claims, description, empty),
        key_figures=captions.key_figures(ratio_claims, estimates),
        output_by_year=captions.output_by_year(data.claims),
        card_lines=card_lines(data, ratio_claims),
        check=check,
        check_note=check_note,
    )  # fmt: skip


def card_lines(data: Dataset, ratio_claims: pd.DataFrame) -> dict[str, str]:
    """The lines the Overview's cards belong to (their claims' line ids, with titles), so a reader can follow the
    remark back through every time it was said."""
    if not len(data.lines):
        return {}
    titles = dict(zip(data.lines["line_id"], data.lines["title"], strict=True))
    cards = ratio_claims[ratio_claims["label"].fillna("") != ""].sort_values("stated_on").tail(2)
    return {line_id: titles[line_id] for line_id in dict.fromkeys(cards["line_id"].dropna()) if line_id in titles}


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


def output(data: Dataset, view: ViewState, link: str, style: Style = PHONE) -> Output:
    status = all_target_status(data)
    rows = filters.apply(shell_rows(data), view)
    subjects = output_subjects(rows, view)
    # Only what the chart draws: a container-capacity equivalent, say, is in shells but is no figure of output.
    rows = rows[rows["subject"].isin(subjects) & rows["measure"].isin(output_series.CHARTED)]
    drawn = set(rows["claim_id"].tolist())  # a set: Arrow's isin against thousands of ids converts each one
    shown = status[[claim_id in drawn for claim_id in status["claim_id"].tolist()]]
    series = output_series.series(rows, subjects)
    title = "Artillery shells a year: output, capacity and targets"
    chosen = "" if view.subject else "Main subjects (more in the filter). "
    count = sum(len(s.rows) for s in series)
    low, high = rows["annual_low"], rows["annual_high"]
    drawn = [  # the words for the marks this view draws, none it does not
        ("band" in charts.output_mark_kinds(series), "bands: a year's spread of output estimates (yearly spread)"),
        ((low.notna() & high.notna() & (low != high)).any(), "vertical bars: ranges"),
        ((low.isna() != high.isna()).any(), "arrows: open bounds"),
    ]
    marks = (
        "Each mark: a month's figures of a subject, a bar from the lowest to the highest (each figure is in the "
        "table and the CSV). "
        if charts.figures_by_month(series)
        else "; ".join(["Each figure at the middle of the period it describes, a bar across the period",
                        *(words for shown, words in drawn if shown)]) + ". "
    )  # fmt: skip
    subtitle = f"{chosen}{marks}{_figures(count)}, {view.scale} scale."
    text = chart_text(data, title, subtitle, link)
    empty = "" if series else NOTHING_MATCHES
    chart = _chart(title, lambda s: charts.output_figure(series, view.scale == "log", text, shown, s), style,
                   captions.output_summary(rows), rows, descriptions.output_chart(series), empty)  # fmt: skip
    return Output(chart, captions.target_table(shown))


def _figures(count: int) -> str:
    return f"{count} figure{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Claims:
    chart: ChartModel
    table: pd.DataFrame
    count: int


def claims(data: Dataset, view: ViewState, link: str, style: Style = PHONE) -> Claims:
    rows = filters.apply(data.claims, view).sort_values("stated_on", ascending=False)
    title = "Statements on artillery-ammunition output over time"
    text = chart_text(data, title, f"{len(rows)} statements, by who made them", link)
    empty = "" if len(rows) else NOTHING_MATCHES
    chart = _chart(title, lambda s: charts.claims_timeline_figure(rows, text, s), style,
                   f"{len(rows)} statements match. Newest first.", rows, descriptions.claims_chart(rows), empty)  # fmt: skip
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
    changelog: tuple[str, str, str]  # introduction, newest release, earlier releases (Markdown)


def method(data: Dataset, link: str, accessed: date) -> MethodPage:
    grades = data.sources["grade"].value_counts().rename_axis("grade").reset_index(name="sources")
    cite = export.Citation(
        title=data.package.title, version=data.version, url=link, accessed=accessed, license=data.package.license
    )
    text = (paths.CONTENT_DIR / "method.md").read_text(encoding="utf-8")
    return MethodPage(
        text,
        grades,
        data_dictionary.dictionary_table(data.package),
        cite,
        data.package.license,
        captions.changelog_parts(data.changelog),
    )


@dataclass(frozen=True)
class ContributionForm:
    claim_fields: tuple[Field, ...]
    source_fields: tuple[Field, ...]  # without source_id (the claim names it) and excerpt (written for it)


def contribution_form(data: Dataset) -> ContributionForm:
    """The form's fields: a claim's (without the line columns: a line is coded by add_line and correct_row, from the
    words, once the row is in) and a new source's."""
    package = data.package
    sources = tuple(f for f in package.sources.fields if f.name not in ("source_id", "excerpt"))
    return ContributionForm(tuple(f for f in package.claims.fields if f.name not in LINE_COLUMNS), sources)


@dataclass(frozen=True)
class LineView:
    chart: ChartModel
    reading: lines_analysis.Reading | None
    # every instance, oldest first: when, how it relates, the figure as worded, the words, the source
    table: pd.DataFrame


def line_options(data: Dataset) -> dict[str, list[str]]:
    """The lines the chooser offers: every line of the dataset, in the order of lines.csv."""
    return {"line": list(data.lines["line_id"]) if len(data.lines) else []}


def default_line(data: Dataset) -> str:
    """The line shown when the reader has not chosen one: the one said most often (Rutte's three months), not the
    first by id."""
    if not len(data.lines):
        return ""
    counts = data.claims["line_id"].value_counts()
    return max(data.lines["line_id"], key=lambda line_id: (int(counts.get(line_id, 0)), line_id))


def line_titles(data: Dataset) -> dict[str, str]:
    """The chooser's labels: line id → title, and '' → the line a reader gets without choosing (cheap: no chart)."""
    titles = dict(zip(data.lines["line_id"], data.lines["title"], strict=True)) if len(data.lines) else {}
    if titles:
        titles[""] = f"{titles[default_line(data)]} (the line said most often)"
    return titles


def line(data: Dataset, view: ViewState, link: str, style: Style = PHONE) -> LineView:
    """One line of claims (the view's, else the line said most often): its track over time and its reading."""
    known = set(data.lines["line_id"]) if len(data.lines) else set()
    chosen = view.line if view.line in known else default_line(data)
    row = data.lines[data.lines["line_id"] == chosen].to_dict("records")
    if not row:
        empty = _chart(
            "Lines of claims",
            lambda s: go.Figure(),
            style,
            "No line of claims is in the data.",
            data.claims.head(0),
            "",
            NOTHING_MATCHES,
        )
        return LineView(empty, None, pd.DataFrame())  # fmt: skip
    reading = lines_analysis.read(row[0], data.claims)
    rows = reading.instances
    usual = rows[(rows["line_relation"] == "states") & rows["value_low"].notna()]
    usual_value = (float(usual["value_low"].iloc[0]), float(usual["value_high"].iloc[0])) if len(usual) else None
    text = chart_text(
        data, row[0]["title"], f"{row[0]['who']}: every time it was said, as worded. {row[0]['asserts']}", link
    )
    summary = f"{row[0]['who']}: each statement of the line at its date, its figure as worded."
    chart = _chart(row[0]["title"], lambda s: charts.line_figure(rows, row[0]["title"], usual_value, row[0]["unit"], text, s),
                   style, summary, rows, reading.sentence)  # fmt: skip
    return LineView(chart, reading, captions.line_table(rows))
