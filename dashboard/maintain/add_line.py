"""Add a line of claims (a claim a speaker or institution repeated over time) to lines.csv, safely.

    python -m dashboard.add_line --line-id … --title … --who … --asserts … --measure … --unit … --kind claim|goal \\
        --states CLAIM_ID --why "the words of that claim that state the line"
    python -m dashboard.add_line … --dry-run     # check only, write nothing

A line is added with its first instance: --states names the claim that says it in its usual form, which is coded
line_id=<the line>, line_relation=states in the same write (a line no claim states is refused, as a source no claim
cites is). Code its other instances with python -m dashboard.correct_row CLAIM_ID --set line_id=… --set
line_relation=… --why "…" (the relations are defined in datasets/README.md, Lines of claims). Everything is checked
together with the whole dataset by the validator first; then lines.csv (sorted by line_id), claims.csv and
CHANGELOG.md (the line under Added, the claim's coding under Corrections) are written atomically.
"""

from __future__ import annotations

import sys

from dashboard import cli
from dashboard.data.schema import Field
from dashboard.maintain import edits
from dashboard.maintain.add_row import field_help, flag, package_for
from dashboard.maintain.correct_row import describe


def build_parser(line_fields: tuple[Field, ...]) -> cli.Parser:
    parser = cli.Parser(prog="python -m dashboard.add_line", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help=cli.DATA_DIR_HELP)
    parser.add_argument("--dry-run", action="store_true", help="check the line and its first instance, write nothing")
    fields = parser.add_argument_group("line fields (lines.csv)")
    for f in line_fields:
        fields.add_argument(flag(f.name), dest=f"line_{f.name}", metavar="VALUE", help=field_help(f))
    first = parser.add_argument_group("its first instance (claims.csv)")
    first.add_argument(
        "--states", metavar="CLAIM_ID", help="required. The claim that says the line in its usual form and figure."
    )
    first.add_argument(
        "--why", metavar="TEXT", help="required. Why that claim states the line, quoting its words (for CHANGELOG.md)."
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    read = package_for(args_list)
    if read is None:
        return cli.EXIT_USAGE
    folder, package = read
    if package.lines is None:
        print(
            f"error: {folder}/datapackage.json declares no lines resource; this package holds no lines", file=sys.stderr
        )
        return cli.EXIT_USAGE
    parser = build_parser(package.lines.fields)
    args = parser.parse_args(args_list)
    if not args.states:
        parser.error("give --states CLAIM_ID: the claim that says the line in its usual form")
    if not (args.why or "").strip():
        parser.error('give --why "…": why that claim states the line, quoting its words')
    line = {f.name: getattr(args, f"line_{f.name}") or "" for f in package.lines.fields}

    def run() -> int:
        change = edits.add_line(line, args.states, args.why, folder)
        if change.problems:
            return cli.report(change.problems)
        print("lines.csv   + " + change.lines["lines"])
        print(f"claims.csv  {args.states}")
        for text in describe(change.diff):
            print(text)
        if args.dry_run:
            print("dry run: the line and its first instance are valid; nothing was written.")
            return cli.EXIT_OK
        edits.write_atomically(change.files)
        print(
            f"added line {line['line_id']}; recorded in CHANGELOG.md under Unreleased → Added (the line) and "
            f"Corrections (its first instance). Next: code its other instances with python -m dashboard.correct_row "
            f'CLAIM_ID --set line_id={line["line_id"]} --set line_relation=… --why "…"'
        )
        return cli.EXIT_OK

    return cli.guarded(run, writes=True)
