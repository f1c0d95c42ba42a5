"""The filters, declared once: one row each drives the view state, the URL, the widgets and `apply`.

Adding a filter is one row in FILTERS plus its name in the page that shows it. A row says what the
reader sets (`kind`), the URL key, the claims column it filters, where its allowed values come from (an
enum of the one schema, or fixed choices) and the label its widget carries.
"""

from __future__ import annotations

from dataclasses import dataclass, make_dataclass
from dataclasses import field as dataclass_field
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Filter:
    name: str  # the ViewState field, and the widget key's suffix
    url_key: str
    label: str
    kind: str  # "list" (any of some values), "from"/"to" (a date bound), "search" (free text), "choice" (one of)
    column: str = ""  # the claims column it filters ("list", "from", "to")
    enum: tuple[str, str] | None = None  # (resource, field) of the schema whose enum lists the allowed values
    choices: tuple[str, ...] = ()  # "choice": the allowed values, the first is the default
    placeholder: str = ""

    @property
    def default(self) -> object:
        return {"list": (), "from": None, "to": None, "search": "", "choice": self.choices[0] if self.choices else ""}[
            self.kind
        ]


FILTERS = (
    Filter("q", "q", "Search quotes, speakers and notes", "search", placeholder="e.g. Rutte, Bucharest, 155mm"),
    Filter("subject", "subject", "Subject", "list", "subject", ("claims", "subject"), placeholder="All subjects"),
    Filter("measure", "measure", "Measure", "list", "measure", ("claims", "measure"), placeholder="All measures"),
    Filter("caliber", "caliber", "Calibre", "list", "caliber", ("claims", "caliber"), placeholder="All calibres"),
    Filter("basis", "basis", "Basis", "list", "basis", ("claims", "basis"), placeholder="All bases"),
    Filter("grade", "grade", "Source grade", "list", "grade", ("sources", "grade"), placeholder="All grades"),
    Filter("side", "side", "Speaker side", "list", "speaker_side", ("claims", "speaker_side"), placeholder="All sides"),
    Filter("start", "from", "Stated from", "from", "stated_on"),
    Filter("end", "to", "Stated to", "to", "stated_on"),
    Filter("scale", "scale", "Scale", "choice", choices=("log", "linear")),
)
BY_NAME = {f.name: f for f in FILTERS}
BY_URL_KEY = {f.url_key: f for f in FILTERS}
_TYPES = {"list": tuple[str, ...], "from": date | None, "to": date | None, "search": str, "choice": str}

# What a reader has chosen on a page: one field per filter, an empty or default value meaning "no filter".
ViewState = make_dataclass(
    "ViewState",
    [(f.name, _TYPES[f.kind], dataclass_field(default=f.default)) for f in FILTERS],
    frozen=True,
)
ViewState.__module__ = __name__  # so it pickles and prints as dashboard.analysis.filters.ViewState
DEFAULT = ViewState()
SEARCH_COLUMNS = ("claim_id", "speaker", "speaker_role", "subject", "quote", "interpretation", "notes", "publisher",
                  "original_publisher", "source_title")  # fmt: skip


def apply(claims: pd.DataFrame, view: ViewState, fields: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows matching every set filter of the view (or of `fields` only); an empty selection means no filter."""
    mask = pd.Series(True, index=claims.index)
    for f in FILTERS:
        value = getattr(view, f.name)
        if not value or (fields is not None and f.name not in fields):
            continue
        if f.kind == "list":
            mask &= claims[f.column].isin(value)
        elif f.kind == "from":
            mask &= claims[f.column] >= pd.Timestamp(value)
        elif f.kind == "to":
            mask &= claims[f.column] <= pd.Timestamp(value)
        elif f.kind == "search":
            mask &= search_mask(claims, value)
    return claims[mask]


def search_mask(claims: pd.DataFrame, text: str) -> pd.Series:
    """Case-insensitive plain-text search (never a regex: visitors' text is not code) over free-text columns."""
    needle = text.strip().lower()
    if not needle:
        return pd.Series(True, index=claims.index)
    mask = pd.Series(False, index=claims.index)
    for column in SEARCH_COLUMNS:
        if column in claims:
            mask |= claims[column].fillna("").str.lower().str.contains(needle, regex=False)
    return mask


def options(claims: pd.DataFrame) -> dict[str, list[str]]:
    """The values each list filter offers: those present in these rows, sorted."""
    return {f.name: sorted(claims[f.column].dropna().unique()) for f in FILTERS if f.kind == "list"}
