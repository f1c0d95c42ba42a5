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
    hover = trace.hovertext[0].replace("<br>", " ")
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


def test_output_is_a_yearly_spread_never_a_line_across_sources(claims):
    fig = charts.output_figure(output_series.series(shells(claims), ["Russia", "United States"]), True, TEXT)
    bands = [t for t in fig.data if t.fill == "toself" and t.yaxis == "y"]
    assert bands, "a year with two or more output figures is drawn as its spread"
    for band in bands:  # each band covers one calendar year
        xs = pd.to_datetime([x for x in band.x if x is not None])
        assert xs.min().year == xs.max().year
    figures = [t for t in marker_traces(fig) if t.yaxis == "y"]
    assert all(None in list(t.x) or len(t.x) == 1 for t in figures), "no line joins one figure to the next"


def test_a_panel_with_nothing_to_draw_is_left_out(claims):
    only_output = shells(claims)[shells(claims)["measure"] == "output"]
    fig = charts.output_figure(output_series.series(only_output, ["Russia"]), True, TEXT)
    assert "yaxis2" not in fig.layout.to_plotly_json() and list(fig.layout.yaxis.domain) == [0, 1]
    assert fig.layout.xaxis.showticklabels is not False, "the one panel carries the dates"
    only_targets = shells(claims)[shells(claims)["measure"] == "target"]
    fig = charts.output_figure(output_series.series(only_targets, ["United States"]), True, TEXT)
    assert list(fig.layout.yaxis.domain) == [0, 1] and "Capacity, targets" in all_text(fig)


def test_a_single_figure_is_drawn_over_its_own_period_with_dated_ticks(claims):
    from dashboard.present.chart_axes import MIN_SPAN

    one = shells(claims)[shells(claims)["measure"] == "output"].head(1)
    fig = charts.output_figure(output_series.series(one, list(one["subject"])), True, TEXT)
    start, end = pd.to_datetime(fig.layout.xaxis.range[0]), pd.to_datetime(fig.layout.xaxis.range[1])
    period = one["period_end"].iloc[0] - one["period_start"].iloc[0]
    assert MIN_SPAN <= end - start <= max(MIN_SPAN, period) * 1.3, "its own period, not a decade around one mark"
    assert fig.layout.xaxis.tickformatstops and fig.layout.xaxis.tickangle == 0


def test_every_kind_of_mark_drawn_has_a_legend_key(claims):
    fig = charts.output_figure(output_series.series(shells(claims), ["United States", "Russia"]), True, TEXT)
    names = {t.name for t in fig.data if t.showlegend}
    drawn = {m for m in ("output", "capacity", "target", "transfer") if (shells(claims)["measure"] == m).any()}
    for measure in drawn & {"output", "target", "capacity"}:
        assert any(n.startswith(measure + " (") for n in names), (measure, names)
    assert "yearly spread" in names


def test_linear_toggle(claims):
    fig = charts.output_figure(output_series.series(shells(claims), ["Russia"]), False, TEXT)
    assert fig.layout.yaxis.type == "linear"


