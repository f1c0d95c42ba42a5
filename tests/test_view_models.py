"""What each page shows, from tests/data/good and a view: the models carry the filtered rows, the figure, the
text alternative and tables capped for the browser (the CSV keeps every row)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data.load import Dataset, load_dataset
from dashboard.present import view_models
from dashboard.present.url_state import ViewState
from tests.conftest import GOOD

LINK = "https://example.org/output?subject=Russia"
TARGET = "us-army-2024-02-155mm-target-oct-2025"


@pytest.fixture(scope="module")
def good() -> Dataset:
    return load_dataset(GOOD).dataset


def figure_text(figure) -> str:
    """Title, subtitle and footer lines drawn inside the figure."""
    return " ".join([figure.layout.title.text or "", *(a.text or "" for a in figure.layout.annotations)])


# ---- capping ----------------------------------------------------------------------------------------------
def test_capped_keeps_a_short_table_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_models, "DISPLAY_LIMIT", 3)
    table = pd.DataFrame({"n": range(3)})
    shown, note = view_models.capped(table)
    assert shown is table and note == ""


def test_capped_cuts_a_long_table_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_models, "DISPLAY_LIMIT", 3)
    shown, note = view_models.capped(pd.DataFrame({"n": range(5)}))
    assert list(shown["n"]) == [0, 1, 2]
    assert note == "Showing the first 3 of 5 rows; the CSV download has them all."


def test_capped_counts_the_total_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_models, "DISPLAY_LIMIT", 3)
    shown, note = view_models.capped(pd.DataFrame({"n": range(3)}), total=12_000)
    assert len(shown) == 3 and "of 12,000 rows" in note


def test_a_chart_over_the_limit_keeps_every_row_for_the_csv(good: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_models, "DISPLAY_LIMIT", 4)
    model = view_models.claims(good, ViewState(), LINK)
    assert len(model.chart.rows) == len(good.claims) == model.count
    assert len(model.chart.table) == 4 and len(model.table) == 4
    assert f"first 4 of {len(good.claims)} rows" in model.chart.note


# ---- the pages --------------------------------------------------------------------------------------------
def test_chart_text_carries_version_date_and_link(good: Dataset) -> None:
    text = view_models.chart_text(good, "T", "S", LINK)
    assert (text.version, text.updated, text.permalink) == (good.version, good.updated, LINK)


def test_overview(good: Dataset) -> None:
    model = view_models.overview(good, ViewState(), LINK)
    assert set(model.chart.rows["measure"]) == {"ratio"}
    assert model.chart.summary.startswith("2 comparative claims")
    assert LINK in figure_text(model.chart.figure)
    assert len(model.key_figures) == 3
    assert len(model.check) == len(model.chart.rows)  # every headline claim is checked
    assert model.check_note == ""


def test_options_offer_only_values_present(good: Dataset) -> None:
    every = view_models.options(good)
    assert every["subject"] == sorted(good.claims["subject"].unique())
    assert "ratio" in every["measure"]
    shells = view_models.output_options(good)
    assert "ratio" not in shells["measure"] and "spending" not in shells["measure"]
    assert set(shells["measure"]) <= set(every["measure"])


def test_output_filters_rows_and_targets(good: Dataset) -> None:
    everything = view_models.output(good, ViewState(), LINK)
    assert set(everything.chart.rows["unit"]) <= {"shells", "shells_per_month", "shells_per_year"}
    assert TARGET in set(everything.targets["id"])

    russia = view_models.output(good, ViewState(subject=("Russia",)), LINK)
    assert set(russia.chart.rows["subject"]) == {"Russia"} and 0 < len(russia.chart.rows) < len(everything.chart.rows)
    assert russia.targets.empty  # the United States target is not in this view
    assert f"{len(russia.chart.rows)} figures" in figure_text(russia.chart.figure)


def test_output_subtitle_names_only_the_marks_the_view_draws(good: Dataset) -> None:
    words = {"band": "bands: a year's spread", "range": "vertical bars: ranges", "open": "arrows: open bounds"}
    for view in (ViewState(), *(ViewState(subject=(s,)) for s in good.claims["subject"].dropna().unique())):
        model = view_models.output(good, view, LINK)
        if model.chart.empty:
            continue
        subtitle = " ".join(figure_text(model.chart.figure).replace("<br>", " ").split())
        low, high = model.chart.rows["annual_low"], model.chart.rows["annual_high"]
        drawn = {
            "band": any(t.name == "yearly spread" for t in model.chart.figure.data),
            "range": bool((low.notna() & high.notna() & (low != high)).any()),
            "open": bool((low.isna() != high.isna()).any()),
        }
        for kind, said in words.items():
            assert (said in subtitle) == drawn[kind], (view.subject, kind, subtitle)


def test_output_scale(good: Dataset) -> None:
    assert view_models.output(good, ViewState(scale="log"), LINK).chart.figure.layout.yaxis.type == "log"
    assert view_models.output(good, ViewState(scale="linear"), LINK).chart.figure.layout.yaxis.type == "linear"


def test_target_verdicts_do_not_depend_on_the_view(good: Dataset) -> None:
    """Filters choose which targets to show, never the verdict: a target is judged against the whole dataset."""
    only_targets = view_models.output(good, ViewState(measure=("target",)), LINK)
    everything = view_models.output(good, ViewState(), LINK)
    verdict = only_targets.targets.set_index("id").at[TARGET, "status"]
    assert verdict == everything.targets.set_index("id").at[TARGET, "status"] == "missed"


def test_claims_newest_first_and_searchable(good: Dataset) -> None:
    model = view_models.claims(good, ViewState(), LINK)
    dates = list(model.chart.rows["stated_on"])
    assert dates == sorted(dates, reverse=True)
    found = view_models.claims(good, ViewState(q="Bucharest"), LINK)
    assert found.count == 1 and found.chart.summary == "1 statements match. Newest first."


def test_data_rows_filter_but_count_the_whole_dataset(good: Dataset) -> None:
    view = view_models.data_rows(good, ViewState(subject=("United States",)))
    assert view.total == len(good.claims)
    assert 0 < len(view.table) < view.total and set(view.table["subject"]) == {"United States"}
    assert view.shown.equals(view.table) and view.note == ""
