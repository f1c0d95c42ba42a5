"""The chart checker's rules and views without a browser: each rule fires on the defect it names and stays quiet on
a sound chart, the views cover what the registry offers, and the exports are captured as the renderer gets them.

(The checker itself, in Chromium over every view: tests/browser/test_chart_check.py.)
"""

from __future__ import annotations

import copy

import pytest

from dashboard.analysis.filters import DEFAULT
from dashboard.data.load import load_dataset
from dashboard.present import export, registry
from tests.browser import chart_check
from tests.browser.chart_check import LIVE, Channel, problems
from tests.conftest import GOOD

WIDE, PHONE, DARK = LIVE[1], LIVE[0], LIVE[2]
EXPORT = Channel("1280×720 export (png)", "1280x720", 1280, 720, export=True)
WHITE, INK = [255, 255, 255, 1], [42, 63, 95, 1]


def box(x, y, r, b):
    return {"x": x, "y": y, "r": r, "b": b}


def sound() -> dict:
    """A measurement of a chart with nothing wrong: two panels with dated ticks, a label clear of everything."""
    panel = {"drawn": True, "xtype": "date", "points": 5, "ticks": ["Jan 2024", "Jul 2024"], "spanDays": 400}
    return {
        "width": 1240, "height": 700, "figure": box(0, 0, 1240, 700), "paper": WHITE, "plot": WHITE,
        "panels": [
            {**panel, "id": "xy", "domain": [0.45, 1.0], "title": "Output", "dated": ["Jan 2024", "Jul 2024"],
             "box": box(60, 160, 1230, 400)},
            {**panel, "id": "x2y2", "domain": [0.0, 0.36], "title": "", "dated": ["Jan 2024", "Jul 2024"],
             "box": box(60, 440, 1230, 600)},
        ],
        "markers": [{"trace": "Russia", "x": "2024-07-01", "box": box(600, 300, 610, 310)}],
        "annotations": [
            {"index": 0, "text": "5 Jul 2025: 12×", "framed": True, "box": box(100, 300, 200, 340)},
            {"index": 1, "text": "Output", "framed": False, "box": box(10, 200, 60, 215)},
        ],
        "title": box(8, 10, 900, 150),
        "titleLines": [{"text": "A title that is long enough", "width": 880, "style": "16px 700", "box": box(8, 10, 888, 30)},
                       {"text": "http://localhost:8501/", "width": 150, "style": "10px", "box": box(8, 130, 158, 150)}],
        "legend": {"entries": ["Russia", "Capacity (hollow)"], "title": "", "box": box(8, 660, 400, 690),
                   "items": [{"text": "Russia", "box": box(8, 660, 100, 690)},
                             {"text": "Capacity (hollow)", "box": box(110, 660, 300, 690)}]},
        "texts": [{"text": "Source", "role": "title block", "size": 12, "colour": INK, "behind": WHITE,
                   "box": box(8, 100, 300, 112)}],
        "modebar": box(1100, 0, 1240, 30),
    }  # fmt: skip


def test_a_sound_chart_has_no_problems_in_any_channel():
    for channel in (*LIVE[:2], EXPORT):
        assert problems(sound(), channel, ["capacity"]) == [], channel.label


def test_a_panel_without_data_is_named_and_a_blank_band_is_found():
    m = sound()
    m["panels"][1].update(points=0, outside=1)
    assert problems(m, WIDE, []) == ["lower panel (x2y2) has no data in view (1 point(s) lie outside its axes' ranges)"]
    m["panels"][1].update(points=0, outside=0, drawn=False)
    assert problems(m, WIDE, []) == ["lower panel (x2y2) has no data (its space is left blank)"]
    del m["panels"][1]  # no panel to blame, the space still blank
    assert problems(m, WIDE, []) == ["the plot area is blank from 0.00 to 0.45 of its height (no panel there)"]


def test_too_few_dated_ticks_and_years_only_on_a_short_span():
    m = sound()
    m["panels"][0].update(ticks=[], dated=[])
    m["panels"][1].update(ticks=["2024", "2025"], dated=["2024", "2025"], spanDays=800)
    assert problems(m, PHONE, []) == [
        "upper panel “Output” (xy) has 0 dated tick labels (labels shown: none)",
        "lower panel (x2y2): its 2.2-year time axis is labelled with years only (2024, 2025)",
    ]
    m["panels"][1]["spanDays"] = 4 * 365  # years suit a long span
    assert problems(m, PHONE, []) == problems(m, PHONE, [])[:1]


def test_a_label_box_over_a_marker_another_label_or_the_title_is_named():
    m = sound()
    m["annotations"][0]["box"] = box(590, 290, 700, 330)  # over the Russia marker
    m["annotations"].append({"index": 2, "text": "6 Nov 2025", "framed": True, "box": box(650, 320, 760, 360)})
    m["annotations"].append({"index": 3, "text": "4 Jun", "framed": True, "box": box(20, 140, 90, 170)})
    m["annotations"].append({"index": 4, "text": "clear of the link", "framed": True, "box": box(300, 130, 400, 170)})
    assert problems(m, PHONE, []) == [
        "label “5 Jul 2025: 12×” covers 1 marker(s): Russia 2024-07-01",
        "label “4 Jun” overlaps the title block's line “http://localhost:8501/”",
        "label “5 Jul 2025: 12×” overlaps label “6 Nov 2025”",
    ]


