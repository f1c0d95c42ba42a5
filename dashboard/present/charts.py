"""Pure chart functions: tidy DataFrame and a Style in, plotly Figure out.

Every figure carries its own title, subtitle, source line, dataset version and permalink inside the canvas, laid
out for the style's width (chart_words), so a PNG/SVG export or the toolbar download is self-contained. Each
function sets the figure's size and margins and the axes' ranges itself, so it knows where every mark falls:
label boxes are placed where no mark is (chart_labels), a panel with nothing to draw is left out, and the time
axis always carries dates (chart_axes). Traces and layout are collected and handed to the figure once: each
add or update re-validates the whole figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go

from dashboard.analysis import output_series
from dashboard.analysis.claim_check import YearEstimate
from dashboard.data.normalize import annual_words, ratio_readings, ratio_words, value_words
from dashboard.present import chart_labels
from dashboard.present.chart_axes import shell_axis, span, time_axis
from dashboard.present.chart_style import (
    EXPORT_HEIGHT,
    EXPORT_WIDTH,
    FONT,
    PHONE,
    PORTRAIT_HEIGHT,
    PORTRAIT_WIDTH,
    TEMPLATES,
    Style,
)
from dashboard.present.chart_words import (
    HOVER_CHARS,
    HOVER_COLUMNS,
    ChartText,
    Columns,
    esc,
    first_sentence,
    hover_text,
    lines,
    title_block,
    wrap,
)
from dashboard.present.identity import MEASURE_STYLE, SIDE_NAMES, legend_name, side_look, subject_look

__all__ = ["EXPORT_HEIGHT", "EXPORT_WIDTH", "PORTRAIT_HEIGHT", "PORTRAIT_WIDTH", "ChartText", "Style", "esc", "wrap"]
# Past this many figures in one chart, each month's figures of a series become one mark (_per_month): thousands
# of overlapping markers, arrows and hover texts show nothing a reader can pick out and cost seconds to send and
# draw (bench/RESULTS.md). The tables and CSVs keep every figure.
MANY_POINTS = 1_500


def figures_by_month(series: list[output_series.Series]) -> bool:
    """Whether the Output chart draws a mark per month (past MANY_POINTS figures) instead of one per figure: the
    chart, its legend's keys and the page's subtitle ask this one rule."""
    return sum(len(s.rows) for s in series) > MANY_POINTS


def ratios_by_month(ratio_claims: pd.DataFrame) -> bool:
    """Whether the Overview draws a mark per month for each side (past MANY_POINTS statements with a figure)."""
    return int((ratio_claims["value_low"].notna() | ratio_claims["value_high"].notna()).sum()) > MANY_POINTS


STATUS_MARK = {"met": "✓ met", "missed": "✗ missed", "pending": "… pending", "unknown": "? unknown"}
TEXT_PX = 12  # the smallest type in any figure: ticks, legend, labels (an export's 12 px at its own size)


@dataclass(frozen=True)
class Frame:
    """A figure's size and margins, decided before it is drawn (so label boxes can be placed)."""

    width: float
    height: float
    top: float
    bottom: float
    left: float = 62
    right: float = 16

    def plot(self, x_range: list[pd.Timestamp], y_range: tuple[float, float], log: bool = True) -> chart_labels.Plot:
        return chart_labels.Plot(
            self.left, self.top, self.width - self.left - self.right, self.height - self.top - self.bottom,
            (x_range[0].timestamp(), x_range[1].timestamp()), y_range, log,
        )  # fmt: skip


LEGEND_COLUMN_CHARS = 19  # the longest name an entry in half a phone's legend holds (20 overlapped, the checker saw)


def _legend_columns(style: Style, names: list[str]) -> int:
    """A phone's legend in two columns of equal width when every name fits half of it (one entry a row would push the
    plot off the screen); else one entry a row."""
    return 2 if style.narrow and all(len(n) <= LEGEND_COLUMN_CHARS for n in names) else 0


def _legend_height(names: list[str], style: Style) -> float:
    """Rows a horizontal legend of these entries takes at this width, in px."""
    if not names:
        return 0.0
    usable = style.width - 30
    columns = _legend_columns(style, names)
    if columns:
        rows = math.ceil(len(names) / columns)
    elif style.narrow:
        rows = len(names)
    else:
        row, rows = 0.0, 1
        for name in names:
            entry = 48 + len(name) * style.px(TEXT_PX) * 0.55
            if row and row + entry > usable:
                rows, row = rows + 1, 0.0
            row += entry
    return rows * style.px(TEXT_PX) * 1.9 + 8


