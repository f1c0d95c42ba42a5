"""Run every Shell Count benchmark, collect the records the stages print, and show the table (bench/report.py).

    bench/run.sh                         # everything (about 10-14 minutes on 2 cores)
    bench/run.sh --quick                 # a smoke run: fewer samples, no 100,000-row dataset (~3 minutes)
    bench/run.sh --save-before --write   # keep this run as the "before" column and write it into RESULTS.md
    bench/run.sh --write                 # after fixes: "now" column next to the saved "before"
    bench/run.sh --skip ttfc,memory      # leave stages out (growth, apptest, exports, ttfc, rerun, memory, charts, wire, publish)

Every stage runs in its own process with a time limit (bench/targets.toml, [stages]); servers are started
on free loopback ports and stopped when their stage ends (also on Ctrl-C or a kill). Records:
bench/out/results.json; the table: bench/out/results.md. The stages can be run alone (see each bench/stage_*.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import (
    OUT,
    PAGES,
    PIDS,
    PYTHON,
    REPO,
    TARGETS,
    git_state,
    install_signal_cleanup,
    log,
    machine,
    write_json,
)
from bench.generate import generate
from bench.report import report
from serving.launcher import stop_leftovers
from serving.process import stop_group

STAGES = ("growth", "apptest", "exports", "ttfc", "rerun", "memory", "charts", "wire", "publish")


def failed(figure: str, why: str, **run: object) -> dict:
    return {"figure": figure, "value": None, "unit": "", "run": {**run, "errors": [why]}}


def run_stage(args: list[str], limit: float, log_name: str, fail: str | None = None, idle: float | None = None,
              first_idle: float | None = None, **run: object) -> tuple[list[dict], dict | None]:  # fmt: skip
    """`python -m bench.<stage> …` in its own process group. Returns its records and, when it did not end well,
    why: it exited with an error, ran past `limit` seconds, or printed nothing for `idle` seconds
    (`first_idle` before its first record). Then a record `fail` (value None) says so in the table."""
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{log_name}.log").open("a") as err:
        proc = subprocess.Popen([str(PYTHON), "-m", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)  # fmt: skip
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: ([lines.put(x) for x in proc.stdout], lines.put(None)), daemon=True).start()
    records: list[dict] = []
    problem = None
    start = last = time.monotonic()
    try:
        while True:
            wait = first_idle if not records and first_idle else idle
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                now = time.monotonic()
                if now - start > limit or (wait and now - last > wait):
                    after = min(limit, wait or limit)
                    problem = {"errors": [f"timed out: no result within {after:.0f} s"], "timeout_s": after}
                    break
                continue
            if line is None:
                if proc.wait() != 0:
                    problem = {"errors": [f"stage died (exit {proc.returncode}); see bench/out/{log_name}.log"]}
                break
            with contextlib.suppress(json.JSONDecodeError):
                records.append(json.loads(line))
                last = time.monotonic()
                progress(records[-1])
    finally:
        stop(proc)
    if problem and fail and not any(r["figure"] == fail for r in records):
        records.append(failed(fail, problem["errors"][0], **run))
    return records, problem


def stop(proc: subprocess.Popen) -> None:
    """Stop a stage (its process group: Playwright's driver and browser too), then any server it left behind."""
    stop_group(proc)
    for pid in stop_leftovers(PIDS):
        log(f"    stopped a server left behind by a stage (pid {pid})")


def progress(record: dict) -> None:
    run, value = record["run"], record["value"]
    if record["figure"].startswith("rerun.miss.") or record["figure"] in ("validate_cli", "validate", "load"):
        shown = f"{value * 1000:,.0f} ms (n={run.get('n')})" if value is not None else f"errors {run.get('errors')}"
        log(f"    {run.get('dataset', 'real')} {record['figure']}: {shown}")


def apptest(data: Path, dataset: str, pages: list[str], reruns: int, budget: float, page_s: float,
            first_extra: float) -> list[dict]:  # fmt: skip
    """stage_apptest with a watchdog: a page over its limit is killed, reported as timed out, and the rest
    of the pages continue in a new process."""
    records: list[dict] = []
    while pages:
        args = ["bench.stage_apptest", "--data", str(data), "--dataset", dataset, "--pages", ",".join(pages),
                "--reruns", str(reruns), "--budget", str(budget), "--timeout", str(page_s + first_extra)]  # fmt: skip
        got, problem = run_stage(args, float("inf"), "apptest", idle=page_s, first_idle=page_s + first_extra)
        records += got
        pages = [p for p in pages if p not in {r["run"]["page"] for r in got}]
        if pages:  # the page being measured ran out of time, or the process died on it
            problem = problem or {"errors": ["no result; see bench/out/apptest.log"]}
            records.append(failed(f"rerun.miss.{pages[0]}", problem["errors"][0], dataset=dataset, page=pages[0]))
            records[-1]["run"]["timeout_s"] = problem.get("timeout_s")
            log(f"    {dataset} {pages.pop(0)}: {problem['errors'][0]}")
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: few samples, sizes 1,000 and 10,000")
    parser.add_argument("--sizes", default=None, help="comma-separated dataset sizes (default 1000,10000,100000)")
    parser.add_argument("--skip", default="", help=f"stages to leave out: {','.join(STAGES)}")
    parser.add_argument("--pairs", type=int, default=None, help="time-to-first-chart pairs (default 10)")
    parser.add_argument("--reruns", type=int, default=None, help="reruns per page (default 20)")
    parser.add_argument("--save-before", action="store_true", help="keep this run's figures as the 'before' column")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    parser.add_argument("--render", action="store_true", help="measure nothing: the table of bench/out/results.json")
    args = parser.parse_args(argv)
    if args.render:
        return report(json.loads((OUT / "results.json").read_text()), args.save_before, args.write)
    install_signal_cleanup()
    s = {**TARGETS["stages"], **(TARGETS["stages"]["quick"] if args.quick else {})}
    skip = {name.strip() for name in args.skip.split(",")}
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else s["sizes"]
    pairs, reruns = args.pairs or s["pairs"], args.reruns or s["reruns"]
    # the code before others edit it, and the machine's load before we add ours (it is shared: say how busy it was)
    started, measured = time.monotonic(), {"machine": machine(), "git": git_state(), "load_start": os.getloadavg()}
    for old in [*(OUT / f"{name}.log" for name in STAGES), *OUT.glob("server-*.log"), *OUT.glob("runs-*.jsonl")]:
        old.unlink(missing_ok=True)
    log(f"[    0 s] datasets: {', '.join(f'{n:,}' for n in sizes)} claims under bench/data/ (generated once, reused)")
    folders = {"real": REPO / "datasets", **{str(n): generate(n) for n in sizes}}
    records: list[dict] = []
    for name in (name for name in STAGES if name not in skip):
        log(f"[{time.monotonic() - started:5.0f} s] {name}")
        if name == "growth":
            for key, folder in folders.items():
                repeat = "2" if key != "real" and int(key) >= 100_000 else "3"
                records += run_stage(["bench.stage_growth", "--data", str(folder), "--dataset", key, "--repeat", repeat],
                                     s["growth_s"], "growth", "validate_cli", dataset=key)[0]  # fmt: skip
        elif name == "apptest":
            records += apptest(folders["real"], "real", [*PAGES, "baseline"], reruns, s["apptest_budget_real"],
                               s["apptest_page_real"], s["apptest_first_extra_real"])  # fmt: skip
            last = TARGETS["pages"]["last"]  # quick pages first, in reverse registry order (see targets.toml)
            order = [*(p for p in reversed(PAGES) if p not in last), *last]
            for n in sizes:
                records += apptest(folders[str(n)], str(n), order, reruns, s["apptest_budget"], s["apptest_page"],
                                   s["apptest_first_extra"])  # fmt: skip
        elif name == "exports":
            args_ = ["bench.stage_exports", "--warm", str(s["exports_warm"])]
            records += run_stage(args_, s["exports_s"], "exports", "export.error")[0]
        elif name == "wire":
            args_ = ["bench.stage_browser", "wire", "--pairs", str(min(pairs, 3))]
            records += run_stage(args_, s["wire_s"], "browser", "wire.precompressed")[0]
        elif name in ("ttfc", "rerun"):
            more = ["--pairs", str(pairs)] if name == "ttfc" else ["--reruns", str(reruns)]
            args_ = ["bench.stage_browser", name, *more]
            fail = "ttfc.app" if name == "ttfc" else "browser.warm.output.script_finished"
            records += run_stage(args_, s[f"{name}_s"], "browser", fail)[0]
        elif name == "memory":
            big = str(max(sizes))
            for key, more, limit in (("real", ["--sessions", "5", "--page", "output"], s["memory_s"]),
                                     (big, ["--data", str(folders[big]), "--sessions", "4", "--page", "data",
                                            "--timeout", "120"], s["memory_big_s"])):  # fmt: skip
                args_ = ["bench.stage_browser", "memory", "--dataset", key, *more]
                records += run_stage(args_, limit, "browser", "memory.per_session", dataset=key)[0]
        elif name == "charts":
            for n in (str(n) for n in sizes if n >= 10_000):
                # A page whose script run alone timed out in AppTest cannot draw within the limit: not loaded again.
                timed_out = {
                    r["run"]["page"] for r in records if r["run"].get("timeout_s") and r["run"]["dataset"] == n
                }
                pages = [p for p in (*TARGETS["pages"]["charts"], "data", "baseline") if p not in timed_out]
                args_ = ["bench.stage_browser", "charts", "--data", str(folders[n]), "--dataset", n, "--pages",
                         ",".join(pages), "--timeout", "60"]  # fmt: skip
                records += run_stage(args_, s["charts_s"], "browser", "chart.error", dataset=n)[0]
                records += [failed(f"chart.{p}", "", dataset=n, skipped="server-side run timed out in AppTest")
                            for p in sorted(timed_out) if p in PAGES]  # fmt: skip
        elif (
            name == "publish"
        ):  # the static site: its own paired lines (bench/publish_bench.py), kept in out/publish.txt
            with contextlib.suppress(subprocess.TimeoutExpired):
                lines = subprocess.run([str(PYTHON), "-m", "bench.publish_bench", "--pairs", str(min(pairs, 5))], cwd=REPO,
                                       capture_output=True, text=True, timeout=s["publish_s"], check=False).stdout  # fmt: skip
                (OUT / "publish.txt").write_text(lines)
                log(lines)
    loads = [x for r in records for x in r["run"].get("load", [])]
    run = {**measured, "sizes": sizes, "duration_s": time.monotonic() - started, "load_end": os.getloadavg(),
           "finished": time.strftime("%Y-%m-%d %H:%M"),
           "load_range": f"{min(loads):.1f}–{max(loads):.1f} (1 min, over the stages)" if loads else ""}  # fmt: skip
    write_json(OUT / "results.json", {"run": run, "records": records})
    return report({"run": run, "records": records}, args.save_before, args.write)


if __name__ == "__main__":
    sys.exit(main())
