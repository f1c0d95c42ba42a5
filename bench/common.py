"""Shared helpers for the benchmark stages: servers on free ports, timing statistics, memory, machine facts."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUT = BENCH / "out"
DATA = BENCH / "data"
PYTHON = REPO / ".venv" / "bin" / "python"
STREAMLIT = REPO / ".venv" / "bin" / "streamlit"
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
APP = REPO / "dashboard" / "app.py"
BASELINE_APP = BENCH / "baseline_app.py"
PIDS = OUT / "pids"


def kill_leftover_servers() -> list[int]:
    """Stop servers that a stage started and could not stop itself (it was killed at its time limit).

    Each Server leaves its process id in bench/out/pids/ while it runs; a leftover id is signalled only if
    that process is still a `streamlit run` of one of our two scripts (ids get reused)."""
    stopped = []
    for file in PIDS.glob("*") if PIDS.is_dir() else ():
        pid = int(file.name)
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmdline = ""
        if (
            ("streamlit" in cmdline or "bench.serve_timed" in cmdline)
            and " run " in cmdline
            and file.read_text().rsplit("/", 1)[-1] in cmdline
        ):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
                stopped.append(pid)
        file.unlink(missing_ok=True)
    return stopped


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


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


class Server:
    """`streamlit run SCRIPT` on a free loopback port, started the way the real app is; killed on exit.

    The process gets its own session (process group), so stopping it also stops anything it started,
    and only that: we signal the group by the id we were given, never by name.
    """

    def __init__(self, script: Path, data_dir: Path | None = None, env: dict[str, str] | None = None,
                 timed: bool = False, options: tuple[str, ...] = ()):  # fmt: skip
        """timed: started through bench/serve_timed.py, which logs every script run's server time and post-run
        GC to `self.runs_log` (read with `self.runs()`); options: extra `streamlit run` options (experiments)."""
        self.script = script
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, **(env or {})}
        if data_dir is not None:
            self.env["DASHBOARD_DATA_DIR"] = str(data_dir)
        self.proc: subprocess.Popen | None = None
        self.log = OUT / f"server-{script.stem}-{self.port}.log"
        self.timed, self.options = timed, tuple(options)
        self.runs_log = OUT / f"runs-{script.stem}-{self.port}.jsonl"
        if timed:
            self.env["BENCH_RUN_LOG"] = str(self.runs_log)

    def runs(self) -> list[dict]:
        """The script runs this (timed) server has logged so far, oldest first."""
        if not self.runs_log.exists():
            return []
        return [json.loads(line) for line in self.runs_log.read_text().splitlines() if line.strip()]

    def start(self, timeout: float = 60) -> Server:
        OUT.mkdir(parents=True, exist_ok=True)
        launcher = [str(PYTHON), "-m", "bench.serve_timed"] if self.timed else [str(STREAMLIT)]
        self.runs_log.unlink(missing_ok=True)
        cmd = [*launcher, "run", str(self.script.relative_to(REPO)), "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               *self.options]  # fmt: skip
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # fmt: skip
        PIDS.mkdir(parents=True, exist_ok=True)
        (PIDS / str(self.proc.pid)).write_text(str(self.script))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.script.name} exited early; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{self.script.name} did not answer on {self.url} within {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None:
            return
        (PIDS / str(self.proc.pid)).unlink(missing_ok=True)
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    @property
    def rss(self) -> int:
        return rss_bytes(self.proc.pid) if self.proc else 0

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def servers(*items: Server) -> Iterator[tuple[Server, ...]]:
    started: list[Server] = []
    try:
        for s in items:
            started.append(s.start())
        yield items
    finally:
        for s in reversed(started):
            s.stop()


def install_signal_cleanup() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so `finally` blocks stop the servers we started."""

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    chromium = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    versions = {}
    for name in ("streamlit", "pandas", "plotly", "kaleido", "playwright"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[name] = version(name)
    return {"nproc": len(os.sched_getaffinity(0)), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "chromium": chromium, "kernel": platform.release(), **versions}  # fmt: skip


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
