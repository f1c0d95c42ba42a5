"""Which plotly.js the site serves: the bundle shipped with the plotly package the app draws with."""

from __future__ import annotations

from pathlib import Path

import plotly


def plotly_js() -> tuple[str, Path]:
    """(version, path) of the full plotly.js bundle shipped with the plotly package the app draws with."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    head = path.read_text(encoding="utf-8", errors="replace")[:200]
    version = head.split("plotly.js v", 1)[1].split()[0] if "plotly.js v" in head else plotly.__version__
    return version, path
