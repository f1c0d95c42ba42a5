"""Shared bits of the maintainer command lines: exit codes, printing problems, a parser that exits 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from dashboard.data.csvfile import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and exits 2, never a traceback."""

    def error(self, message: str) -> None:
        self.exit(EXIT_USAGE, f"{self.format_usage()}error: {message}\n")


def report(problems: list[Problem], what: str = "nothing was written") -> int:
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s); {what}.", file=sys.stderr)
    return EXIT_PROBLEMS


def safely(action: Callable[[], int]) -> int:
    """Run a command that may write: Ctrl-C or a file error ends it with one line, and nothing written."""
    try:
        return action()
    except KeyboardInterrupt:
        print("\ninterrupted; nothing was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
