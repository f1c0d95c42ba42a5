"""The Output chart's model: each subject's annualised figures over time, output apart from everything else.

Output figures of a subject are joined in time, in the order of the periods they describe: that is the
answer to "how much did each side make per year". Capacity, targets and transfers are other measures:
they sit in a panel of their own and are never joined to output or added to anything. Each figure keeps
its period (a bar over the months it covers) and its range (low to high); an open bound ("more than",
"at most") is marked as such and left out of the joining line, which would otherwise give it a value it
does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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

    def path(self) -> tuple[list, list]:
        """The joining line: through each closed figure at its period's midpoint, in period order.

        A point is its value; a range is crossed at its geometric middle (the range bar drawn there shows
        the whole range, so nothing is hidden). Open bounds are left out: they have no value to join; so are
        figures of one calibre among several (Russia's 152 mm alone), which are not the total the line follows."""
        rows = self.rows
        closed = rows[rows["bound"].isin(("point", "range")) & ~rows["caliber"].isin(PARTIAL_CALIBRES)]
        y = np.sqrt(closed["annual_low"] * closed["annual_high"])  # = the value for a point
        return list(closed["period_mid"]), list(y)


def figures(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows the chart can draw: a charted measure with an annual figure, sorted by period."""
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
