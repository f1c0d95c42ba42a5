"""The defensive CSV reader: every way a hand-edited file can be broken becomes a Problem at its physical line,
never an exception; a good file becomes a header and rows that know their line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.data import arrowcsv, csvfile
from dashboard.data.arrowcsv import read_plain
from dashboard.data.csvfile import (
    Problem,
    Table,
    decode,
    display_path,
    parse,
    printable,
    read_table,
    resource_file,
    shorten,
)
from tests.conftest import GOOD, read_rows
from tests.edits import ENCODINGS

TEXT = "claim_id,notes\nrow-a,one\nrow-b,two\n"


# ---- bytes → text ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [TEXT.encode(), TEXT.replace("\n", "\r\n").encode(), "claim_id,notes\nrow-a,café “x”\n".encode()],
    ids=["lf", "crlf-throughout", "utf8-non-ascii"],
)
def test_decode_accepts_utf8_with_one_kind_of_line_ending(data: bytes) -> None:
    assert decode("f.csv", data) == (data.decode("utf-8"), [])


@pytest.mark.parametrize(
    ("data", "line", "phrase"),
    [
        (b"", 1, "file is empty"),
        (b" \n\n", 1, "file is empty"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), 1, "file is UTF-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), 1, "file is UTF-16"),
        (TEXT.encode("utf-16-le"), 1, "looks like UTF-16"),
        (b"\xef\xbb\xbf" + TEXT.encode(), 1, "byte-order mark"),
        (TEXT.replace("two", "t\x00wo").encode(), 3, "contains a NUL byte"),
        (TEXT.replace("one", "caf\xe9").encode("latin-1"), 2, "byte 0xE9 is not valid UTF-8"),
        (TEXT.replace("\n", "\r\n", 1).encode(), 2, "mixes line endings (CRLF first at line 1, LF first at line 2)"),
        (TEXT.replace("\n", "\r", 2).encode(), 3, "mixes line endings"),  # old Mac CR, then LF
    ],
    ids=[
        "empty",
        "blank",
        "utf16-le-bom",
        "utf16-be-bom",
        "utf16-no-bom",
        "utf8-bom",
        "nul",
        "latin1",
        "crlf-lf",
        "cr-lf",
    ],
)
def test_decode_refuses_what_is_not_plain_utf8(data: bytes, line: int, phrase: str) -> None:
    text, problems = decode("f.csv", data)
    assert text is None
    assert len(problems) == 1 and problems[0].line == line and phrase in problems[0].message, problems
    assert ";" in problems[0].message  # and says what to do


@pytest.mark.parametrize("file", sorted(ENCODINGS.glob("*.csv")), ids=lambda p: p.name)
def test_every_committed_encoding_file_is_refused(file: Path) -> None:
    text, problems = decode(file.name, file.read_bytes())
    assert text is None and len(problems) == 1


# ---- text → header and rows ------------------------------------------------------------------------------
def test_parse_gives_each_row_its_first_physical_line() -> None:
    table = parse("f.csv", 'id,notes\na,"two\nlines"\nb,plain\n')
    assert table.header == ["id", "notes"]
    assert table.rows == [(2, ["a", "two\nlines"]), (4, ["b", "plain"])]
    assert table.problems == [] and table.readable and table.newline == "\n"


def test_parse_remembers_crlf() -> None:
    assert parse("f.csv", TEXT.replace("\n", "\r\n")).newline == "\r\n"


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        ("id,notes\na,x\n\nb,y\n", 3, "blank line; delete it"),
        ('id,notes\na,x\nb,"never closed\n', 3, "a quoted cell is never closed"),
        ('id,notes\na,"opened\nb,y\nc,"z"\n', 2, "runs on to line 4"),
        ('id,notes\na,"closed" and more\n', 2, "text follows the closing double quote"),
    ],
    ids=["blank-line", "unclosed-quote", "quote-runs-on", "text-after-quote"],
)
def test_parse_reports_structural_faults_at_their_line(text: str, line: int, phrase: str) -> None:
    table = parse("f.csv", text)
    assert [(p.line, phrase in p.message) for p in table.problems] == [(line, True)], table.problems


def test_parse_keeps_the_rows_before_a_fault() -> None:
    table = parse("f.csv", 'id,notes\na,x\nb,"never closed\n')
    assert table.rows == [(2, ["a", "x"])]


def test_a_table_without_header_is_not_readable() -> None:
    assert not Table("f.csv").readable
    assert Table("f.csv", header=["id"]).readable


# ---- the fast reader agrees with the careful one, or steps aside -------------------------------------------
def careful(data: bytes) -> Table:
    text, problems = decode("f.csv", data)
    return parse("f.csv", text) if text is not None else Table("f.csv", problems=problems)


PLAIN = {  # files the fast reader takes: it must give exactly the careful reader's table
    "lf": b"id,notes\na,one\nb,two\n",
    "no-final-newline": b"id,notes\na,one\nb,two",
    "crlf": b"id,notes\r\na,one\r\nb,two\r\n",
    "cr": b"id,notes\ra,one\rb,two\r",
    "header-only": b"id,notes\n",
    "quoted": b'id,notes\na,"one, two"\nb,"say ""hi"""\nc,""\n"d",""""\n',
    "line-breaks-in-cells": b'id,notes\na,"two\nlines"\nb,plain\nc,"three\n\nlines"\nd,x\n',
    "crlf-in-cells": b'id,notes\r\na,"two\r\nlines"\r\nb,plain\r\n',
    "empty-cells": b"id,notes,more\na,,\n,b,\n",
    "spaces-and-unicode": "id,notes\n a ,café “x” \u2028 \x85 \x0b\n".encode(),
}
NOT_PLAIN = {  # files the fast reader must leave to the careful reader (which reports or reads them)
    "blank-line": b"id,notes\na,x\n\nb,y\n",
    "blank-last-line": b"id,notes\na,x\n\n",
    "blank-first-line": b"\nid,notes\na,x\n",
    "crlf-blank-line": b"id,notes\r\na,x\r\n\r\nb,y\r\n",
    "text-after-closing-quote": b'id,notes\na,"closed" and more\n',
    "quote-inside-unquoted-cell": b'id,notes\na,5" shells\n',
    "space-before-quote": b'id,notes\na, "x"\n',
    "never-closed": b'id,notes\na,x\nb,"never closed\n',
    "quote-runs-on": b'id,notes\na,"opened\nb,y\nc,"z"\n',
    "ragged": b"id,notes\na,x,extra\nb\n",
    "quoted-header": b'"id",notes\na,x\n',
    "one-column": b"id\na\n\nb\n",
    "mixed-endings": b"id,notes\r\na,x\nb,y\n",
    "latin-1": "id,notes\na,caf\xe9\n".encode("latin-1"),
    "surrogate": b"id,notes\na,\xed\xa0\x80\n",
    "bom": b"\xef\xbb\xbfid,notes\na,x\n",
    "nul": b"id,notes\na,x\x00\n",
    "empty": b"",
    "blank": b" \n\n",
}


@pytest.mark.parametrize("data", PLAIN.values(), ids=PLAIN.keys())
def test_fast_reader_gives_the_careful_readers_table(data: bytes) -> None:
    fast = read_plain("f.csv", data)
    assert fast is not None and fast == careful(data)
    assert fast.arrow is not None and [c.to_pylist() for c in fast.arrow] == fast.columns


@pytest.mark.parametrize("data", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_fast_reader_leaves_every_fault_to_the_careful_reader(data: bytes) -> None:
    assert read_plain("f.csv", data) is None


def test_fast_reader_leaves_cells_past_the_csv_field_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"id,notes\na," + b"x" * 50 + b"\n"
    assert read_plain("f.csv", data) is not None
    monkeypatch.setattr(arrowcsv.csv, "field_size_limit", lambda: 50)
    assert read_plain("f.csv", data) is None


@pytest.mark.parametrize("data", [*PLAIN.values(), *NOT_PLAIN.values()], ids=[*PLAIN, *NOT_PLAIN])
def test_read_table_is_the_careful_reading_whichever_reader_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    (tmp_path / "f.csv").write_bytes(data)
    monkeypatch.setattr(csvfile, "FAST_READER_BYTES", 0)  # offer even these few bytes to the fast reader
    monkeypatch.setattr(csvfile, "FAST_READER_IMPORT_BYTES", 0)
    table = read_table(tmp_path / "f.csv", "f.csv")
    assert table == careful(data)
    assert (table.arrow is not None) == (data in PLAIN.values())  # the fast reader read exactly the plain ones


def test_small_files_take_the_careful_reader(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_bytes(PLAIN["lf"])
    assert read_table(tmp_path / "f.csv", "f.csv").arrow is None


def test_rows_are_listed_in_file_order_with_the_ragged_ones() -> None:
    table = parse("f.csv", "id,notes\na,x\nb\nc,y\n")
    assert table.rows == [(2, ["a", "x"]), (3, ["b"]), (4, ["c", "y"])]
    assert (table.lines, table.columns, table.ragged, table.row_count) == (
        [2, 4],
        [["a", "c"], ["x", "y"]],
        [(3, ["b"])],
        3,
    )


# ---- files and paths ----------------------------------------------------------------------------------------
def test_read_table_reads_the_fixture() -> None:
    table = read_table(GOOD / "claims.csv", "claims.csv")
    assert table.problems == []
    ids = table.header.index("claim_id")
    assert [cells[ids] for _, cells in table.rows] == [r["claim_id"] for r in read_rows(GOOD / "claims.csv")]
    assert [line for line, _ in table.rows] == list(range(2, len(table.rows) + 2))


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda folder: folder / "absent.csv", "file is missing"),
        (lambda folder: (folder / "dir.csv").mkdir() or folder / "dir.csv", "file cannot be read"),
    ],
    ids=["missing", "a-folder"],
)
def test_read_table_turns_unreadable_files_into_problems(tmp_path: Path, make, phrase: str) -> None:
    table = read_table(make(tmp_path), "x.csv")
    assert not table.readable
    assert [(p.path, p.line) for p in table.problems] == [("x.csv", 1)] and phrase in table.problems[0].message


@pytest.mark.parametrize("relative", ["claims.csv", "data/claims.csv"])
def test_resource_file_inside_the_folder(tmp_path: Path, relative: str) -> None:
    assert resource_file(tmp_path, relative) == tmp_path / relative


@pytest.mark.parametrize(
    "relative", ["", "/etc/hostname", "../claims.csv", "data/../../x.csv", "a\\b.csv", "C:claims.csv"]
)
def test_resource_file_refuses_paths_that_leave_the_folder(tmp_path: Path, relative: str) -> None:
    assert resource_file(tmp_path, relative) is None


def test_display_path_is_relative_inside_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inside").mkdir()
    monkeypatch.chdir(tmp_path / "inside")
    assert display_path(tmp_path / "inside" / "claims.csv") == "claims.csv"
    outside = tmp_path / "claims.csv"
    assert display_path(outside) == str(outside)  # never ../claims.csv
    assert os.path.isabs(display_path(outside))


# ---- one problem, one printable line ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("problem", "printed"),
    [
        (Problem("claims.csv", 3, "notes", "is wrong; fix it"), "claims.csv:3: notes: is wrong; fix it"),
        (Problem("claims.csv", 1, "", "file is empty"), "claims.csv:1: -: file is empty"),
        (Problem("claims.csv", 1, "a\nb", "x\x1b[2Jy"), "claims.csv:1: a\\nb: x\\x1b[2Jy"),
    ],
)
def test_problem_prints_on_one_line(problem: Problem, printed: str) -> None:
    assert str(problem) == printed


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, “quotes” and é", "plain text, “quotes” and é"),
        ("line\nbreak\r", "line\\nbreak\\r"),
        ("\x1b[31mred\x7f", "\\x1b[31mred\\x7f"),
        ("para\u2028sep", "para\\u2028sep"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        ("short", 60, "short"),
        ("x" * 61, 60, "x" * 59 + "…"),
        ("two\nlines", 60, "two lines"),
        ("bell\x07", 60, "bell\\x07"),
    ],
)
def test_shorten(value: str, limit: int, shown: str) -> None:
    assert shorten(value, limit) == shown
