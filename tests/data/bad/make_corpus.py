"""Regenerate the corpus of broken inputs: `.venv/bin/python tests/data/bad/make_corpus.py`.

Each case is a small, self-contained dataset folder (datapackage.json, claims.csv, sources.csv and its own
seeds/excerpts/) built from two rows of tests/data/good with ONE thing broken, plus a one-line README that
says whether the input is REFUSED or ACCEPTED as text, what is wrong and what the validator must say.
tests/test_bad_inputs.py holds the same expectations as a table and walks every folder.

The generated files are committed; binary-ish ones (Latin-1, UTF-16, NUL) are written as bytes. Running this
again rewrites every case folder from scratch (and never touches anything outside tests/data/bad/).

Base rows (line numbers the README lines refer to):
    claims.csv  line 2  cnn-nato-intel-2024-03-russia-250k-month  (output, 250000 shells_per_month, cites ukrainska-pravda-…)
                line 3  rutte-2025-07-nyt-three-times             (ratio 4–12 vs NATO, cites tass-…)
    sources.csv line 2  tass-2025-07-05-rutte-nyt-interview
                line 3  ukrainska-pravda-2024-03-11-cnn-russia-250k
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = HERE.parent / "good"
CNN = "cnn-nato-intel-2024-03-russia-250k-month"
RUTTE = "rutte-2025-07-nyt-three-times"
TASS = "tass-2025-07-05-rutte-nyt-interview"
UP = "ukrainska-pravda-2024-03-11-cnn-russia-250k"
EXCERPT = "seeds/excerpts/{}.txt"

Files = dict[str, bytes | None]  # relative path → content; None = the file is absent


# ---- CSV helpers ------------------------------------------------------------------------------------
def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def write_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def base() -> Files:
    """Two claims, their two sources and excerpts, and the schema, copied from tests/data/good."""
    claims = read_csv((GOOD / "claims.csv").read_bytes())
    sources = read_csv((GOOD / "sources.csv").read_bytes())
    files: Files = {
        "datapackage.json": (GOOD / "datapackage.json").read_bytes(),
        "claims.csv": write_csv([claims[0], *[r for r in claims[1:] if r[0] in (CNN, RUTTE)]]),
        "sources.csv": write_csv([sources[0], *[r for r in sources[1:] if r[0] in (TASS, UP)]]),
    }
    for sid in (TASS, UP):
        files[EXCERPT.format(sid)] = (GOOD / EXCERPT.format(sid)).read_bytes()
    return files


def edit_cell(files: Files, name: str, row_id: str, column: str, value: str) -> None:
    rows = read_csv(files[name])
    col = rows[0].index(column)
    hits = [r for r in rows[1:] if r[0] == row_id]
    assert hits, (name, row_id)
    hits[0][col] = value
    files[name] = write_csv(rows)


def cell(row_id: str, column: str, value: str, name: str = "claims.csv") -> Callable[[Files], None]:
    return lambda files: edit_cell(files, name, row_id, column, value)


def source_cell(row_id: str, column: str, value: str) -> Callable[[Files], None]:
    return cell(row_id, column, value, "sources.csv")


def replace_bytes(name: str, old: bytes, new: bytes) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        assert files[name].count(old) == 1, (name, old)
        files[name] = files[name].replace(old, new)

    return apply


def rows_op(name: str, op: Callable[[list[list[str]]], list[list[str]]]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        files[name] = write_csv(op(read_csv(files[name])))

    return apply


def both(*ops: Callable[[Files], None]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        for op in ops:
            op(files)

    return apply


def set_file(name: str, data: bytes | None) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        files[name] = data

    return apply


def transcode(name: str, encoding: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        files[name] = files[name].decode("utf-8").encode(encoding)

    return apply


def drop_column(column: str) -> Callable[[list[list[str]]], list[list[str]]]:
    def op(rows: list[list[str]]) -> list[list[str]]:
        i = rows[0].index(column)
        return [r[:i] + r[i + 1 :] for r in rows]

    return op


def descriptor(change: Callable[[dict], None]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        data = json.loads(files["datapackage.json"])
        change(data)
        files["datapackage.json"] = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return apply


def claims_field(name: str) -> Callable[[dict], dict]:
    return lambda d: next(f for f in d["resources"][0]["schema"]["fields"] if f["name"] == name)


def copy_row(row_id: str, **changes: str) -> Callable[[list[list[str]]], list[list[str]]]:
    """Insert a copy of a row (with changes) right after it; ids chosen so the file stays sorted."""

    def op(rows: list[list[str]]) -> list[list[str]]:
        header = rows[0]
        i = next(n for n, r in enumerate(rows) if r[0] == row_id)
        new = list(rows[i])
        for column, value in changes.items():
            new[header.index(column)] = value
        return [*rows[: i + 1], new, *rows[i + 1 :]]

    return op


def add_source(sid: str) -> Callable[[Files], None]:
    """Add a source row (and its excerpt) from tests/data/good, at its sorted place."""

    def apply(files: Files) -> None:
        good = read_csv((GOOD / "sources.csv").read_bytes())
        row = next(r for r in good[1:] if r[0] == sid)
        rows = read_csv(files["sources.csv"])
        files["sources.csv"] = write_csv([rows[0], *sorted([*rows[1:], row])])
        files[EXCERPT.format(sid)] = (GOOD / EXCERPT.format(sid)).read_bytes()

    return apply


def swap_rows(rows: list[list[str]]) -> list[list[str]]:
    return [rows[0], rows[2], rows[1], *rows[3:]]


# ---- the cases --------------------------------------------------------------------------------------
# name → (README line, change). The README line starts with REFUSED or ACCEPTED and names the
# `file:line: column:` and a phrase of the message; tests/test_bad_inputs.py checks both against the validator.
ACCEPTED = "The validator accepts it (exit 0) and the loader keeps it verbatim; pages show it inert (escaped, never run or rendered) and CSV exports neutralise formula-leading cells."
CASES: dict[str, tuple[str, Callable[[Files], None]]] = {
    # encoding
    "encoding-latin1": (
        'REFUSED: claims.csv has a Latin-1 byte (0xE9 for "é") in line 2. Validator: claims.csv:2: -: byte 0xE9 "is not valid UTF-8"; re-save as UTF-8.',
        both(
            cell(CNN, "notes", "Reported in the caf\u00e9 press."),
            replace_bytes("claims.csv", b"caf\xc3\xa9", b"caf\xe9"),
        ),
    ),
    "encoding-cp1252": (
        'REFUSED: claims.csv has a Windows-1252 apostrophe (0x92) in line 3. Validator: claims.csv:3: -: "is not valid UTF-8 (Latin-1 or Windows-1252?)".',
        both(
            cell(RUTTE, "notes", "NATO\u2019s own figure."),
            replace_bytes("claims.csv", "NATO\u2019s".encode(), b"NATO\x92s"),
        ),
    ),
    "encoding-latin1-sources": (
        'REFUSED: sources.csv has a Latin-1 byte (0xE9) in line 3. Validator: sources.csv:3: -: "is not valid UTF-8".',
        both(
            source_cell(UP, "publisher", "Ukra\u00efnska Pravda"),
            replace_bytes("sources.csv", "a\u00efn".encode(), b"a\xefn"),
        ),
    ),
    "encoding-utf16": (
        'REFUSED: claims.csv is saved as UTF-16 (with BOM). Validator: claims.csv:1: -: "file is UTF-16"; save it as UTF-8.',
        transcode("claims.csv", "utf-16"),
    ),
    "encoding-utf16-no-bom": (
        'REFUSED: claims.csv is UTF-16 without a BOM (NUL between the letters). Validator: claims.csv:1: -: "looks like UTF-16"; save it as UTF-8.',
        transcode("claims.csv", "utf-16-le"),
    ),
    "encoding-bom": (
        'REFUSED: claims.csv starts with a UTF-8 byte-order mark. Validator: claims.csv:1: -: "byte-order mark"; save without BOM.',
        lambda files: files.__setitem__("claims.csv", b"\xef\xbb\xbf" + files["claims.csv"]),
    ),
    "encoding-mixed-newlines": (
        'REFUSED: claims.csv ends line 1 with CRLF and the others with LF. Validator: claims.csv:2: -: "mixes line endings"; use LF throughout.',
        lambda files: files.__setitem__("claims.csv", files["claims.csv"].replace(b"\n", b"\r\n", 1)),
    ),
    "encoding-nul-byte": (
        'REFUSED: claims.csv has a NUL byte in line 3. Validator: claims.csv:3: -: "contains a NUL byte"; save as plain UTF-8 text.',
        replace_bytes("claims.csv", b"Mark Rutte,", b"Mark\x00Rutte,"),
    ),
    # structure
    "structure-empty-file": (
        'REFUSED: claims.csv is empty (0 bytes). Validator: claims.csv:1: -: "file is empty"; it needs at least the header line.',
        set_file("claims.csv", b""),
    ),
    "structure-header-only": (
        'REFUSED: claims.csv has the header and no rows. Validator: claims.csv:1: -: "header but no rows"; add at least one row.',
        lambda files: files.__setitem__("claims.csv", files["claims.csv"].split(b"\n")[0] + b"\n"),
    ),
    "structure-missing-file": (
        'REFUSED: claims.csv does not exist. Validator: claims.csv:1: -: "file is missing"; restore it.',
        set_file("claims.csv", None),
    ),
    "structure-missing-datapackage": (
        'REFUSED: datapackage.json does not exist. Validator: datapackage.json:1: -: "file is missing".',
        set_file("datapackage.json", None),
    ),
    "structure-broken-json": (
        'REFUSED: datapackage.json lacks a comma after "version". Validator: datapackage.json:6: -: "is not valid JSON"; fix the syntax.',
        replace_bytes("datapackage.json", b'"version": "1.0.0",', b'"version": "1.0.0"'),
    ),
    "structure-missing-column": (
        'REFUSED: claims.csv has no basis column. Validator: claims.csv:1: basis: "column is missing from the header"; add it.',
        rows_op("claims.csv", drop_column("basis")),
    ),
    "structure-extra-column": (
        'REFUSED: claims.csv has an undeclared column source_url. Validator: claims.csv:1: source_url: "unknown column"; rename, remove or declare it.',
        rows_op(
            "claims.csv",
            lambda rows: [[*r, "source_url" if i == 0 else "https://example.org/"] for i, r in enumerate(rows)],
        ),
    ),
    "structure-renamed-column": (
        "REFUSED: claims.csv calls speaker_side speaker_sides. Validator: claims.csv:1: speaker_sides: \"unknown column (did you mean 'speaker_side'?)\" (and speaker_side is missing).",
        rows_op(
            "claims.csv", lambda rows: [[c if c != "speaker_side" else "speaker_sides" for c in rows[0]], *rows[1:]]
        ),
    ),
    "structure-duplicated-column": (
        'REFUSED: claims.csv has the notes column twice. Validator: claims.csv:1: notes: "column appears twice"; remove one.',
        rows_op("claims.csv", lambda rows: [[*r, "notes" if i == 0 else ""] for i, r in enumerate(rows)]),
    ),
    "structure-unnamed-column": (
        'REFUSED: claims.csv has a 22nd column with an empty name. Validator: claims.csv:1: -: "column 22 of the header has no name"; name or remove it.',
        rows_op("claims.csv", lambda rows: [[*r, ""] for r in rows]),
    ),
    "structure-columns-out-of-order": (
        'REFUSED: claims.csv has speaker_role before speaker. Validator: claims.csv:1: -: "columns are out of order"; the header must follow the schema.',
        rows_op("claims.csv", lambda rows: [[*r[:3], r[4], r[3], *r[5:]] for r in rows]),
    ),
    "structure-ragged-row": (
        'REFUSED: line 2 of claims.csv has 20 cells for 21 columns. Validator: claims.csv:2: -: "row has 20 cells but the header has 21".',
        rows_op("claims.csv", lambda rows: [rows[0], rows[1][:-1], *rows[2:]]),
    ),
    "structure-unclosed-quote": (
        'REFUSED: the last cell of claims.csv (line 3) opens a quote that is never closed. Validator: claims.csv:3: -: "a quoted cell is never closed"; add the closing double quote.',
        both(cell(RUTTE, "notes", "PLACEHOLDER"), replace_bytes("claims.csv", b"PLACEHOLDER\n", b'"Unclosed notes\n')),
    ),
    "structure-quote-runs-on": (
        'REFUSED: a quote opened in the last cell of line 2 of claims.csv runs on into line 3, where the next quote mark closes it. Validator: claims.csv:2: -: "runs on to line 3"; its closing double quote is probably missing.',
        both(cell(CNN, "notes", "PLACEHOLDER"), replace_bytes("claims.csv", b"PLACEHOLDER\n", b'"Unclosed notes\n')),
    ),
    "structure-text-after-quote": (
        'REFUSED: a cell in line 2 of claims.csv has text after its closing quote. Validator: claims.csv:2: -: "text follows the closing double quote".',
        replace_bytes(
            "claims.csv", b",NATO intelligence estimates (via CNN),", b',"NATO intelligence" estimates (via CNN),'
        ),
    ),
    "structure-blank-line": (
        'REFUSED: claims.csv has a blank line 3 between the rows. Validator: claims.csv:3: -: "blank line; delete it".',
        lambda files: files.__setitem__(
            "claims.csv", files["claims.csv"].replace(b"\n" + RUTTE.encode(), b"\n\n" + RUTTE.encode())
        ),
    ),
    "structure-core-column-undeclared": (
        'REFUSED: the measure column is gone from both the schema and claims.csv. Validator: datapackage.json:37: measure: "core column is not declared".',
        both(
            descriptor(lambda d: d["resources"][0]["schema"]["fields"].remove(claims_field("measure")(d))),
            rows_op("claims.csv", drop_column("measure")),
        ),
    ),
    "structure-core-column-mistyped": (
        "REFUSED: the schema declares value_low as a string. Validator: datapackage.json:184: value_low: \"is declared as type 'string'\"; restore type 'number'.",
        descriptor(lambda d: claims_field("value_low")(d).update(type="string", constraints={})),
    ),
    "structure-resource-outside-folder": (
        'REFUSED: the claims resource path is ../good/claims.csv. Validator: datapackage.json:37: -: "use a file name inside the dataset folder"; the file is not read.',
        descriptor(lambda d: d["resources"][0].update(path="../good/claims.csv")),
    ),
    "structure-schema-bad-pattern": (
        'REFUSED: the claim_id pattern in the schema is not a regular expression. Validator: datapackage.json:53: claim_id: "is not a regular expression".',
        descriptor(lambda d: claims_field("claim_id")(d)["constraints"].update(pattern="^[a-z0-9")),
    ),
    # values
    "value-impossible-date": (
        'REFUSED: stated_on 2025-02-30 does not exist. Validator: claims.csv:2: stated_on: "is not a real calendar date".',
        cell(CNN, "stated_on", "2025-02-30"),
    ),
    "value-not-iso-date": (
        "REFUSED: stated_on is written '5 July 2025'. Validator: claims.csv:3: stated_on: \"is not a date; write YYYY-MM-DD\".",
        cell(RUTTE, "stated_on", "5 July 2025"),
    ),
    "value-future-date": (
        'REFUSED: stated_on 2999-07-05 is in the future. Validator: claims.csv:3: stated_on: "is in the future".',
        cell(RUTTE, "stated_on", "2999-07-05"),
    ),
    "value-thousands-separator": (
        "REFUSED: value_low is '250,000'. Validator: claims.csv:2: value_low: \"has a thousands separator; write 250000\".",
        cell(CNN, "value_low", "250,000"),
    ),
    "value-nan": (
        "REFUSED: value_high is 'NaN'. Validator: claims.csv:2: value_high: \"is not a number; leave the cell empty for an open bound\".",
        cell(CNN, "value_high", "NaN"),
    ),
    "value-inf": (
        "REFUSED: value_high is 'inf'. Validator: claims.csv:3: value_high: \"is not a number\".",
        cell(RUTTE, "value_high", "inf"),
    ),
    "value-negative": (
        'REFUSED: value_low is -4. Validator: claims.csv:3: value_low: "is negative".',
        cell(RUTTE, "value_low", "-4"),
    ),
    "value-absurdly-large": (
        'REFUSED: value_high is 250000000000 shells a month. Validator: claims.csv:2: value_high: "is implausibly large"; check for extra zeros.',
        cell(CNN, "value_high", "250000000000"),
    ),
    "value-overflow": (
        'REFUSED: value_high has 401 digits (overflows a float). Validator: claims.csv:2: value_high: "too large to be a number".',
        cell(CNN, "value_high", "1" + "0" * 400),
    ),
    "value-scientific-notation": (
        "REFUSED: value_low is '2.5e5'. Validator: claims.csv:2: value_low: \"is not a plain number\".",
        cell(CNN, "value_low", "2.5e5"),
    ),
    "value-unknown-enum": (
        "REFUSED: measure is 'outputs'. Validator: claims.csv:2: measure: \"is not allowed (did you mean 'output'?)\".",
        cell(CNN, "measure", "outputs"),
    ),
    "value-low-greater-than-high": (
        'REFUSED: value_low 12 > value_high 4. Validator: claims.csv:3: value_low: "is greater than value_high 4; swap them".',
        both(cell(RUTTE, "value_low", "12"), cell(RUTTE, "value_high", "4")),
    ),
    "value-period-end-before-start": (
        'REFUSED: period_end 2024-02-01 is before period_start 2024-03-01. Validator: claims.csv:2: period_end: "is before period_start".',
        cell(CNN, "period_end", "2024-02-01"),
    ),
    "value-unit-not-fit-measure": (
        "REFUSED: an output figure in usd. Validator: claims.csv:2: unit: \"unit 'usd' does not fit measure 'output'\".",
        cell(CNN, "unit", "usd"),
    ),
    "value-ratio-without-comparator": (
        'REFUSED: a ratio claim with an empty comparator. Validator: claims.csv:3: comparator: "a ratio claim needs a comparator".',
        cell(RUTTE, "comparator", ""),
    ),
    "value-comparator-on-output": (
        'REFUSED: an output figure with comparator NATO. Validator: claims.csv:2: comparator: "comparator is only for ratio claims".',
        cell(CNN, "comparator", "NATO"),
    ),
    "value-missing-calibre": (
        'REFUSED: a figure in shells_per_month without calibre. Validator: claims.csv:2: caliber: "a figure in shells needs a calibre".',
        cell(CNN, "caliber", ""),
    ),
    "value-month-precision-not-first": (
        'REFUSED: date_precision month with stated_on 2024-03-11. Validator: claims.csv:2: stated_on: "write the first of the month".',
        cell(CNN, "date_precision", "month"),
    ),
    "value-year-precision-not-new-year": (
        'REFUSED: date_precision year with stated_on 2025-07-05. Validator: claims.csv:3: stated_on: "write YYYY-01-01".',
        cell(RUTTE, "date_precision", "year"),
    ),
    "value-bad-claim-id": (
        "REFUSED: claim_id 'CNN_250k' has capitals and an underscore. Validator: claims.csv:2: claim_id: \"is not a valid id\".",
        cell(CNN, "claim_id", "CNN_250k"),
    ),
    "value-too-long": (
        'REFUSED: a label of 120 characters (max 80). Validator: claims.csv:3: label: "shorten it to at most 80".',
        cell(RUTTE, "label", "x" * 120),
    ),
    "value-required-empty": (
        'REFUSED: speaker is empty. Validator: claims.csv:2: speaker: "is empty but required; fill it in".',
        cell(CNN, "speaker", ""),
    ),
    "value-leading-space": (
        "REFUSED: subject is ' Russia'. Validator: claims.csv:2: subject: \"has leading or trailing spaces\".",
        cell(CNN, "subject", " Russia"),
    ),
    "value-control-character": (
        'REFUSED: notes contain a BEL control character. Validator: claims.csv:3: notes: "contains a control character; remove it".',
        cell(RUTTE, "notes", "Bell \x07 in the notes."),
    ),
    "value-no-figure-no-quote": (
        'REFUSED: no value and no quote. Validator: claims.csv:2: quote: "a statement with no figure needs its verbatim quote".',
        both(cell(CNN, "value_low", ""), cell(CNN, "value_high", ""), cell(CNN, "quote", "")),
    ),
    "value-published-after-accessed": (
        'REFUSED: a source published after it was read. Validator: sources.csv:3: published_on: "a page cannot be read before it was published".',
        source_cell(UP, "accessed_on", "2024-01-01"),
    ),
    "value-bad-language": (
        "REFUSED: language 'EN'. Validator: sources.csv:2: language: \"is not a language code\".",
        source_cell(TASS, "language", "EN"),
    ),
    "value-unknown-grade": (
        "REFUSED: grade 'tertiary'. Validator: sources.csv:2: grade: \"is not allowed\".",
        source_cell(TASS, "grade", "tertiary"),
    ),
    # references
    "ref-unknown-source-id": (
        'REFUSED: a claim cites a source_id missing from sources.csv. Validator: claims.csv:3: source_id: "is not in sources.csv"; add the source row first.',
        rows_op("claims.csv", copy_row(CNN, claim_id=CNN + "-copy", source_id="cnn-2024-03-original")),
    ),
    "ref-unused-source": (
        'REFUSED: sources.csv lists a page no claim cites. Validator: sources.csv:2: source_id: "is not cited by any claim".',
        add_source("defenseone-2023-09-estonia-salm-ammunition"),
    ),
    "ref-duplicate-claim-id": (
        'REFUSED: two rows share a claim_id. Validator: claims.csv:3: claim_id: "is already used at line 2"; give this row a new id.',
        rows_op("claims.csv", copy_row(CNN, value_low="260000", value_high="260000")),
    ),
    "ref-same-claim-two-ids": (
        'REFUSED: the same claim under two ids. Validator: claims.csv:3: claim_id: "same claim as"; keep one row.',
        rows_op("claims.csv", copy_row(CNN, claim_id=CNN + "-2")),
    ),
    "ref-duplicate-source-id": (
        'REFUSED: two sources share a source_id. Validator: sources.csv:3: source_id: "is already used at line 2".',
        rows_op(
            "sources.csv", lambda rows: [rows[0], rows[1], [*rows[1][:3], "Another title", *rows[1][4:]], *rows[2:]]
        ),
    ),
    "ref-excerpt-missing": (
        'REFUSED: the excerpt file of a source is missing. Validator: sources.csv:2: excerpt: "does not exist"; save the passage there.',
        set_file(EXCERPT.format(TASS), None),
    ),
    "ref-quote-not-in-excerpt": (
        'REFUSED: the quote says "four times", the excerpt "three times". Validator: claims.csv:3: quote: "quote is not found in seeds/".',
        replace_bytes("claims.csv", b"They are now producing three times", b"They are now producing four times"),
    ),
    "ref-excerpt-outside-seeds": (
        'REFUSED: an excerpt path climbs out of seeds/. Validator: sources.csv:2: excerpt: "points outside seeds/".',
        source_cell(TASS, "excerpt", "excerpts/../../outside.txt"),
    ),
    "ref-claims-not-sorted": (
        'REFUSED: claims.csv is not sorted by claim_id. Validator: claims.csv:3: claim_id: "rows are not sorted by claim_id".',
        rows_op("claims.csv", swap_rows),
    ),
    "ref-sources-not-sorted": (
        'REFUSED: sources.csv is not sorted by source_id. Validator: sources.csv:3: source_id: "rows are not sorted by source_id".',
        rows_op("sources.csv", swap_rows),
    ),
    # hostile URLs: refused
    "url-javascript": (
        'REFUSED: a javascript: URL. Validator: sources.csv:2: url: "javascript: URLs are refused".',
        source_cell(TASS, "url", "javascript:alert(document.cookie)"),
    ),
    "url-data": (
        'REFUSED: a data: URL carrying a script. Validator: sources.csv:2: url: "data: URLs are refused".',
        source_cell(TASS, "url", "data:text/html,<script>alert(1)</script>"),
    ),
    "url-http": (
        'REFUSED: a plain http: URL. Validator: sources.csv:2: url: "must start with https://".',
        source_cell(TASS, "url", "http://tass.com/world/1985867"),
    ),
    "url-bare-ip": (
        'REFUSED: an https URL on a bare IPv4 address. Validator: sources.csv:2: url: "is a bare IP address".',
        source_cell(TASS, "url", "https://192.0.2.10/world/1985867"),
    ),
    "url-bare-ipv6": (
        'REFUSED: an https URL on a bare IPv6 address. Validator: sources.csv:2: url: "is a bare IP address".',
        source_cell(TASS, "url", "https://[2001:db8::1]/world/1985867"),
    ),
    "url-credentials": (
        'REFUSED: a URL with a user name and password. Validator: sources.csv:2: url: "must not carry a user name or password".',
        source_cell(TASS, "url", "https://reader:secret@tass.com/world/1985867"),
    ),
    # hostile text in free-text cells: accepted as text
    "text-html-tags": (
        f"ACCEPTED as text: HTML tags (b, img onerror, iframe) in notes. {ACCEPTED}",
        cell(CNN, "notes", '<b>bold</b> <img src=x onerror=alert(1)> <iframe src="https://evil.example/"></iframe>'),
    ),
    "text-script-tag": (
        f"ACCEPTED as text: a script tag in interpretation. {ACCEPTED}",
        cell(RUTTE, "interpretation", '<script>alert("x")</script> 4x to 12x'),
    ),
    "text-markdown-link": (
        f"ACCEPTED as text: a Markdown link and image in notes. {ACCEPTED}",
        cell(CNN, "notes", "[click here](https://evil.example/phish) and ![pixel](https://evil.example/p.png)"),
    ),
    "text-streamlit-directives": (
        f"ACCEPTED as text: Streamlit colour, icon and LaTeX directives in label and notes. {ACCEPTED}",
        both(
            cell(RUTTE, "label", ":red[x] $x$ :material/warning:"),
            cell(RUTTE, "notes", ":blue-background[y] $$\\frac{1}{0}$$ **bold** <span>"),
        ),
    ),
    "text-formula-equals": (
        f"ACCEPTED as text: a cell beginning with = (spreadsheet formula) in speaker_role. {ACCEPTED}",
        cell(CNN, "speaker_role", '=HYPERLINK("https://evil.example","click")'),
    ),
    "text-formula-plus": (
        f"ACCEPTED as text: a cell beginning with + in notes. {ACCEPTED}",
        cell(RUTTE, "notes", "+1+cmd|' /C calc'!A0"),
    ),
    "text-formula-minus": (
        f"ACCEPTED as text: a cell beginning with - in interpretation. {ACCEPTED}",
        cell(CNN, "interpretation", "-2+3 about 250,000 a month"),
    ),
    "text-formula-at": (
        f"ACCEPTED as text: a cell beginning with @ in speaker_role. {ACCEPTED}",
        cell(RUTTE, "speaker_role", "@SUM(A1:A9)"),
    ),
    "text-source-fields": (
        f"ACCEPTED as text: a script tag in a source title and a formula in its publisher. {ACCEPTED}",
        both(
            source_cell(TASS, "title", "<script>alert(1)</script>"),
            source_cell(TASS, "publisher", "=cmd|' /C calc'!A0"),
        ),
    ),
}


def write_case(name: str, readme: str, change: Callable[[Files], None]) -> None:
    files = base()
    change(files)
    folder = HERE / name
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in files.items():
        if data is None:
            continue
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (folder / "README").write_text(readme + "\n", encoding="utf-8")


def main() -> None:
    for name, (readme, change) in CASES.items():
        write_case(name, readme, change)
    print(f"wrote {len(CASES)} cases under {HERE}")


if __name__ == "__main__":
    main()
