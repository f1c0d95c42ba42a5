"""Run every Shell Count benchmark and print one table: each figure, its target, before/now and the verdict.

    bench/run.sh                         # everything (about 10-14 minutes on 2 cores)
    bench/run.sh --quick                 # a smoke run: fewer samples, no 100,000-row dataset (~3 minutes)
    bench/run.sh --save-before --write   # keep this run as the "before" column and write it into RESULTS.md
    bench/run.sh --write                 # after fixes: "now" column next to the saved "before"
    bench/run.sh --skip ttfc,memory      # leave stages out (growth, apptest, exports, ttfc, rerun, memory, charts)

Every stage runs in its own process with a time limit; servers are started on free loopback ports and
stopped when their stage ends (also on Ctrl-C or a kill). Raw results: bench/out/results.json; the table:
bench/out/results.md. The stages can be run alone (see each bench/stage_*.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    BENCH,
    OUT,
    PYTHON,
    REPO,
    install_signal_cleanup,
    kill_leftover_servers,
    log,
    machine,
    write_json,
)
from bench.generate import SIZES, generate

PAGES = ("overview", "output", "claims", "data", "method", "contribute")
STAGES = ("growth", "apptest", "exports", "ttfc", "rerun", "memory", "charts")
BEFORE = BENCH / "before.json"
RESULTS_MD = BENCH / "RESULTS.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
RERUN_TARGET_S = 0.150
RERUN_BASELINE_FACTOR = 2.0
TTFC_FACTOR = 1.3
EXPORT_WARM_S = 0.5
BIG_VALIDATE_S, BIG_LOAD_S, BIG_RERUN_S = 5.0, 1.0, 1.0
LINEAR_EXPONENT = 1.15  # cost(100k)/cost(10k) = 10^exponent; 1 is linear, a little above allows for noise


# ---- running stages --------------------------------------------------------------------------------
_children: list[subprocess.Popen] = []


def _kill(proc: subprocess.Popen) -> None:
    """Stop a stage (its process group: Playwright's driver and browser too), then any server it left behind."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    for pid in kill_leftover_servers():
        log(f"    stopped a server left behind by a stage (pid {pid})")


def _spawn(args: list[str], log_name: str) -> subprocess.Popen:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{log_name}.log").open("a") as err:
        proc = subprocess.Popen([str(PYTHON), "-m", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)  # fmt: skip
    _children.append(proc)
    return proc


def run_json(args: list[str], timeout: float, log_name: str) -> dict:
    """A stage that prints one JSON object; {'error': …} when it fails or runs out of time."""
    proc = _spawn(args, log_name)
    try:
        stdout, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return {"error": f"timed out after {timeout:.0f} s"}
    finally:
        _kill(proc)
    try:
        return json.loads(stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": f"exit {proc.returncode}; see bench/out/{log_name}.log"}


def run_apptest(data: Path, pages: list[str], reruns: int, budget: float, page_timeout: float,
                first_extra: float) -> dict[str, dict]:  # fmt: skip
    """stage_apptest with a watchdog: a page over its limit is killed, reported as timed out, and the rest
    of the pages continue in a new process."""
    results: dict[str, dict] = {}
    remaining = list(pages)
    while remaining:
        args = ["bench.stage_apptest", "--data", str(data), "--pages", ",".join(remaining), "--reruns", str(reruns),
                "--budget", str(budget), "--timeout", str(page_timeout + first_extra)]  # fmt: skip
        proc = _spawn(args, "apptest")
        lines: queue.Queue = queue.Queue()
        threading.Thread(
            target=lambda p=proc, q=lines: ([q.put(x) for x in p.stdout], q.put(None)), daemon=True
        ).start()
        current, started, first = None, time.monotonic(), True
        while True:
            limit = page_timeout + (first_extra if first else 0)
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if current and time.monotonic() - started > limit:
                    _kill(proc)
                    results[current] = {"page": current, "timeout_s": limit,
                                        "errors": [f"timed out: no result within {limit:.0f} s"]}  # fmt: skip
                    remaining.remove(current)
                    log(f"    {current}: timed out after {limit:.0f} s")
                    break
                continue
            if line is None:
                _kill(proc)
                for page in [p for p in remaining if p == current] or remaining[:1]:
                    results[page] = {"page": page, "errors": [f"stage died (exit {proc.returncode}); see bench/out/apptest.log"]}  # fmt: skip
                    remaining.remove(page)
                break
            with contextlib.suppress(json.JSONDecodeError):
                event = json.loads(line)
                if event.get("event") == "start":
                    current, started = event["page"], time.monotonic()
                elif event.get("event") == "result":
                    results[event["page"]] = event
                    remaining.remove(event["page"])
                    median = event.get("rerun_s", {}).get("median")
                    log(f"    {event['page']}: " + (f"rerun median {median * 1000:.0f} ms (n={event['rerun_s']['n']})"
                                                  if median else f"errors {event.get('errors')}"))  # fmt: skip
                    current, first = None, False
                    if not remaining:
                        _kill(proc)
                        break
    return results


# ---- the table ----------------------------------------------------------------------------------------
@dataclass
class Row:
    id: str
    figure: str
    target: str
    value: float | None  # in `unit`
    unit: str
    ratio: str = ""
    verdict: str = "info"
    how: str = ""  # "wall" or "CPU†" (machine busy: CPU time used), with the other figure
    before_id: str = ""  # the "before" figure to show, when not the one with this row's id


def fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:,.1f} MB"
    if unit == "":
        return f"{value:.2f}"
    if unit == "µs/row":
        return f"{value:,.1f} µs/row"
    return f"{value:g} {unit}".strip()


def verdict(ok: bool | None) -> str:
    return "info" if ok is None else ("MET" if ok else "MISSED")


NPROC = len(os.sched_getaffinity(0))


def busy(result: dict) -> bool:
    """Was the 1-minute load average above the number of CPUs while this was measured?"""
    return max(result.get("load") or [0]) > NPROC


def pick(result: dict, wall_key: str, cpu_key: str, force_cpu: bool = False) -> tuple[float | None, str, bool]:
    """(seconds, how, used_cpu): the wall-clock median, or the CPU-time median when the machine was busy."""
    wall, cpu = _median(result, wall_key, "median"), _median(result, cpu_key, "median")
    if wall is None:
        return None, "", False
    if (busy(result) or force_cpu) and cpu is not None:
        return cpu, f"CPU† (wall {wall * 1000:,.0f} ms)" if wall < 10 else f"CPU† (wall {wall:.1f} s)", True
    return wall, "wall" + (f" (CPU {cpu * 1000:,.0f} ms)" if cpu is not None and cpu < 10 else ""), False


def _median(result: dict, *keys: str) -> float | None:
    value = result
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, (int, float)) else None


def wall_note(result: dict) -> str:
    return f"wall (load {max(result.get('load') or [0]):.1f}, own browser and server included)"


def rows_from(results: dict) -> list[Row]:
    rows: list[Row] = []
    t = results.get("ttfc", {})
    app, base = _median(t, "app", "median"), _median(t, "baseline", "median")
    n = _median(t, "pairs")
    rows.append(
        Row("ttfc.app", f"Time to first chart, app (Overview), median of {n or '?'} fresh loads", "—", app, "s")
    )
    rows.append(Row("ttfc.baseline", "Time to first chart, baseline (one px.scatter)", "—", base, "s"))
    if app and base:
        paired = _median(t, "pair_ratio", "median")
        rows.append(Row("ttfc.ratio", f"Time to first chart, app ÷ baseline (median of the {n} per-pair ratios)",
                        f"≤ {TTFC_FACTOR}×", paired, "×", f"ratio of medians {app / base:.2f}×",
                        verdict(paired <= TTFC_FACTOR)))  # fmt: skip
    elif t.get("error"):
        rows.append(
            Row("ttfc.ratio", f"Time to first chart: {t['error']}", f"≤ {TTFC_FACTOR}×", None, "×", "", "ERROR")
        )

    real = results.get("apptest", {}).get("real", {})
    base_r = real.get("baseline", {})
    any_busy = busy(base_r) or any(busy(real.get(p, {})) for p in PAGES)
    # Two kinds of rerun (bench/stage_apptest.py): a cache miss (a filter set to a value never seen, or the
    # page-model cache emptied on a page without a filter) and a warm repeat (a filter toggled between two
    # values already seen; a plain rerun without a filter). "Before" (309f98a) had no page-model cache, so its
    # one figure is the "before" of both.
    for kind, wall_key, cpu_key, id_prefix in (("miss", "rerun_s", "rerun_cpu_s", "rerun.real"),
                                               ("warm", "warm_s", "warm_cpu_s", "rerun.warm")):  # fmt: skip
        base_rerun, base_how, _ = pick(base_r, wall_key, cpu_key, any_busy)
        base_label = ("cache miss: 'Stated to' set to a new date" if kind == "miss"
                      else "warm repeat: 'Stated to' toggled between two dates seen")  # fmt: skip
        rows.append(Row("rerun.baseline" if kind == "miss" else "rerun.warm.baseline",
                        f"Rerun, baseline (AppTest, {base_label}; it has no view cache)", "—",
                        base_rerun * 1000 if base_rerun else None, "ms", how=base_how, before_id="rerun.baseline"))  # fmt: skip
        limit = min(RERUN_TARGET_S, RERUN_BASELINE_FACTOR * base_rerun) if base_rerun else RERUN_TARGET_S
        for page in PAGES:
            r = real.get(page, {})
            median, how, _ = pick(r, wall_key, cpu_key, any_busy)
            label = ("cache miss: " + r.get("miss_how", "new filter value")) if kind == "miss" else (
                "warm repeat: " + r.get("warm_how", "view already seen"))  # fmt: skip
            target = f"≤ 150 ms and ≤ 2× baseline (= {limit * 1000:.0f} ms)"
            if median is None:
                rows.append(Row(f"{id_prefix}.{page}", f"Rerun {page}, real dataset, {kind}: {'; '.join(r.get('errors', ['not run']))[:90]}",
                                target, None, "ms", "", "ERROR", before_id=f"rerun.real.{page}"))  # fmt: skip
                continue
            ratio = f"{median / base_rerun:.1f}× baseline" if base_rerun else ""
            n = r[wall_key]["n"]
            rows.append(Row(f"{id_prefix}.{page}", f"Rerun {page} (AppTest, {label}, median of {n})", target,
                            median * 1000, "ms", ratio, verdict(median <= limit), how, before_id=f"rerun.real.{page}"))  # fmt: skip
    b = results.get("rerun", {})
    # In Chromium: warm repeat (Scale radio log <-> linear; both views seen) and cache miss (a "Stated to" date
    # never used, typed in); from click to the page's script-run-finished, with the server's own log of the
    # script run and of the full garbage collection Streamlit runs after every script run (AppTest skips it).
    for kind, what in (("warm", "warm repeat: click log ↔ linear (both views seen)"),
                       ("miss", "cache miss: type a 'Stated to' date never used")):  # fmt: skip
        part = b.get(kind) or ({"output": b.get("output"), "baseline": b.get("baseline")} if kind == "warm" else {})
        out_b = _median(part, "output", "script_finished", "median")
        base_b = _median(part, "baseline", "script_finished", "median")
        suffix = "" if kind == "warm" else ".miss"
        if out_b is not None:
            n_b = _median(part, "output", "script_finished", "n")
            rows.append(Row(f"browser.rerun.output{suffix}", f"Rerun Output in Chromium, {what} → script finished (median of {n_b})",
                            "info (≤ 2× baseline)", out_b * 1000, "ms", f"{out_b / base_b:.1f}× baseline" if base_b else "",
                            verdict(out_b <= 2 * base_b) if base_b else "info", before_id="browser.rerun.output"))  # fmt: skip
            chart = _median(part, "output", "chart_redrawn", "median")
            if chart is not None:
                rows.append(Row(f"browser.rerun.output.chart{suffix}", "… change → Output chart redrawn" + (" with the new axis" if kind == "warm" else ""),
                                "info", chart * 1000, "ms", before_id="browser.rerun.output.chart"))  # fmt: skip
        if base_b is not None:
            rows.append(Row(f"browser.rerun.baseline{suffix}", f"Rerun baseline in Chromium, {what} → script finished",
                            "—", base_b * 1000, "ms", before_id="browser.rerun.baseline"))  # fmt: skip
            chart = _median(part, "baseline", "chart_redrawn", "median")
            if chart is not None:
                rows.append(Row(f"browser.rerun.baseline.chart{suffix}", "… change → baseline chart redrawn", "info",
                                chart * 1000, "ms"))  # fmt: skip
        for app_name in ("output", "baseline"):
            script = _median(part, app_name, "server_script", "median")
            gc_s = _median(part, app_name, "server_gc", "median")
            if script is None:
                continue
            objects = (part.get(app_name) or {}).get("gc_tracked_objects")
            rows.append(Row(f"browser.server.{app_name}{suffix}", f"… {app_name}: of which server script run (+ post-run GC"
                            f"{f', {objects:,} objects tracked' if objects else ''}), median", "info", script * 1000, "ms",
                            f"+ GC {gc_s * 1000:,.0f} ms" if gc_s is not None else ""))  # fmt: skip
    e = results.get("exports", {})
    if e.get("error") or e.get("errors"):
        rows.append(
            Row("export.error", f"Exports: {e.get('error') or e.get('errors')}"[:120], "", None, "s", "", "ERROR")
        )
    rows.append(
        Row("export.first_png", "Export: first PNG (starts kaleido's Chromium)", "info", _median(e, "first_png_s"), "s")
    )
    rows.append(
        Row("export.first_svg", "Export: first SVG (process already up)", "info", _median(e, "first_svg_s"), "s")
    )
    for fmt_ in ("png", "svg"):
        v = _median(e, f"warm_{fmt_}", "median")
        n_w = _median(e, f"warm_{fmt_}", "n")
        rows.append(Row(f"export.warm_{fmt_}", f"Export: warm {fmt_.upper()}, new figure each time (median of {n_w}, 3 page figures)",
                        f"≤ {EXPORT_WARM_S} s", v, "s", "", verdict(v <= EXPORT_WARM_S) if v is not None else "ERROR"))  # fmt: skip
    rows.append(Row("export.memo", "Export: same figure again (memo hit)", "info",
                    (_median(e, "memo_hit", "median") or 0) * 1000 if e.get("memo_hit") else None, "ms"))  # fmt: skip

    calls, seconds, renders, runs = 0, 0.0, 0, 0
    for size_results in results.get("apptest", {}).values():
        for r in size_results.values():
            if "image_calls" in r:
                calls += sum(v for k, v in r["image_calls"].items() if k in IMAGE_COUNTERS)
                seconds += sum(v for k, v in r["image_seconds"].items() if k in IMAGE_COUNTERS)
                renders += r.get("renders_delta", 0)
                runs += r["rerun_s"]["n"]
    if runs:
        rows.append(Row("export.rerun_image_work", f"Image work during {runs} page reruns without a download press "
                        f"({calls} image calls, {renders} renders)", "0 ms", seconds * 1000, "ms", "",
                        verdict(calls == 0 and renders == 0)))  # fmt: skip

    growth = results.get("growth", {})
    big = growth.get(str(max(results.get("sizes", [0]) or [0])), {})
    big_n = big.get("rows")
    if big_n and big_n >= 100_000:
        for key, label, wall_key, cpu_key, goal in (
            ("big.validate_cli", f"validate at {big_n:,} rows (python -m dashboard.validate)", "validate_cli_s", "validate_cli_cpu_s", BIG_VALIDATE_S),
            ("big.validate", f"… validate_dataset() in-process at {big_n:,} rows", "validate_s", "validate_cpu_s", BIG_VALIDATE_S),
            ("big.load", f"load at {big_n:,} rows", "load_s", "load_cpu_s", BIG_LOAD_S),
        ):  # fmt: skip
            v, how, _ = pick(big, wall_key, cpu_key)
            rows.append(Row(key, label, f"≤ {goal:g} s", v, "s", "", verdict(v <= goal) if v else "ERROR", how))
        big_pages = results.get("apptest", {}).get(str(big_n), {})
        for page in PAGES:
            r = big_pages.get(page, {})
            median, how, _ = pick(r, "rerun_s", "rerun_cpu_s")
            if median is None:
                why = "; ".join(r.get("errors", ["not run"]))
                rows.append(Row(f"big.rerun.{page}", f"Rerun {page} at {big_n:,} rows: {why[:80]}", f"≤ {BIG_RERUN_S:g} s",
                                r.get("timeout_s"), "s", "> limit" if r.get("timeout_s") else "", "MISSED" if r.get("timeout_s") else "ERROR"))  # fmt: skip
                continue
            rows.append(Row(f"big.rerun.{page}", f"Rerun {page} at {big_n:,} rows, cache miss (median of {r['rerun_s']['n']})",
                            f"≤ {BIG_RERUN_S:g} s", median, "s", "", verdict(median <= BIG_RERUN_S), how))  # fmt: skip
            warm, how, _ = pick(r, "warm_s", "warm_cpu_s")
            if warm is not None:
                rows.append(Row(f"big.warm.{page}", f"Rerun {page} at {big_n:,} rows, warm repeat (median of {r['warm_s']['n']})",
                                f"≤ {BIG_RERUN_S:g} s", warm, "s", "", verdict(warm <= BIG_RERUN_S), how,
                                before_id=f"big.rerun.{page}"))  # fmt: skip
    for step, exponent in growth_exponents(results).items():
        if growth_lower_bound(results, step):  # timed out at 100k: k is at least this
            ok = None if exponent <= LINEAR_EXPONENT else False
            rows.append(Row(f"growth.{step}", f"Growth of {step} cost, 10k → 100k rows (100k timed out: k ≥ this)",
                            f"k ≤ {LINEAR_EXPONENT}", exponent, "", "≥ this" if ok is None else "worse than linear",
                            "unknown" if ok is None else "MISSED"))  # fmt: skip
            continue
        rows.append(Row(f"growth.{step}", f"Growth of {step} cost, 10k → 100k rows (cost ∝ rows^k)", f"k ≤ {LINEAR_EXPONENT}",
                        exponent, "", "linear" if exponent <= LINEAR_EXPONENT else "worse than linear",
                        verdict(exponent <= LINEAR_EXPONENT)))  # fmt: skip

    for key, m in results.get("memory", {}).items():
        if "per_session_bytes" not in m:
            rows.append(
                Row(
                    f"memory.{key}",
                    f"Server memory per session ({key}): {m.get('error', 'not run')}",
                    "info",
                    None,
                    "MB",
                )
            )
            continue
        showed = (
            "; the page showed " + ", ".join(m["page_showed"])
            if any("error" in k for k in m.get("page_showed", []))
            else ""
        )
        rows.append(Row(f"memory.{key}", f"Server RSS per open session, {key} ({m['page'] or 'overview'} page, {m['sessions']} sessions{showed}; "
                        f"RSS warm idle {m['rss_warm'] / 2**20:.0f} MB, then after each session opened: "
                        f"{', '.join(f'{x / 2**20:.0f}' for x in m['rss_per_open_session'])} MB)", "info",
                        m["per_session_bytes"] / 2**20, "MB"))  # fmt: skip
    sources = {
        "ttfc.": results.get("ttfc", {}),
        "browser.": results.get("rerun", {}),
        "export.": results.get("exports", {}),
    }
    for r in rows:
        for prefix, result in sources.items():
            if r.id.startswith(prefix) and not r.how and r.id != "export.rerun_image_work" and r.value is not None:
                r.how = wall_note(result)
    return rows


IMAGE_COUNTERS = ("RENDERER.render", "kaleido.calc_fig_sync", "plotly.io.to_image", "export.image_bytes")


def growth_steps(results: dict) -> dict[str, dict[int, float]]:
    """seconds per step per size: validate (CLI and in-process), load, rerun of each page."""
    out: dict[str, dict[int, float]] = {}
    for size, g in results.get("growth", {}).items():
        n = g.get("rows") or int(size)
        for step, wall_key, cpu_key in (("validate (CLI)", "validate_cli_s", "validate_cli_cpu_s"),
                                        ("validate", "validate_s", "validate_cpu_s"), ("load", "load_s", "load_cpu_s")):  # fmt: skip
            v, _, _ = pick(g, wall_key, cpu_key)
            if v is not None:
                out.setdefault(step, {})[n] = v
    for size, pages in results.get("apptest", {}).items():
        n = results.get("growth", {}).get(size, {}).get("rows") or (139 if size == "real" else int(size))
        for page, r in pages.items():
            v, _, _ = pick(r, "rerun_s", "rerun_cpu_s")
            if v is not None:
                out.setdefault(f"rerun {page}", {})[n] = v
            elif r.get("timeout_s"):
                out.setdefault(f"rerun {page}", {})[n] = -r["timeout_s"]  # negative: a lower bound (timed out)
    return out


def growth_exponents(results: dict) -> dict[str, float]:
    """k in cost ∝ rows^k between the two largest sizes measured (a timed-out size gives a lower bound)."""
    out = {}
    for step, by_size in growth_steps(results).items():
        if 10_000 in by_size and 100_000 in by_size and by_size[10_000] > 0:
            out[step] = math.log10(abs(by_size[100_000]) / by_size[10_000])
    return out


def growth_lower_bound(results: dict, step: str) -> bool:
    return growth_steps(results).get(step, {}).get(100_000, 0) < 0


def growth_table(results: dict) -> str:
    steps = growth_steps(results)
    sizes = sorted({n for by in steps.values() for n in by})
    head = "| step | " + " | ".join(f"{n:,} rows" for n in sizes) + " | k (10k→100k) |"
    lines = [head, "|" + "---|" * (len(sizes) + 2)]
    exps = growth_exponents(results)
    for step, by in steps.items():
        cells = []
        for n in sizes:
            v = by.get(n)
            if v is None:
                cells.append("—")
            elif v < 0:
                cells.append(f"> {-v:.0f} s (timed out)")
            else:
                cells.append(
                    f"{v * 1000:,.0f} ms · {v / n * 1e6:,.1f} µs/row"
                    if v < 10
                    else f"{v:,.1f} s · {v / n * 1e6:,.0f} µs/row"
                )
        k = exps.get(step)
        lines.append(
            f"| {step} | "
            + " | ".join(cells)
            + f" | {'' if k is None else f'{k:.2f}'}{' (≥, timed out)' if by.get(100_000, 0) < 0 else ''} |"
        )
    return "\n".join(lines)


def rerun_kinds_table(results: dict) -> str:
    """Per page and size: cache-miss and warm-repeat rerun medians."""
    sizes = list(results.get("apptest", {}))
    real = results.get("growth", {}).get("real", {}).get("rows", "?")
    lines = ["| page | " + " | ".join((f"{real} rows (real)" if s == "real" else f"{int(s):,} rows") for s in sizes) + " |",
             "|---|" + "---|" * len(sizes)]  # fmt: skip

    def ms(v: float | None) -> str:
        return "—" if v is None else (f"{v * 1000:,.0f} ms" if v < 10 else f"{v:,.1f} s")

    for page in (*PAGES, "baseline"):
        cells = []
        for size in sizes:
            r = results["apptest"][size].get(page, {})
            miss, _, _ = pick(r, "rerun_s", "rerun_cpu_s")
            warm, _, _ = pick(r, "warm_s", "warm_cpu_s")
            if miss is None:
                cells.append("timed out" if r.get("timeout_s") else "—")
                continue
            cells.append(f"{ms(miss)} → {ms(warm)}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def payload_table(results: dict) -> str:
    """Bytes one rerun sends to the browser, per page and size; the server refuses a message over 50 MB."""
    sizes = list(results.get("apptest", {}))
    real = results.get("growth", {}).get("real", {}).get("rows", "?")
    lines = ["| page | " + " | ".join((f"{real} rows (real)" if s == "real" else f"{int(s):,} rows") for s in sizes) + " |",
             "|---|" + "---|" * len(sizes)]  # fmt: skip
    for page in (*PAGES, "baseline"):
        cells = []
        for size in sizes:
            r = results["apptest"][size].get(page, {})
            b, big = r.get("payload_bytes"), r.get("largest_message_bytes") or r.get("payload_bytes")
            if b is None:
                cells.append("timed out" if r.get("timeout_s") else "—")
                continue
            cells.append(
                f"{b / 1e6:,.2f} MB" + (f" (largest {big / 1e6:,.1f} MB ⚠ > 50 MB: refused)" if big > 50e6 else "")
            )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ttfc_table(results: dict) -> str:
    b = results.get("ttfc", {}).get("breakdown")
    if not b:
        return ""
    labels = {"app_mounted": "Streamlit frontend mounted", "script_started": "script run started (server)",
              "script_finished": "script run finished", "plotly_js_loaded": "plotly.js chunk loaded",
              "first_chart": "first chart trace visible"}  # fmt: skip
    lines = ["| moment (median, from navigation start) | app (Overview) | baseline |", "|---|---|---|"]
    for key, label in labels.items():
        a, z = b["app"].get(key), b["baseline"].get(key)
        lines.append(f"| {label} | {'—' if a is None else f'{a:.2f} s'} | {'—' if z is None else f'{z:.2f} s'} |")
    a, z = b["app"].get("js_bytes"), b["baseline"].get("js_bytes")
    if a and z:
        lines.append(f"| JavaScript downloaded | {a / 2**20:.1f} MB | {z / 2**20:.1f} MB |")
    return "\n".join(lines)


def charts_table(results: dict) -> str:
    lines = [
        "| dataset | page | first chart | drawn as | traces | points | annotations | figure JSON |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, c in results.get("charts", {}).items():
        for page, why in c.get("skipped", {}).items():
            lines.append(f"| {size} | {page} | not loaded: {why} | | | | | |")
        for page, p in c.get("pages", {}).items():
            if "error" in p:
                lines.append(f"| {size} | {page} | {p['error'][:80]} | | | | | |")
                continue
            if page not in ("overview", "output", "claims", "baseline"):
                kind = " ".join(p["kind"].split())[:110]
                shown = "table shown" if "stDataFrame" in kind else kind
                lines.append(f"| {size} | {page} | ready in {p['first_chart_s']:.1f} s | {shown} | | | | |")
                continue
            lines.append(f"| {size} | {page} | {p['first_chart_s']:.1f} s | {p['kind']} ({', '.join(p.get('types', []))}) | "
                         f"{p.get('traces', '')} | {p.get('points', 0):,} | {p.get('annotations', '')} | {p.get('json_bytes', 0) / 2**20:.1f} MB |")  # fmt: skip
    return "\n".join(lines)


def markdown(results: dict, before: dict) -> str:
    rows = rows_from(results)
    m = results.get("machine", {})
    lines = [f"Run {results.get('finished', '')} in {results.get('duration_s', 0) / 60:.1f} min · code {results.get('git', '')} · "
             f"{m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory')} · Python {m.get('python')} · {m.get('chromium')} · "
             f"streamlit {m.get('streamlit')}, pandas {m.get('pandas')}, plotly {m.get('plotly')}, kaleido {m.get('kaleido')}, "
             f"playwright {m.get('playwright')} · load average {results.get('load_range', '')}", "",
             "| figure | target | before | now | measured as | ratio | verdict |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        b = before.get(r.before_id or r.id)
        before_text = fmt(b, r.unit) if b is not None else "—"
        lines.append(
            f"| {r.figure} | {r.target} | {before_text} | {fmt(r.value, r.unit)} | {r.how} | {r.ratio} | {r.verdict} |"
        )
    lines += ["", f"† CPU time of the measuring process, used instead of the wall clock because the machine's 1-minute load "
              f"average was above its {NPROC} CPUs during that measurement (other work was running); wall clock alongside."]  # fmt: skip
    if ttfc_table(results):
        lines += ["", "Time to first chart, where the time goes:", "", ttfc_table(results)]
    lines += ["", "Growth (median per step, and per row; k: cost ∝ rows^k between 10,000 and 100,000 rows; "
              "a page rerun here is the cache-miss rerun):", "", growth_table(results)]  # fmt: skip
    lines += ["", "Reruns by size (AppTest), cache miss → warm repeat (medians):", "", rerun_kinds_table(results)]
    lines += ["", "Bytes one rerun sends to the browser (protobuf, measured in AppTest; the server refuses any one "
              "message over server.maxMessageSize = 50 MB and the browser shows a MessageSizeError instead):", "", payload_table(results)]  # fmt: skip
    if results.get("charts"):
        lines += ["", "Pages with many points in Chromium (one fresh load each):", "", charts_table(results)]
    return "\n".join(lines)


def plain(results: dict, before: dict) -> str:
    rows = rows_from(results)
    widths = [66, 30, 11, 11, 24, 20, 7]
    header = ("figure", "target", "before", "now", "measured as", "ratio", "verdict")
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    for r in rows:
        b = before.get(r.before_id or r.id)
        cells = (
            r.figure,
            r.target,
            fmt(b, r.unit) if b is not None else "—",
            fmt(r.value, r.unit),
            r.how,
            r.ratio,
            r.verdict,
        )
        out.append("  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths, strict=True)))
    out += ["", "† CPU time (machine busy)", "", growth_table(results), "", rerun_kinds_table(results), "",
            payload_table(results)]  # fmt: skip
    if results.get("charts"):
        out += ["", charts_table(results)]
    return "\n".join(out)


def write_results_md(text: str) -> None:
    block = f"{START}\n{text}\n{END}"
    current = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "# Benchmark results\n"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        _, tail = rest.split(END, 1)
        current = head + block + tail
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS_MD.write_text(current, encoding="utf-8")


# ---- main ----------------------------------------------------------------------------------------------
def _all_loads(value: object):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "load" and isinstance(item, list):
                yield from (x for x in item if isinstance(x, (int, float)))
            else:
                yield from _all_loads(item)


def code_fingerprint() -> str:
    """A short hash of dashboard/**/*.py and .streamlit/config.toml: which code was measured (others edit it)."""
    import hashlib

    h = hashlib.sha256()
    for file in sorted([*(REPO / "dashboard").rglob("*.py"), REPO / ".streamlit" / "config.toml"]):
        if file.is_file():
            h.update(str(file.relative_to(REPO)).encode() + b"\0" + file.read_bytes())
    return h.hexdigest()[:10]


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "dashboard"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    changed = f" + {len(dirty.splitlines())} uncommitted file(s) in dashboard/" if dirty.strip() else ""
    return f"{head}{changed} (code fingerprint {code_fingerprint()})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: few samples, sizes 1,000 and 10,000")
    parser.add_argument("--sizes", default=None, help="comma-separated dataset sizes (default 1000,10000,100000)")
    parser.add_argument("--skip", default="", help=f"stages to leave out: {','.join(STAGES)}")
    parser.add_argument("--pairs", type=int, default=None, help="time-to-first-chart pairs (default 8)")
    parser.add_argument("--reruns", type=int, default=None, help="reruns per page (default 20)")
    parser.add_argument("--save-before", action="store_true", help="keep this run's figures as the 'before' column")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    parser.add_argument(
        "--render", action="store_true", help="measure nothing: redo the table from bench/out/results.json"
    )
    args = parser.parse_args(argv)
    if args.render:
        return report(json.loads((OUT / "results.json").read_text()), args.save_before, args.write)
    install_signal_cleanup()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([1_000, 10_000] if args.quick else list(SIZES))
    pairs = args.pairs or (3 if args.quick else 10)
    reruns = args.reruns or (5 if args.quick else 20)
    started = time.monotonic()
    results: dict = {"machine": machine(), "git": git_state(), "sizes": sizes, "apptest": {}, "growth": {},
                     "memory": {}, "charts": {}}  # fmt: skip
    for name in STAGES:
        (OUT / f"{name}.log").unlink(missing_ok=True)
    for old in OUT.glob("server-*.log") if OUT.is_dir() else ():
        old.unlink()

    def stage(name: str) -> bool:
        if name in skip:
            return False
        log(f"[{time.monotonic() - started:5.0f} s] {name}")
        return True

    try:
        log(
            f"[    0 s] datasets: {', '.join(f'{n:,}' for n in sizes)} claims under bench/data/ (generated once, reused)"
        )
        folders = {"real": REPO / "datasets", **{str(n): generate(n) for n in sizes}}
        if stage("growth"):
            for key, folder in folders.items():
                big = key != "real" and int(key) >= 100_000
                results["growth"][key] = run_json(["bench.stage_growth", "--data", str(folder), "--repeat", "2" if big else "3"],
                                                  600, "growth")  # fmt: skip
                g = results["growth"][key]
                if g.get("validate_cli_exit") not in (0, None):
                    log(f"    {key}: dataset does NOT validate: {g.get('validate_cli_output')}")
                log(
                    f"    {key}: validate CLI {_median(g, 'validate_cli_s', 'median') or float('nan'):.2f} s, "
                    f"validate {_median(g, 'validate_s', 'median') or float('nan'):.2f} s, load {_median(g, 'load_s', 'median') or float('nan'):.2f} s"
                )
        if stage("apptest"):
            results["apptest"]["real"] = run_apptest(REPO / "datasets", [*PAGES, "baseline"], reruns, 30, 120, 60)
            for n in sizes:
                log(f"    -- {n:,} rows")
                budget, limit = (5, 40) if args.quick else (10, 60)
                # Fast pages first: the first page pays the dataset's validate + load (the extra 30 s), and a page
                # killed at its limit restarts the process, which then pays it again.
                order = ["method", "contribute", "data", "claims", "baseline", "overview", "output"]
                results["apptest"][str(n)] = run_apptest(folders[str(n)], order, reruns, budget, limit, 30)
        if stage("exports"):
            results["exports"] = run_json(["bench.stage_exports", "--warm", "2" if args.quick else "4"], 300, "exports")
        if stage("ttfc"):
            results["ttfc"] = run_json(["bench.stage_browser", "ttfc", "--pairs", str(pairs)], 600, "browser")
        if stage("rerun"):
            results["rerun"] = run_json(["bench.stage_browser", "rerun", "--reruns", str(reruns)], 600, "browser")
        if stage("memory"):
            results["memory"]["real dataset"] = run_json(
                ["bench.stage_browser", "memory", "--sessions", "5", "--page", "output"], 300, "browser"
            )
            big = max(sizes)
            results["memory"][f"{big:,} rows"] = run_json(["bench.stage_browser", "memory", "--data", str(folders[str(big)]), "--sessions",
                                                           "4", "--page", "data", "--timeout", "120"], 400, "browser")  # fmt: skip
        if stage("charts"):
            for n in [s for s in sizes if s >= 10_000]:
                # A page whose script run alone timed out in AppTest cannot draw within the limit: not loaded again.
                timed_out = [p for p, r in results["apptest"].get(str(n), {}).items() if r.get("timeout_s")]
                pages = [p for p in ("output", "claims", "overview", "data", "baseline") if p not in timed_out]
                results["charts"][f"{n:,} rows"] = run_json(["bench.stage_browser", "charts", "--data", str(folders[str(n)]), "--pages",
                                                             ",".join(pages), "--timeout", "60"], 400, "browser")  # fmt: skip
                results["charts"][f"{n:,} rows"]["skipped"] = {
                    p: "server-side run timed out in AppTest" for p in timed_out if p in PAGES
                }
    finally:
        for proc in _children:
            _kill(proc)
    results["duration_s"] = time.monotonic() - started
    loads = [x for x in _all_loads(results)]
    results["load_range"] = f"{min(loads):.1f}–{max(loads):.1f} (1 min, over the stages)" if loads else ""
    results["finished"] = time.strftime("%Y-%m-%d %H:%M")
    write_json(OUT / "results.json", results)
    return report(results, args.save_before, args.write)


def report(results: dict, save_before: bool, write: bool) -> int:
    """Print the table; optionally keep these figures as 'before' and write the table into RESULTS.md."""
    now = {r.id: r.value for r in rows_from(results) if r.value is not None}
    if save_before:
        write_json(BEFORE, {"saved": results["finished"], "git": results["git"], "figures": now})
        write_json(OUT / "results-before.json", results)
    before = json.loads(BEFORE.read_text())["figures"] if BEFORE.exists() else {}
    text = markdown(results, before)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    if write:
        write_results_md(text)
    print(plain(results, before))
    print(f"\n{results['duration_s'] / 60:.1f} min · raw: bench/out/results.json · table: bench/out/results.md"
          + (" · written into bench/RESULTS.md" if write else ""))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
