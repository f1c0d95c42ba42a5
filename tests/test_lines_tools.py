"""Lines of claims are coded through the maintainer commands: add_line adds a line with the claim that states it,
correct_row codes every other instance (old → new and why in the changelog). Each on a throw-away copy of
tests/data/good (two lines: Rutte's three months and the US 100,000 a month); nothing changes on a refusal."""

from pathlib import Path

import pytest

from dashboard.data.validate import validate_dataset
from dashboard.maintain import add_line, correct_row
from tests.conftest import read_rows
from tests.test_load import older_package
from tests.test_maintain import checksum

CNN = "cnn-nato-intel-2024-03-russia-250k-month"
RUTTE_JUL = "rutte-2025-07-nyt-three-times"
RUTTE_NOV = "rutte-2025-11-bucharest-not-anymore"
LINE = {"--line-id": "russia-250k-a-month", "--title": "Russia makes 250,000 shells a month",
        "--who": "NATO intelligence (as reported)", "--asserts": "Russia produces about 250,000 artillery munitions a month.",
        "--measure": "output", "--unit": "shells_per_month", "--kind": "claim"}  # fmt: skip
WHY = '"Russia is producing about 250,000 artillery munitions per month": the line in its usual form.'


def args(folder: Path, *more: str, **changed: str) -> list[str]:
    flags = {**LINE, **{f"--{k.replace('_', '-')}": v for k, v in changed.items()}}
    return [*(part for item in flags.items() for part in item), "--states", CNN, "--why", WHY,
            "--data-dir", str(folder), *more]  # fmt: skip


def row(folder: Path, file: str, key: str, value: str) -> dict[str, str]:
    return next(r for r in read_rows(folder / file) if r[key] == value)


def test_add_line_dry_run_shows_the_line_and_its_first_instance_and_writes_nothing(good_dir, capsys):
    before = checksum(good_dir)
    assert add_line.main(args(good_dir, "--dry-run")) == 0, capsys.readouterr()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('lines.csv   + russia-250k-a-month,"Russia makes 250,000 shells a month",')
    assert out[1:4] == [f"claims.csv  {CNN}", '  line_id: "" → "russia-250k-a-month"', '  line_relation: "" → "states"']
    assert out[-1] == "dry run: the line and its first instance are valid; nothing was written."
    assert checksum(good_dir) == before


