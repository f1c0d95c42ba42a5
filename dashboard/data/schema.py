"""The one schema: datapackage.json read and checked once, for the validator, the loader, the docs and the tests.

Enums, patterns, types and the cross-field rules (which units fit which measure, what counts as a
duplicate, which measures take a comparator) are declared once in `datasets/datapackage.json`; this module
reads them and checks, before any row is read, everything the row checks and the loader rely on (JSON,
frictionless's Data Package profile, the core columns and their types, compilable patterns, numeric bounds,
the project's rules). Each problem sits at its line in the JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dashboard.data import paths
from dashboard.data.csvfile import Problem, display_path, resource_file, shorten

PACKAGE_FILE = "datapackage.json"
# Core columns: tools outside the app depend on them (DESIGN §3), so a descriptor without them is refused.
CORE_CLAIM_COLUMNS = (
    "claim_id", "stated_on", "date_precision", "speaker", "speaker_role", "speaker_side", "subject",
    "comparator", "measure", "value_low", "value_high", "unit", "period_start", "period_end", "caliber",
    "basis", "quote", "interpretation", "label", "source_id", "notes",
)  # fmt: skip
CORE_SOURCE_COLUMNS = (
    "source_id", "publisher", "original_publisher", "title", "url", "published_on", "accessed_on", "grade",
    "language", "excerpt",
)  # fmt: skip
# The lines of claims (lines.csv) are optional: a package without them (1.1.0 and older) is still whole. When
# declared, the reading of a line and its page rely on these columns; the claims then name their line by LINE_COLUMNS.
CORE_LINE_COLUMNS = ("line_id", "title", "who", "asserts", "measure", "unit", "kind")
LINE_COLUMNS = ("line_id", "line_relation")  # on claims.csv, after notes
# A line's measure and unit take the claims' values: the lines resource repeats their enums for frictionless.
LINE_ENUMS_FROM_CLAIMS = ("measure", "unit")
# The rules, the loader and the pages rely on these types; every other core column is a string.
CORE_TYPES = {
    "stated_on": "date", "period_start": "date", "period_end": "date", "value_low": "number",
    "value_high": "number", "published_on": "date", "accessed_on": "date",
}  # fmt: skip


class SchemaError(Exception):
    """datapackage.json is missing or cannot be read as a package descriptor."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str = ""
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    max_length: int | None = None

    @property
    def compiled_pattern(self) -> re.Pattern[str] | None:
        return _compile(self.pattern) if self.pattern else None


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Package:
    name: str
    title: str
    description: str
    version: str
    license: str
    license_url: str
    homepage: str
    contributors: tuple[str, ...]
    resources: dict[str, Resource]
    units_by_measure: dict[str, tuple[str, ...]] = field(default_factory=dict)
    caliber_required_for_units: tuple[str, ...] = ()
    duplicate_key: tuple[str, ...] = ()
    sort_key: dict[str, str] = field(default_factory=dict)
    field_units: dict[str, str] = field(default_factory=dict)
    comparator_measures: tuple[str, ...] = ("ratio",)  # measures whose rows say what they are compared with
    descriptor: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def claims(self) -> Resource:
        return self.resources["claims"]

    @property
    def sources(self) -> Resource:
        return self.resources["sources"]

    @property
    def lines(self) -> Resource | None:
        """The lines of claims, or None for a package that declares none (older releases)."""
        return self.resources.get("lines")


@lru_cache(maxsize=64)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _field(raw: dict) -> Field:
    constraints = raw.get("constraints") or {}
    return Field(
        name=str(raw["name"]),
        type=str(raw.get("type", "string")),
        title=str(raw.get("title", "")),
        description=str(raw.get("description", "")),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(str(v) for v in constraints.get("enum", ())),
        pattern=constraints.get("pattern"),
        minimum=constraints.get("minimum"),
        max_length=constraints.get("maxLength"),
    )


def _resource(raw: dict) -> Resource:
    schema = raw.get("schema") or {}
    fks = []
    for fk in schema.get("foreignKeys", ()):
        ref = fk["reference"]
        fks.append((fk["fields"][0], ref["resource"], ref["fields"][0]))
    pk = schema.get("primaryKey", ())
    return Resource(
        name=str(raw["name"]),
        path=str(raw["path"]),
        title=str(raw.get("title", "")),
        description=str(raw.get("description", "")),
        fields=tuple(_field(f) for f in schema.get("fields", ())),
        primary_key=tuple([pk] if isinstance(pk, str) else pk),
        foreign_keys=tuple(fks),
    )


