"""Pure chart functions: tidy DataFrame in, plotly Figure out.

Every figure carries its own title, subtitle, source line, dataset version and permalink inside the
canvas, so a PNG/SVG export or the Plotly toolbar download is self-contained. Layouts are built to hold
from a 390 px phone to a 1280 px export without knowing the width: titles and the source line are wrapped
to what fits on a phone, legends sit below the plot (never over it), axes span the data shown. Text from
the dataset is escaped before it reaches Plotly, whose labels understand a subset of HTML: a quote
containing `<b>` or `<a href=…>` is shown as those characters, never interpreted.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.analysis import output_series
from dashboard.analysis.claim_check import YearEstimate
from dashboard.data.normalize import annual_words, ratio_reading, value_words
from dashboard.present.identity import MEASURE_STYLE, SIDE_NAMES, side_look, subject_look

EXPORT_WIDTH, EXPORT_HEIGHT = 1280, 720
PORTRAIT_WIDTH, PORTRAIT_HEIGHT = 1080, 1350
# Past this many points a trace is drawn with WebGL, without per-point arrows, and hover quotes are cut to a
# line: SVG traces and thousands of annotations stop being usable in a browser (bench/RESULTS.md).
MANY_POINTS = 1_500
FONT = "Inter, 'Source Sans Pro', Arial, sans-serif"
# Characters per line that fit a 390 px phone (about 358 px of figure) at each text's size.
TITLE_CHARS, SUBTITLE_CHARS, FOOTER_CHARS, LABEL_CHARS = 40, 56, 64, 24
STATUS_MARK = {"met": "✓ met", "missed": "✗ missed", "pending": "… pending", "unknown": "? unknown"}

# A small white template, built once: the stock "plotly_white" is deep-copied into every figure, which
# costs more than the rest of a small chart (bench/RESULTS.md).
TEMPLATE = go.layout.Template(
    layout=dict(
        paper_bgcolor="white", plot_bgcolor="white", hovermode="closest",
        font=dict(color="#2a3f5f"),
        xaxis=dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", automargin=True, ticks=""),
        yaxis=dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", automargin=True, ticks=""),
    )
)  # fmt: skip


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
    """Escaped text broken into <br>-separated lines (long words, such as URLs, broken too)."""
    lines = textwrap.wrap(str(value or ""), width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return "<br>".join(esc(line) for line in lines)


def hover_text(rows: pd.DataFrame, value_text: pd.Series) -> list[str]:
    """Who said it, when, the figure, the verbatim quote and the source, for each row.

    Past MANY_POINTS rows the quote is cut to one line, so the page stays light. Lines are short enough
    for a hover label on a phone."""
    compact = len(rows) > MANY_POINTS
    out = []
    columns = ("speaker", "speaker_role", "stated_on", "quote", "publisher", "original_publisher", "grade")
    for (speaker, role, stated, quote, publisher, original, grade), value in zip(
        zip(*(rows[c] if c in rows else [""] * len(rows) for c in columns), strict=True), value_text, strict=False
    ):
        who = f"<b>{esc(speaker)}</b>" + (f", {wrap(role, 44, 2)}" if isinstance(role, str) and role else "")
        when = stated.strftime("%d %b %Y") if pd.notna(stated) else ""
        if isinstance(quote, str) and quote:
            said = f"“{esc(quote[:100])}{'…' if len(quote) > 100 else ''}”" if compact else f"“{wrap(quote, 48)}”"
        else:
            said = "<i>(no verbatim quote: the source paraphrases)</i>"
        outlet = esc(original) + f", via {esc(publisher)}" if isinstance(original, str) and original else esc(publisher)
        out.append(f"{who}<br>{esc(when)}<br>{wrap(value, 48, 3)}<br>{said}<br>Source: {outlet} · grade: {esc(grade)}")
    return out


def _chart_words(text: ChartText, scale: float = 1.0, chars: float = 1.0) -> str:
    """Title, subtitle and source line as one block of Plotly text, wrapped to `chars` × a phone's width.

    The block's base font is small and each part sets its own size: Plotly spaces every line by the base
    size, so a large base would open wide gaps between the small lines."""
    source = f"Source: {text.source_line}. Shell Count data v{text.version}"
    if text.updated:
        source += f" (updated {text.updated})"
    link = text.permalink
    source_lines = wrap(source, int(FOOTER_CHARS * chars), 4) + (
        f"<br>{wrap(link, int(FOOTER_CHARS * chars), 3)}" if link else ""
    )
    return (
        f"<span style='font-size:{16 * scale:.0f}px'><b>{wrap(text.title, int(TITLE_CHARS * chars), 3)}</b></span><br>"
        f"<span style='font-size:{12 * scale:.0f}px;color:#333'>{wrap(text.subtitle, int(SUBTITLE_CHARS * chars), 5)}</span><br>"
        f"<span style='font-size:{10 * scale:.0f}px;color:#666'>{source_lines}</span>"
    )


def chart_text_layout(text: ChartText, height: int = 560) -> dict:
    """Layout that draws title, subtitle, source line, version and permalink inside the figure; legend below.

    The words sit above the plot as one block that pushes the top margin (automargin), wrapped to a phone's
    width; the legend is anchored to the figure's bottom edge and pushes the bottom margin. So at any width
    nothing is cut, and neither the words nor the legend ever lie over the plot."""
    return dict(
        meta=dict(chart_text=dict(text.__dict__)),  # the portrait export lays the words out again from these
        title=dict(text=_chart_words(text), x=0, xref="container", xanchor="left", yref="paper", y=1,
                   yanchor="bottom", pad=dict(b=14, l=8), automargin=True, font=dict(size=12)),
        font=dict(family=FONT, size=12),
        height=height,
        margin=dict(l=8, r=14, t=10, b=10, autoexpand=True),
        legend=dict(orientation="h", xref="container", x=0.01, xanchor="left", yref="container", y=0,
                    yanchor="bottom", font=dict(size=11), tracegroupgap=4),
        hoverlabel=dict(align="left", font=dict(size=12)),
    )  # fmt: skip


def add_chart_text(fig: go.Figure, text: ChartText, height: int = 560) -> go.Figure:
    """The chart's words and legend placement (chart_text_layout) on an existing figure."""
    return fig.update_layout(**chart_text_layout(text, height))


