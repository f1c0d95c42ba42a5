"""Add a sourced row to the dataset, safely.

    python -m dashboard.add_row                      # asks for each field, showing allowed values
    python -m dashboard.add_row --claim-id … --source-id … [--new-source --source-url … --passage "…"]
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
from dashboard.data.cells import parse_date, parse_number
from dashboard.data.schema import LINE_COLUMNS, Field, Package, SchemaError, read_package
from dashboard.maintain import edits

# What the tool fills in when a value is not given: these flags are optional even where the column is required.
CLAIM_DEFAULTS = {"date_precision": "day"}
SOURCE_DEFAULTS = {"accessed_on": date.today().isoformat(), "language": "en"}
SOURCE_DEFAULT_HELP = {"accessed_on": "today", "excerpt": "excerpts/<source-id>.txt, written from the passage"}


def flag(name: str, prefix: str = "") -> str:
    return "--" + prefix + name.replace("_", "-")


def build_parser(claim_fields: tuple[Field, ...], source_fields: tuple[Field, ...]) -> cli.Parser:
    parser = cli.Parser(prog="python -m dashboard.add_row", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help=cli.DATA_DIR_HELP)
    parser.add_argument("--dry-run", action="store_true", help="check the row, print it, write nothing")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation before writing")
    claims = parser.add_argument_group("claim fields (claims.csv)")
    for f in claim_fields:
        claims.add_argument(
            flag(f.name), dest=f"claim_{f.name}", metavar="VALUE", help=field_help(f, CLAIM_DEFAULTS.get(f.name, ""))
        )
    sources = parser.add_argument_group("new source (sources.csv + an excerpt file under seeds/)")
    sources.add_argument("--new-source", action="store_true", help="also add the source row named by --source-id")
    for f in source_fields:
        if f.name != "source_id":
            default = SOURCE_DEFAULT_HELP.get(f.name) or SOURCE_DEFAULTS.get(f.name, "")
            help_text = field_help(f, default, " with --new-source")
            sources.add_argument(flag(f.name, "source-"), dest=f"source_{f.name}", metavar="VALUE", help=help_text)
    passage = sources.add_mutually_exclusive_group()
    passage.add_argument(
        "--passage",
        metavar="TEXT",
        help="with --new-source: the page's passage that carries the quote and the figures, verbatim; it becomes "
        "the source's excerpt file (the quote must be found in it)",
    )
    passage.add_argument(
        "--passage-file",
        metavar="FILE",
        help="the same, read from a text file you saved (- reads standard input); for a long passage",
    )
    return parser


def package_for(argv: list[str]) -> tuple[Path, Package] | None:
    """The dataset folder and its schema, read before the parser is built (the flags come from the schema); None,
    after one line on stderr, when the folder is missing or its datapackage.json cannot be read."""
    folder = paths.data_dir(cli.data_dir_flag(argv))
    if cli.missing_folder(folder) and not {"-h", "--help"} & set(argv):
        return None
    try:
        return folder, read_package(folder)
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def field_help(f: Field, default: str = "", required_when: str = "") -> str:
    """A flag's help: 'required' only when the row cannot do without the flag (no default fills it in)."""
    text = f"required{required_when}. " if f.required and not default else ""
    if f.description:
        text += _first_clause(f.description) + "."
    if f.enum:
        text += f" One of: {', '.join(f.enum)}."
    if default:
        text += f" Default: {default}."
    return text.replace("%", "%%")


def _first_clause(description: str) -> str:
    """The description up to its first ';' outside parentheses (one in a parenthesis is part of a definition)."""
    depth = 0
    for i, char in enumerate(description):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            return description[:i].rstrip(". ")
    return description.rstrip(". ")


def answer_problem(f: Field, answer: str) -> str | None:
    """What is wrong with an answer at a prompt, judged on its own (the whole row is checked at the end)."""
    if not answer:
        return "required; please fill it in" if f.required else None
    if f.enum and answer not in f.enum:
        return f"'{answer}' is not one of: {', '.join(f.enum)}"
    if f.type == "date" and parse_date(answer) is None:
        return f"'{answer}' is not a real date; write YYYY-MM-DD, e.g. 2025-06-30"
    if f.type == "number" and parse_number(answer) is None:
        return f"'{answer}' is not a plain number; write digits only (a decimal point if needed), e.g. 350000"
    if f.compiled_pattern and not f.compiled_pattern.match(answer):
        return f"'{answer}' does not have the form this column needs ({_first_clause(f.description) or f.name})"
    if edits.PLACEHOLDER_RE.fullmatch(answer):
        return f"'{answer}' only holds a place; write the real value" + ("" if f.required else ", or leave it empty")
    return None


def _ask(f: Field, default: str = "") -> str:
    allowed = f" [{' | '.join(f.enum)}]" if f.enum else ""
    shown = f" (default {default})" if default else ""
    required = "*" if f.required else ""
    while True:
        answer = input(f"{f.name}{required}{allowed}{shown}: ").strip() or default
        problem = answer_problem(f, answer)
        if problem is None:
            return answer
        print(f"  {problem}")


def _ask_passage() -> str:
    print("Paste the page's passage that carries the quote and the figures, verbatim; end with an empty line.")
    lines: list[str] = []
    while line := input("> " if not lines else "  "):
        lines.append(line)
    return "\n".join(lines)


def _read_passage(name: str) -> str:
    return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    read = package_for(args_list)
    if read is None:
        return cli.EXIT_USAGE
    folder, package = read
    parser = build_parser(package.claims.fields, package.sources.fields)
    args = parser.parse_args(args_list)
    if (args.passage is not None or args.passage_file) and not args.new_source:
        parser.error("--passage and --passage-file give a new source's excerpt; add --new-source")
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
            # A claim's line is coded once the row is in and its line checked (correct_row --set line_id=…), so
            # the prompts leave it out; --line-id and --line-relation set it in one go.
            asked = (f for f in package.claims.fields if f.name not in LINE_COLUMNS)
            claim = {f.name: _ask(f, CLAIM_DEFAULTS.get(f.name, "")) for f in asked}
            if input("Is the source new (not yet in sources.csv)? [y/N]: ").strip().lower() == "y":
                source = {
                    f.name: (_ask(f, SOURCE_DEFAULTS.get(f.name, "")) if f.name not in ("source_id", "excerpt") else "")
                    for f in package.sources.fields
                }
                source["source_id"] = claim["source_id"]
                if args.passage is None and not args.passage_file:
                    args.passage = _ask_passage()
        else:
            claim = {k: (v if v is not None else CLAIM_DEFAULTS.get(k, "")) for k, v in claim.items()}
            if source is not None:
                source = {k: (v if v is not None else SOURCE_DEFAULTS.get(k, "")) for k, v in source.items()}
        passage = _read_passage(args.passage_file) if args.passage_file else args.passage
        change = edits.propose(claim, source, passage, folder)
        if change.problems:
            return cli.report(change.problems)
        print("claims.csv  + " + change.lines["claims"])
        if "sources" in change.lines:
            print("sources.csv + " + change.lines["sources"])
            seeds = paths.seeds_dir(folder).resolve()
            for excerpt in (p for p in change.files if seeds in p.parents):
                print(f"seeds/{excerpt.relative_to(seeds).as_posix()} (new excerpt file)")
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
