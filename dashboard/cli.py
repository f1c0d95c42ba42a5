"""One command-line helper for every `python -m dashboard.…` entry point.

Each command builds its options with `Parser` and ends its entry module with `cli.run(main)`, so they all
behave alike: a usage error is one line on stderr and exit 2 (never argparse's wall of usage, never a
traceback); Ctrl-C is exit 130 with one short line; a closed pipe (`… | head`) ends quietly; anything
unexpected is one line asking for a report. The exit codes are stable, scripts rely on them.

Like settings.py, this sits at the bottom of the package: it imports nothing from it but settings, so
every layer's command may use it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import NoReturn

from dashboard import settings

EXIT_OK = 0  # done; for the validator: the dataset is valid
EXIT_PROBLEMS = 1  # the data (or a file) has problems: each was printed, nothing was written
EXIT_USAGE = 2  # bad options or a missing folder
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATA_DIR_HELP = f"dataset folder (default: ${settings.DATA_DIR.name} or datasets/)"


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line on stderr and exit 2, never a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message} (see {self.prog} --help)\n")


def iso_date(text: str) -> date:
    """An argparse `type` for YYYY-MM-DD that names the problem in words, not in Python's."""
    try:
        if _ISO_DATE.fullmatch(text.strip()):  # fromisoformat alone would also take 20250101
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a real date in the form YYYY-MM-DD")


def data_dir_flag(argv: list[str]) -> str | None:
    """The value of --data-dir in argv (as `--data-dir X` or `--data-dir=X`), read before the parser is built: a
    command whose flags come from the dataset's schema needs the folder first."""
    value = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--data-dir"), None)
    return next((a.split("=", 1)[1] for a in argv if a.startswith("--data-dir=")), value)


def missing_folder(folder: Path) -> bool:
    """True, after one line on stderr, when the dataset folder does not exist: the caller exits EXIT_USAGE."""
    if folder.is_dir():
        return False
    print(f"error: dataset folder {folder} does not exist; give an existing one with --data-dir", file=sys.stderr)
    return True


def report(problems: Iterable[object], what: str = "nothing was written") -> int:
    """Print each problem on its own line (stdout, for scripts), then how many and what it means (stderr)."""
    problems = list(problems)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s); {what}.", file=sys.stderr)
    return EXIT_PROBLEMS


def guarded(action: Callable[[], int], writes: bool = False) -> int:
    """Call `action` and return its exit code; Ctrl-C gives 130 and a file error 1, each with one line.

    `writes`: the command may write the dataset, so the line says that nothing was (the writers replace
    files atomically, so an interruption leaves the old ones). Used by `run`, and directly by commands that
    are also called in-process (tests), where exiting is not wanted."""
    tail = "; nothing was written." if writes else "."
    try:
        return action()
    except KeyboardInterrupt:
        print(f"\ninterrupted{tail}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        print(f"error: {exc}{tail}", file=sys.stderr)
        return EXIT_PROBLEMS


def run(main: Callable[[], int]) -> NoReturn:
    """The whole of an entry module's `if __name__ == "__main__":` block: run main, exit with its code."""
    try:
        code = guarded(main)
    except BrokenPipeError:  # the reader went away (`… | head`): stop as a Unix tool does, without a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush cannot fail again
        code = EXIT_PROBLEMS
    except Exception as exc:  # noqa: BLE001 - last line of defence: a bug shows one line, never a traceback
        print(
            f"error: {_name(main)} failed unexpectedly ({exc.__class__.__name__}: {exc}); please report it",
            file=sys.stderr,
        )
        code = EXIT_PROBLEMS
    sys.exit(code)


def _name(main: Callable[[], int]) -> str:
    module = getattr(main, "__module__", "") or "the command"
    return "python -m " + module.replace(".maintain.", ".").replace(".data.", ".").removesuffix(".__main__")
