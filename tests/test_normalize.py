"""Annualisation, period lengths, bound kinds and ratio wording."""

import pandas as pd
import pytest

from dashboard.data import normalize


def frame(**cols):
    return pd.DataFrame(cols)


@pytest.mark.parametrize(
    ("value", "unit", "start", "end", "expected", "how"),
    [
        (40000, "shells_per_month", "2025-06-01", "2025-06-30", 480000, "per month × 12"),
        (2_000_000, "shells_per_year", "2023-01-01", "2023-12-31", 2_000_000, "as stated (per year)"),
        # a total over three months is a quarter of a year's worth
        (1_000_000, "shells", "2023-09-01", "2023-11-30", 1_000_000 / (91 / 365.25), "total ÷ 0.25 years"),
        # a total over a whole year annualises to itself (to within the 365.25-day year)
        (1_000_000, "shells", "2023-03-20", "2024-03-19", 1_000_000 / (366 / 365.25), "total ÷ 1.0 years"),
        (4, "ratio", "2025-07-01", "2025-07-31", None, ""),
        (6.3, "pct_gdp", "2025-01-01", "2025-12-31", None, ""),
    ],
)
def test_annualise(value, unit, start, end, expected, how):
    start, end = pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([end]))
    years = normalize.period_years(start, end)
    got = normalize.annualise(pd.Series([value]), pd.Series([unit]), years).iloc[0]
    if expected is None:
        assert pd.isna(got)
    else:
        assert got == pytest.approx(expected, rel=1e-9)
    assert normalize.annualised_how(pd.Series([unit]), years).iloc[0] == how


def test_period_years_counts_both_end_days():
    years = normalize.period_years(pd.Series(pd.to_datetime(["2024-01-01"])), pd.Series(pd.to_datetime(["2024-12-31"])))
    assert years.iloc[0] == pytest.approx(366 / 365.25)


@pytest.mark.parametrize(
    ("low", "high", "kind", "words"),
    [
        (4, 4, "point", "4×"),
        (4, 12, "range", "4× to 12×"),
        (1, None, "at least", "more than 1×"),
        (None, 1, "at most", "at most 1×"),
        (None, None, "no figure", "no figure given"),
    ],
)
def test_bounds_and_ratio_words(low, high, kind, words):
    lows, highs = pd.Series([low], dtype="float64"), pd.Series([high], dtype="float64")
    assert normalize.bound_kind(lows, highs).iloc[0] == kind
    assert normalize.ratio_reading(pd.Series({"value_low": lows.iloc[0], "value_high": highs.iloc[0]})) == words


def test_ratio_readings_word_every_row_as_ratio_reading_does():
    rows = pd.DataFrame(
        {"value_low": [4, 4, 1, None, None, 4, 0.25], "value_high": [4, 12, None, 1, None, 12, 0.5]},
        index=[10, 11, 12, 13, 14, 15, 16],
        dtype="float64",
    )
    pd.testing.assert_series_equal(
        normalize.ratio_readings(rows["value_low"], rows["value_high"]), rows.apply(normalize.ratio_reading, axis=1)
    )


def test_open_bounds_stay_open_after_annualising():
    claims = frame(
        value_low=[None],
        value_high=[24000.0],
        unit=["shells_per_month"],
        period_start=pd.to_datetime(["2023-09-01"]),
        period_end=pd.to_datetime(["2023-09-30"]),
        stated_on=pd.to_datetime(["2023-09-15"]),
    )
    out = normalize.add_derived_columns(claims)
    assert pd.isna(out["annual_low"].iloc[0])
    assert out["annual_high"].iloc[0] == 288000
    assert out["bound"].iloc[0] == "at most"
    assert out["period_mid"].iloc[0] == pd.Timestamp("2023-09-15 12:00")


@pytest.mark.parametrize(
    ("low", "high", "unit", "words"),
    [
        (13.5e12, 13.5e12, "rub", "13.5 trillion roubles"),
        (40000, 40000, "shells_per_month", "40,000 shells a month"),
        (1.3e6, 1.4e6, "shells_per_year", "1.3 million–1.4 million shells a year"),
        (None, 1, "ratio", "at most 1×"),
        (16, 20, "ratio", "16× to 20×"),
        (22, 22, "multiplier", "22 times"),
        (17, None, "multiplier", "more than 17 times"),
        (6.3, 6.3, "pct_gdp", "6.3% of GDP"),
        (6e6, None, "shells", "more than 6 million shells"),
        (None, None, "ratio", "no figure"),
    ],
)
def test_value_words(low, high, unit, words):
    row = pd.Series({"value_low": low, "value_high": high, "unit": unit}, dtype=object)
    row["value_low"], row["value_high"] = pd.to_numeric(pd.Series([low, high], dtype="float64"))
    assert normalize.value_words(row) == words
