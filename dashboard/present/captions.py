"""Words and tables that go with the charts: one-sentence summaries and display tables (text alternatives)."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.analysis.claim_check import PARTIAL_CALIBRES
from dashboard.data.load import SOURCE_RENAMES
from dashboard.data.normalize import annual_words, ratio_reading, ratio_readings, value_words
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
    """Output first, and said to be output: each subject's latest output figure; then, apart, the latest figure
    of the other measures (capacity, a target, a transfer) for subjects the view shows, each named as what it is."""
    rows = rows[["subject", "measure", "annual_low", "annual_high", "period_end", "stated_on", "speaker"]]
    shown = rows[rows["annual_low"].notna() | rows["annual_high"].notna()]
    if shown.empty:
        return "No figures in shells match this view."
    count = len(shown)
    parts = [f"{count} figure{'s' if count != 1 else ''}, annualised to shells per year."]
    ordered = shown.sort_values(["period_end", "stated_on"], kind="stable")  # one sort; each group's last is its latest

    def latest(frame: pd.DataFrame, keys: list[str]) -> list[str]:
        last = frame.groupby(keys, sort=False).tail(1).sort_values(keys, kind="stable")
        return [
            f"{r['subject']}{' ' + r['measure'] if len(keys) > 1 else ''} "
            f"{_m(r['annual_high'] if pd.notna(r['annual_high']) else r['annual_low'])} a year "
            f"({r['period_end']:%Y}, {r['speaker']})"
            for r in last[[*keys, "annual_low", "annual_high", "period_end", "speaker"]].to_dict("records")
        ]

    is_output = ordered["measure"] == "output"
    if is_output.any():
        parts.append("Latest output figure: " + "; ".join(latest(ordered[is_output], ["subject"])) + ".")
    if (~is_output).any():  # counted, not listed: each is on the chart's lower panel and in the table
        counts = ordered.loc[~is_output, "measure"].value_counts()
        words = {"capacity": "capacity figure", "target": "target", "transfer": "transfer figure"}
        counted = [f"{n} {words.get(m, m)}{'s' if n != 1 else ''}" for m, n in counts.sort_index().items()]
        parts.append("Also shown, and never added to output: " + ", ".join(counted) + ".")
    return " ".join(parts)


# Whose output the Overview lists year by year: Russia, then the allied figures its ratio is compared with.
OUTPUT_SIDES = ("Russia", "United States", "Europe", "European Union", "United States and Europe", "NATO")


def output_by_year(claims: pd.DataFrame) -> pd.DataFrame:
    """Each main side's latest output figure for each year it describes (the newest statement about that year):
    what a reader who wants "how much did each side make" reads first, with who said it and the source."""
    # A figure for one calibre among several (Russia's 152 mm alone) is not the side's output: left out, as on the chart.
    keep = (
        claims["measure"].eq("output") & claims["subject"].isin(OUTPUT_SIDES)
        & (claims["annual_low"].notna() | claims["annual_high"].notna()) & ~claims["caliber"].isin(PARTIAL_CALIBRES)
    )  # fmt: skip
    # The rows and only the columns read, taken once (each mask over every column copied the whole frame).
    read = ["subject", "annual_low", "annual_high", "period_start", "period_end", "period_mid", "stated_on",
            "claim_id", "speaker", "url"]  # fmt: skip
    rows = claims.loc[keep, read]
    if rows.empty:
        return pd.DataFrame(columns=["output of", "year", "output a year", "period", "said by", "source"])
    rows = rows.assign(year=rows["period_mid"].dt.year).sort_values(["stated_on", "claim_id"])
    latest = rows.groupby(["subject", "year"], sort=False).tail(1)
    order = {s: i for i, s in enumerate(OUTPUT_SIDES)}
    latest = latest.sort_values(["subject", "year"], key=lambda c: c.map(order) if c.name == "subject" else -c)
    return pd.DataFrame(
        {
            "output of": latest["subject"],
            "year": latest["year"].astype(str),  # a year, not a number with a thousands separator
            "output a year": [
                annual_words(lo, hi) for lo, hi in zip(latest["annual_low"], latest["annual_high"], strict=True)
            ],
            "period": [
                f"{a:%b %Y}–{b:%b %Y}" for a, b in zip(latest["period_start"], latest["period_end"], strict=True)
            ],
            "said by": [f"{s}, {d:%-d %b %Y}" for s, d in zip(latest["speaker"], latest["stated_on"], strict=True)],
            "source": latest["url"],
        }
    ).reset_index(drop=True)


def changelog_parts(changelog: str) -> tuple[str, str, str]:
    """(introduction, the newest release's heading and summary, the rest) of CHANGELOG.md as Markdown for a page:
    the file's own title dropped, a section with nothing in it (an empty Unreleased) left out, headings two levels
    down so they sit under the page's own. The rest (every correction, earlier releases) is long: a page folds it."""
    sections: list[str] = []
    for part in re.split(r"(?m)^(?=## )", changelog.strip()):
        body = part.split("\n", 1)[1].strip() if part.startswith("## ") and "\n" in part else ""
        if part.startswith("## ") and not body:
            continue
        sections.append(re.sub(r"(?m)^(#{1,4}) ", lambda m: "#" * min(6, len(m.group(1)) + 2) + " ", part.strip()))
    intro = sections.pop(0) if sections and not sections[0].startswith("####") else ""
    intro = re.sub(r"(?m)^### .*\n?", "", intro).strip()  # the file's own "# Changelog" title
    if not sections:
        return intro, "", ""
    newest = re.split(r"(?m)^(?=##### )", sections[0])
    summary = [p for p in newest[1:] if p.startswith("##### Summary")]
    shown = newest[0] + "".join(summary)
    rest = [p for p in newest[1:] if p not in summary]
    details = (newest[0].strip() + " (continued)\n\n" + "".join(rest)) if rest else ""
    return intro, shown.strip(), "\n\n".join(x for x in [details, *sections[1:]] if x).strip()


def outlet(rows: pd.DataFrame) -> pd.Series:
    """Where each row was read, with the original when it was a relay: "The New York Times, via Kyiv Independent"."""
    original = (
        rows["original_publisher"].fillna("") if "original_publisher" in rows else pd.Series("", index=rows.index)
    )
    return (original + ", via " + rows["publisher"]).where(original != "", rows["publisher"])


def line_table(rows: pd.DataFrame) -> pd.DataFrame:
    """A line's instances, oldest first: when, how each relates to the line, the figure as worded, who, the words and
    the source."""
    from dashboard.analysis.lines import RELATION_WORDS

    return pd.DataFrame(
        {
            "date": rows["stated_on"].dt.date,
            "how": rows["line_relation"].map(RELATION_WORDS),
            "figure as worded": [value_words(r) for r in rows.to_dict("records")],
            "speaker": rows["speaker"],
            "quote": rows["quote"],
            "outlet": outlet(rows),
            "link": rows["url"],
            "id": rows["claim_id"],
        }
    ).reset_index(drop=True)


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
    readings = ratio_readings(comparisons["claim_low"], comparisons["claim_high"]).tolist()
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
    """Each target as a reader asks of it: whose, how much, due when, and was it met (the claim id last, for a
    reference)."""
    return pd.DataFrame(
        {
            "subject": status["subject"],
            "target (per year, or total)": status["target_value"].map(lambda v: f"{v:,.0f}"),
            "due": status["due"].dt.date,
            "status": status["status"],
            "that figure": status["checked_value"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
            "checked against": status["checked_against"],
            "stated": status["stated_on"].dt.date,
            "id": status["claim_id"],
        }
    )


def claims_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Date, speaker, the quote, the figure, outlet, role, interpretation, link and grade for the Claims page:
    who said what first, the words right beside them."""
    return pd.DataFrame(
        {
            "date": rows["stated_on"].dt.date,
            "speaker": rows["speaker"],
            "quote": rows["quote"],
            "figure": [
                f"{r['measure']}: {value_words(r)}"
                for r in rows[["measure", "value_low", "value_high", "unit"]].to_dict("records")
            ],
            "outlet": outlet(rows),
            "role": rows["speaker_role"],
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
    "claim_id",
]


def data_table(rows: pd.DataFrame, package: Package) -> pd.DataFrame:
    """Every curated column plus the normalised ones and the source, dates as dates; this is also the CSV."""
    out = rows[[c for c in data_columns(package) if c in rows]].copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.date
    return out.reset_index(drop=True)
