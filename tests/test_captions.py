"""Words and tables that go with the charts, on tests/data/good: each sentence says what the chart shows (and
says so plainly when nothing matches), each table has readable headers and dates as dates."""

from __future__ import annotations

import datetime
import re

import pandas as pd
import pytest

from dashboard.analysis import claim_check, targets
from dashboard.data.load import Dataset, load_dataset
from dashboard.present import captions
from tests.conftest import GOOD, claims_frame

RUTTE_JUL = "rutte-2025-07-nyt-three-times"
RUTTE_NOV = "rutte-2025-11-bucharest-not-anymore"


@pytest.fixture(scope="module")
def good() -> Dataset:
    return load_dataset(GOOD).dataset


@pytest.fixture(scope="module")
def headline(good: Dataset) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    ratio_claims = claim_check.headline_claims(good.claims)
    comparisons = claim_check.claim_vs_estimates(good.claims)
    comparisons = comparisons[comparisons["claim_id"].isin(ratio_claims["claim_id"])]
    return ratio_claims, comparisons, claim_check.estimate_years(good.claims)


def shell_row(claim_id: str, subject: str, low: float, high: float, end: str, **extra) -> dict:
    return {
        "claim_id": claim_id, "subject": subject, "measure": "output", "value_low": low, "value_high": high,
        "unit": "shells_per_year", "period_start": "2024-01-01", "period_end": end, "stated_on": end,
        "caliber": "artillery", "speaker": "x", **extra,
    }  # fmt: skip


# ---- display tables ---------------------------------------------------------------------------------------
def test_display_table_renames_and_shows_dates_as_dates(good: Dataset) -> None:
    table = captions.display_table(good.claims)
    assert {"id", "date", "per year (low)", "link"} <= set(table.columns)
    assert "claim_id" not in table.columns and "stated_on" not in table.columns
    assert all(isinstance(d, datetime.date) for d in table["date"])
    assert list(table.index) == list(range(len(good.claims)))


def test_display_table_takes_only_the_columns_asked_for_that_exist(good: Dataset) -> None:
    table = captions.display_table(good.claims, ["speaker", "no_such_column", "claim_id"])
    assert list(table.columns) == ["speaker", "id"]


def test_data_table_keeps_every_declared_claims_column(good: Dataset) -> None:
    """The Data page and its CSV: every curated column, the normalised ones and the source's, dates as dates."""
    table = captions.data_table(good.claims, good.package)
    assert set(good.package.claims.field_names) <= set(table.columns)
    assert {"annual_low", "annual_high", "publisher", "url", "grade"} <= set(table.columns)
    assert all(isinstance(d, datetime.date) for d in table["stated_on"])
    assert len(table) == len(good.claims)


def test_claims_table_names_the_original_outlet_when_there_is_one(good: Dataset) -> None:
    table = captions.claims_table(good.claims).set_index("id")
    assert table.at[RUTTE_JUL, "outlet"] == "The New York Times, via TASS"  # the original, and the page read
    assert table.at[RUTTE_NOV, "outlet"] == "Kyiv Independent"  # no original publisher: the publisher itself
    assert table.at["cnn-nato-intel-2024-03-russia-250k-month", "figure"] == "output: 250,000 shells a month"
    assert table.at["defense-one-2023-09-us-155mm-output", "figure"] == "output: at most 24,000 shells a month"


# ---- sentences ------------------------------------------------------------------------------------------------
def test_ratio_summary_names_the_span_the_speakers_and_the_estimates(headline) -> None:
    ratio_claims, comparisons, _ = headline
    summary = captions.ratio_summary(ratio_claims, comparisons)
    assert summary.startswith("2 comparative claims from July 2025 to November 2025")
    assert "The earliest, by Mark Rutte, said Russia's output was 12× the comparator's" in summary
    assert "the latest, by Mark Rutte on 6 November 2025, at most 1×" in summary
    assert "imply 2.3× to 3.5× for 2024" in summary and RUTTE_NOV not in summary  # sentences carry no ids


def test_ratio_summary_without_a_compared_claim_says_nothing_about_estimates(headline) -> None:
    ratio_claims, comparisons, _ = headline
    uncompared = comparisons.assign(implied_low=float("nan"))
    assert "estimates" not in captions.ratio_summary(ratio_claims, uncompared)


