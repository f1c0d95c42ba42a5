"""Edits of a dataset folder for table-driven tests: each is a callable `edit(folder)` that changes one thing in a
throw-away copy of tests/data/good, plus `line_of`/`json_line` to find where the validator must point.

Row edits go through csv, so a cell holding a comma or a quote mark is written as a person's editor would;
byte edits (`replace_bytes`, `put_file`) are for what csv would never write.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import DATA, id_column, read_rows, set_cell, write_rows

CLAIMS, SOURCES, DESCRIPTOR = "claims.csv", "sources.csv", "datapackage.json"
ENCODINGS = DATA / "encodings"  # committed files whose bytes are the point (BOM, Latin-1, UTF-16, NUL…)

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class SetCell:
    """One cell of the row whose id (claim_id or source_id) is `row`; kept as data so a test can find it again."""

    file: str
    row: str
    column: str
    value: str

    def __call__(self, folder: Path) -> None:
        set_cell(folder / self.file, self.row, self.column, self.value)


def claim(row_id: str, **cells: str) -> Edit:
    return both(*(SetCell(CLAIMS, row_id, column, value) for column, value in cells.items()))


def source(row_id: str, **cells: str) -> Edit:
    return both(*(SetCell(SOURCES, row_id, column, value) for column, value in cells.items()))


@dataclass(frozen=True)
class Both:
    edits: tuple[Edit, ...]

    def __call__(self, folder: Path) -> None:
        for edit in self.edits:
            edit(folder)


def both(*edits: Edit) -> Both:
    return Both(edits)


def cells_set(edit: Edit) -> list[SetCell]:
    """Every SetCell inside an edit (for checking that the values written come back verbatim)."""
    if isinstance(edit, SetCell):
        return [edit]
    if isinstance(edit, Both):
        return [cell for inner in edit.edits for cell in cells_set(inner)]
    return []


def noop(folder: Path) -> None:
    """The unchanged fixture: the good case of rules that only an addition could break."""


def copy_claim(row_id: str, **cells: str) -> Edit:
    """Add a copy of a claim with some cells changed, keeping the file sorted by claim_id."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder / CLAIMS)
        new = dict(next(r for r in rows if r["claim_id"] == row_id), **cells)
        rows.append(new)
        rows.sort(key=lambda r: r["claim_id"])  # stable: a repeated id lands after the original
        write_rows(folder / CLAIMS, rows)

    return edit


def add_source(new_id: str, like: str, **cells: str) -> Edit:
    """Add a source row (a copy of `like`'s, with its own copy of the excerpt) that no claim cites."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder / SOURCES)
        new = dict(next(r for r in rows if r["source_id"] == like), source_id=new_id, excerpt=f"excerpts/{new_id}.txt")
        new.update(cells)
        rows.append(new)
        rows.sort(key=lambda r: r["source_id"])
        write_rows(folder / SOURCES, rows)
        excerpt = folder / "seeds" / "excerpts" / f"{like}.txt"
        (folder / "seeds" / new["excerpt"]).write_text(excerpt.read_text(encoding="utf-8"), encoding="utf-8")

    return edit


def swap_first_rows(file: str) -> Edit:
    def edit(folder: Path) -> None:
        rows = read_rows(folder / file)
        rows[0], rows[1] = rows[1], rows[0]
        write_rows(folder / file, rows)

    return edit


def columns(file: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Edit:
    """Rewrite a CSV file as a list of rows (header first), e.g. to drop, add or reorder columns."""

    def edit(folder: Path) -> None:
        with (folder / file).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        with (folder / file).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(change(rows))

    return edit


def drop_column(name: str) -> Callable[[list[list[str]]], list[list[str]]]:
    def change(rows: list[list[str]]) -> list[list[str]]:
        i = rows[0].index(name)
        return [r[:i] + r[i + 1 :] for r in rows]

    return change


def replace_bytes(file: str, old: bytes, new: bytes) -> Edit:
    """Replace bytes that occur exactly once (so the edit cannot silently miss or hit twice)."""

    def edit(folder: Path) -> None:
        data = (folder / file).read_bytes()
        assert data.count(old) == 1, (file, old, data.count(old))
        (folder / file).write_bytes(data.replace(old, new))

    return edit


def put_file(file: str, data: bytes | None) -> Edit:
    """Write a file's bytes; None removes it."""

    def edit(folder: Path) -> None:
        if data is None:
            (folder / file).unlink()
        else:
            (folder / file).write_bytes(data)

    return edit


def committed(file: str, name: str) -> Edit:
    """Replace a file with one of the committed byte files under tests/data/encodings."""
    return put_file(file, (ENCODINGS / name).read_bytes())


def descriptor(change: Callable[[dict], None]) -> Edit:
    def edit(folder: Path) -> None:
        data = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
        change(data)
        (folder / DESCRIPTOR).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    return edit


def resource(data: dict, name: str = "claims") -> dict:
    """A resource of a descriptor, found by its name (never by its place in the list)."""
    return next(r for r in data["resources"] if r["name"] == name)


def claims_field(data: dict, name: str) -> dict:
    return next(f for f in resource(data)["schema"]["fields"] if f["name"] == name)


# ---- where a problem must be reported --------------------------------------------------------------------
def line_of(file: Path, row_id: str, occurrence: int = 1) -> int:
    """First physical line of the n-th row whose id (claim_id or source_id, found by name) is row_id; a quoted cell
    may span lines."""
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        column = id_column(next(reader))
        seen, starts = 0, reader.line_num + 1
        for cells in reader:
            if len(cells) > column and cells[column] == row_id:
                seen += 1
                if seen == occurrence:
                    return starts
            starts = reader.line_num + 1
    raise AssertionError(f"{row_id} not in {file}")


def json_line(file: Path, needle: str, after: str = "") -> int:
    """Line of the first `needle` (after `after`, e.g. a resource's name) in a JSON file, found by search so that
    expectations do not pin line numbers that any edit of the schema would shift."""
    text = file.read_text(encoding="utf-8")
    start = text.find(after) if after else 0
    at = text.find(needle, max(start, 0))
    assert start >= 0 and at >= 0, f"{needle!r} not in {file}"
    return text.count("\n", 0, at) + 1


# ---- lines.csv (rows found by their line_id) ---------------------------------------------------------------
LINES = "lines.csv"


def line_row(line_id: str, **cells: str) -> Edit:
    """Change cells of the line whose line_id is given."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder / LINES)
        hits = [r for r in rows if r["line_id"] == line_id]
        assert hits, f"no line {line_id} in {folder / LINES}"
        hits[0].update(cells)
        write_rows(folder / LINES, rows)

    return edit


def copy_line(line_id: str, **cells: str) -> Edit:
    """Add a copy of a line with some cells changed, keeping the file sorted by line_id."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder / LINES)
        rows.append(dict(next(r for r in rows if r["line_id"] == line_id), **cells))
        rows.sort(key=lambda r: r["line_id"])  # stable: a repeated id lands after the original
        write_rows(folder / LINES, rows)

    return edit
