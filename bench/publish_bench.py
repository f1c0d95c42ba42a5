"""Benchmark of the static site (python -m dashboard.publish), printed as plain records, one per line:

    publish <metric> <value> <unit> [note]

    .venv/bin/python -m bench.publish_bench [--pairs 5] [--clients 50] [--seconds 10] [--view overview] [--site DIR]

1. build: wall time of `python -m dashboard.publish` on the live dataset (and each stage's own line); with
   --site, an already built site is measured instead (e.g. one built by an older checkout, for before → now).
2. first chart: seconds from navigation start to the first drawn chart trace of the published view page,
   against the bare Streamlit baseline page (bench/baseline_app.py), alternating, a fresh browser context
   for every load; the ratio of medians is the figure issue 18 asks for (target ≤ 0.35). Apart: when the
   published page's static chart image (shown until the interactive one is drawn) had loaded (target ≤ 0.1×
   the baseline's first chart).
3. bytes per view: everything the browser received (encoded, headers included) to show the view page with its
   interactive chart, on a first visit (empty cache; target ≤ 700 KB) and on a repeat visit in the same context,
   with what each kind of file took.
4. requests per second: the preview server answering a view's files (page, embed, PNG, SVG, CSV, metadata) to N
   concurrent keep-nothing HTTP/1.0 clients on loopback for a fixed time.

The site is served as a host serves it: `python -m dashboard.publish.preview` sends the precompressed .br/.gz
beside each file when the browser accepts them, and the cache headers of docs/PUBLISH.md (what nginx with
brotli_static/gzip_static, or a CDN, does). It runs in its own process group, stopped on exit. The client runs on
the same 2-CPU machine as the server, so the requests-per-second figure is a floor for a server, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import BASELINE_APP, CHROMIUM, CHROMIUM_ARGS, REPO, bench_server, install_signal_cleanup, summary
from bench.stage_browser import FIRST_TRACE_JS
from serving.process import free_port

VIEWPORT = {"width": 1280, "height": 900}
# The published page shows the chart's static SVG first and swaps in the interactive figure once plotly.js has
# loaded; this records when that image finished loading (the reader sees a chart from then on).
IMAGE_INIT = """document.addEventListener('load', (e) => {
  if (e.target && e.target.classList && e.target.classList.contains('placeholder') && window.__imageT === undefined)
    window.__imageT = performance.now();
}, true);"""
IMAGE_JS = "() => window.__imageT === undefined ? false : window.__imageT"
REQUEST_TIMEOUT_S = 5.0
VIEW_FILES = ("index.html", "embed.html", "chart.png", "chart.svg", "data.csv", "metadata.json")
TARGET_BYTES, TARGET_IMAGE_RATIO, TARGET_CHART_RATIO = 700_000, 0.1, 0.35  # issue 18


def record(metric: str, value: float | int | str, unit: str = "", note: str = "") -> None:
    shown = f"{value:.3f}" if isinstance(value, float) else str(value)
    print(" ".join(p for p in ("publish", metric, shown, unit, note) if p != ""), flush=True)


def build(out: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dashboard.publish", "--out", str(out)], cwd=REPO,
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout}{result.stderr}")
    for line in result.stderr.splitlines():
        stage = re.match(r"publish \[(\d+)/\d+\] (.*) \(([\d.]+) s\)$", line)
        if stage:
            record(f"build_stage_{stage.group(1)}_s", float(stage.group(3)), "s", stage.group(2).split(":")[0])
    return seconds


class StaticServer:
    """`python -m dashboard.publish.preview` on a free loopback port, in its own process group (stopped by its id)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.proc = folder, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> StaticServer:
        command = [
            sys.executable,
            "-m",
            "dashboard.publish.preview",
            "--dir",
            str(self.folder),
            "--port",
            str(self.port),
        ]
        self.proc = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url + "robots.txt", timeout=2):
                return self
            time.sleep(0.1)
        self.__exit__()
        raise TimeoutError("the static server did not answer")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


BREAKDOWN_JS = """() => {
  const mark = (name) => (performance.getEntriesByName(name)[0] || {}).startTime;
  const plotly = performance.getEntriesByType('resource').find(e => /plotly-[^/]*\\.min\\.js$/.test(e.name));
  return {html: performance.getEntriesByType('navigation')[0].responseEnd, plotly_fetched: plotly && plotly.responseEnd,
          plotly_ready: mark('shellcount:plotly-ready'), drawn: mark('shellcount:chart-drawn')};
}"""


def first_chart_s(browser, url: str, breakdowns: list | None = None) -> tuple[float, float | None]:
    """(seconds to the first drawn interactive trace, seconds to the static chart image loaded or None)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(IMAGE_INIT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=120_000)
        trace = page.wait_for_function(FIRST_TRACE_JS, polling="raf", timeout=120_000).json_value() / 1000
        image = page.evaluate(IMAGE_JS)
        if breakdowns is not None:
            page.wait_for_function("() => performance.getEntriesByName('shellcount:chart-drawn').length > 0")
            breakdowns.append(page.evaluate(BREAKDOWN_JS))
        return trace, (image / 1000 if image else None)
    finally:
        context.close()


def received_bytes(page, url: str) -> tuple[int, int, dict[str, int]]:
    """(bytes received, responses, bytes by kind of file) to load url until its chart is drawn and the network is
    quiet."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    total = {"bytes": 0, "responses": 0}
    kinds: dict[str, str] = {}  # request id → kind of file
    by_kind: dict[str, int] = {}

    def responded(event) -> None:
        path = event["response"]["url"].split("?")[0]
        kinds[event["requestId"]] = (
            "plotly.js" if "/plotly" in path else path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "html"
        )

    def finished(event) -> None:
        size = int(event.get("encodedDataLength", 0))
        total["bytes"] += size
        total["responses"] += 1
        kind = kinds.get(event["requestId"], "other")
        by_kind[kind] = by_kind.get(kind, 0) + size

    cdp.on("Network.responseReceived", responded)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function("() => document.documentElement.dataset.chart === 'drawn'", timeout=120_000)
    page.wait_for_timeout(500)  # the page requests nothing after drawing; let the last events arrive
    cdp.detach()
    return total["bytes"], total["responses"], by_kind


