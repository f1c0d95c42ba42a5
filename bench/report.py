"""The benchmark table: records (bench/out/results.json) + targets (bench/targets.toml) + before → Markdown.

    .venv/bin/python -m bench.report                 # print the table of the last run (bench/run.sh does this)
    .venv/bin/python -m bench.report --save-before   # keep its figures as the "before" column (bench/before.json)
    .venv/bin/python -m bench.report --write         # also write it between the markers in bench/RESULTS.md

Measures nothing. A row of the table has a stable id (its "before" is looked up by it); its value comes from
one record, or from a few (ratios, sums, growth exponents). Wall-clock figures measured while the 1-minute
load average was above the number of CPUs are replaced by the CPU time of the measuring process (marked †).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from dataclasses import dataclass

from bench.common import BENCH, OUT, PAGES, REPO, TARGETS, write_json

BEFORE = BENCH / "before.json"
RESULTS_MD = BENCH / "RESULTS.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
LIMITS, LABELS, CAPTIONS = TARGETS["limits"], TARGETS["labels"], TARGETS["captions"]
NPROC = len(os.sched_getaffinity(0))
APPS = (*PAGES, "baseline")


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


def label(name: str, **values: object) -> str:
    return LABELS[name].format(**LIMITS, **values)


def verdict(ok: bool | None) -> str:
    return "info" if ok is None else ("MET" if ok else "MISSED")


def fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "MB" and value < 10:  # a first visit of 3.54 MB must not read as 3.5 MB against a 3.5 MB target
        return f"{value:.2f} MB"
    formats = {"×": "{:.2f}×", "MB": "{:,.1f} MB", "": "{:.2f}", "µs/row": "{:,.1f} µs/row"}
    return formats[unit].format(value) if unit in formats else f"{value:g} {unit}".strip()


class Results:
    """The records of one run, looked up by figure name and dataset ("real" or a number of rows)."""

    def __init__(self, results: dict):
        self.run, self.records = results["run"], results["records"]
        self.by = {(r["figure"], str(r["run"].get("dataset", "real"))): r for r in self.records}
        self.sizes = [str(n) for n in self.run.get("sizes", [])]
        self.datasets = [d for d in ("real", *self.sizes) if (f"rerun.miss.{APPS[0]}", d) in self.by]

    def get(self, figure: str, dataset: str = "real") -> dict:
        return self.by.get((figure, dataset)) or {"value": None, "run": {}}

    def value(self, figure: str, dataset: str = "real") -> float | None:
        return self.get(figure, dataset)["value"]

    def rows_of(self, dataset: str) -> int | str:
        """Rows of a dataset: from the growth stage, else its name, else the real claims.csv counted."""
        rows = self.get("validate_cli", dataset)["run"].get("rows")
        if rows or dataset != "real":
            return rows or int(dataset)
        with (REPO / "datasets" / "claims.csv").open(encoding="utf-8", newline="") as handle:
            return sum(1 for _ in csv.DictReader(handle))

    def max_load(self, prefix: str) -> float:
        return max((x for r in self.records if r["figure"].startswith(prefix) for x in r["run"].get("load", [])),
                   default=0)  # fmt: skip


def busy(record: dict) -> bool:
    """Was the 1-minute load average above the number of CPUs while this was measured?"""
    return max(record["run"].get("load") or [0]) > NPROC


def pick(record: dict, force_cpu: bool = False) -> tuple[float | None, str]:
    """(seconds, how): the wall-clock median, or the CPU-time median when the machine was busy."""
    wall, cpu = record["value"], record["run"].get("cpu")
    if wall is None:
        return None, ""
    if (busy(record) or force_cpu) and cpu is not None:
        return cpu, f"CPU† (wall {wall * 1000:,.0f} ms)" if wall < 10 else f"CPU† (wall {wall:.1f} s)"
    return wall, "wall" + (f" (CPU {cpu * 1000:,.0f} ms)" if cpu is not None and cpu < 10 else "")


def errors(record: dict, limit: int) -> str:
    return "; ".join(record["run"].get("errors") or ["not run"])[:limit]


def ttfc_rows(res: Results) -> list[Row]:
    app, base, n = res.value("ttfc.app"), res.value("ttfc.baseline"), res.get("ttfc.app")["run"].get("n")
    goal = LIMITS["ttfc_ratio"]
    rows = [Row("ttfc.app", label("ttfc_app", n=n or "?"), "—", app, "s"),
            Row("ttfc.baseline", label("ttfc_baseline"), "—", base, "s")]  # fmt: skip
    if app and base:
        paired = res.value("ttfc.pair_ratio")
        rows.append(Row("ttfc.ratio", label("ttfc_ratio", n=n), f"≤ {goal}×", paired, "×",
                        f"ratio of medians {app / base:.2f}×", verdict(paired <= goal)))  # fmt: skip
    elif res.get("ttfc.app")["run"].get("errors"):
        error = errors(res.get("ttfc.app"), 300)
        rows.append(Row("ttfc.ratio", label("ttfc_error", error=error), f"≤ {goal}×", None, "×", "", "ERROR"))
    return rows


def apptest_rows(res: Results) -> list[Row]:
    """Reruns on the real dataset, cache miss and warm repeat (bench/stage_apptest.py), against the baseline."""
    rows: list[Row] = []
    any_busy = any(busy(res.get(f"rerun.miss.{page}")) for page in APPS)
    for kind, prefix in (("miss", "rerun.real"), ("warm", "rerun.warm")):
        base, base_how = pick(res.get(f"rerun.{kind}.baseline"), any_busy)
        rows.append(Row("rerun.baseline" if kind == "miss" else "rerun.warm.baseline",
                        label("rerun_baseline", how=LABELS[f"rerun_baseline_{kind}"]), "—",
                        base * 1000 if base else None, "ms", how=base_how, before_id="rerun.baseline"))  # fmt: skip
        limit = LIMITS["rerun_ms"] / 1000
        limit = min(limit, LIMITS["rerun_baseline_factor"] * base) if base else limit
        target = label("rerun_target", limit_ms=limit * 1000)
        for page in PAGES:
            r = res.get(f"rerun.{kind}.{page}")
            if r["value"] is None and not r["run"].get("errors"):  # the warm phase did not run: why the miss failed
                r = {"value": None, "run": res.get(f"rerun.miss.{page}")["run"]}
            median, how = pick(r, any_busy)
            if median is None:
                rows.append(Row(f"{prefix}.{page}", label("rerun_page_error", page=page, kind=kind, error=errors(r, 90)),
                                target, None, "ms", "", "ERROR", before_id=f"rerun.real.{page}"))  # fmt: skip
                continue
            how_changed = ("cache miss: " if kind == "miss" else "warm repeat: ") + r["run"].get("how", "")
            rows.append(Row(f"{prefix}.{page}", label("rerun_page", page=page, how=how_changed, n=r["run"]["n"]),
                            target, median * 1000, "ms", f"{median / base:.1f}× baseline" if base else "",
                            verdict(median <= limit), how, before_id=f"rerun.real.{page}"))  # fmt: skip
    return rows


def browser_rows(res: Results) -> list[Row]:
    """In Chromium (bench/stage_browser.py rerun): from the change to script-run-finished in the page, and from
    the server's own log the script run and the full GC Streamlit runs after every script run."""
    rows: list[Row] = []
    for kind in ("warm", "miss"):
        suffix, what = ("" if kind == "warm" else ".miss"), LABELS[f"browser_{kind}"]
        out, base = (res.get(f"browser.{kind}.{app}.script_finished") for app in ("output", "baseline"))
        if out["value"] is not None:
            b, o = base["value"], out["value"]
            ok = verdict(o <= LIMITS["browser_baseline_factor"] * b) if b else "info"
            rows.append(Row(f"browser.rerun.output{suffix}", label("browser_output", what=what, n=out["run"]["n"]),
                            label("browser_output_target"), o * 1000, "ms", f"{o / b:.1f}× baseline" if b else "",
                            ok, before_id="browser.rerun.output"))  # fmt: skip
            chart = res.value(f"browser.{kind}.output.chart_redrawn")
            if chart is not None:
                axis = " with the new axis" if kind == "warm" else ""
                rows.append(Row(f"browser.rerun.output.chart{suffix}", label("browser_output_chart", axis=axis), "info",
                                chart * 1000, "ms", before_id="browser.rerun.output.chart"))  # fmt: skip
        if base["value"] is not None:
            rows.append(Row(f"browser.rerun.baseline{suffix}", label("browser_baseline", what=what), "—",
                            base["value"] * 1000, "ms", before_id="browser.rerun.baseline"))  # fmt: skip
            chart = res.value(f"browser.{kind}.baseline.chart_redrawn")
            if chart is not None:
                rows.append(Row(f"browser.rerun.baseline.chart{suffix}", label("browser_baseline_chart"), "info",
                                chart * 1000, "ms"))  # fmt: skip
        for app in ("output", "baseline"):
            script, gc_s = (res.get(f"browser.{kind}.{app}.server_{k}") for k in ("script", "gc"))
            if script["value"] is None:
                continue
            objects = script["run"].get("gc_tracked_objects")
            rows.append(Row(f"browser.server.{app}{suffix}",
                            label("browser_server", app=app, objects=f", {objects:,} objects tracked" if objects else ""),
                            "info", script["value"] * 1000, "ms",
                            f"+ GC {gc_s['value'] * 1000:,.0f} ms" if gc_s["value"] is not None else ""))  # fmt: skip
    return rows


