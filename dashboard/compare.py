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


def _figures(rows: pd.DataFrame) -> np.ndarray:
    values = pd.concat([rows["annual_low"], rows["annual_high"]]).dropna().to_numpy()
    return values[values > 0]


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


def year_estimate(estimates: pd.DataFrame, year: int, side: str) -> YearEstimate | None:
    """Both sides' figures for one calendar year, or None when either side is missing."""
    in_year = estimates[estimates["year"] == year]
    russia = russia_side(in_year)
    in_year = in_year[in_year["speaker_side"] != "russia"]  # allied side: no Russian claims about it
    r = _figures(russia)
    if not r.size:
        return None
    if side == "europe":
        allied = in_year[in_year["subject"].isin(EUROPE)]
        a = _figures(allied)
        if not a.size:
            return None
        a_low, a_high, used = a.min(), a.max(), allied
    else:
        combined = in_year[in_year["subject"].isin(ALLIED_COMBINED)]
        if len(_figures(combined)):
            a = _figures(combined)
            a_low, a_high, used = a.min(), a.max(), combined
        else:
            us = in_year[in_year["subject"] == "United States"]
            eu = in_year[in_year["subject"].isin(EUROPE)]
            u, e = _figures(us), _figures(eu)
            if not (u.size and e.size):
                return None
            a_low, a_high, used = u.min() + e.min(), u.max() + e.max(), pd.concat([us, eu])
    return YearEstimate(
        year=year,
        russia_low=float(r.min()),
        russia_high=float(r.max()),
        allied_low=float(a_low),
        allied_high=float(a_high),
        russia_rows=tuple(russia["claim_id"]),
        allied_rows=tuple(used["claim_id"]),
    )


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
    """One row per comparative claim with the estimate-implied ratio current at its date."""
    estimates = output_estimates(claims)
    records = []
    for _, claim in comparative_claims(claims).iterrows():
        side = COMPARATOR_SIDES.get(claim["comparator"])
        record = {
            "claim_id": claim["claim_id"],
            "stated_on": claim["stated_on"],
            "speaker": claim["speaker"],
            "comparator": claim["comparator"],
            "claim_low": claim["value_low"],
            "claim_high": claim["value_high"],
            "label": claim["label"],
            "estimate_year": pd.NA,
            "implied_low": np.nan,
            "implied_high": np.nan,
            "rows_used": "",
            "status": NOT_COMPARABLE if side is None else NO_ESTIMATE,
        }
        if side is not None:
            known = estimates[estimates["stated_on"] <= claim["stated_on"]]
            claim_year = int(claim["period_end"].year)
            for year in range(claim_year, claim_year - MAX_AGE_YEARS - 1, -1):
                found = year_estimate(known, year, side)
                if found is None:
                    continue
                record.update(
                    estimate_year=found.year,
                    implied_low=found.implied_low,
                    implied_high=found.implied_high,
                    rows_used=", ".join(found.russia_rows + found.allied_rows),
                    status=agreement(claim["value_low"], claim["value_high"], found.implied_low, found.implied_high),
                )
                break
        records.append(record)
    columns = ["claim_id", "stated_on", "speaker", "comparator", "claim_low", "claim_high", "label",
               "estimate_year", "implied_low", "implied_high", "rows_used", "status"]  # fmt: skip
    return pd.DataFrame.from_records(records, columns=columns)


def estimate_years(claims: pd.DataFrame, side: str = "allies") -> list[YearEstimate]:
    """The estimate-implied ratio for every year where both sides have figures (all rows, any date)."""
    estimates = output_estimates(claims)
    found = (year_estimate(estimates, int(y), side) for y in sorted(estimates["year"].unique()))
    return [f for f in found if f is not None]


def headline_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Comparative claims of Russia against NATO or the allies as a whole: the headline chart's points."""
    rows = comparative_claims(claims)
    return rows[rows["comparator"].map(COMPARATOR_SIDES).eq("allies")]
