"""URL state: parse ↔ to_query round trip for valid states, and each fallback with its notice."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date

import pytest

from dashboard.analysis.filters import FILTERS, MAX_SEARCH_LENGTH, Choice, DateBound, ListFilter
from dashboard.data.schema import read_package
from dashboard.present.url_state import (
    DEFAULT,
    MAX_VALUE_LENGTH,
    ViewState,
    allowed_values,
    parse,
    reconcile,
    to_query,
)
from tests.conftest import GOOD

PACKAGE = read_package(GOOD)
ENUMS = allowed_values(PACKAGE)


def as_query(params: dict[str, str]) -> dict[str, list[str]]:
    """What Streamlit hands over: every key with the list of its values."""
    return {k: [v] for k, v in params.items()}


VALID_STATES = [
    DEFAULT,
    ViewState(subject=("Russia",)),
    ViewState(subject=("Russia", "NATO", "United States and Europe"), measure=("output", "capacity")),
    ViewState(caliber=("155mm", "152mm"), basis=("official_claim",), grade=("primary", "state_media"), side=("nato",)),
    ViewState(start=date(2022, 2, 24), end=date(2025, 11, 6)),
    ViewState(start=date(2024, 1, 1)),
    ViewState(end=date(2024, 12, 31)),
    ViewState(start=date(2025, 7, 5), end=date(2025, 7, 5)),
    ViewState(scale="linear"),
    ViewState(q="three months"),
    ViewState(q="<script>alert(1)</script> & ?x=1#frag, :red[x] $x$"),
    ViewState(q="x" * MAX_SEARCH_LENGTH),
    ViewState(subject=tuple(ENUMS["subject"]), measure=tuple(ENUMS["measure"]), scale="linear", q="Rutte"),
]


@pytest.mark.parametrize("state", VALID_STATES)
def test_round_trip(state: ViewState) -> None:
    query = to_query(state)
    assert all(isinstance(v, str) for v in query.values())
    assert parse(as_query(query), PACKAGE) == (state, [])


def test_default_state_writes_no_parameters() -> None:
    assert to_query(DEFAULT) == {}
    assert parse({}, PACKAGE) == (DEFAULT, [])


def test_only_non_default_values_are_written() -> None:
    assert to_query(ViewState(scale="linear", q="x")) == {"scale": "linear", "q": "x"}
    assert to_query(ViewState(start=date(2024, 1, 1))) == {"from": "2024-01-01"}


def test_keys_restrict_what_is_read_and_written() -> None:
    state = ViewState(subject=("Russia",), scale="linear")
    assert to_query(state, keys=["scale"]) == {"scale": "linear"}
    parsed, notices = parse(as_query({"subject": "Russia", "scale": "linear"}), PACKAGE, keys=["subject"])
    assert parsed == ViewState(subject=("Russia",)) and notices == []


def test_lists_are_deduplicated_and_trimmed() -> None:
    parsed, notices = parse(as_query({"subject": " Russia , NATO,Russia,,"}), PACKAGE)
    assert parsed.subject == ("Russia", "NATO") and notices == []


def test_scalar_and_plain_string_values_are_read() -> None:
    assert parse({"scale": "linear"}, PACKAGE) == (ViewState(scale="linear"), [])
    assert parse({"q": ["x"]}, PACKAGE) == (ViewState(q="x"), [])


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        pytest.param({"subject": ["Atlantis"]}, "The link names a subject this dataset does not know", id="unknown-enum"),
        pytest.param({"measure": [f"output,{HOSTILE}"]}, "The link names a measure this dataset does not know", id="one-unknown-in-list"),
        pytest.param({"caliber": ["155MM"]}, "The link names a caliber", id="enum-is-case-sensitive"),
        pytest.param({"scale": ["log", "linear"]}, "'scale' appeared more than once in the link", id="repeated-key"),
        pytest.param({"q": ["a", "b"]}, "'q' appeared more than once", id="repeated-q"),
        pytest.param({"subject": ["x" * (MAX_VALUE_LENGTH + 1)]}, "'subject' in the link is too long", id="value-too-long"),
        pytest.param({"q": ["x" * (MAX_SEARCH_LENGTH + 1)]}, "The search text in the link is too long; it was ignored.", id="search-too-long"),
        pytest.param({"q": ["x" * 10_000]}, "'q' in the link is too long", id="ten-thousand-chars"),
        pytest.param({"from": ["2025-02-30"]}, "'from' in the link is not a date (YYYY-MM-DD)", id="impossible-date"),
        pytest.param({"to": ["yesterday"]}, "'to' in the link is not a date (YYYY-MM-DD)", id="not-a-date"),
        pytest.param({"from": ["20240101"]}, "'from' in the link is not a date", id="compact-iso-date"),
        pytest.param({"from": ["2024-W01-1"]}, "'from' in the link is not a date", id="iso-week-date"),
        pytest.param({"scale": ["logarithmic"]}, "'scale' must be log or linear; using log.", id="unknown-scale"),
        pytest.param({"q": ["line\nbreak"]}, "'q' in the link contains control characters", id="control-in-q"),
        pytest.param({"subject": ["Russia\x00"]}, "'subject' in the link contains control characters", id="nul-in-list"),
        pytest.param({"scale": ["log\x1b[2J"]}, "'scale' in the link contains control characters", id="escape-sequence"),
    ],
)  # fmt: skip
def test_fallback_and_notice(query: dict[str, list[str]], notice: str) -> None:
    state, notices = parse(query, PACKAGE)
    assert state == DEFAULT
    assert len(notices) == 1 and notices[0].startswith(notice), notices
    assert HOSTILE not in notices[0] and "x" * 50 not in notices[0], "values from the URL are never echoed"


def test_reversed_date_range_falls_back_to_all_dates() -> None:
    state, notices = parse(as_query({"from": "2025-01-01", "to": "2024-01-01", "scale": "linear"}), PACKAGE)
    assert state == ViewState(scale="linear")
    assert notices == ["The link's date range ends before it starts; showing all dates."]


def test_one_bad_value_keeps_the_good_ones() -> None:
    state, notices = parse(as_query({"subject": "Russia", "scale": "bogus", "q": "Rutte"}), PACKAGE)
    assert state == ViewState(subject=("Russia",), q="Rutte")
    assert len(notices) == 1


def test_unknown_keys_are_ignored_silently() -> None:
    query = {"utm_source": ["x"], "fbclid": ["y"], "page": ["2"], "start": ["2024-01-01"], "": [""], HOSTILE: [HOSTILE]}
    assert parse(query, PACKAGE) == (DEFAULT, [])


def test_empty_values_mean_the_default() -> None:
    assert parse({"subject": [""], "from": [""], "q": [""], "measure": []}, PACKAGE) == (DEFAULT, [])
    state, notices = parse({"scale": [""]}, PACKAGE)
    assert state == DEFAULT and len(notices) == 1


def test_non_string_values_and_keys_do_not_break_parsing() -> None:
    assert parse({"q": [123]}, PACKAGE) == (ViewState(q="123"), [])
    assert parse({"scale": None}, PACKAGE)[0] == DEFAULT
    assert parse({1: ["x"], None: ["y"]}, PACKAGE) == (DEFAULT, [])


def test_hostile_mapping_gives_the_default_view() -> None:
    class Broken(dict):
        def items(self):
            raise RuntimeError("boom")

    state, notices = parse(Broken(), PACKAGE)
    assert state == DEFAULT and notices == ["The link's parameters could not be read; showing the default view."]


def test_unreadable_value_falls_back() -> None:
    class Unreadable:
        def __iter__(self):
            raise RuntimeError("boom")

    state, notices = parse({"q": Unreadable(), "scale": ["linear"]}, PACKAGE)
    assert state == ViewState(scale="linear")
    assert notices == ["'q' in the link could not be read; using its default."]


def sample_value(f):
    """A value other than the default, of the filter's own type."""
    if isinstance(f, ListFilter):
        return (ENUMS[f.name][-1],) if f.name in ENUMS else ("any value",)
    if isinstance(f, DateBound):
        return date(2024, 2, 29)
    if isinstance(f, Choice):
        return f.choices[-1]
    return "three months"


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: f.name)
def test_every_filter_row_round_trips_through_the_url(f) -> None:
    state = replace(DEFAULT, **{f.name: sample_value(f)})
    query = to_query(state)
    assert list(query) == [f.url_key]
    assert parse(as_query(query), PACKAGE) == (state, [])