def export_rows(res: Results) -> list[Row]:
    rows: list[Row] = []
    if res.get("export.error")["run"]:
        error = res.get("export.error")["run"].get("errors")
        rows.append(Row("export.error", label("export_error", error=error)[:120], "", None, "s", "", "ERROR"))
    rows.append(Row("export.first_png", label("export_first_png"), "info", res.value("export.first_png"), "s"))
    rows.append(Row("export.first_svg", label("export_first_svg"), "info", res.value("export.first_svg"), "s"))
    goal = LIMITS["export_warm_s"]
    for kind in ("png", "svg"):
        r = res.get(f"export.warm_{kind}")
        v, n, figures = r["value"], r["run"].get("n"), len(r["run"].get("figures", [])) or "?"
        rows.append(Row(f"export.warm_{kind}", label("export_warm", format=kind.upper(), n=n, figures=figures),
                        f"≤ {goal} s", v, "s", "", verdict(v <= goal) if v is not None else "ERROR"))  # fmt: skip
    memo = res.value("export.memo_hit")
    rows.append(Row("export.memo", label("export_memo"), "info", memo * 1000 if memo is not None else None, "ms"))
    work = [r for r in res.records if r["figure"].startswith("image_work.")]
    if work:
        calls, renders = (sum(r["run"][k] for r in work) for k in ("calls", "renders"))
        runs, seconds = sum(r["run"]["reruns"] for r in work), sum(r["value"] for r in work)
        rows.append(Row("export.rerun_image_work", label("image_work", runs=runs, calls=calls, renders=renders),
                        "0 ms", seconds * 1000, "ms", "", verdict(calls == 0 and renders == 0)))  # fmt: skip
    return rows