def test_ratio_summary_of_nothing(headline) -> None:
    ratio_claims, comparisons, _ = headline
    assert captions.ratio_summary(ratio_claims.head(0), comparisons) == "No comparative claims match this view."


def test_output_summary_gives_each_subjects_latest_figure() -> None:
    rows = claims_frame(
        shell_row("a", "Russia", 3e6, 3e6, "2023-12-31"),
        shell_row("b", "Russia", 4.5e6, 4.5e6, "2024-12-31"),  # later period: this one is the latest
        shell_row("c", "Europe", 288_000, 288_000, "2024-12-31"),
    )
    summary = captions.output_summary(rows)
    assert summary == (
        "3 figures, annualised to shells per year. Latest output figure: Europe 288,000 a year (2024, x); "
        "Russia 4.5 million a year (2024, x)."
    )


def test_output_summary_puts_output_first_and_names_a_target_as_a_target() -> None:
    rows = claims_frame(
        shell_row("t", "United States", 1.2e6, 1.2e6, "2026-12-31", measure="target"),
        shell_row("o", "United States", 480_000, 480_000, "2025-12-31"),
    )
    summary = captions.output_summary(rows)
    assert summary == (
        "2 figures, annualised to shells per year. Latest output figure: United States 480,000 a year (2025, x). "
        "Also shown, and never added to output: 1 target."
    )


def test_output_summary_uses_the_open_bound_when_only_one_is_given() -> None:
    rows = claims_frame(shell_row("a", "Russia", float("nan"), 2e6, "2024-12-31"))
    assert "Latest output figure: Russia 2.0 million a year" in captions.output_summary(rows)
    assert captions.output_summary(rows).startswith("1 figure,")


def test_output_summary_of_nothing(good: Dataset) -> None:
    ratios_only = good.claims[good.claims["measure"] == "ratio"]  # no annual figure in shells
    assert captions.output_summary(ratios_only) == "No figures in shells match this view."


# ---- key figures and the claim check --------------------------------------------------------------------------
def test_key_figures_are_the_two_latest_labelled_claims_and_the_latest_estimate(headline) -> None:
    ratio_claims, _, estimates = headline
    figures = captions.key_figures(ratio_claims, estimates)
    assert [label for label, _, _, _ in figures] == [
        "Mark Rutte, 05 Jul 2025",
        "Mark Rutte, 06 Nov 2025",
        "Implied by output estimates for 2024",
    ]
    assert [value for _, value, _, _ in figures] == ["12×", "at most 1×", "2.3× to 3.5×"]
    assert figures[0][3] == "12× as worded; 4× in his other statements"  # both readings on the card
    assert "Sky News, 26 May 2024" in figures[2][2]  # the sources behind the estimate, by outlet and date


def test_key_figures_leave_out_unlabelled_claims_and_missing_estimates(headline) -> None:
    ratio_claims, _, _ = headline
    unlabelled = ratio_claims.assign(label="")
    assert captions.key_figures(unlabelled, []) == []
    assert len(captions.key_figures(ratio_claims, [])) == 2


def test_comparison_table(headline) -> None:
    _, comparisons, _ = headline
    table = captions.comparison_table(comparisons).set_index(comparisons["claim_id"])  # ids stay off the table
    assert table.at[RUTTE_JUL, "claimed"] == "12×"
    assert table.at[RUTTE_JUL, "implied by estimates"] == "2.3× to 3.5×"
    assert table.at[RUTTE_NOV, "check"] == "claim is lower than the estimates"


def test_comparison_table_without_estimates_shows_the_reason(headline) -> None:
    _, comparisons, _ = headline
    none = comparisons.assign(
        implied_low=float("nan"), implied_high=float("nan"), estimate_year=pd.NA, status=claim_check.NO_ESTIMATE
    )
    table = captions.comparison_table(none)
    assert set(table["implied by estimates"]) == {claim_check.NO_ESTIMATE}
    assert set(table["estimates for"]) == {"—"}


