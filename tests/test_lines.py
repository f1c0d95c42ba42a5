"""Lines of claims: the consistency reading computed from the rows (stable, varying, reversed, a goal met)."""

import pandas as pd

from dashboard.analysis import lines
from tests.conftest import claims_frame


def said(claim_id, day, relation, low, high, unit="ratio", line="l"):
    return dict(claim_id=claim_id, stated_on=day, period_start=day, period_end=day, value_low=low, value_high=high,
                unit=unit, measure="ratio" if unit == "ratio" else "target", caliber="artillery", line_id=line,
                line_relation=relation, speaker="Someone", quote="")  # fmt: skip


LINE = {"line_id": "l", "title": "Russia makes in three months what NATO makes in a year", "who": "Mark Rutte",
        "kind": "claim"}  # fmt: skip
GOAL = {"line_id": "g", "title": "Two million rounds in 2025", "who": "Kaja Kallas", "kind": "goal"}


def test_a_stable_line_is_said_in_one_figure_and_not_reversed():
    claims = claims_frame(*(said(f"c{i}", f"2025-0{i}-01", "states", 4, 4) for i in range(1, 5)))
    reading = lines.read(LINE, claims)
    assert reading.counts["states"] == 4 and reading.figures == [reading.usual] and reading.reversed is None
    assert reading.sentence == (
        "4 statements on 4 occasions between January 2025 and April 2025. Said 4 times in its usual form (4×). "
        "Not reversed in the statements found."
    )


def test_two_statements_on_one_day_are_one_occasion():
    claims = claims_frame(said("a", "2025-06-09", "states", 4, 4), said("b", "2025-06-09", "states", 4, 4))
    assert lines.read(LINE, claims).sentence.startswith("2 statements on 1 occasion on 9 June 2025. Said once")


def test_a_varying_line_lists_its_figures_as_worded_in_the_order_said():
    claims = claims_frame(
        said("a", "2025-01-23", "states", 4, 4), said("b", "2025-06-04", "varies", 16, 20),
        said("c", "2025-07-05", "varies", 12, 12), said("d", "2025-08-01", "states", 4, 4),
    )  # fmt: skip
    reading = lines.read(LINE, claims)
    assert (reading.counts["states"], reading.counts["varies"]) == (2, 2)
    assert "Figures as worded: 4×; 16× to 20×; 12×." in reading.sentence, reading.sentence


def test_a_reversal_and_a_retraction_are_dated():
    claims = claims_frame(
        said("a", "2025-01-23", "states", 4, 4), said("p", "2025-09-04", "retracts", None, None),
        said("b", "2025-11-06", "reverses", None, 1),
    )  # fmt: skip
    reading = lines.read(LINE, claims)
    assert reading.retracted == pd.Timestamp("2025-09-04") and reading.reversed == pd.Timestamp("2025-11-06")
    assert reading.sentence.endswith("Put in the past on 4 September 2025. Reversed on 6 November 2025.")


def test_a_goal_counts_its_progress_apart_and_says_when_it_was_met():
    claims = claims_frame(
        said("s", "2025-03-19", "states", 2e6, 2e6, unit="shells", line="g"),
        said("t1", "2025-06-23", "tracks", 1.6e6, 1.6e6, unit="shells", line="g"),
        said("t2", "2025-12-15", "tracks", 2e6, 2e6, unit="shells", line="g"),
    )  # fmt: skip
    reading = lines.read(GOAL, claims)
    assert reading.counts["tracks"] == 2 and reading.met == pd.Timestamp("2025-12-15")
    assert "progress was reported twice" in reading.sentence and "reported met on 15 December 2025" in reading.sentence


def test_neighbours_are_the_instances_said_just_before_and_after():
    claims = claims_frame(
        *(said(c, d, "states", 4, 4) for c, d in (("a", "2025-01-01"), ("b", "2025-02-01"), ("c", "2025-03-01")))
    )
    assert lines.neighbours(claims, "b") == ("a", "c")
    assert lines.neighbours(claims, "a") == (None, "b") and lines.neighbours(claims, "zzz") == (None, None)
