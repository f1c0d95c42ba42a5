"""Page rerun times in Streamlit's AppTest (cache miss and warm repeat), the bytes a rerun sends, and proof that a
rerun makes no image. How each is measured: bench/RESULTS.md, "How each figure is measured".

    .venv/bin/python -m bench.stage_apptest [--data DIR] [--dataset NAME] [--pages overview,output,…,baseline]
    .venv/bin/python -m bench.stage_apptest --pages output --profile     # where one cache-miss rerun spends its time

Each page's records are printed as soon as it is measured: bench/run.py kills this process when a page runs past its
limit and starts another for the pages left, so what was measured survives.
"""

from __future__ import annotations

import contextlib
import cProfile
import logging
import os
import pstats
import sys
import time
from datetime import date, timedelta
from unittest import mock

from bench.common import BASELINE_APP, PAGES, parser, record, record_samples
from dashboard import cli, settings

MIN_RERUNS = 3  # samples of each kind before the time budget may stop a page early
FILTER_PAGES = {"output": "output_end", "claims": "claims_end", "data": "data_end", "baseline": "end"}


def open_page(page: str, timeout: float = 600):
    """An AppTest on the given page (or the baseline app), after its first run."""
    from streamlit.testing.v1 import AppTest

    if page == "baseline":
        at = AppTest.from_file(str(BASELINE_APP), default_timeout=timeout)
    else:  # the app's pages are functions, which AppTest cannot switch to: one page, framed as app.py frames it
        at = AppTest.from_function(_one_page, args=(page,), default_timeout=timeout)
    return at.run()


def _one_page(name: str) -> None:
    """Run by AppTest as a script of its own (so it imports what it needs)."""
    from dashboard.present.registry import BY_NAME
    from dashboard.web import frame
    from dashboard.web.views import RENDERERS

    frame.entry(BY_NAME[name], RENDERERS[name])()


def change(at, page: str, i: int) -> None:
    """The widget change the benchmark makes (the i-th: "Stated to" = today - i days), then the rerun."""
    if page in FILTER_PAGES:
        at.date_input(FILTER_PAGES[page]).set_value(date.today() - timedelta(days=i))
    at.run()


def clear_model_cache() -> None:
    """Empty the page-model cache, not the dataset cache: the next run recomputes the page's model."""
    from dashboard.web import frame

    frame._memo.clear()


def errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


@contextlib.contextmanager
def image_work():
    """Everything that makes an image, wrapped to count its calls and the seconds spent in them."""
    import kaleido
    import plotly.io

    from dashboard.present import export

    tally = {"calls": 0, "seconds": 0.0}

    def counted(original):
        def wrapper(*args, **kwargs):
            tally["calls"] += 1
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                tally["seconds"] += time.perf_counter() - start

        return wrapper

    with contextlib.ExitStack() as stack:
        for owner, name in ((export.RENDERER, "render"), (kaleido, "calc_fig_sync"), (plotly.io, "to_image"),
                            (export, "image_bytes")):  # fmt: skip
            stack.enter_context(mock.patch.object(owner, name, counted(getattr(owner, name))))
        yield tally


def timed_reruns(at, page: str, pick, reruns: int, budget: float, before=None) -> dict:
    """change(at, page, pick(i)) for i = 1… until `reruns` samples or `budget` seconds (at least MIN_RERUNS);
    `before()` runs untimed before each (emptying a cache)."""
    wall, cpu = [], []
    for i in range(1, reruns + 1):
        if before is not None:
            before()
        t, c = time.perf_counter(), time.process_time()
        change(at, page, pick(i))
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if errors(at) or (i >= MIN_RERUNS and sum(wall) > budget) or sum(wall) > 3 * budget:
            break
    return {"wall": wall, "cpu": cpu, "errors": errors(at)}


