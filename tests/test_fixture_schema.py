"""The fixtures are checked against the live schema: their datapackage.json equals datasets/datapackage.json in
everything but the package's own metadata (tests/sync_schema.PACKAGE_METADATA: name, title, description, version,
created, homepage, keywords, licences, contributors, sources). Resources, field schemas, enums and the
`shellcount` rules must be identical; `python -m tests.sync_schema` makes them so in one step."""

from __future__ import annotations

import json

import pytest

from tests.conftest import LIVE
from tests.sync_schema import FIXTURES, PACKAGE_METADATA, schema_part, synced


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
    measure = next(f for f in live["resources"][0]["schema"]["fields"] if f["name"] == "measure")
    measure["constraints"]["enum"] += ["container_equivalent", "consumption_ratio"]
    live["shellcount"]["comparator_measures"] = ["ratio"]
    live["version"] = "9.9.9"
    assert differences(schema_part(fixture), schema_part(live))  # the drift is seen

    after = json.loads(synced(fixture_text, json.dumps(live)))
    assert differences(schema_part(after), schema_part(live)) == []
    assert after["version"] == fixture["version"] != live["version"]
    assert after["shellcount"]["comparator_measures"] == ["ratio"]
