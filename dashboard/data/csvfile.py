"""Read a dataset CSV file defensively: bytes → text → header + columns, each row with its line number.

Hand-edited CSV arrives in every shape (Latin-1, UTF-16, a BOM, mixed line endings, NUL bytes,
unclosed quotes, ragged rows). Every such fault becomes a Problem with the physical line it is on,
never an exception, so the validator can say exactly where to look. Two readers give the same Table: a
fast one (Arrow, column-wise) for files that are plainly well-formed, and the careful one (Python's csv
module, row by row) for everything else, including every file with a fault.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# Files this large are offered to the fast reader (dashboard/data/arrowcsv.py) where Arrow is loaded already
# (the app and the loader import it); elsewhere, as in the validate command, only files that repay importing
# it (~0.4 s, the time the careful reader takes for ~15 MB). Smaller files take the careful reader: a few ms.
FAST_READER_BYTES = 1_000_000
FAST_READER_IMPORT_BYTES = 15_000_000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the dataset, printed as `path:line: column: message`."""

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        # One problem, one output line: a hostile header or cell must not break the line or drive the terminal.
        return printable(f"{self.path}:{self.line}: {self.column or '-'}: {self.message}")


_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text with control characters (line breaks, escapes) shown as \\n, \\x1b…, safe on one terminal line."""
    if not _UNPRINTABLE_RE.search(text):
        return text
    return _UNPRINTABLE_RE.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass
class Table:
    """A CSV file as read: its header, and its rows column by column, each row with the physical line it starts on.

    Columns, not a list per row: the checks and the loader work a column at a time, and 100,000 rows as
    100,000 lists (or dicts) cost more than all the checks together (bench/RESULTS.md)."""

    path: str
    header: list[str] = field(default_factory=list)
    lines: Sequence[int] = ()  # first physical line of each row that has the header's width
    columns: list[Sequence[str]] = field(default_factory=list)  # those rows' cells, one sequence per header column
    ragged: list[tuple[int, list[str]]] = field(default_factory=list)  # rows of another width: (line, cells)
    newline: str = "\n"
    problems: list[Problem] = field(default_factory=list)
    # The same columns as Arrow text when the fast reader (arrowcsv) read the file: the loader's frames share them.
    arrow: list[pa.ChunkedArray] | None = field(default=None, repr=False, compare=False)

    @property
    def readable(self) -> bool:
        """True when the header could be read, so cell checks are meaningful."""
        return bool(self.header)

    @property
    def row_count(self) -> int:
        return len(self.lines) + len(self.ragged)

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        """Every row in file order as (first line, cells): for the row-by-row edits of the maintainer commands."""
        whole = [(line, list(cells)) for line, cells in zip(self.lines, zip(*self.columns, strict=True), strict=True)]
        return sorted(whole + self.ragged, key=lambda row: row[0]) if self.ragged else whole


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


def _newline_kinds(text: str) -> dict[str, int]:
    """Physical line of the first occurrence of each newline kind (LF, CRLF, CR)."""
    # Counting in C first keeps a 100 MB file at a few milliseconds; lines are only located when mixed.
    crlf = text.count("\r\n")
    counts = {"CRLF": crlf, "CR": text.count("\r") - crlf, "LF": text.count("\n") - crlf}
    present = [kind for kind, n in counts.items() if n]
    if len(present) < 2:
        return dict.fromkeys(present, 1)
    kinds: dict[str, int] = {}
    for line, match in enumerate(_NEWLINE_RE.finditer(text), start=1):
        kinds.setdefault({"\r\n": "CRLF", "\r": "CR", "\n": "LF"}[match.group()], line)
        if len(kinds) == len(present):
            break
    return kinds


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is NUL."""
    sample = data[:4000]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes → text, or the reason it cannot be trusted as the UTF-8 the package declares."""
    if not data.strip():
        return None, [Problem(path, 1, "", "file is empty; it needs at least the header line")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(path, 1, "", "file is UTF-16; save it as UTF-8 (without BOM)")]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(path, 1, "", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    nul = data.find(b"\x00")
    if nul >= 0 and _looks_like_utf16(data):
        return None, [Problem(path, 1, "", "file looks like UTF-16 (NUL between the letters); save it as UTF-8")]
    if nul >= 0:
        line = _line_of_offset(data, nul)
        return None, [Problem(path, line, "", "contains a NUL byte (binary data?); save the file as plain UTF-8 text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex().upper()
        return None, [
            Problem(
                path, line, "", f"byte 0x{bad} is not valid UTF-8 (Latin-1 or Windows-1252?); re-save the file as UTF-8"
            )
        ]
    kinds = _newline_kinds(text)
    if len(kinds) > 1:
        where = ", ".join(f"{k} first at line {v}" for k, v in sorted(kinds.items(), key=lambda kv: kv[1]))
        second = sorted(kinds.values())[1]
        return None, [Problem(path, second, "", f"mixes line endings ({where}); use LF line endings throughout")]
    return text, []


def parse(path: str, text: str) -> Table:
    """Text → header and rows with line numbers; structural faults become problems."""
    table = Table(path=path, newline="\r\n" if "\r\n" in text else "\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not record:
                table.problems.append(Problem(path, start, "", "blank line; delete it"))
                continue
            if not table.header:
                table.header = record
                continue
            records.append((start, record))
    except csv.Error as exc:
        start = last_line + 1
        message = _csv_error_message(str(exc))
        if reader.line_num > start and "never closed" not in message:
            # The record began lines earlier: a quote opened there swallowed the line breaks after it.
            message = (
                f"a quoted cell starting in this row runs on to line {reader.line_num}; "
                "its closing double quote is probably missing"
            )
        table.problems.append(Problem(path, start, "", message))
    if not table.header and not table.problems:
        table.problems.append(Problem(path, 1, "", "file has no header line"))
    width = len(table.header)
    whole = [(line, cells) for line, cells in records if len(cells) == width]
    table.ragged = [(line, cells) for line, cells in records if len(cells) != width]
    table.lines = [line for line, _ in whole]
    table.columns = [list(column) for column in zip(*(cells for _, cells in whole), strict=True)] or [
        [] for _ in table.header
    ]
    return table


def _csv_error_message(error: str) -> str:
    """The csv module's terse error as what to do about it."""
    if "unexpected end of data" in error or "EOF" in error:
        return "a quoted cell is never closed; add the closing double quote"
    if "field larger than field limit" in error:
        # An unclosed quote swallows the rest of the file into one cell long before the end of data.
        return (
            f"a cell is longer than {csv.field_size_limit()} characters; "
            "a quoted cell starting here is probably never closed: add the closing double quote"
        )
    if "expected after" in error:
        return (
            "text follows the closing double quote of a cell; "
            'write a double quote inside a quoted cell as two ("") and end the cell at its closing quote'
        )
    return f"CSV cannot be parsed ({error}); quote cells that contain commas, quotes or line breaks"