def frame_and_layout(
    text: ChartText, style: Style, plot_height: int, legend: list[str], x_title_lines: int = 1
) -> tuple[Frame, dict]:
    """The figure's frame and the layout every chart shares: its words above the plot, the legend below it, the
    theme's template, type no smaller than TEXT_PX. On screen the figure is as tall as its words, its legend and
    a plot `plot_height` tall need; an export keeps its own height."""
    block = title_block(text, style)
    top = block.height + block.top_pad + 16 * style.scale  # the block, its top padding, a gap above the plot
    bottom = (2 * 1.3 + x_title_lines * 1.3) * style.px(TEXT_PX) + 22 + _legend_height(legend, style)
    height = style.height or round(top + bottom + plot_height)
    frame = Frame(style.width, height, top, bottom, left=62 * style.scale, right=16 * style.scale)
    layout = dict(
        template=TEMPLATES[style.theme],
        meta=dict(chart_text=dict(text.__dict__)),
        # Anchored to the figure's top edge: its height is known (title_block), and the top margin leaves it room.
        # (Anchored to the plot's top with automargin, Plotly sets a block of several lines down into the plot
        # once the margin is already wide enough.)
        title=dict(text=block.text, x=0, xref="container", xanchor="left", yref="container", y=1, yanchor="top",
                   pad=dict(t=block.top_pad, l=8), font=dict(size=block.base_px)),
        font=dict(family=FONT, size=style.px(TEXT_PX)),
        height=height,
        margin=dict(l=frame.left, r=frame.right, t=frame.top, b=frame.bottom, autoexpand=True),
        legend=dict(orientation="h", xref="container", x=0.01, xanchor="left", yref="container", y=0,
                    yanchor="bottom", font=dict(size=style.px(TEXT_PX)), tracegroupgap=4, traceorder="normal",
                    **({"entrywidth": 0.49, "entrywidthmode": "fraction"} if _legend_columns(style, legend) else {})),
        hoverlabel=dict(align="left", font=dict(size=12)),
        modebar=dict(orientation="v"),  # upright at the right edge, clear of the title block
    )  # fmt: skip
    if style.height:  # an export: the figure's own size
        layout["width"] = style.width
    return frame, layout


# Plotly validates every property a figure is given, which costs more than the rest of a chart; these figures are
# built by code from checked data, not typed by people, so they are handed over once, unvalidated, on the plotly
# versions this was tested with (tests/test_charts.py builds every chart validated too and compares the two).
UNVALIDATED = plotly.__version__.split(".")[0] == "7"


def _dates_as_text(traces: list[dict]) -> None:
    """Each trace's dates as the ISO text plotly's JSON encoder would write for them, in place. A Timestamp is
    deep-copied through its reduce protocol (microseconds each) when plotly builds the figure and again when
    Streamlit takes its dict: at a few thousand points that was a tenth of a page's rerun. Text copies for free."""
    for trace in traces:
        for key in ("x", "base"):
            values = trace.get(key)
            if isinstance(values, list) and any(isinstance(v, pd.Timestamp) for v in values[:3]):
                trace[key] = [v.isoformat() if isinstance(v, pd.Timestamp) else v for v in values]


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain traces and layout, built once (validated where the plotly version is not one this was
    tested with)."""
    _dates_as_text(traces)
    if UNVALIDATED:
        try:
            return go.Figure(data=traces, layout=layout, _validate=False)
        except TypeError:  # a plotly that no longer takes the flag: validate, as every other version does
            pass
    return go.Figure(data=traces, layout=layout)


# ---- marks ------------------------------------------------------------------------------------------------
def _open_bound_arrows(rows, low_col, high_col, x_col, color, log, style, xref="x", yref="y") -> list[dict]:
    """One-sided bounds as arrows pointing the open way ('more than' up, 'at most' down), as annotations to add
    in one go (adding them one by one re-validates the whole list each time: quadratic)."""
    arrows = []
    for low, high, x in zip(rows[low_col], rows[high_col], rows[x_col], strict=True):
        if pd.notna(low) and pd.isna(high):
            anchor, direction = low, -1
        elif pd.isna(low) and pd.notna(high):
            anchor, direction = high, 1
        else:
            continue
        arrows.append(dict(
            x=x, y=np.log10(anchor) if log else anchor, xref=xref, yref=yref, ax=0, ay=30 * direction * style.scale,
            showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=2, arrowcolor=color, text="", standoff=6,
            arrowside="start",
        ))  # fmt: skip
    return arrows


def _segments(rows: pd.DataFrame, low_col: str, high_col: str, x_col: str):
    """x/y/hover-index arrays drawing points as markers and ranges as bars (no invented midpoint)."""
    xs, ys, idx = [], [], []
    for i, (low, high, x) in enumerate(zip(rows[low_col], rows[high_col], rows[x_col], strict=True)):
        values = [v for v in (low, high) if pd.notna(v)]
        if not values:
            continue
        if len(values) == 2 and low != high:
            xs += [x, x, None]
            ys += [low, high, None]
            idx += [i, i, None]
        else:
            xs += [x, None]
            ys += [values[0], None]
            idx += [i, None]
    return xs, ys, idx


def _points(rows, name, color, symbol, low, high, x, value_text, legendgroup="", showlegend=True, size=10):
    """A figure per row: a marker, and a bar from low to high for a range. Charts past MANY_POINTS draw monthly
    marks instead (_per_month), so this is never asked for thousands of points."""
    hovers = hover_text(rows, list(value_text))
    xs, ys, idx = _segments(rows, low, high, x)
    return dict(
        type="scatter", x=xs, y=ys, mode="lines+markers", name=esc(name), legendgroup=legendgroup or name, showlegend=showlegend,
        line=dict(color=color, width=3), connectgaps=False,
        marker=dict(color=color, symbol=symbol, size=size, line=dict(color=color, width=2)),
        hovertext=[hovers[i] if i is not None else None for i in idx], hoverinfo="text",
    )  # fmt: skip


def _per_month(when: pd.Series, low: pd.Series, high: pd.Series) -> dict[str, list]:
    """Figures gathered by the month of `when`: each month's lowest and highest number stated (an open bound counts
    as its one number) and how many figures, at the middle of the month; plain lists, read by _segments like
    columns. Thousands of overlapping marks would show nothing and cost seconds to send and draw."""
    order = np.argsort(when.to_numpy("datetime64[ns]"), kind="stable")  # each month's figures one run
    key = when.to_numpy("datetime64[ns]")[order].astype("datetime64[M]")
    lows = low.fillna(high).to_numpy(float)[order]
    highs = high.fillna(low).to_numpy(float)[order]
    months, starts, counts = np.unique(key, return_index=True, return_counts=True)
    return {
        "low": np.minimum.reduceat(lows, starts).tolist(), "high": np.maximum.reduceat(highs, starts).tolist(),
        "figures": counts.tolist(), "x": [pd.Timestamp(m) + pd.Timedelta(days=14) for m in months],
    }  # fmt: skip


def _month_trace(months: dict[str, list], hovers: list[str], **look) -> dict:
    """One mark per month, a bar from its lowest to its highest number where they differ, its words on hover."""
    xs, ys, idx = _segments(months, "low", "high", "x")
    return dict(type="scatter", x=xs, y=ys, mode="lines+markers", connectgaps=False, hoverinfo="text",
                hovertext=[hovers[i] if i is not None else None for i in idx], **look)  # fmt: skip


def _mark_boxes(rows, low_col, high_col, x_col, plot: chart_labels.Plot, size: float) -> list[chart_labels.Box]:
    """Where each row's marker, range bar and open-bound arrow fall, in figure pixels."""
    boxes = []
    for low, high, when in zip(rows[low_col], rows[high_col], rows[x_col], strict=True):
        values = [v for v in (low, high) if pd.notna(v) and v > 0]
        if not values or pd.isna(when):
            continue
        x = plot.x(when)
        ys = [plot.y(v) for v in values]
        top, bottom = min(ys) - size / 2, max(ys) + size / 2
        if len(values) == 1:  # an open bound's arrow runs 30 px the open way
            top, bottom = (top - 34, bottom) if pd.notna(low) and pd.isna(high) else (top, bottom + 34)
        boxes.append(chart_labels.Box(x - size / 2, top, x + size / 2, bottom))
    return boxes