def big_rows(res: Results) -> list[Row]:
    """At the largest size (100,000 rows): validate, load and every page's reruns against fixed limits."""
    big = res.sizes[-1] if res.sizes else ""
    rows_n = res.get("validate_cli", big)["run"].get("rows")
    if not rows_n or rows_n < 100_000:
        return []
    out: list[Row] = []
    # "load" is load_dataset, validate + load since one reading path; its row has a new name so that the
    # saved "before" of the old read-only load is not set beside it.
    for key, figure, goal in (("validate_cli", "validate_cli", "big_validate_s"), ("validate", "validate", "big_validate_s"),
                              ("validate_load", "load", "big_load_s"), ("overview_build", "overview_build", "big_overview_s")):  # fmt: skip
        v, how = pick(res.get(figure, big))
        out.append(Row(f"big.{key}", label(f"big_{key}", rows=rows_n), f"≤ {LIMITS[goal]:g} s", v, "s", "",
                       verdict(v <= LIMITS[goal]) if v else "ERROR", how))  # fmt: skip
    goal = LIMITS["big_rerun_s"]
    for page in PAGES:
        r = res.get(f"rerun.miss.{page}", big)
        median, how = pick(r)
        if median is None:
            timeout = r["run"].get("timeout_s")
            out.append(Row(f"big.rerun.{page}", label("big_rerun_error", page=page, rows=rows_n, error=errors(r, 80)),
                           f"≤ {goal:g} s", timeout, "s", "> limit" if timeout else "", "MISSED" if timeout else "ERROR"))  # fmt: skip
            continue
        out.append(Row(f"big.rerun.{page}", label("big_rerun", page=page, rows=rows_n, n=r["run"]["n"]), f"≤ {goal:g} s",
                       median, "s", "", verdict(median <= goal), how))  # fmt: skip
        warm = res.get(f"rerun.warm.{page}", big)
        v, how = pick(warm)
        if v is not None:
            out.append(Row(f"big.warm.{page}", label("big_warm", page=page, rows=rows_n, n=warm["run"]["n"]),
                           f"≤ {goal:g} s", v, "s", "", verdict(v <= goal), how, before_id=f"big.rerun.{page}"))  # fmt: skip
    return out


