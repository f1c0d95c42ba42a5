"""Broken inputs, generated at test time: each case is ONE edit of a copy of tests/data/good and the verdict.

These are the inputs no single validator rule owns: bytes and encodings, the file's structure (header, columns,
quoting, the schema itself) and hostile-looking text. A cell that breaks a rule (a date, a number, an enum, a
reference, a URL) is that rule's bad case in tests/test_validate.py's RULES table, not a case here.

A case is REFUSED (the validator exits 1 and names the file, line, column and what to do) or ACCEPTED as text
(exit 0). Hostile-looking text in free-text cells — HTML, script tags, Markdown links, Streamlit directives,
spreadsheet formulas — is data: the validator accepts it, the loader keeps it verbatim, the pages show it
inert (escaped, never run or rendered; tests/browser/test_hostile.py) and CSV exports neutralise
formula-leading cells (tests/test_export.py). Hostile URLs, by contrast, are refused (the url-* rules of
tests/test_validate.py). Whatever the case, neither the validator nor the loader may raise.

Lines are found, not pinned: `row(id)` is the line of that row in the edited file and `key(text)` the line of
that text in the edited datapackage.json, so an edit of the fixture or a schema sync does not shift them.
Bytes that csv would never write (Latin-1, UTF-16, a BOM, NUL, CRLF) are committed files under
tests/data/encodings, because the bytes are the point.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.load import load_dataset
from dashboard.data.schema import LINE_COLUMNS
from dashboard.data.validate import main, validate_dataset
from tests.conftest import GOOD
from tests.edits import (
    CLAIMS,
    DESCRIPTOR,
    ENCODINGS,
    SOURCES,
    Edit,
    both,
    cells_set,
    claim,
    claims_field,
    columns,
    committed,
    descriptor,
    drop_column,
    json_line,
    line_of,
    put_file,
    replace_bytes,
    resource,
    source,
)

# Rows of tests/data/good the cases break (claims.csv and sources.csv are sorted by id).
CNN = "cnn-nato-intel-2024-03-russia-250k-month"  # output, 250000 shells_per_month
RUTTE = "rutte-2025-07-nyt-three-times"  # ratio 4–12 vs NATO, cites TASS
LAST = "us-army-2025-06-155mm-output"  # the last claim: a quote opened there runs to the end of the file
TASS = "tass-2025-07-05-rutte-nyt-interview"
WIDTH = len(next(csv.reader(io.StringIO((GOOD / CLAIMS).read_text(encoding="utf-8")))))  # claims columns


# ---- where the problem must be reported -------------------------------------------------------------------
Line = int | Callable[[Path], int]  # a line number, or how to find it in the edited file


def row(row_id: str, occurrence: int = 1) -> Line:
    return lambda file: line_of(file, row_id, occurrence)


def key(needle: str, after: str = "", offset: int = 0) -> Line:
    return lambda file: json_line(file, needle, after) + offset


@dataclass(frozen=True)
class Refused:
    file: str
    line: Line
    column: str  # "" when the problem is with the whole line or file
    phrase: str  # a key part of the message, usually what to do
    problems: int = 1  # more only where one edit cannot help breaking a second thing


ACCEPTED = None


@dataclass(frozen=True)
class Case:
    name: str
    what: str  # what is broken, in words
    edit: Edit
    expect: Refused | None


def with_columns(change: Callable[[list[str]], list[str]]) -> Edit:
    """Change the header row of claims.csv only."""
    return columns(CLAIMS, lambda rows: [change(rows[0]), *rows[1:]])


def every_row(change: Callable[[int, list[str]], list[str]]) -> Edit:
    return columns(CLAIMS, lambda rows: [change(i, r) for i, r in enumerate(rows)])


def cut_last_cell(row_id: str) -> Edit:
    return columns(CLAIMS, lambda rows: [r[:-1] if r[0] == row_id else r for r in rows])


def swap_columns(a: str, b: str) -> Edit:
    def change(rows: list[list[str]]) -> list[list[str]]:
        i, j = rows[0].index(a), rows[0].index(b)
        for r in rows:
            r[i], r[j] = r[j], r[i]
        return rows

    return columns(CLAIMS, change)


def open_quote_in_notes(row_id: str) -> Edit:
    """A double quote opened at the start of the row's notes cell (wherever that column is) and never closed there."""
    return both(claim(row_id, notes="PLACEHOLDER"), replace_bytes(CLAIMS, b"PLACEHOLDER", b'"Unclosed notes'))


