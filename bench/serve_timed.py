"""`streamlit run …` with a stopwatch on every script run: the server-side half of the browser rerun.

    BENCH_RUN_LOG=bench/out/runs.jsonl .venv/bin/python -m bench.serve_timed run dashboard/app.py [streamlit options]

Exactly the `streamlit run` command line (same config, same options), plus one JSON line per script run
appended to $BENCH_RUN_LOG: {"run": n, "wall_s": …, "gc_s": …, "t": unix time at the end}
(and "tracked", the number of objects the collector tracks, every fifth run).
`wall_s` is the whole `ScriptRunner._run_script` (the script, marshalling, then Streamlit's post-run work);
`gc_s` is the part spent in `gc.collect`, which the real server calls after every run (the hidden option
`runner.postScriptGC`, on by default: a full collection of every tracked object in the process). AppTest's
script runner skips that collection, so AppTest timings do not include it.

For experiments only (never how the app is deployed): BENCH_GC_FREEZE=1 calls `gc.collect(); gc.freeze()`
once, after the first script run (the objects alive then, i.e. imported modules, plotly's validators, the
dataset cache, are left out of every later collection), which is what a two-line fix in the app would do;
`--runner.postScriptGC false` on the command line turns the post-run collection off. (The SVG target-link experiment of the
first pass is now how the app draws them, so it has no switch here any more.)
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time


def install(log_path: str, freeze: bool) -> None:
    from streamlit.runtime.scriptrunner import script_runner

    original_run = script_runner.ScriptRunner._run_script
    original_collect = gc.collect
    lock = threading.Lock()
    state = {"runs": 0, "gc": threading.local()}

    def collect(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original_collect(*args, **kwargs)
        finally:
            local = state["gc"]
            local.seconds = getattr(local, "seconds", 0.0) + time.perf_counter() - start

    def run_script(self, rerun_data):
        local = state["gc"]
        local.seconds = 0.0
        start = time.perf_counter()
        try:
            return original_run(self, rerun_data)
        finally:
            wall = time.perf_counter() - start
            if freeze and not state.get("frozen"):  # once, after the first run: imports, dataset cache
                gc.collect()
                gc.freeze()
                state["frozen"] = True
            with lock:
                state["runs"] += 1
                record = {"run": state["runs"], "wall_s": wall, "gc_s": local.seconds, "t": time.time()}
                if state["runs"] % 5 == 1:  # counting costs a few ms: not after every run
                    record["tracked"] = len(gc.get_objects())
                with open(log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")

    gc.collect = collect
    script_runner.ScriptRunner._run_script = run_script


def main() -> None:
    install(os.environ.get("BENCH_RUN_LOG", os.devnull), os.environ.get("BENCH_GC_FREEZE") == "1")
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
