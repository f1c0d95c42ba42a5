"""Bring the test fixtures' datapackage.json in step with the live one: `python -m tests.sync_schema`.

The fixtures (tests/data/good, tests/data/hostile) must be checked against the same schema and rules as the
live dataset, or a test can pass on a schema the app no longer has. Only the package's own metadata may
differ (PACKAGE_METADATA: its name, title, version, dates, licences…): the fixture keeps its own, and
everything else — the resources with their schemas and the `shellcount` rules — is copied from the live file.
tests/test_fixture_schema.py fails, naming what differs, until this is run.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIVE_DESCRIPTOR = REPO / "datasets" / "datapackage.json"
FIXTURES = (REPO / "tests" / "data" / "good", REPO / "tests" / "data" / "hostile")
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


def main() -> None:
    live_text = LIVE_DESCRIPTOR.read_text(encoding="utf-8")
    for folder in FIXTURES:
        file = folder / "datapackage.json"
        before = file.read_text(encoding="utf-8")
        after = synced(before, live_text)
        if after != before:
            file.write_text(after, encoding="utf-8")
        print(f"{file.relative_to(REPO)}: {'updated' if after != before else 'already in step'}")


if __name__ == "__main__":
    main()