CASES = [
    # ---- encodings: committed bytes ------------------------------------------------------------------------
    Case("encoding-bom", "claims.csv starts with a UTF-8 byte-order mark", committed(CLAIMS, "claims-bom.csv"), Refused(CLAIMS, 1, "", "byte-order mark")),
    Case("encoding-cp1252", "a Windows-1252 apostrophe (0x92) in line 3", committed(CLAIMS, "claims-cp1252.csv"), Refused(CLAIMS, 3, "", "is not valid UTF-8 (Latin-1 or Windows-1252?)")),
    Case("encoding-latin1", "a Latin-1 byte (0xE9 for é) in line 2", committed(CLAIMS, "claims-latin1.csv"), Refused(CLAIMS, 2, "", "byte 0xE9 is not valid UTF-8")),
    Case("encoding-latin1-sources", "sources.csv has a Latin-1 byte (0xEF for ï) in line 3", committed(SOURCES, "sources-latin1.csv"), Refused(SOURCES, 3, "", "is not valid UTF-8")),
    Case("encoding-mixed-newlines", "line 1 ends with CRLF, the others with LF", committed(CLAIMS, "claims-mixed-newlines.csv"), Refused(CLAIMS, 2, "", "mixes line endings")),
    Case("encoding-nul-byte", "a NUL byte in line 3", committed(CLAIMS, "claims-nul-byte.csv"), Refused(CLAIMS, 3, "", "contains a NUL byte")),
    Case("encoding-utf16", "claims.csv saved as UTF-16 with a BOM", committed(CLAIMS, "claims-utf16.csv"), Refused(CLAIMS, 1, "", "file is UTF-16; save it as UTF-8")),
    Case("encoding-utf16-no-bom", "UTF-16 without a BOM (NUL between the letters)", committed(CLAIMS, "claims-utf16-no-bom.csv"), Refused(CLAIMS, 1, "", "looks like UTF-16")),
    # ---- structure ------------------------------------------------------------------------------------------
    Case("structure-empty-file", "claims.csv is 0 bytes", put_file(CLAIMS, b""), Refused(CLAIMS, 1, "", "file is empty")),
    Case("structure-header-only", "claims.csv has the header and no rows", columns(CLAIMS, lambda rows: rows[:1]), Refused(CLAIMS, 1, "", "header but no rows")),
    Case("structure-missing-file", "claims.csv does not exist", put_file(CLAIMS, None), Refused(CLAIMS, 1, "", "file is missing")),
    Case("structure-missing-datapackage", "datapackage.json does not exist", put_file(DESCRIPTOR, None), Refused(DESCRIPTOR, 1, "", "file is missing")),
    Case("structure-broken-json", 'no comma after "version" (the parser stops at the next line)', replace_bytes(DESCRIPTOR, b'"version": "1.0.0",', b'"version": "1.0.0"'), Refused(DESCRIPTOR, key('"version"', offset=1), "", "is not valid JSON")),
    Case("structure-missing-column", "no basis column", columns(CLAIMS, drop_column("basis")), Refused(CLAIMS, 1, "basis", "column is missing from the header")),
    Case("structure-extra-column", "an undeclared column source_url", every_row(lambda i, r: [*r, "https://example.org/" if i else "source_url"]), Refused(CLAIMS, 1, "source_url", "unknown column")),
    Case("structure-renamed-column", "speaker_side called speaker_sides (so speaker_side is also missing)", with_columns(lambda h: [c if c != "speaker_side" else "speaker_sides" for c in h]), Refused(CLAIMS, 1, "speaker_sides", "unknown column (did you mean 'speaker_side'?)", problems=2)),
    Case("structure-duplicated-column", "the notes column twice", every_row(lambda i, r: [*r, "" if i else "notes"]), Refused(CLAIMS, 1, "notes", "column appears twice")),
    Case("structure-unnamed-column", "an extra column with an empty name", every_row(lambda i, r: [*r, ""]), Refused(CLAIMS, 1, "", f"column {WIDTH + 1} of the header has no name")),
    Case("structure-columns-out-of-order", "speaker_role before speaker", swap_columns("speaker", "speaker_role"), Refused(CLAIMS, 1, "", "columns are out of order")),
    Case("structure-ragged-row", "a row one cell short", cut_last_cell(CNN), Refused(CLAIMS, row(CNN), "", f"row has {WIDTH - 1} cells but the header has {WIDTH}")),
    Case("structure-unclosed-quote", "the last row opens a quote that is never closed", open_quote_in_notes(LAST), Refused(CLAIMS, row(LAST), "", "a quoted cell is never closed")),
    Case("structure-quote-runs-on", "a quote opened in a row runs on into the rows below", open_quote_in_notes(CNN), Refused(CLAIMS, row(CNN), "", "a quoted cell starting in this row runs on to line")),
    Case("structure-text-after-quote", "text after a cell's closing quote", replace_bytes(CLAIMS, b",NATO intelligence estimates (via CNN),", b',"NATO intelligence" estimates (via CNN),'), Refused(CLAIMS, row(CNN), "", "text follows the closing double quote")),
    Case("structure-blank-line", "a blank line between two rows", replace_bytes(CLAIMS, b"\n" + RUTTE.encode(), b"\n\n" + RUTTE.encode()), Refused(CLAIMS, lambda f: line_of(f, RUTTE) - 1, "", "blank line; delete it")),
    Case("structure-core-column-undeclared", "measure gone from the schema and from claims.csv", both(descriptor(lambda d: resource(d)["schema"]["fields"].remove(claims_field(d, "measure"))), columns(CLAIMS, drop_column("measure"))), Refused(DESCRIPTOR, key('"name": "claims"'), "measure", "core column is not declared")),
    Case("structure-core-column-mistyped", "the schema declares value_low as a string", descriptor(lambda d: claims_field(d, "value_low").update(type="string", constraints={})), Refused(DESCRIPTOR, key('"name": "value_low"'), "value_low", "is declared as type 'string'")),
    Case("structure-resource-outside-folder", "the claims resource path is ../good/claims.csv (frictionless also reports the unsafe path)", descriptor(lambda d: resource(d).update(path="../good/claims.csv")), Refused(DESCRIPTOR, key('"name": "claims"'), "", "use a file name inside the dataset folder", problems=2)),
    Case("structure-schema-bad-pattern", "the claim_id pattern is not a regular expression", descriptor(lambda d: claims_field(d, "claim_id")["constraints"].update(pattern="^[a-z0-9")), Refused(DESCRIPTOR, key('"name": "claim_id"'), "claim_id", "is not a regular expression")),
    # ---- hostile text in free-text cells: accepted as text ---------------------------------------------------
    Case("text-html-tags", "HTML tags (b, img onerror, iframe) in notes", claim(CNN, notes='<b>bold</b> <img src=x onerror=alert(1)> <iframe src="https://evil.example/"></iframe>'), ACCEPTED),
    Case("text-script-tag", "a script tag in interpretation", claim(RUTTE, interpretation='<script>alert("x")</script> 4x to 12x'), ACCEPTED),
    Case("text-markdown-link", "a Markdown link and image in notes", claim(CNN, notes="[click here](https://evil.example/phish) and ![pixel](https://evil.example/p.png)"), ACCEPTED),
    Case("text-streamlit-directives", "Streamlit colour, icon and LaTeX directives in label and notes", claim(RUTTE, label=":red[x] $x$ :material/warning:", notes=":blue-background[y] $$\\frac{1}{0}$$ **bold** <span>"), ACCEPTED),
    Case("text-formula-equals", "a cell beginning with = in speaker_role", claim(CNN, speaker_role='=HYPERLINK("https://evil.example","click")'), ACCEPTED),
    Case("text-formula-plus", "a cell beginning with + in notes", claim(RUTTE, notes="+1+cmd|' /C calc'!A0"), ACCEPTED),
    Case("text-formula-minus", "a cell beginning with - in interpretation", claim(CNN, interpretation="-2+3 about 250,000 a month"), ACCEPTED),
    Case("text-formula-at", "a cell beginning with @ in speaker_role", claim(RUTTE, speaker_role="@SUM(A1:A9)"), ACCEPTED),
    Case("text-source-fields", "a script tag in a source title and a formula in its publisher", source(TASS, title="<script>alert(1)</script>", publisher="=cmd|' /C calc'!A0"), ACCEPTED),
]  # fmt: skip
BY_NAME = {case.name: case for case in CASES}
NAMES = list(BY_NAME)
ACCEPTED_NAMES = [case.name for case in CASES if case.expect is ACCEPTED]


