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

import pandas as pd

GRACE_MONTHS = 6
TOTAL_SLACK = pd.DateOffset(days=31)  # a total "by March" reported as of early April still counts
STATUSES = ("met", "missed", "pending", "unknown")
BROAD_CALIBRES = ("artillery", "large_calibre", "ammunition_unspecified")
COLUMNS = ["claim_id", "subject", "speaker", "stated_on", "due", "target_value", "status", "checked_against",
           "checked_value", "target_x", "target_y", "checked_x", "checked_y"]  # fmt: skip


def _candidates(claims: pd.DataFrame, target: pd.Series) -> tuple[pd.DataFrame, str, str]:
    """The figures that can judge a target, and the columns to compare."""
    same = claims[(claims["subject"] == target["subject"]) & (claims["stated_on"] >= target["stated_on"])]
    if target["caliber"] not in BROAD_CALIBRES:
        same = same[same["caliber"] == target["caliber"]]
    due = target["period_end"]
    if target["unit"] == "shells":  # the same span: a cumulative total from an earlier start cannot judge it
        totals = same[same["measure"].isin(["output", "transfer"]) & (same["unit"] == "shells")]
        span = (totals["period_start"] >= target["period_start"] - TOTAL_SLACK) & (
            totals["period_end"] <= due + TOTAL_SLACK
        )
        return totals[span], "value_low", "value_high"
    rates = same[(same["measure"] == "output") & (same["annual_low"].notna() | same["annual_high"].notna())]
    return rates[rates["period_end"] >= due - pd.DateOffset(months=GRACE_MONTHS)], "annual_low", "annual_high"


def target_status(claims: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per target with its status and the figure it was checked against."""
    targets = claims[(claims["measure"] == "target") & (claims["annual_low"].notna() | claims["annual_high"].notna())]
    records = []
    for _, t in targets.iterrows():
        later, low, high = _candidates(claims, t)
        later = later.sort_values(["period_end", "stated_on"])
        goal = t[low] if pd.notna(t[low]) else t[high]
        floor, ceiling = later[low].fillna(later[high]), later[high].fillna(later[low])
        record = dict.fromkeys(COLUMNS, float("nan"))
        record.update(
            claim_id=t["claim_id"], subject=t["subject"], speaker=t["speaker"], stated_on=t["stated_on"],
            due=t["period_end"], target_value=goal, status="unknown", checked_against="", checked_x=pd.NaT,
            target_x=t["period_mid"], target_y=t["annual_high"] if pd.notna(t["annual_high"]) else t["annual_low"],
        )  # fmt: skip
        hit = later[floor >= goal]
        if len(hit):
            chosen, value, status = hit.iloc[0], floor[floor >= goal].iloc[0], "met"
        elif t["period_end"] > as_of:
            records.append(record | {"status": "pending"})
            continue
        elif len(later) and ceiling.iloc[-1] < goal:
            chosen, value, status = later.iloc[-1], ceiling.iloc[-1], "missed"
        else:
            records.append(record)
            continue
        checked_y = chosen["annual_high"] if pd.notna(chosen["annual_high"]) else chosen["annual_low"]
        record.update(status=status, checked_against=chosen["claim_id"], checked_value=value)
        record.update(checked_x=chosen["period_mid"], checked_y=checked_y)
        records.append(record)
    return pd.DataFrame.from_records(records, columns=COLUMNS)
