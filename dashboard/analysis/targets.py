"""Targets tracked against later figures: met, missed, pending, or not yet known.

A target is due at the end of its period. A rate target (shells a month or a year) is checked against
output figures for the same subject, annualised, whose period ends no earlier than GRACE_MONTHS before
the due date; a total target (a pledge of N shells by a date) against totals for the same subject
(deliveries or output, in shells) reached by the due date:

* met: such a figure's lower (or only) bound reaches the target's lower (or only) bound;
* missed: the due date has passed and the latest such figure's upper (or only) bound is below it;
* pending: the due date is after the latest date the dataset can speak for (`as_of`);
* unknown: the due date has passed and no such figure exists.
Capacity never counts as meeting a target: capacity is not output. Only figures published on or after
the target was set can judge it, and a target for one calibre only by figures for that calibre.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GRACE_MONTHS = 6
TOTAL_SLACK = pd.DateOffset(days=31)  # a total "by March" reported as of early April still counts
STATUSES = ("met", "missed", "pending", "unknown")
BROAD_CALIBRES = ("artillery", "large_calibre", "ammunition_unspecified")
COLUMNS = ["claim_id", "subject", "speaker", "stated_on", "due", "target_value", "status", "checked_against",
           "checked_value", "target_x", "target_y", "checked_x", "checked_y"]  # fmt: skip


class _Pool:
    """The figures that can judge targets of one kind (rates or totals) for one subject, as arrays
    sorted by (period_end, stated_on): each target then filters arrays instead of the whole table."""

    def __init__(self, rows: pd.DataFrame, low: str, high: str) -> None:
        rows = rows.sort_values(["period_end", "stated_on"])
        self.claim_id = rows["claim_id"].to_numpy(dtype=object)
        self.mid = rows["period_mid"].to_numpy()
        self.plotted = rows["annual_high"].fillna(rows["annual_low"]).to_numpy(dtype="float64")  # where it is drawn
        self.start = rows["period_start"].to_numpy()
        self.end = rows["period_end"].to_numpy()
        self.stated = rows["stated_on"].to_numpy()
        self.caliber = rows["caliber"].to_numpy(dtype=object)
        self.floor = rows[low].fillna(rows[high]).to_numpy(dtype="float64")
        self.ceiling = rows[high].fillna(rows[low]).to_numpy(dtype="float64")

    def candidates(self, target, kind: str) -> np.ndarray:
        """Positions of the figures that can judge `target`, in (period_end, stated_on) order."""
        mask = self.stated >= target.stated_on
        if target.caliber not in BROAD_CALIBRES:
            mask &= self.caliber == target.caliber
        if kind == "total":  # the same span: a cumulative total from an earlier start cannot judge it
            mask &= (self.start >= target.earliest_start) & (self.end <= target.latest_end)
        else:
            mask &= self.end >= target.earliest_end
        return np.flatnonzero(mask)


def _pools(claims: pd.DataFrame) -> dict[tuple[str, str], _Pool]:
    has_annual = claims["annual_low"].notna() | claims["annual_high"].notna()
    rates = claims[(claims["measure"] == "output") & has_annual]
    totals = claims[claims["measure"].isin(["output", "transfer"]) & (claims["unit"] == "shells")]
    pools = {("rate", s): _Pool(g, "annual_low", "annual_high") for s, g in rates.groupby("subject", sort=False)}
    pools |= {("total", s): _Pool(g, "value_low", "value_high") for s, g in totals.groupby("subject", sort=False)}
    return pools


def target_status(claims: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per target with its status and the figure it was checked against."""
    targets = claims[(claims["measure"] == "target") & (claims["annual_low"].notna() | claims["annual_high"].notna())]
    pools = _pools(claims)
    # Each target's window, computed for all targets at once (date arithmetic per row is the slow part).
    targets = targets.assign(
        earliest_start=targets["period_start"] - TOTAL_SLACK,
        latest_end=targets["period_end"] + TOTAL_SLACK,
        earliest_end=targets["period_end"] - pd.DateOffset(months=GRACE_MONTHS),
    )
    records = []
    for t in targets.itertuples(index=False):
        kind = "total" if t.unit == "shells" else "rate"
        low, high = ("value_low", "value_high") if kind == "total" else ("annual_low", "annual_high")
        goal = getattr(t, low) if pd.notna(getattr(t, low)) else getattr(t, high)
        record = dict.fromkeys(COLUMNS, float("nan"))
        record.update(
            claim_id=t.claim_id, subject=t.subject, speaker=t.speaker, stated_on=t.stated_on, due=t.period_end,
            target_value=goal, status="unknown", checked_against="", checked_x=pd.NaT, target_x=t.period_mid,
            target_y=t.annual_high if pd.notna(t.annual_high) else t.annual_low,
        )  # fmt: skip
        pool = pools.get((kind, t.subject))
        found = pool.candidates(t, kind) if pool is not None else np.empty(0, dtype=int)
        hits = found[pool.floor[found] >= goal] if found.size else found
        if hits.size:
            at, value, status = hits[0], pool.floor[hits[0]], "met"
        elif t.period_end > as_of:
            records.append(record | {"status": "pending"})
            continue
        elif found.size and pool.ceiling[found[-1]] < goal:
            at, value, status = found[-1], pool.ceiling[found[-1]], "missed"
        else:
            records.append(record)
            continue
        record.update(status=status, checked_against=pool.claim_id[at], checked_value=value)
        record.update(checked_x=pd.Timestamp(pool.mid[at]), checked_y=pool.plotted[at])
        records.append(record)
    return pd.DataFrame.from_records(records, columns=COLUMNS)
