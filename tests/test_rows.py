"""Maintainer tools on a temporary copy: add_row, correct_row and release round trips; nothing changes on error."""

import builtins
import hashlib
import os
import sys
from pathlib import Path

import pytest

from dashboard.data.load import load_dataset
from dashboard.data.validate import validate_dataset
from dashboard.maintain import add_row, correct_row, edits, release
from tests.conftest import read_rows, set_cell

NEW_CLAIM = {
    "claim-id": "sipri-2025-04-russia-milex-2024-dollars",
    "stated-on": "2025-04-28",
    "date-precision": "day",
    "speaker": "SIPRI",
    "speaker-role": "think tank",
    "speaker-side": "independent",
    "subject": "Russia",
    "measure": "spending",
    "value-low": "149000000000",
    "value-high": "149000000000",
    "unit": "usd",
    "period-start": "2024-01-01",
    "period-end": "2024-12-31",
    "basis": "independent_estimate",
    "quote": "Russia’s military spending reached $149 billion in 2024",
    "interpretation": "SIPRI's estimate of Russia's 2024 military expenditure in US dollars.",
    "source-id": "euromaidanpress-2025-04-28-sipri-russia-149bn",
}


def flags(values: dict[str, str]) -> list[str]:
    out = []
    for key, value in values.items():
        out += [f"--{key}", value]
    return out


def checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(folder)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def test_valid_row_is_added_in_sorted_place(good_dir):
    before = read_rows(good_dir / "claims.csv")
    original_lines = (good_dir / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert add_row.main([*flags(NEW_CLAIM), "--data-dir", str(good_dir)]) == 0
    after = read_rows(good_dir / "claims.csv")
    assert len(after) == len(before) + 1
    ids = [r["claim_id"] for r in after]
    assert ids == sorted(ids) and NEW_CLAIM["claim-id"] in ids
    new_lines = (good_dir / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert [
        line for line in new_lines if not line.startswith(NEW_CLAIM["claim-id"])
    ] == original_lines  # other bytes untouched
    assert validate_dataset(good_dir).valid


def test_dry_run_writes_nothing(good_dir, capsys):
    before = checksum(good_dir)
    assert add_row.main([*flags(NEW_CLAIM), "--data-dir", str(good_dir), "--dry-run"]) == 0
    assert "nothing was written" in capsys.readouterr().out
    assert checksum(good_dir) == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"claim-id": "rutte-2025-07-nyt-three-times"}, "already used"),
        ({"source-id": "no-such-source"}, "not in sources.csv"),
        ({"value-low": "150000000000"}, "greater than value_high"),
        ({"unit": "shells"}, "does not fit measure"),
        ({"quote": "words the page never printed"}, "quote is not found"),
        ({"stated-on": "2099-01-01"}, "in the future"),
        ({"claim-id": "Bad Id"}, "not a valid id"),
        ({"interpretation": ""}, "required"),
    ],
)
def test_invalid_rows_are_refused_and_files_are_byte_identical(good_dir, capsys, change, expected):
    before = checksum(good_dir)
    assert add_row.main([*flags({**NEW_CLAIM, **change}), "--data-dir", str(good_dir)]) == 1
    assert expected in capsys.readouterr().out
    assert checksum(good_dir) == before


def test_new_source_with_excerpt_is_added_in_the_same_step(good_dir, tmp_path):
    passage = tmp_path / "passage.txt"
    passage.write_text("The plant will make 123,456 shells a year, the company said.", encoding="utf-8")
    claim = {**NEW_CLAIM, "claim-id": "acme-2026-01-plant", "source-id": "acme-2026-01-plant-news", "speaker": "Acme",
             "speaker-side": "industry", "subject": "Rheinmetall", "measure": "target", "unit": "shells_per_year",
             "value-low": "123456", "value-high": "123456", "caliber": "155mm", "basis": "industry_statement",
             "quote": "The plant will make 123,456 shells a year"}  # fmt: skip
    source = ["--new-source", "--source-publisher", "Acme News", "--source-title", "Plant", "--source-url",
              "https://news.example.org/acme", "--source-accessed-on", "2026-01-02", "--source-grade", "secondary"]  # fmt: skip
    assert add_row.main([*flags(claim), *source, "--passage-file", str(passage), "--data-dir", str(good_dir)]) == 0
    excerpt = good_dir / "seeds" / "excerpts" / "acme-2026-01-plant-news.txt"
    assert "123,456 shells a year" in excerpt.read_text(encoding="utf-8")
    assert "acme-2026-01-plant-news" in {r["source_id"] for r in read_rows(good_dir / "sources.csv")}
    assert validate_dataset(good_dir).valid


def test_interactive_prompts_show_allowed_values(good_dir, monkeypatch, capsys):
    # Answers by the field each prompt names (so a new column is one more prompt, answered with Enter); a field
    # with two answers refuses the first. Fields left out are answered with Enter (their default or empty).
    answers = {name: [value] for name, value in NEW_CLAIM.items() if name != "date-precision"}
    answers["speaker-side"] = ["nonsense", "independent"]
    questions = {"Is the source new": "n", "Write these rows?": "y"}
    prompts = []

    def answer(prompt: str = "") -> str:
        prompts.append(prompt)
        assert len(prompts) < 60, f"the prompts go round in circles: {prompts[-5:]}"
        question = next((q for q in questions if prompt.startswith(q)), None)
        if question:
            return questions[question]
        field = prompt.split(":")[0].split("*")[0].split(" ")[0].replace("_", "-")
        return answers[field].pop(0) if answers.get(field) else ""

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(builtins, "input", answer)
    assert add_row.main(["--data-dir", str(good_dir)]) == 0
    assert not any(answers.values()), f"never asked for {[k for k, v in answers.items() if v]}"
    assert any("speaker_side*" in p and "nato | russia" in p for p in prompts)
    assert "is not one of" in capsys.readouterr().out  # 'nonsense' was refused and asked again
    written = next(r for r in read_rows(good_dir / "claims.csv") if r["claim_id"] == NEW_CLAIM["claim-id"])
    assert written["speaker_side"] == "independent" and written["value_low"] == NEW_CLAIM["value-low"]