def test_add_line_writes_the_line_in_order_codes_its_claim_and_records_both(good_dir, capsys):
    assert add_line.main(args(good_dir)) == 0, capsys.readouterr()
    assert [r["line_id"] for r in read_rows(good_dir / "lines.csv")] == [
        "russia-250k-a-month", "rutte-three-months", "us-155mm-100k-a-month"]  # fmt: skip
    assert row(good_dir, "lines.csv", "line_id", "russia-250k-a-month")["unit"] == "shells_per_month"
    claim = row(good_dir, "claims.csv", "claim_id", CNN)
    assert (claim["line_id"], claim["line_relation"]) == ("russia-250k-a-month", "states")
    changelog = (good_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = changelog.split("## [Unreleased]", 1)[1].split("\n## ", 1)[0]
    added = unreleased.split("### Added", 1)[1]
    assert "- line `russia-250k-a-month`: Russia makes 250,000 shells a month (NATO intelligence (as reported); " \
        "a claim line, output in shells_per_month), stated in its usual form by `" + CNN + "`" in added  # fmt: skip
    corrections = unreleased.split("### Corrections", 1)[1]
    assert f'- `{CNN}` line_id: "" → "russia-250k-a-month". Why: {WHY}' in corrections
    assert f'- `{CNN}` line_relation: "" → "states". Why: {WHY}' in corrections
    assert validate_dataset(good_dir).valid


@pytest.mark.parametrize(
    ("changed", "more", "phrase"),
    [
        pytest.param({"measure": "ratio"}, (), "proposed line:1: unit: unit 'shells_per_month' does not fit measure 'ratio'; use one of: ratio", id="unit-misfit"),
        pytest.param({"line_id": "Russia 250k"}, (), "proposed line:1: line_id: 'Russia 250k' is not a valid id", id="bad-id"),
        pytest.param({"line_id": "rutte-three-months"}, (), "is already used at line", id="id-taken"),
        pytest.param({"kind": "pledge"}, (), "proposed line:1: kind: 'pledge' is not allowed", id="kind"),
        pytest.param({"title": "TODO"}, (), "proposed line:1: title: 'TODO' only holds a place", id="placeholder"),
        pytest.param({}, ("--states", RUTTE_JUL), f"claim '{RUTTE_JUL}' is already in line 'rutte-three-months'; a claim belongs to at most one line", id="claim-in-a-line"),
        pytest.param({}, ("--states", "no-such-claim"), "no row has claim_id 'no-such-claim'", id="unknown-claim"),
    ],
)  # fmt: skip
def test_add_line_refuses_and_writes_nothing(good_dir, capsys, changed, more, phrase):
    before = checksum(good_dir)
    assert add_line.main([*args(good_dir, **changed), *more]) == 1
    out = capsys.readouterr().out
    assert phrase in out, out
    assert checksum(good_dir) == before


@pytest.mark.parametrize("leave_out", ["--states", "--why"])
def test_add_line_without_its_first_instance_or_reason_is_a_usage_error(good_dir, capsys, leave_out):
    words = args(good_dir)
    at = words.index(leave_out)
    del words[at : at + 2]
    with pytest.raises(SystemExit) as stop:
        add_line.main(words)
    assert stop.value.code == 2 and f"give {leave_out}" in capsys.readouterr().err


def test_add_line_on_a_package_without_lines_says_so(good_dir, capsys):
    assert add_line.main(args(older_package(good_dir))) == 2
    assert "declares no lines resource" in capsys.readouterr().err


def test_add_line_help_marks_every_line_field_and_the_first_instance_required(capsys):
    with pytest.raises(SystemExit):
        add_line.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for option in (*LINE, "--states CLAIM_ID", "--why TEXT"):
        assert f"{option.split()[0]} " in out
    assert out.count("required.") == len(LINE) + 2
    assert "One of: claim, goal." in out


# ---- correct_row codes the other instances -------------------------------------------------------------
def test_correct_row_codes_an_instance_with_old_and_new_and_why(good_dir, capsys):
    why = '"But not anymore.": says the comparison no longer holds now.'
    words = [RUTTE_NOV, "--set", "line_relation=retracts", "--why", why, "--data-dir", str(good_dir)]
    assert correct_row.main([*words, "--dry-run"]) == 0
    assert '  line_relation: "reverses" → "retracts"' in capsys.readouterr().out
    assert correct_row.main(words) == 0
    assert row(good_dir, "claims.csv", "claim_id", RUTTE_NOV)["line_relation"] == "retracts"
    changelog = (good_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f'- `{RUTTE_NOV}` line_relation: "reverses" → "retracts". Why: {why}' in changelog
    assert validate_dataset(good_dir).valid


@pytest.mark.parametrize(
    ("sets", "column", "phrase"),
    [
        pytest.param(["line_id=rutte-three-month"], "line_id", "'rutte-three-month' is not in lines.csv (did you mean 'rutte-three-months'?)", id="unknown-line"),
        pytest.param(["line_id=rutte-three-months;us-155mm-100k-a-month"], "line_id", "names 2 lines; a claim belongs to at most one line", id="two-lines"),
        pytest.param(["stated_on=2025-07-01"], "line_relation", "a reversal with no earlier instance", id="reversal-first"),
        pytest.param(["line_relation=tracks"], "line_relation", "'tracks' is for goal lines only", id="tracks-in-a-claim-line"),
    ],
)  # fmt: skip
def test_correct_row_refuses_a_coding_the_rules_refuse_with_file_and_line(good_dir, capsys, sets, column, phrase):
    before = checksum(good_dir)
    words = [RUTTE_NOV, *(part for s in sets for part in ("--set", s)), "--why", "a test", "--data-dir", str(good_dir)]
    assert correct_row.main(words) == 1
    out = capsys.readouterr().out
    assert f"claims.csv:7: {column}: " in out and phrase in out, out
    assert checksum(good_dir) == before


def test_add_line_on_a_missing_folder_is_a_usage_error_in_one_line(tmp_path, capsys):
    assert add_line.main(args(tmp_path / "nowhere")) == 2
    err = capsys.readouterr().err
    assert err == f"error: dataset folder {tmp_path / 'nowhere'} does not exist; give an existing one with --data-dir\n"
