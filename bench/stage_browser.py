"""Real-Chromium measurements through Playwright: time to first chart, rerun in the browser, memory per session,
and how pages with many points behave.

    .venv/bin/python -m bench.stage_browser ttfc    [--pairs 8]
    .venv/bin/python -m bench.stage_browser rerun   [--reruns 20]
    .venv/bin/python -m bench.stage_browser memory  [--data DIR] [--sessions 5] [--page output]
    .venv/bin/python -m bench.stage_browser charts  --data DIR [--pages overview,output,claims]

Each prints one JSON object. Chromium is the system one (`executable_path`), launched once per stage with
--no-sandbox --disable-gpu --disable-background-networking --disable-component-update; every page load
gets a fresh browser context (no cache, no cookies, a new Streamlit session). Servers are started the
way the real app is (`streamlit run …` from the repository root) on free loopback ports, and stopped on exit.

"First chart" = the first `.js-plotly-plot .scatterlayer .trace` with a non-empty box, timed in the page
(performance.now(), i.e. from navigation start) at the animation frame it appears. A WebGL-only chart
(Scattergl, used by the Output page above 2,000 points) has no SVG trace, so the `charts` stage also
accepts a drawn `.gl-canvas` and says which it saw.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

from bench.common import (
    APP,
    BASELINE_APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    Server,
    install_signal_cleanup,
    load1,
    summary,
)

VIEWPORT = {"width": 1280, "height": 900}
FIRST_TRACE_JS = """() => {
  const el = document.querySelector('.js-plotly-plot .scatterlayer .trace');
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return (r.width > 0 || r.height > 0) ? performance.now() : false;
}"""
ANY_CHART_JS = """() => {
  const el = document.querySelector('.js-plotly-plot .scatterlayer .trace');
  if (el) { const r = el.getBoundingClientRect(); if (r.width > 0 || r.height > 0) return {t: performance.now(), kind: 'svg trace'}; }
  const gd = document.querySelector('.js-plotly-plot');
  if (gd && gd._fullLayout && gd.querySelector('canvas.gl-canvas-context, .gl-canvas') && gd._fullData && gd._fullData.length)
    return {t: performance.now(), kind: 'webgl canvas'};
  const big = [...document.querySelectorAll('[data-testid=stAlert], [data-testid=stException]')]
    .map(e => e.innerText).find(t => /exceeds|too large|message size/i.test(t));
  if (big) return {t: performance.now(), kind: 'error: ' + big.slice(0, 200)};
  return false;
}"""
OBSERVE_JS = """() => {
  window.__states = [];
  const app = document.querySelector('[data-testid=stApp]');
  new MutationObserver(() => window.__states.push([app.getAttribute('data-test-script-state'), performance.now()]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
CLICK_JS = """(label) => {
  const el = [...document.querySelectorAll('[data-testid=stRadio] label')].find(l => l.innerText.trim() === label);
  if (!el) throw new Error('no radio option ' + label);
  const t0 = performance.now();
  el.click();
  return t0;
}"""
DONE_JS = """([t0, axis]) => {
  const gd = document.querySelector('.js-plotly-plot');
  if (gd && gd._fullLayout && gd._fullLayout.yaxis.type === axis && window.__chartT === undefined) window.__chartT = performance.now();
  const states = window.__states.filter(s => s[1] >= t0);
  const run = states.findIndex(s => s[0] === 'running');
  if (run < 0) return false;
  const done = states.slice(run).find(s => s[0] === 'notRunning');
  if (!done || window.__chartT === undefined) return false;
  return {finished: done[1] - t0, chart: window.__chartT - t0};
}"""
STATE_JS = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
# A page is ready when its script run has finished and its main element is there.
READY_SELECTOR = {"": ".js-plotly-plot", "output": ".js-plotly-plot", "claims": ".js-plotly-plot",
                  "data": "[data-testid=stDataFrame]"}  # fmt: skip
READY_JS = """(selector) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const error = document.querySelector('[data-testid=stException]');
  if (error) return {t: performance.now(), kind: 'error: ' + error.innerText.slice(0, 160)};
  return document.querySelector(selector) ? {t: performance.now(), kind: selector} : false;
}"""


# Installed before any page script: records the app's script-run states with their times, for the breakdown.
TIMELINE_INIT = """(() => {
  window.__timeline = [];
  const watch = (app) => {
    window.__timeline.push(['app mounted', performance.now()]);
    new MutationObserver(() => window.__timeline.push([app.getAttribute('data-test-script-state'), performance.now()]))
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  new MutationObserver((_, self) => {
    const app = document.querySelector('[data-testid=stApp]');
    if (app) { self.disconnect(); watch(app); }
  }).observe(document, {childList: true, subtree: true});
})();"""
TIMELINE_JS = """() => {
  const first = (name) => { const e = window.__timeline.find(s => s[0] === name); return e ? e[1] / 1000 : null; };
  const plotly = performance.getEntriesByType('resource').filter(e => /plotly/i.test(e.name));
  const scripts = performance.getEntriesByType('resource').filter(e => e.initiatorType === 'script');
  return {app_mounted: first('app mounted'), script_started: first('running'), script_finished: first('notRunning'),
          plotly_js_loaded: plotly.length ? Math.max(...plotly.map(e => e.responseEnd)) / 1000 : null,
          js_bytes: scripts.reduce((n, e) => n + (e.encodedBodySize || 0), 0)};
}"""


def launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def first_chart(browser, url: str, timeout_s: float = 120, js: str = FIRST_TRACE_JS) -> dict:
    """Load url in a fresh context; seconds from navigation start to the first visible chart trace."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(TIMELINE_INIT)
    try:
        page = context.new_page()
        wall = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        handle = page.wait_for_function(js, polling="raf", timeout=timeout_s * 1000)
        value = handle.json_value()
        wall = time.perf_counter() - wall
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):
            page.wait_for_function(f"() => ({STATE_JS})() === 'notRunning'", timeout=timeout_s * 1000)
        timeline = page.evaluate(TIMELINE_JS)
        if isinstance(value, dict):
            return {"s": value["t"] / 1000, "kind": value["kind"], "wall_s": wall, "timeline": timeline}
        return {"s": value / 1000, "wall_s": wall, "timeline": timeline}
    finally:
        context.close()


def ttfc(pairs: int, warmup: int) -> dict:
    """Alternate app and baseline (order swapped every pair), fresh context each load."""
    from playwright.sync_api import sync_playwright

    app, base = Server(APP), Server(BASELINE_APP)
    out: dict = {"app": [], "baseline": [], "app_wall": [], "baseline_wall": [], "app_timeline": [],
                 "baseline_timeline": []}  # fmt: skip
    try:
        app.start()
        base.start()
        with sync_playwright() as pw:
            browser = launch(pw)
            for i in range(warmup + pairs):
                order = [("app", app), ("baseline", base)]
                if i % 2:
                    order.reverse()
                for name, server in order:
                    r = first_chart(browser, server.url)
                    if i >= warmup:
                        out[name].append(r["s"])
                        out[name + "_wall"].append(r["wall_s"])
                        out[name + "_timeline"].append(r["timeline"])
            browser.close()
    finally:
        base.stop()
        app.stop()
    ratios = [a / b for a, b in zip(out["app"], out["baseline"], strict=True)]
    breakdown = {}
    for name in ("app", "baseline"):
        marks = out[name + "_timeline"]
        breakdown[name] = {key: summary([m[key] for m in marks if m.get(key) is not None])["median"]
                           for key in ("app_mounted", "script_started", "plotly_js_loaded", "script_finished", "js_bytes")}  # fmt: skip
        breakdown[name]["first_chart"] = summary(out[name])["median"]
    return {"breakdown": breakdown, "app": summary(out["app"]), "baseline": summary(out["baseline"]), "pair_ratio": summary(ratios),
            "ratio_of_medians": summary(out["app"])["median"] / summary(out["baseline"])["median"],
            "samples": out, "pairs": pairs, "warmup": warmup}  # fmt: skip


def _browser_reruns(browser, url: str, reruns: int) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(FIRST_TRACE_JS, polling="raf", timeout=120_000)
        page.wait_for_function(f"() => ({STATE_JS})() === 'notRunning'", timeout=120_000)
        page.evaluate(OBSERVE_JS)
        finished, chart = [], []
        for i in range(reruns + 1):  # the first change is a warm-up
            axis = "linear" if i % 2 == 0 else "log"
            page.evaluate("() => { window.__chartT = undefined; }")
            t0 = page.evaluate(CLICK_JS, axis)
            result = page.wait_for_function(DONE_JS, arg=[t0, axis], polling="raf", timeout=120_000).json_value()
            if i:
                finished.append(result["finished"] / 1000)
                chart.append(result["chart"] / 1000)
        return {"script_finished": summary(finished), "chart_redrawn": summary(chart), "samples": finished}
    finally:
        context.close()


def rerun(reruns: int) -> dict:
    """Click the log/linear radio on the Output page and on the baseline; time to script-run-finished."""
    from playwright.sync_api import sync_playwright

    app, base = Server(APP), Server(BASELINE_APP)
    try:
        app.start()
        base.start()
        with sync_playwright() as pw:
            browser = launch(pw)
            result = {
                "output": _browser_reruns(browser, app.url + "output", reruns),
                "baseline": _browser_reruns(browser, base.url, reruns),
            }
            browser.close()
    finally:
        base.stop()
        app.stop()
    result["ratio"] = result["output"]["script_finished"]["median"] / result["baseline"]["script_finished"]["median"]
    return result


def memory(data: Path | None, sessions: int, page_path: str, timeout_s: float) -> dict:
    """RSS of the streamlit process: warm idle, with 1 session open, with N open, after closing them."""
    from playwright.sync_api import sync_playwright

    server = Server(APP, data_dir=data)
    selector = READY_SELECTOR.get(page_path, "h1")
    out: dict = {"data": str(data or REPO / "datasets"), "page": page_path or "overview", "sessions": sessions}
    try:
        server.start()
        out["rss_started"] = server.rss
        with sync_playwright() as pw:
            browser = launch(pw)
            warm = browser.new_context(viewport=VIEWPORT)  # warm-up session: imports, dataset cache
            page = warm.new_page()
            page.goto(server.url + page_path, wait_until="commit")
            page.wait_for_function(READY_JS, arg=selector, polling=100, timeout=timeout_s * 1000)
            warm.close()
            time.sleep(2)
            out["rss_warm"] = server.rss
            contexts = []
            rss = []
            loads = []
            kinds = set()
            for _ in range(sessions):
                context = browser.new_context(viewport=VIEWPORT)
                contexts.append(context)
                page = context.new_page()
                t = time.perf_counter()
                page.goto(server.url + page_path, wait_until="commit")
                ready = page.wait_for_function(READY_JS, arg=selector, polling=100, timeout=timeout_s * 1000)
                kinds.add(ready.json_value()["kind"])
                loads.append(time.perf_counter() - t)
                time.sleep(0.5)
                rss.append(server.rss)
            out["rss_per_open_session"] = rss
            out["load_s"] = loads
            out["page_showed"] = sorted(kinds)
            for context in contexts:
                context.close()
            time.sleep(3)
            out["rss_after_close"] = server.rss
            browser.close()
    finally:
        server.stop()
    out["rss_1"] = out["rss_per_open_session"][0]
    out["rss_n"] = out["rss_per_open_session"][-1]
    out["first_session_bytes"] = out["rss_1"] - out["rss_warm"]
    out["per_session_bytes"] = (out["rss_n"] - out["rss_warm"]) / sessions
    out["per_extra_session_bytes"] = (out["rss_n"] - out["rss_1"]) / max(1, sessions - 1)
    return out


def charts(data: Path, pages: list[str], timeout_s: float) -> dict:
    """Time to first chart and figure size of chart pages on a large dataset (one fresh load each)."""
    from playwright.sync_api import sync_playwright

    server = Server(APP, data_dir=data)
    out: dict = {"data": str(data), "pages": {}}
    try:
        server.start()
        with sync_playwright() as pw:
            browser = launch(pw)
            first_chart(browser, server.url + "method", timeout_s, "() => document.querySelector('h1') ? 1 : false")
            for name in pages:
                path = "" if name == "overview" else name
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                try:
                    page.goto(server.url + path, wait_until="commit")
                    if name in READY_SELECTOR and READY_SELECTOR[name] != ".js-plotly-plot":
                        value = page.wait_for_function(READY_JS, arg=READY_SELECTOR[name], polling="raf",
                                                       timeout=timeout_s * 1000).json_value()  # fmt: skip
                    else:
                        value = page.wait_for_function(
                            ANY_CHART_JS, polling="raf", timeout=timeout_s * 1000
                        ).json_value()
                    info = page.evaluate("""() => { const gd = document.querySelector('.js-plotly-plot');
                        if (!gd || !gd.data) return {};
                        return {traces: gd.data.length, points: gd.data.reduce((n, t) => n + (t.x ? t.x.length : 0), 0),
                                types: [...new Set(gd.data.map(t => t.type || 'scatter'))],
                                annotations: (gd.layout.annotations || []).length,
                                json_bytes: JSON.stringify({data: gd.data, layout: gd.layout}).length}; }""")
                    out["pages"][name] = {"first_chart_s": value["t"] / 1000, "kind": value["kind"], **info}
                    if name not in ("overview", "output", "claims"):
                        out["pages"][name] = {"first_chart_s": value["t"] / 1000, "kind": value["kind"]}
                except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported as such
                    out["pages"][name] = {"error": f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}"}
                finally:
                    context.close()
            browser.close()
    finally:
        server.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stage_browser")
    parser.add_argument("what", choices=("ttfc", "rerun", "memory", "charts"))
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--page", default="output", help="url path of the page each session opens ('' = overview)")
    parser.add_argument("--pages", default="overview,output,claims")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one page")
    args = parser.parse_args(argv)
    install_signal_cleanup()
    data = args.data.resolve() if args.data else None
    load_start = load1()
    if args.what == "ttfc":
        result = ttfc(args.pairs, args.warmup)
    elif args.what == "rerun":
        result = rerun(args.reruns)
    elif args.what == "memory":
        result = memory(data, args.sessions, "" if args.page == "overview" else args.page, args.timeout)
    else:
        result = charts(data or REPO / "datasets", args.pages.split(","), args.timeout)
    result["load"] = [load_start, load1()]
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
