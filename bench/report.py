"""The benchmark table: records (bench/out/results.json) + targets (bench/targets.toml) + before → Markdown.

    .venv/bin/python -m bench.report                 # print the table of the last run (bench/run.sh does this)
    .venv/bin/python -m bench.report --save-before   # keep its figures as the "before" column (bench/before.json)
    .venv/bin/python -m bench.report --write         # also write it between the markers in bench/RESULTS.md

Most rows are declared in targets.toml, each from one record; the rows built here come from several. A row's stable
id looks up its "before". Wall-clock figures measured while the 1-minute load average was above the number of CPUs
are replaced by the CPU time of the measuring process (marked †).
"""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

from bench.common import BENCH, OUT, PAGES, REPO, TARGETS, parser, write_json
from dashboard import cli

BEFORE, RESULTS_MD = BENCH / "before.json", BENCH / "RESULTS.md"
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
    before_id: str = ""  # the "before" figure(s) to show ("a+b": their sum), when not the one with this row's id


def verdict(value: float | None, goal: float | None) -> str:
    """MET or MISSED against an upper bound; info without one; ERROR when there is nothing to judge."""
    return "info" if goal is None else "ERROR" if value is None else "MET" if value <= goal else "MISSED"


def fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "MB" and value < 10:  # a first visit of 3.54 MB must not read as 3.5 MB against a 3.5 MB target
        return f"{value:.2f} MB"
    formats = {"×": "{:.2f}×", "MB": "{:,.1f} MB", "KB": "{:,.0f} KB", "": "{:.2f}", "req/s": "{:,.0f} req/s"}
    return formats[unit].format(value) if unit in formats else f"{value:g} {unit}".strip()


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


class Results:
    """The records of one run, looked up by figure name and dataset ("real" or a number of rows)."""

    def __init__(self, results: dict):
        self.run, self.records = results["run"], results["records"]
        self.by = {(r["figure"], str(r["run"].get("dataset", "real"))): r for r in self.records}
        self.sizes = [str(n) for n in self.run.get("sizes", [])]
        self.datasets = [d for d in ("real", *self.sizes) if (f"rerun.miss.{APPS[0]}", d) in self.by]

    def get(self, figure: str, dataset: str = "real") -> dict:
        return self.by.get((figure, dataset)) or {"value": None, "run": {}}

    def rows_of(self, dataset: str) -> int:
        """Rows of a dataset: from the growth stage, else its name, else the real claims.csv counted."""
        if rows := self.get("validate_cli", dataset)["run"].get("rows") or (dataset != "real" and int(dataset)):
            return rows
        with (REPO / "datasets" / "claims.csv").open(encoding="utf-8", newline="") as handle:
            return sum(1 for _ in csv.DictReader(handle))

    def big(self) -> str | None:
        """The largest generated dataset, when it has 100,000 rows or more (the issue's size)."""
        return self.sizes[-1] if self.sizes and self.rows_of(self.sizes[-1]) >= 100_000 else None


def busy(record: dict) -> bool:
    return max(record["run"].get("load") or [0]) > NPROC


def pick(record: dict, force_cpu: bool = False) -> tuple[float | None, str]:
    """(seconds, how): the wall-clock median, or the CPU-time median when the machine was busy."""
    wall, cpu = record["value"], record["run"].get("cpu")
    if wall is None:
        return None, ""
    if (force_cpu or busy(record)) and cpu is not None:
        return cpu, f"CPU† (wall {ms(wall)})"
    return wall, "wall" + (f" (CPU {ms(cpu)})" if cpu is not None and cpu < 10 else "")


def errors(record: dict, limit: int) -> str:
    return "; ".join(record["run"].get("errors") or ["not run"])[:limit]


