"""Validate and load times of one dataset folder (bench/run.sh runs this at every size): `python -m dashboard.validate`
in a new process, `validate_dataset` in-process, `load_dataset` (validation and frames: the app's cold start), then the
Overview's model built from it (the page's cache miss: the first visitor's second wait), in wall and CPU seconds.
Where the time goes: `.venv/bin/python -m cProfile -s cumtime -m dashboard.validate DIR`.

    .venv/bin/python -m bench.stage_growth [--data DIR] [--dataset NAME] [--repeat 3]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.common import REPO, parser, record_samples
from dashboard import cli

LINK = "https://example.org/?view=overview"  # the permalink drawn in the figure: any short URL


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.stage_growth", __doc__)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args(argv)
    data = args.data.resolve()
    from dashboard.analysis.filters import DEFAULT
    from dashboard.data.load import load_dataset
    from dashboard.data.validate import validate_dataset
    from dashboard.present import view_models

    validate_dataset(REPO / "datasets")  # imports (frictionless, plotly) and first-call costs, on the small dataset
    view_models.overview(load_dataset(REPO / "datasets").dataset, DEFAULT, LINK)
    start, cpu = time.perf_counter(), sum(os.times()[2:4])
    proc = subprocess.run([sys.executable, "-m", "dashboard.validate", str(data)], cwd=REPO, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    cli_wall, cli_cpu = [time.perf_counter() - start], [sum(os.times()[2:4]) - cpu]
    timed: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in ("validate", "load", "overview_build")}

    def time_it(name: str, step, *step_args):
        start, cpu = time.perf_counter(), time.process_time()
        out = step(*step_args)
        timed[name][0].append(time.perf_counter() - start)
        timed[name][1].append(time.process_time() - cpu)
        return out

    for _ in range(args.repeat):
        report = time_it("validate", validate_dataset, data)
        loaded = time_it("load", load_dataset, data)
        if loaded.dataset is not None:
            time_it("overview_build", view_models.overview, loaded.dataset, DEFAULT, LINK)
        del loaded  # two datasets of 100,000 rows alive at once would measure the allocator, not the code
    run = {"dataset": args.dataset, "rows": report.claims, "valid": report.valid}
    record_samples("validate_cli", cli_wall, "s", cli_cpu, **run, exit=proc.returncode,
                   output=(proc.stdout + proc.stderr).strip().splitlines()[-1:])  # fmt: skip
    for name, (wall, cpu_s) in timed.items():
        record_samples(name, wall, "s", cpu_s, **run)
    return 0


if __name__ == "__main__":
    cli.run(main)
