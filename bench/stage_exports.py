"""PNG and SVG export through `dashboard.present.export.image_bytes` (one kaleido/Chromium process for the life of the
process, as on the server): first render (Chromium start included), first SVG, warm renders, memo hits.

    .venv/bin/python -m bench.stage_exports [--data DIR] [--warm 4]

The figures are exactly the ones the pages show: each chart page is run once in AppTest with
`dashboard.web.ui.show_chart` wrapped to keep the figure it is given. A warm render must not be a memo hit,
so each warm render uses a copy of the figure with a different `layout.meta` (invisible, but it changes
the figure's JSON and so the memo key); memo hits are timed separately. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from bench.common import REPO, install_signal_cleanup, load1, summary

CHART_PAGES = ("overview", "output", "claims")


def page_figures(pages: tuple[str, ...] = CHART_PAGES) -> dict:
    from bench.stage_apptest import open_page
    from dashboard.web import ui

    captured: dict = {}
    original = ui.show_chart

    def keep(fig, key, *args, **kwargs):
        captured[key] = fig
        return original(fig, key, *args, **kwargs)

    ui.show_chart = keep
    try:
        for page in pages:
            at = open_page(page)
            if at.exception:
                captured[f"{page} (error)"] = str(at.exception[0].value)[:300]
    finally:
        ui.show_chart = original
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
    out: dict = {"figures": sorted(figures), "errors": errors, "chromium": export.find_chromium(), "load": [load1()]}
    if not figures or out["chromium"] is None:
        print(json.dumps(out))
        return 0
    first_key = "overview_chart" if "overview_chart" in figures else sorted(figures)[0]
    renders0 = export.RENDERER.renders
    try:
        out["first_png_s"], png = timed(export.image_bytes, figures[first_key], "png")
        out["first_svg_s"], svg = timed(export.image_bytes, figures[first_key], "svg")
        out["png_ok"] = png.startswith(b"\x89PNG")
        out["svg_ok"] = b"<svg" in svg[:400]
        out["png_bytes"], out["svg_bytes"] = len(png), len(svg)
        warm: dict[str, list[float]] = {"png": [], "svg": []}
        per_figure: dict[str, dict[str, float]] = {}
        n = 0
        for key, fig in sorted(figures.items()):
            for fmt in ("png", "svg"):
                times = []
                for _ in range(args.warm):
                    n += 1
                    variant = go.Figure(fig)
                    variant.update_layout(meta=f"bench-{n}")
                    seconds, _ = timed(export.image_bytes, variant, fmt)
                    times.append(seconds)
                warm[fmt] += times
                per_figure.setdefault(key, {})[fmt] = summary(times)["median"]
        out["warm_png"] = summary(warm["png"])
        out["warm_svg"] = summary(warm["svg"])
        out["warm_all"] = summary(warm["png"] + warm["svg"])
        out["warm_per_figure"] = per_figure
        hits = [timed(export.image_bytes, figures[first_key], fmt)[0] for fmt in ("png", "svg") for _ in range(5)]
        out["memo_hit"] = summary(hits)
        out["renders"] = export.RENDERER.renders - renders0
        out["renders_expected"] = 2 + n
        out["load"].append(load1())
    except Exception as exc:  # noqa: BLE001 - report, do not crash the run
        out["error"] = f"{exc.__class__.__name__}: {exc}"[:400]
    finally:
        try:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
        except Exception:  # noqa: BLE001, S110 - best effort; the process ends right after
            pass
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
