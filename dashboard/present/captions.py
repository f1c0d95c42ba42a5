"""Words and tables that go with the charts: one-sentence summaries and display tables (text alternatives)."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.data.load import SOURCE_RENAMES
from dashboard.data.normalize import ratio_reading, value_words
from dashboard.data.schema import Package

DISPLAY_COLUMNS = {
    "claim_id": "id", "stated_on": "date", "speaker": "speaker", "speaker_role": "role", "subject": "subject",
    "measure": "measure", "value_low": "low", "value_high": "high", "unit": "unit", "annual_low": "per year (low)",
    "annual_high": "per year (high)", "annualised_how": "how annualised", "period_start": "period from",
    "period_end": "period to", "caliber": "calibre", "basis": "basis", "quote": "quote",
    "interpretation": "interpretation", "publisher": "source", "grade": "grade", "url": "link",
}  # fmt: skip


def display_table(rows: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows behind a chart with readable headers, dates as dates."""
    cols = [c for c in (columns or list(DISPLAY_COLUMNS)) if c in rows]
    out = rows[cols].rename(columns=DISPLAY_COLUMNS)
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.date
    return out.reset_index(drop=True)


_DIRECTIVE = re.compile(r"(?<!\\):(?=[A-Za-z][\w/-]*[\[:])")  # :red[…], :material/x:, :smile:


def inert_markdown(text: str) -> str:
    """Markdown kept (headings, lists, emphasis, links) with Streamlit's own extensions made literal: colour,
    badge and icon directives and LaTeX. For files a contributor can edit, such as the changelog; st.markdown
    already shows raw HTML as text."""
    return _DIRECTIVE.sub(r"\\:", text).replace("$", r"\$")


