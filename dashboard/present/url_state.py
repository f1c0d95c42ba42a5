"""View state ⇄ URL query parameters: parse, validate, fall back to defaults, serialise.

A copied link must reopen the same view, and a tampered one must not break anything: every value is
checked against its filter's allowed values (the schema's enums, fixed choices) and simple types; whatever
does not parse falls back to its default and yields a short notice for the page to show. Only non-default
values are written back, so links stay short. Which keys exist, and what each takes, is the filter table
(analysis/filters.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from dashboard.analysis.filters import BY_URL_KEY, DEFAULT, FILTERS, Filter, ViewState
from dashboard.data.cells import LINE_CONTROL_RE, parse_date
from dashboard.data.schema import Package

__all__ = ["DEFAULT", "ViewState", "allowed_values", "parse", "to_query"]
MAX_VALUE_LENGTH = 300
MAX_QUERY_LENGTH = 200
LIST_SEPARATOR = ","


def allowed_values(package: Package) -> dict[str, tuple[str, ...]]:
    """The allowed values of each list filter, read from the one schema's enums."""
    return {f.name: package.resources[f.enum[0]].field(f.enum[1]).enum for f in FILTERS if f.enum}


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, Iterable):
        return [str(v) for v in raw]
    return [str(raw)]


def _parse_value(f: Filter, value: str, enums: dict[str, tuple[str, ...]]) -> tuple[object, str]:
    """(the value for the view state, '') or (None, a notice saying why the link's value was not used)."""
    key = f.url_key  # a known key: safe to echo; values from the URL are never echoed back
    if f.kind == "list":
        items = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
        if any(v not in enums[f.name] for v in items):
            return None, f"The link names a {key} this dataset does not know; showing every {key} instead."
        return tuple(dict.fromkeys(items)), ""
    if f.kind in ("from", "to"):
        parsed = parse_date(value)
        if value and parsed is None:
            return None, f"'{key}' in the link is not a date (YYYY-MM-DD); using its default."
        return parsed, ""
    if f.kind == "choice":
        if value not in f.choices:
            return None, f"'{key}' must be {' or '.join(f.choices)}; using {f.default}."
        return value, ""
    if len(value) > MAX_QUERY_LENGTH:
        return None, "The search text in the link is too long; it was ignored."
    return value, ""


def parse(
    query: Mapping[str, object], package: Package, keys: Iterable[str] | None = None
) -> tuple[ViewState, list[str]]:
    """Query parameters → (state, notices). Never raises; bad values fall back to defaults."""
    enums = allowed_values(package)
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
        try:
            values = _values(raw)
        except Exception:  # noqa: BLE001 - a value that cannot even be read as text falls back like any bad one
            notices.append(f"'{key}' in the link could not be read; using its default.")
            continue
        if len(values) > 1:
            notices.append(f"'{key}' appeared more than once in the link; using its default.")
            continue
        value = values[0] if values else ""
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(f"'{key}' in the link is too long; using its default.")
            continue
        if LINE_CONTROL_RE.search(value):  # no filter or search needs a line break, tab or escape
            notices.append(f"'{key}' in the link contains control characters; using its default.")
            continue
        parsed, notice = _parse_value(f, value, enums)
        if notice:
            notices.append(notice)
            continue
        state = replace(state, **{f.name: parsed})
    if state.start and state.end and state.start > state.end:
        notices.append("The link's date range ends before it starts; showing all dates.")
        state = replace(state, start=None, end=None)
    return state, notices


def to_query(state: ViewState, keys: Iterable[str] | None = None) -> dict[str, str]:
    """State → query parameters, only where a value differs from its default."""
    wanted = set(keys) if keys is not None else set(BY_URL_KEY)
    out: dict[str, str] = {}
    for f in FILTERS:
        value = getattr(state, f.name)
        if f.url_key not in wanted or value == f.default:
            continue
        if isinstance(value, tuple):
            out[f.url_key] = LIST_SEPARATOR.join(value)
        elif isinstance(value, date):
            out[f.url_key] = value.isoformat()
        else:
            out[f.url_key] = str(value)
    return out
