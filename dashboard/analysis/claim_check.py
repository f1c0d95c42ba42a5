"""Claim check: each comparative claim next to the ratio implied by the estimates current at its date.

For a claim made on day D about year Y, we look only at rows published on or before D and take the
latest calendar year (at most Y, at least Y - MAX_AGE_YEARS) for which both sides have an annual
output figure:

* Russia's side: output rows about Russia from intelligence services, independent analysts or
  media (Russia publishes no output figures), whole-artillery scope (single-calibre figures such as
  '2 million 152 mm' are left out, they cover only part of the output);
* the allied side: a combined US-and-Europe (or NATO) output figure where one exists for that year,
  else the US figures plus the European figures of that year; what Russian officials say about allied
  output is a claim, not an estimate, and is left out.

Only closed figures enter (a point or a range): "fewer than 24,000" bounds one side only and cannot
anchor a ratio.

The implied ratio is a range: lowest Russian figure ÷ highest allied total up to highest ÷ lowest.
Capacity, targets and transfers never enter (capacity is not output). Where the data do not allow
the comparison, the row says so instead of guessing.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_AGE_YEARS = 1
RUSSIA_ESTIMATE_BASES = ("intelligence_estimate", "independent_estimate", "media_report")
PARTIAL_CALIBRES = ("152mm", "122mm")
ALLIED_COMBINED = ("United States and Europe", "NATO")
EUROPE = ("European Union", "Europe")
COMPARATOR_SIDES = {
    "NATO": "allies",
    "West": "allies",
    "United States and Europe": "allies",
    "European Union": "europe",
}
NO_ESTIMATE = "no estimate for this period"
NOT_COMPARABLE = "no comparable estimate exists for this comparator"


@dataclass(frozen=True)
class YearEstimate:
    year: int
    russia_low: float
    russia_high: float
    allied_low: float
    allied_high: float
    russia_rows: tuple[str, ...]
    allied_rows: tuple[str, ...]

    @property
    def implied_low(self) -> float:
        return self.russia_low / self.allied_high

    @property
    def implied_high(self) -> float:
        return self.russia_high / self.allied_low


def output_estimates(claims: pd.DataFrame) -> pd.DataFrame:
    """Annualised output rows that can enter a comparison, with their calendar year."""
    rows = claims[
        (claims["measure"] == "output")
        & (claims["period_start"].dt.year == claims["period_end"].dt.year)
        & claims["annual_low"].notna()
        & claims["annual_high"].notna()
    ].copy()
    rows["year"] = rows["period_end"].dt.year
    return rows


def russia_side(estimates: pd.DataFrame) -> pd.DataFrame:
    return estimates[
        (estimates["subject"] == "Russia")
        & estimates["basis"].isin(RUSSIA_ESTIMATE_BASES)
        & ~estimates["caliber"].isin(PARTIAL_CALIBRES)
    ]


def _roles(rows: pd.DataFrame) -> pd.Series:
    """Which part of the comparison each estimate row feeds: russia, combined, us, europe, or none."""
    russia = rows.index.isin(russia_side(rows).index)
    allied = rows["speaker_side"] != "russia"  # allied side: no Russian claims about it
    out = np.select(
        [
            russia,
            allied & rows["subject"].isin(ALLIED_COMBINED),
            allied & (rows["subject"] == "United States"),
            allied & rows["subject"].isin(EUROPE),
        ],
        ["russia", "combined", "us", "europe"],
        default="",
    )
    return pd.Series(out, index=rows.index)


class _Side:
    """Running lowest and highest figure of one part, and the rows that gave them (append-only)."""

    def __init__(self) -> None:
        self.low, self.high, self.ids = np.inf, -np.inf, []

    def add(self, low: float, high: float, claim_id: str) -> None:
        self.low, self.high = min(self.low, low, high), max(self.high, low, high)
        self.ids.append(claim_id)


@dataclass(frozen=True)
class _Step:
    """What was known about one year after a given date: each part's range and how many rows it had."""

    parts: dict  # role → (low, high, number of ids)

    def estimate(self, year: int, side: str, sides: dict[str, _Side]) -> YearEstimate | None:
        def part(role):
            low, high, n = self.parts[role]
            return (low, high, tuple(sides[role].ids[:n])) if n else None

        russia = part("russia")
        if russia is None:
            return None
        if side == "europe":
            allied = part("europe")
        else:
            allied = part("combined")
            if allied is None:
                us, eu = part("us"), part("europe")
                allied = (us[0] + eu[0], us[1] + eu[1], us[2] + eu[2]) if us and eu else None
        if allied is None:
            return None
        return YearEstimate(year, russia[0], russia[1], allied[0], allied[1], russia[2], allied[2])


