"""Pure chart functions: text inside the figure, honest marks, inert hostile text."""

import pandas as pd
import pytest

from dashboard.analysis import claim_check
from dashboard.data.load import load_dataset
from dashboard.present import charts
from tests.conftest import GOOD

TEXT = charts.ChartText(
    "A title", "A subtitle", "Shell Count sources", "9.9.9", "https://example.org/?subject=Russia", "2026-11-25"
)


@pytest.fixture(scope="module")
def claims():
    return load_dataset(GOOD).dataset.claims


def all_text(fig) -> str:
    parts = [fig.layout.title.text or ""] + [a.text or "" for a in fig.layout.annotations]
    return "\n".join(parts)


def test_figure_carries_title_source_version_and_permalink(claims):
    fig = charts.ratio_timeline_figure(claim_check.headline_claims(claims), claim_check.estimate_years(claims), TEXT)
    text = all_text(fig)
    for expected in (
        "A title",
        "A subtitle",
        "Source: Shell Count sources",
        "v9.9.9",
        "updated 2026-11-25",
        "https://example.org/?subject=Russia",
    ):
        assert expected in text


def test_headline_chart_is_log_with_parity_and_labels(claims):
    fig = charts.ratio_timeline_figure(claim_check.headline_claims(claims), claim_check.estimate_years(claims), TEXT)
    assert fig.layout.yaxis.type == "log"
    assert any(shape.y0 == 1 and shape.y1 == 1 for shape in fig.layout.shapes)
    text = all_text(fig)
    assert "Jul 2025" in text and "But not anymore" in text


def test_ranges_are_drawn_as_two_ends_not_a_midpoint(claims):
    nyt = claims[claims["claim_id"] == "rutte-2025-07-nyt-three-times"]
    fig = charts.ratio_timeline_figure(nyt, [], TEXT)
    trace = next(t for t in fig.data if t.hovertext)
    assert [y for y in trace.y if y is not None] == [4, 12]


def test_open_bounds_are_arrows_pointing_the_open_way(claims):
    bucharest = claims[claims["claim_id"] == "rutte-2025-11-bucharest-not-anymore"]
    fig = charts.ratio_timeline_figure(bucharest, [], TEXT)
    arrows = [a for a in fig.layout.annotations if a.showarrow and not a.text]
    assert len(arrows) == 1 and arrows[0].ay > 0  # tail below: "at most 1" points down


def test_hover_names_speaker_date_quote_and_source(claims):
    nyt = claims[claims["claim_id"] == "rutte-2025-07-nyt-three-times"]
    trace = next(t for t in charts.ratio_timeline_figure(nyt, [], TEXT).data if t.hovertext)
    hover = trace.hovertext[0]
    assert "Mark Rutte" in hover and "05 Jul 2025" in hover and "TASS" in hover and "three times as much" in hover


def test_hostile_text_is_escaped_everywhere(claims):
    row = claims[claims["claim_id"] == "rutte-2025-07-nyt-three-times"].copy()
    payload = '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a>'
    for column in ("speaker", "quote", "label", "publisher", "interpretation"):
        row[column] = payload
    fig = charts.ratio_timeline_figure(row, [], charts.ChartText(payload, payload, payload, payload, payload))
    rendered = fig.to_json()
    assert "<img" not in rendered and "<a href" not in rendered
    assert "&lt;img src=x" in rendered


def test_output_marks_differ_by_measure_and_subjects_by_colour_and_shape(claims):
    shells = claims[claims["unit"].str.startswith("shells")]
    fig = charts.output_figure(shells, True, TEXT)
    assert fig.layout.yaxis.type == "log"
    symbols = {t.name: t.marker.symbol for t in fig.data if t.name}
    us = {name.split(" — ")[1]: sym for name, sym in symbols.items() if name.startswith("United States —")}
    assert us["output"] != us["target"] and us["target"].endswith("-open-dot")
    subjects = {
        name.split(" — ")[0]: (t.marker.color, t.marker.symbol.split("-")[0]) for t in fig.data if (name := t.name)
    }
    shapes = {shape for _, shape in subjects.values()}
    assert len(shapes) > 1  # colour is never the only cue
    assert set(charts.PALETTE) >= {t.line.color for t in fig.data if t.name}


def test_linear_toggle(claims):
    fig = charts.output_figure(claims[claims["unit"].str.startswith("shells")], False, TEXT)
    assert fig.layout.yaxis.type == "linear"


def test_many_points_switch_to_webgl(claims):
    shells = claims[claims["unit"] == "shells_per_year"]
    big = pd.concat([shells] * (2100 // len(shells) + 1), ignore_index=True)
    fig = charts.output_figure(big, True, TEXT)
    assert all(t.type == "scattergl" for t in fig.data)


def test_claims_timeline_has_one_lane_per_side(claims):
    fig = charts.claims_timeline_figure(claims, TEXT)
    assert {t.name for t in fig.data} == {charts.SIDE_NAMES[s] for s in claims["speaker_side"].unique()}
