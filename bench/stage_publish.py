"""The static site: build, the published view's first chart against the bare Streamlit page, its bytes on a first and a
repeat visit, requests per second of the preview server. The site is served as a host serves it (the publisher's
preview sends the precompressed .br/.gz beside each file, with the cache headers of docs/PUBLISH.md). How each figure
is measured: bench/RESULTS.md, "How each figure is measured".

    .venv/bin/python -m bench.stage_publish [--pairs 5] [--clients 50] [--seconds 10] [--view overview]
    .venv/bin/python -m bench.stage_publish --site DIR    # a site built already (e.g. by an older checkout)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import BASELINE_APP, REPO, median, parser, record, server
from bench.stage_browser import VIEWPORT, browsing, first_chart, transfer
from dashboard import cli
from serving.process import free_port, stop_group

VIEW_FILES = ("index.html", "embed.html", "chart.png", "chart.svg", "data.csv", "metadata.json")
REQUEST_TIMEOUT_S = 5.0
# The page shows the chart's static SVG first and draws the interactive figure once plotly.js has loaded; this
# records when that image had loaded (the reader sees a chart from then on).
IMAGE_INIT = """document.addEventListener('load', (e) => {
  if (e.target?.classList?.contains('placeholder') && window.__imageT === undefined) window.__imageT = performance.now();
}, true);"""
DRAWN_JS = "() => document.documentElement.dataset.chart === 'drawn'"
BREAKDOWN_JS = """() => {
  const mark = (name) => (performance.getEntriesByName(name)[0] || {}).startTime;
  const plotly = performance.getEntriesByType('resource').find(e => /plotly-[^/]*\\.min\\.js$/.test(e.name));
  return {image: window.__imageT, html: performance.getEntriesByType('navigation')[0].responseEnd,
          plotly_fetched: plotly && plotly.responseEnd, plotly_ready: mark('shellcount:plotly-ready'),
          drawn: mark('shellcount:chart-drawn')};
}"""


def moments(page) -> dict:
    """When the published page reached each step of drawing its chart (once it is drawn)."""
    page.wait_for_function(DRAWN_JS)
    return page.evaluate(BREAKDOWN_JS)


def build(out: Path) -> None:
    """`python -m dashboard.publish` on the live dataset: its wall time, and each of its stages' own line."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashboard.publish", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stdout}{done.stderr}")
    files = [p for p in out.rglob("*") if p.is_file()]
    record("publish.build", time.perf_counter() - started, "s", files=len(files),
           site_mb=sum(p.stat().st_size for p in files) / 1e6)  # fmt: skip
    for number, what, seconds in re.findall(r"publish \[(\d+)/\d+\] (.*) \(([\d.]+) s\)$", done.stderr, re.M):
        record(f"publish.build.stage{number}", float(seconds), "s", what=re.sub(r" (to )?/\S+", "", what.split(":")[0]))


@contextlib.contextmanager
def preview(site: Path):
    """The publisher's preview server on a free loopback port, in its own process group (stopped by its id)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.publish.preview", "--dir", str(site), "--port", str(port)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2):
                break
            time.sleep(0.1)
        yield port
    finally:
        stop_group(proc)


async def _get(port: int, path: str) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readline()
        await reader.read()  # HTTP/1.0: the server closes after the body
        return head
    finally:
        writer.close()


def requests_per_s(port: int, view: str, clients: int, seconds: float) -> tuple[dict, list[float]]:
    """Answers completed inside a fixed window; a request taking longer than REQUEST_TIMEOUT_S is an error."""
    paths = [f"/latest/{view}/{name}" for name in VIEW_FILES]
    counts, latencies = {"ok": 0, "bad": 0, "error": 0}, []

    async def client(stop_at: float) -> None:
        for path in itertools.cycle(paths):
            if time.perf_counter() >= stop_at:
                return
            started = time.perf_counter()
            try:
                head = await asyncio.wait_for(_get(port, path), timeout=REQUEST_TIMEOUT_S)
            except (TimeoutError, OSError):
                counts["error"] += 1
                continue
            if time.perf_counter() <= stop_at:
                counts["ok" if b" 200 " in head else "bad"] += 1
                latencies.append(time.perf_counter() - started)

    async def run() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(client(stop_at) for _ in range(clients)))

    asyncio.run(run())
    return counts, sorted(latencies)


def main(argv: list[str] | None = None) -> int:
    options = parser("bench.stage_publish", __doc__, data=False)
    options.add_argument("--pairs", type=int, default=5, help="page loads of each side for time to first chart")
    options.add_argument("--clients", type=int, default=50)
    options.add_argument("--seconds", type=float, default=10.0)
    options.add_argument("--view", default="overview", help="published view to measure (a folder under latest/)")
    options.add_argument("--site", type=Path, default=None, help="measure this built site instead of building one")
    args = options.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shellcount-bench-site-") as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            build(site)
        with preview(site) as port:
            url, baseline = f"http://127.0.0.1:{port}/latest/{args.view}/", server(BASELINE_APP)
            with browsing(baseline) as browser:
                first_chart(browser, url, init=IMAGE_INIT), first_chart(browser, baseline.url, init="")  # warm-up
                sides: dict[str, list[dict]] = {"site": [], "baseline": []}
                for i in range(args.pairs):
                    order = [("site", url, IMAGE_INIT, moments), ("baseline", baseline.url, "", None)]
                    for name, address, init, after in order[:: -1 if i % 2 else 1]:
                        sides[name].append(first_chart(browser, address, init=init, after=after))
                page = browser.new_context(viewport=VIEWPORT).new_page()
                visits = {"first": transfer(page, url, DRAWN_JS), "repeat": transfer(page, url, DRAWN_JS)}
            counts, latencies = requests_per_s(port, args.view, args.clients, args.seconds)
    site_s, base_s = ([r["s"] for r in sides[k]] for k in ("site", "baseline"))
    images = [r["image"] / 1000 for r in sides["site"] if r.get("image")]
    ratio = dict(site_s=median(site_s), baseline_s=median(base_s), n=len(site_s), view=args.view)
    record("publish.first_chart.ratio", median(site_s) / median(base_s), "×", **ratio)
    record("publish.image.ratio", median(images) / median(base_s) if images else None, "×", image_s=median(images))
    for step in ("image", "html", "plotly_fetched", "plotly_ready", "drawn"):
        record(f"publish.moment.{step}", median([r[step] / 1000 for r in sides["site"] if r.get(step)]), "s")
    for key, visit in visits.items():
        by_kind = sorted(visit["by_kind"].items(), key=lambda item: -item[1])
        record(f"publish.bytes.{key}", visit["http"], "bytes", requests=visit["requests"],
               kinds=", ".join(f"{kind} {size / 1000:,.0f} KB" for kind, size in by_kind))  # fmt: skip
    p50, p99 = (latencies[int(len(latencies) * q)] * 1000 if latencies else math.nan for q in (0.5, 0.99))
    record("publish.requests_per_s", counts["ok"] / args.seconds, "req/s", **counts, clients=args.clients,
           seconds=args.seconds, p50_ms=p50, p99_ms=p99)  # fmt: skip
    return 0


if __name__ == "__main__":
    cli.run(main)
