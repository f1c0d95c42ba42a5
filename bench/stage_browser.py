"""Real-Chromium measurements through Playwright: time to first chart, rerun in the browser, memory per session,
and how pages with many points behave.

    .venv/bin/python -m bench.stage_browser ttfc    [--pairs 8]
    .venv/bin/python -m bench.stage_browser rerun   [--reruns 20] [--gc default|off|freeze]
    .venv/bin/python -m bench.stage_browser memory  [--data DIR --dataset NAME] [--sessions 5] [--page output]
    .venv/bin/python -m bench.stage_browser charts  --data DIR --dataset NAME [--pages overview,output,data,baseline]
    .venv/bin/python -m bench.stage_browser wire    [--pairs 3]

Each prints records (bench/common.py): ttfc.*, browser.<warm|miss>.<output|baseline>.*, memory.per_session,
chart.<page>, wire.<haproxy|precompressed>. Chromium is the system one (`executable_path`), launched once per stage with
--no-sandbox --disable-gpu --disable-background-networking --disable-component-update; every page load
gets a fresh browser context (no cache, no cookies, a new Streamlit session). Servers are started by the
app's own launcher (serving/launcher.py: `streamlit run …` from the repository root, free loopback
ports), and stopped on exit.

"First chart" = the first `.js-plotly-plot .scatterlayer .trace` with a non-empty box, timed in the page
(performance.now(), i.e. from navigation start) at the animation frame it appears. In the `charts` stage a
figure counts as drawn when every kind of trace it has is on screen: an SVG trace with a box, and the WebGL
canvas when it has Scattergl traces (the app switches to them past 1,500 points); it says which it saw.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import (
    APP,
    BASELINE_APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    OUT,
    REPO,
    TARGETS,
    BenchServer,
    bench_server,
    install_signal_cleanup,
    load1,
    record,
    record_samples,
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
  const big = [...document.querySelectorAll('[data-testid=stAlert], [data-testid=stException]')]
    .map(e => e.innerText).find(t => /exceeds|too large|message size/i.test(t));
  if (big) return {t: performance.now(), kind: 'error: ' + big.slice(0, 200)};
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullData || !gd._fullData.length) return false;
  // Drawn = every kind of trace the figure has is on screen: an SVG trace with a box, and the WebGL canvas.
  const types = new Set(gd._fullData.map(t => t.type));
  const gl = types.has('scattergl'), svg = [...types].some(t => t !== 'scattergl');
  const el = gd.querySelector('.scatterlayer .trace');
  const svgDrawn = el && (el.getBoundingClientRect().width > 0 || el.getBoundingClientRect().height > 0);
  const glDrawn = gd.querySelector('canvas.gl-canvas-context, .gl-canvas');
  if ((svg && !svgDrawn) || (gl && !glDrawn)) return false;
  return {t: performance.now(), kind: gl && svg ? 'svg + webgl' : (gl ? 'webgl canvas' : 'svg trace')};
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
# Every WebSocket message the page receives, with its time: a fast rerun can go from "running" back to
# "notRunning" within one React commit, so the script-state attribute alone may never show it.
WS_HOOK = """(() => {
  window.__ws = [];
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', () => window.__ws.push(performance.now()));
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();"""
# Script run finished, from the page: the "running" -> "notRunning" transition after the change when the page
# showed one, else the last message of the rerun (once the page is back to "notRunning" and no message came
# for 150 ms). Chart redrawn: plotly laid the chart out again after the change (a new gd._fullLayout; with
# `axis`, also with the new y axis type, and waited for); without `axis` it is waited for up to 1 s after the
# run finished (a figure that did not change is not redrawn: chart = null).
DONE_JS = """([t0, axis]) => {
  const now = performance.now();
  const gd = document.querySelector('.js-plotly-plot');
  if (gd && gd._fullLayout && gd._fullLayout !== window.__layoutBefore && window.__chartT === undefined
      && (!axis || gd._fullLayout.yaxis.type === axis)) window.__chartT = now;
  if (axis && window.__chartT === undefined) return false;
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const states = window.__states.filter(s => s[1] >= t0);
  const run = states.findIndex(s => s[0] === 'running');
  const done = run < 0 ? undefined : states.slice(run).find(s => s[0] === 'notRunning');
  let finished, via;
  if (done) { finished = done[1]; via = 'script state'; }
  else {
    const msgs = window.__ws.filter(t => t >= t0);
    if (!msgs.length || now - msgs[msgs.length - 1] < 150) return false;
    finished = msgs[msgs.length - 1]; via = 'last message';
  }
  if (window.__chartT === undefined && now - finished < 1000) return false;
  return {finished: finished - t0, via, chart: window.__chartT === undefined ? null : window.__chartT - t0};
}"""
MARK_JS = """() => { window.__chartT = undefined; const gd = document.querySelector('.js-plotly-plot');
  window.__layoutBefore = gd ? gd._fullLayout : undefined; }"""
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

    app, base = bench_server(APP), bench_server(BASELINE_APP)
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
                    r = first_chart(browser, server.url + "/")
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


def _server_part(server: BenchServer, seen: int, timeout_s: float = 5) -> tuple[float | None, float | None, int]:
    """Server time of the script run(s) logged after the first `seen` ones: (script run without GC, post-run GC,
    how many runs). Waits a moment for the log line, which is written after the GC."""
    deadline = time.monotonic() + timeout_s
    while True:
        runs = server.runs()[seen:]
        if runs or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if not runs:
        return None, None, 0
    gc_s = sum(r["gc_s"] for r in runs)
    return sum(r["wall_s"] for r in runs) - gc_s, gc_s, len(runs)


def _type_date(page, label: str, day: date) -> None:
    """Type a date into a Streamlit date_input (segmented year/month/day field); committed by the next click
    outside it."""
    page.get_by_role("spinbutton", name=f"year, {label}").focus()
    page.keyboard.type(day.strftime("%Y%m%d"))


def _browser_reruns(browser, server: BenchServer, url: str, reruns: int, kind: str) -> dict:
    """kind "warm": click the Scale radio log <-> linear (after the first click both views have been seen);
    kind "miss": type a "Stated to" date never used before and click outside the field to commit it."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WS_HOOK)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(FIRST_TRACE_JS, polling="raf", timeout=120_000)
        page.wait_for_function(f"() => ({STATE_JS})() === 'notRunning'", timeout=120_000)
        page.evaluate(OBSERVE_JS)
        finished, chart, script, gc_s, runs, via = [], [], [], [], [], []
        for i in range(reruns + 1):  # the first change is a warm-up
            seen = len(server.runs())
            if kind == "warm":
                axis = "linear" if i % 2 == 0 else "log"
                page.evaluate(MARK_JS)
                t0 = page.evaluate(CLICK_JS, axis)
                result = page.wait_for_function(DONE_JS, arg=[t0, axis], polling="raf", timeout=120_000).json_value()
            else:
                _type_date(page, "Stated to", date.today() - timedelta(days=40 + i))
                time.sleep(0.2)
                seen = len(server.runs())
                page.evaluate(MARK_JS)
                t0 = page.evaluate("() => performance.now()")
                page.mouse.click(5, VIEWPORT["height"] - 200)  # outside the field: commits the typed date
                result = page.wait_for_function(DONE_JS, arg=[t0, None], polling="raf", timeout=120_000).json_value()
            part_script, part_gc, n_runs = _server_part(server, seen)
            if i:
                via.append(result["via"])
                finished.append(result["finished"] / 1000)
                if result.get("chart") is not None:
                    chart.append(result["chart"] / 1000)
                if part_script is not None:
                    script.append(part_script)
                    gc_s.append(part_gc)
                runs.append(n_runs)
        out = {"script_finished": summary(finished), "samples": finished, "server_script": summary(script),
               "server_gc": summary(gc_s), "server_runs_per_change": runs,
               "finished_seen_as": {v: via.count(v) for v in set(via)}}  # fmt: skip
        if chart:
            out["chart_redrawn"] = summary(chart)
        tracked = [r["tracked"] for r in server.runs() if "tracked" in r]
        out["gc_tracked_objects"] = tracked[-1] if tracked else None
        return out
    finally:
        context.close()


def rerun(reruns: int, gc_mode: str = "default") -> dict:
    """On the Output page and on the baseline: a warm repeat (click the log/linear radio) and a cache miss (type a
    new "Stated to" date); time from the change to script-run-finished in the page, and from the server's log
    the script run itself and the post-run garbage collection.

    gc_mode (experiments): "default" as deployed; "off" = --runner.postScriptGC false; "freeze" = gc.freeze()
    once after the first run (bench/serve_timed.py)."""
    from playwright.sync_api import sync_playwright

    options = ("--runner.postScriptGC", "false") if "off" in gc_mode.split("+") else ()
    env = {"BENCH_GC_FREEZE": "1"} if "freeze" in gc_mode.split("+") else {}
    app = bench_server(APP, timed=True, args=options, env=env)
    base = bench_server(BASELINE_APP, timed=True, args=options, env=env)
    result: dict = {"gc_mode": gc_mode}
    try:
        app.start()
        base.start()
        with sync_playwright() as pw:
            browser = launch(pw)
            for kind in ("warm", "miss"):
                result[kind] = {
                    "output": _browser_reruns(browser, app, app.url + "/output", reruns, kind),
                    "baseline": _browser_reruns(browser, base, base.url + "/", reruns, kind),
                }
            browser.close()
    finally:
        base.stop()
        app.stop()
    return result


def memory(data: Path | None, sessions: int, page_path: str, timeout_s: float) -> dict:
    """RSS of the streamlit process: warm idle, with 1 session open, with N open, after closing them."""
    from playwright.sync_api import sync_playwright

    server = bench_server(APP, data_dir=data)
    selector = READY_SELECTOR.get(page_path, "h1")
    out: dict = {"data": str(data or REPO / "datasets"), "page": page_path or "overview", "sessions": sessions}
    try:
        server.start()
        out["rss_started"] = server.rss
        with sync_playwright() as pw:
            browser = launch(pw)
            warm = browser.new_context(viewport=VIEWPORT)  # warm-up session: imports, dataset cache
            page = warm.new_page()
            page.goto(f"{server.url}/{page_path}", wait_until="commit")
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
                page.goto(f"{server.url}/{page_path}", wait_until="commit")
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

    server = bench_server(APP, data_dir=data)
    base = bench_server(BASELINE_APP, data_dir=data) if "baseline" in pages else None
    out: dict = {"data": str(data), "pages": {}}
    try:
        server.start()
        if base is not None:
            base.start()
        with sync_playwright() as pw:
            browser = launch(pw)
            first_chart(browser, server.url + "/method", timeout_s, "() => document.querySelector('h1') ? 1 : false")
            for name in pages:
                path = "" if name == "overview" else name
                url = f"{base.url}/" if name == "baseline" and base is not None else f"{server.url}/{path}"
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                try:
                    page.goto(url, wait_until="commit")
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
                    if name not in (*TARGETS["pages"]["charts"], "baseline"):
                        out["pages"][name] = {"first_chart_s": value["t"] / 1000, "kind": value["kind"]}
                except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported as such
                    out["pages"][name] = {"error": f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}"}
                finally:
                    context.close()
            browser.close()
    finally:
        if base is not None:
            base.stop()
        server.stop()
    return out


def transfer(browser, url: str, timeout_s: float = 120) -> dict:
    """A first visit (fresh context: empty cache) to url until its chart is drawn and the network has been quiet
    for 2 s: what Chromium received, as it counts it (encoded bytes, headers included), over HTTP and WebSocket."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        http: dict[str, int] = {}
        ws = {"bytes": 0, "frames": 0}
        last = [time.monotonic()]

        def frame(event) -> None:  # binary frames (opcode 2) arrive base64-encoded
            data = event["response"]["payloadData"]
            ws["bytes"] += len(data) * 3 // 4 if event["response"]["opcode"] == 2 else len(data)
            ws["frames"] += 1

        cdp.on("Network.loadingFinished", lambda e: http.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.on("Network.webSocketFrameReceived", frame)
        cdp.on("Network.requestWillBeSent", lambda e: last.__setitem__(0, time.monotonic()))
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(FIRST_TRACE_JS, polling="raf", timeout=timeout_s * 1000)
        while time.monotonic() - last[0] < 2:  # late chunks (fonts, icons) still count
            page.wait_for_timeout(250)
        return {"requests": len(http), "http_mb": sum(http.values()) / 1e6, "ws_mb": ws["bytes"] / 1e6,
                "ws_frames": ws["frames"]}  # fmt: skip
    finally:
        context.close()


def wire(visits: int) -> dict:
    """What a reader's first visit transfers through HAProxy (deploy/haproxy.cfg, one replica): with HAProxy's own
    compression only, and with Streamlit's bundle from the precompressed copy (serving/assets.py, as deployed)."""
    from playwright.sync_api import sync_playwright

    from serving.cluster import Cluster
    from serving.process import free_port, group_usage

    out = {}
    for key, precompressed in (("haproxy", False), ("precompressed", True)):
        cluster = Cluster(replicas=1, port=free_port(), precompressed=precompressed, log_dir=OUT / f"wire-{key}")
        try:
            cluster.start()
            with sync_playwright() as pw:
                browser = launch(pw)
                transfer(browser, cluster.local_url + "/")  # warm-up: the replica's first run loads the dataset
                samples, cpu = [], []
                for _ in range(visits):
                    before = group_usage(cluster.haproxy.pid)[0]
                    samples.append(transfer(browser, cluster.local_url + "/"))
                    cpu.append(group_usage(cluster.haproxy.pid)[0] - before)
                browser.close()
        finally:
            cluster.stop()
        out[key] = {**samples[-1], "total_mb": [s["http_mb"] + s["ws_mb"] for s in samples],
                    "haproxy_cpu_ms": summary([c * 1000 for c in cpu])["median"]}  # fmt: skip
    return out


def print_records(what: str, result: dict, dataset: str, load: list[float]) -> None:
    """The stage's result as records (bench/common.py)."""
    if what == "ttfc":
        samples = result["samples"]
        for name in ("app", "baseline"):
            record_samples(f"ttfc.{name}", samples[name], "s", load=load)
            for key, value in result["breakdown"][name].items():
                record(f"ttfc.{name}.{key}", value, "bytes" if key == "js_bytes" else "s", load=load)
        ratios = [a / b for a, b in zip(samples["app"], samples["baseline"], strict=True)]
        record_samples("ttfc.pair_ratio", ratios, "×", load=load, ratio_of_medians=result["ratio_of_medians"])
    elif what == "rerun":
        for kind in ("warm", "miss"):
            for app, part in result[kind].items():
                for key in ("script_finished", "chart_redrawn", "server_script", "server_gc"):
                    if key in part:
                        stats = dict(part[key])
                        median = stats.pop("median")
                        record(f"browser.{kind}.{app}.{key}", None if median != median else median, "s", **stats,
                               load=load, gc_tracked_objects=part.get("gc_tracked_objects"), gc_mode=result["gc_mode"])  # fmt: skip
    elif what == "memory":
        mb = {k: v / 2**20 for k, v in result.items() if k.startswith("rss_") and isinstance(v, int)}
        record("memory.per_session", result["per_session_bytes"] / 2**20, "MB", dataset=dataset, page=result["page"],
               sessions=result["sessions"], page_showed=result["page_showed"], load=load, **mb,
               rss_per_open_session=[x / 2**20 for x in result["rss_per_open_session"]])  # fmt: skip
    elif what == "wire":
        for key, part in result.items():
            record_samples(f"wire.{key}", part.pop("total_mb"), "MB", load=load, **part)
    else:
        for page, p in result["pages"].items():
            value = p.pop("first_chart_s", None)
            record(f"chart.{page}", value, "s", dataset=dataset, load=load, **p)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stage_browser")
    parser.add_argument("what", choices=("ttfc", "rerun", "memory", "charts", "wire"))
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--dataset", default="real", help="its name in the records (real, or its number of rows)")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--page", default="output", help="url path of the page each session opens ('' = overview)")
    parser.add_argument("--pages", default="overview,output,claims")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one page")
    parser.add_argument("--gc", choices=("default", "off", "freeze"), default="default",
                        help="rerun only, experiments: the server's post-run GC as deployed, off, or after gc.freeze() "
                        "(bench/serve_timed.py)")  # fmt: skip
    args = parser.parse_args(argv)
    install_signal_cleanup()
    data = args.data.resolve() if args.data else None
    load_start = load1()
    if args.what == "ttfc":
        result = ttfc(args.pairs, args.warmup)
    elif args.what == "wire":
        result = wire(args.pairs)
    elif args.what == "rerun":
        result = rerun(args.reruns, args.gc)
    elif args.what == "memory":
        result = memory(data, args.sessions, "" if args.page == "overview" else args.page, args.timeout)
    else:
        result = charts(data or REPO / "datasets", args.pages.split(","), args.timeout)
    print_records(args.what, result, args.dataset, [load_start, load1()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
