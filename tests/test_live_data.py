"""Checks of the live curated dataset (datasets/ and seeds/), and only here: every other test runs on the fixtures
under tests/data, so a correct data edit can only break this file, and a code change only the others.

What is checked: the package validates (our validator and frictionless), every quote is found in its excerpt
(read independently of the validator), it loads whole, the schema declares what the rules read, the data
dictionary documents every field, every page runs on it, and the key figures the Overview is built on still say
what the page says.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.analysis import claim_check
from dashboard.data import paths
from dashboard.data.load import Dataset, load_dataset
from dashboard.data.quotes import excerpt_body, normalise_quote, quote_in
from dashboard.data.schema import read_package
from dashboard.data.validate import validate_dataset
from tests.conftest import LIVE, REPO
from tests.test_pages import PAGE_NAMES, run

RUTTE_JUL = "rutte-2025-07-nyt-three-times"
RUTTE_NOV = "rutte-2025-11-bucharest-not-anymore"


def csv_rows(file: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))


@pytest.fixture(scope="module")
def live() -> Dataset:
    result = load_dataset(LIVE)
    assert result.ok, [str(p) for p in result.problems]
    return result.dataset


def test_live_dataset_validates() -> None:
    report = validate_dataset(LIVE)
    assert [str(p) for p in report.problems] == []
    assert report.claims == len(csv_rows(LIVE / "claims.csv")) > 0
    assert report.sources == len(csv_rows(LIVE / "sources.csv")) > 0


def test_frictionless_validates_the_live_package() -> None:
    frictionless = Path(sys.executable).parent / "frictionless"
    assert frictionless.exists(), f"{frictionless} is missing; install requirements-dev.txt"
    result = subprocess.run(
        [str(frictionless), "validate", str(LIVE / "datapackage.json")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_live_quote_is_in_its_excerpt() -> None:
    """Independent of the validator's loop: read the CSVs and excerpts directly."""
    seeds = paths.seeds_dir(LIVE)
    sources = {r["source_id"]: r for r in csv_rows(LIVE / "sources.csv")}
    missing, checked = [], 0
    for row in csv_rows(LIVE / "claims.csv"):
        if not row["quote"]:
            continue
        body = excerpt_body((seeds / sources[row["source_id"]]["excerpt"]).read_text(encoding="utf-8"))
        checked += 1
        if not quote_in(row["quote"], normalise_quote(body)):
            missing.append(row["claim_id"])
    assert checked > 0
    assert missing == []


def test_live_dataset_loads_whole(live: Dataset) -> None:
    assert len(live.claims) == len(csv_rows(LIVE / "claims.csv"))
    assert len(live.sources) == len(csv_rows(LIVE / "sources.csv"))
    assert live.claims["url"].notna().all(), "every claim joins to its source"


def test_live_schema_declares_what_the_rules_read() -> None:
    package = read_package(LIVE)
    assert set(package.units_by_measure) == set(package.claims.field("measure").enum)
    assert set(package.duplicate_key) <= set(package.claims.field_names)


def test_data_dictionary_documents_every_field() -> None:
    readme = (LIVE / "README.md").read_text(encoding="utf-8")
    package = read_package(LIVE)
    for resource in package.resources.values():  # claims, sources and lines
        section = readme.split(f"### `{resource.path}`", 1)[1].split("###", 1)[0].split("\n## ", 1)[0]
        documented = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)
        assert documented == list(resource.field_names), f"{resource.path}: README column table drifted from the schema"
        for f in resource.fields:
            for value in f.enum:
                assert f"`{value}`" in section, f"{resource.path}.{f.name}: enum value {value} undocumented"


def test_headline_claims_are_checked_against_2024_estimates(live: Dataset) -> None:
    """The Overview's two 2025 remarks, and what the 2024 output estimates imply (README and the page say it)."""
    out = claim_check.claim_vs_estimates(live.claims).set_index("claim_id")
    nyt = out.loc[RUTTE_JUL]
    assert nyt["estimate_year"] == 2024
    # allied 2024 output runs from 1.3 million (Bain) to 2 million 155 mm shells (a NATO official, October 2024),
    # so the low end of the implied ratio falls below 2; the high end stays below his usual 4
    assert 1 < nyt["implied_low"] < 2 < nyt["implied_high"] < 4
    assert "nato-official-2024-10-alliance-2m-155mm" in nyt["rows_used"]
    assert nyt["status"] == "claim is higher than the estimates"
    assert out.loc[RUTTE_NOV, "status"] == "claim is lower than the estimates"
    headline = claim_check.headline_claims(live.claims)
    assert {RUTTE_JUL, RUTTE_NOV} <= set(headline["claim_id"])
    assert not (headline["comparator"] == "European Union").any()


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_runs_on_the_live_data(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page tests run on the fixture; this is the one run of each page on the data as shipped."""
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(LIVE))
    at = run(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    footer = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes
    assert f"Shell Count data v{read_package(LIVE).version}" in footer


def test_rutte_s_line_runs_from_davos_to_bucharest(live: Dataset) -> None:
    """The story's line as coded: said in its usual form (4×) from Davos, put in the past in Prague, reversed in
    Bucharest; the lines table and the claims agree (every line has its usual form)."""
    rows = live.claims[live.claims["line_id"] == "rutte-three-months"].sort_values("stated_on")
    assert (rows["claim_id"].iloc[0], rows["line_relation"].iloc[0]) == ("rutte-2025-01-davos-three-months", "states")
    assert (rows["claim_id"].iloc[-1], rows["line_relation"].iloc[-1]) == (RUTTE_NOV, "reverses")
    assert list(rows.loc[rows["line_relation"] == "retracts", "claim_id"]) == ["rutte-2025-09-prague-until-recently"]
    assert set(rows.loc[rows["line_relation"] == "states", "value_low"]) == {4.0}
    assert rows.loc[rows["claim_id"] == RUTTE_JUL, "line_relation"].item() == "varies"
    coded = live.claims.dropna(subset=["line_id"])
    assert set(coded["line_id"]) == set(live.lines["line_id"])
    assert set(coded.loc[coded["line_relation"] == "states", "line_id"]) == set(live.lines["line_id"])