def test_ctrl_c_during_prompts_writes_nothing(good_dir, monkeypatch):
    before = checksum(good_dir)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    def interrupt(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr(builtins, "input", interrupt)
    assert add_row.main(["--data-dir", str(good_dir)]) == 130
    assert checksum(good_dir) == before


def test_interrupted_write_leaves_the_originals(good_dir, monkeypatch):
    change = edits.propose({k.replace("-", "_"): v for k, v in NEW_CLAIM.items()}, data_dir=good_dir)
    assert change.ok, change.problems
    before = checksum(good_dir)
    real_replace = os.replace

    def crash(src, dst):
        raise KeyboardInterrupt  # as if Ctrl-C arrived between writing the temporary file and renaming it

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        edits.write_atomically(change.files)
    monkeypatch.setattr(os, "replace", real_replace)
    assert checksum(good_dir) == before
    assert not list(good_dir.rglob("*.tmp"))


def test_correction_keeps_the_id_and_is_changelogged(good_dir):
    claim_id = "us-army-2025-06-155mm-output"
    code = correct_row.main(
        [
            claim_id,
            "--set",
            "notes=Checked again against Defense One.",
            "--why",
            "note clarified",
            "--data-dir",
            str(good_dir),
        ]
    )
    assert code == 0
    row = next(r for r in read_rows(good_dir / "claims.csv") if r["claim_id"] == claim_id)
    assert row["notes"] == "Checked again against Defense One."
    changelog = (good_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = changelog.split("## [Unreleased]")[1].split("## [1.0.0]")[0]
    assert (
        "### Corrections" in unreleased and f"`{claim_id}` notes:" in unreleased and "Why: note clarified" in unreleased
    )
    assert validate_dataset(good_dir).valid


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["no-such-id", "--set", "notes=x", "--why", "w"], "no row has claim_id"),
        (["us-army-2025-06-155mm-output", "--set", "claim_id=new-id", "--why", "w"], "stable forever"),
        (["us-army-2025-06-155mm-output", "--set", "value_low=-5", "--why", "w"], "negative"),
        (["us-army-2025-06-155mm-output", "--set", "notes=x"], "say why"),
    ],
)
def test_bad_corrections_are_refused(good_dir, capsys, args, expected):
    before = checksum(good_dir)
    assert correct_row.main([*args, "--data-dir", str(good_dir)]) == 1
    assert expected in capsys.readouterr().out
    assert checksum(good_dir) == before


def test_release_bumps_version_and_dates_the_changelog(good_dir):
    edits.write_atomically(
        {
            good_dir / "CHANGELOG.md": edits.add_to_unreleased(
                (good_dir / "CHANGELOG.md").read_text(), "Added", ["- a row"]
            )
        }
    )
    assert release.main(["minor", "--data-dir", str(good_dir), "--date", "2026-12-01"]) == 0
    data = load_dataset(good_dir).dataset
    assert data.version == "1.1.0"
    assert data.updated == "2026-12-01"
    changelog = (good_dir / "CHANGELOG.md").read_text()
    assert changelog.index("## [Unreleased]") < changelog.index("## [1.1.0] - 2026-12-01") < changelog.index("- a row")


@pytest.mark.parametrize(("part", "expected"), [("patch", (1, 2, 4)), ("minor", (1, 3, 0)), ("major", (2, 0, 0))])
def test_bump(part, expected):
    assert release.bump((1, 2, 3), part) == expected


def test_release_refuses_an_invalid_dataset(good_dir, capsys):
    set_cell(good_dir / "claims.csv", "rutte-2025-07-nyt-three-times", "stated_on", "2025-02-30")
    before = checksum(good_dir)
    assert release.main(["patch", "--data-dir", str(good_dir)]) == 1
    assert "no release was made" in capsys.readouterr().err
    assert checksum(good_dir) == before


def test_release_refuses_an_empty_unreleased_section(good_dir, capsys):
    assert release.main(["patch", "--data-dir", str(good_dir)]) == 1
    assert "nothing is listed" in capsys.readouterr().err


def test_new_entry_goes_after_a_multi_line_entry_not_inside_it():
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n### Added\n"
        "- first entry, which runs\n  over two lines\n- second entry\n  also wrapped\n\n## [1.0.0] - 2026-11-25\n"
    )
    updated = edits.add_to_unreleased(changelog, "Added", ["- new entry"])
    assert "- first entry, which runs\n  over two lines\n- second entry\n  also wrapped\n- new entry\n" in updated
    assert updated.index("- new entry") < updated.index("## [1.0.0]")


def test_a_release_writes_its_version_and_date_into_the_citation_file():
    from datetime import date

    from dashboard.maintain.release import CITATION_FILE, citation_for

    text = CITATION_FILE.read_text(encoding="utf-8")
    updated = citation_for(text, "9.8.7", date(2031, 2, 3))
    assert 'version: "9.8.7"' in updated and 'date-released: "2031-02-03"' in updated
    assert updated.replace('"9.8.7"', "").replace('"2031-02-03"', "") != text  # the old values are gone
    assert updated.count("version:") == text.count("version:")  # cff-version untouched
