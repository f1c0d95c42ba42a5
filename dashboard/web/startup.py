"""What the app does once per server process, before its first page runs.

Streamlit runs a full garbage collection after every script run. By the first run the process holds
hundreds of thousands of long-lived objects (Streamlit, pandas and Plotly's modules and validators) that
such a collection scans each time for nothing; freezing them once moves them out of the collector's view
(bench/RESULTS.md measures the post-run collection). Process start-up is the only place this is done: no
library module changes the collector.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_imported_objects() -> None:
    """Once per process: collect what is garbage now, then freeze everything that survived."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect()
    gc.freeze()
