"""The fixtures are checked against the live schema: their datapackage.json equals datasets/datapackage.json in
everything but the package's own metadata (tests/sync_schema.PACKAGE_METADATA: name, title, description, version,
created, homepage, keywords, licences, contributors, sources), and their CSV headers are the live fields in the
live order. Resources, field schemas, enums and the `shellcount` rules must be identical; `python -m
tests.sync_schema` makes them so in one step, adding a new column empty at its place."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from dashboard.data.load import load_dataset
from dashboard.data.validate import validate_dataset
from tests.conftest import LIVE, read_rows
from tests.edits import claims_field, resource
from tests.sync_schema import FIXTURES, PACKAGE_METADATA, schema_part, sync, synced, synced_table


def differences(fixture: object, live: object, where: str = "") -> list[str]:
    """Where two JSON values differ, as paths such as resources[0].schema.fields[8].description."""
    if isinstance(fixture, dict) and isinstance(live, dict):
        return [
            found
            for key in sorted(set(fixture) | set(live))
            for found in (
                differences(fixture[key], live[key], f"{where}.{key}".lstrip("."))
                if key in fixture and key in live
                else [f"{where}.{key}".lstrip(".") + (" only in the fixture" if key in fixture else " only in live")]
            )
        ]
    if isinstance(fixture, list) and isinstance(live, list) and len(fixture) == len(live):
        return [
            found
            for i, (a, b) in enumerate(zip(fixture, live, strict=True))
            for found in differences(a, b, f"{where}[{i}]")
        ]
    return [] if fixture == live else [where or "(the whole descriptor)"]


def load(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_schema_equals_the_live_schema(fixture) -> None:
    found = differences(schema_part(load(fixture / "datapackage.json")), schema_part(load(LIVE / "datapackage.json")))
    assert found == [], (
        f"{fixture.name}/datapackage.json drifted from datasets/ at {found}; run python -m tests.sync_schema"
    )


def test_package_metadata_is_all_that_is_left_out() -> None:
    """The comparison must not skip what the app reads: the schema part keeps resources and rules."""
    live = load(LIVE / "datapackage.json")
    assert {"resources", "shellcount"} <= set(schema_part(live))
    assert not set(PACKAGE_METADATA) & set(schema_part(live))


def test_a_live_schema_change_is_found_and_synced_in_one_step() -> None:
    """A data release that adds measures and a rule (and bumps the version) makes the check fail; the sync then
    copies the schema and rules and keeps the fixture's own version."""
    live = load(LIVE / "datapackage.json")
    fixture_text = (FIXTURES[0] / "datapackage.json").read_text(encoding="utf-8")
    fixture = json.loads(fixture_text)
    measure = claims_field(live, "measure")
    measure["constraints"]["enum"] += ["container_equivalent", "consumption_ratio"]
    live["shellcount"]["comparator_measures"] = ["ratio"]
    live["version"] = "9.9.9"
    assert differences(schema_part(fixture), schema_part(live))  # the drift is seen

    after = json.loads(synced(fixture_text, json.dumps(live)))
    assert differences(schema_part(after), schema_part(live)) == []
    assert after["version"] == fixture["version"] != live["version"]
    assert after["shellcount"]["comparator_measures"] == ["ratio"]


# ---- the fixture CSVs carry the live columns ------------------------------------------------------------------
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_tables_have_the_live_columns(fixture) -> None:
    for table in load(LIVE / "datapackage.json")["resources"]:
        with (fixture / table["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        declared = [f["name"] for f in table["schema"]["fields"]]
        assert header == declared, f"{fixture.name}/{table['path']}: run python -m tests.sync_schema"


def test_a_new_column_goes_in_at_the_schema_position_and_nothing_else_moves() -> None:
    text = 'id,a,b\r\nx,"1, ""one""",2\r\ny,,"two\nlines"\r\n'  # quoting, CRLF and a multi-line cell kept as they are
    after = synced_table(text, ["new_first", "id", "new_mid", "a", "b", "new_last"])
    assert after == 'new_first,id,new_mid,a,b,new_last\r\n,x,,"1, ""one""",2,\r\n,y,,,"two\nlines",\r\n'
    assert synced_table(after, ["new_first", "id", "new_mid", "a", "b", "new_last"]) == after
    assert synced_table(text, ["id", "a"]) == text, "a column the schema no longer has is left for a person"


def test_a_new_optional_column_in_the_live_schema_reaches_the_fixture_in_one_step(tmp_path) -> None:
    """What a schema change does: the check fails, the sync adds the empty column, the fixture validates and
    loads with it, and every other cell is unchanged."""
    live = load(LIVE / "datapackage.json")
    fields = resource(live)["schema"]["fields"]
    at = next(i for i, f in enumerate(fields) if f["name"] == "label") + 1
    fields.insert(at, {"name": "sync_check_note", "type": "string", "description": "A reviewer's remark."})
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "datapackage.json").write_text(json.dumps(live, indent=2), encoding="utf-8")
    fixture = tmp_path / "good"
    shutil.copytree(FIXTURES[0], fixture)

    changed = sync(tmp_path / "live" / "datapackage.json", (fixture,))
    assert sorted(p.name for p in changed) == ["claims.csv", "datapackage.json"]
    assert sync(tmp_path / "live" / "datapackage.json", (fixture,)) == [], "a second run changes nothing"
    report = validate_dataset(fixture)
    assert report.valid, [str(p) for p in report.problems]
    before, after = read_rows(FIXTURES[0] / "claims.csv"), read_rows(fixture / "claims.csv")
    assert list(after[0]) == [f["name"] for f in fields]
    assert [{k: v for k, v in r.items() if k != "sync_check_note"} for r in after] == before
    assert {r["sync_check_note"] for r in after} == {""}
    assert "sync_check_note" in load_dataset(fixture).dataset.claims.columns


def test_a_new_resource_reaches_an_older_fixture_as_its_header(tmp_path) -> None:
    """A fixture from before lines (no lines resource, no line columns, no lines.csv) synced to the live schema:
    the descriptor, the claims' two columns and lines.csv as its header line; it validates and loads with no lines."""
    from tests.test_load import older_package

    fixture = tmp_path / "good"
    shutil.copytree(FIXTURES[0], fixture)
    older_package(fixture)
    changed = sync(LIVE / "datapackage.json", (fixture,))
    assert sorted(p.name for p in changed) == ["claims.csv", "datapackage.json", "lines.csv"]
    assert (fixture / "lines.csv").read_text(encoding="utf-8") == "line_id,title,who,asserts,measure,unit,kind\n"
    assert sync(LIVE / "datapackage.json", (fixture,)) == [], "a second run changes nothing"
    report = validate_dataset(fixture)
    assert report.valid and report.lines == 0, [str(p) for p in report.problems]
    assert load_dataset(fixture).dataset.lines.empty
