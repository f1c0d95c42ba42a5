"""Lines: a claim a speaker repeated over time, and a reading of how consistently it was said, computed from the data.

A line (datasets/lines.csv) is coded on each claim that belongs to it by `line_id` and `line_relation`:
states (the line in its usual form and figure), varies (another figure, subject, measure, kind or deadline),
tracks (a goal line's progress report), retracts (puts it in the past without saying the opposite), reverses
(says the opposite now holds). Nothing about consistency is typed in: the usual figure is the `states` rows'
figure, and the reading below counts and dates what the rows say. The rule is written on the Method page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data.normalize import value_words

RELATIONS = ("states", "varies", "tracks", "retracts", "reverses")
RELATION_WORDS = {
    "states": "said in its usual form",
    "varies": "said with another figure or wording",
    "tracks": "progress reported",
    "retracts": "put in the past",
    "reverses": "reversed",
}


@dataclass(frozen=True)
class Reading:
    """What a line's instances say about how consistently it was said."""

    line_id: str
    title: str
    who: str
    kind: str  # 'claim' or 'goal'
    instances: pd.DataFrame  # its claims, oldest first
    usual: str  # the figure of its `states` rows, in words ('' when none has a figure)
    counts: dict[str, int]  # instances per relation
    figures: list[str]  # every distinct figure as worded, in the order first said
    retracted: pd.Timestamp | None  # the first `retracts`, if any
    reversed: pd.Timestamp | None  # the first `reverses`, if any
    met: pd.Timestamp | None  # goal lines: the first progress report at or above the goal
    sentence: str


def instances(claims: pd.DataFrame, line_id: str) -> pd.DataFrame:
    """The claims of a line, oldest first (ties by claim_id, so the order is stable)."""
    if "line_id" not in claims:
        return claims.head(0)
    return claims[claims["line_id"] == line_id].sort_values(["stated_on", "claim_id"], kind="stable")


def _figure(row: dict) -> str:
    words = value_words(row)
    return "" if words in ("", "no figure") else words


def _first(rows: pd.DataFrame, relation: str) -> pd.Timestamp | None:
    found = rows.loc[rows["line_relation"] == relation, "stated_on"]
    return found.iloc[0] if len(found) else None


def _day(when: pd.Timestamp) -> str:
    return f"{when:%-d %B %Y}"


def read(line: dict, claims: pd.DataFrame) -> Reading:
    """The reading of one line (a row of lines.csv as a dict) from its instances among `claims`."""
    rows = instances(claims, line["line_id"])
    records = rows.to_dict("records")
    counts = {r: int((rows["line_relation"] == r).sum()) for r in RELATIONS}
    usual_rows = [r for r in records if r["line_relation"] == "states" and _figure(r)]
    usual = _figure(usual_rows[0]) if usual_rows else ""
    figures = list(
        dict.fromkeys(f for r in records if r["line_relation"] in ("states", "varies") and (f := _figure(r)))
    )
    retracted, reversed_on = _first(rows, "retracts"), _first(rows, "reverses")
    met = None
    if line.get("kind") == "goal" and usual_rows:
        goal = usual_rows[0]["value_low"] if pd.notna(usual_rows[0]["value_low"]) else usual_rows[0]["value_high"]
        reached = rows[(rows["line_relation"] == "tracks") & (rows["value_low"] >= goal)]
        met = reached["stated_on"].iloc[0] if len(reached) else None
    reading = Reading(line["line_id"], line["title"], line["who"], line.get("kind", "claim"), rows, usual, counts,
                      figures, retracted, reversed_on, met, "")  # fmt: skip
    return Reading(**{**reading.__dict__, "sentence": sentence(reading)})


def times(count: int) -> str:
    """1 → 'once', 2 → 'twice', 5 → '5 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def sentence(r: Reading) -> str:
    """The reading in words, by the rule on the Method page: how often (occasions: the days it was said, so two
    statements in one speech count once), when, in which figures, and whether and when it was put in the past or
    reversed (or, for a goal, whether it was reported met)."""
    rows = r.instances
    if rows.empty:
        return f"No statement of this line ({r.title}) is in the data."
    said = len(rows) - r.counts["tracks"]
    first, last = rows["stated_on"].iloc[0], rows["stated_on"].iloc[-1]
    span = f"between {first:%B %Y} and {last:%B %Y}" if first != last else f"on {_day(first)}"
    days = rows["stated_on"].nunique()
    parts = [
        f"{len(rows)} statement{'s' if len(rows) != 1 else ''} on {days} occasion{'s' if days != 1 else ''} {span}."
    ]
    occasions = {rel: rows.loc[rows["line_relation"] == rel, "stated_on"].nunique() for rel in RELATIONS}
    if r.kind == "goal":
        parts.append(
            f"The goal ({r.usual or 'no figure'}) was stated {times(occasions['states'])}"
            + (f" and changed {times(occasions['varies'])}" if occasions["varies"] else "")
            + (f"; progress was reported {times(occasions['tracks'])}" if occasions["tracks"] else "")
            + "."
        )
        if r.met is not None:
            parts.append(f"It was reported met on {_day(r.met)}.")
    else:
        usual = f" ({r.usual})" if r.usual else ""
        parts.append(
            f"Said {times(occasions['states'])} in its usual form{usual}"
            + (f", {times(occasions['varies'])} with another figure or wording" if occasions["varies"] else "")
            + "."
        )
        if len(r.figures) > 1:
            parts.append("Figures as worded: " + "; ".join(r.figures) + ".")
    if said and r.retracted is not None:
        parts.append(f"Put in the past on {_day(r.retracted)}.")
    if r.reversed is not None:
        parts.append(f"Reversed on {_day(r.reversed)}.")
    elif r.kind == "claim":
        parts.append("Not reversed in the statements found.")
    return " ".join(parts)


def neighbours(claims: pd.DataFrame, claim_id: str) -> tuple[str | None, str | None]:
    """The claim ids said just before and just after this one in its line (None at either end, or no line)."""
    if "line_id" not in claims:
        return None, None
    row = claims[claims["claim_id"] == claim_id]
    if row.empty or not isinstance(row["line_id"].iloc[0], str) or not row["line_id"].iloc[0]:
        return None, None
    ordered = list(instances(claims, row["line_id"].iloc[0])["claim_id"])
    i = ordered.index(claim_id)
    return (ordered[i - 1] if i else None), (ordered[i + 1] if i + 1 < len(ordered) else None)