def parse_descriptor(descriptor: dict) -> Package:
    """Build a Package from a parsed datapackage.json; raises SchemaError when it lacks what we need."""
    try:
        resources = {r["name"]: _resource(r) for r in descriptor["resources"]}
        for needed in ("claims", "sources"):
            if needed not in resources:
                raise SchemaError(f'datapackage.json has no resource named "{needed}"')
        licenses = descriptor.get("licenses") or [{}]
        rules = descriptor.get("shellcount") or {}
        return Package(
            name=str(descriptor.get("name", "")),
            title=str(descriptor.get("title", "")),
            description=str(descriptor.get("description", "")),
            version=str(descriptor.get("version", "")),
            license=str(licenses[0].get("name", "")),
            license_url=str(licenses[0].get("path", "")),
            homepage=str(descriptor.get("homepage", "")),
            contributors=tuple(str(c.get("title", "")) for c in descriptor.get("contributors", ())),
            resources=resources,
            units_by_measure={k: tuple(v) for k, v in rules.get("units_by_measure", {}).items()},
            caliber_required_for_units=tuple(rules.get("caliber_required_for_units", ())),
            duplicate_key=tuple(rules.get("duplicate_key", ())),
            sort_key=dict(rules.get("sort_key", {})),
            field_units=dict(rules.get("field_units", {})),
            comparator_measures=tuple(rules.get("comparator_measures", ("ratio",))),
            descriptor=descriptor,
        )
    except SchemaError:
        raise
    except (KeyError, TypeError, IndexError, AttributeError, ValueError) as exc:
        raise SchemaError(f"datapackage.json is missing a required part ({exc!r})") from exc


def read_package(data_dir: Path | None = None) -> Package:
    """The checked Package of a dataset folder (default: the live one); SchemaError says why it is unusable."""
    package, problems = read_descriptor(data_dir or paths.data_dir(), profile=False)
    if package is None:
        raise SchemaError("; ".join(p.message for p in problems) or "datapackage.json cannot be used")
    return package


@lru_cache(maxsize=1)
def reference_package() -> Package:
    """The schema of the live package, which the code is written against (enums for forms and state)."""
    return read_package(paths.DEFAULT_DATA_DIR)


def read_descriptor(data_dir: Path, profile: bool = True) -> tuple[Package | None, list[Problem]]:
    """Parse and check datapackage.json: JSON, frictionless's package profile (unless `profile` is False: the
    code's own reference copy needs no second opinion, and frictionless costs ~0.5 s to import), our core columns.

    The package is None when the rows cannot be checked against it (a core column missing or mistyped,
    a pattern that is not a regular expression, a resource outside the folder): the rules rely on those."""
    file = data_dir / PACKAGE_FILE
    display = display_path(file)
    try:
        text = file.read_text(encoding="utf-8")
        descriptor = json.loads(text)
    except FileNotFoundError:
        return None, [Problem(display, 1, "", "file is missing; every dataset folder needs its datapackage.json")]
    except UnicodeDecodeError:
        return None, [Problem(display, 1, "", "is not valid UTF-8; re-save it as UTF-8")]
    except json.JSONDecodeError as exc:
        return None, [Problem(display, exc.lineno, "", f"is not valid JSON ({exc.msg}); fix the syntax")]
    except (OSError, RecursionError, ValueError) as exc:
        return None, [
            Problem(
                display,
                1,
                "",
                f"cannot be read ({exc.__class__.__name__}); restore it from git and re-apply the change",
            )
        ]
    if not isinstance(descriptor, dict):
        return None, [Problem(display, 1, "", "must hold a JSON object; restore it from git and re-apply the change")]
    problems = _frictionless_problems(descriptor, display) if profile else []
    try:
        package = parse_descriptor(descriptor)
    except (SchemaError, ValueError) as exc:
        return None, [*problems, Problem(display, 1, "", f"{exc}; compare it with the one in git")]
    unusable = _schema_problems(package, data_dir, text, display)
    return (None if unusable else package), problems + unusable


