"""The Atom feed: one entry per dated release of the dataset, one per line of claims it added statements to, and
one per claim (or source) it corrected.

Built from CHANGELOG.md, so a journalist who used a figure hears when it was corrected. The changelog lists a
correction per field ("- `rutte-2025-07-nyt-three-times` value_low: "4" → "12". Why: …"); a reader follows a
claim, so the fields corrected on one claim in one release make one entry, titled with who said what (the
builder's `describe`), listing every field and each reason once.

A claim coded into a line is listed the same way (`line_id: "" → "rutte-three-months"` and its `line_relation`),
but what a reader follows there is the line: the statements a release added to one line make one entry, linking
the line's page in that release, each statement and the words its coding rests on listed once. A line new in the
release ("- line `rutte-three-months`: …" under Added) says so. The claim's other corrections keep their entry.

Entry ids are UUIDs derived from the version and the claim's (or line's) id: they never change, whatever the host
the site moves to.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, replace

from dashboard.analysis.lines import RELATION_WORDS
from dashboard.publish import render

RELEASE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$")
SECTION = re.compile(r"^### (?P<name>.+?)\s*$")
CLAIM_ID = re.compile(r"^- `(?P<id>[a-z0-9][a-z0-9-]*)`")
NAMED = re.compile(r"^- `(?P<name>[^`]+)`(?P<sources> \(sources\.csv\))?")  # an id, or a package file's name
# "- `id` field: change. Why: reason", or "- `id` (sources.csv) field: …" for a source's row.
FIELD_CHANGE = re.compile(
    r"^- `(?P<id>[a-z0-9][a-z0-9-]*)`(?: \((?P<table>sources)\.csv\))? (?P<field>[a-z_]+): (?P<rest>.*)$"
)
NEW_LINE = re.compile(r"^- line `(?P<id>[a-z0-9][a-z0-9-]*)`")  # a line added (Added, as add_line writes it)
CHANGE = re.compile(r'^"(?P<old>[^"]*)" → "(?P<new>[^"]*)"$')  # a one-word change: '"" → "rutte-three-months"'
LINE_FIELDS = ("line_id", "line_relation")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "shell-count-dataset")


@dataclass(frozen=True)
class Correction:
    claim_id: str  # the corrected row's id (a claim's, or a source's), or a package file's name ('' if none)
    text: str  # the changelog line as written
    table: str = "claims"  # 'claims', 'sources' or 'package' (datapackage.json, README.md, an excerpt …)
    field: str = ""  # '' for a line in another form
    change: str = ""  # 'old → new'
    why: str = ""
    via: str = ""  # the source whose correction this is, when it is filed under a claim citing that source


def correction(line: str) -> Correction:
    """One line of a release's Corrections section, split into its parts where it has the usual form. A line about
    a package file ("- `datapackage.json` (by hand) …") keeps the file's name as its id, in table 'package'."""
    text = line[2:].strip()
    found = FIELD_CHANGE.match(line)
    if found:
        change, reason, why = found.group("rest").rpartition(". Why: ")
        if not reason:
            change, why = found.group("rest"), ""
        return Correction(found.group("id"), text, found.group("table") or "claims", found.group("field"), change, why)
    named = NAMED.match(line)
    if not named:
        return Correction("", text, "package", change=text)
    row = CLAIM_ID.match(line)
    table = "sources" if named.group("sources") else "claims" if row else "package"
    return Correction(named.group("name"), text, table, change=text)


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    text: str  # the section's Markdown, as written
    corrections: tuple[Correction, ...]
    new_lines: tuple[str, ...] = ()  # the lines the release added (their ids, from its Added section)


