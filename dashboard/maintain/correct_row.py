"""Correct a released row: keep its claim_id, record old → new and why in CHANGELOG.md.

python -m dashboard.correct_row CLAIM_ID --set value_high=2500000 [--set …] --why "what the source says"
python -m dashboard.correct_row … --dry-run     # show old → new for every column, write nothing
"""

from __future__ import annotations

from dashboard import cli
from dashboard.data import paths
from dashboard.maintain import edits


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m dashboard.correct_row", description=__doc__.split("\n\n")[0])
    parser.add_argument("claim_id", help="the row to correct; its id never changes")
    parser.add_argument("--set", action="append", default=[], metavar="COLUMN=VALUE", help="a new value (repeatable)")
    parser.add_argument("--why", default="", help="why the row changes (goes into CHANGELOG.md under Corrections)")
    parser.add_argument("--data-dir", help=cli.DATA_DIR_HELP)
    parser.add_argument(
        "--dry-run", action="store_true", help="show old → new for every column it would change, write nothing"
    )
    args = parser.parse_args(argv)
    changes = {}
    for item in args.set:
        column, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set needs COLUMN=VALUE, got {item!r}")
        changes[column.strip()] = value
    if not changes:
        parser.error("give at least one --set COLUMN=VALUE")

    folder = paths.data_dir(args.data_dir)
    if cli.missing_folder(folder):
        return cli.EXIT_USAGE

    def run() -> int:
        change = edits.correct(args.claim_id, changes, args.why, folder)
        if change.problems:
            return cli.report(change.problems)
        print(f"claims.csv  {args.claim_id}")
        for line in describe(change.diff):
            print(line)
        if args.dry_run:
            print("dry run: the correction is valid; nothing was written.")
            return cli.EXIT_OK
        edits.write_atomically(change.files)
        print(f"corrected {args.claim_id}; the change is recorded in CHANGELOG.md under Unreleased → Corrections.")
        return cli.EXIT_OK

    return cli.guarded(run, writes=True)


def describe(diff: list[tuple[str, str, str]]) -> list[str]:
    """One line per --set column: its old and new value in full (what the changelog will record)."""
    return [
        f'  {column}: "{old}" → "{new}"' if old != new else f'  {column}: unchanged ("{old}")'
        for column, old, new in diff
    ]
