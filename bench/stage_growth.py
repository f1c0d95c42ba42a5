"""Validate and load times of one dataset folder (bench/run.sh runs this at every size): `python -m dashboard.validate`
in a new process, `validate_dataset` in-process, and `load_dataset` (which validates and builds the frames: the app's
cold start), each in wall and CPU seconds. Where the time goes: `python -m cProfile -s cumtime -m dashboard.validate DIR`.

    .venv/bin/python -m bench.stage_growth [--data DIR] [--dataset NAME] [--repeat 3]
"""

from __future__ import annotations

import os
import subprocess
import time

from bench.common import PYTHON, REPO, parser, record_samples
from dashboard import cli


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.stage_growth", __doc__)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args(argv)
    data = args.data.resolve()
    from dashboard.data.load import load_dataset
    from dashboard.data.validate import validate_dataset

    validate_dataset(REPO / "datasets")  # imports (frictionless) and first-call costs, on the small dataset
    load_dataset(REPO / "datasets")
    start, cpu = time.perf_counter(), sum(os.times()[2:4])
    proc = subprocess.run([str(PYTHON), "-m", "dashboard.validate", str(data)], cwd=REPO, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    cli_wall, cli_cpu = [time.perf_counter() - start], [sum(os.times()[2:4]) - cpu]
    output = (proc.stdout + proc.stderr).strip().splitlines()[-1:]
    timed: dict[str, tuple[list[float], list[float]]] = {"validate": ([], []), "load": ([], [])}
    report = None  # the validator's: how many rows, and whether they were valid
    for _ in range(args.repeat):
        for name, step in (("validate", validate_dataset), ("load", load_dataset)):
            start, cpu = time.perf_counter(), time.process_time()
            result = step(data)
            timed[name][0].append(time.perf_counter() - start)
            timed[name][1].append(time.process_time() - cpu)
            report = result if name == "validate" else report
    run = {"dataset": args.dataset, "rows": report.claims, "valid": report.valid}
    record_samples("validate_cli", cli_wall, "s", cli_cpu, **run, exit=proc.returncode, output=output)
    for name, (wall, cpu_s) in timed.items():
        record_samples(name, wall, "s", cpu_s, **run)
    return 0


if __name__ == "__main__":
    cli.run(main)
