"""What a load run records and how it is summed up: each script run as Locust reports it, its percentiles per action
and page, and each server's CPU and memory sampled from /proc. Read by the load run (loadtest/run.py) and by the
side-by-side comparison with the bare page (loadtest/compare.py); the process that imports this has patched gevent
already (loadtest/run.py does it first thing)."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field

import gevent

from serving.process import group_usage


# ---- what happened -------------------------------------------------------------------------------
@dataclass
class Run:
    at: float  # seconds since the start of the load
    name: str
    ms: float
    ok: bool
    error: str = ""
    versions: frozenset = frozenset()


@dataclass
class Recorder:
    t0: float = field(default_factory=time.monotonic)
    runs: list[Run] = field(default_factory=list)

    def on_request(self, request_type, name, response_time, response_length, exception=None, context=None, **_):
        versions = frozenset((context or {}).get("versions", ()))
        error = f"{type(exception).__name__}: {exception}"[:200] if exception else ""
        self.runs.append(Run(time.monotonic() - self.t0, name, response_time, exception is None, error, versions))

    def now(self) -> float:
        return time.monotonic() - self.t0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summarise(runs: list[Run]) -> dict:
    by_name: dict[str, dict] = {}
    for name in sorted({r.name for r in runs}):
        mine = [r for r in runs if r.name == name]
        ok = [r.ms for r in mine if r.ok]
        by_name[name] = {
            "runs": len(mine), "failures": len(mine) - len(ok),
            "p50_ms": round(percentile(ok, 50)), "p95_ms": round(percentile(ok, 95)), "p99_ms": round(percentile(ok, 99)),
        } if ok else {"runs": len(mine), "failures": len(mine)}  # fmt: skip
    ok_all = [r.ms for r in runs if r.ok]
    updates = [r.ms for r in runs if r.ok and r.name.split()[0] in ("update", "nav")]
    return {
        "runs": len(runs),
        "failures": sum(not r.ok for r in runs),
        "all": {"p50_ms": round(percentile(ok_all, 50)), "p95_ms": round(percentile(ok_all, 95)),
                "p99_ms": round(percentile(ok_all, 99))} if ok_all else {},
        "page_updates": {"p50_ms": round(percentile(updates, 50)), "p95_ms": round(percentile(updates, 95)),
                         "p99_ms": round(percentile(updates, 99))} if updates else {},
        "by_name": by_name,
        "errors": Counter(r.error[:90] for r in runs if not r.ok).most_common(5),
    }  # fmt: skip


# ---- the servers, from /proc ---------------------------------------------------------------------
@dataclass
class Sampler:
    groups: dict[str, int]  # name → process-group id
    samples: list[dict] = field(default_factory=list)

    def sample(self, at: float) -> None:
        row = {"at": round(at, 1)}
        for name, pgid in self.groups.items():
            row[name] = group_usage(pgid)
        times = os.times()
        row["loadgen"] = (times.user + times.system, 0, 0.0)
        self.samples.append(row)

    def loop(self, recorder: Recorder) -> None:
        while True:
            self.sample(recorder.now())
            gevent.sleep(1.0)

    def window(self, start: float, end: float) -> dict:
        """CPU share (1.0 = one core) and memory of each group between two times."""
        inside = [s for s in self.samples if start <= s["at"] <= end]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        span = last["at"] - first["at"]
        out = {}
        for name in [*self.groups, "loadgen"]:
            if name not in first or name not in last:
                continue
            cpu = (last[name][0] - first[name][0]) / span if span else 0.0
            rss = [s[name][1] for s in inside if name in s]
            waited = (last[name][2] - first[name][2]) / span if span else 0.0
            out[name] = {"cpu_cores": round(cpu, 2), "waiting_for_cpu": round(waited, 2),
                         "rss_mib_end": round(rss[-1] / 2**20), "rss_mib_peak": round(max(rss) / 2**20)}  # fmt: skip
        return out