def declared_rows(res: Results, section: str) -> list[Row]:
    """The rows targets.toml declares for a section of the table, each from one record (see there)."""
    rows = []
    for spec in TARGETS["rows"][section]:
        dataset = res.big() if spec.get("dataset") == "big" else "real"
        r = res.get(spec["record"], dataset or "")
        if dataset is None or (spec.get("optional") and r["value"] is None and not r["run"].get("errors")):
            continue
        scale, goal, versus = spec.get("scale", 1), LIMITS.get(spec.get("goal", "")), res.get(spec.get("versus", ""))
        value, how = (
            pick(r) if spec.get("how") == "pick" else (r["value"], spec.get("how", TARGETS["how"].get(section)))
        )
        row = Row(
            spec.get("id", spec["record"]),
            "",
            "",
            value and value * scale,
            spec["unit"],
            before_id=spec.get("before", ""),
        )
        if versus["value"] and "factor" in spec:  # the goal is a multiple of another figure (the baseline's)
            goal = LIMITS[spec["factor"]] * versus["value"] * scale
        names = {**LIMITS, **r["run"], "load_max": max(r["run"].get("load") or [0]),
                 "versus_ratio": (value or 0) / (versus["value"] or math.nan)}  # fmt: skip
        target = f"≤ {goal:g} {row.unit}".replace(" ×", "×") if goal is not None else "info"
        row.target = spec.get("target", target).format(**names)
        if row.value is None:  # not measured: say why, and judge nothing
            row.figure, row.verdict = (
                f"{spec.get('error', row.id)}: {errors(r, 200)}",
                "ERROR" if r["run"] else "not run",
            )
        else:
            row.figure, row.verdict = spec["label"].format(**names), verdict(row.value, goal)
            row.ratio = spec.get("ratio", "").format(**names) if versus["value"] or "versus" not in spec else ""
            row.how = how if spec.get("how") == "pick" else (how or "").format(**names)
        rows.append(row)
    return rows


def rerun_rows(res: Results, big: bool) -> list[Row]:
    """Reruns in AppTest. On the real dataset a cache miss and a warm repeat, each page ≤ 150 ms and ≤ 2× the baseline;
    at the sizes issue 18 names (10,000 rows) a cache miss ≤ 2× the baseline at that size; at 100,000 rows (big) both
    kinds ≤ 1 s (on the Overview, which has no filter, the cache miss is its first build)."""
    rows: list[Row] = []
    if big:
        size = res.big()
        plan = [("miss", size, "big.rerun", "big.rerun"), ("warm", size, "big.warm", "big.rerun")]
        plan = plan if size in res.datasets else []
    else:
        sizes = [str(n) for n in LIMITS["rerun_sizes"] if str(n) in res.datasets]
        plan = [("miss", "real", "rerun.real", "rerun.real"), ("warm", "real", "rerun.warm", "rerun.real"),
                *(("miss", n, f"rerun.{n}", "") for n in sizes)]  # fmt: skip
    for kind, dataset, prefix, before in plan:
        scale, unit, real = (1, "s", False) if big else (1000, "ms", dataset == "real")
        where = "" if real else f" at {int(dataset):,} rows"
        force = not big and any(busy(res.get(f"rerun.miss.{p}", dataset)) for p in APPS)  # like with like: CPU for all
        base, how = pick(res.get(f"rerun.{kind}.baseline", dataset), force)
        limit = LIMITS["big_rerun_s"] if big else min(LIMITS["rerun_ms"] / 1000 if real else math.inf,
                                                      LIMITS["rerun_baseline_factor"] * (base or math.inf))  # fmt: skip
        kind_of_target = "big_rerun_target" if big else "rerun_target" if real else "rerun_target_rows"
        target = LABELS[kind_of_target].format(**LIMITS, limit_ms=limit * 1000)
        if not big:
            text = LABELS["rerun_baseline"].format(where=where, how=LABELS[f"rerun_baseline_{kind}"])
            rows.append(Row({"rerun.real": "rerun.baseline"}.get(prefix, f"{prefix}.baseline"), text, "—",
                            base * 1000 if base else None, "ms", how=how, before_id="rerun.baseline" if real else ""))  # fmt: skip
        for page in PAGES:
            r = res.get(f"rerun.{kind}.{page}", dataset)
            if r["value"] is None and not r["run"].get("errors"):  # the warm phase did not run: why the miss failed
                r = {"value": None, "run": res.get(f"rerun.miss.{page}", dataset)["run"]}
            median, how = pick(r, force)
            if median is None and not (kind == "warm" and big):
                timeout = r["run"].get("timeout_s")
                text = LABELS["rerun_page_error"].format(page=page, where=where or ", real dataset", kind=kind,
                                                         error=errors(r, 90))  # fmt: skip
                rows.append(Row(f"{prefix}.{page}", text, target, timeout * scale if timeout else None, unit,
                                "> limit" if timeout else "", "MISSED" if timeout else "ERROR", before_id=before and f"{before}.{page}"))  # fmt: skip
            elif median is not None:
                said = ("cache miss: " if kind == "miss" else "warm repeat: ") + r["run"].get("how", "")
                text = LABELS["rerun_page"].format(page=page, where=where, how=said, n=r["run"]["n"])
                rows.append(Row(f"{prefix}.{page}", text, target, median * scale, unit,
                                f"{median / base:.1f}× baseline" if base and not big else "", verdict(median, limit), how,
                                before and f"{before}.{page}"))  # fmt: skip
    return rows


