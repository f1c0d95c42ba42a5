"""The one command-line helper (dashboard/cli.py) and every `python -m dashboard.…` command that uses it."""

import ast
import importlib
import inspect
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.maintain import release

REPO = Path(__file__).resolve().parent.parent


def _is_entry(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body)


def _commands() -> dict:
    """Every `python -m dashboard.…` command, found rather than listed (a list missed new ones): each module of the
    package with an `if __name__ == "__main__":` block, and the main it runs."""
    found = {}
    for file in sorted((REPO / "dashboard").rglob("*.py")):
        if _is_entry(ast.parse(file.read_text(encoding="utf-8"))):
            path = file.relative_to(REPO).as_posix()
            found[path] = importlib.import_module(path.removesuffix(".py").replace("/", ".")).main
    return found


COMMANDS = _commands()  # entry module → the main it runs


def _module(path: str) -> ast.Module:
    return ast.parse((REPO / path).read_text(encoding="utf-8"))


# ---- the helper itself ----------------------------------------------------------------------------------
def test_a_usage_error_is_one_line_and_exit_2(capsys):
    parser = cli.Parser(prog="python -m dashboard.example")
    parser.add_argument("--count", type=int)
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--count", "many"])
    assert stop.value.code == cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: argument --count: invalid int value: 'many' (see python -m dashboard.example --help)\n"


