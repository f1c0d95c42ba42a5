"""Axes every chart shares: a time axis that always carries dates, and readable log ticks for shells a year."""

from __future__ import annotations

import math

import pandas as pd

# Labels by the spacing Plotly chose for the width it has: days, then months (two lines: month over year), then
# years. Plotly picks fewer ticks on a narrow plot, so a phone gets months a few apart and a desktop quarters.
TIME_TICK_FORMATS = [
    dict(dtickrange=[None, 28 * 86_400_000], value="%d %b<br>%Y"),  # under four weeks, in ms (M1 is the next stop)
    dict(dtickrange=["M1", "M12"], value="%b<br>%Y"),
    dict(dtickrange=["M12", None], value="%Y"),
]
MIN_SPAN = pd.Timedelta(days=270)  # a figure or two are drawn over their own periods, but never a bare sliver


def span(start: pd.Timestamp, end: pd.Timestamp, pad_share: float = 0.04) -> list[pd.Timestamp]:
    """An x range from start to end with a little room either side, at least MIN_SPAN wide (so a single figure
    still has dated ticks either side of it), centred on the data."""
    if end - start < MIN_SPAN:
        middle = start + (end - start) / 2
        start, end = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    pad = max((end - start) * pad_share, pd.Timedelta(days=15))
    return [start - pad, end + pad]


def time_axis(start: pd.Timestamp, end: pd.Timestamp, title: str = "", show: bool = True) -> dict:
    """A date axis over start..end whose tick labels say month and year (day where it is that close) or year,
    whatever the width; never rotated, so two-line labels stay apart on a phone."""
    axis = dict(type="date", range=span(start, end), tickformatstops=TIME_TICK_FORMATS, tickangle=0,
                showticklabels=show, ticklabelmode="instant")  # fmt: skip
    if title:
        axis["title"] = dict(text=title)
    return axis


def short(value: float) -> str:
    """200000 → '200k', 2500000 → '2.5M'."""
    if value >= 1e6:
        return f"{value / 1e6:g}M"
    if value >= 1e3:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def shell_axis(low: float, high: float, log: bool, title: str = "shells a year") -> dict:
    """A y axis for shells a year: on a log scale, ticks at 1, 2 and 5 × a power of ten written 200k / 1M / 5M
    (3 and 4 added on a narrow span), and a single value given room above and below."""
    if not log:
        return dict(type="linear", rangemode="tozero", title=dict(text=title))
    if not (low > 0 and high > 0):
        return dict(type="log", title=dict(text=title))
    low, high = min(low, high / 2.5), max(high, low * 2.5)  # at least a factor of 2.5 tall
    pick = [m * 10**e for e in range(2, 10) for m in (1, 2, 5) if low / 1.6 <= m * 10**e <= high * 1.6]
    if len(pick) < 3:
        pick = sorted(pick + [m * 10**e for e in range(2, 10) for m in (3, 4) if low / 1.6 <= m * 10**e <= high * 1.6])
    return dict(type="log", title=dict(text=title), range=[math.log10(low / 1.6), math.log10(high * 1.6)],
                tickvals=pick, ticktext=[short(v) for v in pick])  # fmt: skip
