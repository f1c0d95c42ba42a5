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
from dataclasses import dataclass, field
from itertools import chain

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
    sources: tuple[str, ...] = ()  # where those rows were published, "outlet, 1 Jan 2024", each once (the first few)
    source_count: int = 0  # how many distinct places in all

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


SOURCE_LIMIT = 20  # sources named per estimate; past it (only in very large datasets) the rest are counted


def source_words(outlet: object, day: object) -> str:
    """Where and when a row was published, for a reader: 'IISS, 12 Feb 2025' (no ids)."""
    name = str(outlet) if isinstance(outlet, str) and outlet.strip() else "unnamed outlet"
    day = pd.Timestamp(day) if pd.notna(day) else None  # a Timestamp, or nanoseconds since 1970
    return f"{name}, {day.day} {day:%b %Y}" if day is not None else name


def _outlets(rows: pd.DataFrame) -> list[str]:
    """The outlet of each row: the original publisher where one is named, else the publisher."""
    publisher = rows["publisher"] if "publisher" in rows else pd.Series("", index=rows.index)
    original = rows["original_publisher"] if "original_publisher" in rows else pd.Series("", index=rows.index)
    return original.where(original.fillna("").astype(str).str.strip() != "", publisher).tolist()


class _Side:
    """Running lowest and highest figure of one part, the rows that gave them and where each was published
    (append-only, so a step keeps only counts)."""

    def __init__(self) -> None:
        self.low, self.high, self.ids, self.where = np.inf, -np.inf, [], []

    def add(self, low: float, high: float, claim_id: str, where: tuple) -> None:
        self.low, self.high = min(self.low, low, high), max(self.high, low, high)
        self.ids.append(claim_id)
        self.where.append(where)


@dataclass(frozen=True)
class _Step:
    """What was known about one year after a given date: each part's range and how many rows it had."""

    parts: dict  # role → (low, high, number of ids)

    def estimate(self, year: int, side: str, sides: dict[str, _Side], words: dict) -> YearEstimate | None:
        def part(role):  # (low, high, [(side, how many of its rows)])
            low, high, n = self.parts[role]
            return (low, high, [(sides[role], n)]) if n else None

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

        def ids(p) -> tuple[str, ...]:
            return tuple(chain.from_iterable(s.ids[:n] for s, n in p[2]))

        # Distinct places in publication order (chain and dict.fromkeys run in C; only the first few get words,
        # each worded once per timeline: successive steps name mostly the same first places).
        places = list(dict.fromkeys(chain.from_iterable(s.where[:n] for s, n in russia[2] + allied[2])))
        for place in places[:SOURCE_LIMIT]:
            if place not in words:
                words[place] = source_words(*place)
        return YearEstimate(
            year, russia[0], russia[1], allied[0], allied[1], ids(russia), ids(allied),
            tuple(words[place] for place in places[:SOURCE_LIMIT]), len(places),
        )  # fmt: skip


@dataclass
class _Timeline:
    """After each publication date (sorted, as nanoseconds), what the rows published so far say about one year."""

    year: int
    dates: list[int]
    steps: list[_Step]
    sides: dict[str, _Side]
    memo: dict = field(default_factory=dict)  # (step, side) → estimate: claims of one date share it
    words: dict = field(default_factory=dict)  # (outlet, day) → "outlet, 1 Jan 2024"

    def at(self, day: pd.Timestamp, side: str) -> YearEstimate | None:
        """The estimate current on `day` (rows published on or before it), by binary search."""
        return self.at_nanoseconds(pd.Timestamp(day).value, side)

    def at_nanoseconds(self, day: int, side: str) -> YearEstimate | None:
        """`at` for a day given as nanoseconds since 1970 (a column read once, not a Timestamp per claim)."""
        return self._estimate(bisect_right(self.dates, day) - 1, side)

    def last(self, side: str) -> YearEstimate | None:
        return self._estimate(len(self.steps) - 1, side)

    def _estimate(self, step: int, side: str) -> YearEstimate | None:
        if step < 0:
            return None
        if (step, side) not in self.memo:
            self.memo[step, side] = self.steps[step].estimate(self.year, side, self.sides, self.words)
        return self.memo[step, side]


