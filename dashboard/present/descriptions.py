"""Each chart in words: what it shows, how many points, the extremes and the latest value.

The text alternative a screen reader reaches (and a sighted reader can open) beside every chart, built
from the same rows as the figure, so the two never disagree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analysis.claim_check import YearEstimate
from dashboard.analysis.output_series import Series
from dashboard.data.normalize import annual_words, ratio_reading
from dashboard.present.identity import SIDE_NAMES


def _when(day: pd.Timestamp) -> str:
    return f"{day:%-d %B %Y}"


def _who(row: pd.Series) -> str:
    return f"{row['speaker']}, {_when(row['stated_on'])}"


def ratio_chart(ratio_claims: pd.DataFrame, estimates: list[YearEstimate]) -> str:
    # Only the columns the words need: sorting every column of 10,000 claims twice cost more than the rest.
    needed = ratio_claims[["speaker", "stated_on", "value_low", "value_high"]]
    plotted = needed[needed["value_low"].notna() | needed["value_high"].notna()]
    if plotted.empty:
        return "The chart is empty: no comparative claim matches."
    top = plotted.assign(v=plotted["value_high"].fillna(plotted["value_low"])).sort_values(["v", "stated_on"])
    dated = plotted.sort_values("stated_on")
    parts = [
        f"A timeline of {len(plotted)} claims comparing Russia's ammunition output with NATO's or the West's, "
        f"from {dated.iloc[0]['stated_on']:%B %Y} to {dated.iloc[-1]['stated_on']:%B %Y}, on a log scale where 1 "
        "means equal output.",
        f"Highest: {ratio_reading(top.iloc[-1])} ({_who(top.iloc[-1])}).",
        f"Lowest: {ratio_reading(top.iloc[0])} ({_who(top.iloc[0])}).",
        f"Latest: {ratio_reading(dated.iloc[-1])} ({_who(dated.iloc[-1])}).",
    ]
    if estimates:
        bands = "; ".join(f"{e.year}: {e.implied_low:.1f}× to {e.implied_high:.1f}×" for e in estimates)
        parts.append(f"Grey bands show the ratio that output estimates imply, by year: {bands}.")
    return " ".join(parts)


def output_chart(series: list[Series]) -> str:
    if not series:
        return "The chart is empty: no figure in shells matches."
    lines = ["Shells a year, annualised, by subject over the period each figure describes."]
    for s in series:
        rows = s.rows
        # Column arrays, not rows: taking a whole row out of an Arrow-backed frame costs more than this sentence.
        low, high = rows["annual_low"].to_numpy(dtype=float), rows["annual_high"].to_numpy(dtype=float)
        starts, ends = rows["period_start"].tolist(), rows["period_end"].tolist()
        top = int(np.nanargmax(np.where(np.isnan(high), low, high)))
        lines.append(
            f"{s.subject}, {s.measure} ({'output' if s.joined else 'capacity, targets and transfers'} panel): {len(rows)} figure"
            f"{'s' if len(rows) != 1 else ''} from {min(starts):%Y} to {max(ends):%Y}; "
            f"highest {annual_words(low[top], high[top])} ({ends[top]:%Y}); "
            f"latest {annual_words(low[-1], high[-1])} ({starts[-1]:%b %Y})."
        )
    return " ".join(lines)


def claims_chart(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "The chart is empty: no statement matches."
    dated = rows.sort_values("stated_on")
    counts = dated["speaker_side"].map(SIDE_NAMES).value_counts()
    by_side = ", ".join(f"{side} {n}" for side, n in counts.items())
    return (
        f"{len(rows)} statements on a timeline from {_when(dated.iloc[0]['stated_on'])} to "
        f"{_when(dated.iloc[-1]['stated_on'])}, one lane per kind of speaker: {by_side}. "
        f"Earliest: {dated.iloc[0]['speaker']}. Latest: {dated.iloc[-1]['speaker']}."
    )