def growth_steps(res: Results) -> dict[str, dict[int, float]]:
    """Seconds per step per size: validate (CLI and in-process), load, the cache-miss rerun of each page
    (negative: that size timed out after so many seconds, a lower bound)."""
    out: dict[str, dict[int, float]] = {}
    for dataset in ("real", *res.sizes):
        for step, figure in (("validate (CLI)", "validate_cli"), ("validate", "validate"), ("validate + load", "load"),
                             ("Overview build", "overview_build")):  # fmt: skip
            r = res.get(figure, dataset)
            if r["value"] is not None:
                out.setdefault(step, {})[r["run"]["rows"]] = pick(r)[0]
    for dataset in res.datasets:
        n = res.rows_of(dataset)
        for page in APPS:
            r = res.get(f"rerun.miss.{page}", dataset)
            v = pick(r)[0]
            if v is not None or r["run"].get("timeout_s"):
                out.setdefault(f"rerun {page}", {})[n] = v if v is not None else -r["run"]["timeout_s"]
    return out


def growth_rows(res: Results) -> list[Row]:
    rows, goal = [], LIMITS["linear_exponent"]
    for step, by_size in growth_steps(res).items():
        if not (by_size.get(10_000, 0) > 0 and 100_000 in by_size):
            continue
        k = math.log10(abs(by_size[100_000]) / by_size[10_000])
        if by_size[100_000] < 0:  # timed out at 100k: k is at least this
            ok = k <= goal
            rows.append(Row(f"growth.{step}", label("growth_timed_out", step=step), f"k ≤ {goal}", k, "",
                            "≥ this" if ok else "worse than linear", "unknown" if ok else "MISSED"))  # fmt: skip
        else:
            rows.append(Row(f"growth.{step}", label("growth", step=step), f"k ≤ {goal}", k, "",
                            "linear" if k <= goal else "worse than linear", verdict(k <= goal)))  # fmt: skip
    return rows


