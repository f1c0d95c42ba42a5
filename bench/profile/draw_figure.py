"""Time Chromium drawing the app's figures with plotly.js alone (no Streamlit): first draw and a redraw.

    .venv/bin/python -m bench.profile.draw_figure [--data DIR] [--repeat 15]

Builds the Output page's figure (default view, log and linear axis) and the baseline's px.scatter from the
dataset, then in the system Chromium (same flags as the other browser stages; WebGL is SwiftShader there, in
software) times `Plotly.newPlot` and `Plotly.react` log -> linear (what a Scale click redraws), each to the
next animation frame. Variants show where the browser's time goes: the figure as the app builds it, and the
same figure with its Scattergl traces turned into SVG Scatter traces (the plotly.js in the plotly Python
package, which may differ a little from the one bundled in Streamlit's frontend). Not part of bench/run.sh.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from bench.common import CHROMIUM, CHROMIUM_ARGS, REPO

PLOTLY_JS = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"
TIME_JS = """async ([fig, other, repeat]) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const gd = document.getElementById('gd');
  const first = [], redraw = [];
  for (let i = 0; i < repeat; i++) {
    Plotly.purge(gd);
    let t = performance.now();
    await Plotly.newPlot(gd, fig.data, fig.layout);
    await frame();
    first.push(performance.now() - t);
    t = performance.now();
    await Plotly.react(gd, other.data, other.layout);
    await frame();
    redraw.push(performance.now() - t);
  }
  return {first, redraw};
}"""


def figures(data_dir: Path) -> dict[str, tuple[dict, dict]]:
    """name -> (figure as JSON, the same view redrawn with the other axis type)."""
    import plotly.express as px

    from dashboard.data.load import load_dataset
    from dashboard.present import url_state, view_models

    data = load_dataset(data_dir).dataset
    out = {}
    log = view_models.output(data, url_state.DEFAULT, "https://example.org/output").chart.figure
    lin = view_models.output(data, url_state.ViewState(scale="linear"), "https://example.org/output?scale=linear")
    out["output (as built)"] = (json.loads(log.to_json()), json.loads(lin.chart.figure.to_json()))

    def svg(fig: dict) -> dict:
        fig = json.loads(json.dumps(fig))
        for trace in fig["data"]:
            if trace.get("type") == "scattergl":
                trace["type"] = "scatter"
        return fig

    out["output, Scattergl traces as SVG Scatter"] = tuple(svg(f) for f in out["output (as built)"])  # type: ignore[assignment]
    claims = data.claims
    base = [px.scatter(claims, x="stated_on", y="value_high", color="measure", log_y=log_y) for log_y in (True, False)]
    out["baseline px.scatter"] = (json.loads(base[0].to_json()), json.loads(base[1].to_json()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile.draw_figure", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "datasets")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    figs = figures(args.data.resolve())
    result = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_content("<div id=gd style='width:1200px;height:560px'></div>")
        page.add_script_tag(path=str(PLOTLY_JS))
        renderer = page.evaluate(
            """() => { const g = document.createElement('canvas').getContext('webgl');
               const d = g && g.getExtension('WEBGL_debug_renderer_info');
               return g ? (d ? g.getParameter(d.UNMASKED_RENDERER_WEBGL) : 'webgl') : 'no webgl'; }"""
        )
        for name, (fig, other) in figs.items():
            page.evaluate(TIME_JS, [fig, other, 2])  # warm-up
            t = page.evaluate(TIME_JS, [fig, other, args.repeat])
            result[name] = {
                "traces": len(fig["data"]),
                "types": sorted({tr.get("type", "scatter") for tr in fig["data"]}),
                "first_ms": statistics.median(t["first"]),
                "redraw_ms": statistics.median(t["redraw"]),
            }
        browser.close()
    print(f"Chromium WebGL renderer: {renderer}; plotly.js from {PLOTLY_JS.relative_to(REPO)}")
    print("| figure | traces | types | first draw (median) | redraw log → linear (median) |\n|---|---|---|---|---|")
    for name, r in result.items():
        print(
            f"| {name} | {r['traces']} | {', '.join(r['types'])} | {r['first_ms']:.0f} ms | {r['redraw_ms']:.0f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
