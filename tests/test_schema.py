"""The one schema: datapackage.json read and checked once (core columns, types, rules), with problems at their line."""

import json
from pathlib import Path

import pytest

from dashboard.data.schema import (
    CORE_CLAIM_COLUMNS,
    CORE_LINE_COLUMNS,
    CORE_SOURCE_COLUMNS,
    SchemaError,
    parse_descriptor,
    read_descriptor,
    read_package,
    reference_package,
)
from tests.conftest import GOOD, LIVE


def edit_descriptor(folder: Path, change) -> None:
    file = folder / "datapackage.json"
    descriptor = json.loads(file.read_text(encoding="utf-8"))
    change(descriptor)
    file.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def fields(descriptor: dict, resource: str) -> list[dict]:
    return next(r for r in descriptor["resources"] if r["name"] == resource)["schema"]["fields"]


def test_the_good_fixture_reads_with_every_core_column():
    package, problems = read_descriptor(GOOD)
    assert problems == [] and package is not None
    assert set(CORE_CLAIM_COLUMNS) <= set(package.claims.field_names)
    assert set(CORE_SOURCE_COLUMNS) <= set(package.sources.field_names)
    assert package.comparator_measures[0] == "ratio"


def test_the_reference_package_is_the_repositorys_whatever_folder_is_served(good_dir, monkeypatch):
    """Forms and links are parsed against the schema the code was written for (datasets/), not the schema of
    whichever folder DASHBOARD_DATA_DIR serves, which read_package() without a folder reads."""
    edit_descriptor(good_dir, lambda d: next(f for f in fields(d, "claims") if f["name"] == "subject")["constraints"]["enum"].append("Atlantis"))  # fmt: skip
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(good_dir))
    reference_package.cache_clear()
    try:
        assert "Atlantis" in read_package().claims.field("subject").enum  # the served folder's schema
        assert "Atlantis" not in reference_package().claims.field("subject").enum
        assert reference_package().version == read_package(LIVE).version
    finally:
        reference_package.cache_clear()  # the next caller reads datasets/ again, without the served folder


def test_a_missing_core_column_is_refused_at_its_resource_line(good_dir):
    edit_descriptor(
        good_dir,
        lambda d: fields(d, "claims").pop(next(i for i, f in enumerate(fields(d, "claims")) if f["name"] == "quote")),
    )
    package, problems = read_descriptor(good_dir)
    assert package is None
    [problem] = [p for p in problems if p.column == "quote"]
    assert "core column is not declared" in problem.message and problem.line > 1


def test_a_core_column_of_the_wrong_type_is_refused(good_dir):
    def retype(d):
        next(f for f in fields(d, "claims") if f["name"] == "stated_on")["type"] = "string"

    edit_descriptor(good_dir, retype)
    package, problems = read_descriptor(good_dir)
    assert package is None
    assert any(p.column == "stated_on" and "restore type 'date'" in p.message for p in problems)


def test_the_comparator_measures_rule_is_read_and_checked(good_dir):
    edit_descriptor(good_dir, lambda d: d["shellcount"].__setitem__("comparator_measures", ["ratio", "output"]))
    package, problems = read_descriptor(good_dir)
    assert problems == [] and package.comparator_measures == ("ratio", "output")
    edit_descriptor(good_dir, lambda d: d["shellcount"].__setitem__("comparator_measures", "ratio"))
    package, problems = read_descriptor(good_dir)
    assert package is None and any("comparator_measures" in p.message for p in problems)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("{not json", "is not valid JSON"), ("[]", "must hold a JSON object"), ("", "is not valid JSON")],
)
def test_an_unreadable_descriptor_is_a_problem_not_an_exception(good_dir, text, phrase):
    (good_dir / "datapackage.json").write_text(text, encoding="utf-8")
    package, problems = read_descriptor(good_dir)
    assert package is None and phrase in problems[0].message
    with pytest.raises(SchemaError):
        read_package(good_dir)


# ---- lines of claims: optional, and in step with the claims ----------------------------------------------
def test_lines_are_optional_and_read_when_declared():
    assert read_package(GOOD).lines.field_names == CORE_LINE_COLUMNS
    without = parse_descriptor({"resources": [r for r in json.loads((GOOD / "datapackage.json").read_text(encoding="utf-8"))["resources"] if r["name"] != "lines"]})  # fmt: skip
    assert without.lines is None


def test_a_claims_line_column_needs_the_lines_resource(good_dir):
    edit_descriptor(good_dir, lambda d: d["resources"].remove(next(r for r in d["resources"] if r["name"] == "lines")))
    package, problems = read_descriptor(good_dir, profile=False)
    assert package is None
    [problem] = problems
    assert problem.column == "line_id" and problem.line > 1
    assert "the package declares no lines resource; declare lines (lines.csv)" in problem.message


def test_a_line_measure_takes_the_claims_values(good_dir):
    edit_descriptor(good_dir, lambda d: fields(d, "lines")[4]["constraints"]["enum"].pop())
    package, problems = read_descriptor(good_dir, profile=False)
    assert package is None
    [problem] = problems
    assert problem.column == "measure" and "copy the claims' enum" in problem.message
