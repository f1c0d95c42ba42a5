"""Pure chart functions: tidy DataFrame in, plotly Figure out.

Every figure carries its own title, subtitle, source line, dataset version and permalink inside the
canvas, so a PNG/SVG export or the Plotly toolbar download is self-contained. Text from the dataset
is escaped before it reaches Plotly, whose labels understand a subset of HTML: a quote containing
`<b>` or `<a href=…>` is shown as those characters, never interpreted.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.analysis.claim_check import YearEstimate
from dashboard.data.normalize import ratio_reading, value_words
from dashboard.present.identity import MEASURE_STYLE, SIDE_NAMES

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in greyscale with shapes.
# Yellow (#F0E442) is left out: too faint on white for thin lines and hollow marks.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#000000", "#56B4E9", "#8C6D31")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star", "hexagon", "pentagon", "x", "triangle-down")
EXPORT_WIDTH, EXPORT_HEIGHT = 1280, 720
# Past this many points a trace is drawn with WebGL, without per-point arrows, and hover quotes are cut to a
# line: SVG traces and thousands of annotations stop being usable in a browser (bench/RESULTS.md).
MANY_POINTS = 1_500
FONT = "Inter, 'Source Sans Pro', Arial, sans-serif"


# A small white template, built once: the stock "plotly_white" is deep-copied into every figure, which
# costs more than the rest of a small chart (bench/RESULTS.md).
TEMPLATE = go.layout.Template(
    layout=dict(
        paper_bgcolor="white", plot_bgcolor="white", colorway=list(PALETTE), hovermode="closest",
        font=dict(color="#2a3f5f"), title=dict(x=0.05),
        xaxis=dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", automargin=True, ticks=""),
        yaxis=dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", automargin=True, ticks=""),
    )
)  # fmt: skip


def new_figure() -> go.Figure:
    return go.Figure(layout=dict(template=TEMPLATE))


@dataclass(frozen=True)
class ChartText:
    """Words drawn inside every figure."""

    title: str
    subtitle: str
    source_line: str
    version: str
    permalink: str = ""
    updated: str = ""


def esc(value: object) -> str:
    """Text from the data, made inert for Plotly's HTML-like labels."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    # Plotly decodes &lt; &gt; &amp; but shows &quot; literally, so quote marks stay as they are:
    # outside attributes they cannot start markup.
    return html.escape(str(value), quote=False)


def wrap(value: object, width: int = 70, max_lines: int = 8) -> str:
    """Escaped text broken into <br>-separated lines for hover labels."""
    lines = textwrap.wrap(str(value or ""), width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return "<br>".join(esc(line) for line in lines)


def color_map(keys: list[str]) -> dict[str, str]:
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}


def symbol_map(keys: list[str]) -> dict[str, str]:
    return {k: SYMBOLS[i % len(SYMBOLS)] for i, k in enumerate(keys)}


def hover_text(rows: pd.DataFrame, value_text: pd.Series) -> list[str]:
    """Who said it, when, the figure, the verbatim quote and the source, for each row.

    Past MANY_POINTS rows the quote is cut to one line, so the page stays light."""
    compact = len(rows) > MANY_POINTS
    out = []
    columns = ("speaker", "speaker_role", "stated_on", "quote", "publisher", "original_publisher", "grade", "claim_id")
    for (speaker, role, stated, quote, publisher, original, grade, claim_id), value in zip(
        zip(*(rows[c] if c in rows else [""] * len(rows) for c in columns), strict=True), value_text, strict=False
    ):
        who = f"<b>{esc(speaker)}</b>" + (f", {esc(role)}" if isinstance(role, str) and role else "")
        when = stated.strftime("%d %b %Y") if pd.notna(stated) else ""
        if isinstance(quote, str) and quote:
            said = f"“{esc(quote[:100])}{'…' if len(quote) > 100 else ''}”" if compact else f"“{wrap(quote)}”"
        else:
            said = "<i>(no verbatim quote: the source paraphrases)</i>"
        source = f"Source: {esc(publisher)}" + (
            f" (orig. {esc(original)})" if isinstance(original, str) and original else ""
        )
        out.append(
            f"{who}<br>{esc(when)} · {esc(value)}<br>{said}<br>{source} · grade: {esc(grade)}<br>id: {esc(claim_id)}"
        )
    return out