def _key_name(kind: str) -> str:
    """How the legend names a kind of mark: 'capacity (hollow, dashed)'."""
    if kind == "band":
        return "yearly spread"
    measure, look = MEASURE_STYLE[kind].description.split(": ", 1)
    return f"{measure} ({look})"


def _legend_keys(kinds: list[str], style: Style) -> list:
    """A grey legend key for each kind of mark drawn, so the legend explains every mark (subjects give colour)."""
    grey = style.color("#666666")
    keys = []
    for kind in kinds:
        if kind == "band":
            keys.append(dict(type="scatter", x=[None], y=[None], mode="lines", name=_key_name(kind),
                                   line=dict(color="rgba(128,128,128,0.45)", width=10), legendgroup="marks",
                                   showlegend=True, hoverinfo="skip"))  # fmt: skip
            continue
        look = MEASURE_STYLE[kind]
        keys.append(dict(
            type="scatter", x=[None], y=[None], mode="lines+markers", name=_key_name(kind),
            marker=dict(symbol="circle" + look.symbol_suffix, color=grey, size=9, line=dict(color=grey, width=2)),
            line=dict(color=grey, width=1.5, dash=look.dash), legendgroup="marks", showlegend=True, hoverinfo="skip",
        ))  # fmt: skip
    return keys


# ---- the Overview: claimed ratio over time ---------------------------------------------------------
RATIO_RANGE = (0.2, 40)


