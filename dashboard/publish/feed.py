"""The Atom feed: one entry per dated release of the dataset and one per correction listed in it.

Built from CHANGELOG.md alone, so a journalist who used a figure hears when it was corrected. Entry ids
are UUIDs derived from the version (and the correction's place in it): they never change, whatever the
host the site moves to.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from dashboard.publish import render

RELEASE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$")
SECTION = re.compile(r"^### (?P<name>.+?)\s*$")
CLAIM_ID = re.compile(r"^- `(?P<id>[a-z0-9][a-z0-9-]*)`")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "shell-count-dataset")


@dataclass(frozen=True)
class Correction:
    claim_id: str
    text: str


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    text: str  # the section's Markdown, as written
    corrections: tuple[Correction, ...]


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
                )
            )

    for line in changelog.splitlines():
        match = RELEASE.match(line)
        if match:
            close()
            current = {**match.groupdict(), "lines": [], "corrections": []}
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
            claim = CLAIM_ID.match(line)
            current["corrections"].append(Correction(claim.group("id") if claim else "", line[2:].strip()))
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


def entries(changelog: str, release_url, claim_url) -> list[Entry]:
    """The feed's entries, newest release first, each release's corrections before the release itself."""
    out: list[Entry] = []
    for release in releases(changelog):
        when = f"{release.date}T00:00:00Z"
        for number, fix in enumerate(release.corrections, start=1):
            link = claim_url(release.version, fix.claim_id) if fix.claim_id else release_url(release.version)
            subject = f" of {fix.claim_id}" if fix.claim_id else ""
            out.append(
                Entry(
                    entry_id("correction", release.version, str(number)),
                    f"Correction{subject} in data v{release.version}",
                    when,
                    link,
                    fix.text,
                )
            )
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


def atom(changelog: str, site_url: str, self_url: str, release_url, claim_url) -> str:
    """The feed as text. `release_url(version)` and `claim_url(version, claim_id)` give entry links."""
    items = releases(changelog)
    updated = f"{items[0].date}T00:00:00Z" if items else "1970-01-01T00:00:00Z"
    return render.render(
        "feed.xml",
        feed_id=entry_id("feed"),
        updated=updated,
        site_url=site_url,
        self_url=self_url,
        entries=entries(changelog, release_url, claim_url),
    ).decode("utf-8")
