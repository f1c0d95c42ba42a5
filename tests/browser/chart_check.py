"""The chart checker's views and rules: which views of which charts are checked, and what makes one wrong.

Views come from the registry, never a hand list: for every page with a chart, every view the site bakes
(registry.baked), one view per subject alone and per measure alone among what the page's filters offer, a date
window holding a single figure and an empty window (where the page has date filters). Each is checked in the live
app on a 390 px phone, at 1400 px and in dark mode, and as each image export renders it
(tests/browser/test_chart_check.py).

A chart is measured in Chromium by chart_check.js (Plotly's own layout and calcdata, the SVG's boxes); `problems`
judges one measurement and names each element that is wrong. Failures read
"output?subject=NATO at 390 px: upper panel has 0 dated tick labels".

    .venv/bin/python tests/browser/chart_check.py [--shots DIR] [pytest options, e.g. -k output-subject-nato]

runs the checker alone and keeps a screenshot of every chart it checked in DIR (failing charts are always kept
in tests/artifacts/chart-check/).
"""

from __future__ import annotations

import inspect
import itertools
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard.analysis.filters import BY_NAME as FILTERS
from dashboard.analysis.filters import DEFAULT, ViewState
from dashboard.data.load import Dataset
from dashboard.present import export, registry, url_state
from dashboard.present.identity import MEASURE_STYLE
from dashboard.present.registry import Page

HERE = Path(__file__).resolve().parent
MEASURE_JS = (HERE / "chart_check.js").read_text(encoding="utf-8")
SHOTS_ON_FAILURE = HERE.parent / "artifacts" / "chart-check"
SHOTS: Path | None = None  # set by this script's --shots: keep a screenshot of every chart checked, not only failures
PUBLIC_URL = "https://example.org/shellcount/"  # the app as deployed (README): what every permalink drawn reads

ONE_FILTER_STATES = ("subject", "measure")  # a view per value of each, where the page offers the filter
MIN_DATED_TICKS = 2
MIN_EXPORT_TEXT_PX = 12
WIDE_FIGURE_PX = 1000  # from this width, a title block long enough must span at least half the figure
MIN_CONTRAST = 3.0  # WCAG's minimum for large text and graphics
SHORT_SPAN_DAYS = 3 * 365  # a time axis shorter than this shows months or quarters, not only years
YEAR_ONLY = re.compile(r"^\s*(1[89]|20)\d\d\s*$")
BLANK_SHARE = 0.15  # a band of the plot area this tall (share of the figure's plot height) with no panel is blank
TOLERANCE_PX = 1.0
ASCENT_ALLOWANCE = 0.15  # of a line's font size: its text box's top above the tallest capitals


# ---- views ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class View:
    """One state of one chart page. A date window is named here and found in the data when checked."""

    page: Page
    state: ViewState = DEFAULT
    window: str = ""  # 'single' (a window holding one figure) or 'empty' (a window holding none)
    baked: tuple[str, ...] = ()  # the site's folders for this view

    @property
    def id(self) -> str:
        """Test id: 'output', 'output-subject-nato', 'output-window-empty' (pytest -k output-subject-nato)."""
        words = [self.page.name]
        if self.window:
            words += ["window", self.window]
        else:
            words += [f"{key}-{registry.slugify(value)}" for key, value in self.query(self.state).items()]
        return "-".join(words)

    def query(self, state: ViewState) -> dict[str, str]:
        keys = [FILTERS[name].url_key for name in self.page.filter_names]
        return url_state.to_query(state, keys)

    def path(self, state: ViewState) -> str:
        """'output?subject=NATO': the page's path and query, as a link names this view."""
        query = self.query(state)
        return self.page.url_path + ("?" + urlencode(query) if query else "")

    def name(self, state: ViewState) -> str:
        """How a failure names the view: 'output?subject=NATO', with what the window or the site makes of it."""
        query = "&".join(f"{key}={value}" for key, value in self.query(state).items())
        words = self.page.name + (f"?{query}" if query else "")
        if self.window:
            words += f" (a window with {'one figure' if self.window == 'single' else 'nothing'})"
        if self.baked:
            words += f" (baked as {', '.join(s + '/' for s in self.baked)})"
        return words


