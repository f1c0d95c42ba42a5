"""Regenerate the README's page screenshots: docs/<page>.png, one per page, and docs/<page>-phone.png (not a test).

    .venv/bin/python tests/browser/make_screenshots.py [--out docs] [--max-height 2400]
    .venv/bin/python tests/browser/make_screenshots.py --phone      # the chart pages at 390 px, as on a phone

Starts the app on the live dataset, opens each page in the system Chromium at 1400 px wide (390 px with
--phone), sizes
the window to the page's main content (capped), and saves a PNG. Permalinks drawn in the figures
read http://localhost:8501/ (SHELLCOUNT_PUBLIC_URL), not the random port used here. Each file is
kept under --max-bytes by capping its height further if needed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.harness import (
    PAGES,
    REPO,
    AppServer,
    find_chromium,
    launch_chromium,
    main_content_height,
    open_page,
)

WIDTH, PHONE_WIDTH = 1400, 390
CHART_PAGES = ("overview", "output", "claims")


def capture(
    page, url: str, name: str, out: Path, max_height: int, max_bytes: int, width: int = WIDTH
) -> tuple[int, int]:
    page.set_viewport_size({"width": width, "height": 1000})
    open_page(page, url, chart=name in CHART_PAGES)
    if page.locator('[data-testid="stDataFrame"]').count():
        page.locator('[data-testid="stDataFrame"] [id^="glide-cell-"]').first.wait_for(state="attached")
    height = min(main_content_height(page) + 24, max_height)
    while True:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)  # charts and grids re-lay out after the resize
        data = page.screenshot(full_page=False, animations="disabled", caret="hide")
        if len(data) <= max_bytes or height <= 900:
            break
        height = int(height * 0.85)
    (out / f"{name}{'-phone' if width == PHONE_WIDTH else ''}.png").write_bytes(data)
    return height, len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="folder for the PNGs (default: docs/)")
    parser.add_argument("--max-height", type=int, default=2400, help="tallest capture in CSS pixels")
    parser.add_argument("--max-bytes", type=int, default=600_000, help="largest file size")
    parser.add_argument("--pages", nargs="*", default=None, choices=list(PAGES))
    parser.add_argument("--phone", action="store_true", help="390 px wide, the chart pages unless --pages says")
    args = parser.parse_args(argv)
    width = PHONE_WIDTH if args.phone else WIDTH
    pages = args.pages or (list(CHART_PAGES) if args.phone else list(PAGES))

    chromium, reason = find_chromium()
    if chromium is None:
        print(reason, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = AppServer(
            log_path=Path(tmp) / "streamlit.log", env={"SHELLCOUNT_PUBLIC_URL": "http://localhost:8501/"}
        )
        server.start()
        try:
            with sync_playwright() as driver:
                browser = launch_chromium(driver, chromium)
                for name in pages:
                    context = browser.new_context(viewport={"width": width, "height": 1000})
                    page = context.new_page()
                    height, size = capture(
                        page, server.url + PAGES[name], name, args.out, args.max_height, args.max_bytes, width
                    )
                    print(f"{args.out}/{name}: {width} x {height}, {size / 1024:.0f} KiB")
                    context.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
