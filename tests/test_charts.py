"""Pure chart functions: text inside the figure, honest marks, inert hostile text."""

import pandas as pd
import pytest

from dashboard.analysis import claim_check, output_series
from dashboard.data.load import load_dataset
from dashboard.present import charts, identity
from tests.conftest import GOOD

TEXT = charts.ChartText(
    "A title", "A subtitle", "Shell Count sources", "9.9.9", "https://example.org/?subject=Russia", "2026-11-25"
)


@pytest.fixture(scope="module")
def claims():
    return load_dataset(GOOD).dataset.claims


def all_text(fig) -> str:
    """The figure's words, with the phone-width line breaks undone both ways (between words, inside a URL)."""
    parts = [fig.layout.title.text or ""] + [a.text or "" for a in fig.layout.annotations]
    text = "\n".join(parts)
    return text.replace("<br>", " ") + "\n" + text.replace("<br>", "")


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
    # RT's "three times more" allows two literal readings (12x or 16x): a range, drawn as its two ends
    rt = claims[claims["claim_id"] == "rutte-2025-07-nyt-three-times"].assign(value_low=12.0, value_high=16.0)
    fig = charts.ratio_timeline_figure(rt, [], TEXT)
    trace = next(t for t in fig.data if t.hovertext)
    assert [y for y in trace.y if y is not None] == [12, 16]


def test_open_bounds_are_arrows_pointing_the_open_way(claims):
    bucharest = claims[claims["claim_id"] == "rutte-2025-11-bucharest-not-anymore"]
    fig = charts.ratio_timeline_figure(bucharest, [], TEXT)
    arrows = [a for a in fig.layout.annotations if a.showarrow and not a.text]
    assert len(arrows) == 1 and arrows[0].ay > 0  # tail below: "at most 1" points down


def test_hover_names_speaker_date_quote_and_source(claims):
    nyt = claims[claims["claim_id"] == "rutte-2025-07-nyt-three-times"]
    trace = next(t for t in charts.ratio_timeline_figure(nyt, [], TEXT).data if t.hovertext)
    hover = trace.hovertext[0]
    assert (
        "Mark Rutte" in hover
        and "05 Jul 2025" in hover
        and "The New York Times, via TASS" in hover
        and "three times as much" in hover
    )


def test_hostile_text_is_escaped_everywhere(claims):
    row = claims[claims["claim_id"] == "rutte-2025-07-nyt-three-times"].copy()
    payload = '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a>'
    for column in ("speaker", "quote", "label", "publisher", "interpretation"):
        row[column] = payload
    fig = charts.ratio_timeline_figure(row, [], charts.ChartText(payload, payload, payload, payload, payload))
    rendered = fig.to_json()
    assert "<img" not in rendered and "<a href" not in rendered
    assert "&lt;img src=x" in rendered


def shells(claims):
    return claims[claims["unit"].str.startswith("shells")]


def marker_traces(fig):
    return [t for t in fig.data if t.marker and t.marker.symbol is not None and t.hovertext is not None]


def test_output_marks_differ_by_measure_and_subjects_by_colour_and_shape(claims):
    fig = charts.output_figure(
        output_series.series(shells(claims), ["Russia", "United States", "North Korea"]), True, TEXT
    )
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"
    by_panel = {(t.name, t.yaxis): t.marker.symbol for t in marker_traces(fig)}
    assert by_panel[("United States", "y")] == "square"  # output, upper panel: filled
    assert by_panel[("United States", "y2")] == "square-open-dot"  # its target, lower panel
    looks = {(t.name, t.marker.color, str(t.marker.symbol).split("-")[0]) for t in marker_traces(fig)}
    assert {(s, identity.SUBJECT_LOOK[s].color, identity.SUBJECT_LOOK[s].symbol) for s, _, _ in looks} == looks
    assert len({shape for _, _, shape in looks}) == 3  # colour is never the only cue


def test_a_subject_keeps_its_colour_and_symbol_whatever_the_filter(claims):
    both = charts.output_figure(output_series.series(shells(claims), ["Russia", "United States"]), True, TEXT)
    alone = charts.output_figure(output_series.series(shells(claims), ["United States"]), True, TEXT)

    def look(fig):
        return {(t.marker.color, t.marker.symbol) for t in marker_traces(fig) if t.name == "United States"}

    assert look(both) == look(alone) and ("#0072B2", "square") in look(alone)


def test_output_is_joined_in_time_and_supply_measures_are_not(claims):
    fig = charts.output_figure(output_series.series(shells(claims), ["Russia"]), True, TEXT)
    joined = [
        t for t in fig.data if t.yaxis == "y" and t.mode == "lines" and t.hoverinfo == "skip" and t.line.width == 2
    ]
    assert len(joined) == 1 and len(joined[0].x) == 2  # Russia's two output figures, one line
    assert list(joined[0].x) == sorted(joined[0].x)
    assert not [t for t in fig.data if t.yaxis == "y2" and t.line.width == 2 and t.mode == "lines"]


def test_linear_toggle(claims):
    fig = charts.output_figure(output_series.series(shells(claims), ["Russia"]), False, TEXT)
    assert fig.layout.yaxis.type == "linear"


def test_many_points_switch_to_webgl(claims):
    rows = claims[claims["unit"] == "shells_per_year"]
    big = pd.concat([rows] * (2100 // len(rows) + 1), ignore_index=True)
    fig = charts.output_figure(output_series.series(big, list(big["subject"].unique())), True, TEXT)
    assert fig.data and all(t.type == "scattergl" for t in fig.data)


def test_portrait_lays_the_words_out_again_for_its_shape(claims):
    fig = charts.ratio_timeline_figure(claim_check.headline_claims(claims), claim_check.estimate_years(claims), TEXT)
    tall = charts.portrait(fig)
    assert (tall.layout.width, tall.layout.height) == (charts.PORTRAIT_WIDTH, charts.PORTRAIT_HEIGHT)
    assert "font-size:30px" in tall.layout.title.text and "A title" in tall.layout.title.text
    assert fig.layout.height != tall.layout.height  # the original is untouched


def test_claims_timeline_has_one_lane_per_side(claims):
    fig = charts.claims_timeline_figure(claims, TEXT)
    assert {t.name for t in fig.data} == {identity.SIDE_NAMES[s] for s in claims["speaker_side"].unique()}
    assert fig.layout.showlegend is False  # the lanes name the sides
