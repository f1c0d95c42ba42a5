"""The published notes stand on their own: no claim's notes, interpretation or label points at a file outside the package.

Readers of the data package have only the package: a note that says "see NOTES §5" or "the research file" sends them
to material they cannot open. These patterns are the forms such references took before release 1.1.0.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.data import paths

OUTSIDE_REFERENCES = {
    "the maintainers' research NOTES file": re.compile(r"\bNOTES\b"),
    "a section sign (a section of an outside document)": re.compile("§"),
    "the research file, page, notes or ids": re.compile(r"\bresearch (file|page|notes?|ids?)\b", re.IGNORECASE),
    "research as the source of a coding": re.compile(
        r"\b((per|see) (the |our )?research|research (coded|attributed|guessed|cited))\b",
        re.IGNORECASE,
    ),
    "a named research document": re.compile(r"\bNOTES\.md\b|\bresearch/|\bresearch (csv|folder|claims)\b", re.I),
    "a row that was 'not drafted'": re.compile(r"\bnot drafted\b", re.IGNORECASE),
    "the garbled '(left out: …) excluded' marker": re.compile(r"\(left out:|\)\s*,?\s*\(?excluded\b", re.IGNORECASE),
}
TEXT_COLUMNS = ("interpretation", "notes", "label")


def _claims() -> pd.DataFrame:
    return pd.read_csv(paths.data_dir() / "claims.csv", dtype=str, keep_default_na=False)


def outside_references(text: str) -> list[str]:
    return [what for what, pattern in OUTSIDE_REFERENCES.items() if pattern.search(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CONFLICT (NOTES §5 no. 7): Borrell 1.4 million", True),
        ("The research file's page is not citable", True),
        ("Same sentence: US 350,000 (not drafted; US group).", True),
        ("Watling's pre-war 1.7 million (left out: its only copy could not be cited) excluded", True),
        ("Period 2025 inferred (per research).", True),
        ("Per the research, deliveries were not found", True),
        ("See research notes for the other copies", True),
        ("CONFLICT with NOTES: 1.4 million", True),
        ("Date from the transcript (§3 of the notes)", True),
        ("Listed in research/claims.csv as unconfirmed", True),
        ("Paraphrase (Continental Defence summary of RUSI research): 1.3 million", False),
        ("The same sentence notes that only half was delivered", False),
        ("Draft budget submitted to the State Duma", False),
        ("Same figure as another row of claims.csv", False),
        ("Notes on the page say 'excluded from the count'", False),
    ],
)
def test_the_patterns_catch_outside_references_and_spare_ordinary_words(text: str, found: bool) -> None:
    assert bool(outside_references(text)) is found


def test_no_claim_text_references_files_outside_the_package() -> None:
    claims = _claims()
    offenders = [
        f"{row['claim_id']}.{column}: {', '.join(found)}"
        for _, row in claims.iterrows()
        for column in TEXT_COLUMNS
        if (found := outside_references(row[column]))
    ]
    assert not offenders, "notes must stand on their own for a reader of the package:\n" + "\n".join(offenders)


LABEL_LIMIT = 60  # a label is drawn on the chart beside its point; longer ones wrap into the plot at phone width


def test_every_published_label_is_short_enough_to_draw() -> None:
    claims = _claims()
    too_long = [
        f"{row['claim_id']}: {len(row['label'])} characters"
        for _, row in claims.iterrows()
        if len(row["label"]) > LABEL_LIMIT
    ]
    assert not too_long, f"labels longer than {LABEL_LIMIT} characters:\n" + "\n".join(too_long)