class Timelines:
    """Each calendar year's timeline of estimates, built once from the claims and shared by the claim check
    and the year bands (the Overview needs both). The few columns needed are sorted and read as plain lists
    once; a year's timeline is folded in one pass, closing a step where the publication date changes."""

    COLUMNS = ("year", "stated_on", "claim_id", "annual_low", "annual_high")
    READ = frozenset(
        ("claim_id", "stated_on", "subject", "measure", "basis", "caliber", "speaker_side", "period_start",
         "period_end", "annual_low", "annual_high", "publisher", "original_publisher")
    )  # fmt: skip

    def __init__(self, claims: pd.DataFrame) -> None:
        needed = [c for c in claims.columns if c in self.READ]  # fewer columns to filter, copy and sort
        estimates = output_estimates(claims[needed])
        self.years = sorted(int(y) for y in estimates["year"].unique())
        roles = _roles(estimates)
        keep = roles != ""
        rows = estimates.loc[keep, list(self.COLUMNS)].assign(role=roles[keep], outlet=_outlets(estimates[keep]))
        rows = rows.sort_values(["year", "stated_on", "claim_id"])
        days = rows["stated_on"].to_numpy(dtype="datetime64[ns]").astype("int64").tolist()
        columns = zip(
            rows["year"].tolist(), days, rows["role"].tolist(), rows["annual_low"].tolist(),
            rows["annual_high"].tolist(), rows["claim_id"].tolist(), rows["outlet"].tolist(), strict=True,
        )  # fmt: skip
        self._rows: dict[int, list[tuple]] = {}
        for year, *rest in columns:
            self._rows.setdefault(int(year), []).append(tuple(rest))
        self._built: dict[int, _Timeline] = {}

    def __getitem__(self, year: int) -> _Timeline:
        if year not in self._built:
            self._built[year] = self._fold(year, self._rows.get(year, []))
        return self._built[year]

    @staticmethod
    def _fold(year: int, rows: list[tuple]) -> _Timeline:
        sides = {role: _Side() for role in ("russia", "combined", "us", "europe")}
        dates: list[int] = []
        steps: list[_Step] = []
        for i, (day, role, low, high, claim_id, outlet) in enumerate(rows):
            if low > 0 and high > 0:
                sides[role].add(float(low), float(high), claim_id, (outlet, day))
            if i + 1 == len(rows) or rows[i + 1][0] != day:  # the last row of this date closes its step
                dates.append(day)
                steps.append(_Step({r: (s.low, s.high, len(s.ids)) for r, s in sides.items()}))
        return _Timeline(year, dates, steps, sides)


def year_estimate(estimates: pd.DataFrame, year: int, side: str) -> YearEstimate | None:
    """Both sides' figures for one calendar year, or None when either side is missing."""
    return Timelines(estimates[estimates["year"] == year])[year].last(side)


def comparative_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Ratio claims about Russia's output against an allied comparator, in date order."""
    return _in_date_order(claims, _comparative(claims))


def _comparative(claims: pd.DataFrame) -> pd.Series:
    return (claims["measure"] == "ratio") & (claims["subject"] == "Russia")


