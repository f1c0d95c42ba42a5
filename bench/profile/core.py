"""Time each core step the chart pages run, at several dataset sizes, to see which step grows worse than linearly.

    .venv/bin/python -m bench.profile.core                       # real, 1,000, 10,000, 100,000 rows; 60 s per step
    .venv/bin/python -m bench.profile.core --sizes 1000,10000 --limit 20
    .venv/bin/python -m bench.profile.core --micro               # add_annotation in a loop vs once; iterrows vs zip
    .venv/bin/python -m bench.profile.core --model-memory        # memory one cached page model (one view) keeps

No Streamlit: the core functions are called the way the pages call them (dashboard/views/*.py), on the
loaded dataset, each once (CPU seconds; a step over --limit is stopped and shown as "> limit").
Prints a table: seconds per step per size, and k in cost ∝ rows^k between the two largest sizes measured.
Not part of bench/run.sh (it takes a few minutes); its output is quoted in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import time
from pathlib import Path

from bench.common import REPO
from bench.generate import folder_for


class StepTimeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise StepTimeout


def steps(data):
    """(name, zero-argument callable) for each step, sharing intermediate results like the pages do."""
    from dashboard.analysis import claim_check, filters, output_series, targets
    from dashboard.data.normalize import SHELL_UNITS
    from dashboard.present import captions, charts, url_state
    from dashboard.present.charts import ChartText
    from dashboard.present.identity import MAIN_SUBJECTS

    claims = data.claims
    text = ChartText("title", "subtitle", "source", data.version, "https://example.org/", data.updated)
    box: dict = {}

    def put(key, fn):
        def run():
            box[key] = fn()

        return run

    view = url_state.DEFAULT
    return [
        ("overview: claim_check.headline_claims", put("ratio", lambda: claim_check.headline_claims(claims))),
        ("overview: claim_check.claim_vs_estimates", put("cmp", lambda: claim_check.claim_vs_estimates(claims))),
        ("overview: claim_check.estimate_years", put("est", lambda: claim_check.estimate_years(claims))),
        ("overview: charts.ratio_timeline_figure", put("fig_o", lambda: charts.ratio_timeline_figure(box["ratio"], box["est"], text))),
        ("overview: figure to JSON (st.plotly_chart)", lambda: box["fig_o"].to_json()),
        ("output: filters.apply", put("rows_o", lambda: filters.apply(claims[claims["unit"].isin(SHELL_UNITS)], view))),
        ("output: targets.target_status", put("status", lambda: targets.target_status(box["rows_o"], as_of=claims["stated_on"].max()))),
        ("output: charts.output_figure", put("fig_p", lambda: charts.output_figure(output_series.series(box["rows_o"], list(MAIN_SUBJECTS)), True, text, box["status"]))),
        ("output: figure to JSON (st.plotly_chart)", lambda: box["fig_p"].to_json()),
        ("claims: filters.apply + sort", put("rows_c", lambda: filters.apply(claims, view).sort_values("stated_on", ascending=False))),
        ("claims: charts.claims_timeline_figure", put("fig_c", lambda: charts.claims_timeline_figure(box["rows_c"], text))),
        ("claims: captions.claims_table", lambda: captions.claims_table(box["rows_c"])),
        ("claims: figure to JSON (st.plotly_chart)", lambda: box["fig_c"].to_json()),
        ("data: captions.data_table", lambda: captions.data_table(filters.apply(claims, view), data.package)),
        ("any page: empty figure + charts.add_chart_text", lambda: charts.add_chart_text(__import__("plotly.graph_objects").graph_objects.Figure(), text)),
        # The page models as frame.memo computes them on a cache miss (one view), after the fixes of b5f6e5b.
        *_model_steps(data, box),
        ("server: gc.collect(2) (Streamlit's post-run GC) with this dataset and these models alive", lambda: __import__("gc").collect(2)),
    ]  # fmt: skip


def _model_steps(data, box: dict) -> list:
    """The page models (dashboard/models.py) for the default view, when the app has them."""
    try:
        from dashboard.present import url_state, view_models
    except ImportError:
        return []
    link = "https://example.org/"
    return [
        ("model: view_models.all_target_status (once per dataset)", lambda: box.__setitem__("all_status", view_models.all_target_status(data))),
        ("model: view_models.overview", lambda: box.__setitem__("m_overview", view_models.overview(data, url_state.DEFAULT, link))),
        ("model: view_models.output (one view)", lambda: box.__setitem__("m_output", view_models.output(data, url_state.DEFAULT, link))),
        ("model: view_models.claims (one view)", lambda: box.__setitem__("m_claims", view_models.claims(data, url_state.DEFAULT, link))),
        ("model: view_models.data_rows (one view)", lambda: box.__setitem__("m_data", view_models.data_rows(data, url_state.DEFAULT))),
    ]  # fmt: skip


def measure(folder: Path, limit: float) -> dict[str, float | None]:
    """CPU seconds per step (negative: stopped at the limit; None: failed)."""
    from dashboard.data.load import load_dataset

    data = load_dataset(folder).dataset
    out: dict[str, float | None] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for name, run in steps(data):
        start = time.process_time()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            run()
            out[name] = time.process_time() - start
        except StepTimeout:
            out[name] = -limit
        except Exception as exc:  # noqa: BLE001 - a step that fails (API changed, or depends on one that timed out)
            out[name] = None
            print(f"  {name}: {exc.__class__.__name__}: {str(exc)[:120]}", file=sys.stderr)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return out


def micro() -> None:
    """The two patterns behind most of the growth: per-row fig.add_annotation, and DataFrame.iterrows."""
    import plotly.graph_objects as go

    print("| pattern | 100 | 400 | 1,600 |\n|---|---|---|---|")
    loop, once = [], []
    for n in (100, 400, 1600):
        fig = go.Figure()
        start = time.process_time()
        for i in range(n):
            fig.add_annotation(x=i, y=i, text="", showarrow=True, ax=0, ay=38)
        loop.append(time.process_time() - start)
        start = time.process_time()
        go.Figure().update_layout(annotations=[dict(x=i, y=i, text="", showarrow=True, ax=0, ay=38) for i in range(n)])
        once.append(time.process_time() - start)
    print("| n × fig.add_annotation | " + " | ".join(f"{t * 1000:,.0f} ms" for t in loop) + " |")
    print("| one update_layout(annotations=[n dicts]) | " + " | ".join(f"{t * 1000:,.0f} ms" for t in once) + " |")
    folder = folder_for(10_000)
    if folder.is_dir():
        from dashboard.data.load import load_dataset

        claims = load_dataset(folder).dataset.claims
        start = time.process_time()
        for _ in claims.iterrows():
            pass
        rows = time.process_time() - start
        cols = ["speaker", "speaker_role", "stated_on", "quote", "publisher", "original_publisher", "grade", "claim_id"]
        start = time.process_time()
        for _ in zip(*(claims[c].tolist() for c in cols), strict=True):
            pass
        lists = time.process_time() - start
        print(f"\n10,000 rows × {claims.shape[1]} columns: DataFrame.iterrows {rows * 1000:,.0f} ms; "
              f"zip over the 8 column lists hover_text reads {lists * 1000:,.0f} ms")  # fmt: skip


def model_memory(sizes: list[str], views: int = 8) -> None:
    """Memory one page model keeps while it sits in the page-model cache (`frame.memo`): `views` models of distinct
    views ("Stated to" dates past the data, so every row matches) are built and kept, memory is settled before
    and after (full GC, malloc_trim, Arrow's pool released), and the difference is divided by `views`."""
    from datetime import date, timedelta

    from bench.stage_apptest import settled_memory
    from dashboard.data.load import load_dataset
    from dashboard.present import url_state, view_models

    print("| page model (one view) | " + " | ".join(sizes) + " |\n|---|" + "---|" * len(sizes))
    table: dict[str, list[str]] = {}
    for size in sizes:
        data = load_dataset(REPO / "datasets" if size == "real" else folder_for(int(size))).dataset
        status = view_models.all_target_status(data)
        builders = {
            "models.output": lambda v, data=data, status=status: view_models.output(data, v, "x"),
            "models.claims": lambda v, data=data: view_models.claims(data, v, "x"),
            "models.data_rows": lambda v, data=data: view_models.data_rows(data, v),
            "models.overview (one per permalink)": lambda v, data=data: view_models.overview(data, v, str(v.end)),
        }
        for build in builders.values():  # warm: imports, plotly validators
            build(url_state.DEFAULT)
        for name, build in builders.items():
            kept = []
            rss0, arrow0 = settled_memory()
            for i in range(views):
                kept.append(build(url_state.ViewState(end=date(2100, 1, 1) - timedelta(days=i))))
            rss1, arrow1 = settled_memory()
            table.setdefault(name, []).append(
                f"{(rss1 - rss0) / views / 2**20:,.1f} MB (Arrow {(arrow1 - arrow0) / views / 2**20:,.1f} MB)"
            )
            del kept
    for name, cells in table.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile.core", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,1000,10000,100000")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a step is stopped")
    parser.add_argument("--micro", action="store_true", help="only the add_annotation and iterrows micro-benchmarks")
    parser.add_argument("--model-memory", action="store_true", help="only the memory one cached page model keeps")
    args = parser.parse_args(argv)
    if args.micro:
        micro()
        return 0
    sizes = args.sizes.split(",")
    if args.model_memory:
        model_memory(sizes)
        return 0
    results: dict[str, dict[str, float | None]] = {}
    rows: dict[str, int] = {}
    measure(REPO / "datasets", args.limit)  # warm-up: first calls import plotly's validators and fill caches
    for size in sizes:
        folder = REPO / "datasets" if size == "real" else folder_for(int(size))
        if not folder.is_dir():
            print(f"{folder} missing: run python -m bench.generate first", file=sys.stderr)
            return 2
        print(f"measuring {folder} …", file=sys.stderr, flush=True)
        results[size] = measure(folder, args.limit)
        rows[size] = sum(1 for _ in (folder / "claims.csv").open(encoding="utf-8")) - 1
    names = list(next(iter(results.values())))
    print("| step | " + " | ".join(f"{rows[s]:,} rows" for s in sizes) + " | k (last two sizes) |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for name in names:
        cells, measured = [], []
        for s in sizes:
            v = results[s].get(name)
            if v is None:
                cells.append("failed")
            elif v < 0:
                cells.append(f"> {-v:.0f} s")
                measured.append((rows[s], -v, True))
            else:
                cells.append(f"{v * 1000:,.0f} ms" if v < 10 else f"{v:,.1f} s")
                measured.append((rows[s], v, False))
        k = ""
        if len(measured) >= 2 and measured[-2][1] > 0 and not measured[-2][2]:
            (n1, t1, _), (n2, t2, bound) = measured[-2], measured[-1]
            k = f"{'≥ ' if bound else ''}{math.log(t2 / t1) / math.log(n2 / n1):.2f}"
        print(f"| {name} | " + " | ".join(cells) + f" | {k} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
