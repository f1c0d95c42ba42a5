"""Filters from a view state, and plain-text (never regex) search."""

from datetime import date

import pytest

from dashboard.analysis import filters
from dashboard.data.load import load_dataset
from dashboard.present.url_state import ViewState
from tests.conftest import GOOD


@pytest.fixture(scope="module")
def claims():
    return load_dataset(GOOD).dataset.claims


def test_empty_view_keeps_everything(claims):
    assert len(filters.apply(claims, ViewState())) == len(claims)


@pytest.mark.parametrize(
    ("view", "column", "allowed"),
    [
        (ViewState(subject=("Russia",)), "subject", {"Russia"}),
        (ViewState(measure=("target", "capacity")), "measure", {"target", "capacity"}),
        (ViewState(grade=("relay", "state_media")), "grade", {"relay", "state_media"}),
        (ViewState(side=("nato",)), "speaker_side", {"nato"}),
        (ViewState(caliber=("155mm",)), "caliber", {"155mm"}),
    ],
)
def test_list_filters(claims, view, column, allowed):
    rows = filters.apply(claims, view)
    assert 0 < len(rows) < len(claims)
    assert set(rows[column]) <= allowed


def test_date_range_is_inclusive(claims):
    rows = filters.apply(claims, ViewState(start=date(2025, 7, 5), end=date(2025, 7, 5)))
    assert "rutte-2025-07-nyt-three-times" in set(rows["claim_id"])
    assert (rows["stated_on"].dt.date == date(2025, 7, 5)).all()


def test_search_is_plain_text_and_case_insensitive(claims):
    assert "rutte-2025-11-bucharest-not-anymore" in set(
        filters.apply(claims, ViewState(q="BUT NOT ANYMORE"))["claim_id"]
    )
    # regex metacharacters are just characters: nothing matches, nothing raises
    assert filters.apply(claims, ViewState(q="(.*")).empty


def test_fields_limit_which_filters_apply(claims):
    view = ViewState(subject=("Russia",), q="Rutte")
    russia = (claims["subject"] == "Russia").sum()
    assert 0 < len(filters.apply(claims, view)) < russia  # both filters narrow
    assert len(filters.apply(claims, view, fields=("subject",))) == russia  # the search is left out


def test_every_filter_row_is_complete_and_names_a_real_column_and_enum():
    from dashboard.analysis.filters import FILTERS, Choice, ListFilter, Search
    from dashboard.data.schema import reference_package

    package, claims = reference_package(), load_dataset(GOOD).dataset.claims
    assert len({f.url_key for f in FILTERS}) == len(FILTERS) == len({f.name for f in FILTERS})
    for f in FILTERS:
        assert f.label, f.name
        if not isinstance(f, Choice | Search):
            assert f.column in claims.columns, f.name
        if isinstance(f, ListFilter) and f.enum:
            assert package.resources[f.enum[0]].field(f.enum[1]).enum, f.name


def test_a_choice_changes_no_rows(claims):
    assert len(filters.apply(claims, ViewState(scale="linear"))) == len(claims)


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("subject", ["Russia", "NATO"], ("Russia", "NATO")),  # a multiselect gives a list; the state keeps a tuple
        ("subject", None, ()),
        ("start", date(2024, 1, 1), date(2024, 1, 1)),
        ("end", "2024-01-01", None),  # only a date is a date
        ("q", "Rutte", "Rutte"),
        ("q", None, ""),
        ("scale", "linear", "linear"),
        ("scale", "cubic", "log"),  # a value outside the choices is the default
    ],
)
def test_each_kind_reads_its_widget_value_as_its_type(name, raw, expected):
    assert filters.BY_NAME[name].from_widget(raw) == expected
