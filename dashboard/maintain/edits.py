"""Propose, add and correct rows safely: the one code path behind add_row, correct_row and the Contribute form.

A change is built in memory as the full new text of each file (the new line inserted at its sorted
place, every other byte untouched), validated together with the whole dataset by the validator, and
only then — and only when asked — written atomically: each file to a temporary sibling, fsynced,
then renamed over the original with Ctrl-C held back, so an interruption leaves either the old files
or the new ones, never a half-written one.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dashboard.data import paths
from dashboard.data.csvfile import Problem, Table, decode, parse, read_table
from dashboard.data.schema import Package, read_descriptor
from dashboard.data.validate import validate_rows

CHANGELOG_FILE = "CHANGELOG.md"
UNRELEASED = "## [Unreleased]"


@dataclass
class Change:
    """Files to write (path → new text) and the problems that stop them being written."""

    files: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=dict)  # "claims" / "sources" → the new CSV line
    diff: list[tuple[str, str, str]] = field(default_factory=list)  # a correction: (column, old, new) per --set

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.files)


def csv_line(values: list[str], newline: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline, quoting=csv.QUOTE_MINIMAL).writerow(values)
    return buffer.getvalue()


def _text(file: Path) -> tuple[str | None, list[Problem]]:
    try:
        data = file.read_bytes()
    except OSError:
        return None, [Problem(str(file), 1, "", "file cannot be read")]
    return decode(str(file), data)


def _insert_sorted(text: str, table: Table, key_index: int, key: str, line: str) -> tuple[str, int]:
    """The file text with `line` inserted before the first row whose key sorts after `key`."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += table.newline  # a file missing its final newline gets one, so the new line stands alone
    at = len(lines)
    for start, cells in table.rows:
        if len(cells) > key_index and cells[key_index] > key:
            at = start - 1
            break
    lines.insert(at, line)
    return "".join(lines), at + 1


def _clean(values: dict[str, object]) -> dict[str, str]:
    return {k: ("" if v is None else str(v)).strip() for k, v in values.items()}


# A whole cell that only holds the place of a value ("…" copied from an example, "TODO"): the validator cannot
# tell it from a real title or note, so the tools refuse it when a row is added or corrected.
PLACEHOLDER_RE = re.compile(r"(?:…+|\.{2,}|\?+|[-–—]+|todo|tbd|fixme|x{3,}|placeholder|n/?a)", re.IGNORECASE)


def placeholders(values: dict[str, str], where: str) -> list[Problem]:
    return [
        Problem(
            where, 1, name, f"'{value}' only holds a place; write the real value (or leave an optional column empty)"
        )
        for name, value in values.items()
        if value and PLACEHOLDER_RE.fullmatch(value)
    ]


