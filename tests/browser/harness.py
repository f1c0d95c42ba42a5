"""What the browser tests, the screenshot script and the load test share: start the app, find and
launch the system Chromium, wait for Streamlit to finish a run.

Nothing here downloads a browser: Chromium is Debian's (`apt-get install chromium`), found through
$SHELLCOUNT_CHROMIUM or PATH, and handed to Playwright as `executable_path`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from dashboard.web.pages import PAGES as REGISTERED_PAGES

REPO = Path(__file__).resolve().parents[2]
LIVE_DATA = REPO / "datasets"
CHROMIUM_ENV = "SHELLCOUNT_CHROMIUM"
REQUIRE_ENV = "SHELLCOUNT_REQUIRE_BROWSER"
MISSING_REASON = "Chromium not found: install Debian's chromium (apt-get install chromium) or set SHELLCOUNT_CHROMIUM"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The pages, by the name used for screenshots, and their paths (from the one registry).
PAGES = {page.name: "/" + page.url_path for page in REGISTERED_PAGES}
# Environment that would change what the app shows; each server gets it explicitly or not at all.
_APP_ENV = ("DASHBOARD_DATA_DIR", "DASHBOARD_SEEDS_DIR", "SHELLCOUNT_PUBLIC_URL")
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def find_chromium() -> tuple[str | None, str]:
    """(path to the system Chromium or None, why not found). $SHELLCOUNT_CHROMIUM wins over PATH."""
    configured = os.environ.get(CHROMIUM_ENV, "").strip()
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured, ""
        return None, f"{MISSING_REASON} ({CHROMIUM_ENV}={configured} is not an executable file)"
    found = shutil.which("chromium")
    return (found, "") if found else (None, MISSING_REASON)


def launch_chromium(playwright, executable: str, **kwargs):
    """Playwright's Chromium driver on the system binary; never a downloaded browser."""
    return playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS, headless=True, **kwargs)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    """One `streamlit run dashboard/app.py` in its own process group, stopped with the group."""

    data_dir: Path | None = None
    log_path: Path | None = None
    extra_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # added to the environment; "{url}" becomes the base URL
    base_path: str = ""  # server.baseUrlPath, e.g. "shellcount"
    port: int = 0
    process: subprocess.Popen | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        base = self.base_path.strip("/")
        return f"http://127.0.0.1:{self.port}" + (f"/{base}" if base else "")

    def start(self, timeout: float = 90.0) -> str:
        self.port = self.port or free_port()
        env = {k: v for k, v in os.environ.items() if k not in _APP_ENV}
        if self.data_dir is not None:
            env["DASHBOARD_DATA_DIR"] = str(self.data_dir)
        env.update({k: v.replace("{url}", self.url) for k, v in self.env.items()})
        cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
               "--server.port", str(self.port), "--server.headless", "true", *self.extra_args]  # fmt: skip
        if self.base_path.strip("/"):
            cmd += ["--server.baseUrlPath", self.base_path.strip("/")]
        self._log = open(self.log_path, "wb") if self.log_path else None  # noqa: SIM115 - closed in stop()
        out = self._log if self._log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the app exited with code {self.process.returncode} before it answered\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"the app did not answer /_stcore/health within {timeout:.0f} s\n{self.log_tail()}")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure_running(self) -> str | None:
        """Restart the server on its port if it has exited; returns why it had to, or None."""
        if self.running():
            return None
        code = self.process.returncode if self.process is not None else None
        why = f"the app server on port {self.port} had exited (code {code}); restarted it\n{self.log_tail(10)}"
        self.stop()
        self.start()
        return why

    def stop(self) -> None:
        """SIGTERM to the whole process group (the server and any Chromium kaleido started), then SIGKILL."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if proc is not None:
            # children that outlived the server (kaleido's Chromium) share its group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        if self._log:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def memory_kib(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak resident set) of the server process, in KiB, from /proc."""
        out: dict[str, int] = {}
        if self.process is None:
            return out
        try:
            text = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return out
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
        return out

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (threads included)."""
        if self.process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)

    def group_rss_kib(self) -> int:
        """Resident memory of every process in the server's process group (server + kaleido's Chromium)."""
        if self.process is None:
            return 0
        total = 0
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) != self.process.pid:  # field 5 (pgrp), after pid and (comm)
                    continue
                for line in (status.parent / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except (OSError, IndexError, ValueError):
                continue
        return total


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its current script run and is connected."""
    page.wait_for_selector(IDLE, timeout=timeout)


def open_page(page, url: str, chart: bool = False, timeout: float = 60_000) -> None:
    """Navigate, wait for the script run to finish, and (optionally) for a Plotly chart to draw its traces."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_idle(page, timeout)
    if chart:
        page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=timeout)


def main_content_height(page) -> int:
    """Bottom, in CSS pixels, of Streamlit's main block without its bottom padding (the app scrolls
    inside its own container, so the document's height says nothing)."""
    return int(page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid="stMainBlockContainer"]');
            if (!el) return document.body.scrollHeight;
            const padding = parseFloat(getComputedStyle(el).paddingBottom) || 0;
            return Math.ceil(el.getBoundingClientRect().bottom - padding);
        }"""
    ))  # fmt: skip


def multiselect(page, label: str):
    """The multiselect whose (accessible) label is exactly `label`."""
    return page.locator('[data-testid="stMultiSelect"]').filter(
        has=page.get_by_role("combobox", name=label, exact=True)
    )


def choose_option(page, label: str, option: str, timeout: float = 30_000) -> None:
    """Add `option` to the multiselect labelled `label` and wait until it shows as chosen
    (Streamlit then reruns the script; wait for the URL or wait_idle after this)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # filter the (virtualised) list so the option is rendered
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    multiselect(page, label).locator(f'[data-tag][aria-label="{option}"]').wait_for(timeout=timeout)


def selected_tags(page, label: str) -> list[str]:
    """The values a multiselect shows as chosen."""
    return (
        multiselect(page, label).locator("[data-tag]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    )


def checked_radio(page, label: str) -> str:
    """The visible text of the checked option of the radio group labelled `label`."""
    group = page.get_by_role("radiogroup", name=label, exact=True)
    return group.locator('[data-testid="stRadioOption"]').filter(has=page.locator("input:checked")).inner_text().strip()