def test_a_list_filter_without_an_enum_takes_any_value(tmp_path) -> None:
    folder = tmp_path / "dataset"
    shutil.copytree(GOOD, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for field in descriptor["resources"][0]["schema"]["fields"]:
        if field["name"] == "subject":
            field.get("constraints", {}).pop("enum", None)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    state, notices = parse(as_query({"subject": "Atlantis,Russia"}), read_package(folder))
    assert state == ViewState(subject=("Atlantis", "Russia")) and notices == []


def test_a_value_the_dataset_lacks_is_kept_with_a_notice() -> None:
    state, notices = parse(as_query({"grade": "primary", "subject": "Russia"}), PACKAGE)
    assert state == ViewState(grade=("primary",), subject=("Russia",)) and notices == []
    offered = {"grade": ["relay", "secondary"], "subject": ["Russia"]}
    kept, options, notices = reconcile(state, offered)
    assert kept == state and options["grade"] == ["relay", "secondary", "primary"]
    assert notices == [
        "No row of this dataset has the grade your link names; the filter is kept as the link set it, so the view "
        "may be empty. Clear it to see everything."
    ]
    assert reconcile(ViewState(subject=("Russia",)), offered)[2] == []


def test_a_single_pick_the_dataset_lacks_falls_back_to_the_first_with_a_notice() -> None:
    state, notices = parse(as_query({"line": "no-such-line"}), PACKAGE)
    assert state == ViewState(line="no-such-line") and notices == []
    kept, options, notices = reconcile(state, {"line": ["rutte-three-months"]})
    assert kept == DEFAULT and options["line"] == ["rutte-three-months"]
    assert notices == ["This dataset has no line of that name; showing the page's default instead."]
