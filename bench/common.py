"""What the benchmark stages share: paths, the record they print, timing statistics, servers, machine facts."""

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
from dataclasses import dataclass
from pathlib import Path

from dashboard.present.registry import PAGES as REGISTERED
from serving.browser import BROWSER_ARGS, find_chromium
from serving.launcher import AppServer

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUT = BENCH / "out"
DATA = BENCH / "data"
PYTHON = REPO / ".venv" / "bin" / "python"
# The system Chromium as the tests find it ($SHELLCOUNT_CHROMIUM, else PATH), with the same flags; a browser stage
# without one fails with its own error, and the report says so.
CHROMIUM = find_chromium()[0] or "chromium"
CHROMIUM_ARGS = BROWSER_ARGS
APP = REPO / "dashboard" / "app.py"
BASELINE_APP = BENCH / "baseline_app.py"
PIDS = OUT / "pids"  # servers running now (see serving.launcher.stop_leftovers)
PAGES = tuple(page.name for page in REGISTERED)  # the app's pages, from its one registry
TARGETS = tomllib.loads((BENCH / "targets.toml").read_text(encoding="utf-8"))  # targets, labels, stage settings
_servers = itertools.count(1)


def record(figure: str, value: float | None, unit: str, **run: object) -> None:
    """Print one result: a figure's name, its value in `unit` (None: not measured, see run["errors"]) and
    what the run was (dataset, page, samples, CPU time, load average…). This is all a stage prints."""
    print(json.dumps({"figure": figure, "value": value, "unit": unit, "run": run}, default=str), flush=True)


def record_samples(figure: str, samples: list[float], unit: str, cpu: list[float] | None = None, **run: object) -> None:
    """A figure measured several times: the median, with the spread and the median CPU time beside it."""
    stats = summary(samples)
    value = stats.pop("median")
    if cpu:
        run["cpu"] = summary(cpu)["median"]
    record(figure, None if value != value else value, unit, **stats, **run)  # NaN (no samples): None


def summary(values: list[float]) -> dict:
    """Median, quartiles, min and max of a list of seconds (or any unit)."""
    if not values:
        return {"n": 0, "median": float("nan")}
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else [ordered[0]] * 3
    return {"n": len(ordered), "median": statistics.median(ordered), "q1": q[0], "q3": q[2],
            "min": ordered[0], "max": ordered[-1]}  # fmt: skip


def load1() -> float:
    """The 1-minute load average: above nproc, other work competed for the CPUs during a measurement."""
    return os.getloadavg()[0]


def rss_bytes(pid: int) -> int:
    """Resident set size of one process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@dataclass(eq=False)
class BenchServer(AppServer):
    """The shared app-server launcher, with the benchmark's log files and, when timed, a log of script runs."""

    runs_log: Path | None = None

    def runs(self) -> list[dict]:
        """The script runs a timed server (bench/serve_timed.py) has logged so far, oldest first."""
        if self.runs_log is None or not self.runs_log.exists():
            return []
        return [json.loads(line) for line in self.runs_log.read_text().splitlines() if line.strip()]

    @property
    def rss(self) -> int:
        return self.memory_kib().get("VmRSS", 0) * 1024


def bench_server(script: Path = APP, data_dir: Path | None = None, timed: bool = False, args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None) -> BenchServer:  # fmt: skip
    """timed: started through bench/serve_timed.py, which logs every script run's server time and post-run GC;
    args: extra `streamlit run` options (experiments)."""
    name = f"{script.stem}-{os.getpid()}-{next(_servers)}"
    env = dict(env or {})
    runs_log = OUT / f"runs-{name}.jsonl" if timed else None
    if runs_log is not None:
        runs_log.unlink(missing_ok=True)
        env["BENCH_RUN_LOG"] = str(runs_log)
    launcher = [sys.executable, "-m", "bench.serve_timed"] if timed else [sys.executable, "-m", "streamlit"]
    return BenchServer(data_dir=data_dir, env=env, args=list(args), log_path=OUT / f"server-{name}.log",
                       script=script, launcher=launcher, pid_dir=PIDS, runs_log=runs_log)  # fmt: skip


def install_signal_cleanup() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so `finally` blocks stop the servers we started."""

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def machine() -> dict:
    cpu = mem = chromium = ""
    with contextlib.suppress(OSError, StopIteration):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    with contextlib.suppress(OSError, StopIteration):
        lines = Path("/proc/meminfo").read_text().splitlines()
        kib = next(int(line.split()[1]) for line in lines if line.startswith("MemTotal:"))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    versions = {}
    for name in ("streamlit", "pandas", "plotly", "kaleido", "playwright"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[name] = version(name)
    return {"nproc": len(os.sched_getaffinity(0)), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "chromium": chromium, "kernel": platform.release(), **versions}  # fmt: skip


def git_state() -> str:
    """The commit, uncommitted files in dashboard/, and a hash of the code measured (others may be editing it)."""
    h = hashlib.sha256()
    for file in sorted([*(REPO / "dashboard").rglob("*.py"), REPO / ".streamlit" / "config.toml"]):
        if file.is_file():
            h.update(str(file.relative_to(REPO)).encode() + b"\0" + file.read_bytes())
    git = ["git", "-C", str(REPO)]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "dashboard"], capture_output=True, text=True
        ).stdout
    except OSError:
        return "?"
    changed = f" + {len(dirty.splitlines())} uncommitted file(s) in dashboard/" if dirty.strip() else ""
    return f"{head}{changed} (code fingerprint {h.hexdigest()[:10]})"


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