def blank_missing(table: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as an empty cell, not 'None' (number and date columns keep their type)."""
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].astype(object).where(out[c].notna(), "")
    return out


def _m(v: float) -> str:
    return f"{v / 1e6:.1f} million" if v >= 1e6 else f"{v:,.0f}"


def _day(value) -> str:
    """'6 November 2025' (no leading zero)."""
    return f"{value.day} {value:%B %Y}"


def ratio_summary(ratio_claims: pd.DataFrame, comparisons: pd.DataFrame) -> str:
    """What the headline chart shows, in plain sentences (no ids, no brackets inside brackets)."""
    if ratio_claims.empty:
        return "No comparative claims match this view."
    stated = ratio_claims["stated_on"].reset_index(drop=True)  # no sort of the whole frame: two look-ups
    first = ratio_claims.iloc[int(stated.idxmin())]
    last = ratio_claims.iloc[int(stated[stated == stated.max()].index[-1])]
    compared = comparisons[comparisons["implied_low"].notna()]
    estimate = ""
    if not compared.empty:
        latest = compared.iloc[-1]
        estimate = (
            f" The output estimates published by {_day(latest['stated_on'])}, the date of the latest compared claim, "
            f"imply {latest['implied_low']:.1f}× to {latest['implied_high']:.1f}× for {int(latest['estimate_year'])}."
        )
    return (
        f"{len(ratio_claims)} comparative claims from {first['stated_on']:%B %Y} to {last['stated_on']:%B %Y}. "
        f"The earliest, by {first['speaker']}, said Russia's output was {ratio_reading(first)} the comparator's; "
        f"the latest, by {last['speaker']} on {_day(last['stated_on'])}, {ratio_reading(last)}.{estimate}"
    )


def output_summary(rows: pd.DataFrame) -> str:
    shown = rows[rows["annual_low"].notna() | rows["annual_high"].notna()]
    if shown.empty:
        return "No figures in shells match this view."
    parts = []
    for subject, group in shown.groupby("subject", sort=True):
        latest = group.sort_values(["period_end", "stated_on"]).iloc[-1]
        value = latest["annual_high"] if pd.notna(latest["annual_high"]) else latest["annual_low"]
        parts.append(f"{subject}: latest {latest['measure']} figure {_m(value)} a year ({latest['period_end']:%Y})")
    return f"{len(shown)} figures, annualised to shells per year. " + "; ".join(parts) + "."


def label_note(label: str) -> str:
    """A chart label without its date: '5 Jul 2025: 12× as worded; 4× in his other statements' → what follows."""
    for separator in (": ", " — "):
        if separator in label:
            return label.split(separator, 1)[1]
    return label


def key_figures(ratio_claims: pd.DataFrame, estimates: list) -> list[tuple[str, str, str, str]]:
    """Three headline numbers (label, value as worded, help, a note under the value): the two latest
    labelled claims, whose note says how they usually read, and the latest estimate-implied ratio."""
    out: list[tuple[str, str, str, str]] = []
    labelled = ratio_claims[ratio_claims["label"].fillna("") != ""].sort_values("stated_on").tail(2)
    for _, r in labelled.iterrows():
        out.append(
            (
                f"{r['speaker']}, {r['stated_on']:%d %b %Y}",
                ratio_reading(r),
                str(r["interpretation"]),
                label_note(r["label"]),
            )
        )
    if estimates:
        e = estimates[-1]
        out.append(
            (
                f"Implied by output estimates for {e.year}",
                f"{e.implied_low:.1f}× to {e.implied_high:.1f}×",
                f"Russia {_millions(e.russia_low, e.russia_high, 1)} a year ÷ US and Europe "
                f"{_millions(e.allied_low, e.allied_high, 2)}. Sources: {'; '.join(e.sources)}.",
                "Russia's output ÷ US and European output",
            )
        )
    return out


def _millions(low: float, high: float, digits: int) -> str:
    return (
        f"{low / 1e6:.{digits}f} million" if low == high else f"{low / 1e6:.{digits}f}–{high / 1e6:.{digits}f} million"
    )


def comparison_table(comparisons: pd.DataFrame) -> pd.DataFrame:
    """The claim check as a readable table: the claim's source as a link (`source`), the estimates used by
    outlet and date; claim ids stay out of sight."""
    readings = [
        ratio_reading({"value_low": low, "value_high": high})
        for low, high in zip(comparisons["claim_low"].tolist(), comparisons["claim_high"].tolist(), strict=True)
    ]
    out = pd.DataFrame(
        {
            "date": comparisons["stated_on"].dt.date,
            "speaker": comparisons["speaker"],
            "compared with": comparisons["comparator"],
            "claimed": readings,
            "estimates for": comparisons["estimate_year"].astype("string").fillna("—"),
            "implied by estimates": [
                f"{lo:.1f}× to {hi:.1f}×" if pd.notna(lo) else status
                for lo, hi, status in zip(
                    comparisons["implied_low"], comparisons["implied_high"], comparisons["status"], strict=False
                )
            ],
            "check": comparisons["status"],
            "estimates used": comparisons["sources_used"],
            "source": comparisons["url"],
        }
    )
    return out


def target_table(status: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target": status["claim_id"],
            "subject": status["subject"],
            "stated": status["stated_on"].dt.date,
            "due": status["due"].dt.date,
            "target (per year, or total)": status["target_value"].map(lambda v: f"{v:,.0f}"),
            "status": status["status"],
            "checked against": status["checked_against"],
            "that figure": status["checked_value"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
        }
    )


def claims_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Date, speaker, role, outlet, quote, interpretation, link and grade for the Claims page."""
    original = rows["original_publisher"].fillna("")
    # The outlet read and the original together: "The New York Times, via Kyiv Independent".
    outlet = (original + ", via " + rows["publisher"]).where(original != "", rows["publisher"])
    return pd.DataFrame(
        {
            "date": rows["stated_on"].dt.date,
            "speaker": rows["speaker"],
            "role": rows["speaker_role"],
            "outlet": outlet,
            "figure": [f"{m}: {value_words(r)}" for m, (_, r) in zip(rows["measure"], rows.iterrows(), strict=False)],
            "quote": rows["quote"],
            "interpretation": rows["interpretation"],
            "link": rows["url"],
            "grade": rows["grade"],
            "id": rows["claim_id"],
        }
    ).reset_index(drop=True)


# Derived columns shown beside the figures they come from, and source columns a reader of one row does not need.
DERIVED_AFTER_UNIT = ["annual_low", "annual_high", "annualised_how"]
SOURCE_COLUMNS_LEFT_OUT = ("source_id", "accessed_on", "language", "excerpt")


def data_columns(package: Package) -> list[str]:
    """The columns of the Data page and of every CSV, from the schema: each claims column (the annualised
    figures after `unit`), then the source's; a column added to the schema appears here without an edit."""
    claims = list(package.claims.field_names)
    at = claims.index("unit") + 1 if "unit" in claims else len(claims)
    sources = [SOURCE_RENAMES.get(n, n) for n in package.sources.field_names if n not in SOURCE_COLUMNS_LEFT_OUT]
    return claims[:at] + DERIVED_AFTER_UNIT + claims[at:] + sources


# Shown first on the Data page (the CSV keeps the schema's order): who, when, what, the words, the link.
DATA_FIRST = [
    "claim_id",
    "stated_on",
    "speaker",
    "subject",
    "measure",
    "value_low",
    "value_high",
    "unit",
    "quote",
    "url",
    "grade",
]


def data_table(rows: pd.DataFrame, package: Package) -> pd.DataFrame:
    """Every curated column plus the normalised ones and the source, dates as dates; this is also the CSV."""
    out = rows[[c for c in data_columns(package) if c in rows]].copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.date
    return out.reset_index(drop=True)