def ratio_timeline_figure(
    ratio_claims: pd.DataFrame, estimates: list[YearEstimate], text: ChartText, style: Style = PHONE
) -> go.Figure:
    """Claimed Russia : NATO output ratio over time on a log axis, parity at 1, estimates as bands; the labelled
    claims' boxes placed clear of every mark, with a leader line to their point."""
    p = style.palette
    traces: list = []
    for est in estimates:
        x0, x1 = pd.Timestamp(year=est.year, month=1, day=1), pd.Timestamp(year=est.year, month=12, day=31)
        traces.append(dict(
            type="scatter", x=[x0, x1, x1, x0, x0],
            y=[est.implied_low, est.implied_low, est.implied_high, est.implied_high, est.implied_low],
            fill="toself", mode="lines", line=dict(width=1, color=style.color("#777777"), dash="dot"),
            fillcolor=p.band, name="Implied by output estimates", legendgroup="estimates",
            showlegend=est is estimates[0], hoveron="fills+points", hoverinfo="text",
            text=wrap(f"{est.year}: output estimates imply {est.implied_low:.1f}× to {est.implied_high:.1f}× "
                      f"(Russia {est.russia_low / 1e6:.1f}–{est.russia_high / 1e6:.1f} million a year ÷ allies "
                      f"{est.allied_low / 1e6:.2f}–{est.allied_high / 1e6:.2f} million)", 40),
        ))  # fmt: skip
    # The rows drawn and only the columns read, taken once: each side's mask below then copies a few columns, not
    # every column of the claims (at thousands of statements, a tenth of the figure's build).
    read = [c for c in ("value_low", "value_high", "speaker_side", "interpretation", "label", *HOVER_COLUMNS)
            if c in ratio_claims]  # fmt: skip
    plotted = ratio_claims.loc[ratio_claims["value_low"].notna() | ratio_claims["value_high"].notna(), read]
    present = set(plotted["speaker_side"].dropna())
    sides = [s for s in SIDE_NAMES if s in present]
    dates = [*plotted["stated_on"].dropna()] + [
        pd.Timestamp(year=e.year, month=m, day=1) for e in estimates for m in (1, 12)
    ]
    first, last = (min(dates), max(dates)) if dates else (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))
    x_range = span(first, last)
    legend = [SIDE_NAMES[s] for s in sides] + (["Implied by output estimates"] if estimates else [])
    frame, layout = frame_and_layout(
        text, style, 330 if style.narrow else 400, legend, x_title_lines=2 if style.narrow else 1
    )
    plot = frame.plot(x_range, (math.log10(RATIO_RANGE[0]), math.log10(RATIO_RANGE[1])))
    annotations: list[dict] = []
    marks: list[chart_labels.Box] = []
    many = ratios_by_month(ratio_claims)
    for side in sides:
        rows = plotted[plotted["speaker_side"] == side]
        look = side_look(side)
        color = style.color(look.color)
        if many:  # each month's statements of a side as one mark (as the Output chart does), the count on hover
            months = _per_month(rows["stated_on"], rows["value_low"], rows["value_high"])
            hovers = [
                wrap(f"{SIDE_NAMES.get(side, side)}, {m:%b %Y}: {n:,} statement{'s' if n != 1 else ''}, claiming "
                     f"{ratio_words(lo, hi)} (lowest to highest). Each in the table below and the CSV.", HOVER_CHARS)
                for m, lo, hi, n in zip(months["x"], months["low"], months["high"], months["figures"], strict=True)
            ]  # fmt: skip
            traces.append(_month_trace(
                months, hovers, name=esc(SIDE_NAMES.get(side, side)), legendgroup=SIDE_NAMES.get(side, side), line=dict(color=color, width=2),
                marker=dict(color=color, symbol=look.symbol, size=6, line=dict(color=color, width=1.5)),
            ))  # fmt: skip
            marks += _mark_boxes(months, "low", "high", "x", plot, 8)  # labels keep clear of these marks too
            continue
        # Two columns read, not every column of every row as a record (at 100,000 rows that was a quarter of the build).
        value_text = [
            f"claimed ratio {reading}: {first_sentence(interpretation)}"
            for reading, interpretation in zip(ratio_readings(rows["value_low"], rows["value_high"]),
                                               rows["interpretation"].tolist(), strict=True)
        ]  # fmt: skip
        traces.append(_points(rows, SIDE_NAMES.get(side, side), color, look.symbol, "value_low", "value_high",
                              "stated_on", value_text))  # fmt: skip
        annotations += _open_bound_arrows(rows, "value_low", "value_high", "stated_on", color, True, style)
        marks += _mark_boxes(rows, "value_low", "value_high", "stated_on", plot, 14)
    parity = dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=1, y1=1, line=dict(color=p.reference, width=1.5, dash="dash"))  # fmt: skip
    annotations.append(dict(text="parity", xref="paper", x=0.005, y=0, yref="y", xanchor="left", yanchor="bottom",
                            showarrow=False, font=dict(size=style.px(TEXT_PX), color=p.reference)))  # fmt: skip
    marks.append(chart_labels.Box(plot.left, plot.y(1) - 18, plot.left + 50, plot.y(1)))  # the word "parity"
    annotations += place_labels(claim_labels(plotted, style), plot, marks, style)
    layout.update(
        shapes=[parity], annotations=annotations,
        yaxis=dict(type="log", title=dict(text="Russia ÷ allies (log scale)"), range=[math.log10(v) for v in RATIO_RANGE],
                   **_times_ticks(tuple(math.log10(v) for v in RATIO_RANGE), "ratio")),
        xaxis=time_axis(first, last, title=wrap("date of the statement (grey bands: the year the estimates describe)",
                                                48 if style.narrow else 120)),
    )  # fmt: skip
    return figure(traces, layout)


@dataclass(frozen=True)
class Label:
    """A label box to place: at a point (its value), or at the top of the plot above a date (`value` None)."""

    when: pd.Timestamp
    value: float | None
    text_lines: list[str]


def claim_labels(rows: pd.DataFrame, style: Style) -> list[Label]:
    """The labels the data gives its headline claims (the `label` column), newest first (placed first)."""
    chars = 22 if style.narrow else 30
    labelled = rows[rows["label"].fillna("") != ""].sort_values("stated_on", ascending=False)
    return [
        Label(
            r["stated_on"], r["value_high"] if pd.notna(r["value_high"]) else r["value_low"], lines(r["label"], chars)
        )
        for r in labelled.to_dict("records")
    ]