def image_work_rows(res: Results) -> list[Row]:
    """No image is made on a rerun without a download press: the image calls every AppTest rerun counted."""
    work = [r for r in res.records if r["figure"].startswith("image_work.")]
    calls, renders, runs = (sum(r["run"][k] for r in work) for k in ("calls", "renders", "reruns"))
    text = f"Image work during {runs} page reruns without a download press ({calls} image calls, {renders} renders)"
    seconds = sum(r["value"] for r in work) * 1000
    return (
        [Row("export.rerun_image_work", text, "0 ms", seconds, "ms", "", verdict(calls + renders, 0))] if work else []
    )


def growth_steps(res: Results) -> dict[str, dict[int, float]]:
    """Seconds per step per size: validate (CLI and in-process), load, the cache-miss rerun of each page (negative:
    that size timed out after so many seconds, a lower bound)."""
    out: dict[str, dict[int, float]] = {}
    for dataset in ("real", *res.sizes):
        for step, figure in (("validate (CLI)", "validate_cli"), ("validate", "validate"), ("validate + load", "load"),
                             ("Overview build", "overview_build")):  # fmt: skip
            if (r := res.get(figure, dataset))["value"] is not None:
                out.setdefault(step, {})[r["run"]["rows"]] = pick(r)[0]
    for dataset in res.datasets:
        for page in APPS:
            r = res.get(f"rerun.miss.{page}", dataset)
            if (v := pick(r)[0]) is not None or r["run"].get("timeout_s"):
                out.setdefault(f"rerun {page}", {})[res.rows_of(dataset)] = -r["run"]["timeout_s"] if v is None else v
    return out


def exponent(by_size: dict[int, float]) -> float | None:
    """k in cost ∝ rows^k between 10,000 and 100,000 rows."""
    if by_size.get(10_000, 0) > 0 and 100_000 in by_size:
        return math.log10(abs(by_size[100_000]) / by_size[10_000])
    return None


def growth_rows(res: Results) -> list[Row]:
    rows, goal = [], LIMITS["linear_exponent"]
    for step, by_size in growth_steps(res).items():
        if (k := exponent(by_size)) is None:
            continue
        if by_size[100_000] < 0:  # timed out at 100k: k is at least this
            said = ("≥ this", "unknown") if k <= goal else ("worse than linear", "MISSED")
            rows.append(
                Row(f"growth.{step}", LABELS["growth_timed_out"].format(step=step), f"k ≤ {goal}", k, "", *said)
            )
        else:
            rows.append(Row(f"growth.{step}", LABELS["growth"].format(step=step), f"k ≤ {goal}", k, "",
                            "linear" if k <= goal else "worse than linear", verdict(k, goal)))  # fmt: skip
    return rows


def memory_rows(res: Results) -> list[Row]:
    rows = []
    for r in (r for r in res.records if r["figure"] == "memory.per_session"):
        run, dataset = r["run"], str(r["run"].get("dataset", "real"))
        key = "real dataset" if dataset == "real" else f"{int(dataset):,} rows"
        if r["value"] is None:
            rows.append(
                Row(f"memory.{key}", LABELS["memory_error"].format(key=key, error=errors(r, 200)), "info", None, "MB")
            )
            continue
        shown = run.get("page_showed", [])
        text = LABELS["memory"].format(key=key, page=run["page"], sessions=run["sessions"], warm=run["rss_warm"],
                                       showed="; the page showed " + ", ".join(shown) if any("error" in k for k in shown) else "",
                                       each=", ".join(f"{x:.0f}" for x in run["rss_per_open_session"]))  # fmt: skip
        rows.append(Row(f"memory.{key}", text, "info", r["value"], "MB"))
    return rows


def table_rows(res: Results) -> list[Row]:
    return [*declared_rows(res, "ttfc"), *rerun_rows(res, big=False), *declared_rows(res, "browser"),
            *declared_rows(res, "exports"), *image_work_rows(res), *declared_rows(res, "big"), *rerun_rows(res, big=True),
            *growth_rows(res), *memory_rows(res), *declared_rows(res, "wire"), *declared_rows(res, "publish")]  # fmt: skip