def resource_file(folder: Path, relative: str) -> Path | None:
    """A resource's file inside the dataset folder, or None when the descriptor points elsewhere.

    datapackage.json is data too: an absolute path or `..` must not make the app read files outside the folder."""
    candidate = Path(relative)
    if not relative or candidate.is_absolute() or ".." in candidate.parts or "\\" in relative or ":" in relative:
        return None
    return folder / candidate


def read_table(file: Path, display: str) -> Table:
    """Read one CSV file from disk; a missing or unreadable file is a problem, not an exception."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return Table(
            path=display,
            problems=[
                Problem(display, 1, "", "file is missing; restore it from git or create it with the header line")
            ],
        )
    except OSError as exc:
        return Table(
            path=display,
            problems=[Problem(display, 1, "", f"file cannot be read ({exc.strerror or exc.__class__.__name__})")],
        )
    if len(data) >= (FAST_READER_BYTES if "pyarrow" in sys.modules else FAST_READER_IMPORT_BYTES):
        from dashboard.data.arrowcsv import read_plain  # imported here, and only here: see FAST_READER_BYTES

        fast = read_plain(display, data)
        if fast is not None:
            return fast
    text, problems = decode(display, data)
    if text is None:
        return Table(path=display, problems=problems)
    return parse(display, text)


def display_path(path: Path) -> str:
    """A path as a person would type it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def shorten(value: str, limit: int = 60) -> str:
    """A cell value quoted back in a message: one line, control characters shown escaped, at most `limit`."""
    value = printable(value.replace("\n", " "))
    return value if len(value) <= limit else value[: limit - 1] + "…"