def portrait(fig: go.Figure) -> go.Figure:
    """The same chart laid out for a 1080 × 1350 social/phone image: taller plot, larger type, words rewrapped."""
    out = go.Figure(fig)
    words = (fig.layout.meta or {}).get("chart_text")
    title = dict(text=_chart_words(ChartText(**words), scale=1.9, chars=1.45), font=dict(size=22)) if words else {}
    out.update_layout(
        height=PORTRAIT_HEIGHT, width=PORTRAIT_WIDTH, font=dict(size=20), title=title, legend=dict(font=dict(size=20)),
        margin=dict(l=20, r=28, b=20),
    )  # fmt: skip
    out.for_each_annotation(lambda a: a.update(font=dict(size=(a.font.size or 12) * 1.6)))  # panel titles, labels
    return out


def _shell_ticks(low: float, high: float) -> dict:
    """Log-axis ticks at 1, 2 and 5 × a power of ten, written 200k / 1M / 2.5M: fewer, readable labels."""
    values = [m * 10**e for e in range(2, 10) for m in (1, 2, 5) if low / 1.5 <= m * 10**e <= high * 1.5]
    if len(values) < 3:  # a narrow span: add the 3s and 4s
        values = sorted(
            values + [m * 10**e for e in range(2, 10) for m in (3, 4) if low / 1.5 <= m * 10**e <= high * 1.5]
        )
    return dict(tickvals=values, ticktext=[_short(v) for v in values])


