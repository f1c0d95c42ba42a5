"""Read a dataset CSV file defensively: bytes → text → header + rows, each row with its line number.

Hand-edited CSV arrives in every shape (Latin-1, UTF-16, a BOM, mixed line endings, NUL bytes,
unclosed quotes, ragged rows). Every such fault becomes a Problem with the physical line it is on,
never an exception, so the validator can say exactly where to look.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the dataset, printed as `path:line: column: message`."""

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column or '-'}: {self.message}"


@dataclass
class Table:
    path: str
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (first physical line, cells)
    newline: str = "\n"
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """True when the header could be read, so cell checks are meaningful."""
        return bool(self.header)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _newline_kinds(text: str) -> dict[str, int]:
    """Physical line of the first occurrence of each newline kind."""
    kinds: dict[str, int] = {}
    line = 1
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\r":
            kind = "CRLF" if i + 1 < n and text[i + 1] == "\n" else "CR"
            kinds.setdefault(kind, line)
            i += 2 if kind == "CRLF" else 1
            line += 1
            continue
        if ch == "\n":
            kinds.setdefault("LF", line)
            line += 1
        i += 1
    return kinds


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes → text, or the reason it cannot be trusted as the UTF-8 the package declares."""
    if not data.strip():
        return None, [Problem(path, 1, "", "file is empty; it needs at least the header line")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(path, 1, "", "file is UTF-16; save it as UTF-8 (without BOM)")]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(path, 1, "", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    nul = data.find(b"\x00")
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
            table.rows.append((start, record))
    except csv.Error as exc:
        line = last_line + 1
        message = str(exc)
        if "unexpected end of data" in message or "EOF" in message:
            message = "a quoted cell is never closed; add the closing double quote"
        else:
            message = f"CSV cannot be parsed ({message}); quote cells that contain commas, quotes or line breaks"
        table.problems.append(Problem(path, line, "", message))
    if not table.header and not table.problems:
        table.problems.append(Problem(path, 1, "", "file has no header line"))
    return table


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
    text, problems = decode(display, data)
    if text is None:
        return Table(path=display, problems=problems)
    return parse(display, text)
