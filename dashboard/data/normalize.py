"""Common units: annualised shells per year, period midpoints, and what a ratio row's bounds mean.

The original value and unit always stay in the row; the normalised columns sit beside them with a
note saying how each was converted (DESIGN §4). Everything here is vectorised so 100,000 rows
normalise in well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25
SHELL_UNITS = ("shells", "shells_per_month", "shells_per_year")


def period_years(start: pd.Series, end: pd.Series) -> pd.Series:
    """Length of each period in years, counting both end days (a calendar year is ~1.0)."""
    return ((end - start).dt.days + 1) / DAYS_PER_YEAR


def _is(unit: pd.Series, name: str) -> np.ndarray:
    """unit == name as plain booleans, missing as False: compared inside Arrow for Arrow text, no Python str per row."""
    return (unit == name).fillna(False).to_numpy(dtype=bool)


def annualise(value: pd.Series, unit: pd.Series, years: pd.Series) -> pd.Series:
    """Shells per year: per month × 12; a total over a period ÷ its length in years; else NaN."""
    value = pd.to_numeric(value, errors="coerce").astype("float64")
    out = np.select(
        [_is(unit, "shells_per_year"), _is(unit, "shells_per_month"), _is(unit, "shells")],
        [value, value * 12.0, value / years.where(years > 0)],
        default=np.nan,
    )
    return pd.Series(out, index=value.index, dtype="float64")


def annualised_how(unit: pd.Series, years: pd.Series) -> pd.Series:
    """A short note per row saying how the annual figure was obtained."""
    total = _is(unit, "shells")
    out = np.select(
        [_is(unit, "shells_per_year"), _is(unit, "shells_per_month")],
        ["as stated (per year)", "per month × 12"],
        default="",
    ).astype(object)
    if total.any():
        # Worded once per distinct period length: 100,000 rows have a few hundred, and number-to-text is the cost.
        codes, lengths = pd.factorize(years[total].round(2), use_na_sentinel=False)
        words = ("total ÷ " + pd.Series(lengths).astype(str) + " years").to_numpy(dtype=object)
        out[total] = words[codes]
    return pd.Series(out, index=unit.index, dtype="string")


def bound_kind(low: pd.Series, high: pd.Series) -> pd.Series:
    """point, range, at least (open above), at most (open below) or no figure."""
    has_low, has_high = low.notna(), high.notna()
    out = np.select(
        [has_low & has_high & (low == high), has_low & has_high, has_low, has_high],
        ["point", "range", "at least", "at most"],
        default="no figure",
    )
    return pd.Series(out, index=low.index, dtype="string")


def period_midpoint(start: pd.Series, end: pd.Series) -> pd.Series:
    return start + (end - start) / 2


def add_derived_columns(claims: pd.DataFrame) -> pd.DataFrame:
    """Add annual_low/high, annualised_how, period_years, period_mid, bound and stated_year."""
    out = claims.copy()
    years = period_years(out["period_start"], out["period_end"])
    out["period_years"] = years
    out["period_mid"] = period_midpoint(out["period_start"], out["period_end"])
    out["annual_low"] = annualise(out["value_low"], out["unit"], years)
    out["annual_high"] = annualise(out["value_high"], out["unit"], years)
    out["annualised_how"] = annualised_how(out["unit"], years)
    out["bound"] = bound_kind(out["value_low"], out["value_high"])
    out["stated_year"] = out["stated_on"].dt.year
    return out


def ratio_reading(row: pd.Series) -> str:
    """Plain words for what a ratio row's bounds say, e.g. 'at most 1×' or '4× to 12×'."""
    return ratio_words(row.get("value_low"), row.get("value_high"))


def ratio_words(low: float, high: float) -> str:
    """ratio_reading of a row whose bounds are `low` and `high` (NaN or None: open)."""
    fmt = _times
    if pd.notna(low) and pd.notna(high):
        return f"{fmt(low)}" if low == high else f"{fmt(low)} to {fmt(high)}"
    if pd.notna(low):
        return f"more than {fmt(low)}"
    if pd.notna(high):
        return f"at most {fmt(high)}"
    return "no figure given"


def ratio_readings(low: pd.Series, high: pd.Series) -> pd.Series:
    """ratio_reading of every row at once, as `rows.apply(ratio_reading, axis=1)` gives it (a str per row, the
    rows' index): each distinct pair of bounds worded once, where apply builds a Series per row (~17 µs each)."""
    pairs = [
        (None if lo != lo else lo, None if hi != hi else hi) for lo, hi in zip(low.tolist(), high.tolist(), strict=True)
    ]
    words = {pair: ratio_words(*pair) for pair in set(pairs)}
    return pd.Series([words[pair] for pair in pairs], index=low.index)


def _times(value: float) -> str:
    return f"{value:g}×"


UNIT_WORDS = {
    "shells": "shells",
    "shells_per_month": "shells a month",
    "shells_per_year": "shells a year",
    "ratio": "× (ratio)",
    "multiplier": "× (multiplier)",
    "pct_gdp": "% of GDP",
    "usd": "US dollars",
    "rub": "roubles",
}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def human_number(value: float) -> str:
    """13500000000000 → '13.5 trillion'; 40000 → '40,000'; 6.3 → '6.3'."""
    for size, word in _SCALES:
        if abs(value) >= size:
            return f"{value / size:.4g} {word}"
    return f"{value:,.10g}"


def bounds_words(low: float, high: float) -> str:
    """'4.5 million', '2–2.5 million', 'more than 6 million', 'at most 600,000', or '' when there is no figure."""
    if pd.notna(low) and pd.notna(high):
        return human_number(low) if low == high else f"{human_number(low)}–{human_number(high)}"
    if pd.notna(low):
        return f"more than {human_number(low)}"
    if pd.notna(high):
        return f"at most {human_number(high)}"
    return ""


def value_words(row: pd.Series) -> str:
    """A row's figure in words as a reader says it: '40,000 shells a month', 'at most 1×', '16× to 20×',
    '22 times', '6.3% of GDP', 'no figure'."""
    figure = bounds_words(row["value_low"], row["value_high"])
    if not figure:
        return "no figure"
    unit = row["unit"]
    if unit == "ratio":
        return ratio_reading(row)
    if unit == "multiplier":
        return f"{figure} times"
    if unit == "pct_gdp":
        return f"{figure}% of GDP"
    return f"{figure} {UNIT_WORDS.get(unit, unit)}"


def annual_words(low: float, high: float) -> str:
    """An annualised figure in words: '480,000 a year', 'more than 6 million a year', 'no figure'."""
    figure = bounds_words(low, high)
    return f"{figure} a year" if figure else "no figure"
