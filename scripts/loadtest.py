#!/usr/bin/env python3
"""Load test (not part of the test suite): concurrent real browser sessions against one app server.

    .venv/bin/python scripts/loadtest.py [--sessions 12] [--seconds 60] [--data DIR] [--json out.json]

Starts `streamlit run dashboard/app.py` on a free port (the live dataset unless --data is given),
then drives N concurrent sessions in the system Chromium (Playwright, `executable_path`; no browser
download) for the given time. Each session loops: open the Output page, pick a subject, switch the
scale, go to the Data page through the navigation, pick a measure, download the CSV and check it.

Reports errors (anything that timed out, showed a Streamlit exception, or downloaded a bad CSV;
must be 0), page-update latencies (from the click to the app being idle with the new view in the
URL), page loads, CSV downloads, and the server's memory: VmHWM (peak resident set) of the server
process from /proc/<pid>/status, plus the peak summed RSS of its process group, polled.
Exit status 1 when there was any error.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dashboard import cli  # noqa: E402
from dashboard.present.registry import BY_NAME  # noqa: E402
from serving.browser import IDLE, find_chromium, launch_chromium  # noqa: E402
from serving.launcher import AppServer, serve  # noqa: E402

SUBJECTS = ("Russia", "United States", "European Union", "Rheinmetall", "Europe")
MEASURES = ("output", "target", "capacity", "transfer")
TIMEOUT_MS = 120_000


@dataclass
class Stats:
    updates: list[float] = field(default_factory=list)  # filter change → idle with the new URL
    loads: list[float] = field(default_factory=list)  # navigation → idle (and chart drawn)
    downloads: list[float] = field(default_factory=list)  # click → CSV bytes in hand
    errors: list[str] = field(default_factory=list)
    loops: int = 0


async def idle(page) -> None:
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


async def check_no_exception(page, where: str) -> None:
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"{where}: Streamlit exception shown")


async def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    await box.click()
    await box.fill(option)  # filter the (virtualised) list so the option is rendered
    await page.get_by_role("option", name=option, exact=True).click()
    await page.keyboard.press("Escape")


async def timed(stats_list: list[float], coro) -> None:
    start = time.perf_counter()
    await coro
    stats_list.append(time.perf_counter() - start)


async def update(page, stats: Stats, action, url_part: str, chart: bool = False) -> None:
    """One page update: the action, then wait for the URL to carry it and the run to finish."""

    async def run() -> None:
        await action()
        await page.wait_for_url(f"**{url_part}**", timeout=TIMEOUT_MS)
        await idle(page)
        if chart:
            await page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=TIMEOUT_MS)

    await timed(stats.updates, run())


async def session(number: int, browser, base: str, deadline: float, stats: Stats) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    failed_media: list[str] = []  # /media/ responses that failed: why a download was cancelled

    def on_response(response) -> None:
        if "/media/" in response.url and response.status >= 400:
            failed_media.append(f"HTTP {response.status} for /media/{response.url.split('/media/', 1)[-1][:50]}")

    page.on("response", on_response)
    loop = 0
    try:
        while time.monotonic() < deadline:
            subject = SUBJECTS[(number + loop) % len(SUBJECTS)]
            measure = MEASURES[(number + loop) % len(MEASURES)]
            step = "open Output"
            try:

                async def load() -> None:
                    await page.goto(
                        base + "/" + BY_NAME["output"].url_path, wait_until="domcontentloaded", timeout=TIMEOUT_MS
                    )
                    await idle(page)
                    await page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=TIMEOUT_MS)

                await timed(stats.loads, load())
                step = f"Output: subject {subject}"
                await update(page, stats, lambda s=subject: choose(page, "Subject", s), "subject=", chart=True)
                step = "Output: scale linear"
                radio = page.get_by_role("radiogroup", name="Scale", exact=True).get_by_text("linear", exact=True)
                await update(page, stats, radio.click, "scale=linear", chart=True)
                await check_no_exception(page, "Output")
                step = "go to Data"

                async def to_data() -> None:
                    await page.get_by_role("link", name="Data", exact=True).click()
                    await page.wait_for_url("**/data**", timeout=TIMEOUT_MS)
                    await page.get_by_role("combobox", name="Measure", exact=True).wait_for(timeout=TIMEOUT_MS)
                    await idle(page)

                await timed(stats.loads, to_data())
                step = f"Data: measure {measure}"
                await update(page, stats, lambda m=measure: choose(page, "Measure", m), f"measure={measure}")
                await check_no_exception(page, "Data")
                step = "Data: CSV download"
                start = time.perf_counter()
                async with page.expect_download(timeout=TIMEOUT_MS) as info:
                    await page.get_by_role("button", name="CSV of these rows", exact=True).click()
                download = await info.value
                path = await download.path()
                stats.downloads.append(time.perf_counter() - start)
                text = Path(path).read_text(encoding="utf-8")
                first, _, body = text.partition("\n")
                rows = list(csv.DictReader(io.StringIO(body)))
                if not first.startswith("# Shell Count data v") or not rows:
                    raise RuntimeError(f"bad CSV: {first[:80]!r}, {len(rows)} rows")
                if {r["measure"] for r in rows} != {measure}:
                    raise RuntimeError(f"CSV rows are not all measure={measure}")
                stats.loops += 1
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported, the run goes on
                media = f" [{'; '.join(failed_media)}]" if failed_media else ""
                stats.errors.append(
                    f"session {number}, loop {loop}, {step}: {exc.__class__.__name__}: {str(exc)[:200]}{media}"
                )
            failed_media.clear()
            loop += 1
    finally:
        await context.close()


async def poll_memory(server: AppServer, peak: dict[str, int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak["group_rss"] = max(peak.get("group_rss", 0), server.group_rss_kib())
        peak["rss"] = max(peak.get("rss", 0), server.memory_kib().get("VmRSS", 0))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=0.5)


def machine() -> dict[str, str]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import streamlit

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"nproc": str(os.cpu_count()), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "streamlit": streamlit.__version__, "kernel": platform.release(), "loadavg_at_end": load}  # fmt: skip


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(args) -> dict:
    chromium, reason = find_chromium()
    if chromium is None:
        raise SystemExit(reason)
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "streamlit.log"
        with serve(args.data, log_path=log) as server:
            baseline = server.memory_kib()
            load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
            cpu_before = server.cpu_seconds()
            stats = Stats()
            peak: dict[str, int] = {}
            stop = asyncio.Event()
            async with async_playwright() as driver:
                browser = await launch_chromium(driver, chromium)
                poller = asyncio.create_task(poll_memory(server, peak, stop))
                started = time.monotonic()
                deadline = started + args.seconds
                await asyncio.gather(*(session(i, browser, server.url, deadline, stats) for i in range(args.sessions)))
                elapsed = time.monotonic() - started
                stop.set()
                await poller
                await browser.close()
            final = server.memory_kib()
            server_cpu = server.cpu_seconds() - cpu_before
            alive = server.running()
        log_text = log.read_text(encoding="utf-8", errors="replace")
    if not alive:
        stats.errors.append("the server exited during the run")
    if "Traceback" in log_text:
        stats.errors.append("the server logged a traceback:\n" + log_text[log_text.index("Traceback") :][:2000])
    return {
        "sessions": args.sessions,
        "seconds": args.seconds,
        "elapsed_s": round(elapsed, 1),
        "dataset": str(args.data or "datasets/"),
        "loops_completed": stats.loops,
        "page_updates": len(stats.updates),
        "errors": len(stats.errors),
        "error_messages": stats.errors[:20],
        "update_s": {"median": round(statistics.median(stats.updates), 2) if stats.updates else None,
                     "p95": round(pct(stats.updates, 0.95), 2), "max": round(max(stats.updates, default=float("nan")), 2)},
        "page_load_s": {"median": round(statistics.median(stats.loads), 2) if stats.loads else None,
                        "p95": round(pct(stats.loads, 0.95), 2), "max": round(max(stats.loads, default=float("nan")), 2)},
        "csv_download_s": {"count": len(stats.downloads), "max": round(max(stats.downloads, default=float("nan")), 2)},
        "server_cpu_s": round(server_cpu, 1),
        "server_rss_mib": {"before": round(baseline.get("VmRSS", 0) / 1024, 1),
                           "peak_VmHWM": round(final.get("VmHWM", 0) / 1024, 1),
                           "peak_polled_VmRSS": round(peak.get("rss", 0) / 1024, 1),
                           "peak_process_group": round(peak.get("group_rss", 0) / 1024, 1)},
        "machine": {**machine(), "loadavg_before": load_before},
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="scripts/loadtest.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--data", type=Path, default=None, help="dataset folder (DASHBOARD_DATA_DIR); default datasets/"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    report = asyncio.run(run(args))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    cli.run(main)
