"""Targets tracked against later figures: met, missed, pending, or not yet known.

A target (measure target, in shells) is due in its period. It is checked against output figures for
the same subject, annualised, whose period ends no earlier than GRACE_MONTHS before the due month:

* met: such a figure reaches the target's lower bound (or its only bound);
* missed: the due month has passed and the latest such figure is below it;
* pending: the due month is after the latest date the dataset can speak for (`as_of`);
* unknown: the due month has passed and no such figure exists.
Capacity never counts as meeting an output target.
"""

from __future__ import annotations

import pandas as pd

GRACE_MONTHS = 6
STATUSES = ("met", "missed", "pending", "unknown")


def target_status(claims: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per target with its status and the figure it was checked against."""
    targets = claims[(claims["measure"] == "target") & (claims["annual_low"].notna() | claims["annual_high"].notna())]
    outputs = claims[(claims["measure"] == "output") & (claims["annual_low"].notna() | claims["annual_high"].notna())]
    records = []
    for _, t in targets.iterrows():
        goal = t["annual_low"] if pd.notna(t["annual_low"]) else t["annual_high"]
        due = t["period_start"]
        window = due - pd.DateOffset(months=GRACE_MONTHS)
        later = outputs[
            (outputs["subject"] == t["subject"])
            & (outputs["period_end"] >= window)
            & (outputs["stated_on"] >= t["stated_on"])
        ]
        later = later.sort_values(["period_end", "stated_on"])
        best = later["annual_high"].fillna(later["annual_low"])
        record = {
            "claim_id": t["claim_id"], "subject": t["subject"], "speaker": t["speaker"], "stated_on": t["stated_on"],
            "due": due, "target_per_year": goal, "status": "unknown", "checked_against": "", "checked_value": float("nan"),
            "target_x": t["period_mid"], "target_y": goal, "checked_x": pd.NaT, "checked_y": float("nan"),
        }  # fmt: skip
        if len(later) and (best >= goal).any():
            hit = later[best >= goal].iloc[0]
            record.update(status="met", checked_against=hit["claim_id"], checked_value=best[best >= goal].iloc[0])
            record.update(checked_x=hit["period_mid"], checked_y=record["checked_value"])
        elif t["period_end"] > as_of:
            record["status"] = "pending"
        elif len(later):
            last = later.iloc[-1]
            record.update(status="missed", checked_against=last["claim_id"], checked_value=best.iloc[-1])
            record.update(checked_x=last["period_mid"], checked_y=record["checked_value"])
        records.append(record)
    columns = ["claim_id", "subject", "speaker", "stated_on", "due", "target_per_year", "status", "checked_against",
               "checked_value", "target_x", "target_y", "checked_x", "checked_y"]  # fmt: skip
    return pd.DataFrame.from_records(records, columns=columns)
