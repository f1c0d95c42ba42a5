"""Regenerate the README's screenshots in docs/ (not a test): every page at 1400 px, the chart pages on a phone,
filtered views, dark mode, and the image exports.

    .venv/bin/python tests/browser/make_screenshots.py                  # everything, into docs/
    .venv/bin/python tests/browser/make_screenshots.py --only overview output-phone exports

Starts the app on the live dataset and opens each view in the system Chromium: at 1400 px wide, or as a 390 px phone
(a phone's User-Agent, so the app lays its charts out for a phone, as it does for a reader's), in the light or dark
theme; sizes the window to the page's main content (capped) and saves a PNG under --max-bytes. Permalinks drawn in
the figures read http://localhost:8501/ (SHELLCOUNT_PUBLIC_URL), not the random port used here. The exports are the
app's own download files (export.FORMATS), built from the registry's page models.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.chart_check import PHONE_USER_AGENT
from tests.browser.harness import REPO, AppServer, find_chromium, launch_chromium, main_content_height, open_page

WIDTH, PHONE_WIDTH = 1400, 390
PUBLIC = "http://localhost:8501/"


@dataclass(frozen=True)
class Shot:
    name: str  # the file, under docs/
    path: str  # page path and query
    phone: bool = False
    dark: bool = False
    chart: bool = True


def shots() -> list[Shot]:
    """Every page at 1400 px; the chart pages on a phone; filtered views the issue asked to see; dark mode."""
    from dashboard.present.registry import PAGES

    out = [Shot(p.name, p.url_path, chart=p.chart is not None) for p in PAGES]
    out += [Shot(f"{p.name}-phone", p.url_path, phone=True) for p in PAGES if p.chart]
    out += [
        Shot("filtered/output-russia-united-states-output", "output?subject=Russia,United+States&measure=output"),
        Shot("filtered/output-russia-united-states-output-phone", "output?subject=Russia,United+States&measure=output", phone=True),
        Shot("filtered/output-nato-one-figure", "output?subject=NATO"),
        Shot("filtered/output-knds-one-target", "output?subject=KNDS", phone=True),
        Shot("filtered/claims-rutte", "claims?q=Rutte"),
        Shot("filtered/lines-kallas-phone", "lines?line=kallas-two-million-rounds", phone=True),
        Shot("dark/overview", "", dark=True),
        Shot("dark/overview-phone", "", phone=True, dark=True),
        Shot("dark/output", "output", dark=True),
        Shot("dark/lines-phone", "lines", phone=True, dark=True),
    ]  # fmt: skip
    return out


def capture(browser, url: str, shot: Shot, out: Path, max_height: int, max_bytes: int) -> tuple[int, int]:
    width = PHONE_WIDTH if shot.phone else WIDTH
    options = dict(viewport={"width": width, "height": 1000}, color_scheme="dark" if shot.dark else "light")
    if shot.phone:
        options.update(user_agent=PHONE_USER_AGENT, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    page = context.new_page()
    open_page(page, url, chart=shot.chart)
    if page.locator('[data-testid="stDataFrame"]:visible').count():  # a grid folded in an expander draws no cells
        page.locator('[data-testid="stDataFrame"]:visible [id^="glide-cell-"]').first.wait_for(state="attached")
    height = min(main_content_height(page) + 24, max_height)
    while True:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)  # charts and grids re-lay out after the resize
        data = page.screenshot(full_page=False, animations="disabled", caret="hide")
        if len(data) <= max_bytes or height <= 900:
            break
        height = int(height * 0.85)
    target = out / f"{shot.name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    context.close()
    return height, len(data)


def exports(out: Path) -> None:
    """The app's own image downloads of the Overview and the Output chart: 1280 × 720, the portrait 1080 × 1350 and
    the dark PNG, as a journalist gets them."""
    from dashboard.analysis.filters import DEFAULT
    from dashboard.data.load import load_dataset
    from dashboard.data.paths import DEFAULT_DATA_DIR
    from dashboard.present import export, registry

    data = load_dataset(DEFAULT_DATA_DIR).dataset
    (out / "exports").mkdir(parents=True, exist_ok=True)
    for name in ("overview", "output"):
        page = registry.BY_NAME[name]
        chart = page.chart.model(data, DEFAULT, PUBLIC + page.url_path).chart
        for kind in ("png", "portrait", "dark"):
            f = export.FORMAT[kind]
            target = out / "exports" / f"{name}-{kind}.png"
            target.write_bytes(f.build(chart, data.package, ""))
            print(f"{target}: {target.stat().st_size / 1024:.0f} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="folder for the PNGs (default: docs/)")
    parser.add_argument("--max-height", type=int, default=2400, help="tallest capture in CSS pixels")
    parser.add_argument("--max-bytes", type=int, default=600_000, help="largest file size")
    parser.add_argument("--only", nargs="*", default=None, help="shot names (and/or 'exports') to make")
    args = parser.parse_args(argv)
    wanted = [s for s in shots() if args.only is None or s.name in args.only]
    if args.only is None or "exports" in args.only:
        exports(args.out)
    if not wanted:
        return 0
    chromium, reason = find_chromium()
    if chromium is None:
        print(reason, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        servers = {}
        try:
            for dark in sorted({s.dark for s in wanted}):
                server = AppServer(log_path=Path(tmp) / f"streamlit-{dark}.log", env={"SHELLCOUNT_PUBLIC_URL": PUBLIC},
                                   args=["--theme.base", "dark"] if dark else [])  # fmt: skip
                server.start()
                servers[dark] = server
            with sync_playwright() as driver:
                browser = launch_chromium(driver, chromium)
                for shot in wanted:
                    url = servers[shot.dark].url + "/" + shot.path
                    height, size = capture(browser, url, shot, args.out, args.max_height, args.max_bytes)
                    print(f"{args.out}/{shot.name}.png: {height} px tall, {size / 1024:.0f} KiB")
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
