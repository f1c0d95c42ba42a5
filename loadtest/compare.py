"""Capacity side by side: the same visitor against the bare baseline page and against the app, one replica each,
in one run (`python -m loadtest --compare --steps 20,40,80 --step-seconds 30`).

Both are served at once, each behind its own HAProxy with deploy/haproxy.cfg, but loaded one after the other,
step by step (baseline 20, app 20, baseline 40, app 40, …), so that both meet the machine as it is at that moment
(it is shared: the load average is reported with every step). Each step starts its visitors from none, measures
--step-seconds once they are all in, and stops them. The visitors are loadtest/locustfile.py's `Visitor` on the
app and `BaselineVisitor` on bench/baseline_app.py: the same think time, each action one page update.

Reported: per target and step, page update p50/p95/p99, runs/s, the replica's CPU-ms per run and its memory;
then the visitors held at p95 page update < 1 s (the largest step under it, with no failed run) for both, and
their ratio app ÷ baseline; memory per session, idle (sessions that loaded the page and stay open) and active
(the first step's growth of a warmed replica, per visitor).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import gevent
from locust.env import Environment

from loadtest import locustfile
from loadtest.measure import Recorder, Sampler, summarise
from serving.cluster import Cluster
from serving.launcher import APP, REPO
from serving.process import free_port

BASELINE = REPO / "bench" / "baseline_app.py"
TARGETS = {"baseline": (BASELINE, locustfile.BaselineVisitor), "app": (APP, locustfile.Visitor)}
SLO_MS = 1000  # a page update at p95 under this counts as held


def _warm(name: str, url: str) -> None:
    """What a deploy does before readers come: the first run of each page loads the dataset and fills caches."""
    session = locustfile.StreamlitSession(url, timeout=120)
    try:
        if name == "app":
            for page in locustfile.NEXT_PAGE:  # every page of the visitor's walk (the registry's paths)
                session.goto(page) if session.ws else session.open(page)
        else:
            session.open("")
            session.set_radio("Scale", "linear")
    finally:
        session.close()


def _run_users(env: Environment, users: int, spawn_rate: float, hard_stop: float) -> None:
    env.runner.start(users, spawn_rate=spawn_rate)
    while env.runner.user_count < users and time.monotonic() < hard_stop:
        gevent.sleep(0.5)


def _stop_users(env: Environment) -> None:
    env.runner.stop()
    gevent.sleep(2)  # the replica finishes the runs in flight and closes the sessions before the next step


def compare(args, steps: list[int]) -> int:
    lo, hi = (float(x) for x in args.think.split(","))
    for _, user in TARGETS.values():  # the same think time for both
        user.wait_time = locustfile.between(lo, hi)
    tmp = Path(tempfile.mkdtemp(prefix="shellcount-compare-"))
    clusters: dict[str, Cluster] = {}
    try:
        for name, (script, _) in TARGETS.items():
            # the protocol client never asks for the JavaScript bundle, so no precompressed copy is needed
            clusters[name] = Cluster(replicas=1, port=free_port(), script=script, precompressed=False,
                                     log_dir=args.logs / name if args.logs else tmp / name)  # fmt: skip
            clusters[name].start()
        return _measure(args, steps, clusters)
    finally:
        for cluster in clusters.values():
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(args, steps: list[int], clusters: dict[str, Cluster]) -> int:
    t0 = time.monotonic()
    recorders = {name: Recorder(t0=t0) for name in clusters}
    envs = {}
    for name, cluster in clusters.items():
        env = Environment(user_classes=[TARGETS[name][1]], host=cluster.local_url)
        env.events.request.add_listener(recorders[name].on_request)
        env.create_local_runner()
        envs[name] = env
    sampler = Sampler({name: c.members[0].process.pid for name, c in clusters.items()})
    clock = recorders["app"]
    sampler_task = gevent.spawn(sampler.loop, clock)
    hard_stop = time.monotonic() + args.max_seconds
    report: dict = {"machine": {"nproc": os.cpu_count(), "loadavg_start": os.getloadavg()}, "think_s": args.think,
                    "step_seconds": args.step_seconds, "targets": {}}  # fmt: skip
    for name, cluster in clusters.items():
        _warm(name, cluster.local_url)
    memory = {name: {} for name in clusters}
    for name, cluster in clusters.items() if args.idle else ():
        memory[name]["idle_kib_per_session"] = _idle_kib_per_session(name, cluster.local_url, args.idle, sampler, clock)
    rows = {name: [] for name in clusters}
    for users in steps:
        for name, env in envs.items():
            sampler.sample(clock.now())
            rss_before = sampler.samples[-1][name][1]
            spawn_start = clock.now()
            _run_users(env, users, args.spawn_rate, hard_stop)
            start = clock.now()
            while clock.now() < start + args.step_seconds and time.monotonic() < hard_stop:
                gevent.sleep(0.5)
            end = clock.now()
            _stop_users(env)
            window = [r for r in recorders[name].runs if start <= r.at <= end]
            server = sampler.window(start, end).get(name, {})
            step = {"visitors": users, "spawned_in_s": round(start - spawn_start, 1), "seconds": round(end - start, 1),
                    **summarise(window), "server": server, "loadavg_1min": round(os.getloadavg()[0], 2)}  # fmt: skip
            step["runs_per_s"] = round(step["runs"] / step["seconds"], 2) if step["seconds"] else 0
            if step["runs_per_s"]:
                step["server_cpu_ms_per_run"] = round(1000 * server.get("cpu_cores", 0) / step["runs_per_s"], 1)
            if not rows[name]:  # a warmed replica's first sessions: what each active one adds
                grown = server.get("rss_mib_peak", 0) * 2**20 - rss_before
                memory[name]["active_mib_per_session_first_step"] = round(grown / 2**20 / users, 2)
            rows[name].append(step)
            _print(name, step)
            if time.monotonic() >= hard_stop:
                break
    sampler_task.kill()
    for env in envs.values():
        env.runner.quit()
    for name in clusters:
        held = [s["visitors"] for s in rows[name]
                if s.get("page_updates", {}).get("p95_ms", SLO_MS) < SLO_MS and not s["failures"]]  # fmt: skip
        cpu = [s["server_cpu_ms_per_run"] for s in rows[name] if "server_cpu_ms_per_run" in s]
        report["targets"][name] = {"held_at_p95_under_1s": max(held, default=0), "cpu_ms_per_run": cpu,
                                   "memory": memory[name], "steps": rows[name]}  # fmt: skip
    app, base = (report["targets"][n]["held_at_p95_under_1s"] for n in ("app", "baseline"))
    report["ratio_app_to_baseline"] = round(app / base, 2) if base else None
    report["machine"]["loadavg_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    summary = {n: {k: v for k, v in t.items() if k != "steps"} for n, t in report["targets"].items()}
    print(json.dumps({"ratio_app_to_baseline": report["ratio_app_to_baseline"], "targets": summary,
                      "machine": report["machine"]}, indent=2, default=str))  # fmt: skip
    return 1 if any(s["failures"] for t in rows.values() for s in t) else 0


def _idle_kib_per_session(name: str, url: str, count: int, sampler: Sampler, clock: Recorder) -> float:
    """Open `count` sessions that load the page and stay open; what each adds to the replica's resident memory."""
    from gevent.pool import Pool

    sampler.sample(clock.now())
    before = sampler.samples[-1][name][1]
    sessions = [locustfile.StreamlitSession(url, timeout=120) for _ in range(count)]
    Pool(10).map(lambda s: s.open(""), sessions)
    gevent.sleep(5)
    sampler.sample(clock.now())
    grown = sampler.samples[-1][name][1] - before
    for session in sessions:
        session.close()
    gevent.sleep(2)
    return round(grown / 1024 / count, 1)


def _print(name: str, step: dict) -> None:
    pu, server = step.get("page_updates", {}), step["server"]
    print(f"{name:8} {step['visitors']:4} visitors, {step['seconds']} s: {step['runs']} runs, {step['failures']} failed; "
          f"page update p50/p95/p99 {pu.get('p50_ms')}/{pu.get('p95_ms')}/{pu.get('p99_ms')} ms; "
          f"{step['runs_per_s']} runs/s; {step.get('server_cpu_ms_per_run')} CPU-ms per run; "
          f"{server.get('cpu_cores')} cores, waiting {server.get('waiting_for_cpu')}; RSS {server.get('rss_mib_end')} MiB; "
          f"load {step['loadavg_1min']}", flush=True)  # fmt: skip
    sys.stdout.flush()
