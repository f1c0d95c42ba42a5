"""What a single cell may hold: dates, plain numbers, control characters. One set of rules for the
validator, the loader and the URL-state parser, so a value the validator accepts is one they can read."""

from __future__ import annotations

import math
import re
from datetime import date
from functools import lru_cache

DATE_FORMAT = "%Y-%m-%d"
# ASCII digits only, to the very end: `\d` also takes other scripts' digits (float() accepts them, pandas and
# frictionless do not), `$` would let a trailing line break through, and date.fromisoformat alone also takes
# 20240101 and 2024-W01-1, which would not round-trip.
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
NUMBER_RE = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
# In a data cell: C0 controls and DEL, except tab and line breaks (a quote may span lines).
CELL_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In a one-line value (a URL parameter, a message): every C0/C1 control and the Unicode line separators.
LINE_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@lru_cache(maxsize=8192)  # every claim re-reads its dates in the cross-field rules; at 100,000 rows they repeat
def parse_date(value: str) -> date | None:
    """A YYYY-MM-DD calendar date, or None (empty, another form, or no such day)."""
    if not value or not DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def parse_number(value: str) -> float | None:
    """A finite plain number (digits, optional decimal point), or None."""
    if not value or not NUMBER_RE.match(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