async def _client(host: str, port: int, paths: list[str], stop_at: float, counts: dict, latencies: list) -> None:
    i = 0
    while time.perf_counter() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            head = await asyncio.wait_for(_get(host, port, path), timeout=REQUEST_TIMEOUT_S)
        except (TimeoutError, OSError):
            counts["error"] += 1
            continue
        if time.perf_counter() <= stop_at:  # only answers completed inside the window count
            counts["ok" if b" 200 " in head else "bad"] += 1
            latencies.append(time.perf_counter() - started)


async def _get(host: str, port: int, path: str) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readline()
        await reader.read()  # HTTP/1.0: the server closes after the body
        return head
    finally:
        writer.close()


def requests_per_s(server: StaticServer, view: str, clients: int, seconds: float) -> tuple[float, dict, list]:
    """Answers per second inside a fixed window; a request taking longer than REQUEST_TIMEOUT_S is an error."""
    paths = [f"/latest/{view}/{name}" for name in VIEW_FILES]
    counts = {"ok": 0, "bad": 0, "error": 0}
    latencies: list[float] = []

    async def run() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client("127.0.0.1", server.port, paths, stop_at, counts, latencies) for _ in range(clients))
        )

    asyncio.run(run())
    return counts["ok"] / seconds, counts, latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.publish_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5, help="page loads of each side for time to first chart")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--view", default="overview", help="published view to measure (a folder under latest/)")
    parser.add_argument("--site", default=None, help="measure this built site instead of building one")
    args = parser.parse_args(argv)
    install_signal_cleanup()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="shellcount-bench-site-") as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            record("build_s", build(site), "s", "python -m dashboard.publish, live dataset, wall time")
        record("site_files", sum(1 for p in site.rglob("*") if p.is_file()), "files")
        record("site_bytes", sum(p.stat().st_size for p in site.rglob("*") if p.is_file()), "bytes")
        baseline = bench_server(BASELINE_APP)
        with StaticServer(site) as static:
            try:
                baseline.start()
                page_url = f"{static.url}latest/{args.view}/"
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                    first_chart_s(browser, page_url), first_chart_s(browser, baseline.url)  # warm-up, not counted
                    published, bare, images, breakdowns = [], [], [], []
                    for i in range(args.pairs):
                        order = [(published, page_url), (bare, baseline.url)]
                        for samples, url in order if i % 2 == 0 else reversed(order):
                            trace, image = first_chart_s(browser, url, breakdowns if samples is published else None)
                            samples.append(trace)
                            if samples is published and image is not None:
                                images.append(image)
                    site_s, base_s = summary(published), summary(bare)
                    record("first_chart_site_s", site_s["median"], "s", f"median of {len(published)}, {args.view} page")
                    record(
                        "first_chart_baseline_s", base_s["median"], "s", f"median of {len(bare)}, bench/baseline_app.py"
                    )
                    record(
                        "first_chart_ratio",
                        site_s["median"] / base_s["median"],
                        "x",
                        f"published ÷ baseline (target ≤ {TARGET_CHART_RATIO})",
                    )
                    for step in ("html", "plotly_fetched", "plotly_ready", "drawn"):
                        values = [b[step] / 1000 for b in breakdowns if b.get(step) is not None]
                        record(
                            f"site_{step}_s", summary(values)["median"], "s", "published page, from navigation start"
                        )
                    if images:
                        image_s = summary(images)["median"]
                        record("first_chart_image_site_s", image_s, "s", f"median of {len(images)}: static SVG loaded")
                        record(
                            "first_chart_image_ratio",
                            image_s / base_s["median"],
                            "x",
                            f"static image ÷ baseline trace (target ≤ {TARGET_IMAGE_RATIO})",
                        )
                    context = browser.new_context(viewport=VIEWPORT)
                    page = context.new_page()
                    first = received_bytes(page, page_url)
                    repeat = received_bytes(page, page_url)
                    context.close()
                    kinds = ", ".join(
                        f"{kind} {size:,}" for kind, size in sorted(first[2].items(), key=lambda i: -i[1])
                    )
                    record(
                        "bytes_first_visit",
                        first[0],
                        "bytes",
                        f"{first[1]} responses, empty cache, chart drawn (target ≤ {TARGET_BYTES:,}): {kinds}",
                    )
                    record("bytes_repeat_visit", repeat[0], "bytes", f"{repeat[1]} responses, same browser")
                    browser.close()
            finally:
                baseline.stop()
            rate, counts, latencies = requests_per_s(static, args.view, args.clients, args.seconds)
            record("requests_per_s", rate, "req/s", f"{args.clients} clients, {args.seconds:.0f} s window, {counts['ok']} ok, {counts['bad']} non-200, {counts['error']} failed or over {REQUEST_TIMEOUT_S:.0f} s; files of {args.view}")  # fmt: skip
            if latencies:
                ordered = sorted(latencies)
                record("request_latency_p50_s", ordered[len(ordered) // 2], "s")
                record("request_latency_p99_s", ordered[int(len(ordered) * 0.99)], "s", "the preview server (Python's http.server) listens with a backlog of 5")  # fmt: skip
    record("load1", os.getloadavg()[0], "", "1-minute load average at the end (2 CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
