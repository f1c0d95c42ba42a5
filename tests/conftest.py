"""Shared fixtures: repository paths, a throw-away copy of a small valid dataset, CSV editing helpers."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import settings

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOOD = DATA / "good"
LIVE = REPO / "datasets"


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/good (ten valid rows with their own seeds/)."""
    target = tmp_path / "dataset"
    shutil.copytree(GOOD, target)
    return target


def read_rows(file: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"))))


def write_rows(file: Path, rows: list[dict[str, str]], fieldnames: list[str] | None = None) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file.write_text(buffer.getvalue(), encoding="utf-8")


ID_COLUMNS = ("claim_id", "source_id")  # the primary key of claims.csv and of sources.csv


def id_column(header: list[str]) -> int:
    """Where the row id is in a header: the first of ID_COLUMNS it has, found by name."""
    found = [header.index(name) for name in ID_COLUMNS if name in header]
    assert found, f"no id column ({', '.join(ID_COLUMNS)}) in {header}"
    return found[0]


def set_cell(file: Path, claim_or_source_id: str, column: str, value: str) -> None:
    """Change one cell of the row with the given claim_id or source_id."""
    rows = read_rows(file)
    key = list(rows[0])[id_column(list(rows[0]))]
    hits = [r for r in rows if r[key] == claim_or_source_id]
    assert hits, f"no row {claim_or_source_id} in {file}"
    assert column in hits[0], f"no column {column} in {file}"
    hits[0][column] = value
    write_rows(file, rows)


def claims_frame(*rows: dict) -> pd.DataFrame:
    """A claims table from plain dicts, typed like the loader's output and with the derived columns."""
    from dashboard.data.normalize import add_derived_columns

    frame = pd.DataFrame(rows)
    for column in ("period_start", "period_end", "stated_on"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("value_low", "value_high"):
        frame[column] = frame[column].astype("float64")
    return add_derived_columns(frame)


def chromium_or_skip() -> str:
    """The system Chromium's path; skip when it is missing, or fail when CI requires it."""

    from dashboard.present.export import find_chromium

    found = find_chromium()
    if found:
        return found
    message = "Chromium not found: install Debian's chromium (apt-get install chromium) or set SHELLCOUNT_CHROMIUM"
    if settings.REQUIRE_BROWSER.is_on():
        pytest.fail(message + " (SHELLCOUNT_REQUIRE_BROWSER=1)")
    pytest.skip(message)


# ---- nothing lost: the live dataset and the seeds are byte-identical after the whole run ----------------
PROTECTED = (REPO / "datasets", REPO / "seeds")


def folder_digest(folders=PROTECTED) -> str:
    """One hash of every file's name (relative to its folder's parent) and bytes: any edit, rename, addition or
    removal changes it."""
    import hashlib

    digest = hashlib.sha256()
    for folder in folders:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(file.relative_to(folder.parent)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def pytest_sessionstart(session):
    session.config._protected_digest = folder_digest()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_protected_digest", None)
    if before is not None and folder_digest() != before:
        print("\nFAILED: datasets/ or seeds/ changed during the test run; tests must only write to temporary copies.")
        session.exitstatus = 1
