"""The one door between the static site and the app: the views the registry bakes, each page's model built once.

The site draws nothing itself. Each view is the registry's page and variant (present/registry.py) with the model
its page builds (`page.chart.model(data, view, link, DESKTOP)`): the chart, its sentences and tables, and whatever else the
page shows (the Overview's key figures and claim check, the Output page's targets). Its files are the app's export
formats (present/export.py FORMATS), so a published view is the same chart, CSV and image a reader gets live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.analysis import claim_check
from dashboard.data.csvfile import Problem
from dashboard.data.load import SOURCE_RENAMES, Dataset, load_dataset
from dashboard.present import captions, registry
from dashboard.present.chart_style import DESKTOP
from dashboard.present.registry import Page, Variant
from dashboard.present.view_models import ChartModel


def load(folder: Path) -> tuple[Dataset | None, list[Problem]]:
    """The validated dataset, or the validator's problems (the same check the app runs before showing anything)."""
    result = load_dataset(folder)  # validates first: one reading path
    return (result.dataset, []) if result.ok else (None, result.problems)


@dataclass(frozen=True)
class View:
    """A view the site bakes: the registry's page and variant, and the page's model for it (built once)."""

    page: Page
    variant: Variant
    model: Any  # the page's model (view_models.Overview, Output, Claims): `.chart` and what else the page shows
    link: str  # the permalink drawn in the figure and written in the CSV header (the pinned page)

    @property
    def slug(self) -> str:
        return self.variant.slug

    @property
    def label(self) -> str:
        return self.variant.label

    @property
    def chart(self) -> ChartModel:
        return self.model.chart


def is_line(view: View) -> bool:
    """A line of claims' page (lines/<line_id>/): its model is view_models.LineView, its page the line's own."""
    return view.page.name == "lines"


def line_of(view: View) -> str:
    """The line a line's view shows (the `line` of its filter state)."""
    return view.variant.view.line


def lines_in(rows: pd.DataFrame) -> list[tuple[str, int]]:
    """(line id, how many of `rows` belong to it) for each line with an instance among the rows, most first (ties by
    id): a chart that draws some of a line's statements links that line's page."""
    if "line_id" not in rows:
        return []
    counts = rows["line_id"].dropna().astype(str).value_counts()
    return sorted(((line_id, int(n)) for line_id, n in counts.items() if line_id), key=lambda p: (-p[1], p[0]))


def baked(data: Dataset, link: Callable[[str], str]) -> list[View]:
    """Every view the registry bakes, in its order, each page model built once with the view's own link, laid out
    for a desktop window (its chart rebuilds itself for a phone, the dark theme or an export: figure_for)."""
    return [
        View(page, variant, page.chart.model(data, variant.view, link(variant.slug), DESKTOP), link(variant.slug))
        for page, variant in registry.baked(data)
    ]


def claim_checks(data: Dataset) -> dict[str, dict[str, str]]:
    """The claim check for each comparative claim, as the Overview's table words it, by claim id."""
    comparisons = claim_check.claim_vs_estimates(data.claims)
    table = captions.comparison_table(comparisons)
    return {
        str(claim_id): {k: "" if pd.isna(v) else str(v) for k, v in row.items()}
        for claim_id, (_, row) in zip(comparisons["claim_id"], table.iterrows(), strict=True)  # the table hides ids
    }


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
