"""A validated dataset folder as typed frames: claims joined to sources, plus derived columns.

One reading path: the validator reads and parses every file once and hands back the checked package and
tables; the frames are built from those same rows, so nothing is parsed twice and nothing the validator
refused is ever shown. Types come from the schema (nothing is left to pandas' inference: ids and free
text stay strings, dates are parsed with the declared format, numbers are floats). Bad input never
raises: it comes back as the validator's problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.data import paths
from dashboard.data.cells import DATE_FORMAT
from dashboard.data.csvfile import Problem, Table
from dashboard.data.normalize import add_derived_columns
from dashboard.data.schema import CORE_LINE_COLUMNS, LINE_COLUMNS, Package, Resource
from dashboard.data.validate import Report, validate_dataset

CHANGELOG_FILE = "CHANGELOG.md"
README_FILE = "README.md"
_RELEASE_RE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})", re.MULTILINE)
# Source columns renamed on the join so a claim's own fields keep their names.
SOURCE_RENAMES = {"title": "source_title", "excerpt": "excerpt_path", "language": "source_language"}


def _no_lines() -> pd.DataFrame:
    """The lines table of a package that declares none: no rows, the columns a line has, as strings."""
    return pd.DataFrame({name: pd.Series([], dtype="string[pyarrow]") for name in CORE_LINE_COLUMNS})


@dataclass(frozen=True)
class Dataset:
    claims: pd.DataFrame  # one row per claim, joined to its source, with derived columns
    sources: pd.DataFrame
    package: Package
    lines: pd.DataFrame = field(default_factory=_no_lines)  # lines.csv: one row per line of claims, in file order
    changelog: str = ""
    readme: str = ""
    folder: Path | None = None  # where it was read from (the data page zips this folder)
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    def derived(self, name: str, build):
        """build(self), computed once for this dataset and shared by every view of it (a value many views
        need whatever their filters, such as every target's verdict). Treat the result as read-only."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    @property
    def version(self) -> str:
        return self.package.version

    @property
    def updated(self) -> str:
        """Date of the latest released changelog section, or '' when none is dated yet."""
        match = _RELEASE_RE.search(self.changelog)
        return match.group("date") if match else ""


@dataclass
class LoadResult:
    dataset: Dataset | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.problems


def frame(table: Table, resource: Resource) -> pd.DataFrame:
    """A validated table's rows as a frame with the declared types: dates and numbers parsed, the rest strings.

    Every column goes through Arrow: the fast reader's own columns as read (no copy), or the careful reader's
    lists converted once. Dates and numbers are parsed there, in C, blanks becoming NaT and NaN; Arrow reads
    a plain decimal to the same float as Python's float(), which the validator used."""
    out = {}
    for i, (f, values) in enumerate(zip(resource.fields, table.columns, strict=True)):
        text = table.arrow[i] if table.arrow is not None else pa.chunked_array([pa.array(values, pa.large_string())])
        if f.type in ("date", "number"):
            cells = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
            if f.type == "date":
                # Microseconds, as pandas' own date parser gives; seconds when the column holds no date at all.
                unit = "us" if cells.null_count < len(cells) else "s"
                out[f.name] = pd.Series(pc.strptime(cells, format=DATE_FORMAT, unit=unit).to_numpy())
            else:
                out[f.name] = pd.Series(pc.cast(cells, pa.float64()).to_numpy(), dtype="float64")
        else:
            out[f.name] = pd.Series(pd.arrays.ArrowStringArray(text))
    return pd.DataFrame(out)


def _with_line_columns(claims: pd.DataFrame) -> pd.DataFrame:
    """A claim's line and relation as strings, missing (not '') when it belongs to no line; a package that declares
    no lines gets both columns, all missing, so the line views need not ask which kind of package they read."""
    for name in LINE_COLUMNS:
        if name in claims:
            claims[name] = claims[name].mask(claims[name] == "")
        else:
            claims[name] = pd.Series(pd.NA, index=claims.index, dtype="string[pyarrow]")
    return claims


def _text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def dataset_from(report: Report, folder: Path) -> Dataset:
    """The Dataset behind a valid report (the tables it read), joined and with derived columns."""
    package: Package = report.package  # type: ignore[assignment]  # a valid report always has one
    claims = _with_line_columns(frame(report.tables[package.claims.name], package.claims))
    sources = frame(report.tables[package.sources.name], package.sources)
    lines = frame(report.tables["lines"], package.lines) if package.lines is not None else _no_lines()
    joined = add_derived_columns(claims.merge(sources.rename(columns=SOURCE_RENAMES), on="source_id", how="left"))
    return Dataset(
        claims=joined,
        sources=sources,
        package=package,
        lines=lines,
        changelog=_text(folder / CHANGELOG_FILE),
        readme=_text(folder / README_FILE),
        folder=folder,
    )


def load_dataset(data_dir: Path | str | None = None) -> LoadResult:
    """Validate the dataset folder and read it: the Dataset, or every problem that stopped it."""
    folder = paths.data_dir(data_dir)
    if not folder.is_dir():
        return LoadResult(
            problems=[Problem(str(folder), 1, "", "dataset folder does not exist; check DASHBOARD_DATA_DIR")]
        )
    report = validate_dataset(folder)
    if not report.valid:
        return LoadResult(problems=report.problems)
    try:
        return LoadResult(dataset=dataset_from(report, folder))
    except Exception as exc:  # noqa: BLE001 - last line of defence: the app shows problems, never a traceback
        return LoadResult(
            problems=[
                Problem(str(folder), 1, "", f"dataset cannot be loaded ({exc.__class__.__name__}); please report it")
            ]
        )