def memory_rows(res: Results) -> list[Row]:
    rows = []
    for r in (r for r in res.records if r["figure"] == "memory.per_session"):
        dataset, run = str(r["run"].get("dataset", "real")), r["run"]
        key = "real dataset" if dataset == "real" else f"{int(dataset):,} rows"
        if r["value"] is None:
            rows.append(Row(f"memory.{key}", label("memory_error", key=key, error=errors(r, 200)), "info", None, "MB"))
            continue
        shown = run.get("page_showed", [])
        showed = "; the page showed " + ", ".join(shown) if any("error" in k for k in shown) else ""
        each = ", ".join(f"{x:.0f}" for x in run["rss_per_open_session"])
        rows.append(Row(f"memory.{key}", label("memory", key=key, page=run["page"], sessions=run["sessions"],
                                               showed=showed, warm=run["rss_warm"], each=each), "info", r["value"], "MB"))  # fmt: skip
    return rows


def wire_rows(res: Results) -> list[Row]:
    rows = []
    for key in ("haproxy", "precompressed"):
        r, goal = res.get(f"wire.{key}"), LIMITS["first_visit_mb"]
        target, run = (f"≤ {goal:g} MB" if key == "precompressed" else "info"), r["run"]
        if r["value"] is None:
            rows.append(Row(f"wire.{key}", label("wire_error", key=key, error=errors(r, 120)), target, None, "MB"))
            continue
        text = label(
            f"wire_{key}", requests=run["requests"], http=run["http_mb"], ws=run["ws_mb"], cpu=run["haproxy_cpu_ms"]
        )
        ok = r["value"] <= goal if key == "precompressed" else None
        rows.append(
            Row(
                f"wire.{key}",
                text,
                target,
                r["value"],
                "MB",
                "",
                verdict(ok),
                f"median of {run['n']} (load {max(run['load']):.1f})",
            )
        )
    return rows


def table_rows(res: Results) -> list[Row]:
    rows = [*ttfc_rows(res), *apptest_rows(res), *browser_rows(res), *export_rows(res), *big_rows(res),
            *growth_rows(res), *memory_rows(res), *wire_rows(res)]  # fmt: skip
    for r in rows:  # browser and export figures are wall clock in a process that shares the machine
        prefix = next((p for p in ("ttfc.", "browser.", "export.") if r.id.startswith(p)), None)
        if prefix and not r.how and r.id != "export.rerun_image_work" and r.value is not None:
            r.how = f"wall (load {res.max_load(prefix):.1f}, own browser and server included)"
    return rows