def _schema_problems(package: Package, data_dir: Path, text: str, display: str) -> list[Problem]:
    """What in a parsed descriptor would stop the row checks or the loader; each at its line in the JSON."""
    problems: list[Problem] = []

    def add(needle: str, column: str, message: str, within: str = "") -> None:
        """A problem at the line of `needle` (searched from `within`, e.g. its resource), else at line 1."""
        at = text.find(needle, max(text.find(within), 0))
        problems.append(Problem(display, text.count("\n", 0, at) + 1 if at >= 0 else 1, column, message))

    checked = [(package.claims, CORE_CLAIM_COLUMNS), (package.sources, CORE_SOURCE_COLUMNS)]
    if package.lines is not None:
        checked.append((package.lines, CORE_LINE_COLUMNS))
    for resource, core in checked:
        here = f'"name": "{resource.name}"'
        if resource_file(data_dir, resource.path) is None:
            add(
                here,
                "",
                f"resource '{shorten(resource.name)}' has path '{shorten(resource.path)}'; "
                f"use a file name inside the dataset folder, such as {resource.name}.csv",
            )
        declared = {f.name: f for f in resource.fields}
        for name in core:
            if name not in declared:
                add(
                    here,
                    name,
                    f"core column is not declared in the {resource.name} schema; restore it (tools outside the app depend on it)",
                )
            elif declared[name].type != CORE_TYPES.get(name, "string"):
                add(
                    f'"name": "{name}"',
                    name,
                    f"is declared as type '{shorten(declared[name].type)}'; restore type "
                    f"'{CORE_TYPES.get(name, 'string')}' (the rules and the app depend on it)",
                    here,
                )
        for f in resource.fields:
            where = f"'{f.name}' in the {resource.name} schema"
            if f.pattern is not None:
                try:
                    re.compile(f.pattern)
                except (re.error, TypeError, ValueError) as exc:
                    add(
                        f'"name": "{f.name}"',
                        f.name,
                        f"the pattern of {where} is not a regular expression ({exc}); correct it",
                        here,
                    )
            if f.max_length is not None and (isinstance(f.max_length, bool) or not isinstance(f.max_length, int)):
                add(f'"name": "{f.name}"', f.name, f"maxLength of {where} must be a whole number; correct it", here)
            if f.minimum is not None and (isinstance(f.minimum, bool) or not isinstance(f.minimum, int | float)):
                add(f'"name": "{f.name}"', f.name, f"minimum of {where} must be a number; correct it", here)
    _line_schema_problems(package, add)
    rules = package.descriptor.get("shellcount") or {}
    if not isinstance(rules, dict) or not _rules_ok(rules, package):
        add(
            '"shellcount"',
            "",
            "the shellcount rules (units_by_measure, caliber_required_for_units, duplicate_key, sort_key, "
            "comparator_measures) are malformed; "
            "compare them with the ones in git",
        )
    return problems


def _line_schema_problems(package: Package, add: Callable[..., None]) -> None:
    """The lines resource and the claims' line columns fit together: a claim's line_id needs lines.csv to refer
    to, and a line's measure and unit take the claims' values (the resource repeats their enums)."""
    lines = package.lines
    declared = [name for name in LINE_COLUMNS if name in package.claims.field_names]
    if lines is None:
        if declared:
            add(
                f'"name": "{declared[0]}"',
                declared[0],
                "claims name a line but the package declares no lines resource; declare lines (lines.csv) as the "
                "live datapackage.json does, or remove the column",
                '"name": "claims"',
            )
        return
    for name in LINE_ENUMS_FROM_CLAIMS:
        if (
            name in lines.field_names
            and name in package.claims.field_names
            and lines.field(name).enum != package.claims.field(name).enum
        ):
            add(
                f'"name": "{name}"',
                name,
                f"the enum of '{name}' in the lines schema differs from the claims' one; copy the claims' enum "
                "(a line's measure and unit are the claims' measure and unit)",
                '"name": "lines"',
            )


def _rules_ok(rules: dict, package: Package) -> bool:
    """The project's cross-field rules have the shapes the checker reads (lists of strings, known columns)."""

    def strings(value: object) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    units = rules.get("units_by_measure", {})
    sort_key = rules.get("sort_key", {})
    return (
        isinstance(units, dict)
        and all(strings(v) for v in units.values())
        and strings(rules.get("caliber_required_for_units", []))
        and strings(rules.get("duplicate_key", []))
        and strings(rules.get("comparator_measures", []))
        and isinstance(sort_key, dict)
        and all(
            isinstance(v, str) and v in package.resources[k].field_names
            for k, v in sort_key.items()
            if k in package.resources
        )
    )


def _frictionless_problems(descriptor: dict, display: str) -> list[Problem]:
    """The Data Package profile check, by frictionless (imported lazily: it costs ~0.5 s to import)."""
    from frictionless import Package as FrictionlessPackage

    try:
        errors = FrictionlessPackage.validate_descriptor(descriptor).errors
    except Exception as exc:  # noqa: BLE001 - a hostile descriptor must never crash the validator
        return [
            Problem(
                display,
                1,
                "",
                f"descriptor cannot be checked ({exc.__class__.__name__}); compare it with the one in git",
            )
        ]
    return [
        Problem(display, 1, "", f"{e.message} (frictionless: {e.type}); correct datapackage.json, see datapackage.org")
        for e in errors
    ]
