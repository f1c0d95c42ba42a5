"""The filters, declared once: one row each drives the view state, the URL, the widgets and `apply`.

Each kind of filter is a small type that owns its behaviour: its default and Python type, the rows it keeps,
how its value is read from and written to a link, the values it offers and the widget that sets it. Adding a
filter is one row in FILTERS plus its name in the page's layout (present/registry.py); a new kind is one class.

The widget is drawn by the Streamlit module the edge passes in (`ui`), so this core module never imports
Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, make_dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any, ClassVar

import pandas as pd

from dashboard.data.cells import parse_date

LIST_SEPARATOR = ","  # a link's list value: "Russia,United States" (older links and the app's own)
MAX_SEARCH_LENGTH = 200
Parsed = tuple[Any, str]  # (the value for the view state, '') or (None, a notice saying why it was not used)


@dataclass(frozen=True)
class Filter:
    """One row of the table: what the reader sets, under which URL key, on which claims column."""

    name: str  # the ViewState field, and the widget key's suffix
    url_key: str
    label: str
    column: str = ""  # the claims column it filters
    placeholder: str = ""
    type: ClassVar[Any] = str
    default: ClassVar[Any] = ""

    def mask(self, claims: pd.DataFrame, value: Any) -> pd.Series:
        """The rows this filter keeps for a value that is set."""
        raise NotImplementedError

    def parse(self, text: str, allowed: Sequence[str] | None = None) -> Parsed:
        """A link's value (already checked for length and control characters) → (value, '') or (None, notice).
        `allowed`: the schema's values for this filter, where the schema declares them."""
        return text, ""

    def serialise(self, value: Any) -> str:
        return str(value)

    def options(self, claims: pd.DataFrame) -> list[str]:
        """The values the widget offers (only list filters offer any)."""
        return []

    def reconcile(self, value: Any, offered: Sequence[str]) -> tuple[Any, list[str], str]:
        """A link's value held against what this dataset offers: (the value to use, the options the widget then
        offers, a notice when they disagree)."""
        return value, list(offered), ""

    def widget(self, ui: Any, key: str, offered: Sequence[str], name_of: Callable[[str], str]) -> None:
        raise NotImplementedError

    def from_widget(self, raw: Any) -> Any:
        """The widget's value as this filter's type (None and foreign values become the default)."""
        return self.default if raw is None else raw


@dataclass(frozen=True)
class ListFilter(Filter):
    """Any of some values. The allowed values are the schema's enum (`enum` names it) or, without one, any
    value up to the URL's length limit: a row without an enum can never crash a link."""

    enum: tuple[str, str] | None = None  # (resource, field) whose enum lists the allowed values
    type: ClassVar[Any] = tuple[str, ...]
    default: ClassVar[Any] = ()

    def mask(self, claims, value):
        return claims[self.column].isin(value)

    def parse(self, text, allowed=None):
        items = tuple(dict.fromkeys(v.strip() for v in text.split(LIST_SEPARATOR) if v.strip()))
        if allowed is not None and any(v not in allowed for v in items):
            key = self.url_key  # a known key: safe to echo; values from the URL are never echoed back
            return None, f"The link names a {key} this dataset does not know; showing every {key} instead."
        return items, ""

    def serialise(self, value):
        return LIST_SEPARATOR.join(value)

    def options(self, claims):
        return sorted(claims[self.column].dropna().unique()) if self.column in claims else []

    def reconcile(self, value, offered):
        """A value no row has is kept (the link stays as it was shared) and offered, with a notice."""
        missing = [v for v in value if v not in offered]
        if not missing:
            return value, list(offered), ""
        notice = (
            f"No row of this dataset has the {self.url_key} your link names; the filter is kept as the link set "
            "it, so the view may be empty. Clear it to see everything."
        )
        return value, [*offered, *missing], notice

    def widget(self, ui, key, offered, name_of):
        ui.multiselect(self.label, offered, key=key, placeholder=self.placeholder, format_func=name_of)

    def from_widget(self, raw):
        return tuple(raw) if isinstance(raw, list | tuple) else self.default


@dataclass(frozen=True)
class DateBound(Filter):
    """A first or last date (inclusive), on `column`."""

    last: bool = False  # False: rows on or after the date; True: on or before it
    type: ClassVar[Any] = date | None
    default: ClassVar[Any] = None

    def mask(self, claims, value):
        bound = pd.Timestamp(value)
        return claims[self.column] <= bound if self.last else claims[self.column] >= bound

    def parse(self, text, allowed=None):
        parsed = parse_date(text)
        if text and parsed is None:
            return None, f"'{self.url_key}' in the link is not a date (YYYY-MM-DD); using its default."
        return parsed, ""

    def serialise(self, value):
        return value.isoformat()

    def widget(self, ui, key, offered, name_of):
        ui.date_input(self.label, key=key, value=None, format="YYYY-MM-DD")

    def from_widget(self, raw):
        return raw if isinstance(raw, date) else None


