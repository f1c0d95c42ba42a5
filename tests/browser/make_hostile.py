"""Regenerate tests/data/hostile/ from tests/data/good/: every free-text field carries a payload.

Run from the repository root: `.venv/bin/python tests/browser/make_hostile.py`. The result must still
pass `python -m dashboard.validate tests/data/hostile` (quotes are appended verbatim to the excerpts),
so the app shows it instead of the validation error page. The browser tests then check that none of
the payloads runs, injects an element or is interpreted as markup: hostile text stays text.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "tests" / "data" / "good"
HOSTILE = REPO / "tests" / "data" / "hostile"

# Script and event-handler payloads, Markdown/LaTeX directives Streamlit would interpret, and
# spreadsheet formulas. Each one sets window.__pwned if it ever runs.
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "<svg onload=window.__pwned=1>",
    "[click](javascript:window.__pwned=1)",
    ":red[red]",
    "$\\LaTeX$",
    '=HYPERLINK("http://x")',
    '<a href="javascript:window.__pwned=1">x</a>',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(1,1)",
)
FORMULA_START = ("=", "+", "-", "@")
# Column → offset into PAYLOADS, chosen so the two headline ratio claims (rows 4 and 5, drawn on the
# Overview) carry Markdown/LaTeX in the speaker (metric labels) and HTML in the label (annotations).
CLAIM_TEXT = {"speaker": 0, "speaker_role": 1, "quote": 2, "interpretation": 3, "label": 8, "notes": 5}
SOURCE_TEXT = ("publisher", "original_publisher", "title")
LIMITS = {"label": 80}
CHANGELOG_LINE = '- Hostile fixture: <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> :red[red]'


def hostile(original: str, payload: str, limit: int | None) -> str:
    """The original text with the payload added (first when it is a formula, so the cell starts with it)."""
    text = f"{payload} {original}" if payload.startswith(FORMULA_START) else f"{original} {payload}"
    text = text.strip()
    if limit and len(text) > limit:
        text = (
            payload
            if payload.startswith(FORMULA_START)
            else (original[: limit - len(payload) - 1].rstrip() + " " + payload).strip()
        )
    return text


def rows_of(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(file.read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), list(reader)


def write(file: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file.write_text(buffer.getvalue(), encoding="utf-8")


def main() -> int:
    if HOSTILE.exists():
        shutil.rmtree(HOSTILE)
    shutil.copytree(GOOD, HOSTILE)
    header, claims = rows_of(HOSTILE / "claims.csv")
    source_header, sources = rows_of(HOSTILE / "sources.csv")
    excerpts = {s["source_id"]: HOSTILE / "seeds" / s["excerpt"] for s in sources}
    for i, row in enumerate(claims):
        for column, offset in CLAIM_TEXT.items():
            row[column] = hostile(row[column], PAYLOADS[(i + offset) % len(PAYLOADS)], LIMITS.get(column))
        file = excerpts[row["source_id"]]  # the quote must stay verbatim in its excerpt
        file.write_text(file.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + row["quote"] + "\n", encoding="utf-8")
    for i, row in enumerate(sources):
        for j, column in enumerate(SOURCE_TEXT):
            row[column] = hostile(row[column], PAYLOADS[(i + j + 3) % len(PAYLOADS)], LIMITS.get(column))
    write(HOSTILE / "claims.csv", header, claims)
    write(HOSTILE / "sources.csv", source_header, sources)
    changelog = (HOSTILE / "CHANGELOG.md").read_text(encoding="utf-8").rstrip("\n") + "\n" + CHANGELOG_LINE + "\n"
    (HOSTILE / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    readme = HOSTILE / "README.md"
    readme.write_text(
        "A valid dataset whose every free-text field carries script, event-handler, Markdown, LaTeX and spreadsheet-"
        "formula payloads. Generated from tests/data/good by tests/browser/make_hostile.py; used by "
        "tests/browser/test_hostile.py.\n",
        encoding="utf-8",
    )
    print(f"wrote {HOSTILE.relative_to(REPO)}: {len(claims)} claims, {len(sources)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