def views(data: Dataset) -> list[View]:
    """Every view the checker visits, page by page: baked views first, then one-filter states, then windows."""
    out: dict[tuple[str, ViewState], View] = {}
    for page, variant in registry.baked(data):
        key = (page.name, variant.view)
        known = out.get(key, View(page, variant.view))
        out[key] = replace(known, baked=(*known.baked, variant.slug))
    for page in registry.CHART_PAGES:
        offered = page.options(data)
        for name in ONE_FILTER_STATES:
            if name in page.filter_names:
                for value in offered.get(name, []):
                    state = replace(DEFAULT, **{name: (value,)})
                    out.setdefault((page.name, state), View(page, state))
    windows = [
        View(page, window=kind)
        for page in registry.CHART_PAGES
        if {"start", "end"} <= set(page.filter_names)
        for kind in ("single", "empty")
    ]
    return list(out.values()) + windows


def model(page: Page, data: Dataset, state: ViewState, link: str = ""):
    """The page's chart model for a state (the view model the app and the publisher draw)."""
    return page.chart.model(data, state, link or PUBLIC_URL).chart


_DATES: dict[tuple[str, int], tuple] = {}


def _dates(page: Page, data: Dataset) -> tuple:
    """The statement dates of the rows the page's default view charts, oldest first, with repeats."""
    key = (page.name, id(data))
    if key not in _DATES:
        _DATES[key] = tuple(sorted(model(page, data, DEFAULT).rows["stated_on"].dropna()))
    return _DATES[key]


def state_of(view: View, data: Dataset) -> ViewState:
    """The view's filter state; for a window, found in the data: the latest date stated by exactly one charted
    figure, or the longest stretch between two statement dates with none."""
    if not view.window:
        return view.state
    dates = _dates(view.page, data)
    if view.window == "single":
        once = [d for d, group in itertools.groupby(dates) if len(list(group)) == 1]
        day = (once or dates[-1:])[-1].date()
        return replace(view.state, start=day, end=day)
    distinct = sorted(set(dates))
    before, after = max(itertools.pairwise(distinct), key=lambda pair: pair[1] - pair[0])
    return replace(view.state, start=(before + timedelta(days=1)).date(), end=(after - timedelta(days=1)).date())


def mark_kinds(chart) -> list[str]:
    """The kinds of mark the chart draws that the legend must name: identity.MEASURE_STYLE's measures among its
    rows, when the chart draws measures in their own marks (a marker symbol with a measure's suffix, such as
    '-open'). A chart that marks by speaker side instead (Claims, Overview) has none."""
    suffixes = {look.symbol_suffix for look in MEASURE_STYLE.values() if look.symbol_suffix}
    symbols = set()
    for trace in chart.figure.data:
        marker = getattr(trace, "marker", None)
        symbol = getattr(marker, "symbol", None) if marker is not None else None
        symbols.update([symbol] if isinstance(symbol, str) else list(symbol or ()))
    if not any(str(s).endswith(suffix) for s in symbols for suffix in suffixes):
        return []
    drawn = set(chart.rows["measure"]) if "measure" in chart.rows else set()
    return [measure for measure in MEASURE_STYLE if measure in drawn]


# ---- channels ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Channel:
    """Where a chart is seen: the live app at a width and colour scheme, or an image export."""

    label: str  # '390 px', '1280×720 export (png, svg)'
    id: str
    width: int
    height: int = 900
    dark: bool = False
    export: bool = False
    scale: float = 1.0  # image pixels per figure pixel (exports)
    phone: bool = False  # the browser says it is a phone (the app lays its charts out for one)

    def context_options(self) -> dict:
        """Playwright's browser context for this channel: its window, colour scheme and, for a phone, what a
        phone's browser says it is (the app picks its phone layout from that, as it cannot see the width)."""
        options = {"viewport": {"width": self.width, "height": self.height}}
        options["color_scheme"] = "dark" if self.dark else "light"
        if self.phone:
            options.update(user_agent=PHONE_USER_AGENT, is_mobile=True, has_touch=True)
        return options


PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile "
    "Safari/537.36"
)
LIVE = (
    Channel("390 px", "390px", 390, 844, phone=True),
    Channel("1400 px", "1400px", 1400, 1000),
    Channel("1400 px in dark mode", "dark-1400px", 1400, 1000, dark=True),
)