def _short(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:g}M"
    if value >= 1e3:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def _time_axis(start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """A date axis from start to end with a little room either side, and ticks few enough for a phone, where a
    plot can be 200 px wide: years past thirteen months, else every four months."""
    long = (end - start) > pd.Timedelta(days=396)
    return dict(range=_span(start, end), dtick="M12" if long else "M4", tickformat="%Y" if long else "%b %Y")


def _span(start: pd.Timestamp, end: pd.Timestamp, pad_share: float = 0.03) -> list[pd.Timestamp]:
    """An x range from start to end with a little room either side (so the axis fits the data it shows)."""
    pad = max((end - start) * pad_share, pd.Timedelta(days=20))
    return [start - pad, end + pad]


def _open_bound_arrows(
    rows: pd.DataFrame, low_col: str, high_col: str, x_col: str, color: str, log: bool, xref: str = "x", yref: str = "y"
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
        # Tail at the bound, head 30 px away in the open direction.
        arrows.append(dict(
            x=x, y=np.log10(anchor) if log else anchor, xref=xref, yref=yref, ax=0, ay=30 * direction,
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


def _points(rows, name, color, symbol, low, high, x, value_text, legendgroup="", showlegend=True, size=10, webgl=None):
    """A figure per row: a marker, and a bar from low to high for a range (WebGL markers past MANY_POINTS
    rows in the trace, or in the whole chart when `webgl` says so)."""
    if webgl or (webgl is None and len(rows) > MANY_POINTS):  # a range becomes an error bar from its low end
        lows, highs = rows[low], rows[high]
        return go.Scattergl(
            x=rows[x], y=lows.fillna(highs), mode="markers", name=esc(name), legendgroup=legendgroup or name,
            showlegend=showlegend, marker=dict(color=color, symbol=symbol, size=6),
            error_y=dict(type="data", symmetric=False, array=(highs - lows).fillna(0), arrayminus=[0] * len(rows), width=0),
            hovertext=hover_text(rows, value_text), hoverinfo="text",
        )  # fmt: skip
    xs, ys, idx = _segments(rows, low, high, x)
    hovers = hover_text(rows, value_text)
    return go.Scatter(
        x=xs, y=ys, mode="lines+markers", name=esc(name), legendgroup=legendgroup or name, showlegend=showlegend,
        line=dict(color=color, width=3), connectgaps=False,
        marker=dict(color=color, symbol=symbol, size=size, line=dict(color=color, width=2)),
        hovertext=[hovers[i] if i is not None else None for i in idx], hoverinfo="text",
    )  # fmt: skip


# ---- the Overview: claimed ratio over time ---------------------------------------------------------
def ratio_timeline_figure(ratio_claims: pd.DataFrame, estimates: list[YearEstimate], text: ChartText) -> go.Figure:
    """Claimed Russia : NATO output ratio over time on a log axis, parity at 1, estimates as bands.

    Traces and layout are collected and handed to the figure once (each add or update re-validates it)."""
    traces: list = []
    for est in estimates:
        x0, x1 = pd.Timestamp(year=est.year, month=1, day=1), pd.Timestamp(year=est.year, month=12, day=31)
        traces.append(
            go.Scatter(
                x=[x0, x1, x1, x0, x0],
                y=[est.implied_low, est.implied_low, est.implied_high, est.implied_high, est.implied_low],
                fill="toself", mode="lines", line=dict(width=1, color="#777", dash="dot"),
                fillcolor="rgba(120,120,120,0.18)", name="Implied by output estimates", legendgroup="estimates",
                showlegend=est is estimates[0], hoveron="fills+points", hoverinfo="text",
                text=wrap(f"{est.year}: output estimates imply {est.implied_low:.1f}× to {est.implied_high:.1f}× "
                          f"(Russia {est.russia_low / 1e6:.1f}–{est.russia_high / 1e6:.1f} million a year ÷ allies "
                          f"{est.allied_low / 1e6:.2f}–{est.allied_high / 1e6:.2f} million)", 48),
            )
        )  # fmt: skip
    plotted = ratio_claims[ratio_claims["value_low"].notna() | ratio_claims["value_high"].notna()]
    sides = [s for s in SIDE_NAMES if s in set(plotted["speaker_side"].dropna())]
    arrows: list[dict] = []
    for side in sides:
        rows = plotted[plotted["speaker_side"] == side]
        look = side_look(side)
        reading = rows.apply(ratio_reading, axis=1) if len(rows) else pd.Series(dtype=str)
        value_text = "claimed ratio " + reading.astype(str) + ": " + rows["interpretation"].astype(str).str.slice(0, 90)
        traces.append(
            _points(
                rows,
                SIDE_NAMES.get(side, side),
                look.color,
                look.symbol,
                "value_low",
                "value_high",
                "stated_on",
                value_text,
            )
        )
        if len(plotted) <= MANY_POINTS:
            arrows += _open_bound_arrows(rows, "value_low", "value_high", "stated_on", look.color, log=True)
    parity_line = dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=1, y1=1,
                       line=dict(color="#333", width=1.5, dash="dash"))  # fmt: skip
    arrows.insert(0, dict(text="parity", xref="paper", x=0.005, y=0, yref="y", xanchor="left", yanchor="bottom",
                          showarrow=False, font=dict(size=11, color="#333")))  # fmt: skip
    labelled = plotted[plotted["label"].fillna("") != ""].sort_values("stated_on")
    for i, (_, r) in enumerate(labelled.iterrows()):
        y = r["value_high"] if pd.notna(r["value_high"]) else r["value_low"]
        up = y >= 1 if len(labelled) < 3 else i % 2 == 0  # above a claim of Russia ahead, below one of parity
        # The box ends left of its point (xanchor right): the labelled claims are the latest, at the right edge.
        arrows.append(dict(
            x=r["stated_on"], y=np.log10(y), text=wrap(r["label"], LABEL_CHARS, 4), showarrow=True, arrowhead=0,
            ax=-14, ay=-34 if up else 34, xanchor="right", yanchor="bottom" if up else "top", align="right",
            bgcolor="rgba(255,255,255,0.9)", bordercolor="#999", borderwidth=1, font=dict(size=11),
        ))  # fmt: skip
    dates = [*plotted["stated_on"].dropna()] + [
        pd.Timestamp(year=e.year, month=m, day=1) for e in estimates for m in (1, 12)
    ]
    layout = dict(
        template=TEMPLATE, shapes=[parity_line], annotations=arrows,
        yaxis=dict(type="log", title="Russia ÷ allies (log scale)", range=[np.log10(0.2), np.log10(40)],
                   tickvals=[0.25, 0.5, 1, 2, 4, 8, 16, 32], ticktext=["¼×", "½×", "1×", "2×", "4×", "8×", "16×", "32×"]),
        xaxis=dict(title=wrap("date of the statement (grey bands: the year the estimates describe)", 48),
                   **(_time_axis(min(dates), max(dates)) if dates else {})),
        **chart_text_layout(text),
    )  # fmt: skip
    return go.Figure(data=traces, layout=layout)


# ---- Output: each subject's shells per year over time -------------------------------------------
def output_figure(
    series: list[output_series.Series], log_axis: bool, text: ChartText, status: pd.DataFrame | None = None
) -> go.Figure:
    """Each subject's output over time, joined; capacity, targets and transfers in a panel of their own.

    Upper panel: output figures as markers at the middle of the period they describe, a bar across that
    period, a vertical bar for a range, joined in time per subject. Lower panel: capacity (hollow,
    dashed), targets (hollow with a dot, dotted, with their met/missed/pending status) and transfers.
    Colours and symbols are each subject's own (identity.py), whatever the filter. `series`: output_series.series."""
    status_of = dict(zip(status["claim_id"], status["status"], strict=True)) if status is not None else {}
    many = sum(len(s.rows) for s in series) > MANY_POINTS
    legend_done: set[str] = set()
    traces: list = []  # collected and handed to the figure once: adding them one by one re-validates the figure
    arrows: list[dict] = []
    for s in series:
        look, style = subject_look(s.subject), MEASURE_STYLE[s.measure]
        axes = dict(xaxis="x", yaxis="y") if s.joined else dict(xaxis="x2", yaxis="y2")
        part = s.rows
        value_text = pd.Series(
            [
                f"{measure}: {annual_words(lo, hi)} ({how}; {ps:%b %Y}–{pe:%b %Y})"
                + (f"; target {STATUS_MARK.get(status_of.get(cid, 'unknown'))}" if measure == "target" and status_of else "")
                for measure, lo, hi, how, ps, pe, cid in zip(part["measure"].tolist(), part["annual_low"].tolist(), part["annual_high"].tolist(),
                                                              part["annualised_how"].tolist(), part["period_start"], part["period_end"],
                                                              part["claim_id"].tolist(), strict=True)
            ],
            index=part.index,
        )  # fmt: skip
        first = s.subject not in legend_done
        legend_done.add(s.subject)
        name = s.subject
        xs, ys = s.path()
        if s.joined and not many and len(xs) > 1:  # a line needs two figures to join
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=look.color, width=2), name=esc(name),
                                     legendgroup=name, showlegend=False, hoverinfo="skip", **axes))  # fmt: skip
        if not many:  # the period each figure describes, as a thin bar across it
            px, py = [], []
            for ps, pe, lo, hi in zip(part["period_start"], part["period_end"], part["annual_low"].tolist(),
                                      part["annual_high"].tolist(), strict=True):  # fmt: skip
                px += [ps, pe, None]
                py += [hi if pd.isna(lo) else lo] * 2 + [None]
            traces.append(go.Scatter(x=px, y=py, mode="lines", line=dict(color=look.color, width=1.5, dash=style.dash),
                                     opacity=0.6, name=esc(name), legendgroup=name, showlegend=False, hoverinfo="skip",
                                     **axes))  # fmt: skip
        trace = _points(part, name, look.color, look.symbol + style.symbol_suffix, "annual_low", "annual_high",
                        "period_mid", value_text, legendgroup=name, showlegend=first, size=9, webgl=many)  # fmt: skip
        trace.update(mode="lines+markers" if not many else "markers", **axes)
        traces.append(trace)
        if not many:
            arrows += _open_bound_arrows(part, "annual_low", "annual_high", "period_mid", look.color, log_axis, **{
                "xref": axes["xaxis"], "yref": axes["yaxis"]})  # fmt: skip
    span = output_series.time_span(series)
    time_axis = _time_axis(*span) if span else {}
    y_axes = []
    for panel in ([s for s in series if s.joined], [s for s in series if not s.joined]):
        values = pd.concat([s.rows[c] for s in panel for c in ("annual_low", "annual_high")]) if panel else pd.Series()
        ticks = _shell_ticks(values.min(), values.max()) if log_axis and values.notna().any() else {}
        y_axes.append(dict(type="log" if log_axis else "linear", rangemode=None if log_axis else "tozero",
                           title="shells a year", **ticks))  # fmt: skip
    # Two panels sharing the time axis (what make_subplots builds, written out: it costs less than the whole chart).
    upper, lower = [0.454, 1.0], [0.0, 0.364]
    titles = [dict(text=title, xref="paper", yref="paper", x=0, y=y, xanchor="left", yanchor="bottom", showarrow=False,
                   font=dict(size=12, color="#333"))
              for title, y in (("Output", upper[1]), ("Capacity, targets and transfers (never added to output)", lower[1]))]  # fmt: skip
    fig = go.Figure(
        data=traces,
        layout=dict(
            template=TEMPLATE,
            xaxis=dict(anchor="y", domain=[0, 1], matches="x2", showticklabels=False, **time_axis),
            xaxis2=dict(anchor="y2", domain=[0, 1], title="period each figure describes", **time_axis),
            yaxis=dict(anchor="x", domain=upper, **y_axes[0]),
            yaxis2=dict(anchor="x2", domain=lower, **y_axes[1]),
            annotations=titles + arrows,
            **chart_text_layout(text, height=700),
        ),
    )
    return fig


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