def by_page_table(res: Results, cell) -> list[str]:
    """One row per page (and the baseline), one column per dataset; `cell(page, dataset)` fills it."""
    heads = [f"{res.rows_of(d)} rows (real)" if d == "real" else f"{int(d):,} rows" for d in res.datasets]
    lines = ["| page | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    for page in APPS:
        timed_out = [res.get(f"rerun.miss.{page}", d)["run"].get("timeout_s") for d in res.datasets]
        cells = [cell(page, d) or ("timed out" if t else "—") for d, t in zip(res.datasets, timed_out, strict=True)]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return lines if res.datasets else []


def rerun_cell(res: Results, page: str, dataset: str) -> str:
    miss, warm = (pick(res.get(f"rerun.{kind}.{page}", dataset))[0] for kind in ("miss", "warm"))
    return f"{ms(miss)} → {ms(warm)}" if miss is not None else ""


def payload_cell(res: Results, page: str, dataset: str) -> str:
    r = res.get(f"payload.{page}", dataset)
    big = r["run"].get("largest") or r["value"] or 0
    refused = f" (largest {big / 1e6:,.1f} MB ⚠ > 50 MB: refused)" if big > 50e6 else ""
    return f"{r['value'] / 1e6:,.2f} MB{refused}" if r["value"] is not None else ""


def ttfc_table(res: Results) -> list[str]:
    value = lambda side, key: res.get(f"ttfc.{side}.{key}")["value"]  # noqa: E731
    lines = [f"| {text} | {fmt(value('app', key), 's')} | {fmt(value('baseline', key), 's')} |"
             for key, text in TARGETS["moments"].items()]  # fmt: skip
    if (a := value("app", "js_bytes")) and (z := value("baseline", "js_bytes")):
        lines.append(f"| JavaScript downloaded | {a / 2**20:.1f} MB | {z / 2**20:.1f} MB |")
    head = ["| moment (median, from navigation start) | app (Overview) | baseline |", "|---|---|---|"]
    return head + lines if value("app", "first_chart") is not None else []


def growth_table(res: Results) -> list[str]:
    steps = growth_steps(res)
    sizes = sorted({n for by in steps.values() for n in by})
    lines = [
        "| step | " + " | ".join(f"{n:,} rows" for n in sizes) + " | k (10k→100k) |",
        "|" + "---|" * (len(sizes) + 2),
    ]
    for step, by in steps.items():
        cells = ["—" if v is None else f"> {-v:.0f} s (timed out)" if v < 0 else
                 f"{ms(v)} · {v / n * 1e6:,.{1 if v < 10 else 0}f} µs/row" for n, v in ((n, by.get(n)) for n in sizes)]  # fmt: skip
        k, bound = exponent(by), " (≥, timed out)" if by.get(100_000, 0) < 0 else ""
        lines.append(f"| {step} | " + " | ".join(cells) + f" | {'' if k is None else f'{k:.2f}'}{bound} |")
    return lines


def charts_table(res: Results) -> list[str]:
    lines = []
    drawn = [r for r in res.records if r["figure"].startswith("chart.") and r["run"].get("dataset")]
    for r in sorted(drawn, key=lambda r: (int(r["run"]["dataset"]), "skipped" not in r["run"])):
        size, page, p = f"{int(r['run']['dataset']):,} rows", r["figure"].split(".", 1)[1], r["run"]
        if "skipped" in p or r["value"] is None:
            why = f"not loaded: {p['skipped']}" if "skipped" in p else (p.get("error") or errors(r, 80))[:80]
            lines.append(f"| {size} | {page} | {why} | | | | | |")
        elif page not in (*TARGETS["pages"]["charts"], "baseline"):
            kind = " ".join(p["kind"].split())[:110]
            lines.append(f"| {size} | {page} | ready in {r['value']:.1f} s | {'table shown' if 'stDataFrame' in kind else kind} | | | | |")  # fmt: skip
        else:
            lines.append(f"| {size} | {page} | {r['value']:.1f} s | {p['kind']} ({', '.join(p.get('types', []))}) | "
                         f"{p.get('traces', '')} | {p.get('points', 0):,} | {p.get('annotations', '')} | "
                         f"{p.get('json_bytes', 0) / 2**20:.1f} MB |")  # fmt: skip
    head = "| dataset | page | first chart | drawn as | traces | points | annotations | figure JSON |"
    return [head, "|---|---|---|---|---|---|---|---|", *lines] if lines else []


def publish_table(res: Results) -> list[str]:
    steps = [(f"published view: {key.replace('_', ' ')}", res.get(f"publish.moment.{key}"))
             for key in ("html", "image", "plotly_fetched", "plotly_ready", "drawn")]  # fmt: skip
    steps += [(f"build stage {r['figure'].rsplit('stage', 1)[1]}: {r['run'].get('what', '')}", r)
              for r in res.records if r["figure"].startswith("publish.build.stage")]  # fmt: skip
    lines = [f"| {what} | {fmt(r['value'], 's')} |" for what, r in steps if r["value"] is not None]
    return ["| step | seconds |", "|---|---|", *lines] if lines else []


def markdown(res: Results, before: dict) -> str:
    """The report: what was measured on what (and how busy the shared machine was: the load average when the run
    started and ended, and its range over the stages), the table, and the tables below it."""
    run, m = res.run, res.run.get("machine", {})
    avg = lambda key: "/".join(f"{x:.1f}" for x in run[key]) if run.get(key) else "?"  # noqa: E731
    lines = [f"Run {run.get('finished', '')} in {run.get('duration_s', 0) / 60:.1f} min · code {run.get('git', '')} · "
             f"{m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory')} · Python {m.get('python')} · {m.get('chromium')} · "
             f"streamlit {m.get('streamlit')}, pandas {m.get('pandas')}, plotly {m.get('plotly')}, kaleido {m.get('kaleido')}, "
             f"playwright {m.get('playwright')} · machine load (1/5/15 min) {avg('load_start')} at the start, "
             f"{avg('load_end')} at the end, {NPROC} CPUs; over the stages {run.get('load_range') or '?'}", "",
             "| figure | target | before | now | measured as | ratio | verdict |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in table_rows(res):
        parts = [before.get(key) for key in (r.before_id or r.id).split("+")]
        was = fmt(None if None in parts else sum(parts), r.unit)
        lines.append(
            f"| {r.figure} | {r.target} | {was} | {fmt(r.value, r.unit)} | {r.how} | {r.ratio} | {r.verdict} |"
        )
    lines += ["", CAPTIONS["cpu"].format(nproc=NPROC)]
    tables = {"ttfc": ttfc_table(res), "growth": growth_table(res),
              "reruns": by_page_table(res, lambda p, d: rerun_cell(res, p, d)),
              "payload": by_page_table(res, lambda p, d: payload_cell(res, p, d)), "charts": charts_table(res),
              "publish": publish_table(res)}  # fmt: skip
    for name, table in tables.items():
        lines += ["", CAPTIONS[name], "", *table] if table else []
    return "\n".join(lines)


def report(results: dict, save_before: bool = False, write: bool = False) -> int:
    """Print the table; optionally keep these figures as 'before', and write the table between the markers in
    bench/RESULTS.md (the prose around them is kept)."""
    res = Results(results)
    if save_before:
        now = {r.id: r.value for r in table_rows(res) if r.value is not None}
        write_json(BEFORE, {"saved": res.run["finished"], "git": res.run["git"], "figures": now})
        write_json(OUT / "results-before.json", results)
    text = markdown(res, json.loads(BEFORE.read_text())["figures"] if BEFORE.exists() else {})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    if write:
        head, _, rest = (RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "").partition(START)
        tail = rest.partition(END)[2] or "\n"
        RESULTS_MD.write_text(f"{head.rstrip()}\n\n{START}\n{text}\n{END}{tail}", encoding="utf-8")
    print(text)
    print(f"\n{res.run.get('duration_s', 0) / 60:.1f} min · raw: bench/out/results.json · table: bench/out/results.md"
          + (" · written into bench/RESULTS.md" if write else ""))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.report", __doc__, data=False)
    options.add_argument("--results", type=Path, default=OUT / "results.json", help="the run's records")
    options.add_argument("--save-before", action="store_true", help="keep these figures as the 'before' column")
    options.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    args = options.parse_args(argv)
    return report(json.loads(args.results.read_text(encoding="utf-8")), args.save_before, args.write)


if __name__ == "__main__":
    cli.run(main)
