"""The protocol-level load run: start the cluster, drive Locust users, sample the servers, inject a fault.

    .venv/bin/python -m loadtest --replicas 2 --steps 50,100,200 --step-seconds 40
    .venv/bin/python -m loadtest --replicas 2 --users 60 --seconds 60 --fault kill --fault-at 20
    .venv/bin/python -m loadtest --url http://localhost:8501 --users 20 --seconds 30      (a running server)

Runs Locust in this process (its library API, one local runner, gevent) with the users of
loadtest/locustfile.py. Every script run is recorded with its time; reported per step and per
"<action> <page>": runs, failures, p50/p95/p99 latency. Each replica's process group (the server and
any Chromium it started) is sampled once a second from /proc: CPU share and resident memory; so are
HAProxy and this process. Faults (--fault): `kill` SIGKILLs replica app1 mid-run, `restart` kills every
replica and starts them again, `release` switches the dataset release every few seconds (and tries a
broken one), `slow` adds stalled and mid-download-disconnecting clients. Everything stays on loopback
and every process started here is stopped at the end. Exit 1 when a check failed (see --help).
"""

from __future__ import annotations

import gevent.monkey

gevent.monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust.env import Environment  # noqa: E402

from dashboard import cli, settings  # noqa: E402
from loadtest import locustfile  # noqa: E402
from loadtest.measure import Recorder, Sampler, summarise  # noqa: E402
from serving.cluster import REPO, Cluster  # noqa: E402
from serving.process import free_port  # noqa: E402


# ---- faults ------------------------------------------------------------------------------------------
def fault_kill(cluster: Cluster, recorder: Recorder, notes: dict) -> None:
    victim = cluster.members[0]
    notes["killed"] = victim.name
    notes["killed_at_s"] = round(recorder.now(), 2)
    victim.kill()
    while cluster.backend_status().get(victim.name) == "UP":
        gevent.sleep(0.1)
    notes["haproxy_marked_down_after_s"] = round(recorder.now() - notes["killed_at_s"], 2)


def fault_restart(cluster: Cluster, recorder: Recorder, notes: dict) -> None:
    notes["restarted_at_s"] = round(recorder.now(), 2)
    for replica in cluster.members:
        replica.kill()
    for replica in cluster.members:
        replica.launch()  # same ports: HAProxy finds them again
    while not all(r.healthy() for r in cluster.members):
        gevent.sleep(0.2)
    notes["replicas_answer_again_after_s"] = round(recorder.now() - notes["restarted_at_s"], 2)


def fault_release(cluster: Cluster, recorder: Recorder, notes: dict, root: Path, sources: list[Path]) -> None:
    """Switch between two valid releases every 4 s; midway, try a broken one (it must be refused)."""
    switcher = REPO / "deploy" / "switch_release.py"
    broken = sources[2]
    notes.setdefault("switches", [])
    for i in range(8):
        source = broken if i == 4 else sources[i % 2]
        before = os.readlink(root / "current")
        done = subprocess.run([sys.executable, str(switcher), str(root), str(source)],
                              capture_output=True, text=True, check=False)  # fmt: skip
        after = os.readlink(root / "current")
        notes["switches"].append({"at_s": round(recorder.now(), 2), "source": source.name, "exit": done.returncode,
                                  "current_changed": before != after})  # fmt: skip
        gevent.sleep(4)


