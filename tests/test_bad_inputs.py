"""Walk the corpus of broken inputs (tests/data/bad/<case>/, built by tests/data/bad/make_corpus.py).

Each case is REFUSED (the validator exits 1 and names the file, line, column and what to do) or ACCEPTED as
text (exit 0: hostile-looking text in free-text cells is data, made inert where shown and neutralised in CSV
exports; hostile URLs, by contrast, are refused). Whatever the case, neither the validator nor the loader
may raise. The table below and each case's one-line README say the same thing; a test keeps them in step.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.load import load_dataset
from dashboard.data.validate import main, validate_dataset
from tests.conftest import DATA

CORPUS = DATA / "bad"
ACCEPT = None
# case → (file, line, column, key phrase of the message) for REFUSED cases; ACCEPT for text accepted as text.
EXPECTED: dict[str, tuple[str, int, str, str] | None] = {
    "encoding-bom": ("claims.csv", 1, "", "byte-order mark"),
    "encoding-cp1252": ("claims.csv", 3, "", "is not valid UTF-8 (Latin-1 or Windows-1252?)"),
    "encoding-latin1": ("claims.csv", 2, "", "is not valid UTF-8"),
    "encoding-latin1-sources": ("sources.csv", 3, "", "is not valid UTF-8"),
    "encoding-mixed-newlines": ("claims.csv", 2, "", "mixes line endings"),
    "encoding-nul-byte": ("claims.csv", 3, "", "contains a NUL byte"),
    "encoding-utf16": ("claims.csv", 1, "", "file is UTF-16"),
    "encoding-utf16-no-bom": ("claims.csv", 1, "", "looks like UTF-16"),
    "ref-claims-not-sorted": ("claims.csv", 3, "claim_id", "rows are not sorted by claim_id"),
    "ref-duplicate-claim-id": ("claims.csv", 3, "claim_id", "is already used at line 2"),
    "ref-duplicate-source-id": ("sources.csv", 3, "source_id", "is already used at line 2"),
    "ref-excerpt-missing": ("sources.csv", 2, "excerpt", "does not exist"),
    "ref-excerpt-outside-seeds": ("sources.csv", 2, "excerpt", "points outside seeds/"),
    "ref-quote-not-in-excerpt": ("claims.csv", 3, "quote", "quote is not found in seeds/"),
    "ref-same-claim-two-ids": ("claims.csv", 3, "claim_id", "same claim as"),
    "ref-sources-not-sorted": ("sources.csv", 3, "source_id", "rows are not sorted by source_id"),
    "ref-unknown-source-id": ("claims.csv", 3, "source_id", "is not in sources.csv"),
    "ref-unused-source": ("sources.csv", 2, "source_id", "is not cited by any claim"),
    "structure-blank-line": ("claims.csv", 3, "", "blank line; delete it"),
    "structure-broken-json": ("datapackage.json", 6, "", "is not valid JSON"),
    "structure-columns-out-of-order": ("claims.csv", 1, "", "columns are out of order"),
    "structure-core-column-mistyped": ("datapackage.json", 184, "value_low", "is declared as type 'string'"),
    "structure-core-column-undeclared": ("datapackage.json", 37, "measure", "core column is not declared"),
    "structure-duplicated-column": ("claims.csv", 1, "notes", "column appears twice"),
    "structure-empty-file": ("claims.csv", 1, "", "file is empty"),
    "structure-extra-column": ("claims.csv", 1, "source_url", "unknown column"),
    "structure-header-only": ("claims.csv", 1, "", "header but no rows"),
    "structure-missing-column": ("claims.csv", 1, "basis", "column is missing from the header"),
    "structure-missing-datapackage": ("datapackage.json", 1, "", "file is missing"),
    "structure-missing-file": ("claims.csv", 1, "", "file is missing"),
    "structure-quote-runs-on": ("claims.csv", 2, "", "runs on to line 3"),
    "structure-ragged-row": ("claims.csv", 2, "", "row has 20 cells but the header has 21"),
    "structure-renamed-column": ("claims.csv", 1, "speaker_sides", "unknown column (did you mean 'speaker_side'?)"),
    "structure-resource-outside-folder": ("datapackage.json", 37, "", "use a file name inside the dataset folder"),
    "structure-schema-bad-pattern": ("datapackage.json", 53, "claim_id", "is not a regular expression"),
    "structure-text-after-quote": ("claims.csv", 2, "", "text follows the closing double quote"),
    "structure-unclosed-quote": ("claims.csv", 3, "", "a quoted cell is never closed"),
    "structure-unnamed-column": ("claims.csv", 1, "", "column 22 of the header has no name"),
    "text-formula-at": ACCEPT,
    "text-formula-equals": ACCEPT,
    "text-formula-minus": ACCEPT,
    "text-formula-plus": ACCEPT,
    "text-html-tags": ACCEPT,
    "text-markdown-link": ACCEPT,
    "text-script-tag": ACCEPT,
    "text-source-fields": ACCEPT,
    "text-streamlit-directives": ACCEPT,
    "url-bare-ip": ("sources.csv", 2, "url", "is a bare IP address"),
    "url-bare-ipv6": ("sources.csv", 2, "url", "is a bare IP address"),
    "url-credentials": ("sources.csv", 2, "url", "must not carry a user name or password"),
    "url-data": ("sources.csv", 2, "url", "data: URLs are refused"),
    "url-http": ("sources.csv", 2, "url", "must start with https://"),
    "url-javascript": ("sources.csv", 2, "url", "javascript: URLs are refused"),
    "value-absurdly-large": ("claims.csv", 2, "value_high", "is implausibly large"),
    "value-bad-claim-id": ("claims.csv", 2, "claim_id", "is not a valid id"),
    "value-bad-language": ("sources.csv", 2, "language", "is not a language code"),
    "value-comparator-on-output": ("claims.csv", 2, "comparator", "comparator is only for ratio claims"),
    "value-control-character": ("claims.csv", 3, "notes", "contains a control character; remove it"),
    "value-future-date": ("claims.csv", 3, "stated_on", "is in the future"),
    "value-impossible-date": ("claims.csv", 2, "stated_on", "is not a real calendar date"),
    "value-inf": ("claims.csv", 3, "value_high", "is not a number"),
    "value-leading-space": ("claims.csv", 2, "subject", "has leading or trailing spaces"),
    "value-low-greater-than-high": ("claims.csv", 3, "value_low", "is greater than value_high 4; swap them"),
    "value-missing-calibre": ("claims.csv", 2, "caliber", "a figure in shells needs a calibre"),
    "value-month-precision-not-first": ("claims.csv", 2, "stated_on", "write the first of the month"),
    "value-nan": ("claims.csv", 2, "value_high", "is not a number; leave the cell empty for an open bound"),
    "value-negative": ("claims.csv", 3, "value_low", "is negative"),
    "value-no-figure-no-quote": ("claims.csv", 2, "quote", "a statement with no figure needs its verbatim quote"),
    "value-not-iso-date": ("claims.csv", 3, "stated_on", "is not a date; write YYYY-MM-DD"),
    "value-overflow": ("claims.csv", 2, "value_high", "too large to be a number"),
    "value-period-end-before-start": ("claims.csv", 2, "period_end", "is before period_start"),
    "value-published-after-accessed": ("sources.csv", 3, "published_on", "a page cannot be read before it was published"),
    "value-ratio-without-comparator": ("claims.csv", 3, "comparator", "a ratio claim needs a comparator"),
    "value-required-empty": ("claims.csv", 2, "speaker", "is empty but required; fill it in"),
    "value-scientific-notation": ("claims.csv", 2, "value_low", "is not a plain number"),
    "value-thousands-separator": ("claims.csv", 2, "value_low", "has a thousands separator; write 250000"),
    "value-too-long": ("claims.csv", 3, "label", "shorten it to at most 80"),
    "value-unit-not-fit-measure": ("claims.csv", 2, "unit", "unit 'usd' does not fit measure 'output'"),
    "value-unknown-enum": ("claims.csv", 2, "measure", "is not allowed (did you mean 'output'?)"),
    "value-unknown-grade": ("sources.csv", 2, "grade", "is not allowed"),
    "value-year-precision-not-new-year": ("claims.csv", 3, "stated_on", "write YYYY-01-01"),
}  # fmt: skip
# Cases that cannot be broken in one place only: the intended problem must be among these many.
EXTRA_PROBLEMS = {
    "structure-renamed-column": 2,  # the new name is unknown and the old one is missing
    "structure-resource-outside-folder": 2,  # frictionless also reports the unsafe path
}
CASES = sorted(EXPECTED)


def test_corpus_matches_the_table() -> None:
    on_disk = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    assert on_disk == CASES
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_readme_states_the_decision(name: str) -> None:
    lines = (CORPUS / name / "README").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1, "the README is one line"
    readme = lines[0]
    expected = EXPECTED[name]
    if expected is ACCEPT:
        assert readme.startswith("ACCEPTED as text: ")
        assert "exit 0" in readme
    else:
        file, line, column, phrase = expected
        assert readme.startswith("REFUSED: ")
        assert f"Validator: {file}:{line}: {column or '-'}: " in readme
        assert phrase in readme


@pytest.mark.parametrize("name", CASES)
def test_validator_verdict(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = CORPUS / name
    expected = EXPECTED[name]
    report = validate_dataset(folder)  # never raises: an exception fails the test
    code = main([str(folder)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if expected is ACCEPT:
        assert code == 0 and report.valid, out
        return
    file, line, column, phrase = expected
    assert code == 1
    hits = [
        p
        for p in report.problems
        if Path(p.path).resolve() == (folder / file).resolve()
        and (p.line, p.column) == (line, column)
        and phrase in p.message
    ]
    assert hits, [str(p) for p in report.problems]
    assert len(report.problems) == EXTRA_PROBLEMS.get(name, 1), [str(p) for p in report.problems]
    # what the CLI prints is the same problem, on one `path:line: column: message` line
    assert any(printed.endswith(f"{file}:{line}: {column or '-'}: {hits[0].message}") for printed in out.splitlines())
    for problem in report.problems:
        assert ";" in problem.message, f"the message must say what to do: {problem.message}"


@pytest.mark.parametrize("name", CASES)
def test_loader_never_raises(name: str) -> None:
    result = load_dataset(CORPUS / name)
    assert result.dataset is not None or result.problems
    if EXPECTED[name] is ACCEPT:
        assert result.ok, [str(p) for p in result.problems]


def _csv_rows(file: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))


@pytest.mark.parametrize("name", [n for n in CASES if EXPECTED[n] is ACCEPT])
def test_accepted_text_is_loaded_verbatim(name: str) -> None:
    """Hostile-looking text is data: nothing stripped, escaped or evaluated on the way in."""
    dataset = load_dataset(CORPUS / name).dataset
    for frame, file, key in ((dataset.claims, "claims.csv", "claim_id"), (dataset.sources, "sources.csv", "source_id")):
        loaded = frame.set_index(key)
        for row in _csv_rows(CORPUS / name / file):
            for column, raw in row.items():
                if column == key or column not in loaded.columns:
                    continue
                value = loaded.at[row[key], column]
                if pd.api.types.is_string_dtype(loaded[column]):
                    assert value == raw, (column, raw, value)
    hostile = ("<", "[", ":", "$", "=", "+", "-", "@")
    assert any(
        cell.startswith(hostile) or "<script>" in cell
        for file in ("claims.csv", "sources.csv")
        for row in _csv_rows(CORPUS / name / file)
        for cell in row.values()
    ), "an ACCEPTED case must carry hostile-looking text"
