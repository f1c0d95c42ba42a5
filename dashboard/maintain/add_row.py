"""Add a sourced row to the dataset, safely.

    python -m dashboard.add_row                      # asks for each field, showing allowed values
    python -m dashboard.add_row --claim-id … --source-id … [--new-source --source-url … --passage-file …]
    python -m dashboard.add_row … --dry-run          # check only, write nothing

The new row is checked together with the whole dataset by the validator before anything is written;
then claims.csv (and sources.csv and the excerpt file, for a new source) are written atomically, the
row at its sorted place, every other byte unchanged. Any error or Ctrl-C leaves every file untouched.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from dashboard import cli
from dashboard.data import paths
from dashboard.data.schema import Field, SchemaError, read_package
from dashboard.maintain import edits

CLAIM_DEFAULTS = {"date_precision": "day"}
SOURCE_DEFAULTS = {"accessed_on": date.today().isoformat(), "language": "en"}


def _flag(name: str, prefix: str = "") -> str:
    return "--" + prefix + name.replace("_", "-")


def build_parser(claim_fields: tuple[Field, ...], source_fields: tuple[Field, ...]) -> cli.Parser:
    parser = cli.Parser(prog="python -m dashboard.add_row", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help=cli.DATA_DIR_HELP)
    parser.add_argument("--dry-run", action="store_true", help="check the row, print it, write nothing")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation before writing")
    claims = parser.add_argument_group("claim fields (claims.csv)")
    for f in claim_fields:
        claims.add_argument(_flag(f.name), dest=f"claim_{f.name}", metavar="VALUE", help=_help(f))
    sources = parser.add_argument_group("new source (sources.csv + an excerpt file under seeds/)")
    sources.add_argument("--new-source", action="store_true", help="also add the source row named by --source-id")
    for f in source_fields:
        if f.name != "source_id":
            sources.add_argument(_flag(f.name, "source-"), dest=f"source_{f.name}", metavar="VALUE", help=_help(f))
    sources.add_argument("--passage-file", help="text file holding the page's passage, verbatim, for the excerpt")
    return parser


def _help(f: Field) -> str:
    text = ("required. " if f.required else "") + (f.description.split(";")[0] if f.description else "")
    if f.enum:
        text += f" One of: {', '.join(f.enum)}."
    return text.replace("%", "%%")


def _ask(f: Field, default: str = "") -> str:
    allowed = f" [{' | '.join(f.enum)}]" if f.enum else ""
    shown = f" (default {default})" if default else ""
    required = "*" if f.required else ""
    while True:
        answer = input(f"{f.name}{required}{allowed}{shown}: ").strip() or default
        if answer and f.enum and answer not in f.enum:
            print(f"  '{answer}' is not one of: {', '.join(f.enum)}")
            continue
        if not answer and f.required:
            print("  required; please fill it in")
            continue
        return answer


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    data_flag = next((args_list[i + 1] for i, a in enumerate(args_list[:-1]) if a == "--data-dir"), None)
    folder = paths.data_dir(data_flag)
    try:
        package = read_package(folder)
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return cli.EXIT_USAGE
    parser = build_parser(package.claims.fields, package.sources.fields)
    args = parser.parse_args(args_list)
    claim = {f.name: getattr(args, f"claim_{f.name}") for f in package.claims.fields}
    source = None
    if args.new_source:
        source = {f.name: getattr(args, f"source_{f.name}", None) for f in package.sources.fields}
        source["source_id"] = claim.get("source_id")
    interactive = sys.stdin.isatty() and all(v is None for v in claim.values())

    def run() -> int:
        nonlocal claim, source
        if interactive:
            print("Add a row to claims.csv. Fields marked * are required; Enter accepts the default.")
            claim = {f.name: _ask(f, CLAIM_DEFAULTS.get(f.name, "")) for f in package.claims.fields}
            if input("Is the source new (not yet in sources.csv)? [y/N]: ").strip().lower() == "y":
                source = {
                    f.name: (_ask(f, SOURCE_DEFAULTS.get(f.name, "")) if f.name not in ("source_id", "excerpt") else "")
                    for f in package.sources.fields
                }
                source["source_id"] = claim["source_id"]
        else:
            claim = {k: (v if v is not None else CLAIM_DEFAULTS.get(k, "")) for k, v in claim.items()}
            if source is not None:
                source = {k: (v if v is not None else SOURCE_DEFAULTS.get(k, "")) for k, v in source.items()}
        passage = Path(args.passage_file).read_text(encoding="utf-8") if args.passage_file else None
        change = edits.propose(claim, source, passage, folder)
        if change.problems:
            return cli.report(change.problems)
        print("claims.csv  + " + change.lines["claims"])
        if "sources" in change.lines:
            print("sources.csv + " + change.lines["sources"])
        if args.dry_run:
            print("dry run: the row is valid; nothing was written.")
            return cli.EXIT_OK
        if interactive and not args.yes and input("Write these rows? [y/N]: ").strip().lower() != "y":
            print("nothing was written.")
            return cli.EXIT_OK
        edits.write_atomically(change.files)
        print(
            f"written: {', '.join(str(p) for p in change.files)}. Next: python -m dashboard.validate, then the tests."
        )
        return cli.EXIT_OK

    return cli.guarded(run, writes=True)