def claims_timeline_figure(claims: pd.DataFrame, text: ChartText) -> go.Figure:
    """Every statement as a dot on a timeline, one lane per speaker side, hover with the quote.

    Past MANY_POINTS statements, dots become monthly counts per lane (sized by count). Traces and layout are
    handed to the figure once."""
    traces: list = []
    annotations: list[dict] = []
    sides = [s for s in SIDE_NAMES if s in set(claims["speaker_side"].dropna())]
    many = len(claims) > MANY_POINTS
    first, last, early = claims_span(claims["stated_on"])
    low, high = _span(first, last)
    for side in sides:
        rows = claims[claims["speaker_side"] == side]
        look = side_look(side)
        marker = dict(color=look.color, symbol=look.symbol, opacity=0.85, line=dict(color="white", width=1))
        if many:
            counts = rows.groupby(rows["stated_on"].dt.to_period("M")).size()
            months = counts.index.to_timestamp()
            traces.append(go.Scatter(
                x=months, y=[SIDE_NAMES[side]] * len(counts), mode="markers", name=esc(SIDE_NAMES[side]),
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
        traces.append(go.Scatter(
            x=x, y=[SIDE_NAMES[side]] * len(rows), mode="markers", name=esc(SIDE_NAMES[side]), showlegend=False,
            marker=marker | dict(size=11), hovertext=hover_text(rows, value_text), hoverinfo="text",
        ))  # fmt: skip
    if len(early):
        annotations.append(dict(
            text=esc(f"◀ {len(early)} earlier ({early.min():%Y}"
                     + (f"–{early.max():%Y})" if early.max().year != early.min().year else ")")),
            xref="paper", yref="paper", x=0, y=1.0, xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=11, color="#555"),
        ))  # fmt: skip
    layout = dict(
        template=TEMPLATE, annotations=annotations,
        yaxis=dict(title="", categoryorder="array", categoryarray=list(reversed([SIDE_NAMES[s] for s in sides]))),
        xaxis=dict(title="date of the statement" + (" (dots: statements per month)" if many else ""),
                   **_time_axis(first, last)),
        **chart_text_layout(text, height=480),
    )  # fmt: skip
    layout["showlegend"] = False  # the lanes name the sides
    return go.Figure(data=traces, layout=layout)