def propose(
    claim: dict[str, object],
    source: dict[str, object] | None = None,
    passage: str | None = None,
    data_dir: Path | None = None,
    today: date | None = None,
) -> Change:
    """Check a new claim (and optionally a new source with its excerpt passage) against the whole dataset."""
    folder = paths.data_dir(data_dir)
    package, problems = read_descriptor(folder)
    if package is None or problems:
        return Change(problems=problems or [Problem(str(folder), 1, "", "datapackage.json cannot be read")])
    claims_file, sources_file = folder / package.claims.path, folder / package.sources.path
    seeds = paths.seeds_dir(folder)
    claim_text, p1 = _text(claims_file)
    source_text, p2 = _text(sources_file)
    if claim_text is None or source_text is None:
        return Change(problems=p1 + p2)
    claims, sources = parse(str(claims_file), claim_text), parse(str(sources_file), source_text)
    lines = read_lines(folder, package)
    before = validate_rows(package, claims, sources, seeds, today, lines=lines)
    if before:
        note = Problem(
            str(folder),
            1,
            "",
            "the dataset already has problems; fix them (python -m dashboard.validate) before adding rows",
        )
        return Change(problems=[note, *before])

    change = Change()
    claim = _clean(claim)
    unknown = sorted(set(claim) - set(package.claims.field_names))
    for name in unknown:
        change.problems.append(Problem("proposed claim", 1, name, "is not a column of claims.csv"))
    change.problems += placeholders(claim, "proposed claim")
    claim_values = [claim.get(name, "") for name in package.claims.field_names]
    line = csv_line(claim_values, claims.newline)
    new_claims, claim_line_no = _insert_sorted(claim_text, claims, 0, claim.get("claim_id", ""), line)
    change.files[claims_file] = new_claims
    change.lines["claims"] = line.rstrip("\r\n")
    excerpts: dict[str, str] = {}
    source_line_no = None
    new_sources = source_text
    if source:
        source = _clean(source)
        change.problems += placeholders(source, "proposed source")
        sid = source.get("source_id", "")
        source.setdefault("excerpt", f"excerpts/{sid}.txt")
        if not source["excerpt"]:
            source["excerpt"] = f"excerpts/{sid}.txt"
        source_values = [source.get(name, "") for name in package.sources.field_names]
        sline = csv_line(source_values, sources.newline)
        new_sources, source_line_no = _insert_sorted(source_text, sources, 0, sid, sline)
        change.files[sources_file] = new_sources
        change.lines["sources"] = sline.rstrip("\r\n")
        stub = excerpt_stub(source, passage or "")
        excerpts[source["excerpt"]] = stub
        target = (seeds / source["excerpt"]).resolve()
        if seeds.resolve() in target.parents and not target.exists():
            change.files[target] = stub
        elif target.exists():
            change.problems.append(
                Problem(
                    "proposed source",
                    1,
                    "excerpt",
                    f"seeds/{source['excerpt']} already exists; choose another source_id",
                )
            )
    after = validate_rows(
        package,
        parse(str(claims_file), new_claims),
        parse(str(sources_file), new_sources),
        seeds,
        today,
        excerpts,
        lines=lines,
    )
    for p in after:
        if p.path == str(claims_file) and p.line == claim_line_no:
            change.problems.append(Problem("proposed claim", 1, p.column, p.message))
        elif source_line_no is not None and p.path == str(sources_file) and p.line == source_line_no:
            change.problems.append(Problem("proposed source", 1, p.column, p.message))
        else:
            change.problems.append(p)
    if not change.problems:  # note the addition in the changelog, for the next release to date
        changelog_file = folder / CHANGELOG_FILE
        changelog = changelog_file.read_text(encoding="utf-8") if changelog_file.exists() else "# Changelog\n"
        entry = f"- `{claim.get('claim_id', '')}`: {claim.get('speaker', '')}, {claim.get('measure', '')} (source `{claim.get('source_id', '')}`)"
        change.files[changelog_file] = add_to_unreleased(changelog, "Added", [entry])
    return change


def excerpt_stub(source: dict[str, str], passage: str) -> str:
    header = "\n".join(
        f"{k}: {source.get(k, '')}"
        for k in ("source_id", "url", "publisher", "original_publisher", "title", "published_on", "accessed_on")
    )
    body = passage.strip() or "(paste here, verbatim, the passage of the page that carries the quote and the figures)"
    return f"{header}\nread_via: the page itself\n---\n{body}\n"


def read_lines(folder: Path, package: Package) -> Table | None:
    """lines.csv as read (a missing or broken file comes back with its problems), or None when the package
    declares no lines: every check of a claim's line needs it."""
    if package.lines is None:
        return None
    file = folder / package.lines.path
    return read_table(file, str(file))


