"""A claim in a line a reader can scan: whose figure it is, of what, as worded, and where it was read.

"Bain & Company: Russia's output, 4.5 million shells a year" rather than "output: 4.5 million shells a year", and
"Mark Rutte: Russia's output against NATO's, 12×" rather than "ratio: 12 × (ratio)". The figure is the stored
value in words (the figure as worded); nothing here interprets it. The outlet is the app's Claims-table wording
(captions.claims_table: "The New York Times, via Kyiv Independent"), so a claim page names the page it links.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data.normalize import annual_words, ratio_reading, value_words
from dashboard.present import captions

# How a name reads in running text, and with a possessive; a name not listed takes "'s" (or "'" after an s).
_NAMES = {
    "United States": "the United States",
    "European Union": "the European Union",
    "United States and Europe": "the United States and Europe",
    "West": "the West",
}
_POSSESSIVE = {
    "United States and Europe": "the United States' and Europe's",
    "Western supply to Ukraine": "Western supply to Ukraine",
}
_TIMES_UNITS = ("ratio", "multiplier")  # figures read as "12×", not "12 × (ratio)"


def possessive(name: str) -> str:
    """'Russia' → "Russia's", 'United States' → "the United States'", 'BAE Systems' → "BAE Systems'"."""
    if name in _POSSESSIVE:
        return _POSSESSIVE[name]
    words = _NAMES.get(name, name)
    return words + ("'" if words.endswith("s") else "'s")


def figure(row: dict) -> str:
    """The stored figure in words: '4.5 million shells a year', '12×', 'at most 1.5 % of GDP'."""
    return ratio_reading(row) if row.get("unit") in _TIMES_UNITS else value_words(row)


def what(row: dict) -> str:
    """Whose figure of what, and the figure: "Russia's output, 4.5 million shells a year"."""
    subject, measure, value = str(row["subject"]), str(row["measure"]), figure(row)
    whose = possessive(subject)
    comparator = text(row.get("comparator"))
    phrases = {
        "output": f"{whose} output, {value}",
        "capacity": f"{whose} production capacity, {value}",
        "target": f"{whose} target, {value}",
        "transfer": f"{whose} deliveries, {value}",
        "spending": f"{whose} spending, {value}",
        "growth": f"{whose} growth, {value} an earlier level",
        "container_equivalent": f"what {whose} shipped containers could hold, {value}",
        "ratio": f"{whose} output against {possessive(comparator) if comparator else 'its comparator'}, {value}",
        "consumption_ratio": f"{whose} use of ammunition against "
        f"{possessive(comparator) + ' output' if comparator else 'its comparator'}, {value}",
    }
    return phrases.get(measure, f"{_NAMES.get(subject, subject)}: {measure.replace('_', ' ')}, {value}")


def heading(row: dict) -> str:
    """A claim page's heading: "Bain & Company: Russia's output, 4.5 million shells a year"."""
    return f"{row['speaker']}: {what(row)}"


def per_year(row: dict, always: bool = False) -> str:
    """The figure annualised to shells a year, to three significant figures ('379,000 a year'): '' when it cannot
    be, and, unless `always`, when the figure was stated per year already (it would say the same twice)."""
    low, high = row.get("annual_low"), row.get("annual_high")
    if (row.get("unit") == "shells_per_year" and not always) or (pd.isna(low) and pd.isna(high)):
        return ""
    return annual_words(*(float(f"{v:.3g}") if pd.notna(v) else v for v in (low, high)))


def outlets(claims: pd.DataFrame) -> dict[str, str]:
    """claim_id → where it was read, as the app's Claims table words it: 'The New York Times, via Kyiv Independent'."""
    return dict(zip(claims["claim_id"].astype(str), captions.outlet(claims).fillna("").astype(str), strict=True))


def period(row: dict) -> str:
    """The period a figure describes, as short as it is exact: '2024', '2023–2024', 'Jul 2024', 'Jan–Jun 2025',
    'Sep 2024 – Feb 2025', else the two days."""
    start, end = row.get("period_start"), row.get("period_end")
    if not (hasattr(start, "strftime") and hasattr(end, "strftime")) or start != start or end != end:
        return ""
    whole_months = start.day == 1 and (end + pd.Timedelta(days=1)).day == 1
    if whole_months and start.month == 1 and end.month == 12:
        return f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
    if whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%b %Y}"
        return f"{start:%b}–{end:%b %Y}" if start.year == end.year else f"{start:%b %Y} – {end:%b %Y}"
    return f"{day(start)} – {day(end)}"


def check_sentence(check: dict[str, str]) -> str:
    """The claim check in one sentence, from the Overview's claim-check table row."""
    claimed = f"Claimed {check['claimed']} against {check['compared with']}"
    if check["estimates for"] in ("", "—"):  # no estimate-implied ratio: say so, never guess one
        return f"{claimed}: {check['check']}, so no ratio is implied."
    used = f" (estimates from {check['estimates used']})" if check.get("estimates used") else ""
    return (
        f"{claimed}; the output estimates current on the claim's date for {check['estimates for']} imply "
        f"{check['implied by estimates']}{used}: {check['check']}."
    )


def day(value: object) -> str:
    """'5 July 2025' (no leading zero), '' for a missing date."""
    return f"{value.day} {value:%B %Y}" if hasattr(value, "strftime") and value == value else ""


def text(value: object) -> str:
    """A cell as text for a page: empty for a missing value, whatever pandas calls it."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    shown = str(value)
    return "" if shown in ("<NA>", "nan", "NaT") else shown
