"""The deployed topology on one machine, without Docker: N app replicas on loopback ports behind Debian's
HAProxy, configured by the same deploy/haproxy.cfg the Compose file uses.

    python -m serving.cluster 3 [--port 8501] [--address 127.0.0.1]     (what scripts/run-cluster runs)

Each replica is an AppServer (serving/launcher.py: `streamlit run dashboard/app.py` in its own process group,
so an export's Chromium goes with it); beside them, Streamlit's bundle precompressed (serving/assets.py), and
HAProxy in the foreground (`-db`), each in its own group. `stop()` ends those groups and nothing else. Only the standard library is used, so the app's run-time packages are enough.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import cli, settings
from serving.launcher import APP, APP_SETTINGS, REPO, AppServer
from serving.process import free_port, http_ok, stop_group

HAPROXY_CFG = REPO / "deploy" / "haproxy.cfg"
MAX_REPLICAS = 6  # the server slots deploy/haproxy.cfg has (APP1_ADDR..APP6_ADDR)
HAPROXY_MISSING = "haproxy not found: install Debian's haproxy (scripts/setup does it as root: apt-get install haproxy)"

__all__ = ["HAPROXY_CFG", "HAPROXY_MISSING", "MAX_REPLICAS", "Cluster", "find_haproxy", "free_port"]


def find_haproxy() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)), None
    )


@dataclass
class Cluster:
    replicas: int = 2
    port: int = 8501
    address: str = "127.0.0.1"
    data_dir: Path | None = None  # DASHBOARD_DATA_DIR of every replica; None: the bundled dataset
    log_dir: Path | None = None
    stats_port: int = 0
    env: dict[str, str] = field(default_factory=dict)  # added to every replica's environment
    precompressed: bool = True  # serve Streamlit's bundle from serving/assets.py (False: HAProxy compresses it)
    script: Path = APP  # what each replica runs (the load run compares the app with bench/baseline_app.py)
    members: list[AppServer] = field(default_factory=list)
    haproxy: subprocess.Popen | None = None
    assets: subprocess.Popen | None = None
    assets_port: int = 0

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
        # One cookie secret for all replicas, so a cookie signed by one is valid on the others.
        self.env.setdefault(settings.COOKIE_SECRET.name, settings.COOKIE_SECRET.get() or secrets.token_hex(32))
        try:
            for number in range(1, self.replicas + 1):
                name = f"app{number}"
                replica = AppServer(data_dir=self.data_dir, env=self.env, log_path=self.log_dir / f"{name}.log",
                                    name=name, script=self.script)  # fmt: skip
                replica.launch()  # all of them first: they load in parallel
                self.members.append(replica)
            if self.precompressed:
                self._start_assets()
            deadline = time.monotonic() + timeout
            for replica in self.members:
                replica.wait_ready(max(1.0, deadline - time.monotonic()))
            self.stats_port = self.stats_port or free_port()
            with open(self.log_dir / "haproxy.log", "ab") as log:
                self.haproxy = subprocess.Popen([haproxy, "-db", "-f", str(HAPROXY_CFG)], env=self.haproxy_env(),
                                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
            self._wait(lambda: http_ok(f"{self.local_url}/_stcore/health"), 30, "HAProxy on " + self.local_url)
            self._wait(lambda: set(self.backend_status().values()) == {"UP"}, 30, "HAProxy's checks of every replica")
            if self.assets is not None:
                self._wait(lambda: self.backend_status("assets") == {"assets": "UP"}, 30, "HAProxy's check of assets")
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start_assets(self) -> None:
        """`python -m serving.assets` on a free port, started with the replicas (it gzips while they load)."""
        self.assets_port = free_port()
        assert self.log_dir is not None
        with open(self.log_dir / "assets.log", "ab") as log:
            self.assets = subprocess.Popen([sys.executable, "-m", "serving.assets", "--port", str(self.assets_port)],
                                           cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self._wait(lambda: http_ok(f"http://127.0.0.1:{self.assets_port}/health"), 60, "the precompressed assets")

    def haproxy_env(self) -> dict[str, str]:
        """Everything deploy/haproxy.cfg reads, and nothing else: a stray APPn_ADDR in the caller's environment
        must not add a server."""
        env = {"LISTEN_ADDR": f"{self.address}:{self.port}", "STATS_ADDR": f"127.0.0.1:{self.stats_port}"}
        for replica in self.members:
            env[f"{replica.name.upper()}_ADDR"] = f"127.0.0.1:{replica.port}"
        if self.assets is not None:
            env["ASSETS_ADDR"] = f"127.0.0.1:{self.assets_port}"
        return env

    def _wait(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in (("haproxy", self.haproxy), ("assets", self.assets)):
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode}:\n{self.log_tail(name)}")
            dead = [r for r in self.members if not r.running()]
            if dead:
                raise RuntimeError(f"{dead[0].name} exited:\n{dead[0].log_tail(30)}")
            if ready():
                return
            time.sleep(0.25)
        raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")

    def backend_status(self, backend: str = "app") -> dict[str, str]:
        """Each server's state as HAProxy sees it now (UP, DOWN, ...), from its status page's CSV: the replicas
        (backend "app") or the precompressed assets ("assets")."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/;csv", timeout=2) as response:
                text = response.read().decode().lstrip("# ")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return {}
        rows = csv.DictReader(io.StringIO(text))
        return {
            r["svname"]: r["status"].split()[0]
            for r in rows
            if r["pxname"] == backend and r["svname"] not in ("FRONTEND", "BACKEND")
        }

    def replica(self, name: str) -> AppServer:
        return next(r for r in self.members if r.name == name)

    def restart(self, name: str, timeout: float = 90.0) -> None:
        replica = self.replica(name)
        replica.stop()
        replica.start(timeout)  # same port: HAProxy's server line still points at it

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = (self.log_dir or Path()) / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        stop_group(self.haproxy, grace=5)
        stop_group(self.assets, grace=5)
        for replica in self.members:
            replica.stop()


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="scripts/run-cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("replicas", nargs="?", type=int, default=2, help=f"app processes, 1..{MAX_REPLICAS}")
    # a string default goes through `type` too, so a bad $PORT is a usage error, not a traceback
    parser.add_argument("--port", type=int, default=settings.PORT.get(), help=f"default ${settings.PORT.name} or 8501")
    parser.add_argument("--address", default="127.0.0.1", help="where HAProxy listens (default: loopback only)")
    args = parser.parse_args(argv)
    # What the shell set for the app (a release root, a public address) reaches every replica, as in Compose.
    inherited = {s.name: s.get() for s in APP_SETTINGS if s is not settings.DATA_DIR and s.get()}
    data_dir = Path(settings.DATA_DIR.get()) if settings.DATA_DIR.get() else None
    cluster = Cluster(replicas=args.replicas, port=args.port, address=args.address, data_dir=data_dir, env=inherited)

    def on_signal(signum, frame) -> None:
        raise KeyboardInterrupt  # SIGTERM (or SIGINT) stops the cluster the way Ctrl-C does

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started in the background, where SIGINT is ignored
    try:
        print(f"run-cluster: starting {args.replicas} replica(s) and HAProxy…", flush=True)
        url = cluster.start()
        for replica in cluster.members:
            print(f"  {replica.name}: {replica.url} (log {replica.log_path})")
        if cluster.assets is not None:
            print(
                f"  Streamlit's bundle, precompressed: http://127.0.0.1:{cluster.assets_port}/ (log {cluster.log_dir}/assets.log)"
            )
        print(f"  HAProxy status page: http://127.0.0.1:{cluster.stats_port}/ (log {cluster.log_dir}/haproxy.log)")
        print(f"Shell Count is served through HAProxy at {url}  (Ctrl-C stops it)", flush=True)
        while True:
            time.sleep(1)
            if cluster.haproxy is not None and cluster.haproxy.poll() is not None:
                print(f"run-cluster: haproxy exited ({cluster.haproxy.returncode}); stopping", file=sys.stderr)
                return 1
    except KeyboardInterrupt:  # the normal way to stop a server: not an interruption
        return cli.EXIT_OK
    except (RuntimeError, ValueError) as exc:
        print(f"run-cluster: {exc}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    finally:
        print("run-cluster: stopping the replicas and HAProxy", flush=True)
        cluster.stop()


if __name__ == "__main__":
    cli.run(main)
