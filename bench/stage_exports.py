"""PNG and SVG export through `dashboard.present.export.image_bytes` (one kaleido/Chromium process for the life of the
process, as on the server): first render (Chromium start included), first SVG, warm renders, memo hits.

    .venv/bin/python -m bench.stage_exports [--data DIR] [--warm 4]

The figures are exactly the ones the pages show: each chart page is run once in AppTest with
`dashboard.web.show.chart` wrapped to keep the figure it is given. A warm render must not be a memo hit,
so each warm render uses a copy of the figure with a different `layout.meta` (invisible, but it changes
the figure's JSON and so the memo key); memo hits are timed separately. Prints records (bench/common.py):
export.first_png, export.first_svg, export.warm_png, export.warm_svg, export.memo_hit; export.error on failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from bench.common import REPO, TARGETS, install_signal_cleanup, load1, record, record_samples

CHART_PAGES = tuple(TARGETS["pages"]["charts"])  # the pages that draw a chart


def page_figures(pages: tuple[str, ...] = CHART_PAGES) -> dict:
    from bench.stage_apptest import open_page
    from dashboard.web import show

    captured: dict = {}
    original = show.chart

    def keep(chart, key, *args, **kwargs):  # show.chart takes the page's ChartModel
        captured[key] = chart.figure
        return original(chart, key, *args, **kwargs)

    show.chart = keep
    try:
        for page in pages:
            at = open_page(page)
            if at.exception:
                captured[f"{page} (error)"] = str(at.exception[0].value)[:300]
    finally:
        show.chart = original
    return captured


def timed(fn, *args) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = fn(*args)
    return time.perf_counter() - start, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stage_exports")
    parser.add_argument("--data", type=Path, default=REPO / "datasets")
    parser.add_argument("--warm", type=int, default=4, help="warm renders per figure and format")
    args = parser.parse_args(argv)
    install_signal_cleanup()
    os.environ["DASHBOARD_DATA_DIR"] = str(args.data.resolve())
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import plotly.graph_objects as go

    from dashboard.present import export

    figures = page_figures()
    errors = {k: v for k, v in figures.items() if isinstance(v, str)}
    figures = {k: v for k, v in figures.items() if not isinstance(v, str)}
    load = [load1()]
    if errors or not figures or export.find_chromium() is None:
        record("export.error", None, "s", errors=errors or "no page figure, or no Chromium for kaleido", load=load)
    if not figures or export.find_chromium() is None:
        return 0
    first_key = "overview_chart" if "overview_chart" in figures else sorted(figures)[0]
    try:
        first_png, png = timed(export.image_bytes, figures[first_key], "png")
        first_svg, svg = timed(export.image_bytes, figures[first_key], "svg")
        checked = {"png_ok": png.startswith(b"\x89PNG"), "svg_ok": b"<svg" in svg[:400]}
        warm: dict[str, list[float]] = {"png": [], "svg": []}
        n = 0
        for _key, fig in sorted(figures.items()):
            for fmt in ("png", "svg"):
                for _ in range(args.warm):
                    n += 1
                    variant = go.Figure(fig)
                    variant.update_layout(meta=f"bench-{n}")
                    warm[fmt].append(timed(export.image_bytes, variant, fmt)[0])
        hits = [timed(export.image_bytes, figures[first_key], fmt)[0] for fmt in ("png", "svg") for _ in range(5)]
        load.append(load1())
        record("export.first_png", first_png, "s", chart=first_key, load=load, **checked)
        record("export.first_svg", first_svg, "s", chart=first_key, load=load)
        for fmt in ("png", "svg"):
            record_samples(f"export.warm_{fmt}", warm[fmt], "s", figures=sorted(figures), load=load)
        record_samples("export.memo_hit", hits, "s", load=load)
    except Exception as exc:  # noqa: BLE001 - report, do not crash the run
        record("export.error", None, "s", errors=f"{exc.__class__.__name__}: {exc}"[:400], load=load)
    finally:
        try:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
        except Exception:  # noqa: BLE001, S110 - best effort; the process ends right after
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