@dataclass(frozen=True)
class Search(Filter):
    """Case-insensitive plain text (never a regex: visitors' text is not code) over the free-text columns."""

    columns: tuple[str, ...] = ()

    def mask(self, claims, value):
        needle = value.strip().lower()
        mask = pd.Series(not needle, index=claims.index)
        for column in self.columns if needle else ():
            if column in claims:
                mask |= claims[column].fillna("").str.lower().str.contains(needle, regex=False)
        return mask

    def parse(self, text, allowed=None):
        if len(text) > MAX_SEARCH_LENGTH:
            return None, "The search text in the link is too long; it was ignored."
        return text, ""

    def widget(self, ui, key, offered, name_of):
        ui.text_input(self.label, key=key, max_chars=MAX_SEARCH_LENGTH, placeholder=self.placeholder)

    def from_widget(self, raw):
        return raw if isinstance(raw, str) else ""


@dataclass(frozen=True)
class Choice(Filter):
    """One of fixed choices; the first is the default. Changes how a view is drawn, not which rows it keeps."""

    choices: tuple[str, ...] = ("",)

    @property
    def default(self) -> str:  # type: ignore[override] - the row's own first choice
        return self.choices[0]

    def mask(self, claims, value):
        return pd.Series(True, index=claims.index)

    def parse(self, text, allowed=None):
        if text not in self.choices:
            return None, f"'{self.url_key}' must be {' or '.join(self.choices)}; using {self.default}."
        return text, ""

    def widget(self, ui, key, offered, name_of):
        ui.radio(self.label, self.choices, key=key, horizontal=True)

    def from_widget(self, raw):
        return raw if raw in self.choices else self.default


@dataclass(frozen=True)
class Pick(Filter):
    """One of the values the data offers (e.g. a line of claims); empty means the page's own default (for lines, the
    one said most often). A value the data lacks falls back to that default, with a notice (there is nothing to
    show for it)."""

    def mask(self, claims, value):
        return claims[self.column] == value

    def reconcile(self, value, offered):
        if not value or value in offered:
            return value, list(offered), ""
        return (
            "",
            list(offered),
            f"This dataset has no {self.url_key} of that name; showing the page's default instead.",
        )

    def widget(self, ui, key, offered, name_of):
        ui.selectbox(self.label, ["", *offered], key=key, format_func=lambda v: name_of(v) or "(the page's default)")

    def from_widget(self, raw):
        return raw if isinstance(raw, str) else ""


SEARCH_COLUMNS = ("claim_id", "speaker", "speaker_role", "subject", "quote", "interpretation", "notes", "publisher",
                  "original_publisher", "source_title")  # fmt: skip
FILTERS: tuple[Filter, ...] = (
    Search("q", "q", "Search quotes, speakers and notes", placeholder="e.g. Rutte, Bucharest, 155mm", columns=SEARCH_COLUMNS),
    ListFilter("subject", "subject", "Subject", "subject", "All subjects", enum=("claims", "subject")),
    ListFilter("measure", "measure", "Measure", "measure", "All measures", enum=("claims", "measure")),
    ListFilter("caliber", "caliber", "Calibre", "caliber", "All calibres", enum=("claims", "caliber")),
    ListFilter("basis", "basis", "Basis", "basis", "All bases", enum=("claims", "basis")),
    ListFilter("grade", "grade", "Source grade", "grade", "All grades", enum=("sources", "grade")),
    ListFilter("side", "side", "Speaker side", "speaker_side", "All sides", enum=("claims", "speaker_side")),
    DateBound("start", "from", "Stated from", "stated_on"),
    DateBound("end", "to", "Stated to", "stated_on", last=True),
    Choice("scale", "scale", "Scale", choices=("log", "linear")),
    Pick("line", "line", "Line", "line_id"),
)  # fmt: skip
BY_NAME = {f.name: f for f in FILTERS}
BY_URL_KEY = {f.url_key: f for f in FILTERS}

# What a reader has chosen on a page: one field per filter, an empty or default value meaning "no filter".
ViewState = make_dataclass(
    "ViewState", [(f.name, f.type, dataclass_field(default=f.default)) for f in FILTERS], frozen=True
)
ViewState.__module__ = __name__  # so it pickles and prints as dashboard.analysis.filters.ViewState
DEFAULT = ViewState()


def is_set(f: Filter, value: Any) -> bool:
    return value != f.default and value not in (None, "", ())


def apply(claims: pd.DataFrame, view: ViewState, fields: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows matching every set filter of the view (or of `fields` only); an empty selection means no filter."""
    mask = pd.Series(True, index=claims.index)
    for f in FILTERS:
        value = getattr(view, f.name)
        if is_set(f, value) and (fields is None or f.name in fields):
            mask &= f.mask(claims, value)
    return claims[mask]


def options(claims: pd.DataFrame) -> dict[str, list[str]]:
    """The values each filter offers: those present in these rows, sorted (only list filters offer any)."""
    return {f.name: f.options(claims) for f in FILTERS if isinstance(f, ListFilter)}