def _timeline(estimates: pd.DataFrame, year: int) -> tuple[list[pd.Timestamp], list[_Step], dict[str, _Side]]:
    """After each publication date, what the rows published so far say about `year` (built in one pass)."""
    rows = estimates[estimates["year"] == year]
    rows = rows.assign(role=_roles(rows))
    rows = rows[rows["role"] != ""].sort_values(["stated_on", "claim_id"])
    sides = {role: _Side() for role in ("russia", "combined", "us", "europe")}
    dates: list[pd.Timestamp] = []
    steps: list[_Step] = []
    for day, group in rows.groupby("stated_on", sort=True):
        for role, low, high, claim_id in zip(
            group["role"], group["annual_low"], group["annual_high"], group["claim_id"], strict=True
        ):
            if low > 0 and high > 0:
                sides[role].add(float(low), float(high), claim_id)
        dates.append(day)
        steps.append(_Step({role: (s.low, s.high, len(s.ids)) for role, s in sides.items()}))
    return dates, steps, sides


def year_estimate(estimates: pd.DataFrame, year: int, side: str) -> YearEstimate | None:
    """Both sides' figures for one calendar year, or None when either side is missing."""
    _, steps, sides = _timeline(estimates, year)
    return steps[-1].estimate(year, side, sides) if steps else None


def comparative_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Ratio claims about Russia's output against an allied comparator, in date order."""
    rows = claims[(claims["measure"] == "ratio") & (claims["subject"] == "Russia")]
    return rows.sort_values(["stated_on", "claim_id"])


def agreement(claim_low: float, claim_high: float, implied_low: float, implied_high: float) -> str:
    """Whether the claimed range and the estimate-implied range overlap (open bounds are open)."""
    lo = claim_low if pd.notna(claim_low) else 0.0
    hi = claim_high if pd.notna(claim_high) else float("inf")
    if pd.isna(claim_low) and pd.isna(claim_high):
        return "claim gives no figure"
    if lo > implied_high:
        return "claim is higher than the estimates"
    if hi < implied_low:
        return "claim is lower than the estimates"
    return "claim overlaps the estimates"


def claim_vs_estimates(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per comparative claim with the estimate-implied ratio current at its date.

    Each year's estimates are folded once, in publication order, into a step function; a claim then looks
    up the step current on its date (a binary search), so the check grows as n log n, not n²."""
    estimates = output_estimates(claims)
    timelines: dict[int, tuple] = {}
    records = []
    for claim in comparative_claims(claims).itertuples(index=False):
        side = COMPARATOR_SIDES.get(claim.comparator)
        record = {
            "claim_id": claim.claim_id, "stated_on": claim.stated_on, "speaker": claim.speaker,
            "comparator": claim.comparator, "claim_low": claim.value_low, "claim_high": claim.value_high,
            "label": claim.label, "estimate_year": pd.NA, "implied_low": np.nan, "implied_high": np.nan,
            "rows_used": "", "status": NOT_COMPARABLE if side is None else NO_ESTIMATE,
        }  # fmt: skip
        claim_year = int(claim.period_end.year)
        for year in range(claim_year, claim_year - MAX_AGE_YEARS - 1, -1) if side else ():
            if year not in timelines:
                timelines[year] = _timeline(estimates, year)
            dates, steps, sides = timelines[year]
            at = bisect_right(dates, claim.stated_on) - 1
            found = steps[at].estimate(year, side, sides) if at >= 0 else None
            if found is None:
                continue
            record.update(
                estimate_year=found.year,
                implied_low=found.implied_low,
                implied_high=found.implied_high,
                rows_used=_id_list(found.russia_rows + found.allied_rows),
                status=agreement(claim.value_low, claim.value_high, found.implied_low, found.implied_high),
            )
            break
        records.append(record)
    columns = ["claim_id", "stated_on", "speaker", "comparator", "claim_low", "claim_high", "label",
               "estimate_year", "implied_low", "implied_high", "rows_used", "status"]  # fmt: skip
    return pd.DataFrame.from_records(records, columns=columns)


def _id_list(ids: tuple[str, ...], limit: int = 20) -> str:
    """The rows used, named; past `limit` (only in very large datasets) the rest are counted."""
    shown = ", ".join(ids[:limit])
    return shown + (f" … and {len(ids) - limit} more" if len(ids) > limit else "")


def estimate_years(claims: pd.DataFrame, side: str = "allies") -> list[YearEstimate]:
    """The estimate-implied ratio for every year where both sides have figures (all rows, any date)."""
    estimates = output_estimates(claims)
    found = (year_estimate(estimates, int(y), side) for y in sorted(estimates["year"].unique()))
    return [f for f in found if f is not None]


def headline_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Comparative claims of Russia against NATO or the allies as a whole: the headline chart's points."""
    rows = comparative_claims(claims)
    return rows[rows["comparator"].map(COMPARATOR_SIDES).eq("allies")]
