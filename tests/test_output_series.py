"""The Output chart's model: output joined in time per subject; ranges, open bounds and other measures kept apart."""

import math

import pytest

from dashboard.analysis import output_series
from tests.conftest import claims_frame


def row(claim_id, subject, measure, start, end, low, high, unit="shells_per_year", caliber="artillery"):
    return dict(claim_id=claim_id, subject=subject, measure=measure, period_start=start, period_end=end,
                stated_on=end, value_low=low, value_high=high, unit=unit, caliber=caliber)  # fmt: skip


@pytest.fixture
def rows():
    return claims_frame(
        row("r-2024", "Russia", "output", "2024-01-01", "2024-12-31", 3e6, 4.5e6),  # a range
        row("r-2022", "Russia", "output", "2022-01-01", "2022-12-31", 4e5, 4e5),
        row("r-2023", "Russia", "output", "2023-01-01", "2023-12-31", 2e6, 2e6),
        row("r-more", "Russia", "output", "2023-06-01", "2023-06-30", 1e5, None, unit="shells_per_month"),  # open
        row("r-152", "Russia", "output", "2024-07-01", "2024-07-31", 2e6, 2e6, caliber="152mm"),  # one calibre only
        row("r-cap", "Russia", "capacity", "2025-01-01", "2025-12-31", 5e6, 5e6),
        row("us-t", "United States", "target", "2025-10-01", "2025-10-31", 1e5, 1e5, unit="shells_per_month"),
        row("us-o", "United States", "output", "2024-10-01", "2024-10-31", 4e4, 4e4, unit="shells_per_month"),
        row("r-ratio", "Russia", "ratio", "2025-01-01", "2025-12-31", 4, 4, unit="ratio"),
    )


def test_one_series_per_subject_and_charted_measure_output_first(rows):
    series = output_series.series(rows, ["United States", "Russia"])
    assert [(s.subject, s.measure) for s in series] == [
        ("United States", "output"), ("United States", "target"), ("Russia", "output"), ("Russia", "capacity")
    ]  # fmt: skip
    assert [s.joined for s in series] == [True, False, True, False]


def test_other_measures_and_subjects_are_never_drawn(rows):
    drawn = output_series.figures(rows)
    assert "r-ratio" not in set(drawn["claim_id"])
    assert output_series.series(rows, ["Iran"]) == []


def test_output_is_spread_per_year_over_closed_figures_of_the_whole_total(rows):
    russia = output_series.series(rows, ["Russia"])[0]
    spread = russia.year_spread
    # 2022, 2023, 2024; the open bound and the 152 mm figure are left out, and no line joins the years
    assert [year for year, *_ in spread] == [2022, 2023, 2024]
    assert spread[0][1:3] == (4e5, 4e5) and spread[1][1:3] == (2e6, 2e6)
    assert spread[2][1:3] == (3e6, 4.5e6), "a range spreads the year from its low to its high end"


def test_ranges_and_open_bounds_keep_their_values(rows):
    russia = output_series.series(rows, ["Russia"])[0].rows.set_index("claim_id")
    assert (russia.loc["r-2024", "annual_low"], russia.loc["r-2024", "annual_high"]) == (3e6, 4.5e6)
    assert russia.loc["r-more", "bound"] == "at least" and math.isnan(russia.loc["r-more", "annual_high"])
    assert russia.loc["r-more", "annual_low"] == 12 * 1e5  # a monthly figure, annualised


def test_time_span_covers_the_periods_drawn(rows):
    start, end = output_series.time_span(output_series.series(rows, ["Russia", "United States"]))
    assert str(start.date()) == "2022-01-01" and str(end.date()) == "2025-12-31"
    assert output_series.time_span(output_series.series(rows[rows["measure"] == "ratio"], ["Russia"])) is None
