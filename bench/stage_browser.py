"""Real-Chromium measurements: time to first chart, rerun in the browser, memory per session, pages with many points,
and what a first visit transfers through HAProxy. Every page load gets a fresh browser context (no cache, no cookies,
a new Streamlit session); servers start on free loopback ports through the app's launcher and stop on exit. How each
figure is measured: bench/RESULTS.md, "How each figure is measured".

    .venv/bin/python -m bench.stage_browser ttfc    [--pairs 8]
    .venv/bin/python -m bench.stage_browser rerun   [--reruns 20]
    .venv/bin/python -m bench.stage_browser memory  [--data DIR --dataset NAME] [--sessions 5] [--page output]
    .venv/bin/python -m bench.stage_browser charts  --data DIR --dataset NAME [--pages overview,output,data,baseline]
    .venv/bin/python -m bench.stage_browser wire    [--pairs 3]
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from bench.common import APP, BASELINE_APP, CHROMIUM, OUT, TARGETS, median, parser, record, record_samples, server
from dashboard import cli
from serving.browser import IDLE, launch_chromium

VIEWPORT = {"width": 1280, "height": 900}
FIRST_TRACE_JS = """() => { const r = document.querySelector('.js-plotly-plot .scatterlayer .trace')?.getBoundingClientRect();
  return r && (r.width > 0 || r.height > 0) ? performance.now() : false; }"""
# Drawn = every kind of trace with points is on screen: an SVG trace with a box, and the WebGL canvas (legend keys
# are traces without points: they have no box).
ANY_CHART_JS = """() => {
  const big = [...document.querySelectorAll('[data-testid=stAlert], [data-testid=stException]')]
    .map(e => e.innerText).find(t => /exceeds|too large|message size/i.test(t));
  if (big) return {t: performance.now(), kind: 'error: ' + big.slice(0, 200)};
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullData || !gd._fullData.length) return false;
  const types = new Set(gd._fullData.filter(t => [...(t.x || [])].some(v => v != null)).map(t => t.type));
  const gl = types.has('scattergl'), svg = [...types].some(t => t !== 'scattergl');
  const boxes = [...gd.querySelectorAll('.cartesianlayer .trace')].map(e => e.getBoundingClientRect());
  if ((svg && !boxes.some(r => r.width > 0 || r.height > 0)) || (gl && !gd.querySelector('canvas.gl-canvas-context, .gl-canvas')))
    return false;
  return {t: performance.now(), kind: gl && svg ? 'svg + webgl' : (gl ? 'webgl canvas' : 'svg trace')};
}"""
# A page is ready when its script run has finished and its main element (or an exception) is there.
READY_JS = """(selector) => {
  if (document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const error = document.querySelector('[data-testid=stException]');
  if (error) return {t: performance.now(), kind: 'error: ' + error.innerText.slice(0, 160)};
  return document.querySelector(selector) ? {t: performance.now(), kind: selector} : false;
}"""
FIGURE_JS = """() => { const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd.data) return {};
  return {traces: gd.data.length, points: gd.data.reduce((n, t) => n + (t.x ? t.x.length : 0), 0),
          types: [...new Set(gd.data.map(t => t.type || 'scatter'))], annotations: (gd.layout.annotations || []).length,
          json_bytes: JSON.stringify({data: gd.data, layout: gd.layout}).length}; }"""
# Installed before any page script: the app's script-run states with their times (the first-chart breakdown, and
# when a rerun finished).
TIMELINE_INIT = """(() => { window.__timeline = [];
  new MutationObserver((_, self) => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app) return;
    self.disconnect();
    window.__timeline.push(['app mounted', performance.now()]);
    new MutationObserver(() => window.__timeline.push([app.getAttribute('data-test-script-state'), performance.now()]))
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }).observe(document, {childList: true, subtree: true}); })();"""
# The moments of a first load, once its script run has finished (waited for up to 120 s, as a page load is).
TIMELINE_JS = """async () => {
  const state = () => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state');
  for (let i = 0; i < 2400 && state() !== 'notRunning'; i++) await new Promise(r => setTimeout(r, 50));
  const first = (name) => { const e = window.__timeline.find(s => s[0] === name); return e ? e[1] / 1000 : null; };
  const plotly = performance.getEntriesByType('resource').filter(e => /plotly/i.test(e.name));
  const scripts = performance.getEntriesByType('resource').filter(e => e.initiatorType === 'script');
  return {app_mounted: first('app mounted'), script_started: first('running'), script_finished: first('notRunning'),
          plotly_js_loaded: plotly.length ? Math.max(...plotly.map(e => e.responseEnd)) / 1000 : null,
          js_bytes: scripts.reduce((n, e) => n + (e.encodedBodySize || 0), 0)};
}"""
# Every WebSocket message the page receives, with its time: a fast rerun can go from "running" back to "notRunning"
# within one React commit, so the script-state attribute alone may never show it.
WS_HOOK = """(() => { window.__ws = []; const Native = window.WebSocket;
  window.WebSocket = Object.assign(function (...args) {
    const ws = new Native(...args); ws.addEventListener('message', () => window.__ws.push(performance.now())); return ws;
  }, {prototype: Native.prototype, CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3}); })();"""
CLICK_JS = """(label) => { const t0 = performance.now();
  [...document.querySelectorAll('[data-testid=stRadio] label')].find(l => l.innerText.trim() === label).click(); return t0; }"""
MARK_JS = """() => { window.__chartT = undefined; const gd = document.querySelector('.js-plotly-plot');
  window.__layoutBefore = gd ? gd._fullLayout : undefined; }"""
# Script run finished, from the page: the "running" -> "notRunning" transition after the change when the page showed
# one, else the last message of the rerun (back to "notRunning" and no message for 150 ms). Chart redrawn: plotly laid
# the chart out again after the change (a new gd._fullLayout; with `axis`, with the new y axis type, and waited for);
# without `axis` it is waited for up to 1 s after the run finished (an unchanged figure is not redrawn: chart = null).
DONE_JS = """([t0, axis]) => {
  const now = performance.now(), gd = document.querySelector('.js-plotly-plot');
  if (gd && gd._fullLayout && gd._fullLayout !== window.__layoutBefore && window.__chartT === undefined
      && (!axis || gd._fullLayout.yaxis.type === axis)) window.__chartT = now;
  if (axis && window.__chartT === undefined) return false;
  if (document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const states = window.__timeline.filter(s => s[1] >= t0), run = states.findIndex(s => s[0] === 'running');
  let finished = run < 0 ? undefined : states.slice(run).find(s => s[0] === 'notRunning')?.[1];
  if (finished === undefined) {
    const msgs = window.__ws.filter(t => t >= t0);
    if (!msgs.length || now - msgs[msgs.length - 1] < 150) return false;
    finished = msgs[msgs.length - 1];
  }
  if (window.__chartT === undefined && now - finished < 1000) return false;
  return {finished: finished - t0, chart: window.__chartT === undefined ? null : window.__chartT - t0};
}"""


@contextlib.contextmanager
def browsing(*servers):
    """Start the servers, then Chromium; stop all of them however the block ends."""
    from playwright.sync_api import sync_playwright

    try:
        for one in servers:
            one.start()
        with sync_playwright() as pw:
            browser = launch_chromium(pw, CHROMIUM)
            yield browser
            browser.close()
    finally:
        for one in reversed(servers):
            one.stop()


def first_chart(browser, url: str, ready: str = FIRST_TRACE_JS, arg: object = None, init: str = TIMELINE_INIT,
                after=None, timeout_s: float = 120) -> dict:  # fmt: skip
    """Load url in a fresh context: {"s": seconds from navigation start until `ready(arg)` holds, the rest of what
    `ready` returned, and what `after(page)` returns then}."""
    context = browser.new_context(viewport=VIEWPORT)
    if init:
        context.add_init_script(init)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        value = page.wait_for_function(ready, arg=arg, polling="raf", timeout=timeout_s * 1000).json_value()
        out = value if isinstance(value, dict) else {"t": value}
        return {"s": out.pop("t") / 1000, **out, **(after(page) if after else {})}
    finally:
        context.close()


def ttfc(args) -> None:
    """App and baseline alternating (order swapped every pair), a fresh context each load, after a warm-up pair."""
    loads: dict[str, list[dict]] = {"app": [], "baseline": []}
    app, base = server(APP), server(BASELINE_APP)
    with browsing(app, base) as browser:
        for i in range(1 + args.pairs):
            for name, one in [("app", app), ("baseline", base)][:: -1 if i % 2 else 1]:
                result = first_chart(browser, one.url + "/", after=lambda page: page.evaluate(TIMELINE_JS))
                loads[name] += [result] if i else []
    seconds = {name: [r["s"] for r in results] for name, results in loads.items()}
    for name, results in loads.items():
        record_samples(f"ttfc.{name}", seconds[name], "s")
        for key in ("app_mounted", "script_started", "plotly_js_loaded", "script_finished", "js_bytes"):
            value = median([r[key] for r in results if r.get(key) is not None])
            record(f"ttfc.{name}.{key}", value, "bytes" if key == "js_bytes" else "s")
        record(f"ttfc.{name}.first_chart", median(seconds[name]), "s")
    ratios = [a / b for a, b in zip(seconds["app"], seconds["baseline"], strict=True)]
    record_samples(
        "ttfc.pair_ratio", ratios, "×", ratio_of_medians=median(seconds["app"]) / median(seconds["baseline"])
    )


def script_runs(log: Path, seen: int = 0, wait_s: float = 0) -> list[dict]:
    """The script runs bench/serve_timed.py logged after the first `seen`, waiting up to `wait_s` for one (its line is
    written after the post-run GC)."""
    deadline = time.monotonic() + wait_s
    while True:
        runs = [json.loads(line) for line in (log.read_text() if log.exists() else "").splitlines()][seen:]
        if runs or time.monotonic() >= deadline:
            return runs
        time.sleep(0.05)


def browser_reruns(browser, log: Path, url: str, reruns: int, kind: str) -> dict[str, list[float]]:
    """kind "warm": click the Scale radio log <-> linear (after the first click both views have been seen); kind
    "miss": type a "Stated to" date never used before (the date input's year/month/day segments) and click outside
    the field to commit it. The first change is a warm-up."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(TIMELINE_INIT + WS_HOOK)
    samples: dict[str, list[float]] = {"script_finished": [], "chart_redrawn": [], "server_script": [], "server_gc": []}
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(FIRST_TRACE_JS, polling="raf", timeout=120_000)
        page.wait_for_selector(IDLE, state="attached", timeout=120_000)
        for i in range(reruns + 1):
            axis = ("linear" if i % 2 == 0 else "log") if kind == "warm" else None
            if axis is None:
                page.get_by_role("spinbutton", name="year, Stated to").focus()
                page.keyboard.type((date.today() - timedelta(days=40 + i)).strftime("%Y%m%d"))
                time.sleep(0.2)
            seen = len(script_runs(log))
            page.evaluate(MARK_JS)
            if axis is None:
                t0 = page.evaluate("() => performance.now()")
                page.mouse.click(5, VIEWPORT["height"] - 200)  # outside the field: commits the typed date
            else:
                t0 = page.evaluate(CLICK_JS, axis)
            result = page.wait_for_function(DONE_JS, arg=[t0, axis], polling="raf", timeout=120_000).json_value()
            runs = script_runs(log, seen, wait_s=5)
            gc_s = sum(r["gc_s"] for r in runs)
            if i:
                samples["script_finished"].append(result["finished"] / 1000)
                samples["chart_redrawn"] += [result["chart"] / 1000] if result["chart"] is not None else []
                samples["server_script"] += [sum(r["wall_s"] for r in runs) - gc_s] if runs else []
                samples["server_gc"] += [gc_s] if runs else []
    finally:
        context.close()
    return samples


def rerun(args) -> None:
    """On the Output page and on the baseline, a warm repeat and a cache miss: from the change to script-run-finished
    in the page, and from the server's log the script run itself and the post-run garbage collection."""
    logs = {name: OUT / f"runs-{name}-{os.getpid()}.jsonl" for name in ("output", "baseline")}
    for file in logs.values():
        file.unlink(missing_ok=True)
    app, base = server(APP, runs_log=logs["output"]), server(BASELINE_APP, runs_log=logs["baseline"])
    with browsing(app, base) as browser:
        urls = {"output": app.url + "/output", "baseline": base.url + "/"}
        parts = {(kind, name): browser_reruns(browser, logs[name], url, args.reruns, kind)
                 for kind in ("warm", "miss") for name, url in urls.items()}  # fmt: skip
    for (kind, name), samples in parts.items():
        tracked = [r["tracked"] for r in script_runs(logs[name]) if "tracked" in r] or [0]
        gc_ms = (median(samples["server_gc"]) or 0) * 1000
        for key, values in samples.items():
            record_samples(f"browser.{kind}.{name}.{key}", values, "s", gc_tracked_objects=tracked[-1], gc_ms=gc_ms)


def memory(args) -> None:
    """RSS of the streamlit process: warm idle, then after each of N sessions opened and kept open, after closing."""
    app, path = server(APP, data_dir=args.data), "" if args.page == "overview" else args.page
    selector = {"data": "[data-testid=stDataFrame]", "": ".js-plotly-plot", "output": ".js-plotly-plot",
                "claims": ".js-plotly-plot"}.get(path, "h1")  # fmt: skip
    mib = lambda: app.memory_kib().get("VmRSS", 0) / 1024  # noqa: E731
    with browsing(app) as browser:
        first_chart(browser, f"{app.url}/{path}", READY_JS, selector, init="", timeout_s=args.timeout)  # imports, data
        time.sleep(2)
        warm, each, contexts, shown = mib(), [], [], set()
        for _ in range(args.sessions):
            contexts.append(browser.new_context(viewport=VIEWPORT))
            page = contexts[-1].new_page()
            page.goto(f"{app.url}/{path}", wait_until="commit")
            shown.add(page.wait_for_function(READY_JS, arg=selector, timeout=args.timeout * 1000).json_value()["kind"])
            time.sleep(0.5)
            each.append(mib())
        for context in contexts:
            context.close()
        time.sleep(3)
        after = mib()
    record("memory.per_session", (each[-1] - warm) / args.sessions, "MB", dataset=args.dataset, page=path or "overview",
           sessions=args.sessions, page_showed=sorted(shown), rss_warm=warm, rss_after_close=after,
           rss_per_open_session=each)  # fmt: skip


def charts(args) -> None:
    """Time until drawn and the figure's size, each page of a large dataset loaded once in a fresh context."""
    pages, app, base = args.pages.split(","), server(APP, data_dir=args.data), server(BASELINE_APP, data_dir=args.data)
    with browsing(app, *([base] if "baseline" in pages else [])) as browser:
        first_chart(browser, app.url + "/method", READY_JS, "h1", init="")  # warm-up: imports, dataset cache
        for name in pages:
            url = f"{base.url}/" if name == "baseline" else f"{app.url}/{'' if name == 'overview' else name}"
            ready = (READY_JS, "[data-testid=stDataFrame]") if name == "data" else (ANY_CHART_JS, None)
            try:
                found = first_chart(browser, url, *ready, init="", after=lambda page: page.evaluate(FIGURE_JS),
                                    timeout_s=args.timeout)  # fmt: skip
                if name not in (*TARGETS["pages"]["charts"], "baseline"):
                    found = {"s": found["s"], "kind": found["kind"]}
                record(f"chart.{name}", found.pop("s"), "s", dataset=args.dataset, **found)
            except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported as such
                error = f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}"
                record(f"chart.{name}", None, "s", dataset=args.dataset, error=error)


def transfer(page, url: str, ready: str, timeout_s: float = 120) -> dict:
    """What Chromium received (encoded bytes, headers included) to show url until `ready` holds and the network has
    been quiet for 2 s (late chunks, fonts and icons count): over HTTP, by kind of file, and over the WebSocket."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    kinds: dict[str, str] = {}
    http: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    ws, last = [0], [time.monotonic()]

    def responded(event) -> None:
        path = event["response"]["url"].split("?")[0]
        name = path.rsplit("/", 1)[-1]
        kinds[event["requestId"]] = (
            "plotly.js" if "/plotly" in path else name.rsplit(".", 1)[-1] if "." in name else "html"
        )

    def finished(event) -> None:
        http[event["requestId"]] = size = int(event.get("encodedDataLength", 0))
        kind = kinds.get(event["requestId"], "other")
        by_kind[kind] = by_kind.get(kind, 0) + size

    def frame(event) -> None:  # binary frames (opcode 2) arrive base64-encoded
        data = event["response"]["payloadData"]
        ws[0] += len(data) * 3 // 4 if event["response"]["opcode"] == 2 else len(data)

    cdp.on("Network.responseReceived", responded)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    cdp.on("Network.requestWillBeSent", lambda _: last.__setitem__(0, time.monotonic()))
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_function(ready, polling="raf", timeout=timeout_s * 1000)
    while time.monotonic() - last[0] < 2:
        page.wait_for_timeout(250)
    cdp.detach()
    return {"requests": len(http), "http": sum(http.values()), "ws": ws[0], "by_kind": by_kind}


def wire(args) -> None:
    """What a reader's first visit transfers through HAProxy (deploy/haproxy.cfg, one replica): with HAProxy's own
    compression only, and with Streamlit's bundle from the precompressed copy (serving/assets.py, as deployed)."""
    from serving.cluster import Cluster
    from serving.process import free_port, group_usage

    for key, precompressed in (("haproxy", False), ("precompressed", True)):
        cluster = Cluster(replicas=1, port=free_port(), precompressed=precompressed, log_dir=OUT / f"wire-{key}")
        visited, cpu = [], []
        with browsing(SimpleNamespace(start=cluster.start, stop=cluster.stop)) as browser:
            for _ in range(args.pairs + 1):  # the first is a warm-up: the replica's first run loads the dataset
                context, before = browser.new_context(viewport=VIEWPORT), group_usage(cluster.haproxy.pid)[0]
                visited.append(transfer(context.new_page(), cluster.local_url + "/", FIRST_TRACE_JS))
                cpu.append((group_usage(cluster.haproxy.pid)[0] - before) * 1000)
                context.close()
        last = visited[-1]
        record_samples(f"wire.{key}", [(v["http"] + v["ws"]) / 1e6 for v in visited[1:]], "MB", requests=last["requests"],
                       http_mb=last["http"] / 1e6, ws_mb=last["ws"] / 1e6, haproxy_cpu_ms=median(cpu[1:]))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.stage_browser", __doc__)
    options.add_argument("what", choices=("ttfc", "rerun", "memory", "charts", "wire"))
    options.add_argument("--pairs", type=int, default=8, help="ttfc: app/baseline pairs; wire: visits")
    options.add_argument("--reruns", type=int, default=20)
    options.add_argument("--sessions", type=int, default=5)
    options.add_argument("--page", default="output", help="memory: the page each session opens")
    options.add_argument("--pages", default="overview,output,claims", help="charts: the pages loaded")
    options.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one page")
    args = options.parse_args(argv)
    args.data = args.data.resolve()
    {"ttfc": ttfc, "rerun": rerun, "memory": memory, "charts": charts, "wire": wire}[args.what](args)
    return 0


if __name__ == "__main__":
    cli.run(main)