def releases(changelog: str) -> list[Release]:
    """Every dated release in the changelog, newest first (Unreleased is not published)."""
    found: list[Release] = []
    current: dict | None = None
    section = ""

    def close() -> None:
        if current is not None:
            found.append(
                Release(
                    current["version"],
                    current["date"],
                    "\n".join(current["lines"]).strip(),
                    tuple(current["corrections"]),
                    tuple(current["new_lines"]),
                )
            )

    for line in changelog.splitlines():
        match = RELEASE.match(line)
        if match:
            close()
            current = {**match.groupdict(), "lines": [], "corrections": [], "new_lines": []}
            section = ""
            continue
        if line.startswith("## "):
            close()
            current = None
            continue
        if current is None:
            continue
        current["lines"].append(line)
        heading = SECTION.match(line)
        if heading:
            section = heading.group("name").strip().lower()
        elif section == "corrections" and line.startswith("- "):
            current["corrections"].append(correction(line))
        elif section == "added" and (new_line := NEW_LINE.match(line)):
            current["new_lines"].append(new_line.group("id"))
    close()
    return sorted(found, key=lambda r: tuple(int(p) for p in r.version.split(".")), reverse=True)


def entry_id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(parts))}"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    when: str  # Atom date-time
    link: str
    text: str


def _grouped(corrections: tuple[Correction, ...], cited_by) -> list[tuple[str, str, list[Correction]]]:
    """The release's corrections as (table, id, corrections) per corrected claim, in changelog order. A source's
    correction (its grade, say) corrects what each claim citing it shows, so it joins those claims' entries
    (`cited_by(source_id)`: their ids); a source no claim cites, or a package file, keeps an entry of its own."""
    groups: dict[tuple[str, str], list[Correction]] = {}
    for number, fix in enumerate(corrections):
        claims = cited_by(fix.claim_id) if fix.table == "sources" and cited_by else []
        for claim_id in claims:
            groups.setdefault(("claims", claim_id), []).append(replace(fix, via=fix.claim_id))
        if not claims:
            groups.setdefault((fix.table, fix.claim_id or f"line {number}"), []).append(fix)
    return [(table, row_id, group) for (table, row_id), group in groups.items()]


def _values(fix: Correction) -> tuple[str, str] | None:
    """(old, new) of a correction of one word ('"" → "rutte-three-months"'), else None."""
    found = CHANGE.match(fix.change.strip())
    return (found.group("old"), found.group("new")) if found else None


def joined_lines(corrections: tuple[Correction, ...]) -> tuple[dict[str, list[Correction]], tuple[Correction, ...]]:
    """The release's codings of claims into lines, by line (a claim whose line_id became that line, with its
    line_relation), in changelog order; and every other correction. A claim taken out of a line, or recoded
    within its line, is a correction of that claim like any other."""
    joined: dict[str, str] = {}  # claim id → the line it joined
    for fix in corrections:
        values = _values(fix) if fix.table == "claims" and fix.field == "line_id" else None
        if values and values[1] and values[1] != values[0]:
            joined[fix.claim_id] = values[1]
    by_line: dict[str, list[Correction]] = {}
    others = []
    for fix in corrections:
        if fix.table == "claims" and fix.field in LINE_FIELDS and fix.claim_id in joined:
            by_line.setdefault(joined[fix.claim_id], []).append(fix)
        else:
            others.append(fix)
    return by_line, tuple(others)


def _line_entry(release: Release, line_id: str, codings: list[Correction], line_url, describe) -> Entry:
    """One entry for the statements a release added to a line: each statement (who, when, what) and how it relates
    to the line, then the words each coding rests on, once."""
    claims = list(dict.fromkeys(f.claim_id for f in codings))
    relation = {f.claim_id: v[1] for f in codings if f.field == "line_relation" and (v := _values(f))}
    moved = {f.claim_id: v[0] for f in codings if f.field == "line_id" and (v := _values(f)) and v[0]}
    statements = [
        _describe_row(describe, "claims", claim_id)
        + (f": {RELATION_WORDS.get(relation[claim_id], relation[claim_id])}" if relation.get(claim_id) else "")
        + (f" (until now in line {moved[claim_id]})" if claim_id in moved else "")
        for claim_id in claims
    ]
    whys = list(dict.fromkeys(f.why for f in codings if f.why))
    name = (describe("lines", line_id) if describe else "") or line_id
    count = f"{len(claims)} statement{'s' if len(claims) != 1 else ''}"
    new = line_id in release.new_lines
    title = f"{'New line' if new else 'Line'} in data v{release.version}: {name} ({count} added)"
    text = "\n".join(statements) + ("\n\nWhy: " + "\n".join(whys) if whys else "")
    when = f"{release.date}T00:00:00Z"
    return Entry(entry_id("line", release.version, line_id), title, when, line_url(release.version, line_id), text)


