"""Process helpers shared by the launcher, the cluster, the benchmarks and the load run.

Everything here acts on processes by the id it was given, never by name: a server runs in its own process
group (start_new_session), and stopping it means signalling that group. The /proc readers are Linux-only,
which is where the project is served and measured.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def free_port(address: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the kernel's pick), for a server started right after."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def http_ok(url: str, expect: bytes = b"ok", timeout: float = 2.0) -> bool:
    """True when `url` answers 200 with exactly `expect` (Streamlit's /_stcore/health says "ok")."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == expect
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def stop_group(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """SIGTERM to a process's whole group, then SIGKILL to what is left of the group.

    The final SIGKILL is unconditional because the group can outlive its leader: kaleido's Chromium under an
    app server, Playwright's driver under a benchmark stage."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    kill_group(proc)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL to the process's group, as a crash would end it (no goodbye to its sockets' peers)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def status_kib(pid: int, keys: tuple[str, ...] = ("VmRSS", "VmHWM")) -> dict[str, int]:
    """Memory lines of /proc/<pid>/status in KiB (VmRSS: resident now, VmHWM: its peak); {} once it is gone."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in keys:
                out[key] = int(value.split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time one process has used so far (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (stat fields 14, 15)


def group_usage(pgid: int) -> tuple[float, int, float]:
    """(CPU seconds, resident bytes, seconds runnable but waiting for a CPU), summed over a process group.

    The last one tells a slow server from a starved one: it grows when other work on the machine holds the
    cores (from each thread's /proc schedstat)."""
    cpu, rss, waited = 0.0, 0, 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # stat field 5: the process group
                continue
            cpu += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            rss += int(fields[21]) * PAGE_BYTES  # stat field 24: resident pages
            for task in (stat.parent / "task").glob("*/schedstat"):
                waited += int(task.read_text().split()[1]) / 1e9  # run-queue wait, ns
        except (OSError, IndexError, ValueError):
            continue
    return cpu, rss, waited
