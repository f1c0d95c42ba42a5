"""Validate and load times of one dataset folder (the growth benchmark runs this at every size).

    .venv/bin/python -m bench.stage_growth --data DIR [--dataset NAME] [--repeat 3]

validate_cli: wall time of `python -m dashboard.validate DIR` in a new process (what a maintainer waits for;
interpreter start and imports included). validate: `validate_dataset(DIR)` in-process, imports warm.
load: `load_dataset(DIR)` in-process, which is validate + load (one reading path: the frames are built from
the validator's tables), what the app's first visitor waits for. overview_build: the Overview's model
built from that dataset (`view_models.overview`, the page's cache miss; the first visitor's second wait).
Each also in CPU seconds (the child's rusage for the CLI), steadier than the wall clock on a shared machine.
Prints records (bench/common.py): validate_cli, validate, load, overview_build, with the dataset's name and
number of rows; bench/targets.toml holds their targets (big_validate_s, big_load_s, big_overview_s).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PYTHON, REPO, load1, record_samples

LINK = "https://example.org/?view=overview"  # the permalink drawn in the figure: any short URL


def timed(fn, *args) -> tuple[float, float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    return time.perf_counter() - start, time.process_time() - cpu, value


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stage_growth")
    parser.add_argument("--data", type=Path, default=REPO / "datasets")
    parser.add_argument("--dataset", default="real", help="its name in the records (real, or its number of rows)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli-repeat", type=int, default=1)
    args = parser.parse_args(argv)
    data = args.data.resolve()
    from dashboard.analysis.filters import DEFAULT
    from dashboard.data.load import load_dataset
    from dashboard.data.validate import validate_dataset
    from dashboard.present import view_models

    validate_dataset(REPO / "datasets")  # imports (frictionless, plotly) and first-call costs, on the small dataset
    view_models.overview(load_dataset(REPO / "datasets").dataset, DEFAULT, LINK)
    cli, cli_cpu, cli_out = [], [], {}
    load_start = load1()
    for _ in range(args.cli_repeat):
        start, cpu = time.perf_counter(), children_cpu()
        proc = subprocess.run([str(PYTHON), "-m", "dashboard.validate", str(data)], cwd=REPO, capture_output=True,
                              text=True, timeout=600)  # fmt: skip
        cli.append(time.perf_counter() - start)
        cli_cpu.append(children_cpu() - cpu)
        cli_out = {"exit": proc.returncode, "output": (proc.stdout + proc.stderr).strip().splitlines()[-1:]}
    validate, load, overview, validate_cpu, load_cpu, overview_cpu = [], [], [], [], [], []
    for _ in range(args.repeat):
        seconds, cpu, report = timed(validate_dataset, data)
        validate.append(seconds)
        validate_cpu.append(cpu)
        seconds, cpu, result = timed(load_dataset, data)
        load.append(seconds)
        load_cpu.append(cpu)
        if result.dataset is not None:
            seconds, cpu, _ = timed(view_models.overview, result.dataset, DEFAULT, LINK)
            overview.append(seconds)
            overview_cpu.append(cpu)
        del result  # two datasets of 100,000 rows alive at once would measure the allocator, not the code
    run = {"dataset": args.dataset, "rows": report.claims, "valid": report.valid, "load": [load_start, load1()]}
    record_samples("validate_cli", cli, "s", cli_cpu, **run, **cli_out)
    record_samples("validate", validate, "s", validate_cpu, **run)
    record_samples("load", load, "s", load_cpu, **run)
    record_samples("overview_build", overview, "s", overview_cpu, **run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
