"""Read a dataset folder with declared dtypes into a Dataset: claims joined to sources, plus derived columns.

The loader trusts the schema for types (nothing is left to pandas' inference: ids and free text stay
strings, dates are parsed with the declared format, numbers are floats) and never raises for bad
input: a file it cannot read becomes a list of problems, like the validator's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.data import paths
from dashboard.data.csvfile import Problem, resource_file
from dashboard.data.descriptor import CORE_CLAIM_COLUMNS, CORE_SOURCE_COLUMNS, CORE_TYPES
from dashboard.data.normalize import add_derived_columns
from dashboard.data.schema import Package, Resource, SchemaError, read_package

CHANGELOG_FILE = "CHANGELOG.md"
README_FILE = "README.md"
_RELEASE_RE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})", re.MULTILINE)
# Source columns renamed on the join so a claim's own fields keep their names.
SOURCE_RENAMES = {"title": "source_title", "excerpt": "excerpt_path", "language": "source_language"}


@dataclass(frozen=True)
class Dataset:
    claims: pd.DataFrame  # one row per claim, joined to its source, with derived columns
    sources: pd.DataFrame
    package: Package
    changelog: str = ""
    readme: str = ""

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


def _read_csv(file: Path, resource: Resource) -> tuple[pd.DataFrame | None, list[Problem]]:
    display = str(file)
    try:
        frame = pd.read_csv(
            file, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8", encoding_errors="strict"
        )
    except FileNotFoundError:
        return None, [Problem(display, 1, "", "file is missing")]
    except (UnicodeDecodeError, ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [
            Problem(display, 1, "", f"cannot be read as CSV ({exc.__class__.__name__}); run the validator for details")
        ]
    expected = list(resource.field_names)
    if list(frame.columns) != expected:
        return None, [Problem(display, 1, "", "header does not match the schema; run the validator for details")]
    return _typed(frame, resource), []


def _typed(frame: pd.DataFrame, resource: Resource) -> pd.DataFrame:
    """Apply the declared types: dates and numbers parsed, everything else kept as strings."""
    out = {}
    for f in resource.fields:
        column = frame[f.name]
        if f.type == "date":
            out[f.name] = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(column.where(column != ""), errors="coerce").astype("float64")
        else:
            out[f.name] = column.astype("string")
    return pd.DataFrame(out, index=frame.index)


def _text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _schema_problems(package: Package, folder: Path) -> list[Problem]:
    """What in the descriptor would break the join, the derived columns or the pages (the validator says more)."""
    display = str(folder / "datapackage.json")
    problems = []
    for resource, core in ((package.claims, CORE_CLAIM_COLUMNS), (package.sources, CORE_SOURCE_COLUMNS)):
        if resource_file(folder, resource.path) is None:
            problems.append(Problem(display, 1, "", f"resource '{resource.name}' points outside the dataset folder"))
        types = {f.name: f.type for f in resource.fields}
        for name in core:
            if types.get(name) != CORE_TYPES.get(name, "string"):
                problems.append(Problem(display, 1, name, "core column is missing or mistyped in the schema"))
    if problems:
        problems.append(Problem(display, 1, "", "run the validator (python -m dashboard.validate) for details"))
    return problems


def load_dataset(data_dir: Path | str | None = None) -> LoadResult:
    """Read the dataset folder; returns the Dataset, or the problems that stopped it being read."""
    folder = paths.data_dir(data_dir)
    try:
        package = read_package(folder)
    except (SchemaError, ValueError, RecursionError) as exc:  # ValueError: a malformed rule; Recursion: deep JSON
        return LoadResult(problems=[Problem(str(folder / "datapackage.json"), 1, "", str(exc))])
    schema_problems = _schema_problems(package, folder)
    if schema_problems:
        return LoadResult(problems=schema_problems)
    try:
        claims, p1 = _read_csv(folder / package.claims.path, package.claims)
        sources, p2 = _read_csv(folder / package.sources.path, package.sources)
    except Exception as exc:  # noqa: BLE001 - pandas raises many types for hostile bytes; none may escape
        return LoadResult(problems=[Problem(str(folder), 1, "", f"dataset cannot be read ({exc.__class__.__name__})")])
    if claims is None or sources is None:
        return LoadResult(problems=p1 + p2)
    if not sources["source_id"].is_unique:
        return LoadResult(
            problems=[
                Problem(
                    str(folder / package.sources.path),
                    1,
                    "source_id",
                    "source ids are not unique; run the validator for details",
                )
            ]
        )
    try:
        joined = add_derived_columns(claims.merge(sources.rename(columns=SOURCE_RENAMES), on="source_id", how="left"))
    except Exception as exc:  # noqa: BLE001 - last line of defence: the app shows problems, never a traceback
        return LoadResult(
            problems=[
                Problem(
                    str(folder),
                    1,
                    "",
                    f"derived columns cannot be computed ({exc.__class__.__name__}); run the validator",
                )
            ]
        )
    return LoadResult(
        dataset=Dataset(
            claims=joined,
            sources=sources,
            package=package,
            changelog=_text(folder / CHANGELOG_FILE),
            readme=_text(folder / README_FILE),
        )
    )