def frame(fig: go.Figure, text: ChartText, height: int = 560, side_legend: bool = False) -> go.Figure:
    """Draw title, subtitle, source line, version and permalink inside the figure.

    A long legend goes on the right (`side_legend`) so it never runs into the footer."""
    footer = f"Source: {esc(text.source_line)}<br>Shell Count data v{esc(text.version)}"
    if text.updated:
        footer += f" (updated {esc(text.updated)})"
    if text.permalink:
        footer += f" · {esc(text.permalink)}"
    fig.update_layout(
        title=dict(
            text=f"<b>{esc(text.title)}</b><br><span style='font-size:13px'>{esc(text.subtitle)}</span>",
            x=0.01,
            xanchor="left",
            y=0.97,
            yanchor="top",
        ),
        font=dict(family=FONT, size=13),
        height=height,
        margin=dict(l=70, r=250 if side_legend else 30, t=95, b=125),
        legend=(
            dict(orientation="v", yanchor="top", y=1, x=1.01, xanchor="left", font=dict(size=10), tracegroupgap=2)
            if side_legend
            # measured from the bottom of the whole figure, so the axis title never collides with it
            else dict(
                orientation="h", yref="container", yanchor="bottom", y=0.075, x=0, xanchor="left", font=dict(size=11)
            )
        ),
        hoverlabel=dict(align="left", font=dict(size=12)),
    )
    fig.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-118,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font=dict(size=10, color="#555"),
    )
    return fig


def _segments(rows: pd.DataFrame, low_col: str, high_col: str, x_col: str):
    """x/y/hover arrays drawing points as markers and ranges as dumbbells (no invented midpoint)."""
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


def _open_bound_arrows(
    rows: pd.DataFrame, low_col: str, high_col: str, x_col: str, color: str, log: bool
) -> list[dict]:
    """One-sided bounds as arrows pointing the open way ('more than' up, 'at most' down), as annotations
    to add in one go (adding them one by one re-validates the whole list each time: quadratic)."""
    arrows = []
    for low, high, x in zip(rows[low_col], rows[high_col], rows[x_col], strict=True):
        if pd.notna(low) and pd.isna(high):
            anchor, direction = low, -1
        elif pd.isna(low) and pd.notna(high):
            anchor, direction = high, 1
        else:
            continue
        # Tail at the bound, head 38 px away in the open direction.
        arrows.append(dict(
            x=x, y=np.log10(anchor) if log else anchor, ax=0, ay=38 * direction, showarrow=True, arrowhead=2,
            arrowsize=1.2, arrowwidth=2, arrowcolor=color, text="", standoff=7, arrowside="start",
        ))  # fmt: skip
    return arrows


def _annotate(fig: go.Figure, annotations: list[dict]) -> None:
    if annotations:
        fig.update_layout(annotations=[*fig.layout.annotations, *annotations])


def _trace(
    rows: pd.DataFrame,
    name: str,
    color: str,
    symbol: str,
    low: str,
    high: str,
    x: str,
    value_text: pd.Series,
    legendgroup: str = "",
) -> go.Scatter:
    if len(rows) > MANY_POINTS:  # WebGL markers; a range becomes an error bar from its low end
        lows, highs = rows[low], rows[high]
        return go.Scattergl(
            x=rows[x], y=lows.fillna(highs), mode="markers", name=esc(name), legendgroup=legendgroup or name,
            error_y=dict(type="data", symmetric=False, array=(highs - lows).fillna(0), arrayminus=[0] * len(rows), width=0),
            marker=dict(color=color, symbol=symbol, size=7), hovertext=hover_text(rows, value_text), hoverinfo="text",
        )  # fmt: skip
    xs, ys, idx = _segments(rows, low, high, x)
    hovers = hover_text(rows, value_text)
    text = [hovers[i] if i is not None else None for i in idx]
    return go.Scatter(
        x=xs, y=ys, mode="lines+markers", name=esc(name), legendgroup=legendgroup or name,
        line=dict(color=color, width=3), connectgaps=False,
        marker=dict(color=color, symbol=symbol, size=11, line=dict(color=color, width=2)),
        hovertext=text, hoverinfo="text",
    )  # fmt: skip


