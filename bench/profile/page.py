"""Profile one rerun of a page (AppTest + cProfile) and print where the time goes.

    .venv/bin/python -m bench.profile.page output                        # real dataset, cache-miss rerun
    .venv/bin/python -m bench.profile.page output --warm                 # a view already seen (warm repeat)
    .venv/bin/python -m bench.profile.page overview --data bench/data/claims-10000
    .venv/bin/python -m bench.profile.page validate --data bench/data/claims-100000
    .venv/bin/python -m bench.profile.page load --data bench/data/claims-100000

The page is run once (caches warm), then rerun under cProfile after the same widget change the rerun
benchmark makes: by default a cache miss ("Stated to" set to a new date; on a page without a filter, the
page-model cache emptied first), with --warm a warm repeat (a date already seen; a plain rerun). Prints the project's own functions by cumulative time, then the hottest functions
anywhere by own time, and saves the raw profile to bench/out/profile-<what>-<rows>.prof.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

from bench.common import OUT, PAGES, REPO


def _report(profile: cProfile.Profile, top: int, save: Path) -> str:
    save.parent.mkdir(parents=True, exist_ok=True)
    profile.dump_stats(str(save))
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    total = stats.total_tt
    out.write(f"total {total:.3f} s (profile overhead included); raw profile: {save.relative_to(REPO)}\n")
    out.write("\n== project functions by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(r"dashboard/", top)
    out.write("\n== hottest functions anywhere by own time ==\n")
    stats.sort_stats("tottime").print_stats(top)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())


def profile_page(page: str, data_dir: Path, top: int = 25, warm: bool = False) -> str:
    os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    from bench.stage_apptest import FILTER_PAGES, change_filter, clear_model_cache, open_page

    at = open_page(page, timeout=900)
    change_filter(at, page, 0)  # warm the page with the changed widget once
    if warm:
        change_filter(at, page, 1)  # the view profiled below, seen once already
    elif page not in FILTER_PAGES:
        clear_model_cache()
    # AppTest runs the script in its own thread, which cProfile does not follow: profile inside that thread.
    profile = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread
    LocalScriptRunner._run_script_thread = lambda self: profile.runcall(original, self)
    try:
        change_filter(at, page, 1)
    finally:
        LocalScriptRunner._run_script_thread = original
    return _report(profile, top, OUT / f"profile-{page}{'-warm' if warm else ''}-{data_dir.name}.prof")


def profile_step(step: str, data_dir: Path, top: int = 25) -> str:
    from dashboard.data.load import load_dataset
    from dashboard.data.validate import validate_dataset

    fn = validate_dataset if step == "validate" else load_dataset
    fn(data_dir)  # imports and file cache warm
    profile = cProfile.Profile()
    profile.enable()
    fn(data_dir)
    profile.disable()
    return _report(profile, top, OUT / f"profile-{step}-{data_dir.name}.prof")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile.page", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=(*PAGES, "validate", "load"))
    parser.add_argument("--data", type=Path, default=REPO / "datasets", help="dataset folder")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--warm", action="store_true", help="profile a warm repeat instead of a cache miss")
    args = parser.parse_args(argv)
    data = args.data.resolve()
    if args.what in PAGES:
        print(profile_page(args.what, data, args.top, args.warm))
    else:
        print(profile_step(args.what, data, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