def test_target_table(good: Dataset) -> None:
    status = targets.target_status(good.claims, as_of=good.claims["stated_on"].max())
    table = captions.target_table(status).set_index("id")
    row = table.loc["us-army-2024-02-155mm-target-oct-2025"]
    assert (row["target (per year, or total)"], row["status"], row["that figure"]) == ("1,200,000", "missed", "480,000")
    assert row["due"] == datetime.date(2025, 10, 31)
    unchecked = status.assign(checked_value=float("nan"))
    assert set(captions.target_table(unchecked)["that figure"]) == {""}  # nothing to compare with: empty, not "nan"


# ---- for readers: no ids, no nested brackets, blank cells (from the polish pass) ----
def nested_parentheses(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 1:
            return True
    return False


def fixture_claims():
    claims = load_dataset(GOOD).dataset.claims
    return claims, claim_check.headline_claims(claims), claim_check.claim_vs_estimates(claims)


def test_summary_and_key_figure_carry_no_ids_and_no_nested_parentheses():
    claims, ratio_claims, comparisons = fixture_claims()
    ids = set(claims["claim_id"])
    summary = captions.ratio_summary(ratio_claims, comparisons)
    estimate_help = captions.key_figures(ratio_claims, claim_check.estimate_years(claims))[-1][2]
    for text in (summary, estimate_help):
        assert not any(i in text for i in ids), text
        assert not nested_parentheses(text), text
    assert "6 November 2025" in summary and "2.3× to 3.5× for 2024" in summary
    assert "Sources: " in estimate_help and re.search(r"\w, \d{1,2} \w{3} 20\d\d", estimate_help)


def test_claim_check_table_names_sources_and_hides_ids():
    claims, _, comparisons = fixture_claims()
    table = captions.comparison_table(comparisons)
    assert "id" not in table.columns and "rows used" not in table.columns
    ids = set(claims["claim_id"])
    for column in table.columns:
        assert not table[column].astype(str).isin(ids).any(), column
    assert not table["estimates used"].str.contains("|".join(map(re.escape, ids))).any()
    assert table["source"].str.startswith("https://").all()
    assert "Mark Rutte" in set(table["speaker"])  # full names, not cut


def test_changelog_splits_into_its_newest_summary_and_the_rest():
    text = (
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [1.1.0] - 2026-11-29\n\n### Summary\n- Big change.\n\n"
        "### Corrections\n- `x`: a → b\n\n## [1.0.0] - 2026-11-25\n\n### Added\n- First.\n"
    )
    intro, newest, rest = captions.changelog_parts(text)
    assert intro == "Intro."
    assert newest.startswith("#### [1.1.0] - 2026-11-29") and "##### Summary" in newest and "Corrections" not in newest
    assert "[Unreleased]" not in newest + rest, "an empty section is left out"
    assert "##### Corrections" in rest and "#### [1.0.0]" in rest


def test_changelog_markdown_keeps_links_and_lists_but_not_directives():
    text = "- Fixed [semver](https://semver.org) :red[red] :material/home: $x^2$ 10:30 a:b"
    out = captions.inert_markdown(text)
    assert out.startswith("- Fixed [semver](https://semver.org) ")
    assert r"\:red[red]" in out and r"\:material/home:" in out and r"\$x^2\$" in out
    assert "10:30 a:b" in out


def test_output_by_year_gives_each_sides_newest_figure_for_each_year_and_no_single_calibre() -> None:
    rows = claims_frame(
        shell_row("old", "Russia", 2e6, 2e6, "2024-12-31", stated_on="2024-06-01", url="https://a.example/"),
        shell_row("new", "Russia", 4.5e6, 4.5e6, "2024-12-31", stated_on="2025-07-16", url="https://b.example/"),
        shell_row(
            "152", "Russia", 2e6, 2e6, "2024-12-31", stated_on="2025-08-01", caliber="152mm", url="https://c.example/"
        ),
        shell_row("us", "United States", 480_000, 480_000, "2024-12-31", url="https://d.example/"),
    )
    table = captions.output_by_year(rows)
    assert table["output of"].tolist() == ["Russia", "United States"], "Russia first; one row per side and year"
    assert table.loc[0, "output a year"] == "4.5 million a year" and table.loc[0, "source"] == "https://b.example/"
    assert table["year"].tolist() == ["2024", "2024"]