def fault_slow(cluster: Cluster, recorder: Recorder, notes: dict, stop_at: float) -> None:
    """Stalled readers (a rerun asked for, nothing read, tiny receive buffer) and clients that drop
    mid-download (a large static file, a few KB read, then the socket closed), next to the real users."""
    from loadtest.protocol import StreamlitSession

    stalled = []
    for _ in range(10):
        session = StreamlitSession(cluster.local_url, timeout=30)
        try:
            session.open("data")
            session.ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            for _ in range(20):  # ask for 20 reruns of the heaviest page and never read the answers
                session.ws.send_binary(_rerun_bytes(session))
        except Exception as exc:  # noqa: BLE001 - a failing slow client is a note, not a crash of the run
            notes.setdefault("slow_client_errors", []).append(str(exc)[:120])
        stalled.append(session)
    notes["stalled_sessions"] = len(stalled)
    asset = _largest_static_asset(cluster)
    drops = 0
    while recorder.now() < stop_at:
        try:
            with socket.create_connection(("127.0.0.1", cluster.port), timeout=5) as sock:
                sock.sendall(f"GET {asset} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
                sock.recv(4096)
            drops += 1
        except OSError as exc:
            notes.setdefault("drop_errors", []).append(str(exc)[:120])
        gevent.sleep(0.2)
    notes["mid_download_disconnects"] = drops
    notes["static_asset"] = asset
    for session in stalled:
        session.close()


def _rerun_bytes(session) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.page_script_hash = session.pages.get("data", "")
    msg.rerun_script.page_name = "data"
    return msg.SerializeToString()


def _largest_static_asset(cluster: Cluster) -> str:
    import re
    import urllib.request

    html = urllib.request.urlopen(cluster.local_url + "/", timeout=10).read().decode()
    scripts = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', html)
    return "/" + (scripts[0] if scripts else "")


# ---- the run ---------------------------------------------------------------------------------------------
def make_release_root(tmp: Path) -> tuple[Path, list[Path]]:
    """ROOT with the live dataset switched in, plus two more sources: the same data as a new minor
    version, and a broken copy (an impossible date)."""
    switch = _switch_module().switch

    root = tmp / "releases-root"
    a = tmp / "release-a"
    shutil.copytree(REPO / "datasets", a)
    shutil.copytree(REPO / "seeds", a / "seeds")
    b = tmp / "release-b"
    shutil.copytree(a, b)
    package = json.loads((b / "datapackage.json").read_text(encoding="utf-8"))
    package["version"] = _bump(package["version"])
    (b / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    broken = tmp / "release-broken"
    shutil.copytree(a, broken)
    claims = broken / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    first[1] = "2025-02-30"  # stated_on
    lines[1] = ",".join(first)
    claims.write_text("".join(lines), encoding="utf-8")
    ok, message = switch(root, a)
    if not ok:
        raise RuntimeError(message)
    return root, [a, b, broken]


def _bump(version: str) -> str:
    major, minor, _patch = (int(x) for x in version.split("."))
    return f"{major}.{minor + 1}.0"


def _switch_module():
    """deploy/switch_release.py (a script, not a package module), loaded by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("switch_release", REPO / "deploy" / "switch_release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m loadtest", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--replicas", type=int, default=1, help="start this many replicas behind HAProxy (default 1)")
    where.add_argument("--url", help="load a server already running at this URL instead (no server figures)")
    parser.add_argument("--users", type=int, default=20, help="active visitors (ignored with --steps)")
    parser.add_argument("--idle", type=int, default=0, help="sessions that load one page and then stay open")
    parser.add_argument("--steps", help="comma-separated visitor counts, run one after another (a capacity ramp)")
    parser.add_argument("--step-seconds", type=float, default=40, help="length of each step after its users spawned")
    parser.add_argument("--seconds", type=float, default=60, help="run length without --steps")
    parser.add_argument("--spawn-rate", type=float, default=10, help="new sessions per second")
    parser.add_argument("--think", default="3,8", help="seconds between a visitor's actions: min,max (default 3,8)")
    parser.add_argument("--fault", choices=("none", "kill", "restart", "release", "slow"), default="none")
    parser.add_argument("--fault-at", type=float, default=20, help="seconds after the users spawned")
    parser.add_argument("--warm", type=int, help="warm-up visits before measuring (default 2 per replica)")
    parser.add_argument("--max-seconds", type=float, default=300, help="hard bound on the whole run")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--logs", type=Path, help="keep the replicas' and HAProxy's logs in this folder")
    parser.add_argument("--compare", action="store_true", help="the same visitor on the bare baseline page and on "
                        "the app, one replica each, step by step (loadtest/compare.py); --idle N also measures N idle "
                        "sessions' memory on each")  # fmt: skip
    args = parser.parse_args(argv)
    if args.compare:
        from loadtest.compare import compare

        return compare(args, [int(x) for x in (args.steps or str(args.users)).split(",")])

    lo, hi = (float(x) for x in args.think.split(","))
    locustfile.Visitor.wait_time = locustfile.between(lo, hi)
    steps = [int(x) for x in args.steps.split(",")] if args.steps else [args.users]
    tmp = Path(tempfile.mkdtemp(prefix="shellcount-load-"))
    cluster: Cluster | None = None
    notes: dict = {}
    sources: list[Path] = []
    root = None
    try:
        if args.fault == "release":
            root, sources = make_release_root(tmp)
        if args.url:
            url = args.url.rstrip("/")
        else:
            data_dir = (
                (root / "current") if root else (Path(settings.DATA_DIR.get()) if settings.DATA_DIR.get() else None)
            )
            cluster = Cluster(
                replicas=args.replicas, port=free_port(), data_dir=data_dir, log_dir=args.logs or tmp / "logs"
            )
            cluster.start()
            url = cluster.local_url
        return _drive(args, steps, url, cluster, notes, root, sources, tmp)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _drive(args, steps, url, cluster, notes, root, sources, tmp) -> int:
    recorder = Recorder()
    # Idle sessions are a fixed number (the rest of the users are visitors); without them, visitors only.
    locustfile.Idle.fixed_count = args.idle
    env = Environment(user_classes=[locustfile.Visitor] + ([locustfile.Idle] if args.idle else []), host=url)
    env.events.request.add_listener(recorder.on_request)
    runner = env.create_local_runner()
    groups = {}
    if cluster is not None:
        groups = {r.name: r.process.pid for r in cluster.members}
        groups["haproxy"] = cluster.haproxy.pid
    sampler = Sampler(groups)
    sampler_task = gevent.spawn(sampler.loop, recorder)
    hard_stop = time.monotonic() + args.max_seconds
    step_reports = []
    fault_task = None
    # Warm every replica's caches once (a deploy would), so step 1 measures sessions, not the first load.
    for _ in range(args.warm if args.warm is not None else 2 * max(1, len(groups) - 1)):
        try:
            s = locustfile.StreamlitSession(url, timeout=120)
            s.open("output")
            s.goto("data")
            s.goto("")
            s.close()
        except locustfile.FAILURES as exc:
            print(f"warm-up: {exc}", file=sys.stderr)
    recorder.runs.clear()
    sampler.sample(recorder.now())
    idle_rss = {name: sampler.samples[-1][name][1] for name in groups}
    if args.idle:
        runner.start(args.idle, spawn_rate=args.spawn_rate)
        while runner.user_count < args.idle and time.monotonic() < hard_stop:
            gevent.sleep(0.5)
        gevent.sleep(5)
        sampler.sample(recorder.now())
        after = {name: sampler.samples[-1][name][1] for name in groups}
        notes["idle_sessions"] = args.idle
        notes["idle_rss_mib_before"] = {k: round(v / 2**20, 1) for k, v in idle_rss.items()}
        notes["idle_rss_mib_after"] = {k: round(v / 2**20, 1) for k, v in after.items()}
        notes["idle_kib_per_session"] = round(
            sum(after[k] - idle_rss[k] for k in groups if k != "haproxy") / 1024 / args.idle, 1
        )
    for number, users in enumerate(steps):
        total = users + args.idle
        runner.start(total, spawn_rate=args.spawn_rate) if users else None
        spawn_start = recorder.now()
        while users and runner.user_count < total and time.monotonic() < hard_stop:
            gevent.sleep(0.5)
        start = recorder.now()
        if args.fault != "none" and fault_task is None and cluster is not None:
            fault_task = gevent.spawn_later(args.fault_at, _fault, args, cluster, recorder, notes, root, sources,
                                            start + args.step_seconds if args.steps else start + args.seconds)  # fmt: skip
        length = args.step_seconds if args.steps else args.seconds
        while recorder.now() < start + length and time.monotonic() < hard_stop:
            gevent.sleep(0.5)
        end = recorder.now()
        window = [r for r in recorder.runs if start <= r.at <= end]
        step = {"step": number + 1, "visitors": users, "idle": args.idle, "spawned_in_s": round(start - spawn_start, 1),
                "seconds": round(end - start, 1), **summarise(window), "servers": sampler.window(start, end)}  # fmt: skip
        step["runs_per_s"] = round(step["runs"] / step["seconds"], 2) if step["seconds"] else 0
        app_cores = sum(v["cpu_cores"] for k, v in step["servers"].items() if k.startswith("app"))
        if step["runs_per_s"]:
            # what a script run costs the servers, whatever else the machine was doing: the figure that scales
            step["server_cpu_ms_per_run"] = round(1000 * app_cores / step["runs_per_s"], 1)
        step_reports.append(step)
        _print_step(step)
        if time.monotonic() >= hard_stop:
            print("stopping: --max-seconds reached", file=sys.stderr)
            break
    if fault_task is not None:
        fault_task.join(timeout=30)
    runner.quit()
    sampler_task.kill()
    report = {
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version(), "loadavg_end": os.getloadavg()},
        "replicas": len(cluster.members) if cluster else None, "url": url, "think_s": args.think,
        "fault": args.fault, "notes": notes, "steps": step_reports,
    }  # fmt: skip
    failed = _fault_checks(args, recorder, notes, report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k not in ("steps",)}, indent=2, default=str))
    return 1 if failed else 0


def _fault(args, cluster, recorder, notes, root, sources, stop_at) -> None:
    if args.fault == "kill":
        fault_kill(cluster, recorder, notes)
    elif args.fault == "restart":
        fault_restart(cluster, recorder, notes)
    elif args.fault == "release":
        fault_release(cluster, recorder, notes, root, sources)
    elif args.fault == "slow":
        fault_slow(cluster, recorder, notes, stop_at)


def _fault_checks(args, recorder: Recorder, notes: dict, report: dict) -> bool:
    """Figures for the fault runs; True when a check failed."""
    failed = False
    runs = recorder.runs
    if args.fault in ("kill", "restart"):
        t = notes.get("killed_at_s", notes.get("restarted_at_s"))
        if t is not None:
            errors = [r for r in runs if not r.ok and r.at >= t]
            notes["failed_runs_after_fault"] = len(errors)
            notes["last_failure_after_fault_s"] = round(max(r.at for r in errors) - t, 2) if errors else 0.0
            later = [r for r in runs if r.at > t + notes["last_failure_after_fault_s"] + 0.01]
            notes["runs_after_recovery"] = len(later)
            notes["failures_after_recovery"] = sum(not r.ok for r in later)
            notes["error_kinds"] = sorted({r.error.split(":")[0] for r in errors})
            failed = notes["failures_after_recovery"] > 0
    if args.fault == "release":
        mixed = [r for r in runs if r.ok and len(r.versions) > 1]
        versions = sorted({v for r in runs for v in r.versions})
        notes["versions_seen"] = versions
        notes["runs_with_two_versions"] = len(mixed)
        notes["failed_runs"] = sum(not r.ok for r in runs)
        broken = [s for s in notes.get("switches", []) if s["source"] == "release-broken"]
        notes["broken_release_refused"] = all(s["exit"] == 1 and not s["current_changed"] for s in broken)
        failed = bool(mixed) or notes["failed_runs"] > 0 or not notes["broken_release_refused"] or len(versions) < 2
    if args.fault == "slow":
        notes["failed_runs"] = sum(not r.ok for r in runs)
        failed = notes["failed_runs"] > 0
    if args.fault == "none":
        failed = any(s["failures"] for s in report["steps"])
    return failed


def _print_step(step: dict) -> None:
    pu = step.get("page_updates", {})
    print(f"step {step['step']}: {step['visitors']} visitors + {step['idle']} idle, {step['seconds']} s: "
          f"{step['runs']} runs, {step['failures']} failed; page update p50/p95/p99 "
          f"{pu.get('p50_ms')}/{pu.get('p95_ms')}/{pu.get('p99_ms')} ms; {step['runs_per_s']} runs/s, "
          f"{step.get('server_cpu_ms_per_run')} server CPU-ms per run; errors {step['errors']}", flush=True)  # fmt: skip
    for name, row in step["by_name"].items():
        print(f"    {name:18} {row}")
    for name, row in step["servers"].items():
        print(f"    {name:10} {row}")
    sys.stdout.flush()