def ratio_timeline_figure(ratio_claims: pd.DataFrame, estimates: list[YearEstimate], text: ChartText) -> go.Figure:
    """Claimed Russia : NATO output ratio over time on a log axis, parity at 1, estimates as bands."""
    fig = new_figure()
    for est in estimates:
        x0, x1 = pd.Timestamp(year=est.year, month=1, day=1), pd.Timestamp(year=est.year, month=12, day=31)
        fig.add_trace(
            go.Scatter(
                x=[x0, x1, x1, x0, x0],
                y=[est.implied_low, est.implied_low, est.implied_high, est.implied_high, est.implied_low],
                fill="toself", mode="lines", line=dict(width=1, color="#777", dash="dot"),
                fillcolor="rgba(120,120,120,0.18)", name="Implied by estimates (per year)", legendgroup="estimates",
                showlegend=est is estimates[0], hoveron="fills+points", hoverinfo="text",
                text=esc(f"{est.year}: output estimates imply {est.implied_low:.1f}× to {est.implied_high:.1f}× "
                         f"(Russia {est.russia_low / 1e6:.1f}–{est.russia_high / 1e6:.1f} m a year ÷ allies "
                         f"{est.allied_low / 1e6:.2f}–{est.allied_high / 1e6:.2f} m)"),
            )
        )  # fmt: skip
    plotted = ratio_claims[ratio_claims["value_low"].notna() | ratio_claims["value_high"].notna()]
    sides = sorted(plotted["speaker_side"].dropna().unique())
    colors, symbols = color_map(sides), symbol_map(sides)
    arrows: list[dict] = []
    for side in sides:
        rows = plotted[plotted["speaker_side"] == side]
        reading = rows.apply(ratio_reading, axis=1) if len(rows) else pd.Series(dtype=str)
        value_text = (
            "claimed ratio " + reading.astype(str) + " (" + rows["interpretation"].astype(str).str.slice(0, 90) + ")"
        )
        fig.add_trace(
            _trace(
                rows,
                SIDE_NAMES.get(side, side),
                colors[side],
                symbols[side],
                "value_low",
                "value_high",
                "stated_on",
                value_text,
            )
        )
        if len(plotted) <= MANY_POINTS:
            arrows += _open_bound_arrows(rows, "value_low", "value_high", "stated_on", colors[side], log=True)
    fig.add_hline(y=1, line=dict(color="#333", width=1.5, dash="dash"))
    fig.add_annotation(
        text="parity: equal output",
        xref="paper",
        x=0.005,
        y=0,
        yref="y",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=11, color="#333"),
    )
    for _, r in plotted[plotted["label"].fillna("") != ""].iterrows():
        y = r["value_high"] if pd.notna(r["value_high"]) else r["value_low"]
        arrows.append(dict(
            x=r["stated_on"], y=np.log10(y), text=esc(r["label"]), showarrow=True, arrowhead=0, ax=-20, ay=-46,
            bgcolor="rgba(255,255,255,0.85)", bordercolor="#999", borderwidth=1, font=dict(size=11),
        ))  # fmt: skip
    _annotate(fig, arrows)
    fig.update_yaxes(type="log", title="Russia's output ÷ allies' output (log scale)", range=[np.log10(0.25), np.log10(40)],
                     tickvals=[0.25, 0.5, 1, 2, 4, 8, 16, 32], ticktext=["¼×", "½×", "1×", "2×", "4×", "8×", "16×", "32×"])  # fmt: skip
    fig.update_xaxes(title="date of the statement (bands: the year the estimates describe)")
    frame(fig, text)
    # Inside the empty top-left corner (before 2024, above 8×): clear of the points and the footer, on a phone too.
    fig.update_layout(legend=dict(orientation="v", yref="paper", y=0.99, yanchor="top", x=0.01, xanchor="left",
                                  bgcolor="rgba(255,255,255,0.85)", bordercolor="#ccc", borderwidth=1))  # fmt: skip
    return fig


def _format_annual(low: float, high: float) -> str:
    def f(v: float) -> str:
        return f"{v / 1e6:.2f} m" if v >= 1e6 else f"{v:,.0f}"

    if pd.notna(low) and pd.notna(high):
        return f(low) + " a year" if low == high else f"{f(low)}–{f(high)} a year"
    if pd.notna(low):
        return f"more than {f(low)} a year"
    if pd.notna(high):
        return f"at most {f(high)} a year"
    return "no figure"