def correct(
    claim_id: str,
    changes: dict[str, str],
    why: str,
    data_dir: Path | None = None,
    today: date | None = None,
    lines_table: Table | None = None,
) -> Change:
    """Change fields of one claim, keeping its id, and record old → new and why under Corrections.

    `lines_table`: lines.csv as it will be (add_line codes a new line's first claim with it); default, as on disk."""
    folder = paths.data_dir(data_dir)
    package, problems = read_descriptor(folder)
    if package is None or problems:
        return Change(problems=problems)
    if not why.strip():
        return Change(
            problems=[Problem("correction", 1, "", "say why the row is corrected (--why); it goes into the changelog")]
        )
    claims_file = folder / package.claims.path
    text, p = _text(claims_file)
    if text is None:
        return Change(problems=p)
    table = parse(str(claims_file), text)
    names = list(package.claims.field_names)
    if "claim_id" in changes:
        return Change(problems=[Problem("correction", 1, "claim_id", "ids are stable forever; add a new row instead")])
    bad = [c for c in changes if c not in names]
    if bad:
        return Change(
            problems=[Problem("correction", 1, c, "cannot be corrected: not a column of claims.csv") for c in bad]
        )
    found = placeholders(_clean(changes), "correction")
    if found:
        return Change(problems=found)
    index = next((i for i, (_, cells) in enumerate(table.rows) if cells and cells[0] == claim_id), None)
    if index is None:
        return Change(problems=[Problem(str(claims_file), 1, "claim_id", f"no row has claim_id '{claim_id}'")])
    start, cells = table.rows[index]
    old = dict(zip(names, cells, strict=False))
    new = {**old, **_clean(changes)}
    end = table.rows[index + 1][0] - 1 if index + 1 < len(table.rows) else len(text.splitlines())
    lines = text.splitlines(keepends=True)
    lines[start - 1 : end] = [csv_line([new[n] for n in names], table.newline)]
    new_text = "".join(lines)
    sources_file = folder / package.sources.path
    sources = read_table(sources_file, str(sources_file))
    if lines_table is None:
        lines_table = read_lines(folder, package)
    problems = validate_rows(
        package, parse(str(claims_file), new_text), sources, paths.seeds_dir(folder), today, lines=lines_table
    )
    if problems:
        return Change(problems=problems)
    changelog_file = folder / CHANGELOG_FILE
    changelog = changelog_file.read_text(encoding="utf-8") if changelog_file.exists() else "# Changelog\n"
    entries = [f'- `{claim_id}` {c}: "{old[c]}" → "{new[c]}". Why: {why.strip()}' for c in changes if old[c] != new[c]]
    if not entries:
        return Change(problems=[Problem("correction", 1, "", "the new values equal the old ones; nothing to correct")])
    return Change(
        files={claims_file: new_text, changelog_file: add_to_unreleased(changelog, "Corrections", entries)},
        diff=[(c, old[c], new[c]) for c in changes],
    )


