"""Keep a file built by a deferred download button until the browser has fetched it (a Streamlit bug's workaround).

Streamlit 1.67 stores the bytes that a deferred `st.download_button` builds on click attached to no
session, and every script run in any session sweeps unattached files (marked on the first sweep, deleted
on the second): with a few visitors rerunning, a PNG or CSV can vanish between the click and the
browser's GET — a 404 (found by the load test; tests/browser/test_downloads.py reproduces it; the
upstream report is docs/streamlit-deferred-download-404.md). Until Streamlit attaches the file to the
session that asked for it, files born in `execute_deferred` are exempt from the sweep for a while.

The patch touches two private methods of MediaFileManager, so it is applied only to the Streamlit
versions it was written and tested against, and only when those methods are there; anything else
leaves Streamlit as it is and logs one warning (downloads then work as Streamlit ships them).
"""

from __future__ import annotations

import logging
import time

TESTED_VERSIONS = ("1.67.0",)
KEEP_SECONDS = 120.0
_LOG = logging.getLogger(__name__)
_MARK = "_shellcount_fresh"


def apply(manager_class: type | None = None, version: str | None = None, seconds: float = KEEP_SECONDS) -> bool:
    """Patch MediaFileManager once per process; True when the patch is (already) in place."""
    import streamlit
    from streamlit.runtime import media_file_manager

    manager = manager_class or media_file_manager.MediaFileManager
    version = version or streamlit.__version__
    if getattr(manager, _MARK, None) is not None:
        return True
    missing = [name for name in ("execute_deferred", "_get_inactive_file_ids") if not hasattr(manager, name)]
    if version not in TESTED_VERSIONS or missing:
        _LOG.warning(
            "Shell Count's download fix is written for Streamlit %s, not %s%s; left off, so a download may "
            "rarely 404 under load (see docs/streamlit-deferred-download-404.md)",
            " / ".join(TESTED_VERSIONS),
            version,
            f" (missing {', '.join(missing)})" if missing else "",
        )
        return False
    fresh: dict[str, float] = {}  # file id → when it was built; read and written under the manager's lock
    setattr(manager, _MARK, fresh)
    execute_deferred, inactive = manager.execute_deferred, manager._get_inactive_file_ids

    def execute_and_remember(self, file_id: str) -> str:
        with self._lock:
            before = set(self._file_metadata)
        url = execute_deferred(self, file_id)
        now = time.monotonic()
        with self._lock:
            fresh.update(dict.fromkeys(set(self._file_metadata) - before, now))
        return url

    def inactive_except_fresh(self) -> set[str]:  # Streamlit calls this with self._lock held
        now = time.monotonic()
        for file_id, born in list(fresh.items()):
            if now - born > seconds:
                del fresh[file_id]
        return inactive(self) - set(fresh)

    manager.execute_deferred = execute_and_remember
    manager._get_inactive_file_ids = inactive_except_fresh
    return True