def measure_page(page: str, dataset: str, reruns: int, budget: float, timeout: float) -> None:
    """First run, cache-miss reruns, warm-repeat reruns, the bytes of one rerun, image work: printed as records."""
    from dashboard.present import export

    run = {"dataset": dataset, "page": page}
    start = time.perf_counter()
    at = open_page(page, timeout)
    first = time.perf_counter() - start
    record(f"first_run.{page}", first, "s", **run, load=[os.getloadavg()[0]])
    if errors(at):
        record(f"rerun.miss.{page}", None, "s", **run, errors=errors(at))
        return
    if first < budget / 2:  # the changed widget's path once untimed (filter = today), unless one run is so slow
        change(at, page, 0)  # that warm-up effects are noise next to it
    renders, load, no_filter = export.RENDERER.renders, [os.getloadavg()[0]], page not in FILTER_PAGES
    if no_filter:
        clear_model_cache()
    with image_work() as tally:
        miss = timed_reruns(at, page, lambda i: i, reruns, budget, clear_model_cache if no_filter else None)
        warm = {"wall": [], "cpu": [], "errors": []}
        if not miss["errors"]:
            for i in (1, 2):  # untimed: both views seen (they are, unless the miss phase stopped after one run)
                change(at, page, i)
            warm = timed_reruns(at, page, lambda i: 1 + i % 2, reruns, budget)
    run["load"] = [*load, os.getloadavg()[0]]
    how = (("page-model cache (frame._memo) emptied before each run", "plain rerun") if no_filter else
           ("'Stated to' set to a date not used before", "'Stated to' toggled between two dates already seen"))  # fmt: skip
    problems = miss["errors"] or warm["errors"]
    for kind, result, said in (("miss", miss, how[0]), ("warm", warm, how[1])):
        record_samples(f"rerun.{kind}.{page}", result["wall"], "s", result["cpu"], **run, how=said, errors=problems)
    if not problems:  # one more new date: the bytes of a full run (a warm repeat sends the same)
        total, largest = payload_bytes(at, page, len(miss["wall"]) + 1)
        record(f"payload.{page}", total, "bytes", **run, largest=largest)
    record(f"image_work.{page}", tally["seconds"], "s", **run, reruns=len(miss["wall"]), calls=tally["calls"],
           renders=export.RENDERER.renders - renders)  # fmt: skip


def payload_bytes(at, page: str, i: int) -> tuple[int, int]:
    """Bytes of the protobuf messages one rerun sends to the browser, in all and the largest one. The server refuses
    a message over server.maxMessageSize (50 MB in .streamlit/config.toml) and the browser shows a MessageSizeError
    in its place; AppTest does not check it."""
    from streamlit.testing.v1 import local_script_runner as runner

    sizes, original = [(0, 0)], runner.parse_tree_from_messages

    def measure(messages):
        sizes.append((sum(m.ByteSize() for m in messages), max((m.ByteSize() for m in messages), default=0)))
        return original(messages)

    with mock.patch.object(runner, "parse_tree_from_messages", measure):
        change(at, page, i)
    return sizes[-1]


def profile(page: str, top: int = 25) -> None:
    """cProfile of one cache-miss rerun, inside AppTest's script thread (cProfile does not follow threads)."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner as Runner

    at, profiler, original = open_page(page, 900), cProfile.Profile(), Runner._run_script_thread
    change(at, page, 0)
    if page not in FILTER_PAGES:
        clear_model_cache()
    with mock.patch.object(Runner, "_run_script_thread", lambda self: profiler.runcall(original, self)):
        change(at, page, 1)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"== {page}: the project's functions by cumulative time (cProfile slows the run ~2.5×) ==")
    stats.sort_stats("cumulative").print_stats(r"dashboard/", top)
    print("== the hottest functions anywhere by own time ==")
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.stage_apptest", __doc__)
    options.add_argument("--pages", default=",".join((*PAGES, "baseline")))
    options.add_argument("--reruns", type=int, default=20)
    options.add_argument("--budget", type=float, default=20.0, help="seconds of reruns per page before stopping early")
    options.add_argument("--timeout", type=float, default=600.0)
    options.add_argument("--profile", action="store_true", help="profile one cache-miss rerun of each page instead")
    args = options.parse_args(argv)
    os.environ[settings.DATA_DIR.name] = str(args.data.resolve())
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    # Emptying the model cache from the main thread logs "missing ScriptRunContext" (harmless): keep it quiet.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    for page in args.pages.split(","):
        if args.profile:
            profile(page)
            continue
        try:
            measure_page(page, args.dataset, args.reruns, args.budget, args.timeout)
        except Exception as exc:  # noqa: BLE001 - a broken page is a result to report, not a crash of the benchmark
            record(f"rerun.miss.{page}", None, "s", dataset=args.dataset, page=page, errors=[f"{exc!r}"[:300]])
    return 0


if __name__ == "__main__":
    cli.run(main)