@dataclass
class Export:
    """One image an export format renders: the figure, its size and scale, and which formats render it so."""

    figure: Any
    width: int
    height: int
    scale: float = 1.0
    kinds: list[str] = field(default_factory=list)

    @property
    def dark(self) -> bool:
        return any("dark" in kind for kind in self.kinds)

    def channel(self) -> Channel:
        label = f"{self.width}×{self.height} export ({', '.join(self.kinds)})"
        ident = f"{self.width}x{self.height}" + ("-dark" if self.dark else "")
        return Channel(label, ident, self.width, self.height, self.dark, True, self.scale)


class _Capture:
    """Stands in for export.RENDERER: records what would be rendered (figure, size, scale) instead of rendering."""

    def __init__(self, real) -> None:
        self.signature = inspect.signature(real.render)  # the real renderer's parameters and defaults
        self.calls: list[dict] = []

    def render(self, *args, **kwargs) -> bytes:
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        self.calls.append(dict(bound.arguments))
        return b""


@contextmanager
def _captured() -> Iterator[_Capture]:
    real = export.RENDERER
    capture = _Capture(real)
    export.RENDERER = capture
    try:
        yield capture
    finally:
        export.RENDERER = real


def exports(chart, data: Dataset) -> list[Export]:
    """What every image format of export.FORMATS would hand the renderer for this chart, one Export per distinct
    image (PNG and SVG of the same figure at the same size are one)."""
    found: dict[tuple, Export] = {}
    for f in export.FORMATS:
        if not f.needs_chromium:
            continue
        with _captured() as capture:
            f.build(chart, data.package, "")
        for call in capture.calls:
            fig, width, height = call["fig"], int(call["width"]), int(call["height"])
            scale = float(call.get("scale") or call.get("kwargs", {}).get("scale") or 1)
            key = (width, height, scale, fig.to_json())
            found.setdefault(key, Export(fig, width, height, scale)).kinds.append(f.kind)
    return list(found.values())


# ---- rules ------------------------------------------------------------------------------------------------
def intersects(a: dict, b: dict, tolerance: float = TOLERANCE_PX) -> bool:
    return (
        a["x"] < b["r"] - tolerance
        and b["x"] < a["r"] - tolerance
        and a["y"] < b["b"] - tolerance
        and b["y"] < a["b"] - tolerance
    )


def inside(a: dict, outer: dict, tolerance: float = TOLERANCE_PX) -> bool:
    return (
        a["x"] >= outer["x"] - tolerance
        and a["r"] <= outer["r"] + tolerance
        and a["y"] >= outer["y"] - tolerance
        and a["b"] <= outer["b"] + tolerance
    )