def test_help_still_exits_0(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.Parser(prog="python -m dashboard.example", description="Does a thing.").parse_args(["--help"])
    assert stop.value.code == 0
    assert "Does a thing." in capsys.readouterr().out


@pytest.mark.parametrize("text", ["2025-01-31", " 2024-02-29 "])
def test_iso_date_takes_real_dates(text):
    assert cli.iso_date(text) == date.fromisoformat(text.strip())


@pytest.mark.parametrize("text", ["2025-13-45", "2025-02-29", "20250101", "2025-1-5", "yesterday", ""])
def test_iso_date_refuses_anything_else_in_words(text):
    with pytest.raises(Exception, match="is not a real date in the form YYYY-MM-DD"):
        cli.iso_date(text)


def test_report_prints_each_problem_then_the_count(capsys):
    assert cli.report(["a.csv:2: x: bad", "a.csv:3: y: worse"], "no release was made") == cli.EXIT_PROBLEMS
    out, err = capsys.readouterr()
    assert out.splitlines() == ["a.csv:2: x: bad", "a.csv:3: y: worse"]
    assert err == "2 problem(s); no release was made.\n"


def _interrupt() -> int:
    raise KeyboardInterrupt


def _missing_file() -> int:
    raise FileNotFoundError(2, "No such file or directory", "passage.txt")


@pytest.mark.parametrize(
    ("action", "writes", "code", "message"),
    [
        (lambda: 7, False, 7, ""),
        (_interrupt, False, 130, "\ninterrupted.\n"),
        (_interrupt, True, 130, "\ninterrupted; nothing was written.\n"),
        (_missing_file, True, 1, "error: [Errno 2] No such file or directory: 'passage.txt'; nothing was written.\n"),
    ],
    ids=["code-passes-through", "ctrl-c", "ctrl-c-in-a-writer", "file-error"],
)
def test_guarded_turns_interruptions_and_file_errors_into_codes(capsys, action, writes, code, message):
    assert cli.guarded(action, writes=writes) == code
    assert capsys.readouterr().err == message


def test_run_exits_with_main_s_code():
    with pytest.raises(SystemExit) as stop:
        cli.run(lambda: 1)
    assert stop.value.code == 1


def test_run_turns_a_bug_into_one_line(capsys):
    def main() -> int:
        raise ValueError("boom")

    main.__module__ = "dashboard.maintain.add_row"
    with pytest.raises(SystemExit) as stop:
        cli.run(main)
    assert stop.value.code == 1
    assert capsys.readouterr().err == (
        "error: python -m dashboard.add_row failed unexpectedly (ValueError: boom); please report it\n"
    )


def test_ctrl_c_in_a_real_process_is_exit_130_and_one_line():
    code = "from dashboard import cli; import time; print('ready', flush=True); cli.run(lambda: time.sleep(60) or 0)"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "ready\n"
    time.sleep(0.2)  # into the sleep
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.strip() == "interrupted." and "Traceback" not in err


def test_a_closed_pipe_ends_quietly():
    code = "from dashboard import cli; cli.run(lambda: [print('line ' * 20) for _ in range(100000)] and 0)"
    result = subprocess.run(
        f"{sys.executable} -c {code!r} | head -1", shell=True, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("line ")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_the_helper_sits_at_the_bottom_of_the_package():
    imported = {
        node.module
        for node in ast.walk(_module("dashboard/cli.py"))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dashboard")
    }
    names = {
        alias.name
        for node in ast.walk(_module("dashboard/cli.py"))
        if isinstance(node, ast.ImportFrom) and node.module == "dashboard"
        for alias in node.names
    }
    assert imported <= {"dashboard"} and names <= {"settings"}, (imported, names)


# ---- every command uses it ------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", sorted(COMMANDS))
def test_every_entry_module_ends_in_cli_run(entry):
    tree = _module(entry)
    guard = next(n for n in tree.body if isinstance(n, ast.If) and "__main__" in ast.unparse(n.test))
    assert ast.unparse(guard.body[-1]) == "cli.run(main)", entry


def test_no_other_module_builds_its_own_parser():
    for file in (REPO / "dashboard").rglob("*.py"):
        if file == REPO / "dashboard" / "cli.py":
            continue
        text = file.read_text(encoding="utf-8")
        assert "import argparse" not in text and "ArgumentParser" not in text, f"{file.name}: use dashboard.cli.Parser"


@pytest.mark.parametrize("entry", sorted(COMMANDS))
def test_every_command_reports_a_bad_option_in_one_line(entry, capsys):
    with pytest.raises(SystemExit) as stop:
        COMMANDS[entry](["--no-such-option"])
    assert stop.value.code == cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith("error: ") and err.endswith(" --help)\n") and "python -m dashboard." in err, err


# The commands that read a dataset folder (the preview server reads a built site instead, so it is not one of them).
READS_DATA = sorted(e for e in COMMANDS if "data_dir(" in inspect.getsource(inspect.getmodule(COMMANDS[e])))


def test_the_commands_that_read_a_dataset_are_found():
    assert {"dashboard/validate.py", "dashboard/add_row.py", "dashboard/publish/__main__.py"} <= set(READS_DATA)
    assert "dashboard/publish/preview.py" not in READS_DATA


@pytest.mark.parametrize("entry", READS_DATA)
def test_every_command_s_help_names_the_data_folder_setting(entry, capsys):
    """Every command that reads a dataset folder says where it looks."""
    with pytest.raises(SystemExit) as stop:
        COMMANDS[entry](["--help"])
    assert stop.value.code == 0
    assert "$DASHBOARD_DATA_DIR or datasets/" in " ".join(capsys.readouterr().out.split())


def test_the_commands_are_found():
    assert {"dashboard/validate.py", "dashboard/add_row.py", "dashboard/release.py", "dashboard/publish/__main__.py",
            "dashboard/publish/preview.py"} <= set(COMMANDS)  # fmt: skip


def test_ctrl_c_while_a_writer_waits_writes_nothing(good_dir, monkeypatch, capsys):
    """The writers' last step is the rename, with Ctrl-C held back; before it, Ctrl-C leaves every file."""
    before = {p: p.read_bytes() for p in good_dir.rglob("*") if p.is_file()}
    monkeypatch.setattr(release, "validate_dataset", lambda folder: _interrupt())
    assert release.main(["patch", "--data-dir", str(good_dir)]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "\ninterrupted; nothing was written.\n"
    assert before == {p: p.read_bytes() for p in good_dir.rglob("*") if p.is_file()}
