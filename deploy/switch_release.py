#!/usr/bin/env python3
"""Put a dataset release live on running app replicas, atomically, or refuse and change nothing.

    python deploy/switch_release.py ROOT SOURCE [--seeds DIR] [--keep 3]

Layout under ROOT (every replica runs with DASHBOARD_DATA_DIR=ROOT/current):

    ROOT/releases/<version>-<UTC time>/   one folder per release: datapackage.json, the CSVs, and its own seeds/
    ROOT/current -> releases/<...>        a symlink; the only thing a switch changes

Steps: copy SOURCE (and its excerpts: SOURCE/seeds, else --seeds, else the seeds/ beside SOURCE) into a
hidden staging folder under ROOT/releases, flush it to disk, run the maintainers' validator on it
(`python -m dashboard.validate`, the same rules the app applies), and only if it passes: rename the
staging folder to its release name and replace the `current` symlink with rename(2), which is atomic.
A reader therefore finds either the old release or the new one, complete; never a folder being written.

The app resolves `current` once per script run and reads that release folder (whose path is part of its
cache key), so every page run shows one release; a release folder is never changed after it is made,
and the newest --keep older ones stay on disk for the sessions still reading them.

A release that fails validation is not switched to: the validator's report goes to this command's
output (exit 1), staging is removed, and the replicas keep serving the release they had.
Exit status: 0 switched, 1 refused (invalid release), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_SUFFIXES = {".json", ".csv", ".md"}


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _seeds_for(source: Path, explicit: Path | None) -> Path | None:
    for candidate in (explicit, source / "seeds", source.parent / "seeds"):
        if candidate is not None and candidate.is_dir():
            return candidate
    return None


def stage(root: Path, source: Path, seeds: Path | None) -> Path:
    """A complete copy of the release in ROOT/releases/.staging-*, written and flushed."""
    releases = root / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    staging = releases / f".staging-{secrets.token_hex(4)}"
    staging.mkdir()
    # shutil.copy, not copy2: each release gets fresh modification times, so its files never look like another's
    for path in sorted(source.iterdir()):
        if path.is_file() and path.suffix in DATA_SUFFIXES:
            shutil.copy(path, staging / path.name)
    excerpts = _seeds_for(source, seeds)
    if excerpts is not None:
        shutil.copytree(excerpts, staging / "seeds", copy_function=shutil.copy)
    _fsync_tree(staging)
    return staging


def validate(folder: Path) -> tuple[bool, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DASHBOARD_DATA_DIR", "DASHBOARD_SEEDS_DIR")}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(folder)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def point_current(root: Path, release: Path) -> None:
    """Replace ROOT/current by a symlink to `release` in one rename(2)."""
    link = root / f".current-{secrets.token_hex(4)}"
    os.symlink(os.path.relpath(release, root), link)
    os.replace(link, root / "current")
    _fsync_dir(root)


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest releases that are not current (and staging left by a crash)."""
    live = (root / "current").resolve()
    releases = sorted((p for p in (root / "releases").iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    old = [p for p in releases if p.resolve() != live and not p.name.startswith(".")]
    gone = old[: max(0, len(old) - keep)]
    stale = time.time() - 3600  # staging left by a switch that crashed an hour ago or more
    gone += [p for p in releases if p.name.startswith(".staging-") and p.stat().st_mtime < stale]
    for path in gone:
        shutil.rmtree(path, ignore_errors=True)
    return gone


def switch(root: Path, source: Path, seeds: Path | None = None, keep: int = 3) -> tuple[bool, str]:
    """Stage, validate and switch; (switched, message)."""
    staging = stage(root, source, seeds)
    ok, report = validate(staging)
    if not ok:
        shutil.rmtree(staging, ignore_errors=True)
        return False, f"release refused, the replicas keep serving the current one:\n{report}"
    version = json.loads((staging / "datapackage.json").read_text(encoding="utf-8")).get("version", "unversioned")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    release = root / "releases" / f"{version}-{stamp}"
    os.rename(staging, release)
    _fsync_dir(release.parent)
    point_current(root, release)
    prune(root, keep)
    return True, f"current -> {release.relative_to(root)} (version {version})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the folder holding releases/ and current")
    parser.add_argument("source", type=Path, help="the dataset folder to release (e.g. datasets/)")
    parser.add_argument("--seeds", type=Path, help="excerpts folder, when SOURCE has no seeds/ and none beside it")
    parser.add_argument("--keep", type=int, default=3, help="older releases kept on disk (default 3)")
    args = parser.parse_args(argv)
    if not (args.source / "datapackage.json").is_file():
        print(f"{args.source}: no datapackage.json here; give a dataset folder", file=sys.stderr)
        return 2
    ok, message = switch(args.root, args.source, args.seeds, args.keep)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
