"""Bring the test fixtures in step with the live schema: `python -m tests.sync_schema`.

The fixtures (every folder under tests/data holding a datapackage.json: good, hostile, …) must be checked
against the same schema and rules as the live dataset, or a test can pass on a schema the app no longer has.

* datapackage.json: only the package's own metadata may differ (PACKAGE_METADATA: its name, title, version,
  dates, licences…): the fixture keeps its own, and everything else — the resources with their schemas and the
  `shellcount` rules — is copied from the live file.
* each resource's CSV: a field the live schema declares and the file lacks is added as an empty column at the
  schema's position (header name, empty cell in every row). Every other byte stays as it was — quoting, line
  endings, multi-line cells — so the diff shows the new column and nothing else. Columns are only ever added:
  a column the schema dropped or renamed holds data a person must look at, and the validator names it. A resource
  the fixture has no file for yet is written as its header line, with no rows.

tests/test_fixture_schema.py fails, naming what differs, until this is run.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIVE_DESCRIPTOR = REPO / "datasets" / "datapackage.json"
DESCRIPTOR = "datapackage.json"
FIXTURES = tuple(sorted(p.parent for p in (REPO / "tests" / "data").glob(f"*/{DESCRIPTOR}")))
# Top-level keys that describe a package rather than its data: a fixture may say it is another version.
PACKAGE_METADATA = (
    "name", "id", "title", "description", "version", "created", "homepage", "keywords", "licenses",
    "contributors", "sources", "image",
)  # fmt: skip


def schema_part(descriptor: dict) -> dict:
    """Everything the validator and the app read from a descriptor: all but the package metadata."""
    return {k: v for k, v in descriptor.items() if k not in PACKAGE_METADATA}


def synced(fixture_text: str, live_text: str) -> str:
    """The fixture's descriptor with the live schema and rules and its own package metadata."""
    fixture, live = json.loads(fixture_text), json.loads(live_text)
    own = {k: v for k, v in fixture.items() if k in PACKAGE_METADATA}
    if own == {k: v for k, v in live.items() if k in PACKAGE_METADATA}:
        return live_text  # a byte copy keeps the live file's hand-made layout
    merged = {
        k: own[k] if k in PACKAGE_METADATA else v for k, v in live.items() if k not in PACKAGE_METADATA or k in own
    }
    merged.update({k: v for k, v in own.items() if k not in merged})
    return json.dumps(merged, indent=2, ensure_ascii=False) + "\n"


# ---- CSV columns -------------------------------------------------------------------------------------------
def _records(text: str) -> list[tuple[list[int], int]]:
    """Each record of a CSV text as (the offsets where its cells start, the offset where it ends: at its line
    break or the end of the text). A quoted cell may hold commas, doubled quotes and line breaks."""
    found, i, n = [], 0, len(text)
    while i < n:
        starts, quoted = [i], False
        while i < n:
            ch = text[i]
            if quoted:
                if ch == '"' and text.startswith('""', i):
                    i += 1  # an escaped quote mark inside the cell
                elif ch == '"':
                    quoted = False
            elif ch == '"':
                quoted = True
            elif ch == ",":
                starts.append(i + 1)
            elif ch in "\r\n":
                break
            i += 1
        found.append((starts, i))
        i += 2 if text.startswith("\r\n", i) else 1
    return found


def _header_cell(name: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([name])
    return buffer.getvalue()


def missing_columns(header: list[str], field_names: list[str]) -> list[tuple[int, str]]:
    """(index in the present header to insert before, name) for each declared field the header lacks, placed right
    after the nearest field before it in the schema that the header has (or first when there is none)."""
    inserts, after = [], 0
    for name in field_names:
        if name in header:
            after = header.index(name) + 1
        else:
            inserts.append((after, name))
    return inserts


def synced_table(csv_text: str, field_names: list[str]) -> str:
    """The CSV text with an empty column for each declared field it lacks, at the schema's position."""
    records = _records(csv_text)
    if not records:
        return csv_text
    header = next(csv.reader([csv_text[: records[0][1]]]), [])
    inserts = sorted(missing_columns(header, field_names), key=lambda insert: insert[0])  # stable: schema order
    if not inserts:
        return csv_text
    pieces, done = [], 0
    for number, (starts, end) in enumerate(records):
        assert len(starts) == len(header), f"record {number + 1} has {len(starts)} cells, the header {len(header)}"
        for index, name in inserts:
            cell = _header_cell(name) if number == 0 else ""
            at = starts[index] if index < len(starts) else end
            pieces.append(csv_text[done:at])
            pieces.append(cell + "," if index < len(starts) else "," + cell)
            done = at
    pieces.append(csv_text[done:])
    return "".join(pieces)


def sync(live_descriptor: Path = LIVE_DESCRIPTOR, fixtures: tuple[Path, ...] = FIXTURES) -> list[Path]:
    """Bring each fixture folder in step with the live descriptor; the files it changed."""
    live_text = live_descriptor.read_text(encoding="utf-8")
    resources = {r["name"]: r for r in json.loads(live_text)["resources"]}
    changed = []
    for folder in fixtures:
        file = folder / DESCRIPTOR
        texts = {file: synced(file.read_text(encoding="utf-8"), live_text)}
        for resource in json.loads(texts[file])["resources"]:
            table = folder / resource["path"]
            names = [f["name"] for f in resources[resource["name"]]["schema"]["fields"]]
            # A resource new to the fixture (lines.csv came with 1.2.0) starts as its header line, no rows.
            texts[table] = synced_table(_read(table) if table.exists() else _header_line(names), names)
        for path, after in texts.items():
            if not path.exists() or after != _read(path):
                path.write_bytes(after.encode("utf-8"))
                changed.append(path)
    return changed


def _header_line(names: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(names)
    return buffer.getvalue()


def _read(path: Path) -> str:
    """Text exactly as stored (no newline translation), so unchanged lines are written back byte for byte."""
    return path.read_bytes().decode("utf-8")


def main() -> None:
    changed = sync()
    for folder in FIXTURES:
        mine = [p.name for p in changed if p.parent == folder]
        print(f"{folder.relative_to(REPO)}: {'updated ' + ', '.join(mine) if mine else 'already in step'}")


if __name__ == "__main__":
    main()