def place_labels(labels: list[Label], plot: chart_labels.Plot, marks: list, style: Style) -> list[dict]:
    """Each label's box where no mark or other box is, joined to its point by a leader line (a label with no place
    free at this size is left out: the hover, the cards and the table carry its words)."""
    size = style.px(TEXT_PX)
    anchors = [
        (plot.x(label.when), plot.y(label.value) if label.value is not None else plot.top + 4) for label in labels
    ]
    sizes = [chart_labels.label_size(label.text_lines, size) for label in labels]
    p = style.palette
    boxes = []
    for label, offset in zip(labels, chart_labels.place(anchors, sizes, marks, plot.box), strict=True):
        if offset is None:
            continue
        on_point = label.value is not None
        y = (math.log10(label.value) if plot.log else label.value) if on_point else 1
        boxes.append(dict(
            x=label.when, y=y, yref="y" if on_point else "y domain", text="<br>".join(esc(t) for t in label.text_lines),
            showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=p.box_border, ax=offset[0], ay=offset[1] + (0 if on_point else 4),
            xanchor="center", yanchor="middle", align="left", bgcolor=p.box, bordercolor=p.box_border, borderwidth=1,
            borderpad=3, font=dict(size=size, color=p.ink), name="label",
        ))  # fmt: skip
    return boxes


# ---- Output: each subject's shells per year over time -------------------------------------------
OUTPUT_COLUMNS = ("measure", "annual_low", "annual_high", "annualised_how", "period_start", "period_end", "period_mid",
                  "claim_id", *HOVER_COLUMNS)  # fmt: skip


def output_mark_kinds(series: list[output_series.Series]) -> list[str]:
    """The kinds of mark the Output chart draws for these series, each with a key in its legend: a measure's, and
    'band' where a year's output estimates spread (none past MANY_POINTS, where each month is one mark). The
    page's subtitle names the same."""
    kinds = [m for m in output_series.CHARTED if any(s.measure == m for s in series)]
    many = figures_by_month(series)
    if not many and any(high > low for s in series if s.joined for _, low, high, _ in s.year_spread):
        kinds.append("band")
    return kinds