def _by_dataset_header(res: Results) -> list[str]:
    heads = [f"{res.rows_of(d)} rows (real)" if d == "real" else f"{int(d):,} rows" for d in res.datasets]
    return ["| page | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]


def ttfc_table(res: Results) -> list[str]:
    if res.value("ttfc.app.first_chart") is None:
        return []
    lines = ["| moment (median, from navigation start) | app (Overview) | baseline |", "|---|---|---|"]
    for key, text in TARGETS["moments"].items():
        a, z = res.value(f"ttfc.app.{key}"), res.value(f"ttfc.baseline.{key}")
        lines.append(f"| {text} | {'—' if a is None else f'{a:.2f} s'} | {'—' if z is None else f'{z:.2f} s'} |")
    a, z = res.value("ttfc.app.js_bytes"), res.value("ttfc.baseline.js_bytes")
    if a and z:
        lines.append(f"| JavaScript downloaded | {a / 2**20:.1f} MB | {z / 2**20:.1f} MB |")
    return lines


def growth_table(res: Results) -> list[str]:
    steps = growth_steps(res)
    sizes = sorted({n for by in steps.values() for n in by})
    lines = [
        "| step | " + " | ".join(f"{n:,} rows" for n in sizes) + " | k (10k→100k) |",
        "|" + "---|" * (len(sizes) + 2),
    ]
    for step, by in steps.items():
        cells = []
        for n in sizes:
            v = by.get(n)
            if v is None:
                cells.append("—")
            elif v < 0:
                cells.append(f"> {-v:.0f} s (timed out)")
            else:
                per_row = v / n * 1e6
                cells.append(
                    f"{v * 1000:,.0f} ms · {per_row:,.1f} µs/row" if v < 10 else f"{v:,.1f} s · {per_row:,.0f} µs/row"
                )
        k = math.log10(abs(by[100_000]) / by[10_000]) if by.get(10_000, 0) > 0 and 100_000 in by else None
        bound = " (≥, timed out)" if by.get(100_000, 0) < 0 else ""
        lines.append(f"| {step} | " + " | ".join(cells) + f" | {'' if k is None else f'{k:.2f}'}{bound} |")
    return lines


def by_page_table(res: Results, cell) -> list[str]:
    """One row per page (and the baseline), one column per dataset; `cell(res, page, dataset)` fills it."""
    lines = _by_dataset_header(res)
    for page in APPS:
        cells = []
        for dataset in res.datasets:
            timed_out = res.get(f"rerun.miss.{page}", dataset)["run"].get("timeout_s")
            cells.append(cell(res, page, dataset) or ("timed out" if timed_out else "—"))
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return lines


def rerun_cell(res: Results, page: str, dataset: str) -> str:
    (miss, _), (warm, _) = pick(res.get(f"rerun.miss.{page}", dataset)), pick(res.get(f"rerun.warm.{page}", dataset))
    ms = lambda v: "—" if v is None else (f"{v * 1000:,.0f} ms" if v < 10 else f"{v:,.1f} s")  # noqa: E731
    return f"{ms(miss)} → {ms(warm)}" if miss is not None else ""


def payload_cell(res: Results, page: str, dataset: str) -> str:
    r = res.get(f"payload.{page}", dataset)
    if r["value"] is None:
        return ""
    big = r["run"].get("largest") or r["value"]
    return f"{r['value'] / 1e6:,.2f} MB" + (f" (largest {big / 1e6:,.1f} MB ⚠ > 50 MB: refused)" if big > 50e6 else "")


def charts_table(res: Results) -> list[str]:
    lines = ["| dataset | page | first chart | drawn as | traces | points | annotations | figure JSON |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    drawn = [r for r in res.records if r["figure"].startswith("chart.")]
    for r in sorted(drawn, key=lambda r: (int(r["run"]["dataset"]), "skipped" not in r["run"])):
        size, page, p = f"{int(r['run']['dataset']):,} rows", r["figure"].split(".", 1)[1], r["run"]
        if "skipped" in p:
            lines.append(f"| {size} | {page} | not loaded: {p['skipped']} | | | | | |")
        elif r["value"] is None:
            lines.append(f"| {size} | {page} | {(p.get('error') or errors(r, 80))[:80]} | | | | | |")
        elif page not in (*TARGETS["pages"]["charts"], "baseline"):
            kind = " ".join(p["kind"].split())[:110]
            shown = "table shown" if "stDataFrame" in kind else kind
            lines.append(f"| {size} | {page} | ready in {r['value']:.1f} s | {shown} | | | | |")
        else:
            lines.append(f"| {size} | {page} | {r['value']:.1f} s | {p['kind']} ({', '.join(p.get('types', []))}) | "
                         f"{p.get('traces', '')} | {p.get('points', 0):,} | {p.get('annotations', '')} | "
                         f"{p.get('json_bytes', 0) / 2**20:.1f} MB |")  # fmt: skip
    return lines


def sections(res: Results) -> list[tuple[str, list[str]]]:
    """The tables below the main one, by caption name, in order (empty ones left out)."""
    out = [("ttfc", ttfc_table(res)), ("growth", growth_table(res)), ("reruns", by_page_table(res, rerun_cell)),
           ("payload", by_page_table(res, payload_cell))]  # fmt: skip
    if any(r["figure"].startswith("chart.") for r in res.records):
        out.append(("charts", charts_table(res)))
    return [(name, lines) for name, lines in out if lines]


def machine_load(run: dict) -> str:
    """How busy the shared machine was: the load average (1/5/15 min) when the run started and ended, and the range
    of the 1-minute figure over the stages. Above the number of CPUs, other work competed with the measurement."""
    avg = lambda key: "/".join(f"{x:.1f}" for x in run[key]) if run.get(key) else "?"  # noqa: E731
    return (
        f"machine load (1/5/15 min) {avg('load_start')} at the start, {avg('load_end')} at the end, "
        f"{NPROC} CPUs; over the stages {run.get('load_range') or '?'}"
    )


def markdown(res: Results, before: dict) -> str:
    run, m = res.run, res.run.get("machine", {})
    lines = [f"Run {run.get('finished', '')} in {run.get('duration_s', 0) / 60:.1f} min · code {run.get('git', '')} · "
             f"{m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory')} · Python {m.get('python')} · {m.get('chromium')} · "
             f"streamlit {m.get('streamlit')}, pandas {m.get('pandas')}, plotly {m.get('plotly')}, kaleido {m.get('kaleido')}, "
             f"playwright {m.get('playwright')} · {machine_load(run)}", "",
             "| figure | target | before | now | measured as | ratio | verdict |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in table_rows(res):
        b = before.get(r.before_id or r.id)
        lines.append(f"| {r.figure} | {r.target} | {fmt(b, r.unit) if b is not None else '—'} | {fmt(r.value, r.unit)} | "
                     f"{r.how} | {r.ratio} | {r.verdict} |")  # fmt: skip
    lines += ["", CAPTIONS["cpu"].format(nproc=NPROC)]
    for name, table in sections(res):
        lines += ["", CAPTIONS[name], "", *table]
    return "\n".join(lines)


def plain(res: Results, before: dict) -> str:
    widths = [66, 30, 11, 11, 24, 20, 7]
    header = ("figure", "target", "before", "now", "measured as", "ratio", "verdict")
    out = [machine_load(res.run), "", "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    for r in table_rows(res):
        b = before.get(r.before_id or r.id)
        cells = (r.figure, r.target, fmt(b, r.unit) if b is not None else "—", fmt(r.value, r.unit), r.how, r.ratio,
                 r.verdict)  # fmt: skip
        out.append("  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths, strict=True)))
    out += ["", "† CPU time (machine busy)"]
    for name, table in sections(res):
        if name != "ttfc":  # the text table leaves out the first-chart breakdown
            out += ["", *table]
    return "\n".join(out)


def write_results_md(text: str) -> None:
    """Replace what is between the markers in bench/RESULTS.md (the prose around them is kept)."""
    block = f"{START}\n{text}\n{END}"
    current = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "# Benchmark results\n"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        current = head + block + rest.split(END, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS_MD.write_text(current, encoding="utf-8")


def report(results: dict, save_before: bool = False, write: bool = False) -> int:
    """Print the table; optionally keep these figures as 'before' and write the table into RESULTS.md."""
    res = Results(results)
    if save_before:
        now = {r.id: r.value for r in table_rows(res) if r.value is not None}
        write_json(BEFORE, {"saved": res.run["finished"], "git": res.run["git"], "figures": now})
        write_json(OUT / "results-before.json", results)
    before = json.loads(BEFORE.read_text())["figures"] if BEFORE.exists() else {}
    text = markdown(res, before)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    if write:
        write_results_md(text)
    print(plain(res, before))
    print(f"\n{res.run.get('duration_s', 0) / 60:.1f} min · raw: bench/out/results.json · table: bench/out/results.md"
          + (" · written into bench/RESULTS.md" if write else ""))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", default=str(OUT / "results.json"), help="the run's records")
    parser.add_argument("--save-before", action="store_true", help="keep these figures as the 'before' column")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    args = parser.parse_args(argv)
    with open(args.results, encoding="utf-8") as handle:
        return report(json.load(handle), args.save_before, args.write)


if __name__ == "__main__":
    sys.exit(main())
