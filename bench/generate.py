"""Synthetic Shell Count datasets of a given number of claims, valid under `python -m dashboard.validate`.

    .venv/bin/python -m bench.generate                      # 1,000, 10,000 and 100,000 claims under bench/data/
    .venv/bin/python -m bench.generate 5000 --out /tmp/x    # one size elsewhere
    .venv/bin/python -m bench.generate --check              # also run the validator on each folder

Each dataset is the real one grown in place: the 139 real rows unchanged, plus copies of them with new
ids, dates moved by whole years (periods) and a few days (statements), and values scaled by 0.7-1.3,
so the mix of measures, units, open bounds, text lengths and quotes stays that of the real data. Copies
keep their source (so every quote is still in its excerpt), carry no chart label (labels mark the few
annotated rows) and no line of claims, and are dated by day. sources.csv, lines.csv, the excerpts (copied
into the folder's own seeds/), datapackage.json, README and CHANGELOG are the real ones. Deterministic for a given size and seed.
bench/data/ is git-ignored: the files are rebuilt, never committed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from bench.common import DATA, PYTHON, REPO

SIZES = (1_000, 10_000, 100_000)
REAL = REPO / "datasets"
REAL_SEEDS = REPO / "seeds"
GENERATOR_VERSION = "1"
UNIT_MAXIMUM = {"shells": 1e9, "shells_per_month": 1e8, "shells_per_year": 1e9, "ratio": 1000.0,
                "multiplier": 1000.0, "pct_gdp": 100.0, "usd": 1e13, "rub": 1e15}  # fmt: skip
DECIMAL_UNITS = ("ratio", "multiplier", "pct_gdp")


def folder_for(size: int, out: Path = DATA) -> Path:
    return out / f"claims-{size}"


def _read(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _shift_years(value: str, years: int) -> str:
    d = date.fromisoformat(value)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()


def _number(value: str, factor: float, unit: str) -> str:
    if value == "":
        return ""
    v = min(float(value) * factor, UNIT_MAXIMUM.get(unit, float("inf")))
    if unit in DECIMAL_UNITS:
        text = f"{v:.2f}".rstrip("0").rstrip(".")
        return text if text not in ("", "0") else "0"
    return f"{round(v):d}"


def _copy(row: dict[str, str], index: int, rng: random.Random, today: date) -> dict[str, str]:
    years = rng.choice((-3, -2, -1, 0))
    stated = date.fromisoformat(_shift_years(row["stated_on"], years)) + timedelta(days=rng.randint(-20, 20))
    factor = rng.uniform(0.7, 1.3)
    new = dict(row)
    new["claim_id"] = f"{row['claim_id']}-s{index:06d}"
    new["stated_on"] = min(stated, today).isoformat()
    new["date_precision"] = "day"
    new["period_start"] = _shift_years(row["period_start"], years)
    new["period_end"] = _shift_years(row["period_end"], years)
    new["value_low"] = _number(row["value_low"], factor, row["unit"])
    new["value_high"] = _number(row["value_high"], factor, row["unit"])
    new["label"] = ""
    for column in ("line_id", "line_relation"):  # a copy is no statement of a line (its figure and date moved)
        if column in new:
            new[column] = ""
    return new


def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _fingerprint(size: int, seed: int) -> str:
    h = hashlib.sha256(f"{GENERATOR_VERSION}|{size}|{seed}|{date.today()}".encode())
    for name in ("claims.csv", "sources.csv", "lines.csv", "datapackage.json"):
        if (REAL / name).exists():
            h.update((REAL / name).read_bytes())
    return h.hexdigest()


def generate(size: int, out: Path = DATA, seed: int = 2025, force: bool = False) -> Path:
    """Write a dataset of `size` claims into out/claims-<size>/ (skipped when an identical one is there)."""
    folder = folder_for(size, out)
    marker = folder / ".generated"
    fingerprint = _fingerprint(size, seed)
    if not force and marker.is_file() and marker.read_text() == fingerprint:
        return folder
    header, real = _read(REAL / "claims.csv")
    if size < len(real):
        raise SystemExit(f"size must be at least the {len(real)} real rows")
    key_cols = ("stated_on", "speaker", "subject", "comparator", "measure", "value_low", "value_high", "unit",
                "period_start", "period_end", "caliber", "quote", "source_id")  # fmt: skip
    rng = random.Random(seed)
    today = date.today()
    rows = list(real)
    seen = {tuple(r[c] for c in key_cols) for r in rows}
    index = 0
    while len(rows) < size:
        original = real[index % len(real)]
        index += 1
        for _attempt in range(20):
            new = _copy(original, index, rng, today)
            key = tuple(new[c] for c in key_cols)
            if key not in seen:
                seen.add(key)
                rows.append(new)
                break
    rows.sort(key=lambda r: r["claim_id"])

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "seeds").mkdir(parents=True)
    (folder / "claims.csv").write_text(_csv_text(header, rows), encoding="utf-8")
    for name in ("sources.csv", "lines.csv", "datapackage.json", "README.md", "CHANGELOG.md"):
        if (REAL / name).exists():  # lines.csv came with 1.2.0
            shutil.copyfile(REAL / name, folder / name)
    _, sources = _read(REAL / "sources.csv")
    for source in sources:
        target = folder / "seeds" / source["excerpt"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REAL_SEEDS / source["excerpt"], target)
    marker.write_text(fingerprint)
    return folder


def check(folder: Path) -> None:
    """Run the project's validator on a generated folder; stop with its output when it fails."""
    result = subprocess.run([str(PYTHON), "-m", "dashboard.validate", str(folder)], cwd=REPO, capture_output=True,
                            text=True, timeout=300)  # fmt: skip
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"generated dataset {folder} does not validate (exit {result.returncode})")
    print(result.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES), help="numbers of claims")
    parser.add_argument("--out", type=Path, default=DATA, help="parent folder (default bench/data, git-ignored)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--force", action="store_true", help="rewrite even when an identical dataset is there")
    parser.add_argument("--check", action="store_true", help="run python -m dashboard.validate on each")
    args = parser.parse_args(argv)
    for size in args.sizes:
        folder = generate(size, args.out, args.seed, args.force)
        print(f"{folder}: {size} claims")
        if args.check:
            check(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
