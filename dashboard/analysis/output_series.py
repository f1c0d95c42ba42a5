"""The Output chart's model: each subject's annualised figures over time, output apart from everything else.

Output figures of a subject are shown per calendar year as the spread of what the estimates say (the lowest
to the highest figure describing that year), with every figure on it: that answers "how much did each side make
per year" without drawing a series no source published. A line joining every estimate in date order would jump
between sources that count differently (one source's complete rounds, another's bodies): it zigzags, and reads
as output rising and falling. Capacity, targets and transfers are other measures: they sit in a panel of their
own and are never joined to output or added to anything. Each figure keeps its period (a bar over the months it
covers) and its range (low to high); an open bound ("more than", "at most") is marked as such and left out of
the spread, which would otherwise give it a value it does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.analysis.claim_check import PARTIAL_CALIBRES

OUTPUT = ("output",)
SUPPLY = ("capacity", "target", "transfer")  # the lower panel: what could be made, what was promised, what was sent
CHARTED = OUTPUT + SUPPLY


@dataclass(frozen=True)
class Series:
    subject: str
    measure: str
    rows: pd.DataFrame  # its figures in period order, with the columns the chart draws (see `figures`)

    @property
    def joined(self) -> bool:
        return self.measure in OUTPUT

    @cached_property  # read by the legend's keys, the subtitle and the bands of one figure: worked out once
    def year_spread(self) -> list[tuple[int, float, float, int]]:
        """(year, lowest, highest, figures) for each calendar year its closed figures describe (the year of the
        period's middle). Open bounds have no value to spread; figures of one calibre among several (Russia's
        152 mm alone) are not the total the others count, so both are left out."""
        rows = self.rows
        spread: dict[int, list] = {}  # a handful of figures a series: plain Python beats a groupby here
        for bound, caliber, mid, low, high in zip(rows["bound"].tolist(), rows["caliber"].tolist(),
                                                  rows["period_mid"].tolist(), rows["annual_low"].tolist(),
                                                  rows["annual_high"].tolist(), strict=True):  # fmt: skip
            if bound not in ("point", "range") or caliber in PARTIAL_CALIBRES:
                continue
            year = spread.setdefault(mid.year, [low, high, 0])
            year[0], year[1], year[2] = min(year[0], low), max(year[1], high), year[2] + 1
        return [(year, float(lo), float(hi), n) for year, (lo, hi, n) in sorted(spread.items())]


# What the chart and its words read of a figure (a series keeps only these: every later step copies fewer columns).
COLUMNS = ("claim_id", "subject", "measure", "caliber", "bound", "annual_low", "annual_high", "annualised_how",
           "period_start", "period_end", "period_mid", "stated_on", "speaker", "speaker_role", "quote", "publisher",
           "original_publisher", "grade")  # fmt: skip


def figures(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows the chart can draw: a charted measure with an annual figure, sorted by period; only the columns the
    chart reads."""
    rows = rows[[c for c in COLUMNS if c in rows]]  # the columns first: every later take copies only these
    drawable = rows[rows["measure"].isin(CHARTED) & (rows["annual_low"].notna() | rows["annual_high"].notna())]
    return drawable.sort_values(["period_mid", "period_end", "claim_id"], kind="stable")


def series(rows: pd.DataFrame, subjects: list[str]) -> list[Series]:
    """One series per subject and charted measure present, subjects in the given order, output first."""
    drawable = figures(rows)
    parts = dict(tuple(drawable.groupby(["subject", "measure"], sort=False)))
    return [
        Series(subject, measure, parts[(subject, measure)])
        for subject in subjects
        for measure in CHARTED
        if (subject, measure) in parts
    ]


def time_span(series: list[Series]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """From the first period's start to the last period's end of the series (None when there are none)."""
    if not series:
        return None
    return min(s.rows["period_start"].min() for s in series), max(s.rows["period_end"].max() for s in series)
