"""Synthetic Shell Count datasets of a given number of claims, valid under `python -m dashboard.validate`.

    .venv/bin/python -m bench.generate                      # 1,000, 10,000 and 100,000 claims under bench/data/
    .venv/bin/python -m bench.generate 5000 --out /tmp/x    # one size elsewhere

Each is the real dataset grown in place: the real rows unchanged, plus copies with new ids, dates moved by whole years
(periods) and a few days (statements), values × 0.7-1.3, so the mix of measures, units, open bounds, text lengths
and quotes stays that of the real data. Copies keep their source (every quote is still in its excerpt), carry no
chart label and no line of claims (their figure and date moved), and are dated by day. The other files and the
excerpts are the real ones. Deterministic for a given size, seed and day; bench/data/ is git-ignored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from bench.common import DATA, REPO
from dashboard import cli

REAL, REAL_SEEDS = REPO / "datasets", REPO / "seeds"
COPIED = ("sources.csv", "lines.csv", "datapackage.json", "README.md", "CHANGELOG.md")
GENERATOR_VERSION = "1"
UNIT_MAXIMUM = {"shells": 1e9, "shells_per_month": 1e8, "shells_per_year": 1e9, "ratio": 1000.0,
                "multiplier": 1000.0, "pct_gdp": 100.0, "usd": 1e13, "rub": 1e15}  # fmt: skip
DECIMAL_UNITS = ("ratio", "multiplier", "pct_gdp")
# A copy must not repeat a claim the validator would call a duplicate.
KEY = ("stated_on", "speaker", "subject", "comparator", "measure", "value_low", "value_high", "unit", "period_start",
       "period_end", "caliber", "quote", "source_id")  # fmt: skip


def read(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def shift_years(value: str, years: int) -> str:
    d = date.fromisoformat(value)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()


def scaled(value: str, factor: float, unit: str) -> str:
    if value == "":
        return ""
    v = min(float(value) * factor, UNIT_MAXIMUM.get(unit, float("inf")))
    return (f"{v:.2f}".rstrip("0").rstrip(".") or "0") if unit in DECIMAL_UNITS else f"{round(v):d}"


def copy(row: dict[str, str], index: int, rng: random.Random, today: date) -> dict[str, str]:
    years = rng.choice((-3, -2, -1, 0))
    stated = date.fromisoformat(shift_years(row["stated_on"], years)) + timedelta(days=rng.randint(-20, 20))
    factor = rng.uniform(0.7, 1.3)
    new = {**row, "claim_id": f"{row['claim_id']}-s{index:06d}", "stated_on": min(stated, today).isoformat(),
           "date_precision": "day", "period_start": shift_years(row["period_start"], years),
           "period_end": shift_years(row["period_end"], years), "label": "",
           "value_low": scaled(row["value_low"], factor, row["unit"]),
           "value_high": scaled(row["value_high"], factor, row["unit"])}  # fmt: skip
    return {**new, **{column: "" for column in ("line_id", "line_relation") if column in new}}


def generate(size: int, out: Path = DATA, seed: int = 2025) -> Path:
    """Write a dataset of `size` claims into out/claims-<size>/ (kept when an identical one is there)."""
    folder = out / f"claims-{size}"
    h = hashlib.sha256(f"{GENERATOR_VERSION}|{size}|{seed}|{date.today()}".encode())
    for name in ("claims.csv", *COPIED):
        h.update((REAL / name).read_bytes() if (REAL / name).exists() else b"")
    marker = folder / ".generated"
    if marker.is_file() and marker.read_text() == h.hexdigest():
        return folder
    header, real = read(REAL / "claims.csv")
    if size < len(real):
        raise SystemExit(f"size must be at least the {len(real)} real rows")
    rng, today, rows = random.Random(seed), date.today(), list(real)
    seen = {tuple(r[c] for c in KEY) for r in rows}
    index = 0
    while len(rows) < size:
        original, index = real[index % len(real)], index + 1
        for _attempt in range(20):
            new = copy(original, index, rng, today)
            if (key := tuple(new[c] for c in KEY)) not in seen:
                seen.add(key)
                rows.append(new)
                break
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "seeds").mkdir(parents=True)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: r["claim_id"]))
    (folder / "claims.csv").write_text(text.getvalue(), encoding="utf-8")
    for name in (name for name in COPIED if (REAL / name).exists()):
        shutil.copyfile(REAL / name, folder / name)
    for source in read(REAL / "sources.csv")[1]:
        (folder / "seeds" / source["excerpt"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REAL_SEEDS / source["excerpt"], folder / "seeds" / source["excerpt"])
    marker.write_text(h.hexdigest())
    return folder


def main(argv: list[str] | None = None) -> int:
    options = cli.Parser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    options.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000], help="numbers of claims")
    options.add_argument("--out", type=Path, default=DATA, help="parent folder (default bench/data, git-ignored)")
    options.add_argument("--seed", type=int, default=2025)
    args = options.parse_args(argv)
    for size in args.sizes:
        print(f"{generate(size, args.out, args.seed)}: {size} claims (check: python -m dashboard.validate FOLDER)")
    return 0


if __name__ == "__main__":
    cli.run(main)
