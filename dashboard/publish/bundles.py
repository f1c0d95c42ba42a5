"""Which plotly.js each published figure loads: the smallest bundle that holds every trace type it uses.

The app's charts use scatter traces (markers, lines, error bars, filled bands) with annotations, shapes and log
and date axes, all of which plotly.js's "basic" partial bundle holds (1.2 MB against 4.8 MB for the full one;
~0.33 MB against ~1.1 MB with brotli). It is vendored in assets/ at exactly the plotly.js version the Python
package bundles (assets/README.md says where it came from). A figure with any other trace type (WebGL markers,
`scattergl`, say: the charts drew them past 1,500 points until they drew monthly marks instead) gets the full
bundle shipped with the Python package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import plotly

ASSETS = Path(__file__).parent / "assets"
# The trace modules plotly.js-basic-dist-min registers (its README: "Contains trace modules bar, pie and scatter").
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})
_VERSION = re.compile(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Bundle:
    name: str  # 'basic' or 'full'
    version: str  # the plotly.js version in the file's header
    path: Path
    traces: frozenset[str] | None  # the trace types it can draw; None for every type

    @property
    def asset(self) -> str:
        """Its path below the site root: versioned, so it can be cached for a year and served once to every page."""
        stem = "plotly" if self.name == "full" else f"plotly-{self.name}"
        return f"assets/{stem}-{self.version}.min.js"

    def draws(self, trace_types: set[str]) -> bool:
        return self.traces is None or trace_types <= self.traces


def header_version(path: Path) -> str:
    """The plotly.js version a bundle's licence header states ('plotly.js (basic - minified) v4.1.1' → '4.1.1')."""
    found = _VERSION.search(path.read_text(encoding="utf-8", errors="replace")[:300])
    if not found:
        raise ValueError(f"{path.name}: no plotly.js version in its header")
    return found.group(1)


def full() -> Bundle:
    """The full plotly.js shipped with the plotly package the app draws with."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return Bundle("full", header_version(path), path, None)


def basic() -> Bundle:
    """The vendored basic partial bundle of the same plotly.js version (a test keeps the two versions equal)."""
    (path,) = sorted(ASSETS.glob("plotly-basic-*.min.js"))
    return Bundle("basic", header_version(path), path, BASIC_TRACES)


def trace_types(spec: dict) -> set[str]:
    """The trace types a figure's JSON uses (plotly.js draws a trace without a type as a scatter)."""
    return {str(trace.get("type") or "scatter") for trace in spec.get("data", [])}


def for_figure(spec: dict) -> Bundle:
    """The smallest bundle that draws every trace of this figure."""
    return for_figures([spec])


def for_figures(specs) -> Bundle:
    """The smallest bundle that draws every trace of all these figures (a view's sizes and themes: one page
    loads one bundle whichever of them it draws)."""
    small = basic()
    return small if all(small.draws(trace_types(spec)) for spec in specs) else full()
