"""PNG and SVG export as the server makes them (`export.image_bytes`, one kaleido/Chromium process for the life of the
process), of the figures the chart pages draw on a desktop for their default view: first render (Chromium start
included), first SVG, warm renders of figures the memo has not seen, memo hits. How: bench/RESULTS.md, "How each
figure is measured".

    .venv/bin/python -m bench.stage_exports [--data DIR] [--warm 4]
"""

from __future__ import annotations

import contextlib
import itertools
import time

from bench.common import TARGETS, parser, record, record_samples
from dashboard import cli


def timed(fn, *args) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = fn(*args)
    return time.perf_counter() - start, data


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.stage_exports", __doc__)
    options.add_argument("--warm", type=int, default=4, help="warm renders per figure and format")
    args = options.parse_args(argv)
    import plotly.graph_objects as go

    from dashboard.analysis.filters import DEFAULT
    from dashboard.data.load import load_dataset
    from dashboard.present import export
    from dashboard.present.chart_style import DESKTOP
    from dashboard.present.registry import BY_NAME

    if export.find_chromium() is None:
        record("export.error", None, "s", errors=["no Chromium for kaleido"])
        return 0
    try:
        data = load_dataset(args.data.resolve()).dataset
        figures = {name: BY_NAME[name].chart.model(data, DEFAULT, "https://example.org/", DESKTOP).chart.figure
                   for name in TARGETS["pages"]["charts"]}  # fmt: skip
        first = "overview" if "overview" in figures else sorted(figures)[0]
        first_png, png = timed(export.image_bytes, figures[first], "png")
        first_svg, svg = timed(export.image_bytes, figures[first], "svg")
        warm: dict[str, list[float]] = {"png": [], "svg": []}
        for n, (fig, fmt, _) in enumerate(itertools.product(figures.values(), warm, range(args.warm))):
            variant = go.Figure(fig)  # a new invisible layout.meta: a new figure to the memo, the same image
            variant.update_layout(meta=f"bench-{n}")
            warm[fmt].append(timed(export.image_bytes, variant, fmt)[0])
        hits = [timed(export.image_bytes, figures[first], fmt)[0] for fmt in ("png", "svg") for _ in range(5)]
        record("export.first_png", first_png, "s", chart=first, png_ok=png.startswith(b"\x89PNG"))
        record("export.first_svg", first_svg, "s", chart=first, svg_ok=b"<svg" in svg[:400])
        for fmt, samples in warm.items():
            record_samples(f"export.warm_{fmt}", samples, "s", figures=len(figures))
        record_samples("export.memo_hit", hits, "s")
    except Exception as exc:  # noqa: BLE001 - report, do not crash the run
        record("export.error", None, "s", errors=[f"{exc.__class__.__name__}: {exc}"[:400]])
    finally:
        with contextlib.suppress(Exception):  # best effort: the process ends right after
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
    return 0


if __name__ == "__main__":
    cli.run(main)