def output_figure(
    series: list[output_series.Series],
    log_axis: bool,
    text: ChartText,
    status: pd.DataFrame | None = None,
    style: Style = PHONE,
) -> go.Figure:
    """Each subject's output per year as the spread of its estimates with every figure on it; capacity, targets
    and transfers in a panel of their own. A panel with nothing to draw is left out and the other takes its
    height; the time axis spans what is drawn (at least MIN_SPAN) and always carries dates.

    Marks: a figure at the middle of the period it describes, a thin bar across that period, a vertical bar for
    a range, an arrow for an open bound. Colours and symbols are each subject's own (identity.py), whatever the
    filter; measures differ by mark (identity.MEASURE_STYLE), each with a key in the legend."""
    status_of = dict(zip(status["claim_id"], status["status"], strict=True)) if status is not None else {}
    many = figures_by_month(series)
    panels = [p for p in ([s for s in series if s.joined], [s for s in series if not s.joined]) if p]
    axis_of = {}  # series → its panel's axes
    for i, panel in enumerate(panels):
        for s in panel:
            axis_of[id(s)] = ("x", "y") if i == 0 else ("x2", "y2")
    subjects = list(dict.fromkeys(s.subject for s in series))
    kinds = output_mark_kinds(series)
    plot_height = (420 if len(panels) > 1 else 300) + (40 if not style.narrow else 0)
    _, layout = frame_and_layout(
        text, style, plot_height, [legend_name(s) for s in subjects] + [_key_name(k) for k in kinds]
    )
    legend_series = {}  # each subject's first series carries its legend entry
    for s in series:
        legend_series.setdefault(s.subject, s)
    if many:  # thousands of figures: each month's figures of a series as one mark, lowest to highest
        traces = [_monthly_marks(s, style, axis_of[id(s)], legend_series[s.subject] is s) for s in series]
        arrows: list[dict] = []
    else:
        traces, arrows = _figure_marks(series, axis_of, legend_series, status_of, log_axis, style)
    traces += _legend_keys(kinds, style)
    start, end = output_series.time_span(series) or (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    p = style.palette
    domains = [[0.0, 1.0]] if len(panels) == 1 else [[0.47, 1.0], [0.0, 0.38]]
    titles = {True: "Output", False: "Capacity, targets and transfers (never added to output)"}
    axes: dict = {}
    for i, panel in enumerate(panels):
        x_name, y_name = ("xaxis", "yaxis") if i == 0 else ("xaxis2", "yaxis2")
        last = i == len(panels) - 1
        values = pd.concat([s.rows[c] for s in panel for c in ("annual_low", "annual_high")]).dropna()
        axes[x_name] = time_axis(start, end, title="period each figure describes" if last else "", show=last) | dict(
            anchor="y" if i == 0 else "y2", domain=[0, 1], **({"matches": "x"} if i else {})
        )
        axes[y_name] = shell_axis(values.min(), values.max(), log_axis) | dict(
            anchor="x" if i == 0 else "x2", domain=domains[i]
        )
        arrows.append(dict(text=titles[panel[0].joined], xref="paper", yref="paper", x=0, y=domains[i][1], xanchor="left",
                           yanchor="bottom", showarrow=False, font=dict(size=style.px(TEXT_PX), color=p.ink)))  # fmt: skip
    layout.update(annotations=arrows, **axes)
    return figure(traces, layout)


def _figure_marks(series, axis_of, legend_series, status_of, log_axis, style) -> tuple[list, list[dict]]:
    """Every figure of each series as a mark at the middle of its period, a thin bar across the period, a
    vertical bar for a range and an arrow for an open bound, over each year's spread of output estimates:
    (traces, arrows)."""
    traces: list = []
    arrows: list[dict] = []
    # Every series' columns read out of pandas once (Arrow-backed text is slow to read a column at a time), then
    # sliced per series: each trace below reads these few columns again.
    frames = [s.rows for s in series]
    everything = Columns(pd.concat(frames) if frames else None, OUTPUT_COLUMNS,
                         as_text=("period_start", "period_end", "period_mid"))  # fmt: skip
    start_row = 0
    for s in series:
        look, measure_look = subject_look(s.subject), MEASURE_STYLE[s.measure]
        color = style.color(look.color)
        xref, yref = axis_of[id(s)]
        cols = everything.slice(start_row, start_row + len(s.rows))
        start_row += len(s.rows)
        value_text = [
            f"{s.subject}, {measure}: {annual_words(lo, hi)} ({how}; {_month(ps)}–{_month(pe)})"
            + (f"; target {STATUS_MARK.get(status_of.get(cid, 'unknown'))}" if measure == "target" and status_of else "")
            for measure, lo, hi, how, ps, pe, cid in zip(cols["measure"], cols["annual_low"], cols["annual_high"],
                                                          cols["annualised_how"], cols["period_start"], cols["period_end"],
                                                          cols["claim_id"], strict=True)
        ]  # fmt: skip
        if s.joined:  # each year's spread of estimates, a translucent band behind its figures
            bx, by = [], []  # every year's rectangle in one trace, closed shapes apart
            for year, low, high, _count in s.year_spread:
                if high > low:
                    x0, x1 = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
                    bx += [x0, x1, x1, x0, x0, None]
                    by += [low, low, high, high, low, None]
            if bx:
                traces.append(dict(type="scatter", x=bx, y=by, fill="toself", mode="none", fillcolor=_alpha(color, style.band_alpha),
                                   name=esc(s.subject), legendgroup=s.subject, showlegend=False, hoverinfo="skip",
                                   xaxis=xref, yaxis=yref))  # fmt: skip
        px, py = [], []  # the period each figure describes, as a thin bar across it
        for ps, pe, lo, hi in zip(cols["period_start"], cols["period_end"], cols["annual_low"], cols["annual_high"],
                                  strict=True):  # fmt: skip
            px += [ps, pe, None]
            py += [hi if pd.isna(lo) else lo] * 2 + [None]
        traces.append(dict(type="scatter", x=px, y=py, mode="lines", line=dict(color=color, width=1.5, dash=measure_look.dash),
                           opacity=0.6, name=esc(s.subject), legendgroup=s.subject, showlegend=False,
                           hoverinfo="skip", xaxis=xref, yaxis=yref))  # fmt: skip
        trace = _points(cols, legend_name(s.subject), color, look.symbol + measure_look.symbol_suffix, "annual_low",
                        "annual_high", "period_mid", value_text, legendgroup=s.subject,
                        showlegend=legend_series[s.subject] is s, size=9)  # fmt: skip
        trace.update(mode="lines+markers", xaxis=xref, yaxis=yref)
        traces.append(trace)
        arrows += _open_bound_arrows(cols, "annual_low", "annual_high", "period_mid", color, log_axis, style,
                                     xref=xref, yref=yref)  # fmt: skip
    return traces, arrows


def _monthly_marks(s: output_series.Series, style: Style, axes: tuple[str, str], showlegend: bool) -> dict:
    """A series' figures as one mark per month of the periods they describe, from the lowest number stated to the
    highest, the count and that span on hover; each figure stays in the table and the CSV."""
    look, measure_look = subject_look(s.subject), MEASURE_STYLE[s.measure]
    color = style.color(look.color)
    months = _per_month(s.rows["period_mid"], s.rows["annual_low"], s.rows["annual_high"])
    hovers = [
        wrap(f"{s.subject}, {s.measure}, {m:%b %Y}: {n:,} figure{'s' if n != 1 else ''}, stated as "
             f"{annual_words(lo, hi)} (lowest to highest). Each in the table below and the CSV.", HOVER_CHARS)
        for m, lo, hi, n in zip(months["x"], months["low"], months["high"], months["figures"], strict=True)
    ]  # fmt: skip
    return _month_trace(
        months, hovers, name=esc(legend_name(s.subject)), legendgroup=s.subject, showlegend=showlegend,
        line=dict(color=color, width=2), xaxis=axes[0], yaxis=axes[1],
        marker=dict(color=color, symbol=look.symbol + measure_look.symbol_suffix, size=6, line=dict(color=color, width=1.5)),
    )  # fmt: skip


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(iso: str) -> str:
    """'2024-07-01 00:00' → 'Jul 2024'."""
    return f"{MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"


def _alpha(color: str, alpha: float) -> str:
    """'#D55E00' → 'rgba(213,94,0,0.16)'."""
    value = color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# ---- Claims: every statement over time --------------------------------------------------------------
def claims_span(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp, pd.Series]:
    """The first and last date of where the claims are, and the dates left of it.

    A few statements far earlier than the rest (more than two years before the next, and together under
    5 % of them) would squeeze the others into a corner: the range starts after them, and they are drawn
    at its left edge with a marker that says so."""
    ordered = dates.dropna().sort_values()
    if ordered.empty:
        return pd.Timestamp("2022-01-01"), pd.Timestamp("2023-01-01"), ordered
    start = 0
    gaps = ordered.diff().dt.days.fillna(0).to_numpy()
    for i, gap in enumerate(gaps):
        if gap > 730 and i <= max(1, int(len(ordered) * 0.05)):
            start = i
    return ordered.iloc[start], ordered.iloc[-1], ordered.iloc[:start]


def claims_timeline_figure(claims: pd.DataFrame, text: ChartText, style: Style = PHONE) -> go.Figure:
    """Every statement as a dot on a timeline, one lane per speaker side, hover with the quote.

    Past MANY_POINTS statements, dots become monthly counts per lane (sized by count)."""
    traces: list = []
    annotations: list[dict] = []
    present = set(claims["speaker_side"].dropna())
    sides = [s for s in SIDE_NAMES if s in present]
    many = len(claims) > MANY_POINTS
    first, last, early = claims_span(claims["stated_on"])
    low, high = span(first, last)
    for side in sides:
        rows = claims[claims["speaker_side"] == side]
        look = side_look(side)
        marker = dict(color=style.color(look.color), symbol=look.symbol, opacity=0.85,
                      line=dict(color=style.palette.paper, width=1))  # fmt: skip
        if many:
            counts = rows.groupby(rows["stated_on"].dt.to_period("M")).size()
            months = counts.index.to_timestamp()
            traces.append(dict(
                type="scatter", x=months, y=[SIDE_NAMES[side]] * len(counts), mode="markers", name=esc(SIDE_NAMES[side]),
                marker=marker | dict(size=(6 + 18 * np.sqrt(counts / counts.max())).tolist()), showlegend=False,
                hovertext=[f"{n:,} statements by {esc(SIDE_NAMES[side])} in {m:%B %Y}" for m, n in zip(months, counts, strict=True)],
                hoverinfo="text",
            ))  # fmt: skip
            continue
        value_text = [
            f"{m}: {value_words(r)}" for m, r in zip(rows["measure"].tolist(), rows.to_dict("records"), strict=True)
        ]
        edge = low + (high - low) * 0.01
        early_here = rows["stated_on"] < edge  # drawn at the left edge, as a marker pointing further left
        x = rows["stated_on"].clip(lower=edge)
        marker["symbol"] = [("triangle-left" if e else look.symbol) for e in early_here]
        traces.append(dict(
            type="scatter", x=x, y=[SIDE_NAMES[side]] * len(rows), mode="markers", name=esc(SIDE_NAMES[side]), showlegend=False,
            marker=marker | dict(size=11), hovertext=hover_text(rows, value_text), hoverinfo="text",
        ))  # fmt: skip
    if len(early):
        annotations.append(dict(
            text=esc(f"◀ {len(early)} earlier ({early.min():%Y}"
                     + (f"–{early.max():%Y})" if early.max().year != early.min().year else ")")),
            xref="paper", yref="paper", x=0, y=1.0, xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=style.px(TEXT_PX), color=style.palette.muted),
        ))  # fmt: skip
    _, layout = frame_and_layout(text, style, 44 * max(3, len(sides)) + 30, [])
    layout.update(
        annotations=annotations, showlegend=False,  # the lanes name the sides
        yaxis=dict(title=dict(text=""), categoryorder="array", categoryarray=list(reversed([SIDE_NAMES[s] for s in sides]))),
        xaxis=time_axis(first, last, title="date of the statement" + (" (dots: statements per month)" if many else "")),
    )  # fmt: skip
    return figure(traces, layout)


