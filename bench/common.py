"""What the benchmark stages share: paths, the record they print, timing statistics, servers, machine facts.

A stage prints records, one JSON line each: a figure's name, its value in a unit (None: not measured, with
run["errors"] saying why) and what the run was (dataset, page, samples, CPU time, load average…). bench/run.py
collects them; bench/report.py tables them against bench/targets.toml and the saved "before".
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from dashboard import cli
from dashboard.present.registry import PAGES as REGISTERED
from serving.browser import find_chromium
from serving.launcher import APP, REPO, AppServer

BENCH = REPO / "bench"
OUT, DATA, BASELINE_APP = BENCH / "out", BENCH / "data", BENCH / "baseline_app.py"
# The system Chromium as the tests find it; a browser stage without one fails with its own error, which the report shows.
CHROMIUM = find_chromium()[0] or "chromium"
PIDS = OUT / "pids"  # servers running now (see serving.launcher.stop_leftovers)
PAGES = tuple(page.name for page in REGISTERED)  # the app's pages, from its one registry
TARGETS = tomllib.loads((BENCH / "targets.toml").read_text(encoding="utf-8"))  # targets, labels, stage settings
_servers = itertools.count(1)
STARTED_LOAD = os.getloadavg()[0]


def record(figure: str, value: float | None, unit: str, **run: object) -> None:
    """Print one result (this is all a stage prints on stdout), with the 1-minute load average when the stage started
    and now unless the run says otherwise: above nproc, other work competed for the CPUs during the measurement."""
    run.setdefault("load", [STARTED_LOAD, os.getloadavg()[0]])
    print(json.dumps({"figure": figure, "value": value, "unit": unit, "run": run}, default=str), flush=True)


def record_samples(figure: str, samples: list[float], unit: str, cpu: list[float] | None = None, **run: object) -> None:
    """A figure measured several times: the median (None without samples), the samples, and the median CPU time."""
    record(
        figure, median(samples), unit, n=len(samples), samples=samples, **({"cpu": median(cpu)} if cpu else {}), **run
    )


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def server(script: Path = APP, data_dir: Path | None = None, runs_log: Path | None = None) -> AppServer:
    """The app's one launcher, logging under bench/out/. runs_log: started through bench/serve_timed.py, which
    appends every script run's server time and post-run GC to that file."""
    name = f"{script.stem}-{os.getpid()}-{next(_servers)}"
    timed = [sys.executable, "-m", "bench.serve_timed", str(runs_log)] if runs_log else None
    return AppServer(data_dir=data_dir, log_path=OUT / f"server-{name}.log", script=script, pid_dir=PIDS,
                     launcher=timed or [sys.executable, "-m", "streamlit"])  # fmt: skip


def parser(module: str, doc: str | None, data: bool = True) -> cli.Parser:
    """A stage's options, as every command line of the project parses them; --data/--dataset name what it measures.
    SIGTERM and SIGHUP become SystemExit, so that `finally` blocks stop the servers a stage started."""

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    out = cli.Parser(prog=f"python -m {module}", description=(doc or "").split("\n\n")[0])
    if data:
        out.add_argument("--data", type=Path, default=REPO / "datasets", help="dataset folder")
        out.add_argument("--dataset", default="real", help="its name in the records (real, or its number of rows)")
    return out


def machine() -> dict:
    """What the figures were measured on, for the report's first line."""
    facts: dict = {"nproc": len(os.sched_getaffinity(0)), "python": platform.python_version()}
    with contextlib.suppress(OSError, StopIteration):
        lines = (Path("/proc/cpuinfo").read_text() + Path("/proc/meminfo").read_text()).splitlines()
        facts["cpu"] = next(x.split(":", 1)[1].strip() for x in lines if x.startswith("model name"))
        facts["memory"] = f"{next(int(x.split()[1]) for x in lines if x.startswith('MemTotal:')) / 2**20:.1f} GiB"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        facts["chromium"] = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    for name in ("streamlit", "pandas", "plotly", "kaleido", "playwright"):
        facts[name] = version(name)
    return facts


def git_state() -> str:
    """The commit, uncommitted files in dashboard/, and a hash of the code measured (others may be editing it)."""
    h = hashlib.sha256()
    for file in sorted([*(REPO / "dashboard").rglob("*.py"), REPO / ".streamlit" / "config.toml"]):
        h.update(str(file.relative_to(REPO)).encode() + b"\0" + file.read_bytes())
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "dashboard"], capture_output=True, text=True).stdout
    changed = f" + {len(dirty.splitlines())} uncommitted file(s) in dashboard/" if dirty.strip() else ""
    return f"{head}{changed} (code fingerprint {h.hexdigest()[:10]})"


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
