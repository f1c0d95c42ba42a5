"""Targets tracked against later output figures: met, missed, pending, unknown."""

import pandas as pd
import pytest

from dashboard.analysis.targets import target_status
from tests.conftest import claims_frame

claims = claims_frame


def target(due_start, due_end, value=100000, stated="2024-02-05", subject="United States", caliber="155mm"):
    return dict(claim_id="t", subject=subject, speaker="x", measure="target", value_low=value, value_high=value,
                unit="shells_per_month", period_start=due_start, period_end=due_end, stated_on=stated, caliber=caliber)  # fmt: skip


def output(claim_id, value, start, end, stated, subject="United States", caliber="155mm"):
    return dict(claim_id=claim_id, subject=subject, speaker="y", measure="output", value_low=value, value_high=value,
                unit="shells_per_month", period_start=start, period_end=end, stated_on=stated, caliber=caliber)  # fmt: skip


AS_OF = pd.Timestamp("2025-11-25")


@pytest.mark.parametrize(
    ("rows", "status", "checked"),
    [
        (
            [target("2025-10-01", "2025-10-31"), output("o", 40000, "2025-06-01", "2025-06-30", "2025-06-17")],
            "missed",
            "o",
        ),
        (
            [target("2024-10-01", "2024-10-31", 30000), output("o", 40000, "2024-09-01", "2024-09-30", "2024-10-01")],
            "met",
            "o",
        ),
        (
            [target("2026-06-01", "2026-07-31"), output("o", 40000, "2025-06-01", "2025-06-30", "2025-06-17")],
            "pending",
            "",
        ),
        ([target("2024-10-01", "2024-10-31")], "unknown", ""),
        # a figure for another subject never counts
        (
            [target("2024-10-01", "2024-10-31"), output("o", 1e6, "2024-10-01", "2024-10-31", "2024-11-01", "Russia")],
            "unknown",
            "",
        ),
        # a figure for another calibre cannot judge a single-calibre target
        (
            [
                target("2024-10-01", "2024-10-31", 30000),
                output("o", 40000, "2024-09-01", "2024-09-30", "2024-10-01", caliber="152mm"),
            ],
            "unknown",
            "",
        ),
        # a figure published before the target was set cannot judge it
        (
            [
                target("2024-10-01", "2024-10-31", stated="2024-06-01"),
                output("o", 40000, "2024-09-01", "2024-09-30", "2024-05-01"),
            ],
            "unknown",
            "",
        ),
    ],
)
def test_status(rows, status, checked):
    out = target_status(claims(*rows), AS_OF).iloc[0]
    assert out["status"] == status
    assert out["checked_against"] == checked


def test_a_pledged_total_is_judged_by_totals_reached_by_its_due_date():
    pledge = dict(claim_id="p", subject="European Union", speaker="EU", measure="target", value_low=1e6, value_high=1e6,
                  unit="shells", period_start="2023-03-20", period_end="2024-03-31", stated_on="2023-03-20", caliber="155mm")  # fmt: skip
    by_march = dict(claim_id="d1", subject="European Union", speaker="Borrell", measure="transfer", value_low=524000,
                    value_high=524000, unit="shells", period_start="2023-03-20", period_end="2024-03-31", stated_on="2024-01-31",
                    caliber="155mm")  # fmt: skip
    by_november = {
        **by_march,
        "claim_id": "d2",
        "value_low": 1e6,
        "value_high": 1e6,
        "period_end": "2024-11-18",
        "stated_on": "2024-11-18",
    }
    out = target_status(claims(pledge, by_march, by_november), AS_OF).iloc[0]
    assert out["status"] == "missed" and out["checked_against"] == "d1" and out["checked_value"] == 524000


def test_capacity_never_meets_an_output_target():
    capacity = {**output("c", 200000, "2025-10-01", "2025-10-31", "2025-11-01"), "measure": "capacity"}
    out = target_status(claims(target("2025-10-01", "2025-10-31"), capacity), AS_OF).iloc[0]
    assert out["status"] == "unknown"