def luminance(rgba: list[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0 black … 1 white)."""

    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_colour(rgba: list[float]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgba[:3])


def quoted(text: str, limit: int = 32) -> str:
    text = " ".join(str(text).split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _panel_names(panels: list[dict]) -> dict[str, str]:
    ordered = sorted(panels, key=lambda p: -p["domain"][1])
    if len(ordered) == 1:
        positions = ["panel"]
    elif len(ordered) == 2:
        positions = ["upper panel", "lower panel"]
    else:
        positions = [f"panel {i} of {len(ordered)} from the top" for i in range(1, len(ordered) + 1)]
    return {
        p["id"]: position + (f" {quoted(p['title'])}" if p["title"] else "") + f" ({p['id']})"
        for p, position in zip(ordered, positions, strict=True)
    }


def panel_problems(m: dict) -> list[str]:
    """Every panel has data and at least two dated tick labels on its time axis, with months or quarters where
    it spans under three years; no blank band in the plot area."""
    out = []
    names = _panel_names(m["panels"])
    for p in sorted(m["panels"], key=lambda p: -p["domain"][1]):
        name = names[p["id"]]
        if not p["points"]:
            why = " (its space is left blank)" if not p["drawn"] else ""
            if p.get("outside"):
                why = f" in view ({p['outside']} point(s) lie outside its axes' ranges)"
            out.append(f"{name} has no data{why}")
            continue
        if p["xtype"] != "date":
            out.append(f"{name}: the x axis is not a date axis (type {p['xtype'] or 'unset'})")
        shown = ", ".join(p["ticks"]) or "none"
        if len(p["dated"]) < MIN_DATED_TICKS:
            out.append(f"{name} has {len(p['dated'])} dated tick labels (labels shown: {shown})")
        elif (p["spanDays"] or 0) < SHORT_SPAN_DAYS and all(YEAR_ONLY.match(t) for t in p["dated"]):
            years = p["spanDays"] / 365.25
            out.append(f"{name}: its {years:.1f}-year time axis is labelled with years only ({shown})")
    if not out:  # a plot area left partly blank without any panel to blame
        edges = sorted((p["domain"][0], p["domain"][1]) for p in m["panels"] if p["drawn"])
        covered = 0.0
        for low, high in [*edges, (1.0, 1.0)]:
            if low - covered > BLANK_SHARE:
                out.append(f"the plot area is blank from {covered:.2f} to {low:.2f} of its height (no panel there)")
            covered = max(covered, high)
    return out


def label_problems(m: dict) -> list[str]:
    """No label box (an annotation with a background or border) over a marker, another label, the title block
    or the legend, nor cut by the figure's edge."""
    out = []
    labels = [a for a in m["annotations"] if a["framed"]]
    others = [a for a in m["annotations"] if not a["framed"]]
    for label in labels:
        name = f"label {quoted(label['text'])}"
        hits = [mk for mk in m["markers"] if intersects(label["box"], mk["box"])]
        if hits:
            covered = ", ".join(sorted({f"{mk['trace']} {mk['x']}" for mk in hits}))
            out.append(f"{name} covers {len(hits)} marker(s): {covered}")
        for other in others:
            if intersects(label["box"], other["box"]):
                out.append(f"{name} overlaps the annotation {quoted(other['text'])}")
        for line in m["titleLines"]:
            if intersects(label["box"], line["box"]):
                out.append(f"{name} overlaps the title block's line {quoted(line['text'])}")
        if m["legend"] and intersects(label["box"], m["legend"]["box"]):
            out.append(f"{name} overlaps the legend")
        if not inside(label["box"], m["figure"]):
            out.append(f"{name} is cut by the figure's edge")
    for a, b in itertools.combinations(labels, 2):
        if intersects(a["box"], b["box"]):
            out.append(f"label {quoted(a['text'])} overlaps label {quoted(b['text'])}")
    return out


def _title_parts(lines: list[dict]) -> list[float]:
    """The unwrapped width of each part of the title block (title, subtitle, source…): consecutive lines in one
    style are one part wrapped."""
    return [sum(line["width"] for line in group) for _, group in itertools.groupby(lines, key=lambda ln: ln["style"])]


def title_problems(m: dict) -> list[str]:
    """The title block lies inside the figure and, on a wide figure, spans at least half of it where its text is
    long enough to (its longest part, unwrapped, reaches half the width)."""
    title, figure = m["title"], m["figure"]
    if title is None:
        return ["no title block drawn"]
    out = []
    # A line's box starts at the font's ascent, a little above its capitals: that much above the top is not cut.
    ascent = ASCENT_ALLOWANCE * max((line.get("size") or 0 for line in m["titleLines"][:1]), default=0)
    if not inside({**title, "y": title["y"] + ascent}, figure):
        out.append(
            f"the title block ({title['x']:.0f}–{title['r']:.0f} × {title['y']:.0f}–{title['b']:.0f} px) is not inside "
            f"the figure ({figure['r'] - figure['x']:.0f} × {figure['b'] - figure['y']:.0f} px)"
        )
    width, spans = figure["r"] - figure["x"], title["r"] - title["x"]
    longest = max(_title_parts(m["titleLines"]), default=0.0)
    if width >= WIDE_FIGURE_PX and longest >= width / 2 and spans < width / 2:
        out.append(
            f"the title block is wrapped to {spans:.0f} px of a {width:.0f} px figure (under half; its longest "
            f"part is {longest:.0f} px unwrapped)"
        )
    return out


def modebar_problems(m: dict) -> list[str]:
    """The chart's toolbar (shown on hover, or on a tap on a phone) lies over no line of the title block."""
    covered = [line for line in m["titleLines"] if m["modebar"] and intersects(m["modebar"], line["box"])]
    return [f"the toolbar (modebar) lies over the title block's line {quoted(line['text'])}" for line in covered]


def font_problems(m: dict, scale: float) -> list[str]:
    """No text under MIN_EXPORT_TEXT_PX in the image (its font size × the export's scale), by role and size."""
    small: dict[tuple[str, float], list[str]] = {}
    for t in m["texts"]:
        px = t["size"] * scale
        if px < MIN_EXPORT_TEXT_PX - 0.01:
            small.setdefault((t["role"], round(px, 1)), []).append(t["text"])
    return [
        f"{role} text is {px:g} px ({len(texts)} piece(s), e.g. {quoted(texts[0])})"
        for (role, px), texts in sorted(small.items())
    ]


def legend_problems(m: dict, kinds: list[str]) -> list[str]:
    """A legend key naming every kind of mark drawn; its entries clear of each other, of the plot and of the
    figure's edge."""
    legend = m["legend"]
    words = " | ".join([legend["title"], *legend["entries"]]).lower() if legend else ""
    shown = ", ".join(legend["entries"]) if legend else "no legend shown"
    out = [f"the legend has no key for {kind} marks (legend: {shown})" for kind in kinds if kind not in words]
    items = legend.get("items", []) if legend else []
    for a, b in itertools.combinations(items, 2):
        if intersects(a["box"], b["box"]):
            out.append(f"legend entry {quoted(a['text'])} overlaps legend entry {quoted(b['text'])}")
    for item in items:
        if not inside(item["box"], m["figure"]):
            out.append(f"legend entry {quoted(item['text'])} is cut by the figure's edge")
        for panel in m["panels"]:
            if panel["box"] and panel["points"] and intersects(item["box"], panel["box"]):
                out.append(f"legend entry {quoted(item['text'])} lies over the plot ({panel['id']})")
    return out


def theme_problems(m: dict, dark: bool) -> list[str]:
    """The chart's background follows the theme (dark in dark mode, light otherwise) and its text stands out
    from what lies behind it."""
    out = []
    want = "dark" if dark else "light"
    for part in ("paper", "plot"):
        colour = m[part]
        if (luminance(colour) < 0.5) != dark:
            mode = "dark mode" if dark else "light mode"
            out.append(f"the chart's {part} background {hex_colour(colour)} is not {want} in {mode}")
    faint: dict[str, list[tuple[float, str, str, str]]] = {}
    for t in m["texts"]:
        ratio = contrast(t["colour"], t["behind"])
        if ratio < MIN_CONTRAST:
            faint.setdefault(t["role"], []).append((ratio, t["text"], hex_colour(t["colour"]), hex_colour(t["behind"])))
    for role, items in sorted(faint.items()):
        ratio, text, fg, bg = min(items)
        out.append(
            f"{role} text has too little contrast ({len(items)} piece(s), e.g. {quoted(text)} {fg} on {bg}, "
            f"{ratio:.1f}:1)"
        )
    return out


def problems(m: dict, channel: Channel, kinds: list[str]) -> list[str]:
    """Everything wrong with one measured chart in one channel."""
    out = panel_problems(m) + label_problems(m) + title_problems(m) + legend_problems(m, kinds)
    out += theme_problems(m, channel.dark)
    out += font_problems(m, channel.scale) if channel.export else modebar_problems(m)
    return out


def report(view_name: str, channel: Channel, found: list[str]) -> str:
    """One line per problem: 'output?subject=NATO at 390 px: upper panel … has 0 dated tick labels'."""
    return "\n".join(f"{view_name} at {channel.label}: {problem}" for problem in found)


def main(argv: list[str] | None = None) -> int:
    """Run the checker alone (pytest on test_chart_check.py), keeping a screenshot of every chart checked."""
    import argparse

    import pytest

    parser = argparse.ArgumentParser(description="Run the chart checker; other options go to pytest (e.g. -k).")
    parser.add_argument("--shots", type=Path, default=SHOTS_ON_FAILURE, help="folder for a PNG of every chart")
    args, rest = parser.parse_known_args(argv)
    import tests.browser.chart_check as checker  # the module the tests import (this file runs as __main__)

    checker.SHOTS = args.shots.resolve()
    return int(pytest.main([str(HERE / "test_chart_check.py"), "-p", "no:cacheprovider", *rest]))


if __name__ == "__main__":
    sys.exit(main())
