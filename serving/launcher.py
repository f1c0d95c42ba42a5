"""Start the app as a real server, for the browser tests, the benchmarks, the load runs and the cluster: one launcher.

    with serve(data_dir=folder) as server:      # `streamlit run dashboard/app.py` on a free loopback port
        open_in_browser(server.url + "/output")  # stopped (its whole process group) when the block ends

The server is a child process in its own process group, started from the repository root (so the app's
.streamlit/config.toml applies), awaited on /_stcore/health and stopped by signalling that group: the
server and anything it started (kaleido's Chromium), by the id we were given, never by name. A `finally`
stops it on an exception or Ctrl-C too, and an exit hook stops any server still running when Python exits.
No Streamlit import here: importing this module costs nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from dashboard import settings
from serving import process
from serving.process import free_port, stop_group

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "dashboard" / "app.py"
# Environment that changes what the app shows: each server gets it explicitly (data_dir, env) or not at all, so a
# test or a benchmark never serves whatever dataset the shell happened to point at.
APP_SETTINGS = (settings.DATA_DIR, settings.SEEDS_DIR, settings.PUBLIC_URL)
_RUNNING: set[AppServer] = set()

__all__ = ["APP", "APP_SETTINGS", "REPO", "AppServer", "free_port", "serve", "stop_group", "stop_leftovers"]


@dataclass(eq=False)
class AppServer:
    """One `streamlit run SCRIPT` on 127.0.0.1. `start()` returns the URL; `stop()` ends the process group."""

    data_dir: Path | None = None  # DASHBOARD_DATA_DIR; None: the live dataset
    env: dict[str, str] = field(default_factory=dict)  # added to the environment; "{url}" becomes the base URL
    args: list[str] = field(default_factory=list)  # extra `streamlit run` options
    base_path: str = ""  # server.baseUrlPath, e.g. "shellcount"
    log_path: Path | None = None  # the server's stdout and stderr, appended; None: discarded
    script: Path = APP
    launcher: list[str] = field(default_factory=lambda: [sys.executable, "-m", "streamlit"])  # before "run"
    pid_dir: Path | None = None  # while running, a file named by its pid: see stop_leftovers()
    port: int = 0  # 0: a free port, chosen at start
    name: str = ""  # what a cluster calls it (app1, app2, …: HAProxy's server name and sticky-cookie value)
    process: subprocess.Popen | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        base = self.base_path.strip("/")
        return f"http://127.0.0.1:{self.port}" + (f"/{base}" if base else "")

    def command(self) -> list[str]:
        script = self.script.relative_to(REPO) if self.script.is_relative_to(REPO) else self.script
        cmd = [*self.launcher, "run", str(script), "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false", *self.args]  # fmt: skip
        if self.base_path.strip("/"):
            cmd += ["--server.baseUrlPath", self.base_path.strip("/")]
        return cmd

    def start(self, timeout: float = 90.0) -> str:
        self.launch()
        self.wait_ready(timeout)
        return self.url

    def launch(self) -> None:
        """Start the process and return at once (a cluster starts all its replicas before it waits for any)."""
        self.port = self.port or free_port()
        if self._log:  # relaunched after a kill (a fault run): the old handle is not needed any more
            self._log.close()
        env = settings.environment_without(*APP_SETTINGS)
        if self.data_dir is not None:
            env[settings.DATA_DIR.name] = str(self.data_dir)
        env.update({k: v.replace("{url}", self.url) for k, v in self.env.items()})
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            # appended: a restarted server keeps the log of the run that ended (why it had to be restarted)
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(self.command(), cwd=REPO, env=env, stdout=self._log or subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        _RUNNING.add(self)
        if self.pid_dir is not None:
            self.pid_dir.mkdir(parents=True, exist_ok=True)
            (self.pid_dir / str(self.process.pid)).write_text(str(self.script))

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Wait until /_stcore/health says ok; stop the server and raise (with its log) if it exits or never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                code = self.process.returncode if self.process is not None else None
                self.stop()
                raise RuntimeError(f"{self.name or self.script.name} exited with code {code} before it answered\n"
                                   f"{self.log_tail()}")  # fmt: skip
            if self.healthy():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"{self.name or self.script.name} did not answer /_stcore/health within {timeout:.0f} s\n{self.log_tail()}"
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        return self.running() and process.http_ok(f"{self.url}/_stcore/health")

    def ensure_running(self) -> str | None:
        """Restart the server on its port if it has exited; returns why it had to, or None."""
        if self.running():
            return None
        code = self.process.returncode if self.process is not None else None
        why = f"the app server on port {self.port} had exited (code {code}); restarted it\n{self.log_tail(10)}"
        self.stop()
        self.start()
        return why

    def kill(self) -> None:
        """Die as a crashed server does: SIGKILL to its group (for the failover tests and fault runs)."""
        if self.process is not None:
            process.kill_group(self.process)

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL if it lingers and to whatever outlived the server."""
        proc = self.process
        _RUNNING.discard(self)
        if proc is not None:
            stop_group(proc)
            if self.pid_dir is not None:
                (self.pid_dir / str(proc.pid)).unlink(missing_ok=True)
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def memory_kib(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak resident set) of the server process, in KiB."""
        return process.status_kib(self.process.pid) if self.process is not None else {}

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (threads included)."""
        return process.cpu_seconds(self.process.pid) if self.process is not None else 0.0

    def group_rss_kib(self) -> int:
        """Resident memory of every process in the server's process group (server + kaleido's Chromium)."""
        return process.group_usage(self.process.pid)[1] // 1024 if self.process is not None else 0


@contextlib.contextmanager
def serve(data_dir: Path | None = None, **options: object) -> Iterator[AppServer]:
    """An AppServer (same options), started, and stopped when the block ends, however it ends."""
    server = AppServer(data_dir=data_dir, **options)  # type: ignore[arg-type]
    try:
        server.start()
        yield server
    finally:
        server.stop()


def stop_leftovers(pid_dir: Path) -> list[int]:
    """Stop servers whose starter was killed before it could stop them (their pid files are still in pid_dir).

    A pid is signalled only if that process is still a `… run SCRIPT` of the script its file names (ids get
    reused)."""
    stopped = []
    for file in pid_dir.glob("*") if pid_dir.is_dir() else ():
        with contextlib.suppress(ValueError, OSError):
            pid, script = int(file.name), file.read_text().rsplit("/", 1)[-1]
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if " run " in cmdline and script in cmdline:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
                    stopped.append(pid)
        file.unlink(missing_ok=True)
    return stopped


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()
