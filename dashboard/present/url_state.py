"""View state ⇄ URL query parameters: a loop over the filter table, never raising.

A copied link must reopen the same view, and a tampered one must not break anything. What every value goes
through is checked here (read as text, one value per key, a length limit, no control characters); what a
value means is its filter's own business (`Filter.parse` / `serialise`, analysis/filters.py). Whatever does
not parse falls back to its default and yields a short notice for the page to show. Only non-default values
are written back, so links stay short.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from dashboard.analysis.filters import BY_URL_KEY, DEFAULT, FILTERS, LIST_SEPARATOR, ListFilter, ViewState, is_set
from dashboard.data.cells import LINE_CONTROL_RE
from dashboard.data.schema import Package

__all__ = ["DEFAULT", "LIST_SEPARATOR", "ViewState", "allowed_values", "parse", "reconcile", "to_query"]
MAX_VALUE_LENGTH = 300


def allowed_values(package: Package) -> dict[str, tuple[str, ...]]:
    """The allowed values of each list filter that names a schema enum, read from the one schema."""
    out = {}
    for f in FILTERS:
        if isinstance(f, ListFilter) and f.enum:
            resource = package.resources.get(f.enum[0])
            if resource is not None and f.enum[1] in resource.field_names and resource.field(f.enum[1]).enum:
                out[f.name] = resource.field(f.enum[1]).enum
    return out


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, Iterable):
        return [str(v) for v in raw]
    return [str(raw)]


def _read(key: str, raw: object) -> tuple[str | None, str]:
    """The one text value a key carries, or (None, notice) when it cannot be used."""
    try:
        values = _values(raw)
    except Exception:  # noqa: BLE001 - a value that cannot even be read as text falls back like any bad one
        return None, f"'{key}' in the link could not be read; using its default."
    if len(values) > 1:
        return None, f"'{key}' appeared more than once in the link; using its default."
    value = values[0] if values else ""
    if len(value) > MAX_VALUE_LENGTH:
        return None, f"'{key}' in the link is too long; using its default."
    if LINE_CONTROL_RE.search(value):  # no filter or search needs a line break, tab or escape
        return None, f"'{key}' in the link contains control characters; using its default."
    return value, ""


def parse(
    query: Mapping[str, object], package: Package, keys: Iterable[str] | None = None
) -> tuple[ViewState, list[str]]:
    """Query parameters → (state, notices). Never raises; bad values fall back to defaults."""
    allowed = allowed_values(package)
    wanted = set(keys) if keys is not None else set(BY_URL_KEY)
    state = DEFAULT
    notices: list[str] = []
    try:
        items = list(query.items())
    except Exception:  # noqa: BLE001 - a hostile mapping is treated as an empty query
        return DEFAULT, ["The link's parameters could not be read; showing the default view."]
    for key, raw in items:
        key = str(key)
        if key not in wanted or key not in BY_URL_KEY:
            continue  # other pages' keys and trackers (utm_*, fbclid) are not ours to judge
        f = BY_URL_KEY[key]
        text, notice = _read(key, raw)
        if text is not None:
            value, notice = f.parse(text, allowed.get(f.name))
        if notice:
            notices.append(notice)
            continue
        state = replace(state, **{f.name: value})
    if state.start and state.end and state.start > state.end:
        notices.append("The link's date range ends before it starts; showing all dates.")
        state = replace(state, start=None, end=None)
    return state, notices


def reconcile(
    state: ViewState, offered: Mapping[str, Sequence[str]]
) -> tuple[ViewState, dict[str, list[str]], list[str]]:
    """A link's state held against what this dataset offers, filter by filter (each kind decides: a list keeps a
    value no row has, a single pick falls back): (state, what each widget offers, notices)."""
    notices, options = [], {}
    for f in FILTERS:
        if f.name in offered:
            value, options[f.name], notice = f.reconcile(getattr(state, f.name), offered[f.name])
            state = replace(state, **{f.name: value})
            if notice:
                notices.append(notice)
    return state, options, notices


def to_query(state: ViewState, keys: Iterable[str] | None = None) -> dict[str, str]:
    """State → query parameters, only where a value differs from its default."""
    wanted = set(keys) if keys is not None else set(BY_URL_KEY)
    return {
        f.url_key: f.serialise(getattr(state, f.name))
        for f in FILTERS
        if f.url_key in wanted and is_set(f, getattr(state, f.name))
    }
