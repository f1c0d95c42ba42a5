"""The deployed topology on one machine, without Docker: N app replicas on loopback ports behind Debian's
HAProxy, configured by the same deploy/haproxy.cfg the Compose file uses.

    python -m loadtest.cluster 3 [--port 8501] [--address 127.0.0.1]     (what scripts/run-cluster runs)

Each replica is `streamlit run dashboard/app.py` in its own process group (so an export's Chromium goes
with it); HAProxy runs in the foreground (`-db`) in its own group. `stop()` ends those groups and
nothing else. Only the standard library is used, so the app's run-time packages are enough.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HAPROXY_CFG = REPO / "deploy" / "haproxy.cfg"
MAX_REPLICAS = 6  # the server slots deploy/haproxy.cfg has (APP1_ADDR..APP6_ADDR)
HAPROXY_MISSING = "haproxy not found: install Debian's haproxy (scripts/setup does it as root: apt-get install haproxy)"


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def find_haproxy() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)), None
    )


def http_ok(url: str, expect: bytes = b"ok", timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == expect
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop_group(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """SIGTERM the process's group, then SIGKILL what is left; only groups this module started."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@dataclass
class Replica:
    name: str  # app1, app2, ... (the server name and sticky-cookie value in haproxy.cfg)
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str]) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        return self.alive() and http_ok(f"{self.url}/_stcore/health")

    def kill(self) -> None:
        """Die as a crashed server does: SIGKILL to its group, no goodbye to the sockets' peers."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        _stop_group(self.process)


@dataclass
class Cluster:
    replicas: int = 2
    port: int = 8501
    address: str = "127.0.0.1"
    data_dir: Path | None = None  # None: DASHBOARD_DATA_DIR as set, else the bundled dataset
    log_dir: Path | None = None
    stats_port: int = 0
    members: list[Replica] = field(default_factory=list)
    haproxy: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        host = "localhost" if self.address in ("127.0.0.1", "0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}"

    @property
    def local_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> str:
        if not 1 <= self.replicas <= MAX_REPLICAS:
            raise ValueError(f"replicas must be 1..{MAX_REPLICAS} (deploy/haproxy.cfg has {MAX_REPLICAS} server slots)")
        haproxy = find_haproxy()
        if haproxy is None:
            raise RuntimeError(HAPROXY_MISSING)
        self.log_dir = Path(self.log_dir or tempfile.mkdtemp(prefix="shellcount-cluster-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)
        if self.data_dir is not None:
            self.env["DASHBOARD_DATA_DIR"] = str(self.data_dir)
        # One cookie secret for all replicas, so a cookie signed by one is valid on the others.
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        try:
            for number in range(1, self.replicas + 1):
                replica = Replica(f"app{number}", free_port(), self.log_dir / f"app{number}.log")
                replica.start(self.env)
                self.members.append(replica)
            self._wait(lambda: all(r.healthy() for r in self.members), timeout, "the replicas' /_stcore/health")
            self.stats_port = self.stats_port or free_port()
            self.haproxy = subprocess.Popen(
                [haproxy, "-db", "-f", str(HAPROXY_CFG)],
                env=self.haproxy_env(), stdout=open(self.log_dir / "haproxy.log", "ab"),  # noqa: SIM115
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            self._wait(lambda: http_ok(f"{self.local_url}/_stcore/health"), 30, "HAProxy on " + self.local_url)
            self._wait(lambda: set(self.backend_status().values()) == {"UP"}, 30, "HAProxy's checks of every replica")
        except BaseException:
            self.stop()
            raise
        return self.url

    def haproxy_env(self) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        env["LISTEN_ADDR"] = f"{self.address}:{self.port}"
        env["STATS_ADDR"] = f"127.0.0.1:{self.stats_port}"
        for replica in self.members:
            env[f"{replica.name.upper()}_ADDR"] = f"127.0.0.1:{replica.port}"
        return env

    def _wait(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {self.haproxy.returncode}:\n{self.log_tail('haproxy')}")
            dead = [r for r in self.members if not r.alive()]
            if dead:
                raise RuntimeError(f"{dead[0].name} exited before it answered:\n{self.log_tail(dead[0].name)}")
            if ready():
                return
            time.sleep(0.25)
        raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")

    def backend_status(self) -> dict[str, str]:
        """Each replica's state as HAProxy sees it now (UP, DOWN, ...), from its status page's CSV."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/;csv", timeout=2) as response:
                text = response.read().decode().lstrip("# ")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return {}
        rows = csv.DictReader(io.StringIO(text))
        return {
            r["svname"]: r["status"].split()[0]
            for r in rows
            if r["pxname"] == "app" and r["svname"] not in ("FRONTEND", "BACKEND")
        }

    def restart(self, name: str, timeout: float = 90.0) -> None:
        replica = next(r for r in self.members if r.name == name)
        replica.stop()
        replica.start(self.env)
        self._wait(replica.healthy, timeout, f"{name} to answer again")

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = (self.log_dir or Path()) / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        _stop_group(self.haproxy, grace=5)
        for replica in self.members:
            replica.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/run-cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("replicas", nargs="?", type=int, default=2, help=f"app processes, 1..{MAX_REPLICAS}")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")), help="default $PORT or 8501")
    parser.add_argument("--address", default="127.0.0.1", help="where HAProxy listens (default: loopback only)")
    args = parser.parse_args(argv)
    cluster = Cluster(replicas=args.replicas, port=args.port, address=args.address)

    def on_signal(signum, frame) -> None:
        raise KeyboardInterrupt  # SIGTERM (or SIGINT) stops the cluster the way Ctrl-C does

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started in the background, where SIGINT is ignored
    try:
        print(f"run-cluster: starting {args.replicas} replica(s) and HAProxy…", flush=True)
        url = cluster.start()
        for replica in cluster.members:
            print(f"  {replica.name}: {replica.url} (log {replica.log})")
        print(f"  HAProxy status page: http://127.0.0.1:{cluster.stats_port}/ (log {cluster.log_dir}/haproxy.log)")
        print(f"Shell Count is served through HAProxy at {url}  (Ctrl-C stops it)", flush=True)
        while True:
            time.sleep(1)
            if cluster.haproxy is not None and cluster.haproxy.poll() is not None:
                print(f"run-cluster: haproxy exited ({cluster.haproxy.returncode}); stopping", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, ValueError) as exc:
        print(f"run-cluster: {exc}", file=sys.stderr)
        return 1
    finally:
        print("run-cluster: stopping the replicas and HAProxy", flush=True)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
