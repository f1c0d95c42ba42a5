"""Run every Shell Count benchmark, collect the records the stages print, and show the table (bench/report.py).

    bench/run.sh                         # everything (about 12-15 minutes on 2 cores)
    bench/run.sh --quick                 # a smoke run: fewer samples, no 100,000-row dataset
    bench/run.sh --save-before --write   # keep this run as the "before" column and write it into RESULTS.md
    bench/run.sh --write                 # after fixes: "now" column next to the saved "before"
    bench/run.sh --skip ttfc,memory      # leave stages out

Every stage runs alone too, in its own process with a time limit (targets.toml [stages]); its servers stop with it
(also on Ctrl-C or a kill). Records: bench/out/results.json; the table: bench/out/results.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import OUT, PAGES, PIDS, REPO, TARGETS, git_state, log, machine, parser, write_json
from bench.generate import generate
from bench.report import report
from dashboard import cli
from serving.launcher import stop_leftovers
from serving.process import stop_group

STAGES = ("growth", "apptest", "exports", "ttfc", "rerun", "memory", "charts", "wire", "publish")


@dataclass
class Plan:
    """What this run measures (targets.toml [stages], with the command line's choices), and what it has measured so
    far (a later stage may skip what an earlier one found too slow)."""

    settings: dict
    folders: dict[str, Path]
    records: list[dict] = field(default_factory=list)


def failed(figure: str, why: str, **run: object) -> dict:
    return {"figure": figure, "value": None, "unit": "", "run": {**run, "errors": [why]}}


def run_stage(args: list[str], limit: float, fail: str | None = None, idle: float | None = None,
              first_idle: float | None = None, **run: object) -> tuple[list[dict], dict | None]:  # fmt: skip
    """`python -m bench.<stage> …` in its own process group. Returns its records and, when it did not end well,
    why: it exited with an error, ran past `limit` seconds, or printed nothing for `idle` seconds (`first_idle`
    before its first record). Then a record `fail` (value None) says so in the table."""
    OUT.mkdir(parents=True, exist_ok=True)
    log_name = args[0].removeprefix("bench.stage_")
    with (OUT / f"{log_name}.log").open("a") as err:
        proc = subprocess.Popen([sys.executable, "-m", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True,
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
        stop_group(proc)  # its process group: Playwright's driver and browser too; then any server it left behind
        for pid in stop_leftovers(PIDS):
            log(f"    stopped a server left behind by a stage (pid {pid})")
    if problem and fail and not any(r["figure"] == fail for r in records):
        records.append(failed(fail, problem["errors"][0], **run))
    return records, problem


def progress(record: dict) -> None:
    run, value = record["run"], record["value"]
    if record["figure"].startswith("rerun.miss.") or record["figure"] in ("validate_cli", "validate", "load"):
        shown = f"{value * 1000:,.0f} ms (n={run.get('n')})" if value is not None else f"errors {run.get('errors')}"
        log(f"    {run.get('dataset', 'real')} {record['figure']}: {shown}")


def stage(plan: Plan, module: str, *args: object, limit: str, fail: str, **run: object) -> list[dict]:
    """One stage process: its records, or a record `fail` saying why there are none."""
    return run_stage([f"bench.stage_{module}", *map(str, args)], plan.settings[limit], fail, **run)[0]


def growth(plan: Plan) -> list[dict]:
    return [record for key, folder in plan.folders.items()
            for record in stage(plan, "growth", "--data", folder, "--dataset", key, "--repeat",
                                2 if key != "real" and int(key) >= 100_000 else 3, limit="growth_s", fail="validate_cli",
                                dataset=key)]  # fmt: skip


def apptest(plan: Plan) -> list[dict]:
    """stage_apptest with a watchdog: a page over its limit is killed and reported as timed out, and the rest of the
    pages continue in a new process. On the generated datasets the quick pages go first (targets.toml)."""
    s, out, last = plan.settings, [], TARGETS["pages"]["last"]
    runs = [("real", [*PAGES, "baseline"], "_real"),
            *((str(n), [*(p for p in reversed(PAGES) if p not in last), *last], "") for n in s["sizes"])]  # fmt: skip
    for dataset, pages, suffix in runs:
        page_s, first_extra = s[f"apptest_page{suffix}"], s[f"apptest_first_extra{suffix}"]
        while pages:
            args = ["bench.stage_apptest", "--data", str(plan.folders[dataset]), "--dataset", dataset, "--pages",
                    ",".join(pages), "--reruns", str(s["reruns"]), "--budget", str(s[f"apptest_budget{suffix}"]),
                    "--timeout", str(page_s + first_extra)]  # fmt: skip
            got, problem = run_stage(args, float("inf"), idle=page_s, first_idle=page_s + first_extra)
            out += got
            pages = [p for p in pages if p not in {r["run"]["page"] for r in got}]
            if pages:  # the page being measured ran out of time, or the process died on it
                problem = problem or {"errors": ["no result; see bench/out/apptest.log"]}
                out.append(failed(f"rerun.miss.{pages[0]}", problem["errors"][0], dataset=dataset, page=pages[0],
                                  timeout_s=problem.get("timeout_s")))  # fmt: skip
                log(f"    {dataset} {pages.pop(0)}: {problem['errors'][0]}")
    return out


def memory(plan: Plan) -> list[dict]:
    big = str(max(plan.settings["sizes"]))
    return [*stage(plan, "browser", "memory", "--sessions", 5, "--page", "output", limit="memory_s",
                   fail="memory.per_session", dataset="real"),
            *stage(plan, "browser", "memory", "--dataset", big, "--data", plan.folders[big], "--sessions", 4, "--page",
                   "data", limit="memory_big_s", fail="memory.per_session", dataset=big)]  # fmt: skip


def charts(plan: Plan) -> list[dict]:
    out = []
    for n in (str(n) for n in plan.settings["sizes"] if n >= 10_000):
        # A page whose script run alone timed out in AppTest cannot draw within the limit: not loaded again.
        slow = {r["run"]["page"] for r in plan.records if r["run"].get("timeout_s") and r["run"].get("dataset") == n}
        pages = [p for p in (*TARGETS["pages"]["charts"], "data", "baseline") if p not in slow]
        out += stage(plan, "browser", "charts", "--data", plan.folders[n], "--dataset", n, "--pages", ",".join(pages),
                     "--timeout", 60, limit="charts_s", fail="chart.error", dataset=n)  # fmt: skip
        skipped = "server-side run timed out in AppTest"
        out += [failed(f"chart.{p}", "", dataset=n, skipped=skipped) for p in sorted(slow) if p in PAGES]
    return out


# The other stages: one process each. Its command (filled from the plan), time limit, and the record that stands for
# it in the table when it fails.
COMMANDS = {
    "exports": ("exports --warm {exports_warm}", "exports_s", "export.error"),
    "ttfc": ("browser ttfc --pairs {pairs}", "ttfc_s", "ttfc.app"),
    "rerun": ("browser rerun --reruns {reruns}", "rerun_s", "browser.warm.output.script_finished"),
    "wire": ("browser wire --pairs {few_pairs}", "wire_s", "wire.precompressed"),
    "publish": ("publish --pairs {some_pairs}", "publish_s", "publish.first_chart.ratio"),
}


def run_named(plan: Plan, name: str) -> list[dict]:
    special = {"growth": growth, "apptest": apptest, "memory": memory, "charts": charts}
    if name in special:
        return special[name](plan)
    command, limit, fail = COMMANDS[name]
    names = {**plan.settings, "few_pairs": min(plan.settings["pairs"], 3), "some_pairs": min(plan.settings["pairs"], 5)}
    return stage(plan, *command.format(**names).split(), limit=limit, fail=fail)


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.run", __doc__, data=False)
    options.add_argument("--quick", action="store_true", help="smoke run: few samples, sizes 1,000 and 10,000")
    options.add_argument("--sizes", default=None, help="comma-separated dataset sizes (default 1000,10000,100000)")
    options.add_argument("--skip", default="", help=f"stages to leave out: {','.join(STAGES)}")
    options.add_argument("--pairs", type=int, default=None, help="time-to-first-chart pairs (default 10)")
    options.add_argument("--reruns", type=int, default=None, help="reruns per page (default 20)")
    options.add_argument("--save-before", action="store_true", help="keep this run's figures as the 'before' column")
    options.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    args = options.parse_args(argv)
    s = {**TARGETS["stages"], **(TARGETS["stages"]["quick"] if args.quick else {})}
    s.update({key: getattr(args, key) for key in ("pairs", "reruns") if getattr(args, key)})
    sizes = s["sizes"] = [int(n) for n in args.sizes.split(",")] if args.sizes else s["sizes"]
    # the code before others edit it, and the machine's load before we add ours (it is shared: say how busy it was)
    started, measured = time.monotonic(), {"machine": machine(), "git": git_state(), "load_start": os.getloadavg()}
    for old in [*OUT.glob("*.log"), *OUT.glob("runs-*.jsonl")]:
        old.unlink(missing_ok=True)
    log(f"[    0 s] datasets: {', '.join(f'{n:,}' for n in sizes)} claims under bench/data/ (generated once, reused)")
    plan = Plan(s, {"real": REPO / "datasets", **{str(n): generate(n) for n in sizes}})
    skip = {name.strip() for name in args.skip.split(",")}
    for name in (name for name in STAGES if name not in skip):
        log(f"[{time.monotonic() - started:5.0f} s] {name}")
        plan.records += run_named(plan, name)
    loads = [x for r in plan.records for x in r["run"].get("load", [])]
    run = {**measured, "sizes": sizes, "duration_s": time.monotonic() - started, "load_end": os.getloadavg(),
           "finished": time.strftime("%Y-%m-%d %H:%M"),
           "load_range": f"{min(loads):.1f}–{max(loads):.1f} (1 min, over the stages)" if loads else ""}  # fmt: skip
    write_json(OUT / "results.json", {"run": run, "records": plan.records})
    return report({"run": run, "records": plan.records}, args.save_before, args.write)


if __name__ == "__main__":
    cli.run(main)
