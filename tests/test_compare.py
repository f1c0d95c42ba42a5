"""The claim check: estimate-implied ratios, which rows count, and honest 'no estimate' answers."""

import pandas as pd
import pytest

from dashboard.analysis import claim_check
from dashboard.data.load import load_dataset
from tests.conftest import GOOD, claims_frame


def row(claim_id, subject, measure, low, high, unit, start, end, stated, basis="independent_estimate", **extra):
    base = {
        "claim_id": claim_id, "subject": subject, "measure": measure, "value_low": low, "value_high": high, "unit": unit,
        "period_start": start, "period_end": end, "stated_on": stated, "basis": basis, "caliber": "artillery",
        "speaker": "x", "speaker_side": "independent", "comparator": None, "label": "",
    }  # fmt: skip
    base.update(extra)
    return base


claims = claims_frame


RUSSIA_2024 = row("ru", "Russia", "output", 3e6, 4.5e6, "shells_per_year", "2024-01-01", "2024-12-31", "2024-05-01")
ALLIES_2024 = row(
    "us-eu",
    "United States and Europe",
    "output",
    1.3e6,
    1.3e6,
    "shells_per_year",
    "2024-01-01",
    "2024-12-31",
    "2024-05-01",
)
CLAIM_2025 = row(
    "claim",
    "Russia",
    "ratio",
    4,
    4,
    "ratio",
    "2025-01-01",
    "2025-01-31",
    "2025-01-23",
    basis="official_claim",
    comparator="NATO",
    speaker_side="nato",
)


def test_implied_ratio_is_lowest_over_highest_to_highest_over_lowest():
    out = claim_check.claim_vs_estimates(claims(RUSSIA_2024, ALLIES_2024, CLAIM_2025)).iloc[0]
    assert out["estimate_year"] == 2024
    assert out["implied_low"] == pytest.approx(3e6 / 1.3e6)
    assert out["implied_high"] == pytest.approx(4.5e6 / 1.3e6)
    assert out["status"] == "claim is higher than the estimates"
    assert set(out["rows_used"].split(", ")) == {"ru", "us-eu"}


def test_only_estimates_published_by_the_claim_date_count():
    late = {**ALLIES_2024, "stated_on": "2025-06-01"}
    out = claim_check.claim_vs_estimates(claims(RUSSIA_2024, late, CLAIM_2025)).iloc[0]
    assert out["status"] == claim_check.NO_ESTIMATE
    assert pd.isna(out["implied_low"])


def test_us_plus_europe_when_no_combined_figure():
    us = row(
        "us", "United States", "output", 40000, 40000, "shells_per_month", "2024-09-01", "2024-09-30", "2024-10-01"
    )
    eu = row("eu", "Europe", "output", 500000, 700000, "shells_per_year", "2024-01-01", "2024-12-31", "2024-10-01")
    found = claim_check.year_estimate(claim_check.output_estimates(claims(RUSSIA_2024, us, eu)), 2024, "allies")
    assert found.allied_low == 480000 + 500000
    assert found.allied_high == 480000 + 700000


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"measure": "capacity"}, "capacity is not output"),
        ({"value_low": None}, "an open bound cannot anchor a ratio"),
        (
            {"speaker_side": "russia", "basis": "official_claim"},
            "a Russian claim about allied output is not an estimate",
        ),
    ],
)
def test_rows_that_never_enter_the_allied_side(change, reason):
    allies = {**ALLIES_2024, **change}
    out = claim_check.claim_vs_estimates(claims(RUSSIA_2024, allies, CLAIM_2025)).iloc[0]
    assert out["status"] == claim_check.NO_ESTIMATE, reason


def test_single_calibre_russian_figures_are_left_out():
    partial = {**RUSSIA_2024, "caliber": "152mm"}
    out = claim_check.claim_vs_estimates(claims(partial, ALLIES_2024, CLAIM_2025)).iloc[0]
    assert out["status"] == claim_check.NO_ESTIMATE


def test_unknown_comparator_is_not_compared():
    claim = {**CLAIM_2025, "comparator": "Western supply to Ukraine"}
    out = claim_check.claim_vs_estimates(claims(RUSSIA_2024, ALLIES_2024, claim)).iloc[0]
    assert out["status"] == claim_check.NOT_COMPARABLE


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (4, 12, "claim is higher than the estimates"),
        (None, 1, "claim is lower than the estimates"),
        (1, None, "claim overlaps the estimates"),
        (3, 3, "claim overlaps the estimates"),
        (None, None, "claim gives no figure"),
    ],
)
def test_agreement(low, high, expected):
    nan = float("nan")
    assert (
        claim_check.agreement(low if low is not None else nan, high if high is not None else nan, 2.3, 3.5) == expected
    )


def test_headline_claims_are_checked_against_2024_estimates():
    """On the fixture's real-world rows: Bain's 2024 estimates (Russia 4.5M, US and Europe 1.3M a year)."""
    data = load_dataset(GOOD).dataset
    out = claim_check.claim_vs_estimates(data.claims).set_index("claim_id")
    nyt = out.loc["rutte-2025-07-nyt-three-times"]
    assert nyt["estimate_year"] == 2024
    # Bain's 2024 figures only: Russia 4.5 million ÷ US and Europe 1.3 million, the low end from the other rows
    assert 2 < nyt["implied_low"] < nyt["implied_high"] < 4
    assert "bain-2024-05-us-europe-artillery-output" in nyt["rows_used"]
    assert out.loc["rutte-2025-11-bucharest-not-anymore", "status"] == "claim is lower than the estimates"
    headline = claim_check.headline_claims(data.claims)
    assert {"rutte-2025-07-nyt-three-times", "rutte-2025-11-bucharest-not-anymore"} <= set(headline["claim_id"])
    assert not (headline["comparator"] == "European Union").any()


def test_the_estimates_used_are_named_by_outlet_and_date_not_id():
    russia = {**RUSSIA_2024, "publisher": "Sky News", "original_publisher": ""}
    allies = {**ALLIES_2024, "publisher": "Aggregator", "original_publisher": "The Times"}
    out = claim_check.claim_vs_estimates(claims(russia, allies, CLAIM_2025)).iloc[0]
    assert out["sources_used"] == "Sky News, 1 May 2024; The Times, 1 May 2024"
    assert "ru" not in out["sources_used"].split() and "us-eu" not in out["sources_used"]


def test_one_set_of_timelines_serves_the_check_and_the_year_bands():
    data = load_dataset().dataset
    shared = claim_check.Timelines(data.claims)
    assert claim_check.claim_vs_estimates(data.claims, shared).equals(claim_check.claim_vs_estimates(data.claims))
    assert claim_check.estimate_years(data.claims, timelines=shared) == claim_check.estimate_years(data.claims)
    years = claim_check.estimate_years(data.claims, timelines=shared)
    assert years and all(e.sources and e.source_count >= len(e.sources) for e in years)