def test_thousands_of_figures_become_one_mark_per_month_from_lowest_to_highest(claims):
    rows = claims[claims["unit"] == "shells_per_year"]
    big = pd.concat([rows] * (2100 // len(rows) + 1), ignore_index=True)
    series = output_series.series(big, list(big["subject"].unique()))
    assert sum(len(s.rows) for s in series) > charts.MANY_POINTS
    fig = charts.output_figure(series, True, TEXT)
    drawn = [t for t in fig.data if t.hoverinfo != "skip"]  # the legend's keys draw nothing
    assert len(drawn) == len(series) and all(t.type == "scatter" for t in drawn)  # SVG: a few hundred marks
    for s, trace in zip(series, drawn, strict=True):
        months = s.rows["period_mid"].dt.to_period("M")
        assert len([x for x in trace.x if x is not None]) <= 2 * months.nunique()  # a mark or a bar's two ends
        low = s.rows["annual_low"].fillna(s.rows["annual_high"]).groupby(months).min()
        high = s.rows["annual_high"].fillna(s.rows["annual_low"]).groupby(months).max()
        ys = [y for y in trace.y if y is not None]
        assert min(ys) == low.min() and max(ys) == high.max(), s.subject
        counts = s.rows.groupby(months).size()
        said = " ".join(h for h in trace.hovertext if h)
        assert f"{counts.max():,} figures" in said.replace("<br>", " "), said[:300]
    assert not fig.layout.annotations or all(a.text for a in fig.layout.annotations)  # no per-figure arrows


def test_thousands_of_ratio_statements_become_one_mark_per_month_and_side(claims):
    ratios = claim_check.headline_claims(claims)
    big = pd.concat([ratios] * (2 * charts.MANY_POINTS // len(ratios) + 1), ignore_index=True)
    fig = charts.ratio_timeline_figure(big, claim_check.estimate_years(claims), TEXT)
    sides = {identity.SIDE_NAMES[s]: s for s in big["speaker_side"].dropna().unique()}
    drawn = [t for t in fig.data if t.legendgroup in sides]
    assert len(drawn) == len(sides) and all(t.type == "scatter" for t in drawn)
    for trace in drawn:
        rows = big[big["speaker_side"] == sides[trace.legendgroup]]
        months = rows["stated_on"].dt.to_period("M")
        assert len([x for x in trace.x if x is not None]) <= 2 * months.nunique()  # a mark or a bar's two ends
        ys = [y for y in trace.y if y is not None]
        assert min(ys) == rows["value_low"].fillna(rows["value_high"]).min()
        assert max(ys) == rows["value_high"].fillna(rows["value_low"]).max()
        said = " ".join(h for h in trace.hovertext if h).replace("<br>", " ")
        assert f"{rows.groupby(months).size().max():,} statements" in said, said[:300]
    assert not [a for a in fig.layout.annotations if a.arrowhead == 2]  # no per-statement arrows


def test_words_wrap_to_the_figures_own_width(claims):
    from dashboard.present.chart_style import EXPORT, PHONE

    long = charts.ChartText("A title long enough to wrap on a phone but not across an export of 1280 pixels",
                            "A subtitle " * 8, "the source line", "1.0.0", "https://example.org/output?subject=Russia&measure=output")  # fmt: skip
    args = (claim_check.headline_claims(claims), claim_check.estimate_years(claims), long)
    phone, export = (charts.ratio_timeline_figure(*args, style) for style in (PHONE, EXPORT))
    assert phone.layout.title.text.count("<br>") > export.layout.title.text.count("<br>") + 3
    assert (export.layout.width, export.layout.height) == (charts.EXPORT_WIDTH, charts.EXPORT_HEIGHT)


def test_export_text_is_never_under_12_px(claims):
    import re

    from dashboard.present.chart_style import EXPORT, PORTRAIT

    args = (output_series.series(shells(claims), ["Russia", "United States", "North Korea"]), True, TEXT)
    for style in (EXPORT, PORTRAIT):
        fig = charts.output_figure(*args, style=style)
        sizes = [float(x) for x in re.findall(r"font-size:([0-9.]+)px", fig.layout.title.text)]
        sizes += [a.font.size for a in fig.layout.annotations if a.text] + [
            fig.layout.legend.font.size,
            fig.layout.font.size,
        ]
        assert min(sizes) >= 12, (style, min(sizes))


def test_dark_theme_follows_the_palette_and_lifts_black_marks(claims):
    from dashboard.present.chart_style import PHONE, THEMES

    nato = shells(claims).assign(subject="NATO")  # NATO's identity colour is black
    series = output_series.series(nato, ["NATO"])
    fig = charts.output_figure(series, True, TEXT, style=PHONE.dark())
    assert fig.layout.template.layout.paper_bgcolor == THEMES["dark"].paper
    colours = {t.marker.color for t in marker_traces(fig) if t.name == "NATO"}
    assert colours and "#000000" not in colours


def test_claims_timeline_has_one_lane_per_side(claims):
    fig = charts.claims_timeline_figure(claims, TEXT)
    assert {t.name for t in fig.data} == {identity.SIDE_NAMES[s] for s in claims["speaker_side"].unique()}
    assert fig.layout.showlegend is False  # the lanes name the sides


def test_every_chart_built_unvalidated_is_one_plotly_accepts_as_valid():
    """Figures are handed over unvalidated (charts.figure, on the plotly version it was tested with): each registry
    view, on the live data, in both themes and at the export size, must pass plotly's own validation unchanged."""
    import json

    import plotly.graph_objects as go
    import plotly.io

    from dashboard.data.paths import DEFAULT_DATA_DIR
    from dashboard.present import registry
    from dashboard.present.chart_style import DESKTOP, EXPORT, PHONE

    assert charts.UNVALIDATED, "the plotly version this was tested with (a new one: re-run this test, then update it)"
    live = load_dataset(DEFAULT_DATA_DIR).dataset
    for page, variant in registry.baked(live):
        chart = page.chart.model(live, variant.view, "https://example.org/").chart
        for style in (PHONE, DESKTOP.dark(), EXPORT):
            spec = chart.figure_for(style).to_dict()
            as_sent = without_empty(json.loads(plotly.io.to_json(spec, validate=False)))
            validated = without_empty(json.loads(plotly.io.to_json(go.Figure(spec))))
            assert validated == as_sent, (variant.slug, style)


def without_empty(value):
    """The same JSON without empty lists and objects (plotly's validation drops an empty annotation list)."""
    if isinstance(value, dict):
        kept = {k: without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ([], {})}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value
