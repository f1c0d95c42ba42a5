"""The measures that need a comparator are read from the package (shellcount.comparator_measures, default ratio)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from dashboard.data.validate import validate_dataset
from tests.conftest import set_cell

TODAY = date(2026, 11, 25)
ROW = "rutte-2025-07-nyt-three-times"  # a ratio claim against NATO in the small valid dataset


def _declare_consumption_ratio(folder: Path, listed: bool) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    measure = next(f for f in claims["schema"]["fields"] if f["name"] == "measure")
    if "consumption_ratio" not in measure["constraints"]["enum"]:  # the fixture follows the live schema
        measure["constraints"]["enum"].append("consumption_ratio")
    rules = descriptor["shellcount"]
    rules["units_by_measure"]["consumption_ratio"] = ["ratio"]
    if listed:
        rules["comparator_measures"] = ["ratio", "consumption_ratio"]
    else:
        rules.pop("comparator_measures", None)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def _messages(folder: Path) -> list[str]:
    return [f"{p.column}: {p.message}" for p in validate_dataset(folder, today=TODAY).problems]


def test_a_listed_measure_accepts_its_comparator(good_dir: Path) -> None:
    _declare_consumption_ratio(good_dir, listed=True)
    set_cell(good_dir / "claims.csv", ROW, "measure", "consumption_ratio")
    assert _messages(good_dir) == []


def test_a_listed_measure_requires_a_comparator(good_dir: Path) -> None:
    _declare_consumption_ratio(good_dir, listed=True)
    set_cell(good_dir / "claims.csv", ROW, "measure", "consumption_ratio")
    set_cell(good_dir / "claims.csv", ROW, "comparator", "")
    assert _messages(good_dir) == [
        "comparator: a consumption_ratio claim needs a comparator (compared with whom); fill it in"
    ]


def test_without_the_list_only_ratio_takes_a_comparator(good_dir: Path) -> None:
    _declare_consumption_ratio(good_dir, listed=False)
    set_cell(good_dir / "claims.csv", ROW, "measure", "consumption_ratio")
    messages = _messages(good_dir)
    assert len(messages) == 1 and messages[0].startswith("comparator: comparator is only for ratio claims"), messages


def test_a_malformed_list_is_reported(good_dir: Path) -> None:
    path = good_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["shellcount"]["comparator_measures"] = "ratio"
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    assert any("comparator_measures) are malformed" in m for m in _messages(good_dir))