def test_a_title_block_out_of_the_figure_or_narrow_on_a_wide_figure():
    m = sound()
    m["titleLines"][0]["size"] = 20
    m["title"] = box(8, -2, 900, 150)  # the box's top is the font's ascent, above the capitals: not cut
    assert problems(m, PHONE, []) == []
    m["title"] = box(8, -20, 300, 150)
    assert problems(m, PHONE, [])[0].startswith("the title block (8–300 × -20–150 px) is not inside the figure")
    assert "wrapped to 292 px of a 1240 px figure" in problems(m, WIDE, [])[1]
    m["titleLines"] = [
        {"text": "Short", "width": 200, "style": "a", "box": box(8, 10, 208, 30)},
        {"text": "Short too", "width": 200, "style": "b", "box": box(8, 30, 208, 50)},
    ]
    assert len(problems(m, WIDE, [])) == 1, "a title too short to wrap need not span half the figure"


def test_small_text_counts_in_exports_only_times_their_scale():
    m = sound()
    m["texts"][0]["size"] = 10
    assert problems(m, EXPORT, []) == ["title block text is 10 px (1 piece(s), e.g. “Source”)"]
    assert problems(m, WIDE, []) == []
    assert problems(m, Channel("2× export", "2x", 2560, 1440, export=True, scale=2), []) == []


def test_each_kind_of_mark_drawn_needs_a_legend_key_naming_it():
    m = sound()
    assert problems(m, WIDE, ["capacity", "target"]) == [
        "the legend has no key for target marks (legend: Russia, Capacity (hollow))"
    ]
    m["legend"]["items"][1]["box"] = box(90, 660, 1250, 690)  # runs into the first and past the edge
    m["legend"]["items"].append({"text": "Iran", "box": box(100, 500, 160, 520)})  # over the lower panel
    assert problems(m, WIDE, ["capacity"]) == [
        "legend entry “Russia” overlaps legend entry “Capacity (hollow)”",
        "legend entry “Capacity (hollow)” is cut by the figure's edge",
        "legend entry “Iran” lies over the plot (x2y2)",
    ]
    m["legend"] = None
    assert problems(m, WIDE, ["capacity"]) == ["the legend has no key for capacity marks (legend: no legend shown)"]


def test_the_background_follows_the_theme_and_text_stands_out():
    m = sound()
    assert problems(m, DARK, []) == [
        "the chart's paper background #ffffff is not dark in dark mode",
        "the chart's plot background #ffffff is not dark in dark mode",
    ]
    night = [16, 20, 28, 1]
    m.update(paper=night, plot=night)
    m["texts"][0]["behind"] = night
    assert problems(m, DARK, []) == [
        "title block text has too little contrast (1 piece(s), e.g. “Source” #2a3f5f on #10141c, 1.7:1)"
    ]
    assert problems(m, WIDE, [])[0] == "the chart's paper background #10141c is not light in light mode"


def test_the_toolbar_over_the_title_is_named_in_the_app_not_in_exports():
    m = sound()
    m["modebar"] = box(200, 5, 340, 35)
    assert problems(m, PHONE, []) == [
        "the toolbar (modebar) lies over the title block's line “A title that is long enough”"
    ]
    assert problems(m, EXPORT, []) == []


def test_a_failure_names_the_view_the_size_and_the_element():
    view = chart_check.View(registry.BY_NAME["output"], DEFAULT.__class__(subject=("NATO",)))
    line = chart_check.report(view.name(view.state), PHONE, ["upper panel (xy) has 0 dated tick labels"])
    assert line == "output?subject=NATO at 390 px: upper panel (xy) has 0 dated tick labels"
    assert view.id == "output-subject-nato"


# ---- views and exports, from the registry on a small dataset -------------------------------------------------
@pytest.fixture(scope="module")
def good():
    return load_dataset(GOOD).dataset


def test_views_cover_the_baked_views_each_offered_subject_and_measure_and_two_windows(good):
    found = chart_check.views(good)
    by_page = {page.name: [v for v in found if v.page is page] for page in registry.CHART_PAGES}
    assert {(p.name, v.view) for p, v in registry.baked(good)} <= {(v.page.name, v.state) for v in found}
    output = registry.BY_NAME["output"]
    for name in ("subject", "measure"):
        assert {(value,) for value in output.options(good)[name]} <= {getattr(v.state, name) for v in by_page["output"]}
    assert [v.id for v in by_page["overview"]] == ["overview"], "the Overview has no filters"
    for page in ("output", "claims"):
        windows = {v.window: chart_check.state_of(v, good) for v in by_page[page] if v.window}
        rows = {kind: chart_check.model(registry.BY_NAME[page], good, s).rows for kind, s in windows.items()}
        assert len(rows["single"]) == 1 and rows["empty"].empty, page
    assert len({v.id for v in found}) == len(found)


def test_mark_kinds_are_the_measures_the_output_chart_marks_apart(good):
    output, claims = registry.BY_NAME["output"], registry.BY_NAME["claims"]
    kinds = chart_check.mark_kinds(chart_check.model(output, good, DEFAULT))
    assert {"output", "target", "transfer"} <= set(kinds), kinds
    assert chart_check.mark_kinds(chart_check.model(claims, good, DEFAULT)) == [], "Claims marks by speaker side"


def test_exports_are_captured_as_the_renderer_gets_them_without_rendering(good):
    real = export.RENDERER
    chart = chart_check.model(registry.BY_NAME["output"], good, DEFAULT)
    before = copy.copy(real.renders)
    images = {(i.width, i.height, i.dark): i for i in chart_check.exports(chart, good)}
    assert export.RENDERER is real and real.renders == before
    assert images[(1280, 720, False)].kinds == ["png", "svg"] and images[(1080, 1350, False)].kinds == ["portrait"]
    assert images[(1080, 1350, False)].figure.layout.height == 1350
    assert images[(1280, 720, True)].kinds == ["dark"], "the dark PNG is checked against the dark theme"
