"""View state ⇄ URL query parameters: parse, validate, fall back to defaults, serialise.

A copied link must reopen the same view, and a tampered one must not break anything: every value is
checked against the schema's enums and simple types; whatever does not parse falls back to its
default and yields a short notice for the page to show. Only non-default values are written back,
so links stay short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from dashboard.data.schema import Package

MAX_VALUE_LENGTH = 300
MAX_QUERY_LENGTH = 200
LIST_SEPARATOR = ","
SCALES = ("log", "linear")
# Exactly YYYY-MM-DD: date.fromisoformat also takes 20240101 and 2024-W01-1, which would not round-trip.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class ViewState:
    subject: tuple[str, ...] = ()  # empty = every value
    measure: tuple[str, ...] = ()
    caliber: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    grade: tuple[str, ...] = ()
    side: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    scale: str = "log"
    q: str = ""


DEFAULT = ViewState()
# URL key for each field; `from`/`to` read better in a link than start/end.
URL_KEYS = {"subject": "subject", "measure": "measure", "caliber": "caliber", "basis": "basis", "grade": "grade",
            "side": "side", "start": "from", "end": "to", "scale": "scale", "q": "q"}  # fmt: skip
FIELD_FOR_KEY = {v: k for k, v in URL_KEYS.items()}


def allowed_values(package: Package) -> dict[str, tuple[str, ...]]:
    """The enum behind each list parameter, read from the one schema."""
    claims, sources = package.claims, package.sources
    return {
        "subject": claims.field("subject").enum,
        "measure": claims.field("measure").enum,
        "caliber": claims.field("caliber").enum,
        "basis": claims.field("basis").enum,
        "side": claims.field("speaker_side").enum,
        "grade": sources.field("grade").enum,
    }


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, Iterable):
        return [str(v) for v in raw]
    return [str(raw)]


def _date(value: str) -> date | None:
    """A YYYY-MM-DD calendar date, or None."""
    if not _DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse(
    query: Mapping[str, object], package: Package, keys: Iterable[str] | None = None
) -> tuple[ViewState, list[str]]:
    """Query parameters → (state, notices). Never raises; bad values fall back to defaults."""
    enums = allowed_values(package)
    wanted = set(keys) if keys is not None else set(URL_KEYS.values())
    state = DEFAULT
    notices: list[str] = []
    try:
        items = list(query.items())
    except Exception:  # noqa: BLE001 - a hostile mapping is treated as an empty query
        return DEFAULT, ["The link's parameters could not be read; showing the default view."]
    for key, raw in items:
        key = str(key)
        if key not in wanted or key not in FIELD_FOR_KEY:
            continue  # other pages' keys and trackers (utm_*, fbclid) are not ours to judge
        name = FIELD_FOR_KEY[key]
        shown = key  # a known key: safe to echo; values from the URL are never echoed back
        try:
            values = _values(raw)
        except Exception:  # noqa: BLE001 - a value that cannot even be read as text falls back like any bad one
            notices.append(f"'{shown}' in the link could not be read; using its default.")
            continue
        if len(values) > 1:
            notices.append(f"'{shown}' appeared more than once in the link; using its default.")
            continue
        value = values[0] if values else ""
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(f"'{shown}' in the link is too long; using its default.")
            continue
        if _CONTROL_RE.search(value):  # no filter or search needs a line break, tab or escape
            notices.append(f"'{shown}' in the link contains control characters; using its default.")
            continue
        if name in enums:
            items_ = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
            unknown = [v for v in items_ if v not in enums[name]]
            if unknown:
                notices.append(f"The link names a {shown} this dataset does not know; showing every {shown} instead.")
                continue
            state = replace(state, **{name: tuple(dict.fromkeys(items_))})
        elif name in ("start", "end"):
            parsed = _date(value)
            if value and parsed is None:
                notices.append(f"'{shown}' in the link is not a date (YYYY-MM-DD); using its default.")
                continue
            state = replace(state, **{name: parsed})
        elif name == "scale":
            if value not in SCALES:
                notices.append(f"'scale' must be log or linear; using {DEFAULT.scale}.")
                continue
            state = replace(state, scale=value)
        elif name == "q":
            if len(value) > MAX_QUERY_LENGTH:
                notices.append("The search text in the link is too long; it was ignored.")
                continue
            state = replace(state, q=value)
    if state.start and state.end and state.start > state.end:
        notices.append("The link's date range ends before it starts; showing all dates.")
        state = replace(state, start=None, end=None)
    return state, notices


def to_query(state: ViewState, keys: Iterable[str] | None = None) -> dict[str, str]:
    """State → query parameters, only where a value differs from its default."""
    wanted = set(keys) if keys is not None else set(URL_KEYS.values())
    out: dict[str, str] = {}
    for f in fields(ViewState):
        key = URL_KEYS[f.name]
        value = getattr(state, f.name)
        if key not in wanted or value == getattr(DEFAULT, f.name):
            continue
        if isinstance(value, tuple):
            out[key] = LIST_SEPARATOR.join(value)
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = str(value)
    return out
