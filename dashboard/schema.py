"""The one schema: read from datapackage.json, used by the validator, the loader, the docs and the tests.

Enums, patterns, types and the cross-field rules (which units fit which measure, what counts as a
duplicate) are declared once in `datasets/datapackage.json`; this module only reads them, so a new
enum value is added in one place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dashboard import paths

PACKAGE_FILE = "datapackage.json"


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
    comparator_measures: tuple[str, ...] = ("ratio",)  # the measures whose rows name what they are compared with
    descriptor: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def claims(self) -> Resource:
        return self.resources["claims"]

    @property
    def sources(self) -> Resource:
        return self.resources["sources"]


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
    """Read and parse datapackage.json of a dataset folder (default: the live dataset)."""
    path = (data_dir or paths.data_dir()) / PACKAGE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SchemaError(f"{path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path} cannot be read as UTF-8 text ({exc.__class__.__name__})") from exc
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError as exc:  # hostile nesting depth
        raise SchemaError(f"{path} is nested too deeply to be a package descriptor") from exc
    if not isinstance(descriptor, dict):
        raise SchemaError(f"{path} must hold a JSON object")
    return parse_descriptor(descriptor)


@lru_cache(maxsize=1)
def reference_package() -> Package:
    """The schema of the live package, which the code is written against (enums for forms and state)."""
    return read_package(paths.DEFAULT_DATA_DIR)
