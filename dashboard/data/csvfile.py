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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv


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
    # The same columns as Arrow text when the fast reader read the file: the loader's frames share them.
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
    fast = read_plain(display, data)
    if fast is not None:
        return fast
    text, problems = decode(display, data)
    if text is None:
        return Table(path=display, problems=problems)
    return parse(display, text)


# ---- the fast reader -----------------------------------------------------------------------------------------
# Python's csv module builds a list per row: 1 s for 100,000 rows. Arrow's C++ reader gives the columns in a
# tenth of that, but it is lenient where the careful reader above is strict (it takes text after a closing
# quote, a file ending inside a quote, and a blank line as a row of empty cells). So it is used only for a
# file on which both readers provably agree: plain UTF-8, one kind of line ending, a header without quotes,
# every row as wide as the header, no row of only empty cells, and every double quote either opening a cell,
# doubled inside it, or closing it right before a comma or a line end. Anything else, including every file
# with a fault, goes to the careful reader, which says what is wrong and where. tests/test_csvfile.py holds
# both readers to the same tables.
_QUOTE, _COMMA, _LF, _CR = b'"', b",", b"\n", b"\r"


def read_plain(path: str, data: bytes) -> Table | None:
    """The Table that parse(decode(data)) would give, read column-wise by Arrow; None when the file is not plain."""
    if not data or data.isspace() or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None
    newline = _one_newline(data)
    if newline is None:
        return None
    end = data.find(newline)
    header_line = data[: end if end >= 0 else len(data)]
    if not header_line or _QUOTE in header_line:
        return None
    try:
        header = header_line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    if len(header) < 2 or not _quotes_strict(data):  # a one-column file could hide a blank line
        return None
    names = [str(i) for i in range(len(header))]
    try:  # one block for the whole file: no row can straddle two, and one thread is all this machine spares
        parsed = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False, block_size=max(len(data), 1 << 20)),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OverflowError, ValueError):  # a ragged row, invalid UTF-8, a block too large…
        return None
    if parsed.num_rows == 0 or [parsed.column(i)[0].as_py() for i in range(len(names))] != header:
        return None
    arrow = [parsed.column(i).slice(1) for i in range(len(names))]
    if _has_blank_row(arrow) or _longest_cell(arrow) >= csv.field_size_limit():
        return None
    try:
        columns = [column.to_pylist() for column in arrow]  # Python's own UTF-8 decoder checks every cell here
    except UnicodeDecodeError:
        return None
    return Table(
        path=path,
        header=header,
        lines=_row_lines(data, newline, arrow),
        columns=columns,
        newline="\r\n" if newline == b"\r\n" else "\n",
        arrow=arrow,
    )


def _one_newline(data: bytes) -> bytes | None:
    """The file's one kind of line ending (LF when it has none), or None when it mixes them."""
    if _CR not in data:
        return _LF
    crlf = data.count(b"\r\n")
    if crlf == data.count(_CR) and crlf == data.count(_LF):
        return b"\r\n"
    return _CR if _LF not in data else None


def _quotes_strict(data: bytes) -> bool:
    """True when every double quote opens a cell, is doubled inside one, or closes one before a comma or line end.

    Runs of quotes are judged at once: a run starts inside a quoted cell when an odd number of quotes came
    before it. That holds as long as no quote stands inside an unquoted cell, which the first test refuses."""
    buffer = np.frombuffer(data, dtype=np.uint8)
    at = np.flatnonzero(buffer == ord(_QUOTE))
    if at.size == 0:
        return True
    if at.size % 2:  # a cell left open at the end of the file
        return False
    breaks = np.flatnonzero(np.diff(at) != 1) + 1
    starts = at[np.concatenate(([0], breaks))]
    lengths = np.diff(np.concatenate((breaks, [at.size])), prepend=0)
    inside = (np.cumsum(lengths) - lengths) % 2 == 1
    ends = starts + lengths
    separators = np.array([ord(_COMMA), ord(_LF), ord(_CR)], dtype=np.uint8)
    before = np.where(starts > 0, buffer[np.maximum(starts - 1, 0)], ord(_LF))  # the file's start begins a cell
    after = np.where(ends < buffer.size, buffer[np.minimum(ends, buffer.size - 1)], ord(_LF))  # its end ends one
    if not np.isin(before[~inside], separators).all():  # a quote inside an unquoted cell
        return False
    closing = np.where(inside, lengths % 2 == 1, lengths % 2 == 0)  # the run's last quote ends the cell
    return bool(np.isin(after[closing], separators).all())


def _has_blank_row(columns: list[pa.ChunkedArray]) -> bool:
    """A row of only empty cells: Arrow's reading of a blank line, which the careful reader reports."""
    empty = None
    for column in columns:
        here = pc.equal(pc.binary_length(column), 0)
        empty = here if empty is None else pc.and_(empty, here)
    return bool(empty is not None and pc.any(empty).as_py())


def _longest_cell(columns: list[pa.ChunkedArray]) -> int:
    return max((pc.max(pc.utf8_length(c)).as_py() or 0 for c in columns), default=0)


def _row_lines(data: bytes, newline: bytes, columns: list[pa.ChunkedArray]) -> list[int]:
    """The physical line each row starts on: line 2 onwards, one line per row, plus the line breaks inside
    quoted cells of the rows before it (counted only when the file has any)."""
    rows = len(columns[0]) if columns else 0
    breaks = data.count(newline)
    if breaks == rows + 1 - (not data.endswith(newline)):  # one line ending per row and header: none inside cells
        return list(range(2, rows + 2))
    text = newline.decode()
    inner = np.zeros(rows, dtype=np.int64)
    for column in columns:
        inner += pc.count_substring(column, text).to_numpy()
    return (2 + np.arange(rows) + np.concatenate(([0], np.cumsum(inner)[:-1]))).tolist()


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