def test_the_table() -> None:
    assert len(BY_NAME) == len(CASES), "case names are unique"
    assert len(CASES) >= 37 and len(ACCEPTED_NAMES) >= 9
    # every committed byte file is used by a case, so none lingers after its case is gone
    used = {case.name for case in CASES if case.name.startswith("encoding-")}
    assert len(used) == len([p for p in ENCODINGS.iterdir() if p.suffix == ".csv"])


@pytest.fixture
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Case, Path]:
    """A fresh copy of tests/data/good with the case's edit applied."""
    case = BY_NAME[request.param]
    folder = tmp_path / "dataset"
    shutil.copytree(GOOD, folder)
    case.edit(folder)
    return case, folder


@pytest.mark.parametrize("broken", NAMES, indirect=True)
def test_validator_verdict(broken: tuple[Case, Path], capsys: pytest.CaptureFixture[str]) -> None:
    case, folder = broken
    report = validate_dataset(folder)  # never raises: an exception fails the test
    code = main([str(folder)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    expected = case.expect
    if expected is ACCEPTED:
        assert code == 0 and report.valid, out
        return
    file = folder / expected.file
    line = expected.line if isinstance(expected.line, int) else expected.line(file)
    printed = [str(p) for p in report.problems]
    hits = [
        p
        for p in report.problems
        if Path(p.path).resolve() == file.resolve()
        and (p.line, p.column) == (line, expected.column)
        and expected.phrase in p.message
    ]
    assert hits, (
        f"{case.what}: expected {expected.file}:{line}: {expected.column or '-'}: …{expected.phrase}… in {printed}"
    )
    assert code == 1
    assert len(report.problems) == expected.problems, printed
    # what the CLI prints is the same problem, on one `path:line: column: message` line
    suffix = f"{expected.file}:{line}: {expected.column or '-'}: {hits[0].message}"
    assert any(out_line.endswith(suffix) for out_line in out.splitlines()), out
    for problem in report.problems:
        assert ";" in problem.message, f"the message must say what to do: {problem.message}"


@pytest.mark.parametrize("broken", NAMES, indirect=True)
def test_loader_never_raises(broken: tuple[Case, Path]) -> None:
    case, folder = broken
    result = load_dataset(folder)
    assert result.dataset is not None or result.problems
    if case.expect is ACCEPTED:
        assert result.ok, [str(p) for p in result.problems]


def _csv_rows(file: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))


@pytest.mark.parametrize("broken", ACCEPTED_NAMES, indirect=True)
def test_accepted_text_is_loaded_verbatim(broken: tuple[Case, Path]) -> None:
    """Hostile-looking text is data: nothing stripped, escaped or evaluated on the way in."""
    case, folder = broken
    dataset = load_dataset(folder).dataset
    frames = {CLAIMS: (dataset.claims, "claim_id"), SOURCES: (dataset.sources, "source_id")}
    for file, (frame, id_column) in frames.items():
        loaded = frame.set_index(id_column)
        for csv_row in _csv_rows(folder / file):
            for column, raw in csv_row.items():
                if column in LINE_COLUMNS and raw == "":  # a claim in no line: missing by design (data/load.py)
                    assert pd.isna(loaded.at[csv_row[id_column], column]), column
                elif column != id_column and pd.api.types.is_string_dtype(loaded[column]):
                    assert loaded.at[csv_row[id_column], column] == raw, (column, raw)
    payloads = cells_set(case.edit)
    assert payloads, "an ACCEPTED case writes its hostile text with claim() or source()"
    for cell in payloads:
        frame, id_column = frames[cell.file]
        assert frame.set_index(id_column).at[cell.row, cell.column] == cell.value