def output_figure(rows: pd.DataFrame, log_axis: bool, text: ChartText, subjects: list[str] | None = None) -> go.Figure:
    """Annualised shells per year by subject; output, capacity, target and transfer drawn with different marks."""
    fig = new_figure()
    rows = rows[rows["annual_low"].notna() | rows["annual_high"].notna()]
    order = subjects or sorted(rows["subject"].dropna().unique())
    colors, symbols = color_map(order), symbol_map(order)
    many = len(rows) > MANY_POINTS
    arrows: list[dict] = []
    parts = dict(tuple(rows.groupby(["subject", "measure"], sort=False)))  # one pass, not a mask per pair
    for subject in order:
        for measure, (suffix, _) in MEASURE_STYLE.items():
            part = parts.get((subject, measure))
            if part is None:
                continue
            name = f"{subject} — {measure}"
            if many:  # thousands of points: WebGL markers, no hover text or arrows (the table has the rows)
                fig.add_trace(go.Scattergl(
                    x=part["period_mid"], y=part["annual_high"].fillna(part["annual_low"]), mode="markers", name=esc(name),
                    marker=dict(color=colors[subject], symbol=symbols[subject] + suffix, size=6), hoverinfo="skip",
                ))  # fmt: skip
                continue
            value_text = [
                f"{measure}: {_format_annual(lo, hi)} ({how}; period {ps:%b %Y}–{pe:%b %Y})"
                for lo, hi, how, ps, pe in zip(part["annual_low"], part["annual_high"], part["annualised_how"], part["period_start"], part["period_end"], strict=False)
            ]  # fmt: skip
            trace = _trace(
                part,
                name,
                colors[subject],
                symbols[subject] + suffix,
                "annual_low",
                "annual_high",
                "period_mid",
                pd.Series(value_text, index=part.index),
            )
            if measure == "target":
                trace.line.dash = "dot"
            fig.add_trace(trace)
            arrows += _open_bound_arrows(part, "annual_low", "annual_high", "period_mid", colors[subject], log=log_axis)
    _annotate(fig, arrows)
    fig.update_yaxes(
        type="log" if log_axis else "linear",
        title="shells per year (annualised)",
        rangemode="tozero" if not log_axis else None,
    )
    fig.update_xaxes(title="period the figure describes (midpoint)")
    return frame(fig, text, height=620, side_legend=True)


def target_links_figure_traces(fig: go.Figure, links: pd.DataFrame) -> go.Figure:
    """Dotted connectors from each target to the later figure it was checked against, as one trace."""
    drawn = links[links["checked_x"].notna()]
    if drawn.empty:
        return fig
    xs, ys = [], []
    for tx, ty, cx, cy in zip(
        drawn["target_x"], drawn["target_y"], drawn["checked_x"], drawn["checked_y"], strict=True
    ):
        xs += [tx, cx, None]
        ys += [ty, cy, None]
    # SVG unless the chart is already WebGL: one WebGL trace makes a small SVG chart several times slower to draw.
    kind = go.Scattergl if any(trace.type == "scattergl" for trace in fig.data) else go.Scatter
    fig.add_trace(kind(x=xs, y=ys, mode="lines", line=dict(color="#888", width=1, dash="dot"),
                       name="target → figure it was checked against", hoverinfo="skip"))  # fmt: skip
    return fig


def claims_timeline_figure(claims: pd.DataFrame, text: ChartText) -> go.Figure:
    """Every statement as a dot on a timeline, one lane per speaker side, hover with the quote.

    Past MANY_POINTS statements, dots become monthly counts per lane (sized by count)."""
    fig = new_figure()
    sides = [s for s in SIDE_NAMES if s in set(claims["speaker_side"].dropna())]
    colors, symbols = color_map(sides), symbol_map(sides)
    many = len(claims) > MANY_POINTS
    for side in sides:
        rows = claims[claims["speaker_side"] == side]
        marker = dict(color=colors[side], symbol=symbols[side], opacity=0.8, line=dict(color="white", width=1))
        if many:
            counts = rows.groupby(rows["stated_on"].dt.to_period("M")).size()
            months = counts.index.to_timestamp()
            fig.add_trace(go.Scatter(
                x=months, y=[SIDE_NAMES[side]] * len(counts), mode="markers", name=esc(SIDE_NAMES[side]),
                marker=marker | dict(size=(6 + 18 * np.sqrt(counts / counts.max())).tolist()),
                hovertext=[f"{n:,} statements by {esc(SIDE_NAMES[side])} in {m:%B %Y}" for m, n in zip(months, counts, strict=True)],
                hoverinfo="text",
            ))  # fmt: skip
            continue
        value_text = rows["measure"].astype(str) + ": " + rows.apply(value_words, axis=1)
        fig.add_trace(go.Scatter(
            x=rows["stated_on"], y=[SIDE_NAMES[side]] * len(rows), mode="markers", name=esc(SIDE_NAMES[side]),
            marker=marker | dict(size=11), hovertext=hover_text(rows, value_text), hoverinfo="text",
        ))  # fmt: skip
    fig.update_yaxes(title="", categoryorder="array", categoryarray=list(reversed([SIDE_NAMES[s] for s in sides])))
    fig.update_xaxes(title="date of the statement" + (" (dots: statements per month)" if many else ""))
    return frame(fig, text, height=460)