def _in_date_order(claims: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The rows under `mask` sorted by date and id, as claims[mask].sort_values(…) gives them, copied once:
    the sort order comes from the two key columns alone (each copy of every column costs at 100,000 rows)."""
    at = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
    keys = claims[["stated_on", "claim_id"]].iloc[at].reset_index(drop=True)
    return claims.iloc[at[keys.sort_values(["stated_on", "claim_id"]).index.to_numpy()]]


def _missing(value: object) -> bool:
    """pd.isna for one number, without its dispatch: the claim check asks it tens of thousands of times."""
    return value is None or value is pd.NA or value != value


def agreement(claim_low: float, claim_high: float, implied_low: float, implied_high: float) -> str:
    """Whether the claimed range and the estimate-implied range overlap (open bounds are open)."""
    if _missing(claim_low) and _missing(claim_high):
        return "claim gives no figure"
    lo = 0.0 if _missing(claim_low) else claim_low
    hi = float("inf") if _missing(claim_high) else claim_high
    if lo > implied_high:
        return "claim is higher than the estimates"
    if hi < implied_low:
        return "claim is lower than the estimates"
    return "claim overlaps the estimates"


def claim_vs_estimates(claims: pd.DataFrame, timelines: Timelines | None = None) -> pd.DataFrame:
    """One row per comparative claim with the estimate-implied ratio current at its date.

    Each year's estimates are folded once, in publication order, into a step function; a claim then looks
    up the step current on its date (a binary search), so the check grows as n log n, not n². Pass the
    `timelines` that `estimate_years` also gets to build them once for both."""
    timelines = Timelines(claims) if timelines is None else timelines
    fields = ["claim_id", "speaker", "comparator", "value_low", "value_high", "label", "url"]
    rows = comparative_claims(
        claims[[c for c in (*fields, "stated_on", "period_end", "measure", "subject") if c in claims]]
    )
    # Plain lists, not itertuples: reading Arrow-backed cells one by one costs more than the check itself.
    ids, speakers, comparators, lows, highs, labels, urls = (
        rows[c].tolist() if c in rows else [None] * len(rows) for c in fields
    )
    days = rows["stated_on"].to_numpy(dtype="datetime64[ns]").astype("int64").tolist()
    claim_years = rows["period_end"].dt.year.tolist()
    n = len(rows)
    estimate_year, implied_low, implied_high = [pd.NA] * n, [np.nan] * n, [np.nan] * n
    rows_used, sources_used = [""] * n, [""] * n
    status = [NO_ESTIMATE if COMPARATOR_SIDES.get(c) else NOT_COMPARABLE for c in comparators]
    # What an estimate adds to a row, worded once per estimate: thousands of claims share a few hundred.
    described: dict[int, tuple] = {}
    for i, (day, comparator, claim_year, low, high) in enumerate(
        zip(days, comparators, claim_years, lows, highs, strict=True)
    ):
        side = COMPARATOR_SIDES.get(comparator)
        for year in range(int(claim_year), int(claim_year) - MAX_AGE_YEARS - 1, -1) if side else ():
            found = timelines[year].at_nanoseconds(day, side)
            if found is None:
                continue
            if id(found) not in described:  # the memo of each timeline keeps `found` alive: ids stay unique
                described[id(found)] = (
                    _id_list(
                        found.russia_rows[:20] + found.allied_rows[:20],
                        total=len(found.russia_rows) + len(found.allied_rows),
                    ),
                    _id_list(found.sources, sep="; ", total=found.source_count),
                )
            estimate_year[i], implied_low[i], implied_high[i] = found.year, found.implied_low, found.implied_high
            rows_used[i], sources_used[i] = described[id(found)]
            status[i] = agreement(low, high, found.implied_low, found.implied_high)
            break
    return pd.DataFrame(
        {
            "claim_id": ids,
            "stated_on": rows["stated_on"].to_numpy(),
            "speaker": speakers,
            "comparator": comparators,
            "claim_low": lows,
            "claim_high": highs,
            "label": labels,
            "url": urls,
            "estimate_year": pd.Series(estimate_year, dtype=object),
            "implied_low": implied_low,
            "implied_high": implied_high,
            "rows_used": rows_used,
            "sources_used": sources_used,
            "status": status,
        }
    )


def _id_list(ids: tuple[str, ...], limit: int = 20, sep: str = ", ", total: int | None = None) -> str:
    """The rows (or places) used, named; past `limit` (only in very large datasets) the rest are counted."""
    total = len(ids) if total is None else total
    shown = sep.join(ids[:limit])
    return shown + (f" … and {total - limit} more" if total > limit else "")


def estimate_years(
    claims: pd.DataFrame, side: str = "allies", timelines: Timelines | None = None
) -> list[YearEstimate]:
    """The estimate-implied ratio for every year where both sides have figures (all rows, any date)."""
    timelines = Timelines(claims) if timelines is None else timelines
    found = (timelines[year].last(side) for year in timelines.years)
    return [f for f in found if f is not None]


def headline_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Comparative claims of Russia against NATO or the allies as a whole: the headline chart's points."""
    return _in_date_order(claims, _comparative(claims) & claims["comparator"].map(COMPARATOR_SIDES).eq("allies"))
