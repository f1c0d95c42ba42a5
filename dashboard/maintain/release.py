"""Release the dataset like software: bump the semantic version and date the changelog section.

    python -m dashboard.release patch|minor|major [--data-dir DIR] [--date YYYY-MM-DD]

Refuses to run when the dataset does not validate, when nothing is listed under Unreleased, or when a patch
(corrections only) would release anything but corrections.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from dashboard import cli
from dashboard.data import paths
from dashboard.data.validate import validate_dataset
from dashboard.maintain import edits

CITATION_FILE = paths.REPO_ROOT / "CITATION.cff"
PATCH_SECTIONS = ("Corrections", "Summary")  # what a patch release may list under Unreleased
VERSION_RE = re.compile(r'("version"\s*:\s*")(\d+)\.(\d+)\.(\d+)(")')


def bump(version: tuple[int, int, int], part: str) -> tuple[int, int, int]:
    major, minor, patch = version
    if part == "major":
        return major + 1, 0, 0
    if part == "minor":
        return major, minor + 1, 0
    return major, minor, patch + 1


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m dashboard.release", description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=("patch", "minor", "major"))
    parser.add_argument("--data-dir", help=cli.DATA_DIR_HELP)
    parser.add_argument(
        "--date", type=cli.iso_date, default=date.today(), help="release date, YYYY-MM-DD (default today)"
    )
    args = parser.parse_args(argv)
    folder = paths.data_dir(args.data_dir)
    if cli.missing_folder(folder):
        return cli.EXIT_USAGE
    return cli.guarded(lambda: release(folder, args.part, args.date), writes=True)


def release(folder: Path, part: str, day: date) -> int:
    """Bump the version by `part` and date the Unreleased section as of `day`; the exit code."""
    report = validate_dataset(folder)
    if not report.valid:
        return cli.report(report.problems, "the dataset does not validate, so no release was made")
    descriptor_file, changelog_file = folder / "datapackage.json", folder / edits.CHANGELOG_FILE
    descriptor = descriptor_file.read_text(encoding="utf-8")
    match = VERSION_RE.search(descriptor)
    if not match:
        print(f"error: no semantic version found in {descriptor_file}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    old = tuple(int(match.group(i)) for i in (2, 3, 4))
    new = ".".join(map(str, bump(old, part)))
    changelog = changelog_file.read_text(encoding="utf-8") if changelog_file.exists() else ""
    refusal = wrong_kind(part, changelog)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    released = _release_changelog(changelog, new, day)
    if released is None:
        print(
            "error: nothing is listed under '## [Unreleased]' in CHANGELOG.md; describe the changes first.",
            file=sys.stderr,
        )
        return cli.EXIT_PROBLEMS
    files = {descriptor_file: VERSION_RE.sub(rf"\g<1>{new}\g<5>", descriptor, count=1), changelog_file: released}
    if folder.resolve() == paths.DEFAULT_DATA_DIR.resolve() and CITATION_FILE.exists():  # the live package's citation
        files[CITATION_FILE] = citation_for(CITATION_FILE.read_text(encoding="utf-8"), new, day)
    edits.write_atomically(files)
    print(f"released {new} ({'.'.join(map(str, old))} → {new}), dated {day.isoformat()}.")
    return cli.EXIT_OK


def wrong_kind(part: str, changelog: str) -> str | None:
    """Why a patch release cannot hold what Unreleased lists, or None. A patch corrects rows and nothing else
    (CHANGELOG.md's own rule), so it holds entries under '### Corrections' only; added or removed rows or
    sources make a minor release. Minor and major may hold anything."""
    if part != "patch":
        return None
    lines = _unreleased(changelog)
    heading, others = "", []
    for line in lines:
        if line.startswith("### "):
            heading = line[4:].strip()
        elif line.strip() and heading not in PATCH_SECTIONS and heading not in others:
            others.append(heading)
    if not others:
        return None
    listed = ", ".join(f"'### {h}'" if h else "entries outside any '### …' heading" for h in others)
    return (
        f"a patch release holds corrections only, but Unreleased in CHANGELOG.md lists {listed}; "
        "release it as minor (new or removed rows or sources: python -m dashboard.release minor), or as major "
        "if columns or their meaning changed"
    )


def _unreleased(changelog: str) -> list[str]:
    """The lines of the Unreleased section, without its heading."""
    lines = changelog.splitlines()
    if edits.UNRELEASED not in lines:
        return []
    start = lines.index(edits.UNRELEASED)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1 : end]


def citation_for(text: str, version: str, day: date) -> str:
    """CITATION.cff with the released version and date."""
    text = re.sub(r'^version: ".*"$', f'version: "{version}"', text, count=1, flags=re.MULTILINE)
    return re.sub(r'^date-released: ".*"$', f'date-released: "{day.isoformat()}"', text, count=1, flags=re.MULTILINE)


def _release_changelog(changelog: str, version: str, day: date) -> str | None:
    lines = changelog.splitlines()
    if not any(line.strip() for line in _unreleased(changelog)):
        return None
    start = lines.index(edits.UNRELEASED)
    lines[start : start + 1] = [edits.UNRELEASED, "", f"## [{version}] - {day.isoformat()}"]
    return "\n".join(lines).rstrip("\n") + "\n"
