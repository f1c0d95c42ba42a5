"""The validator: one good and one bad case for every rule it enforces, and the CLI contract, on fixtures only
(the live dataset is checked in tests/test_live_data.py).

Each rule is a row of RULES: an edit of the small valid fixture (tests/data/good, copied to a temporary folder
by the `good_dir` fixture) that must stay valid, an edit that must break exactly that rule, and the
`file:line: column:` and the phrase the validator must report, up to and including what to do (after the "; ";
"…" stands for any text). The bad case is also run through the command, which must print the same problem on one
line, and through the loader, which must report the same problems rather than raise. Broken inputs that are not a
rule's (encodings, file structure, hostile text) are in tests/test_bad_inputs.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from dashboard.data.load import load_dataset
from dashboard.data.validate import main, validate_dataset
from tests.conftest import GOOD, REPO, read_rows, set_cell, write_rows
from tests.edits import (
    LINES,
    Edit,
    add_source,
    both,
    claim,
    copy_claim,
    copy_line,
    line_of,
    line_row,
    noop,
    source,
    swap_first_rows,
)

TODAY = date.today()
CLAIMS, SOURCES = "claims.csv", "sources.csv"
# Rows of tests/data/good used below (claims.csv and sources.csv are sorted by id).
BAIN = "bain-2024-05-us-europe-artillery-output"  # output, 1300000 shells_per_year
CNN = "cnn-nato-intel-2024-03-russia-250k-month"  # output, 250000 shells_per_month, 2024-03
DEFENSE_ONE = "defense-one-2023-09-us-155mm-output"  # date_precision month, open lower bound
RUTTE_JUL = "rutte-2025-07-nyt-three-times"  # ratio 4–12 vs NATO
RUTTE_NOV = "rutte-2025-11-bucharest-not-anymore"  # ratio, quote ends "." where the page has ","
SIPRI = "sipri-2025-04-russia-milex-2024-pct-gdp"  # spending, pct_gdp, no calibre
ARMY_2025 = "us-army-2025-06-155mm-output"  # quote with a typographic apostrophe (service’s)
TASS = "tass-2025-07-05-rutte-nyt-interview"
UNN = "unn-2024-05-26-sky-news-bain-shells"


def quote_of(row_id: str) -> str:
    return next(r["quote"] for r in read_rows(GOOD / CLAIMS) if r["claim_id"] == row_id)


@dataclass(frozen=True)
class Rule:
    name: str
    good: Edit
    bad: Edit
    file: str
    row: str | int  # the id of the row the problem is on (its n-th occurrence, see `occurrence`), or a line
    column: str
    phrase: str
    occurrence: int = 1


RULES = [
    # ---- types ------------------------------------------------------------------------------------------
    Rule("date-format", claim(CNN, stated_on="2024-03-12"), claim(CNN, stated_on="11/03/2024"), CLAIMS, CNN, "stated_on", "is not a date; write YYYY-MM-DD"),
    Rule("calendar-date", claim(CNN, stated_on="2024-02-29"), claim(CNN, stated_on="2023-02-29"), CLAIMS, CNN, "stated_on", "is not a real calendar date; correct the day or month"),
    Rule("number-format", claim(CNN, value_low="250000.0"), claim(CNN, value_low="2.5e5"), CLAIMS, CNN, "value_low", "'2.5e5' is not a plain number; write digits with an optional decimal point"),
    Rule("number-nan", claim(CNN, value_low=""), claim(CNN, value_low="NaN"), CLAIMS, CNN, "value_low", "is not a number; leave the cell empty for an open bound"),
    Rule("number-inf", claim(CNN, value_high=""), claim(CNN, value_high="inf"), CLAIMS, CNN, "value_high", "is not a number; leave the cell empty for an open bound"),
    Rule("number-thousands", claim(CNN, value_low="250000"), claim(CNN, value_low="250,000"), CLAIMS, CNN, "value_low", "has a thousands separator; write 250000"),
    Rule("source-date-format", source(TASS, published_on=""), source(TASS, published_on="July 2025"), SOURCES, TASS, "published_on", "is not a date; write YYYY-MM-DD"),
    # ---- required, enums, patterns, minimum, maxLength ------------------------------------------------
    Rule("required", claim(CNN, speaker_role=""), claim(CNN, speaker=""), CLAIMS, CNN, "speaker", "is empty but required; fill it in"),
    Rule("required-source", source(TASS, title=""), source(TASS, publisher=""), SOURCES, TASS, "publisher", "is empty but required; fill it in"),
    Rule("enum", claim(CNN, speaker_side="independent"), claim(CNN, speaker_side="NATO"), CLAIMS, CNN, "speaker_side", "is not allowed (did you mean 'nato'?); use one of:"),
    Rule("enum-source-grade", source(TASS, grade="relay"), source(TASS, grade="Primary"), SOURCES, TASS, "grade", "is not allowed (did you mean 'primary'?); use one of: primary, secondary, relay, state_media"),
    Rule("pattern-claim-id", claim(BAIN, claim_id=BAIN + "-2"), claim(BAIN, claim_id=BAIN + "!"), CLAIMS, BAIN + "!", "claim_id", "is not a valid id; use lower-case letters, digits and hyphens"),
    Rule("pattern-language", source(TASS, language="de"), source(TASS, language="english"), SOURCES, TASS, "language", "is not a language code; write the two-letter ISO 639-1 code"),
    Rule("pattern-excerpt", noop, source(TASS, excerpt="excerpts/tass.md"), SOURCES, TASS, "excerpt", "is not an excerpt path; write a path under seeds/ ending in .txt"),
    Rule("minimum", claim(CNN, value_low="0"), claim(CNN, value_low="-1"), CLAIMS, CNN, "value_low", "is negative; values must be ≥ 0"),
    Rule("max-length", claim(CNN, label="x" * 80), claim(CNN, label="x" * 81), CLAIMS, CNN, "label", "is 81 characters long; shorten it to at most 80"),
    Rule("spaces", claim(CNN, notes="inner  spaces are fine"), claim(CNN, subject="Russia "), CLAIMS, CNN, "subject", "has leading or trailing spaces; remove them"),
    Rule("control-character", claim(CNN, notes="a tab\tis fine"), claim(CNN, notes="bell \x07"), CLAIMS, CNN, "notes", "contains a control character; remove it"),
    # ---- keys ------------------------------------------------------------------------------------------
    Rule("primary-key-claims", copy_claim(CNN, claim_id=CNN + "-2", value_low="1", value_high="1"), copy_claim(CNN, value_low="1", value_high="1"), CLAIMS, CNN, "claim_id", f"is already used at line {line_of(GOOD / CLAIMS, CNN)}; give this row a new id", occurrence=2),
    Rule("primary-key-sources", noop, both(add_source(TASS + "-x", like=TASS), source(TASS + "-x", source_id=TASS)), SOURCES, TASS, "source_id", f"is already used at line {line_of(GOOD / SOURCES, TASS)}; give this row a new id", occurrence=2),
    Rule("foreign-key", copy_claim(CNN, claim_id=CNN + "-2", source_id=UNN, quote="", value_low="1", value_high="1"), claim(CNN, source_id="cnn-2024-03-original"), CLAIMS, CNN, "source_id", "is not in sources.csv; add the source row first"),
    # ---- cross-field rules (DESIGN §3) ------------------------------------------------------------------
    Rule("low-le-high", claim(CNN, value_low="200000", value_high="250000"), claim(CNN, value_low="300000", value_high="250000"), CLAIMS, CNN, "value_low", "is greater than value_high 250000; swap them"),
    Rule("period-order", claim(CNN, period_start="2024-03-31", period_end="2024-03-31"), claim(CNN, period_start="2024-04-01"), CLAIMS, CNN, "period_end", "is before period_start 2024-04-01; swap or correct them"),
    Rule("stated-not-future", claim(CNN, stated_on=TODAY.isoformat()), claim(CNN, stated_on=(TODAY + timedelta(days=1)).isoformat()), CLAIMS, CNN, "stated_on", "is in the future; a statement cannot be dated after today"),
    Rule("accessed-not-future", source(TASS, accessed_on=TODAY.isoformat()), source(TASS, accessed_on=(TODAY + timedelta(days=1)).isoformat()), SOURCES, TASS, "accessed_on", "is in the future; write the day the page was read"),
    Rule("published-before-accessed", source(TASS, published_on="2025-07-05", accessed_on="2025-07-05"), source(TASS, published_on="2025-07-05", accessed_on="2025-07-04"), SOURCES, TASS, "published_on", "published_on 2025-07-05 is after accessed_on 2025-07-04; a page cannot be read before it was published"),
    Rule("unit-fits-measure", claim(SIPRI, unit="usd"), claim(CNN, unit="usd"), CLAIMS, CNN, "unit", "unit 'usd' does not fit measure 'output'; use one of: shells, shells_per_month, shells_per_year"),
    Rule("ratio-needs-comparator", claim(RUTTE_JUL, comparator="West"), claim(RUTTE_JUL, comparator=""), CLAIMS, RUTTE_JUL, "comparator", "a ratio claim needs a comparator (compared with whom); fill it in"),
    Rule("comparator-only-for-ratio", claim(CNN, comparator=""), claim(CNN, comparator="NATO"), CLAIMS, CNN, "comparator", "comparator is only for ratio and consumption_ratio claims; empty it or set measure to ratio or consumption_ratio"),
    Rule("calibre-for-shell-units", claim(CNN, caliber="ammunition_unspecified"), claim(CNN, caliber=""), CLAIMS, CNN, "caliber", "a figure in shells needs a calibre; use ammunition_unspecified"),
    Rule("no-figure-needs-quote", claim(CNN, value_low="", value_high=""), claim(CNN, value_low="", value_high="", quote=""), CLAIMS, CNN, "quote", "a statement with no figure needs its verbatim quote; add the quote or the values"),
    Rule("month-precision", claim(CNN, date_precision="month", stated_on="2024-03-01"), claim(CNN, date_precision="month"), CLAIMS, CNN, "stated_on", "date_precision is month; write the first of the month (YYYY-MM-01)"),
    Rule("year-precision", claim(CNN, date_precision="year", stated_on="2024-01-01"), claim(CNN, date_precision="year", stated_on="2024-03-01"), CLAIMS, CNN, "stated_on", "date_precision is year; write YYYY-01-01"),
    Rule("implausibly-large", claim(CNN, value_low="100000000", value_high="100000000"), claim(CNN, value_high="100000001"), CLAIMS, CNN, "value_high", "is implausibly large for unit 'shells_per_month' (more than 1e+08); check for extra zeros"),
    Rule("too-large-for-a-float", noop, claim(CNN, value_high="9" * 400), CLAIMS, CNN, "value_high", "is too large to be a number; check for extra digits"),
    # ---- sources, excerpts and quotes ---------------------------------------------------------------------
    Rule("every-source-used", noop, add_source("zz-uncited-page", like=TASS), SOURCES, "zz-uncited-page", "source_id", "is not cited by any claim; remove it or cite it"),
    Rule("excerpt-exists", noop, lambda f: (f / "seeds" / "excerpts" / f"{TASS}.txt").unlink(), SOURCES, TASS, "excerpt", "does not exist; save the page's passage there"),
    Rule("excerpt-inside-seeds", noop, source(TASS, excerpt="excerpts/../../claims.txt"), SOURCES, TASS, "excerpt", "points outside seeds/; use a path under seeds/"),
    Rule("quote-in-excerpt", claim(RUTTE_JUL, quote="producing three times as much ammunition"), claim(RUTTE_JUL, quote="producing four times as much ammunition"), CLAIMS, RUTTE_JUL, "quote", "quote is not found in seeds/excerpts/tass-2025-07-05-rutte-nyt-interview.txt; copy it verbatim"),
    Rule("quote-whitespace-normalised", claim(RUTTE_JUL, quote="producing  three\ntimes   as much"), claim(RUTTE_JUL, quote="producing three\ntimes as much as"), CLAIMS, RUTTE_JUL, "quote", "quote is not found in seeds/excerpts/…; copy it verbatim from the page"),
    Rule("quote-marks-normalised", claim(ARMY_2025, quote=quote_of(ARMY_2025).replace("\u2019", "'")), claim(ARMY_2025, quote=quote_of(ARMY_2025).replace("\u2019", "")), CLAIMS, ARMY_2025, "quote", "quote is not found in seeds/excerpts/…; copy it verbatim from the page"),
    Rule("quote-final-stop-as-comma", claim(RUTTE_NOV, quote="But not anymore."), claim(RUTTE_NOV, quote="But not anymore!"), CLAIMS, RUTTE_NOV, "quote", "quote is not found in seeds/excerpts/…; copy it verbatim from the page"),
    # ---- URLs ------------------------------------------------------------------------------------------
    Rule("url-https-only", source(TASS, url="https://tass.com/world/1985867?from=x#y"), source(TASS, url="http://tass.com/world/1985867"), SOURCES, TASS, "url", "must start with https:// (plain http and other schemes are refused); find the https page"),
    Rule("url-no-javascript", noop, source(TASS, url="javascript:alert(1)"), SOURCES, TASS, "url", "javascript: URLs are refused; cite the https address"),
    Rule("url-no-data", source(TASS, url="https://tass.com/data:world/1985867"), source(TASS, url="data:text/html,<script>alert(1)</script>"), SOURCES, TASS, "url", "data: URLs are refused; cite the https address"),
    Rule("url-no-bare-ipv6", source(TASS, url="https://tass.com/world/2001:db8::1"), source(TASS, url="https://[2001:db8::1]/world/1985867"), SOURCES, TASS, "url", "is a bare IP address; cite the page under its domain name"),
    Rule("url-no-bare-ip", source(TASS, url="https://www.tass.com/world/1985867"), source(TASS, url="https://192.0.2.7/world/1985867"), SOURCES, TASS, "url", "is a bare IP address; cite the page under its domain name"),
    Rule("url-no-credentials", noop, source(TASS, url="https://me:pw@tass.com/world"), SOURCES, TASS, "url", "must not carry a user name or password; cite the plain https address"),
    # ---- duplicates and order ----------------------------------------------------------------------------
    Rule("no-duplicate-under-another-id", copy_claim(CNN, claim_id=CNN + "-2", period_start="2024-04-01", period_end="2024-04-30"), copy_claim(CNN, claim_id=CNN + "-2"), CLAIMS, CNN + "-2", "claim_id", f"same claim as '{CNN}' at line {line_of(GOOD / CLAIMS, CNN)} under another id; keep one row"),
    Rule("duplicate-ignores-quote-whitespace", noop, copy_claim(CNN, claim_id=CNN + "-2", quote=quote_of(CNN).replace(" ", "  ")), CLAIMS, CNN + "-2", "claim_id", f"same claim as '{CNN}' at line {line_of(GOOD / CLAIMS, CNN)} under another id; keep one row"),
    Rule("claims-sorted", noop, swap_first_rows(CLAIMS), CLAIMS, BAIN, "claim_id", "rows are not sorted by claim_id (…); sort the file by claim_id"),
    Rule("sources-sorted", noop, swap_first_rows(SOURCES), SOURCES, "businessinsider-2024-05-bain-russia-shells-3x", "source_id", "rows are not sorted by source_id (…); sort the file by source_id"),
]  # fmt: skip
# Rules whose bad edit necessarily breaks a second rule too; the intended problem must still be among them.
SIDE_EFFECTS = {
    "foreign-key": "the source the row cited before is no longer cited by any claim",
    "pattern-excerpt": "the file at the malformed path does not exist either",
}

# ---- lines of claims (tests/data/good codes two lines: Rutte's, on RUTTE_JUL as states and RUTTE_NOV as reverses,
# and the US goal, on ARMY_TARGET as states) ------------------------------------------------------------------
ARMY_TARGET = "us-army-2024-02-155mm-target-oct-2025"
RUTTE_LINE, US_LINE = "rutte-three-months", "us-155mm-100k-a-month"  # lines.csv lines 2 and 3
LINE_RULES = [
    Rule("line-known", claim(RUTTE_NOV, line_relation="retracts"), claim(RUTTE_NOV, line_id="rutte-three-month"), CLAIMS, RUTTE_NOV, "line_id", "'rutte-three-month' is not in lines.csv (did you mean 'rutte-three-months'?); add the line first (python -m dashboard.add_line) or correct the id"),
    Rule("line-at-most-one", noop, claim(RUTTE_NOV, line_id=f"{RUTTE_LINE};{US_LINE}"), CLAIMS, RUTTE_NOV, "line_id", "names 2 lines; a claim belongs to at most one line: keep the one whose assertion the row makes"),
    Rule("line-needs-relation", claim(RUTTE_NOV, line_id="", line_relation=""), claim(RUTTE_NOV, line_relation=""), CLAIMS, RUTTE_NOV, "line_relation", "is empty but line_id is 'rutte-three-months'; give the row's relation to its line"),
    Rule("relation-needs-line", noop, claim(CNN, line_relation="states"), CLAIMS, CNN, "line_id", "is empty but line_relation is 'states'; give the id of the line in lines.csv, or empty line_relation"),
    Rule("relation-enum", claim(RUTTE_NOV, line_relation="retracts"), claim(RUTTE_NOV, line_relation="reversed"), CLAIMS, RUTTE_NOV, "line_relation", "'reversed' is not allowed (did you mean 'reverses'?); use one of: states, varies, tracks, retracts, reverses"),
    Rule("line-unit", noop, claim(RUTTE_NOV, measure="growth", unit="multiplier", comparator=""), CLAIMS, RUTTE_NOV, "unit", "unit 'multiplier' is not the unit of line 'rutte-three-months' ('ratio', lines.csv:2); every instance of a line carries its unit"),
    Rule("tracks-only-in-goal", both(claim(RUTTE_NOV, line_relation="tracks"), line_row(RUTTE_LINE, kind="goal")), claim(RUTTE_NOV, line_relation="tracks"), CLAIMS, RUTTE_NOV, "line_relation", "'tracks' is for goal lines only, and 'rutte-three-months' is a claim line (lines.csv:2); code the row states or varies"),
    Rule("states-agree", claim(RUTTE_NOV, line_relation="varies"), claim(RUTTE_NOV, line_relation="states"), CLAIMS, RUTTE_NOV, "line_relation", f"line 'rutte-three-months' is stated as 12 at line {line_of(GOOD / CLAIMS, RUTTE_JUL)} but as at most 1 here; a states row carries the line's usual figure: code this row varies"),
    Rule("reversal-after-an-instance", claim(RUTTE_NOV, stated_on="2025-07-06"), claim(RUTTE_NOV, stated_on="2025-07-01"), CLAIMS, RUTTE_NOV, "line_relation", "a reversal with no earlier instance: line 'rutte-three-months' has no states or varies row stated before 2025-07-01; code the earlier instance first"),
    Rule("retraction-after-an-instance", claim(RUTTE_NOV, line_relation="retracts", stated_on="2025-07-06"), claim(RUTTE_NOV, line_relation="retracts", stated_on="2025-07-05"), CLAIMS, RUTTE_NOV, "line_relation", "a retraction with no earlier instance: line 'rutte-three-months' has no states or varies row stated before 2025-07-05; code the earlier instance first"),
    Rule("every-line-used", line_row(US_LINE, title="The US goal of 100,000 shells a month"), claim(ARMY_TARGET, line_id="", line_relation=""), LINES, 3, "line_id", "line 'us-155mm-100k-a-month' is not used by any claim; code its instances"),
    Rule("every-line-stated", both(claim(RUTTE_JUL, line_relation="varies"), claim(RUTTE_NOV, line_relation="states")), claim(RUTTE_JUL, line_relation="varies"), LINES, 2, "line_id", "line 'rutte-three-months' has no states claim; code the instance that says it in its usual form as states"),
    Rule("line-kind-enum", line_row(RUTTE_LINE, kind="goal"), line_row(RUTTE_LINE, kind="pledge"), LINES, 2, "kind", "'pledge' is not allowed; use one of: claim, goal"),
    Rule("line-unit-fits-measure", line_row(US_LINE, measure="output"), line_row(RUTTE_LINE, measure="growth"), LINES, 2, "unit", "unit 'ratio' does not fit measure 'growth'; use one of: multiplier"),
    Rule("primary-key-lines", noop, copy_line(RUTTE_LINE), LINES, 3, "line_id", "'rutte-three-months' is already used at line 2; give this row a new id"),
    Rule("lines-sorted", noop, swap_first_rows(LINES), LINES, 3, "line_id", "rows are not sorted by line_id ('rutte-three-months' comes after 'us-155mm-100k-a-month'); sort the file by line_id"),
]  # fmt: skip
RULES += LINE_RULES


def _problems(folder: Path) -> list:
    return validate_dataset(folder, today=TODAY).problems


def says(message: str, phrase: str) -> bool:
    """The phrase is in the message, "…" standing for any text (a file name, a value the row holds)."""
    at = 0
    for part in phrase.split("…"):
        at = message.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def test_the_rules_table() -> None:
    assert len({rule.name for rule in RULES}) == len(RULES), "rule names are unique"
    assert set(SIDE_EFFECTS) <= {rule.name for rule in RULES}
    for rule in RULES:  # each expected message goes on to what to do, so the test checks those words too
        assert "; " in rule.phrase and rule.phrase.split("; ")[-1].strip(), rule.name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_good_case(good_dir: Path, rule: Rule) -> None:
    rule.good(good_dir)
    assert [str(p) for p in _problems(good_dir)] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_bad_case(good_dir: Path, rule: Rule, capsys: pytest.CaptureFixture[str]) -> None:
    rule.bad(good_dir)
    problems = _problems(good_dir)
    file = good_dir / rule.file
    line = rule.row if isinstance(rule.row, int) else line_of(file, rule.row, rule.occurrence)
    printed = [f"{Path(p.path).name}:{p.line}: {p.column or '-'}: {p.message}" for p in problems]
    hits = [
        p
        for p in problems
        if Path(p.path).name == file.name and (p.line, p.column) == (line, rule.column) and says(p.message, rule.phrase)
    ]
    assert hits, f"expected {file.name}:{line}: {rule.column}: …{rule.phrase}… among {printed}"
    assert all(Path(p.path).resolve() == file.resolve() for p in problems if p.line == line and p.column == rule.column)
    if rule.name not in SIDE_EFFECTS:
        assert len(problems) == 1, printed
    assert all(re.search(r"; \S", p.message) for p in problems), f"a problem that does not say what to do: {printed}"

    # the command prints the same problem on one `path:line: column: message` line and exits 1
    assert main([str(good_dir)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    suffix = f"{rule.file}:{line}: {rule.column}: {hits[0].message}"
    assert any(out_line.endswith(suffix) for out_line in out.splitlines()), out
    # the loader reports the same problems (never raises, never builds frames from a table that failed)
    loaded = load_dataset(good_dir)
    assert loaded.dataset is None and [str(p) for p in loaded.problems] == [str(p) for p in problems]


# ---- the command line ------------------------------------------------------------------------------------
LINE_RE = re.compile(r"^.+:\d+: [^:\s][^:]*: .+$")


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DASHBOARD_DATA_DIR", "DASHBOARD_SEEDS_DIR")}
    environment["PYTHONPATH"] = str(REPO)  # so `-m dashboard.validate` works from any working folder
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard.validate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
        check=False,
    )


def checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


def test_cli_good_folder_exits_0(good_dir: Path) -> None:
    before = checksum(good_dir)
    result = run_cli(str(good_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ") and "10 claims, 10 sources" in result.stdout
    assert_no_traceback(result)
    assert checksum(good_dir) == before


def test_cli_bad_folder_exits_1_with_one_line_per_problem(good_dir: Path) -> None:
    set_cell(good_dir / CLAIMS, CNN, "stated_on", "2025-02-30")
    set_cell(good_dir / SOURCES, TASS, "url", "javascript:alert(1)")
    before = checksum(good_dir)
    result = run_cli(str(good_dir))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(LINE_RE.match(line) for line in lines), lines
    assert lines[0].endswith(
        f"claims.csv:{line_of(good_dir / CLAIMS, CNN)}: stated_on: 2025-02-30 is not a real calendar date; correct the day or month"
    )
    assert f"sources.csv:{line_of(good_dir / SOURCES, TASS)}: url: javascript: URLs are refused" in lines[1]
    assert "2 problem(s) found" in result.stderr
    assert_no_traceback(result)
    assert checksum(good_dir) == before


def test_cli_paths_are_relative_to_the_working_folder(good_dir: Path) -> None:
    set_cell(good_dir / CLAIMS, CNN, "speaker", "")
    result = run_cli(good_dir.name, cwd=good_dir.parent)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{good_dir.name}/claims.csv:{line_of(good_dir / CLAIMS, CNN)}: speaker: ")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("/nonexistent/shell-count-dataset",), id="missing-folder"),
        pytest.param(("a", "b"), id="two-folders"),
        pytest.param(("--no-such-option",), id="unknown-option"),
        pytest.param((str(GOOD / CLAIMS),), id="a-file-not-a-folder"),
    ],
)
def test_cli_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() and len(result.stderr.splitlines()) <= 2
    assert_no_traceback(result)


def test_cli_honours_dashboard_data_dir(good_dir: Path) -> None:
    assert run_cli(env={"DASHBOARD_DATA_DIR": str(good_dir)}).stdout.startswith("OK: ")
    set_cell(good_dir / CLAIMS, CNN, "measure", "outputs")
    result = run_cli(env={"DASHBOARD_DATA_DIR": str(good_dir)})
    assert result.returncode == 1
    assert f"claims.csv:{line_of(good_dir / CLAIMS, CNN)}: measure: 'outputs' is not allowed" in result.stdout
    missing = run_cli(env={"DASHBOARD_DATA_DIR": str(good_dir / "nope")})
    assert missing.returncode == 2
    # an explicit folder wins over the variable
    assert run_cli(str(GOOD), env={"DASHBOARD_DATA_DIR": str(good_dir)}).returncode == 0


def test_cli_hostile_cells_print_on_one_line(good_dir: Path) -> None:
    """A header or cell with line breaks or terminal escapes must not break `path:line: column: message`."""
    rows = read_rows(good_dir / CLAIMS)
    rows[0]["claim_id"] = "bad\x1b[2Jid\nnext"
    write_rows(good_dir / CLAIMS, rows)
    result = run_cli(str(good_dir))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout
    assert all(LINE_RE.match(line) for line in result.stdout.splitlines()), result.stdout


def test_main_in_process_never_raises(good_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (good_dir / "datapackage.json").write_bytes(b"\xff\xfe{")
    assert main([str(good_dir)]) == 1
    out, err = capsys.readouterr()
    assert "datapackage.json:1: -: is not valid UTF-8; re-save it as UTF-8" in out
    assert "Traceback" not in err


def test_an_older_package_without_lines_still_validates(good_dir: Path) -> None:
    from tests.test_load import older_package

    report = validate_dataset(older_package(good_dir), today=TODAY)
    assert [str(p) for p in report.problems] == [] and report.lines is None
    assert main([str(good_dir)]) == 0
