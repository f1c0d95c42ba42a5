"""The loader: declared dtypes, claims joined to sources, derived columns, the changelog date, and problems
(never an exception) for a folder that cannot be read."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.load import Dataset, load_dataset
from tests.conftest import GOOD, read_rows, set_cell, write_rows
from tests.edits import claims_field, resource

CNN = "cnn-nato-intel-2024-03-russia-250k-month"
BAIN = "bain-2024-05-us-europe-artillery-output"
SHIN = "shin-2024-02-dprk-6700-containers"
DEFENSE_ONE = "defense-one-2023-09-us-155mm-output"
RUTTE_JUL = "rutte-2025-07-nyt-three-times"
RUTTE_NOV = "rutte-2025-11-bucharest-not-anymore"
SIPRI = "sipri-2025-04-russia-milex-2024-pct-gdp"
TASS = "tass-2025-07-05-rutte-nyt-interview"

DATE_COLUMNS = ("stated_on", "period_start", "period_end", "published_on", "accessed_on")
NUMBER_COLUMNS = ("value_low", "value_high")
TEXT_COLUMNS = ("claim_id", "date_precision", "speaker", "subject", "comparator", "measure", "unit", "caliber",
                "quote", "interpretation", "label", "source_id", "notes", "publisher", "url", "grade")  # fmt: skip


@pytest.fixture(scope="module")
def good() -> Dataset:
    result = load_dataset(GOOD)
    assert result.ok, [str(p) for p in result.problems]
    return result.dataset


def row(dataset: Dataset, claim_id: str) -> pd.Series:
    hits = dataset.claims[dataset.claims["claim_id"] == claim_id]
    assert len(hits) == 1
    return hits.iloc[0]


# ---- declared dtypes -----------------------------------------------------------------------------------
def test_declared_dtypes(good: Dataset) -> None:
    claims = good.claims
    for column in TEXT_COLUMNS:
        assert pd.api.types.is_string_dtype(claims[column]), column
    for column in DATE_COLUMNS:
        assert pd.api.types.is_datetime64_any_dtype(claims[column]), column
    for column in NUMBER_COLUMNS:
        assert claims[column].dtype == "float64", column
    assert pd.api.types.is_string_dtype(good.sources["source_id"])
    assert pd.api.types.is_datetime64_any_dtype(good.sources["accessed_on"])


def test_text_is_never_inferred(good_dir: Path) -> None:
    """Ids and free text stay the strings written: no NaN from 'NaN', no number from '0001', no NA from ''."""
    set_cell(good_dir / "claims.csv", CNN, "notes", "0001")
    set_cell(good_dir / "claims.csv", CNN, "label", "NaN")
    set_cell(good_dir / "claims.csv", CNN, "speaker_role", "null")
    set_cell(good_dir / "claims.csv", BAIN, "interpretation", "1e5")
    dataset = load_dataset(good_dir).dataset
    cnn, bain = row(dataset, CNN), row(dataset, BAIN)
    assert (cnn["notes"], cnn["label"], cnn["speaker_role"], bain["interpretation"]) == ("0001", "NaN", "null", "1e5")
    assert cnn["comparator"] == ""


def test_values_and_dates_are_parsed(good: Dataset) -> None:
    cnn = row(good, CNN)
    assert cnn["value_low"] == 250000.0 and cnn["value_high"] == 250000.0
    assert cnn["stated_on"] == pd.Timestamp("2024-03-11")
    assert (cnn["period_start"], cnn["period_end"]) == (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-31"))
    assert row(good, RUTTE_JUL)["value_low"] == 12.0  # the figure as worded


def test_bad_cells_are_refused_with_the_validators_problems(good_dir: Path) -> None:
    """One reading path: the loader builds frames only from tables the validator passed, so an impossible
    date or '1,000' never reaches a chart as NaT/NaN; the problems say where they are."""
    set_cell(good_dir / "claims.csv", CNN, "stated_on", "2025-02-30")
    set_cell(good_dir / "claims.csv", CNN, "value_low", "1,000")
    result = load_dataset(good_dir)
    assert result.dataset is None
    found = {(p.column, p.message.split(";")[0]) for p in result.problems}
    assert ("stated_on", "2025-02-30 is not a real calendar date") in found
    assert ("value_low", "'1,000' has a thousands separator") in found


# ---- join -------------------------------------------------------------------------------------------------
def test_claims_joined_to_sources(good: Dataset) -> None:
    claims, sources = good.claims, good.sources.set_index("source_id")
    assert len(claims) == len(read_rows(GOOD / "claims.csv"))
    for column in ("publisher", "original_publisher", "source_title", "url", "grade", "excerpt_path", "accessed_on"):
        assert column in claims.columns, column
    for _, claim in claims.iterrows():
        source = sources.loc[claim["source_id"]]
        assert claim["url"] == source["url"]
        assert claim["source_title"] == source["title"]
        assert claim["excerpt_path"] == source["excerpt"]
    assert row(good, RUTTE_JUL)["grade"] == "state_media"


def test_claims_keep_their_order_and_columns(good: Dataset) -> None:
    assert list(good.claims["claim_id"]) == [r["claim_id"] for r in read_rows(GOOD / "claims.csv")]
    assert list(good.sources.columns) == list(good.package.sources.field_names)


# ---- derived columns ------------------------------------------------------------------------------------
def test_monthly_is_annualised_times_twelve(good: Dataset) -> None:
    cnn = row(good, CNN)
    assert cnn["annual_low"] == cnn["annual_high"] == 3_000_000
    assert cnn["annualised_how"] == "per month × 12"


def test_yearly_is_kept_as_stated(good: Dataset) -> None:
    bain = row(good, BAIN)
    assert bain["annual_low"] == bain["annual_high"] == 1_300_000
    assert bain["annualised_how"] == "as stated (per year)"


def test_total_over_a_period_is_divided_by_its_years(good: Dataset) -> None:
    shin = row(good, SHIN)
    years = ((date(2024, 2, 26) - date(2023, 9, 1)).days + 1) / 365.25
    assert shin["unit"] == "shells"
    assert shin["period_years"] == pytest.approx(years)
    assert shin["annual_low"] == pytest.approx(500_000 / years)
    assert shin["annual_high"] == pytest.approx(3_000_000 / years)
    assert shin["annualised_how"].startswith("total ÷ ")
    assert shin["bound"] == "range"


def test_open_bounds_stay_open(good: Dataset) -> None:
    d1 = row(good, DEFENSE_ONE)
    assert math.isnan(d1["value_low"]) and math.isnan(d1["annual_low"])
    assert d1["annual_high"] == 24_000 * 12
    assert d1["bound"] == "at most"


def test_ratio_and_spending_rows_have_no_annual_value(good: Dataset) -> None:
    for claim_id in (RUTTE_JUL, RUTTE_NOV, SIPRI):
        r = row(good, claim_id)
        assert math.isnan(r["annual_low"]) and math.isnan(r["annual_high"]), claim_id
    assert row(good, RUTTE_NOV)["bound"] == "at most"
    assert row(good, RUTTE_JUL)["bound"] == "point"
    assert row(good, "shin-2024-02-dprk-6700-containers")["bound"] == "range"
    assert row(good, CNN)["bound"] == "point"


def test_period_midpoint_and_stated_year(good: Dataset) -> None:
    cnn = row(good, CNN)
    assert cnn["period_mid"] == pd.Timestamp("2024-03-16")
    assert cnn["stated_year"] == 2024


# ---- package metadata -------------------------------------------------------------------------------------
def test_updated_is_the_latest_release_date(good: Dataset) -> None:
    assert good.updated == "2026-11-25"
    assert good.version == good.package.version == "1.0.0"
    assert "Test fixture" in good.changelog
    assert good.readme.startswith("A small valid dataset")


@pytest.mark.parametrize(
    ("changelog", "updated"),
    [
        ("# Changelog\n\n## [Unreleased]\n", ""),
        ("## [Unreleased]\n\n## [1.1.0] - 2026-12-01\n\n## [1.0.0] - 2026-11-25\n", "2026-12-01"),
        ("## [1.0.0] - not a date\n", ""),
        ("", ""),
    ],
)
def test_updated_from_the_changelog(good_dir: Path, changelog: str, updated: str) -> None:
    (good_dir / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    assert load_dataset(good_dir).dataset.updated == updated


def test_missing_changelog_and_readme_are_empty(good_dir: Path) -> None:
    (good_dir / "CHANGELOG.md").unlink()
    (good_dir / "README.md").write_bytes(b"\xff\xfe")
    dataset = load_dataset(good_dir).dataset
    assert (dataset.changelog, dataset.readme, dataset.updated) == ("", "", "")


# ---- broken folders give problems, not exceptions -----------------------------------------------------------
def _break_descriptor(change):
    def edit(folder: Path) -> None:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        change(descriptor)
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    return edit


def _drop_claims_field(name: str):
    def change(descriptor: dict) -> None:
        fields = resource(descriptor)["schema"]["fields"]
        fields[:] = [f for f in fields if f["name"] != name]

    return change


def _drop_claims_column(name: str):
    def edit(folder: Path) -> None:
        rows = read_rows(folder / "claims.csv")
        for r in rows:
            r.pop(name)
        write_rows(folder / "claims.csv", rows)

    return edit


BROKEN = {
    "no-datapackage": lambda f: (f / "datapackage.json").unlink(),
    "broken-json": lambda f: (f / "datapackage.json").write_text("{", encoding="utf-8"),
    "deep-json": lambda f: (f / "datapackage.json").write_text("[" * 100_000, encoding="utf-8"),
    "json-list": lambda f: (f / "datapackage.json").write_text("[]", encoding="utf-8"),
    "no-claims-file": lambda f: (f / "claims.csv").unlink(),
    "empty-claims": lambda f: (f / "claims.csv").write_bytes(b""),
    "latin1-claims": lambda f: (f / "claims.csv").write_bytes((f / "claims.csv").read_bytes() + b"caf\xe9\n"),
    "utf16-sources": lambda f: (f / "sources.csv").write_bytes((f / "sources.csv").read_text(encoding="utf-8").encode("utf-16")),
    "unclosed-quote": lambda f: (f / "claims.csv").write_bytes((f / "claims.csv").read_bytes() + b'x,"never closed\n'),
    "header-mismatch": lambda f: (f / "sources.csv").write_text("a,b\n1,2\n", encoding="utf-8"),
    "duplicate-source-ids": lambda f: (f / "sources.csv").write_bytes(
        (f / "sources.csv").read_bytes() + (f / "sources.csv").read_bytes().split(b"\n")[1] + b"\n"
    ),
    "claims-is-a-folder": lambda f: ((f / "claims.csv").unlink(), (f / "claims.csv").mkdir()),
    "core-column-undeclared": lambda f: (_break_descriptor(_drop_claims_field("stated_on"))(f), _drop_claims_column("stated_on")(f)),
    "core-column-mistyped": _break_descriptor(lambda d: claims_field(d, "stated_on").update(type="string")),
    "resource-outside-folder": _break_descriptor(lambda d: resource(d).update(path="/etc/hostname")),
    "resource-climbs-out": _break_descriptor(lambda d: resource(d).update(path="../../claims.csv")),
    "malformed-rule": _break_descriptor(lambda d: d["shellcount"].update(sort_key=["abc"])),
    "no-resources": _break_descriptor(lambda d: d.update(resources=[])),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_folder_gives_problems(good_dir: Path, name: str) -> None:
    BROKEN[name](good_dir)
    result = load_dataset(good_dir)
    assert result.dataset is None and not result.ok
    assert result.problems and all(p.message for p in result.problems)


def test_missing_folder_gives_problems(tmp_path: Path) -> None:
    result = load_dataset(tmp_path / "nope")
    assert result.dataset is None and not result.ok
    [problem] = result.problems
    assert (problem.path, problem.line, problem.column) == (str(tmp_path / "nope"), 1, "")
    assert problem.message == "dataset folder does not exist; check DASHBOARD_DATA_DIR"


# ---- lines of claims ------------------------------------------------------------------------------------
def test_lines_are_a_typed_frame_and_claims_name_their_line(good: Dataset) -> None:
    assert list(good.lines.columns) == list(good.package.lines.field_names)
    assert list(good.lines["line_id"]) == ["rutte-three-months", "us-155mm-100k-a-month"]
    assert all(pd.api.types.is_string_dtype(good.lines[c]) for c in good.lines.columns)
    assert (row(good, RUTTE_JUL)["line_id"], row(good, RUTTE_JUL)["line_relation"]) == ("rutte-three-months", "states")
    assert row(good, RUTTE_NOV)["line_relation"] == "reverses"
    for column in ("line_id", "line_relation"):  # a claim in no line: missing, not ''
        assert pd.api.types.is_string_dtype(good.claims[column]) and pd.isna(row(good, CNN)[column])
    assert (good.claims["line_id"] == "rutte-three-months").fillna(False).sum() == 2


def older_package(folder: Path) -> Path:
    """The folder as a package from before lines (1.1.0 and older): no lines resource, no line columns."""
    file = folder / "datapackage.json"
    descriptor = json.loads(file.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "lines"]
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")["schema"]
    claims["fields"] = [f for f in claims["fields"] if f["name"] not in ("line_id", "line_relation")]
    claims["foreignKeys"] = [k for k in claims["foreignKeys"] if k["reference"]["resource"] != "lines"]
    del descriptor["shellcount"]["sort_key"]["lines"]
    file.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    rows = read_rows(folder / "claims.csv")
    write_rows(
        folder / "claims.csv", [{k: v for k, v in r.items() if k not in ("line_id", "line_relation")} for r in rows]
    )
    (folder / "lines.csv").unlink()
    return folder


def test_an_older_package_without_lines_loads_with_no_lines(good_dir: Path) -> None:
    result = load_dataset(older_package(good_dir))
    assert result.ok, [str(p) for p in result.problems]
    data = result.dataset
    assert data.package.lines is None and data.lines.empty
    assert list(data.lines.columns) == ["line_id", "title", "who", "asserts", "measure", "unit", "kind"]
    assert data.claims["line_id"].isna().all() and data.claims["line_relation"].isna().all()
    assert "line_id" not in data.package.claims.field_names  # downloads keep the package's own columns
