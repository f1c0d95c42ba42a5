"""`streamlit run …` with a stopwatch on every script run: the server-side half of the browser rerun.

    .venv/bin/python -m bench.serve_timed LOG run dashboard/app.py [streamlit options]

Exactly the `streamlit run` command line, plus one JSON line per script run appended to LOG: the whole
`ScriptRunner._run_script` (`wall_s`) and the part of it spent in `gc.collect` (`gc_s`), which the real server calls
after every run and AppTest's runner does not; every fifth run also the number of objects the collector tracks.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
import time


def install(log_path: str) -> None:
    from streamlit.runtime.scriptrunner import script_runner

    original_run, original_collect = script_runner.ScriptRunner._run_script, gc.collect
    lock, state, local = threading.Lock(), {"runs": 0}, threading.local()

    def collect(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original_collect(*args, **kwargs)
        finally:  # per thread: sessions run their scripts in threads of their own
            local.seconds = getattr(local, "seconds", 0.0) + time.perf_counter() - start

    def run_script(self, rerun_data):
        local.seconds, start = 0.0, time.perf_counter()
        try:
            return original_run(self, rerun_data)
        finally:
            wall = time.perf_counter() - start
            with lock:
                state["runs"] += 1
                line = {"run": state["runs"], "wall_s": wall, "gc_s": local.seconds}
                if state["runs"] % 5 == 1:  # counting costs a few ms: not after every run
                    line["tracked"] = len(gc.get_objects())
                with open(log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(line) + "\n")

    gc.collect = collect
    script_runner.ScriptRunner._run_script = run_script


def main() -> None:
    install(sys.argv[1])
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[2:]]
    cli.main()


if __name__ == "__main__":
    main()
