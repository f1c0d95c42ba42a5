"""The maintainer tools as a new contributor meets them: CONTRIBUTING.md's example as written, --help, the
interactive prompts, correct_row --dry-run and release kinds. Each on a throw-away copy; nothing changes on a
refusal."""

import builtins
import hashlib
import io
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from dashboard.data.schema import reference_package
from dashboard.data.validate import validate_dataset
from dashboard.maintain import add_row, correct_row, edits, release
from tests.conftest import LIVE, REPO, read_rows


def checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(folder)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def contributing_example(command: str = "dashboard.add_row") -> list[str]:
    """CONTRIBUTING.md's example of a command, split as the shell would split it (for add_row: the long one)."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = [shlex.split(b.replace("\\\n", " ")) for b in re.findall(r"```bash\n(.*?)```", text, re.S)]
    words = max((b for b in blocks if b[:3] == [".venv/bin/python", "-m", command]), key=len)
    return words[3:]


@pytest.fixture
def live_copy(tmp_path: Path) -> Path:
    """A writable copy of the live dataset with its own seeds/, so a write lands in the copy only."""
    target = tmp_path / "datasets"
    shutil.copytree(LIVE, target)
    shutil.copytree(REPO / "seeds", target / "seeds")
    return target


# ---- CONTRIBUTING.md's example, exactly as written ------------------------------------------------------
def test_the_contributing_example_runs_as_written_and_writes_nothing(live_copy, capsys):
    args = contributing_example()
    assert "--dry-run" in args  # pasted as it stands, it only checks
    assert "--passage-file" not in args  # needs no file the reader has not got
    before = checksum(live_copy)
    assert add_row.main([*args, "--data-dir", str(live_copy)]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "claims.csv  + acme-2026-01-plant-target," in out and "sources.csv + acme-2026-01-15-plant," in out
    assert "seeds/excerpts/acme-2026-01-15-plant.txt (new excerpt file)" in out
    assert "nothing was written" in out
    assert checksum(live_copy) == before


def test_the_contributing_example_without_dry_run_writes_a_complete_source(live_copy):
    args = [a for a in contributing_example() if a != "--dry-run"]
    assert add_row.main([*args, "--data-dir", str(live_copy)]) == 0
    source = next(r for r in read_rows(live_copy / "sources.csv") if r["source_id"] == "acme-2026-01-15-plant")
    assert source["title"] and not edits.PLACEHOLDER_RE.fullmatch(source["title"])
    excerpt = (live_copy / "seeds" / source["excerpt"]).read_text(encoding="utf-8")
    assert "title: Acme to build a shell plant" in excerpt
    assert "The plant will make 350,000 shells a year from 2027, the company said." in excerpt
    assert "(paste here" not in excerpt
    assert validate_dataset(live_copy).valid


def test_the_example_holds_no_placeholder_value():
    values = [a for a in contributing_example() if not a.startswith("--")]
    assert not [v for v in values if edits.PLACEHOLDER_RE.fullmatch(v)]


# ---- --help ---------------------------------------------------------------------------------------------
def test_help_marks_required_only_flags_the_example_gives():
    package = reference_package()
    parser = add_row.build_parser(package.claims.fields, package.sources.fields)
    required = {
        option
        for action in parser._actions
        if (action.help or "").startswith("required")
        for option in action.option_strings
    }
    assert "--claim-id" in required and "--source-url" in required  # the marking is there at all
    assert required <= set(contributing_example())
    optional_with_default = {"--date-precision": "Default: day.", "--source-language": "Default: en."}
    for flag, default in optional_with_default.items():
        action = next(a for a in parser._actions if flag in a.option_strings)
        assert not action.help.startswith("required") and default in action.help


def test_a_description_is_not_cut_inside_a_parenthesis():
    package = reference_package()
    parser = add_row.build_parser(package.claims.fields, package.sources.fields)
    measure = next(a for a in parser._actions if "--measure" in a.option_strings)
    assert measure.help.count("(") == measure.help.count(")"), measure.help


# ---- placeholders and the passage ------------------------------------------------------------------------
def _example_on(folder: Path, flag: str, value: str) -> list[str]:
    args = contributing_example()
    args[args.index(flag) + 1] = value
    return [*args, "--data-dir", str(folder)]


@pytest.mark.parametrize("value", ["…", "...", "TODO", "tbd"])
def test_a_placeholder_title_is_refused(live_copy, capsys, value):
    assert add_row.main(_example_on(live_copy, "--source-title", value)) == 1
    assert "proposed source:1: title: " in capsys.readouterr().out


def test_a_passage_from_standard_input(live_copy, monkeypatch, capsys):
    args = contributing_example()
    at = args.index("--passage")
    passage = args[at + 1]
    args[at : at + 2] = ["--passage-file", "-"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(passage + "\n"))
    assert add_row.main([*args, "--data-dir", str(live_copy)]) == 0, capsys.readouterr()


def test_a_passage_without_a_new_source_is_a_usage_error(live_copy, capsys):
    args = [a for a in contributing_example() if a != "--new-source"]
    with pytest.raises(SystemExit) as stop:
        add_row.main([*args, "--data-dir", str(live_copy)])
    assert stop.value.code == 2
    assert "add --new-source" in capsys.readouterr().err


# ---- interactive add_row ---------------------------------------------------------------------------------
INTERACTIVE = {  # answers by field name: a list is asked in turn (the first ones wrong)
    "claim_id": "sipri-2025-04-russia-milex-2024-dollars",
    "stated_on": ["2025-13-45", "28/04/2025", "2025-04-28"],
    "speaker": "SIPRI",
    "speaker_role": "think tank",
    "speaker_side": "independent",
    "subject": "Russia",
    "measure": "spending",
    "value_low": ["149 billion", "149000000000"],
    "value_high": "149000000000",
    "unit": "usd",
    "period_start": "2024-01-01",
    "period_end": ["2024-12-32", "2024-12-31"],
    "basis": "independent_estimate",
    "quote": "Russia’s military spending reached $149 billion in 2024",
    "interpretation": ["…", "SIPRI's estimate of Russia's 2024 military expenditure in US dollars."],
    "source_id": "euromaidanpress-2025-04-28-sipri-russia-149bn",
}


def test_interactive_prompts_ask_again_for_an_impossible_date(good_dir, monkeypatch, capsys):
    queues = {k: list(v) if isinstance(v, list) else [v] for k, v in INTERACTIVE.items()}

    def answer(prompt: str = "") -> str:
        if prompt.startswith("Is the source new"):
            return "n"
        if prompt.startswith("Write these rows"):
            return "y"
        name = re.match(r"[a-z_]+", prompt).group(0)
        queue = queues.get(name, [""])
        return queue.pop(0) if len(queue) > 1 else queue[0]

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(builtins, "input", answer)
    assert add_row.main(["--data-dir", str(good_dir)]) == 0
    out = capsys.readouterr().out
    assert "'2025-13-45' is not a real date; write YYYY-MM-DD" in out
    assert "'28/04/2025' is not a real date" in out and "'2024-12-32' is not a real date" in out
    assert "'149 billion' is not a plain number" in out
    assert "'…' only holds a place" in out
    row = next(r for r in read_rows(good_dir / "claims.csv") if r["claim_id"] == INTERACTIVE["claim_id"])
    assert row["stated_on"] == "2025-04-28" and row["value_low"] == "149000000000"


def test_interactive_new_source_asks_for_the_passage(good_dir, monkeypatch):
    source_answers = {"publisher": "Acme News", "title": "Acme plant", "url": "https://news.example.org/acme",
                      "grade": "secondary", "accessed_on": "2026-01-02"}  # fmt: skip
    claim = {k: v[-1] if isinstance(v, list) else v for k, v in INTERACTIVE.items()}  # the right answers
    claim["source_id"] = "acme-2026-01-news"
    passage = iter([INTERACTIVE["quote"] + ", the institute said.", ""])
    asked_for_source = []

    def answer(prompt: str = "") -> str:
        if prompt.startswith("Is the source new"):
            asked_for_source.append(True)
            return "y"
        if prompt.startswith("Write these rows"):
            return "y"
        if prompt in ("> ", "  "):
            return next(passage)
        name = re.match(r"[a-z_]+", prompt).group(0)
        return (source_answers if asked_for_source else claim).get(name, "")

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(builtins, "input", answer)
    assert add_row.main(["--data-dir", str(good_dir)]) == 0
    excerpt = (good_dir / "seeds" / "excerpts" / "acme-2026-01-news.txt").read_text(encoding="utf-8")
    assert "the institute said." in excerpt
    assert validate_dataset(good_dir).valid


def test_the_contributing_correction_example_runs_as_written_and_writes_nothing(live_copy, capsys):
    args = contributing_example("dashboard.correct_row")
    assert "--dry-run" in args
    before = checksum(live_copy)
    assert correct_row.main([*args, "--data-dir", str(live_copy)]) == 0, capsys.readouterr()
    assert '  stated_on: "' in capsys.readouterr().out
    assert checksum(live_copy) == before


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(lambda d: add_row.main(["--data-dir", d]), id="add_row"),
        pytest.param(
            lambda d: correct_row.main(["x", "--set", "notes=y", "--why", "z", "--data-dir", d]), id="correct_row"
        ),
        pytest.param(lambda d: release.main(["minor", "--data-dir", d]), id="release"),
    ],
)
def test_a_missing_dataset_folder_is_a_usage_error_in_one_line(tmp_path, capsys, command):
    assert command(str(tmp_path / "nowhere")) == 2
    err = capsys.readouterr().err
    assert err == f"error: dataset folder {tmp_path / 'nowhere'} does not exist; give an existing one with --data-dir\n"


# ---- correct_row --dry-run -------------------------------------------------------------------------------
def test_correct_row_dry_run_shows_old_and_new_for_every_column(good_dir, capsys):
    claim_id = "us-army-2025-06-155mm-output"
    old = next(r for r in read_rows(good_dir / "claims.csv") if r["claim_id"] == claim_id)
    before = checksum(good_dir)
    args = [claim_id, "--set", "notes=Checked again.", "--set", "label=Army output", "--set",
            f"speaker={old['speaker']}", "--why", "re-read", "--data-dir", str(good_dir), "--dry-run"]  # fmt: skip
    assert correct_row.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert f'  notes: "{old["notes"]}" → "Checked again."' in out
    assert f'  label: "{old["label"]}" → "Army output"' in out
    assert f'  speaker: unchanged ("{old["speaker"]}")' in out
    assert out[-1] == "dry run: the correction is valid; nothing was written."
    assert checksum(good_dir) == before


def test_correct_row_refuses_a_placeholder(good_dir, capsys):
    before = checksum(good_dir)
    args = ["us-army-2025-06-155mm-output", "--set", "notes=TODO", "--why", "later", "--data-dir", str(good_dir)]
    assert correct_row.main(args) == 1
    assert "correction:1: notes: 'TODO' only holds a place" in capsys.readouterr().out
    assert checksum(good_dir) == before


# ---- release kinds ---------------------------------------------------------------------------------------
def _unreleased(folder: Path, heading: str, entry: str) -> None:
    changelog = folder / "CHANGELOG.md"
    edits.write_atomically(
        {changelog: edits.add_to_unreleased(changelog.read_text(encoding="utf-8"), heading, [entry])}
    )


def test_a_patch_release_refuses_a_new_row_and_names_the_kind_that_fits(good_dir, capsys):
    _unreleased(good_dir, "Corrections", '- `x` notes: "a" → "b". Why: re-read')
    _unreleased(good_dir, "Added", "- `acme-2026-01-plant`: Acme, target (source `acme-news`)")
    before = checksum(good_dir)
    assert release.main(["patch", "--data-dir", str(good_dir), "--date", "2026-12-01"]) == 1
    err = capsys.readouterr().err
    assert "a patch release holds corrections only" in err and "'### Added'" in err
    assert "python -m dashboard.release minor" in err
    assert checksum(good_dir) == before
    assert release.main(["minor", "--data-dir", str(good_dir), "--date", "2026-12-01"]) == 0


def test_a_patch_release_of_corrections_goes_through(good_dir):
    _unreleased(good_dir, "Corrections", '- `x` notes: "a" → "b". Why: re-read')
    assert release.main(["patch", "--data-dir", str(good_dir), "--date", "2026-12-01"]) == 0
    assert '"version": "1.0.1"' in (good_dir / "datapackage.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("unreleased", "refused"),
    [
        ("### Corrections\n- a fix\n", False),
        ("### Summary\n- why\n\n### Corrections\n- a fix\n", False),
        ("### Removed\n- a row\n", True),
        ("- a line under no heading\n", True),
        ("### Corrections\n- a fix\n\n### Sources\n- a new page\n", True),
    ],
)
def test_what_a_patch_may_hold(unreleased, refused):
    changelog = f"# Changelog\n\n## [Unreleased]\n\n{unreleased}\n## [1.0.0] - 2026-11-25\n\n### Added\n- rows\n"
    assert (release.wrong_kind("patch", changelog) is not None) == refused
    assert release.wrong_kind("minor", changelog) is None and release.wrong_kind("major", changelog) is None
