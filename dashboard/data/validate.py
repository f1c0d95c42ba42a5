"""Validate a Shell Count dataset folder: library and command line.

    python -m dashboard.validate [DATASET_DIR]

Exit 0 when valid, 1 with one `path:line: column: message` per problem, 2 on bad usage or a missing
folder. The package descriptor is checked by frictionless; every row is then checked against the
same descriptor (types, required, enums, patterns, bounds, keys) and against the rules of
DESIGN §3. Row checks are our own rather than frictionless's row validation because we need the
physical line of each cell and a fix in every message, and because frictionless takes ~4 s for
100,000 rows on its own (see bench/RESULTS.md). Nothing here writes a file.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import operator
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import compress, islice
from pathlib import Path
from urllib.parse import urlsplit

from dashboard import cli
from dashboard.data import paths
from dashboard.data.cells import CELL_CONTROL_RE, DATE_RE, NUMBER_RE, parse_date, parse_number
from dashboard.data.csvfile import Problem, Table, display_path, read_table, shorten
from dashboard.data.quotes import excerpt_body, normalise_quote, quote_in
from dashboard.data.quotes import found as found_in
from dashboard.data.schema import Field, Package, Resource, read_descriptor

__all__ = ["Problem", "Report", "main", "normalise_quote", "quote_in", "validate_dataset", "validate_rows"]

# How a person writes two line ids in one cell: "a;b", "a, b", "a b", "a|b", "a/b".
LINE_ID_SEPARATOR_RE = re.compile(r"[\s,;|/+&]+")
# Upper bounds of plausibility per unit: a cell past these is a typo (extra zeros), not a finding.
UNIT_MAXIMUM = {
    "shells": 1e9, "shells_per_month": 1e8, "shells_per_year": 1e9, "ratio": 1000.0,
    "multiplier": 1000.0, "pct_gdp": 100.0, "usd": 1e13, "rub": 1e15,
}  # fmt: skip


@dataclass
class Report:
    """What the validator found, and what it read: the loader builds its frames from these same tables, so
    the dataset is read and parsed once."""

    problems: list[Problem] = field(default_factory=list)
    claims: int = 0
    sources: int = 0
    lines: int | None = None  # None when the package declares no lines
    version: str = ""
    package: Package | None = None  # None when the descriptor itself cannot be used
    tables: dict[str, Table] = field(default_factory=dict, repr=False)  # resource name → its rows as read

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Rows:
    """The rows of one table that have the header's width, column by column: each row's first line, and its
    cells under each column name (the checked table's own sequences, not copies)."""

    lines: Sequence[int] = ()
    cells: dict[str, Sequence[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, name: str) -> Sequence[str]:
        return self.cells[name]


def _hint(value: str, allowed: Iterable[str]) -> str:
    return _closest(value, tuple(allowed))


@lru_cache(maxsize=256)  # difflib is slow; 100,000 rows citing one unknown source ask the same question
def _closest(value: str, allowed: tuple[str, ...]) -> str:
    # Case first: difflib sees 'NATO' and 'nato' as unrelated.
    close = [a for a in allowed if a.lower() == value.lower()] or difflib.get_close_matches(
        value, allowed, n=1, cutoff=0.6
    )
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_url(url: str) -> str | None:
    """Why a source URL is refused, or None when it is an https page on a named host."""
    lowered = url.strip().lower()
    for scheme in ("javascript:", "data:", "vbscript:", "file:"):
        if lowered.startswith(scheme):
            return f"{scheme} URLs are refused; cite the https address of the page read"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "is not a valid URL; cite the https address of the page read"
    if parts.scheme != "https":
        return "must start with https:// (plain http and other schemes are refused); find the https page"
    if parts.username or parts.password or "@" in parts.netloc:
        return "must not carry a user name or password; cite the plain https address"
    if not host or host.endswith("."):
        return "has no proper host name; cite the page's https address"
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return "is a bare IP address; cite the page under its domain name, or leave the fact out"
    if "." not in host:
        return "host has no domain (e.g. example.org); cite the page's public address"
    if any(ch.isspace() for ch in url):
        return "contains spaces; percent-encode them or copy the address again"
    return None


class _Checker:
    """Schema-driven checks of one dataset folder. Collects problems; never raises for bad data."""

    def __init__(self, package: Package, seeds: Path, today: date, overrides: dict[str, str] | None = None):
        self.overrides = overrides or {}  # excerpt path → text not yet on disk (a proposed new source)
        self.package = package
        self.seeds = seeds
        self.today = today
        self.problems: list[Problem] = []
        self._normalised: dict[str, str] = {}

    def add(self, path: str, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(path, line, column, message))

    # ---- one table -------------------------------------------------------------------------
    def header(self, table: Table, resource: Resource, rows_required: bool = True) -> bool:
        """The header names the declared columns in order. `rows_required`: a file with no rows is a problem (claims
        and sources; a package may declare lines before it has any)."""
        expected = list(resource.field_names)
        got = table.header
        seen: dict[str, int] = {}
        ok = True
        for i, name in enumerate(got, start=1):
            if not name.strip():
                self.add(table.path, 1, "", f"column {i} of the header has no name; name it or remove the column")
                ok = False
            elif name in seen:
                self.add(table.path, 1, name, f"column appears twice (columns {seen[name]} and {i}); remove one")
                ok = False
            seen.setdefault(name, i)
        missing = [n for n in expected if n not in seen]
        extra = [n for n in got if n not in expected and n.strip()]
        for name in extra:
            hint = _hint(name, missing)
            if name.strip() != name:
                hint = " (remove the spaces around the name)"
            self.add(
                table.path, 1, name, f"unknown column{hint}; rename or remove it, or declare it in datapackage.json"
            )
            ok = False
        for name in missing:
            self.add(table.path, 1, name, "column is missing from the header; add it (see datasets/README.md)")
            ok = False
        if ok and got != expected:
            self.add(table.path, 1, "", "columns are out of order; the header must be: " + ",".join(expected))
            ok = False
        if ok and rows_required and not table.row_count and not table.problems:  # a cut-short file says so already
            self.add(table.path, 1, "", "file has a header but no rows; add at least one row")
        return ok

    def cells(self, table: Table, resource: Resource) -> Rows:
        """Type and constraint checks of every cell; returns the rows that have the right width, as columns."""
        width = len(resource.field_names)
        for line, cells in table.ragged:
            self.add(table.path, line, "", f"row has {len(cells)} cells but the header has {width}; "
                     "quote cells that contain commas, and check for a missing or extra cell")  # fmt: skip
        lines = table.lines
        # Column by column, each distinct value judged once: at 100,000 rows the enums, dates and source
        # ids repeat, and a clean column costs one set() instead of a function call per cell.
        found: list[Problem] = []
        for f, column in zip(resource.fields, table.columns, strict=True):
            distinct = set(column)
            if _column_clean(f, distinct):
                continue
            verdicts = {value: self.cell_message(f, value) for value in distinct}
            if any(verdicts.values()):
                found += [
                    Problem(table.path, lines[i], f.name, verdicts[v]) for i, v in enumerate(column) if verdicts[v]
                ]
        found.sort(key=lambda p: p.line)  # row by row, columns in file order, as a person reads the file
        self.problems += found
        return Rows(lines, dict(zip(resource.field_names, table.columns, strict=True)))

    def cell_message(self, f: Field, value: str) -> str | None:
        """What is wrong with one cell value of field f, or None."""
        if value == "":
            if not f.required:
                return None
            return "is empty but required; fill it in" + (f" ({f.description})" if f.description else "")
        if value != value.strip():
            return "has leading or trailing spaces; remove them"
        if CELL_CONTROL_RE.search(value):
            return "contains a control character; remove it"
        if f.type == "date":
            if not DATE_RE.match(value):
                return f"'{shorten(value)}' is not a date; write YYYY-MM-DD"
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"{value} is not a real calendar date; correct the day or month"
            return None
        if f.type == "number":
            return self.number_message(value, f.minimum)
        if f.enum and value not in f.enum:
            return f"'{shorten(value)}' is not allowed{_hint(value, f.enum)}; use one of: {', '.join(f.enum)}"
        if f.max_length is not None and len(value) > f.max_length:
            return f"is {len(value)} characters long; shorten it to at most {f.max_length}"
        pattern = f.compiled_pattern
        if pattern and not pattern.match(value):
            if f.name == "url":
                return check_url(value) or f"'{shorten(value)}' is not an https page address"
            if f.name in ("claim_id", "source_id", "line_id"):
                return f"'{shorten(value)}' is not a valid id; use lower-case letters, digits and hyphens, starting with a letter or digit"
            if f.name == "language":
                return f"'{shorten(value)}' is not a language code; write the two-letter ISO 639-1 code in lower case (e.g. en)"
            if f.name == "excerpt":
                return f"'{shorten(value)}' is not an excerpt path; write a path under seeds/ ending in .txt, e.g. excerpts/<source_id>.txt"
            return f"'{shorten(value)}' does not match the pattern {pattern.pattern}; correct it to that form"
        if f.name == "url":
            return check_url(value)
        return None

    @staticmethod
    def number_message(value: str, minimum: float | None) -> str | None:
        if NUMBER_RE.match(value):  # the common case first; the diagnoses below are for what is not
            number = float(value)
            if not math.isfinite(number):
                return f"'{shorten(value)}' is too large to be a number; check for extra digits"
            if minimum is not None and number < minimum:
                return f"{value} is below the minimum {minimum:g}; correct it"
            return None
        lowered = value.lower().lstrip("+-")
        if lowered in ("nan", "inf", "infinity"):
            return f"'{value}' is not a number; leave the cell empty for an open bound"
        if "," in value and NUMBER_RE.match(value.replace(",", "").lstrip("-")):
            return f"'{value}' has a thousands separator; write {value.replace(',', '')}"
        if value.startswith("-") and NUMBER_RE.match(value[1:]):
            return f"{value} is negative; values must be ≥ {minimum or 0}"
        return f"'{shorten(value)}' is not a plain number; write digits with an optional decimal point (e.g. 250000 or 6.3)"

    def unique(self, path: str, rows: Rows, resource: Resource) -> None:
        for f in resource.fields:
            if not f.unique or not rows:
                continue
            column = rows[f.name]
            if len(set(column) - {""}) == len(column) - column.count(""):  # no value twice: nothing to name
                continue
            first: dict[str, int] = {}
            for line, value in zip(rows.lines, column, strict=True):
                if not value:
                    continue
                if value in first:
                    self.add(
                        path, line, f.name, f"'{value}' is already used at line {first[value]}; give this row a new id"
                    )
                else:
                    first[value] = line

    def sorted_by(self, path: str, rows: Rows, key: str) -> None:
        column = rows.cells.get(key, ())
        if all(map(operator.ge, islice(column, 1, None), column)):  # sorted: the common case, in one C loop
            return
        previous = None
        for line, value in zip(rows.lines, column, strict=True):
            if previous is not None and value < previous:
                self.add(
                    path,
                    line,
                    key,
                    f"rows are not sorted by {key} ('{shorten(value)}' comes after '{shorten(previous)}'); sort the file by {key}",
                )
                return
            previous = value

    # ---- claims rules (DESIGN §3) ----------------------------------------------------------
    def claim_rules(self, path: str, rows: Rows) -> list[tuple[int, int, Problem]]:
        """The cross-field rules of every claim, as (row, rule, problem) so that the caller can report them row
        by row in rule order. Each rule is one vectorised test over the columns; only the rows it flags get words."""
        if not rows:
            return []
        pkg = self.package
        n = len(rows)
        cells = rows.cells
        low_text, high_text = cells["value_low"], cells["value_high"]
        measure, unit, comparator = cells["measure"], cells["unit"], cells["comparator"]
        low, high = _numbers(low_text), _numbers(high_text)
        found: list[tuple[int, int, Problem]] = []

        def flag(rule: int, mask: list[bool], column: str, message: Callable[[int], str]) -> None:
            found.extend((i, rule, Problem(path, rows.lines[i], column, message(i))) for i in compress(range(n), mask))

        flag(
            0,
            _greater(low, high),
            "value_low",
            lambda i: f"value_low {low_text[i]} is greater than value_high {high_text[i]}; swap them",
        )
        flag(
            1,
            _both(_both(_missing(low), _missing(high)), _where(cells["quote"], n, lambda q: not q)),
            "quote",
            lambda i: "a statement with no figure needs its verbatim quote; add the quote or the values",
        )
        misfit = {
            (m, u)
            for m, u in set(zip(measure, unit, strict=True))
            if pkg.units_by_measure.get(m) and u and u not in pkg.units_by_measure[m]
        }
        if misfit:
            flag(
                2,
                list(map(misfit.__contains__, zip(measure, unit, strict=True))),
                "unit",
                lambda i: (
                    f"unit '{unit[i]}' does not fit measure '{measure[i]}'; use one of: "
                    f"{', '.join(pkg.units_by_measure[measure[i]])}"
                ),
            )
        maximum = _mapped(unit, lambda u: UNIT_MAXIMUM.get(u, math.nan))
        for rule, (col, values, text) in enumerate((("value_low", low, low_text), ("value_high", high, high_text)), 3):
            flag(
                rule,
                _greater(values, maximum),
                col,
                lambda i, text=text: (
                    f"{text[i]} is implausibly large for unit '{unit[i]}' (more than "
                    f"{UNIT_MAXIMUM[unit[i]]:g}); check for extra zeros"
                ),
            )
        compared = pkg.comparator_measures
        no_comparator = _where(comparator, n, lambda c: not c)
        flag(
            5,
            _both(_where(measure, n, lambda m: m in compared), no_comparator),
            "comparator",
            lambda i: f"a {measure[i]} claim needs a comparator (compared with whom); fill it in",
        )
        flag(
            6,
            _both(_where(measure, n, lambda m: bool(m) and m not in compared), _where(comparator, n, bool)),
            "comparator",
            lambda i: (
                f"comparator is only for {' and '.join(compared)} claims; empty it or set measure to "
                f"{' or '.join(compared)} (measure is '{measure[i]}')"
            ),
        )
        flag(
            7,
            _both(
                _where(unit, n, lambda u: u in pkg.caliber_required_for_units),
                _where(cells["caliber"], n, lambda c: not c),
            ),
            "caliber",
            lambda i: "a figure in shells needs a calibre; use ammunition_unspecified when the source names none",
        )
        start, end = _days(cells["period_start"]), _days(cells["period_end"])
        start_text, end_text, stated_text = cells["period_start"], cells["period_end"], cells["stated_on"]
        flag(
            8,
            _greater(start, end),
            "period_end",
            lambda i: f"period_end {end_text[i]} is before period_start {start_text[i]}; swap or correct them",
        )
        stated = _days(stated_text)
        flag(
            9,
            _greater(stated, [float(self.today.toordinal())] * n),
            "stated_on",
            lambda i: f"{stated_text[i]} is in the future; a statement cannot be dated after today ({self.today})",
        )
        precision = cells["date_precision"]
        not_first_of_month = _where(stated_text, n, lambda d: (day := parse_date(d)) is not None and day.day != 1)
        not_new_year = _where(
            stated_text, n, lambda d: (day := parse_date(d)) is not None and (day.month, day.day) != (1, 1)
        )
        flag(
            10,
            _both(_where(precision, n, lambda p: p == "month"), not_first_of_month),
            "stated_on",
            lambda i: "date_precision is month; write the first of the month (YYYY-MM-01)",
        )
        flag(
            11,
            _both(_where(precision, n, lambda p: p == "year"), not_new_year),
            "stated_on",
            lambda i: "date_precision is year; write YYYY-01-01",
        )
        return found

    def normalised(self, quote: str) -> str:
        """normalise_quote, once per distinct quote (the duplicate check and the excerpt check share it)."""
        done = self._normalised.get(quote)
        if done is None:
            done = self._normalised[quote] = normalise_quote(quote)
        return done

    def duplicates(self, path: str, rows: Rows) -> None:
        key_cols = [c for c in self.package.duplicate_key if c in self.package.claims.field_names]
        if not key_cols or not rows:
            return
        columns = [rows[c] for c in key_cols]
        if "quote" in key_cols:
            at = key_cols.index("quote")
            normalised = {quote: self.normalised(quote) for quote in set(columns[at])}
            columns[at] = list(map(normalised.__getitem__, columns[at]))
        keys = list(zip(*columns, strict=True))
        if len(set(keys)) == len(keys):  # no two rows alike: nothing to name
            return
        seen: dict[tuple, tuple[int, str]] = {}
        for line, key, claim_id in zip(rows.lines, keys, rows["claim_id"], strict=True):
            if key not in seen:
                seen[key] = (line, claim_id)
                continue
            other_line, other_id = seen[key]
            if other_id != claim_id:  # the same id twice is reported once, by the unique check
                self.add(
                    path,
                    line,
                    "claim_id",
                    f"same claim as '{other_id}' at line {other_line} under another id; keep one row",
                )

    # ---- lines of claims (datasets/README.md, Lines) ---------------------------------------
    def line_rules(
        self, path: str, rows: Rows, lines: Rows, lines_file: str, known: bool
    ) -> list[tuple[int, int, Problem]]:
        """Each claim's line and relation, as (row, rule, problem) like claim_rules. `lines` are the rows of
        lines.csv (named `lines_file` in messages); `known`: that file was read whole, so an id it lacks is unknown
        (not lost to a broken row).
        Only the few rows that name a line (or a relation) are looked at one by one."""
        if "line_id" not in rows.cells or not rows:
            return []
        n = len(rows)
        ids = rows["line_id"]
        relations = rows.cells.get("line_relation", ("",) * n)
        coded = [
            i for i, (a, b) in enumerate(zip(_where(ids, n, bool), _where(relations, n, bool), strict=True)) if a or b
        ]
        if not coded:
            return []
        line_at = dict(zip(lines.cells.get("line_id", ()), lines.lines, strict=True))
        unit_of = dict(zip(lines.cells.get("line_id", ()), lines.cells.get("unit", ()), strict=True))
        kind_of = dict(zip(lines.cells.get("line_id", ()), lines.cells.get("kind", ()), strict=True))
        units, stated = rows["unit"], rows["stated_on"]
        low_text, high_text = rows["value_low"], rows["value_high"]
        found: list[tuple[int, int, Problem]] = []

        def add(i: int, rule: int, column: str, message: str) -> None:
            found.append((i, rule, Problem(path, rows.lines[i], column, message)))

        members: dict[str, list[int]] = {}  # line → its rows that pass the checks of one row
        for i in coded:
            line, relation = ids[i], relations[i]
            if line and not relation:
                add(
                    i,
                    20,
                    "line_relation",
                    f"is empty but line_id is '{shorten(line)}'; give the row's relation to "
                    "its line: states, varies, tracks, retracts or reverses (see datasets/README.md, Lines)",
                )
            elif relation and not line:
                add(
                    i,
                    20,
                    "line_id",
                    f"is empty but line_relation is '{shorten(relation)}'; give the id of the "
                    "line in lines.csv, or empty line_relation",
                )
            if not line:
                continue
            several = [part for part in LINE_ID_SEPARATOR_RE.split(line) if part]
            if len(several) > 1 and any(part in line_at for part in several):  # a list of ids, not one mistyped
                add(
                    i,
                    21,
                    "line_id",
                    f"'{shorten(line)}' names {len(several)} lines; a claim belongs to at most one "
                    "line: keep the one whose assertion the row makes (the narrower one, if two fit)",
                )
                continue
            if line not in line_at:
                if known:
                    add(
                        i,
                        22,
                        "line_id",
                        f"'{shorten(line)}' is not in lines.csv{_hint(line, line_at)}; add the "
                        "line first (python -m dashboard.add_line) or correct the id",
                    )
                continue
            if unit_of[line] and units[i] and units[i] != unit_of[line]:
                add(
                    i,
                    23,
                    "unit",
                    f"unit '{units[i]}' is not the unit of line '{line}' ('{unit_of[line]}', "
                    f"{lines_file}:{line_at[line]}); every instance of a line carries its unit: correct the unit "
                    "or the line_id",
                )
            if relation == "tracks" and kind_of[line] == "claim":
                add(
                    i,
                    24,
                    "line_relation",
                    f"'tracks' is for goal lines only, and '{line}' is a claim line "
                    f"({lines_file}:{line_at[line]}); code the row states or varies, or make the line a goal",
                )
            members.setdefault(line, []).append(i)

        # Day numbers of the coded rows only (a few among many): NaN where the cell is not a date.
        days = _days([stated[i] for i in coded])
        day = dict(zip(coded, days, strict=True))
        today = self.today.toordinal()
        wrong_day = dict(zip(coded, [math.isnan(d) or d > today for d in days], strict=True))
        for line, members_of_line in members.items():
            states = [i for i in members_of_line if relations[i] == "states"]
            figures = [(_number_text(low_text[i]), _number_text(high_text[i])) for i in states]
            if len(set(figures)) > 1:
                # The usual figure is the one most states rows carry (the earliest said, if tied): one wrong row is
                # named, not the many right ones.
                earliest: dict[tuple, int] = {}
                for i, figure in sorted(zip(states, figures, strict=True), key=lambda pair: day[pair[0]]):
                    earliest.setdefault(figure, i)
                counts = Counter(figures)
                usual = max(counts, key=lambda figure: (counts[figure], -day[earliest[figure]]))
                first = earliest[usual]
                for i, figure in zip(states, figures, strict=True):
                    if figure != usual:
                        add(
                            i,
                            25,
                            "line_relation",
                            f"line '{line}' is stated as {_figure(usual)} at line "
                            f"{rows.lines[first]} but as {_figure(figure)} here; a states row carries the line's usual "
                            "figure: code this row varies, or correct its figure",
                        )
            if any(wrong_day[i] for i in members_of_line):  # an order cannot be judged on a date already refused
                continue
            said = [day[i] for i in members_of_line if relations[i] in ("states", "varies")]
            for i in members_of_line:
                if relations[i] in ("retracts", "reverses") and not any(d < day[i] for d in said):
                    what = "a reversal" if relations[i] == "reverses" else "a retraction"
                    add(
                        i,
                        26,
                        "line_relation",
                        f"{what} with no earlier instance: line '{line}' has no states or "
                        f"varies row stated before {stated[i]}; code the earlier instance first, or correct the "
                        "relation or the date",
                    )
        return found

    def lines_used(self, path: str, lines: Rows, claims: Rows) -> None:
        """In lines.csv: every line has its usual form (a states row), as every source has a claim citing it; and
        its unit fits its measure."""
        relations_of: dict[str, set[str]] = {}
        ids = claims.cells.get("line_id", ())
        for line, relation in zip(ids, claims.cells.get("line_relation", ("",) * len(ids)), strict=True):
            if line:
                relations_of.setdefault(line, set()).add(relation)
        units_by_measure = self.package.units_by_measure
        for at, line, measure, unit in zip(lines.lines, lines["line_id"], lines["measure"], lines["unit"], strict=True):
            if units_by_measure.get(measure) and unit and unit not in units_by_measure[measure]:
                self.add(
                    path,
                    at,
                    "unit",
                    f"unit '{unit}' does not fit measure '{measure}'; use one of: "
                    f"{', '.join(units_by_measure[measure])}",
                )
            if line not in relations_of:
                self.add(
                    path,
                    at,
                    "line_id",
                    f"line '{shorten(line)}' is not used by any claim; code its instances "
                    f"(python -m dashboard.correct_row CLAIM_ID --set line_id={shorten(line)} --set "
                    "line_relation=…) or remove it",
                )
            elif "states" not in relations_of[line]:
                self.add(
                    path,
                    at,
                    "line_id",
                    f"line '{shorten(line)}' has no states claim; code the instance that "
                    "says it in its usual form as states (its figure is the line's usual figure)",
                )

    # ---- sources and seeds -----------------------------------------------------------------
    def source_rules(self, path: str, line: int, published_on: str, accessed_on: str) -> None:
        published, accessed = parse_date(published_on), parse_date(accessed_on)
        if accessed and accessed > self.today:
            self.add(path, line, "accessed_on", f"{accessed_on} is in the future; write the day the page was read")
        if published and published > self.today:
            self.add(path, line, "published_on", f"{published_on} is in the future; correct it")
        if published and accessed and published > accessed:
            self.add(
                path,
                line,
                "published_on",
                f"published_on {published_on} is after accessed_on {accessed_on}; a page cannot be read before it was published",
            )

    def excerpt_text(self, path: str, line: int, excerpt: str) -> str | None:
        if not excerpt:
            return None
        if excerpt in self.overrides:
            return excerpt_body(self.overrides[excerpt])
        seeds = self.seeds.resolve()
        target = (self.seeds / excerpt).resolve()
        if seeds not in target.parents:
            self.add(
                path,
                line,
                "excerpt",
                f"'{shorten(excerpt)}' points outside seeds/; use a path under seeds/ such as excerpts/<source_id>.txt",
            )
            return None
        try:
            return excerpt_body(target.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.add(
                path,
                line,
                "excerpt",
                f"seeds/{excerpt} does not exist; save the page's passage there (see CONTRIBUTING.md)",
            )
        except (OSError, UnicodeDecodeError):
            self.add(path, line, "excerpt", f"seeds/{excerpt} cannot be read as UTF-8 text; re-save it as UTF-8")
        return None


def _column_clean(f: Field, values: set[str]) -> bool:
    """True when no value of a column can have a problem, checked in bulk (C loops, no call per value).
    False only means "look value by value" (cell_message), which finds and words each problem."""
    if "" in values:
        if f.required:
            return False
        values = values - {""}
    if not values:
        return True
    # map() keeps the loops in C; strip() returns the same string when there is nothing to strip.
    if any(map(CELL_CONTROL_RE.search, values)) or not all(map(str.__eq__, values, map(str.strip, values))):
        return False
    if f.type == "date":
        if not all(map(DATE_RE.match, values)):
            return False
        try:
            list(map(date.fromisoformat, values))  # raises on an impossible date such as 2025-02-30
        except ValueError:
            return False
        return True
    if f.type == "number":
        if not all(map(NUMBER_RE.match, values)):
            return False
        numbers = list(map(float, values))
        return math.isfinite(max(numbers)) and (f.minimum is None or min(numbers) >= f.minimum)
    if f.enum and not values <= set(f.enum):
        return False
    if f.max_length is not None and max(map(len, values)) > f.max_length:
        return False
    pattern = f.compiled_pattern
    if pattern and not all(map(pattern.match, values)):
        return False
    return f.name != "url"  # URLs are judged one by one (check_url); sources are few


# ---- columns as lists of flags and numbers, for the cross-field rules -------------------------------------
# Each helper judges every distinct value once and spreads the verdicts over the rows with map(), a loop in C:
# at 100,000 rows most columns hold a few hundred values. Plain lists, not NumPy: the validate command on
# a small dataset would pay more to import NumPy than to check every row.
def _where(column: Sequence[str], n: int, test: Callable[[str], bool]) -> list[bool]:
    """test(value) for each row's value."""
    hits = {value for value in set(column) if test(value)}
    return list(map(hits.__contains__, column)) if hits else [False] * n


def _mapped(column: Sequence[str], value_of: Callable[[str], float]) -> list[float]:
    """value_of(value) for each row's value."""
    values = {value: value_of(value) for value in set(column)}
    return list(map(values.__getitem__, column))


def _numbers(column: Sequence[str]) -> list[float]:
    """Each cell as parse_number reads it, NaN where it reads none."""
    distinct = set(column) - {""}
    if all(map(NUMBER_RE.match, distinct)):  # the usual case, and numbers rarely repeat: float() in one C loop
        values = dict(zip(distinct, map(float, distinct), strict=True))
        if values and max(values.values()) == math.inf:  # hundreds of digits read as inf: parse_number reads none
            values = {v: math.nan if x == math.inf else x for v, x in values.items()}
        values[""] = math.nan
        return list(map(values.__getitem__, column))
    return _mapped(column, lambda v: math.nan if (number := parse_number(v)) is None else number)


def _number_text(value: str) -> float | None:
    """A bound as a comparable number ('4' and '4.0' alike), None for an open bound (or one that is not a number)."""
    return parse_number(value) if value else None


def _figure(figure: tuple[float | None, float | None]) -> str:
    """A (low, high) pair in the words of the validator's messages: '4', '16–20', 'more than 1', 'no figure'."""
    low, high = (None if v is None else f"{v:g}" for v in figure)
    if low is None and high is None:
        return "no figure"
    if low == high:
        return str(low)
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return f"{low}–{high}"


def _days(column: Sequence[str]) -> list[float]:
    """Each cell's date as parse_date reads it, as a day number (date.toordinal), NaN where it reads none."""
    return _mapped(column, lambda v: math.nan if (day := parse_date(v)) is None else float(day.toordinal()))


def _both(a: list[bool], b: list[bool]) -> list[bool]:
    return list(map(operator.and_, a, b))


def _greater(a: list[float], b: list[float]) -> list[bool]:
    """a > b row by row; False where either is NaN, as for a missing number or date."""
    return list(map(operator.gt, a, b))


def _missing(numbers: list[float]) -> list[bool]:
    return list(map(math.isnan, numbers))


def validate_rows(
    package: Package,
    claims: Table,
    sources: Table,
    seeds: Path,
    today: date | None = None,
    excerpts: dict[str, str] | None = None,
    lines: Table | None = None,
) -> list[Problem]:
    """Every check below the descriptor, on already-read tables (add_row and the Contribute form reuse this).

    `excerpts` maps an excerpt path to text that is not on disk yet, so a proposed source can be checked
    before anything is written. `lines` is lines.csv as read, when the package declares lines."""
    checker = _Checker(package, seeds, today or date.today(), excerpts)
    problems = checker.problems
    problems.extend(claims.problems)
    problems.extend(sources.problems)
    claim_rows, source_rows, line_rows = Rows(), Rows(), Rows()
    lines_header = False
    if claims.readable and checker.header(claims, package.claims):
        claim_rows = checker.cells(claims, package.claims)
    if sources.readable and checker.header(sources, package.sources):
        source_rows = checker.cells(sources, package.sources)
    if package.lines is not None and lines is None:  # a caller's slip, not the data's: say so rather than pass
        lines = Table(
            path=package.lines.path, problems=[Problem(package.lines.path, 1, "", "was not read; please report it")]
        )
    if lines is not None and package.lines is not None:
        problems.extend(lines.problems)
        lines_header = lines.readable and checker.header(lines, package.lines, rows_required=False)
        if lines_header:
            line_rows = checker.cells(lines, package.lines)
    # Cross-file checks need the whole of the other file: a file cut short by a broken quote or missing a
    # ragged row would otherwise add a false "unknown source" or "not cited" for every row it lost.
    claims_complete = bool(claim_rows) and not claims.problems and not claims.ragged
    sources_complete = bool(source_rows) and not sources.problems and not sources.ragged
    # lines.csv may hold no rows yet, so it is whole when its header is right and nothing was lost to a broken row.
    lines_complete = lines is not None and lines_header and not lines.problems and not lines.ragged

    checker.unique(sources.path, source_rows, package.sources)
    checker.sorted_by(sources.path, source_rows, package.sort_key.get("sources", "source_id"))
    excerpts: dict[str, str | None] = {}
    excerpt_path: dict[str, str] = {}
    source_line: dict[str, int] = {}
    if source_rows:  # a few hundred rows at most: row by row, each row's problems together
        for line, sid, excerpt, published_on, accessed_on in zip(
            source_rows.lines, *(source_rows[c] for c in ("source_id", "excerpt", "published_on", "accessed_on")),
            strict=True,
        ):  # fmt: skip
            checker.source_rules(sources.path, line, published_on, accessed_on)
            source_line.setdefault(sid, line)
            excerpt_path[sid] = excerpt
            excerpts[sid] = checker.excerpt_text(sources.path, line, excerpt)

    checker.unique(claims.path, claim_rows, package.claims)
    checker.sorted_by(claims.path, claim_rows, package.sort_key.get("claims", "claim_id"))
    checker.duplicates(claims.path, claim_rows)
    found = checker.claim_rules(claims.path, claim_rows)
    if package.lines is not None and lines is not None:
        checker.unique(lines.path, line_rows, package.lines)
        checker.sorted_by(lines.path, line_rows, package.sort_key.get("lines", "line_id"))
        found += checker.line_rules(claims.path, claim_rows, line_rows, package.lines.path, lines_complete)
    cited = claim_rows.cells.get("source_id", ())
    quotes = claim_rows.cells.get("quote", ())
    unknown = {sid for sid in set(cited) if sid and sid not in source_line} if sources_complete else set()
    # A quote is looked for in its excerpt once per (source, quote) pair; most rows share a pair with others.
    normalised: dict[str, str] = {}
    missing: set[tuple[str, str]] = set()
    for sid, quote in set(zip(cited, quotes, strict=True)):
        body = excerpts.get(sid)
        if quote and body is not None and sid not in unknown:
            if sid not in normalised:
                normalised[sid] = normalise_quote(body)
            if not found_in(checker.normalised(quote), normalised[sid]):
                missing.add((sid, quote))
    if unknown or missing:
        for i, (line, sid, quote) in enumerate(zip(claim_rows.lines, cited, quotes, strict=True)):
            if sid in unknown:
                message = f"'{shorten(sid)}' is not in sources.csv{_hint(sid, source_line)}; add the source row first"
                found.append((i, 12, Problem(claims.path, line, "source_id", message)))
            elif (sid, quote) in missing:
                message = (
                    f"quote is not found in seeds/{shorten(excerpt_path[sid])}; copy it verbatim from the page, "
                    "or add the passage to the excerpt"
                )
                found.append((i, 13, Problem(claims.path, line, "quote", message)))
    found.sort(key=lambda item: item[:2])  # row by row, each row's rules in order, as a person reads the file
    problems.extend(problem for _, _, problem in found)
    if claims_complete and line_rows and lines is not None:
        checker.lines_used(lines.path, line_rows, claim_rows)
    if claims_complete:
        used = set(cited)
        for sid, line in source_line.items():
            if sid not in used:
                checker.add(
                    sources.path,
                    line,
                    "source_id",
                    f"source '{shorten(sid)}' is not cited by any claim; remove it or cite it",
                )
    return problems


def validate_dataset(
    data_dir: Path | str | None = None, today: date | None = None, seeds: Path | None = None
) -> Report:
    """Check a dataset folder end to end. Never raises for bad data; returns every problem found."""
    folder = paths.data_dir(data_dir)
    package, problems = read_descriptor(folder)
    report = Report(problems=problems, package=package)
    if package is None:
        return report
    report.version = package.version
    seeds_dir = seeds or paths.seeds_dir(folder)
    claims_file = folder / package.claims.path  # inside the folder: read_descriptor refuses any other path
    sources_file = folder / package.sources.path
    claims = read_table(claims_file, display_path(claims_file))
    sources = read_table(sources_file, display_path(sources_file))
    lines = None
    if package.lines is not None:
        lines_file = folder / package.lines.path
        lines = read_table(lines_file, display_path(lines_file))
    report.problems.extend(validate_rows(package, claims, sources, seeds_dir, today, lines=lines))
    report.tables = {package.claims.name: claims, package.sources.name: sources}
    if lines is not None:
        report.tables["lines"] = lines
        report.lines = lines.row_count
    report.problems.sort(key=lambda p: (p.path, p.line, p.column, p.message))
    report.claims = claims.row_count
    report.sources = sources.row_count
    return report


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(
        prog="python -m dashboard.validate",
        description="Check a Shell Count dataset folder. Exit 0 valid, 1 problems found, 2 bad usage or missing folder.",
    )
    parser.add_argument("dataset_dir", nargs="?", help=cli.DATA_DIR_HELP)
    args = parser.parse_args(argv)
    folder = paths.data_dir(args.dataset_dir)
    if not folder.is_dir():
        print(f"error: dataset folder {folder} does not exist or is not a folder", file=sys.stderr)
        return cli.EXIT_USAGE
    try:
        report = validate_dataset(folder)
    except Exception as exc:  # noqa: BLE001 - last line of defence: a bug must not show a traceback
        print(
            f"{display_path(folder)}:1: -: the validator failed unexpectedly ({exc.__class__.__name__}); please report it",
            file=sys.stderr,
        )
        return cli.EXIT_PROBLEMS
    if report.valid:
        print(
            f"OK: {display_path(folder)} is valid ({report.claims} claims, {report.sources} sources"
            + ("" if report.lines is None else f", {report.lines} line{'' if report.lines == 1 else 's'}")
            + f", version {report.version})"
        )
        return cli.EXIT_OK
    for problem in report.problems:
        print(problem)
    print(f"{len(report.problems)} problem(s) found", file=sys.stderr)
    return cli.EXIT_PROBLEMS
