"""The fast reader: a dataset CSV file's columns read by Arrow, for files the careful reader would read the same.

Python's csv module (csvfile.parse) builds a list per row: 1 s for 100,000 rows. Arrow's C++ reader gives the
columns in a tenth of that, but it is lenient where the careful reader is strict (it takes text after a closing
quote, a file ending inside a quote, and a blank line as a row of empty cells). So it is used only for a file
on which both readers provably agree: plain UTF-8, one kind of line ending, a header without quotes, every row
as wide as the header, no row of only empty cells, and every double quote either opening a cell, doubled
inside it, or closing it right before a comma or a line end. Anything else, including every file with a
fault, goes to the careful reader, which says what is wrong and where. tests/test_csvfile.py and a property
test hold both readers to the same tables.
"""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from dashboard.data.csvfile import Table

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
    filled = None  # per row: has a cell with something in it (a length cast to bool: no scalar, which
    for column in columns:  # would make Arrow import pandas to read it)
        here = pc.cast(pc.binary_length(column), pa.bool_())
        filled = here if filled is None else pc.or_(filled, here)
    return filled is not None and len(filled) > 0 and not pc.all(filled).as_py()


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
