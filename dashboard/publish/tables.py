"""The tables a published page shows: the columns a reader needs, each claim linked to its own page.

A view's CSV holds every column (30 of them); a page that showed them all was ~9,200 px tall. A page shows who
said what, when, about which period, and where it was read; each row's claim page has the quote, the source,
the interpretation and the claim check, and data.csv has the rest.

A table is (columns, records): each record maps a column to a cell, which is text, {"text", "claim"} (a link to
that claim's page in the same version) or {"text", "url"} (a link out, to the source). The page's template turns
them into HTML (templates/macros.html `table`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.publish import words

Table = tuple[list[str], list[dict[str, object]]]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) or pd.isna(value) else str(value)


def claim_rows(rows: pd.DataFrame, outlets: Mapping[str, str]) -> Table:
    """The rows behind a chart as a reader reads them; 'per year' only when the rows are in shells."""
    records = rows.to_dict("records")
    yearly = any(pd.notna(r.get("annual_low")) or pd.notna(r.get("annual_high")) for r in records)
    columns = ["date", "who", "what they said", *(["per year"] if yearly else []), "period", "where"]
    table = []
    for row in records:
        record: dict[str, object] = {
            "date": words.day(row["stated_on"]),
            "who": _text(row["speaker"]),
            "what they said": {"text": words.what(row), "claim": row["claim_id"]},
            "period": words.period(row),
            "where": {"text": outlets.get(row["claim_id"], ""), "url": _text(row.get("url"))},
        }
        if yearly:
            record["per year"] = words.per_year(row, always=True)
        table.append(record)
    return columns, table


def claims_index(claims: pd.DataFrame, outlets: Mapping[str, str]) -> Table:
    """Every claim, newest first: date, who, what they said (its page), where."""
    ordered = claims.sort_values(["stated_on", "claim_id"], ascending=[False, True]).to_dict("records")
    return ["date", "who", "what they said", "where"], [
        {
            "date": words.day(row["stated_on"]),
            "who": _text(row["speaker"]),
            "what they said": {"text": words.what(row), "claim": row["claim_id"]},
            "where": outlets.get(row["claim_id"], ""),
        }
        for row in ordered
    ]


def claim_check(check: pd.DataFrame) -> Table:
    """The Overview's claim check (view_models.Overview.check) as the app shows it, the source as a link."""
    shown = ["date", "speaker", "compared with", "claimed", "estimates for", "implied by estimates", "check"]
    records = []
    for row in check.to_dict("records"):
        record: dict[str, object] = {c: _text(row.get(c)) for c in shown}
        record["source"] = {"text": "source", "url": _text(row.get("source"))}
        records.append(record)
    return [*shown, "source"], records


def targets(table: pd.DataFrame, claims: pd.DataFrame) -> Table:
    """The Output page's targets against later figures (view_models.Output.targets), each target and the figure
    it was checked against linked to their claim pages instead of shown as ids."""
    by_id = {str(r["claim_id"]): r for r in claims.to_dict("records")}

    def linked(claim_id: object) -> object:
        row = by_id.get(_text(claim_id))
        return {"text": f"{row['speaker']}: {words.what(row)}", "claim": row["claim_id"]} if row else ""

    columns = ["target", "stated", "due", "status", "checked against"]
    records = [
        {
            "target": linked(row["id"]),  # the target's claim id (captions.target_table keeps it last, as "id")
            "stated": words.day(pd.Timestamp(row["stated"])) if _text(row["stated"]) else "",
            "due": words.day(pd.Timestamp(row["due"])) if _text(row["due"]) else "",
            "status": _text(row["status"]),
            "checked against": linked(row["checked against"]),
        }
        for row in table.to_dict("records")
    ]
    return columns, records