def add_line(
    line: dict[str, object], states: str, why: str, data_dir: Path | None = None, today: date | None = None
) -> Change:
    """Add a line of claims with its first instance: the claim `states` is coded as stating it in its usual form
    (the figure a line's states rows carry is its usual figure), so the dataset is whole after the write, as with a
    new source and the claim citing it. The line goes under Added, the claim's coding under Corrections with `why`."""
    folder = paths.data_dir(data_dir)
    package, problems = read_descriptor(folder)
    if package is None or problems:
        return Change(problems=problems or [Problem(str(folder), 1, "", "datapackage.json cannot be read")])
    if package.lines is None:
        message = "the package declares no lines resource; add it to datapackage.json as the live package has it"
        return Change(problems=[Problem(str(folder / "datapackage.json"), 1, "", message)])
    lines_file = folder / package.lines.path
    text, unreadable = _text(lines_file)
    if text is None:
        return Change(problems=unreadable)
    table = parse(str(lines_file), text)
    claims_file, sources_file = folder / package.claims.path, folder / package.sources.path
    claims = read_table(claims_file, str(claims_file))
    before = validate_rows(
        package, claims, read_table(sources_file, str(sources_file)), paths.seeds_dir(folder), today, lines=table
    )
    if before:
        note = "the dataset already has problems; fix them (python -m dashboard.validate) before adding a line"
        return Change(problems=[Problem(str(folder), 1, "", note), *before])

    line = _clean(line)
    line_id = line.get("line_id", "")
    found = [
        Problem("proposed line", 1, name, "is not a column of lines.csv")
        for name in sorted(set(line) - set(package.lines.field_names))
    ]
    found += placeholders(line, "proposed line")
    if not states.strip():
        found.append(
            Problem(
                "proposed line",
                1,
                "states",
                "name the claim that states the line in its usual form (--states CLAIM_ID): a line has at least one",
            )
        )
    if not why.strip():
        found.append(
            Problem(
                "proposed line",
                1,
                "why",
                "say why that claim states the line, quoting its words (--why); it goes into the changelog",
            )
        )
    names = list(package.claims.field_names)
    if "line_id" in names:
        current = {cells[0]: cells[names.index("line_id")] for _, cells in claims.rows if len(cells) == len(names)}
        if current.get(states.strip()):
            found.append(
                Problem(
                    "proposed line",
                    1,
                    "states",
                    f"claim '{states.strip()}' is already in line "
                    f"'{current[states.strip()]}'; a claim belongs to at most one line (move it with "
                    "python -m dashboard.correct_row if it belongs to this one)",
                )
            )
    if found:
        return Change(problems=found)
    row = csv_line([line.get(name, "") for name in package.lines.field_names], table.newline)
    new_text, at = _insert_sorted(text, table, 0, line_id, row)
    coded = correct(
        states.strip(),
        {"line_id": line_id, "line_relation": "states"},
        why,
        folder,
        today,
        lines_table=parse(str(lines_file), new_text),
    )
    if coded.problems:  # the new line's own problems are the proposal's, as add_row words a new row's
        return Change(
            problems=[
                Problem("proposed line", 1, p.column, p.message) if (p.path, p.line) == (str(lines_file), at) else p
                for p in coded.problems
            ]
        )
    changelog_file = folder / CHANGELOG_FILE
    entry = (
        f"- line `{line_id}`: {line.get('title', '')} ({line.get('who', '')}; a {line.get('kind', '')} line, "
        f"{line.get('measure', '')} in {line.get('unit', '')}), stated in its usual form by `{states.strip()}`"
    )
    coded.files[lines_file] = new_text
    coded.files[changelog_file] = add_to_unreleased(coded.files[changelog_file], "Added", [entry])
    coded.lines["lines"] = row.rstrip("\r\n")
    return coded


def add_to_unreleased(changelog: str, heading: str, entries: list[str]) -> str:
    """Append entries under '### <heading>' of the Unreleased section, creating either when missing."""
    lines = changelog.splitlines()
    if UNRELEASED not in lines:
        first = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
        lines[first:first] = [UNRELEASED, ""]
    start = lines.index(UNRELEASED)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    sub = f"### {heading}"
    if sub in lines[start:end]:
        at = lines.index(sub, start, end) + 1
        # An entry may run over several lines; its continuation lines are indented by two spaces.
        while at < end and (lines[at].startswith("- ") or lines[at].startswith("  ")):
            at += 1
    else:
        at = end
        while at > start + 1 and not lines[at - 1].strip():
            at -= 1
        lines[at:at] = ["", sub]
        at += 2
    lines[at:at] = entries
    return "\n".join(lines).rstrip("\n") + "\n"


@contextmanager
def _sigint_held():
    """Hold Ctrl-C back while files are renamed into place (the rename itself is atomic per file)."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, ValueError, OSError):  # not on the main thread, or not a POSIX system
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file via a temporary sibling + rename; on any error before the renames, nothing changes."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            temps.append((Path(tmp), target))
        with _sigint_held():
            for tmp, target in temps:
                os.replace(tmp, target)
            temps = []
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
