"""The system Chromium for Playwright: found, launched, and Streamlit's "run finished" signal.

Nothing here downloads a browser: Chromium is Debian's (`apt-get install chromium`), found through
$SHELLCOUNT_CHROMIUM or PATH, and handed to Playwright as `executable_path`. Used by the browser tests, the
benchmarks and the browser load script, so none of them imports another's code. No Playwright import at
module level: finding the binary must work where Playwright is not installed, to say so clearly.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dashboard import settings

MISSING_REASON = "Chromium not found: install Debian's chromium (apt-get install chromium) or set SHELLCOUNT_CHROMIUM"
BROWSER_ARGS = [
    "--no-sandbox",  # runs as root in containers, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # no update or telemetry traffic in the measured transfers
    "--disable-component-update",
    "--no-first-run",
]
# Streamlit marks its root element when a script run has finished and the socket is connected.
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def find_chromium() -> tuple[str | None, str]:
    """(path to the system Chromium or None, why not found). $SHELLCOUNT_CHROMIUM wins over PATH."""
    configured = settings.CHROMIUM.get()
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured, ""
        return None, f"{MISSING_REASON} ({settings.CHROMIUM.name}={configured} is not an executable file)"
    found = shutil.which("chromium")
    return (found, "") if found else (None, MISSING_REASON)


def launch_chromium(playwright, executable: str, **kwargs):
    """Playwright's Chromium driver (sync or async API) on the system binary; never a downloaded browser."""
    return playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS, headless=True, **kwargs)