# ---- Lines: every time a line was said ---------------------------------------------------------------
RELATION_LOOK = {  # how each relation is marked on a line's track (its colour is the speaker side's); no hollow
    # marks: on the Output chart hollow means "not output", a reader should not have to unlearn it here
    "states": ("circle", 12),
    "varies": ("diamond", 13),
    "tracks": ("triangle-up", 12),
    "retracts": ("x-thin", 14),
    "reverses": ("x", 15),
}


def line_figure(instances: pd.DataFrame, title: str, usual: tuple[float, float] | None, unit: str, text: ChartText,
                style: Style = PHONE) -> go.Figure:  # fmt: skip
    """One line as a track over time: each instance at its date with its value as worded (ranges as bars, open
    bounds as arrows), its wording on hover, the usual figure as a reference, and where it was put in the past or
    reversed a vertical rule with a label placed clear of the marks. An instance with no figure sits on the rule
    of its date only."""
    p = style.palette
    log = unit in ("ratio", "multiplier")
    rows = instances.sort_values("stated_on")
    figured = rows[rows["value_low"].notna() | rows["value_high"].notna()]
    values = pd.concat([figured["value_low"], figured["value_high"]]).dropna()
    values = values[values > 0] if log else values
    top = float(values.max()) if len(values) else 1.0
    bottom = float(values.min()) if len(values) else 1.0
    if usual is not None:
        top, bottom = max(top, usual[1]), min(bottom, usual[0])
    y_range = (math.log10(bottom / 2.2), math.log10(top * 2.2)) if log else (0, top * 1.25)
    first, last = rows["stated_on"].min(), rows["stated_on"].max()
    x_range = span(first, last)
    legend = [RELATION_WORDS_SHORT[r] for r in RELATION_LOOK if (rows["line_relation"] == r).any()]
    # The usual figure is named in the legend, not on the plot: its rule runs through the statements that say it,
    # from the first to the last, so words on it at either end sat on their marks.
    usual_name = f"usual: {_usual_words(usual, unit)} (dotted)" if usual is not None else ""
    legend += [usual_name] if usual_name else []
    # A phone's plot is taller than the desktop's: on Rutte's line the July figure's label (the line's turn before
    # the reversal) found no free place at 380 px and was left out; at 460 it and the June label fit.
    frame, layout = frame_and_layout(text, style, 460 if style.narrow else 400, legend)
    plot = frame.plot(x_range, y_range, log)
    traces: list = []
    annotations: list[dict] = []
    marks: list[chart_labels.Box] = []
    for relation, (symbol, size) in RELATION_LOOK.items():
        part = figured[figured["line_relation"] == relation]
        if part.empty:
            continue
        colours = [style.color(side_look(s).color) for s in part["speaker_side"]]
        value_text = [f"{RELATION_WORDS_SHORT[relation]}: {value_words(r)}" for r in part.to_dict("records")]
        trace = _points(part, RELATION_WORDS_SHORT[relation], colours[0], symbol, "value_low", "value_high",
                        "stated_on", value_text, legendgroup=relation, size=size)  # fmt: skip
        traces.append(trace)
        annotations += _open_bound_arrows(part, "value_low", "value_high", "stated_on", colours[0], log, style)
        marks += _mark_boxes(part, "value_low", "value_high", "stated_on", plot, size + 4)
    shapes = []
    if usual is not None:
        y = usual[0]
        shapes.append(dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y,
                           line=dict(color=p.reference, width=1, dash="dot")))  # fmt: skip
        traces.append(dict(type="scatter", x=[None], y=[None], mode="lines", name=esc(usual_name), legendgroup="usual",
                           line=dict(color=p.reference, width=1.5, dash="dot"), showlegend=True, hoverinfo="skip"))  # fmt: skip
    turns = rows[rows["line_relation"].isin(("retracts", "reverses"))]
    for r in turns.to_dict("records"):
        reversed_ = r["line_relation"] == "reverses"
        shapes.append(dict(type="line", xref="x", x0=r["stated_on"], x1=r["stated_on"], yref="y domain", y0=0, y1=1,
                           line=dict(color=p.ink if reversed_ else p.muted, width=1.5, dash="solid" if reversed_ else "dash")))  # fmt: skip
    turn_labels = [
        Label(r["stated_on"], None, ["reversed" if r["line_relation"] == "reverses" else "put in the past", f"{r['stated_on']:%-d %b %Y}"])
        for r in turns.to_dict("records")
    ]  # fmt: skip
    # The data's own labels first (the July figure, "But not anymore"), then the rules' where there is room.
    annotations += place_labels(claim_labels(figured, style) + turn_labels, plot, marks, style)
    y_title = {"ratio": "Russia ÷ the comparator (as worded, log scale)", "multiplier": "times (as worded, log scale)"}
    layout.update(
        shapes=shapes, annotations=annotations,
        xaxis=time_axis(first, last, title="date of the statement"),
        yaxis=dict(type="log" if log else "linear", range=list(y_range), title=dict(text=y_title.get(unit, UNIT_TITLES.get(unit, unit))),
                   **_times_ticks(y_range, unit)),
    )  # fmt: skip
    return figure(traces, layout)


RELATION_WORDS_SHORT = {"states": "said as usual", "varies": "said differently", "tracks": "progress report",
                        "retracts": "put in the past", "reverses": "reversed"}  # fmt: skip
UNIT_TITLES = {"shells": "shells", "shells_per_year": "shells a year", "shells_per_month": "shells a month"}


def _times_ticks(y_range: tuple[float, float], unit: str) -> dict:
    """Readable ticks: ¼× … 32× for a ratio, 2× … 50× for a multiplier (log axes), '2M' for shells."""
    if unit not in ("ratio", "multiplier"):
        return dict(tickformat="~s")
    low, high = 10 ** y_range[0], 10 ** y_range[1]
    values = [v for v in (0.25, 0.5, 1, 2, 4, 8, 16, 32, 64) if low <= v <= high]
    if unit == "multiplier":
        values = [v for v in (1, 2, 5, 10, 20, 50, 100) if low <= v <= high]
    names = {0.25: "¼", 0.5: "½"}
    return dict(tickvals=values, ticktext=[f"{names.get(v, f'{v:g}')}×" for v in values])


def _usual_words(usual: tuple[float, float], unit: str) -> str:
    return value_words({"value_low": usual[0], "value_high": usual[1], "unit": unit})
