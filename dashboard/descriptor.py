"""Check a dataset's datapackage.json before any row is read: JSON, frictionless's Data Package profile,
and everything the row checks and the loader rely on (core columns and their types, compilable
patterns, numeric bounds, the project's cross-field rules). Each problem sits at its line in the JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from dashboard.schema import PACKAGE_FILE, Package, SchemaError, parse_descriptor
from dashboard.tables import Problem, display_path, resource_file, shorten

CORE_CLAIM_COLUMNS = (
    "claim_id", "stated_on", "date_precision", "speaker", "speaker_role", "speaker_side", "subject",
    "comparator", "measure", "value_low", "value_high", "unit", "period_start", "period_end", "caliber",
    "basis", "quote", "interpretation", "label", "source_id", "notes",
)  # fmt: skip
CORE_SOURCE_COLUMNS = (
    "source_id", "publisher", "original_publisher", "title", "url", "published_on", "accessed_on", "grade",
    "language", "excerpt",
)  # fmt: skip
# The rules, the loader and the pages rely on these types; every other core column is a string.
CORE_TYPES = {
    "stated_on": "date", "period_start": "date", "period_end": "date", "value_low": "number",
    "value_high": "number", "published_on": "date", "accessed_on": "date",
}  # fmt: skip


def read_descriptor(data_dir: Path) -> tuple[Package | None, list[Problem]]:
    """Parse and check datapackage.json: JSON, frictionless's package profile, our core columns.

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
    problems = _frictionless_problems(descriptor, display)
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

    for resource, core in ((package.claims, CORE_CLAIM_COLUMNS), (package.sources, CORE_SOURCE_COLUMNS)):
        here = f'"name": "{resource.name}"'
        if resource_file(data_dir, resource.path) is None:
            add(
                here,
                "",
                f"resource '{shorten(resource.name)}' has path '{shorten(resource.path)}'; "
                "use a file name inside the dataset folder, such as claims.csv",
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
    rules = package.descriptor.get("shellcount") or {}
    if not isinstance(rules, dict) or not _rules_ok(rules, package):
        add(
            '"shellcount"',
            "",
            "the shellcount rules (units_by_measure, caliber_required_for_units, duplicate_key, sort_key, "
            "comparator_measures) are malformed; compare them with the ones in git",
        )
    return problems


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
            if k in ("claims", "sources")
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