def _describe_row(describe, table: str, row_id: str) -> str:
    words = describe(table, row_id) if describe and table != "package" else ""
    return words or (f"source {row_id}" if table == "sources" else row_id)


def entries(changelog: str, release_url, claim_url, describe=None, cited_by=None, line_url=None) -> list[Entry]:
    """The feed's entries, newest release first: each release's lines that gained statements (one per line), its
    corrections (one per corrected claim), then the release itself. `describe(table, id)` names a claim or a line
    for a title ('Mark Rutte, 5 July 2025: …'; default: its id); `cited_by(source_id)` gives the claims a source's
    correction applies to (default: none, so a source's corrections make an entry of their own, linking the
    release); `line_url(version, line_id)` is a line's page (default: none, so codings stay claims' corrections)."""
    out: list[Entry] = []
    for release in releases(changelog):
        when = f"{release.date}T00:00:00Z"
        by_line, corrections = joined_lines(release.corrections) if line_url else ({}, release.corrections)
        out += [_line_entry(release, line_id, codings, line_url, describe) for line_id, codings in by_line.items()]
        fixes: list[Entry] = []
        for table, row_id, group in _grouped(corrections, cited_by):
            fields = ", ".join(dict.fromkeys(("source " if f.via else "") + f.field for f in group if f.field))
            if table == "package" and row_id.startswith("line "):
                title = f"Correction in data v{release.version}"
            else:
                named = _describe_row(describe, table, row_id)
                title = f"Correction in data v{release.version}: {named}" + (f" ({fields})" if fields else "")
            link = claim_url(release.version, row_id) if table == "claims" else release_url(release.version)
            changes = [
                (f"source {f.via}, " if f.via else "") + (f"{f.field}: {f.change}" if f.field else f.change)
                for f in group
            ]
            whys = list(dict.fromkeys(f.why for f in group if f.why))
            text = "\n".join(changes) + ("\n\nWhy: " + "\n".join(whys) if whys else "")
            fixes.append(Entry(entry_id("correction", release.version, table, row_id), title, when, link, text))
        # Two claims can read alike (one speech, one figure, said twice): their ids tell the entries apart.
        twice = {title for title, n in Counter(e.title for e in fixes).items() if n > 1}
        out += [replace(e, title=f"{e.title} [{e.link.rstrip('/').rsplit('/', 1)[-1]}]") if e.title in twice else e
                for e in fixes]  # fmt: skip
        out.append(
            Entry(
                entry_id("release", release.version),
                f"Shell Count data v{release.version} released",
                when,
                release_url(release.version),
                release.text,
            )
        )
    return out


def atom(
    changelog: str, site_url: str, self_url: str, release_url, claim_url, describe=None, cited_by=None, line_url=None
) -> str:
    """The feed as text. `release_url(version)`, `claim_url(version, claim_id)` and `line_url(version, line_id)`
    give entry links; `describe` and `cited_by` as for entries()."""
    items = releases(changelog)
    updated = f"{items[0].date}T00:00:00Z" if items else "1970-01-01T00:00:00Z"
    return render.render(
        "feed.xml",
        feed_id=entry_id("feed"),
        updated=updated,
        site_url=site_url,
        self_url=self_url,
        entries=entries(changelog, release_url, claim_url, describe, cited_by, line_url),
    ).decode("utf-8")
