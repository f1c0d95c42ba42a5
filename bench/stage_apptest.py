"""Page rerun times (Streamlit AppTest), cache miss and warm repeat, and proof that reruns do no image work.

    .venv/bin/python -m bench.stage_apptest --data DIR [--dataset NAME] [--pages overview,output,...,baseline]

Prints a page's records (bench/common.py) as soon as it is measured: first_run, rerun.miss, rerun.warm,
payload and image_work, each with run["page"] (the runner kills and restarts this process when a page
exceeds its time limit, so what was measured survives).

What is timed: `AppTest.run()` after one widget change, i.e. one whole script run of the entry point
(set_page_config + st.navigation + the page), in-process, with the dataset cache warm and every element
marshalled to protobuf as the server does; the WebSocket send and the browser's drawing are not included
(the browser stage measures those). CPU time of the process (time.process_time) is recorded beside
the wall clock: on a shared machine it is the steadier figure.

Two kinds of rerun are timed, one after the other, on the same AppTest session:

* cache miss: the page's "Stated to" filter set to a date not used before (today minus i days for the i-th
  run), so the page model cache (`frame.memo`, keyed on dataset version and view) cannot answer, while the
  dataset cache is warm; (nearly) every row still matches, so the page does its full work. Overview,
  Method and Contribute have no filter: their page-model cache (`dashboard.web.frame._memo`) is cleared before
  each timed run instead (the first visit after a restart or a data change).
* warm repeat: "Stated to" toggled between two dates already seen (today - 1 and today - 2), what a reader
  clicking back and forth gets; a plain rerun on the pages without a filter.

Image work is counted by wrapping `dashboard.present.export.RENDERER.render`, `kaleido.calc_fig_sync`,
`plotly.io.to_image` and the deferred download builders (`export.image_bytes`, `csv_bytes`, `html_bytes`,
`package_zip`) with counters that also add up the time spent inside them.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import BASELINE_APP, PAGES, REPO, load1, record, record_samples, rss_bytes, summary

FILTER_PAGES = {"output": "output_end", "claims": "claims_end", "data": "data_end", "baseline": "end"}


class Counter:
    """Wraps a function: counts calls and adds up seconds spent in it."""

    def __init__(self, owner: object, name: str):
        self.owner, self.name = owner, name
        self.original = getattr(owner, name)
        self.calls = 0
        self.seconds = 0.0
        counter = self

        def wrapper(*args, **kwargs):
            counter.calls += 1
            start = time.perf_counter()
            try:
                return counter.original(*args, **kwargs)
            finally:
                counter.seconds += time.perf_counter() - start

        setattr(owner, name, wrapper)

    def restore(self) -> None:
        setattr(self.owner, self.name, self.original)


def image_counters() -> dict[str, Counter]:
    import kaleido
    import plotly.io

    from dashboard.present import export

    targets = {
        "RENDERER.render": (export.RENDERER, "render"),
        "kaleido.calc_fig_sync": (kaleido, "calc_fig_sync"),
        "plotly.io.to_image": (plotly.io, "to_image"),
        "export.image_bytes": (export, "image_bytes"),
        "export.csv_bytes": (export, "csv_bytes"),
        "export.html_bytes": (export, "html_bytes"),
        "export.package_zip": (export, "package_zip"),
    }
    return {label: Counter(owner, name) for label, (owner, name) in targets.items()}


def open_page(page: str, timeout: float = 600):
    """An AppTest on the given page (or the baseline app), after its first run."""
    from streamlit.testing.v1 import AppTest

    if page == "baseline":
        at = AppTest.from_file(str(BASELINE_APP), default_timeout=timeout)
    else:  # the app's pages are functions, which AppTest cannot switch to: one page, framed as app.py frames it
        at = AppTest.from_function(_one_page, args=(page,), default_timeout=timeout)
    at.run()
    return at


def _one_page(name: str) -> None:
    """Run by AppTest as a script of its own (so it imports what it needs)."""
    from dashboard.present.registry import BY_NAME
    from dashboard.web import frame
    from dashboard.web.views import RENDERERS

    frame.entry(BY_NAME[name], RENDERERS[name])()


def change_filter(at, page: str, i: int) -> None:
    """The widget change the rerun benchmark makes (the i-th run: "Stated to" = today - i days), then the rerun."""
    key = FILTER_PAGES.get(page)
    if key is not None:
        at.date_input(key).set_value(date.today() - timedelta(days=i))
    at.run()


def clear_model_cache() -> bool:
    """Empty the page-model cache (`frame.memo`), not the dataset cache: the next run recomputes the page's model.
    False when the app has no such cache (then a plain rerun is all there is)."""
    frame = sys.modules.get("dashboard.web.frame")
    memo = getattr(frame, "_memo", None)
    if memo is None or not hasattr(memo, "clear"):
        return False
    memo.clear()
    return True


def settled_memory() -> tuple[int, int]:
    """(RSS, bytes held by Arrow) after a full collection and after both allocators have given back what they
    can (glibc malloc_trim, Arrow's pool), so that what is left is what is still referenced (e.g. by caches)."""
    import ctypes
    import gc

    import pyarrow

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    pool = pyarrow.default_memory_pool()
    with contextlib.suppress(AttributeError):
        pool.release_unused()
    return rss_bytes(os.getpid()), pyarrow.total_allocated_bytes()


def miss_rerun(at, page: str, i: int) -> None:
    """A rerun the page-model cache cannot answer: a new filter value, or (no filter) the model cache emptied."""
    change_filter(at, page, i)


def warm_rerun(at, page: str, i: int) -> None:
    """A rerun of a view already seen: "Stated to" toggled between today - 1 and today - 2 (a plain rerun
    on a page without a filter)."""
    change_filter(at, page, 1 + i % 2)


def errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def _timed_reruns(at, page: str, run, reruns: int, budget: float, min_reruns: int, before=None) -> dict:
    """`run(at, page, i)` for i = 1… until `reruns` samples or `budget` seconds (at least `min_reruns`);
    `before()` runs untimed before each (e.g. emptying a cache)."""
    samples: list[float] = []
    cpu: list[float] = []
    spent = 0.0
    out: dict = {"errors": []}
    for i in range(1, reruns + 1):
        if before is not None:
            before()
        t, c = time.perf_counter(), time.process_time()
        run(at, page, i)
        samples.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        spent += samples[-1]
        if errors(at):
            out["errors"] = errors(at)
            break
        if (i >= min_reruns and spent > budget) or spent > 3 * budget:
            break
    out.update(wall=summary(samples), cpu=summary(cpu), samples=samples, cpu_samples=cpu)
    return out


def measure_page(page: str, reruns: int, budget: float, min_reruns: int, timeout: float) -> dict:
    """First run, then cache-miss reruns, then warm-repeat reruns (each until `reruns` samples or `budget`
    seconds, at least `min_reruns`)."""
    from dashboard.present import export

    start = time.perf_counter()
    at = open_page(page, timeout)
    first = time.perf_counter() - start
    result: dict = {"page": page, "first_run_s": first, "errors": errors(at)}
    if result["errors"]:
        return result
    if first < budget / 2:  # warm: the changed widget's path runs once untimed (filter = today); skipped for
        change_filter(at, page, 0)  # pages so slow that warm-up effects are noise next to one run
    renders_before = export.RENDERER.renders
    counters = image_counters()
    load_start = load1()
    no_filter = page not in FILTER_PAGES and page != "baseline"
    has_cache = clear_model_cache() if no_filter else True
    rss_start, arrow_start = settled_memory()
    try:
        miss = _timed_reruns(at, page, miss_rerun, reruns, budget, min_reruns,
                             before=clear_model_cache if no_filter and has_cache else None)  # fmt: skip
        rss_after_miss, arrow_after_miss = settled_memory()
        warm = {"errors": [], "wall": summary([]), "cpu": summary([]), "samples": [], "cpu_samples": []}
        if not miss["errors"]:
            for i in (1, 2):  # untimed: both views seen (they are, unless the miss phase stopped after one run)
                warm_rerun(at, page, i)
            warm = _timed_reruns(at, page, warm_rerun, reruns, budget, min_reruns)
    finally:
        for c in counters.values():
            c.restore()
    result["errors"] = miss["errors"] or warm["errors"]
    if no_filter:
        miss_how = (
            "page-model cache (frame._memo) emptied before each run" if has_cache else "plain rerun (no model cache)"
        )
        warm_how = "plain rerun"
    else:
        miss_how, warm_how = (
            "'Stated to' set to a date not used before",
            "'Stated to' toggled between two dates already seen",
        )
    result.update(
        rerun_s=miss["wall"],  # cache miss: the figure compared with "before" (no view cache existed then)
        rerun_cpu_s=miss["cpu"],
        rerun_cpu_s_all=miss["cpu_samples"],
        warm_cpu_s_all=warm["cpu_samples"],
        samples=miss["samples"],
        warm_s=warm["wall"],
        warm_cpu_s=warm["cpu"],
        warm_samples=warm["samples"],
        miss_how=miss_how,
        warm_how=warm_how,
        rss_before_misses=rss_start,  # settled (collected, allocators trimmed): what is still referenced
        rss_after_misses=rss_after_miss,
        arrow_before_misses=arrow_start,
        arrow_after_misses=arrow_after_miss,
        load=[load_start, load1()],
        renders_delta=export.RENDERER.renders - renders_before,
        image_calls={k: c.calls for k, c in counters.items()},
        image_seconds={k: c.seconds for k, c in counters.items()},
        filter_changed=FILTER_PAGES.get(page, "(none: plain rerun)"),
    )
    if not result["errors"]:
        # A new date: a cache miss, so the bytes are those of a full run (a warm repeat sends the same).
        n = len(miss["samples"]) + 1
        result["payload_bytes"], result["largest_message_bytes"] = payload_bytes(at, page, n)
    return result


def payload_bytes(at, page: str, i: int) -> tuple[int, int]:
    """Bytes of the protobuf messages one rerun sends to the browser, in all and the largest one (an extra,
    untimed run). The server refuses a message above server.maxMessageSize (50 MB in .streamlit/config.toml)
    and the browser then shows a MessageSizeError instead of the element; AppTest does not check it."""
    from streamlit.testing.v1 import local_script_runner

    original = local_script_runner.parse_tree_from_messages
    sizes: list[tuple[int, int]] = []

    def measure(messages):
        each = [m.ByteSize() for m in messages]
        sizes.append((sum(each), max(each, default=0)))
        return original(messages)

    local_script_runner.parse_tree_from_messages = measure
    try:
        change_filter(at, page, i)
    finally:
        local_script_runner.parse_tree_from_messages = original
    return sizes[-1] if sizes else (0, 0)


IMAGE_COUNTERS = ("RENDERER.render", "kaleido.calc_fig_sync", "plotly.io.to_image", "export.image_bytes")


def print_records(result: dict, dataset: str) -> None:
    """One page's results as records (value None and run["errors"] when the page failed)."""
    page, errors_ = result["page"], result.get("errors", [])
    run = {"dataset": dataset, "page": page, "load": result.get("load", [])}
    if "first_run_s" in result:
        record(f"first_run.{page}", result["first_run_s"], "s", **run)
    if "rerun_s" not in result:
        record(f"rerun.miss.{page}", None, "s", **run, errors=errors_)
        return
    for kind, wall, cpu in (("miss", "samples", "rerun_cpu_s"), ("warm", "warm_samples", "warm_cpu_s")):
        record_samples(f"rerun.{kind}.{page}", result[wall], "s", cpu=result[f"{cpu}_all"], **run,
                       how=result[f"{kind}_how"], errors=errors_)  # fmt: skip
    if "payload_bytes" in result:
        record(f"payload.{page}", result["payload_bytes"], "bytes", **run, largest=result["largest_message_bytes"])
    record(f"image_work.{page}", sum(v for k, v in result["image_seconds"].items() if k in IMAGE_COUNTERS), "s",
           **run, calls=sum(v for k, v in result["image_calls"].items() if k in IMAGE_COUNTERS),
           renders=result["renders_delta"], reruns=result["rerun_s"]["n"])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stage_apptest")
    parser.add_argument("--data", type=Path, default=REPO / "datasets")
    parser.add_argument("--dataset", default="real", help="its name in the records (real, or its number of rows)")
    parser.add_argument("--pages", default=",".join((*PAGES, "baseline")))
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--min-reruns", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of reruns per page before stopping early")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    os.environ["DASHBOARD_DATA_DIR"] = str(args.data.resolve())
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    # Emptying the model cache from the main thread logs "missing ScriptRunContext" (harmless): keep it quiet.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    sys.path.insert(0, str(REPO))
    for page in args.pages.split(","):
        try:
            result = measure_page(page, args.reruns, args.budget, args.min_reruns, args.timeout)
        except Exception as exc:  # noqa: BLE001 - a broken page is a result to report, not a crash of the benchmark
            result = {"page": page, "errors": [f"{exc.__class__.__name__}: {exc}"[:300]]}
        print_records(result, args.dataset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
