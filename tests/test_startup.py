"""Process start-up: the long-lived objects are frozen out of the collector's view once, not on every run."""

import gc

from dashboard.web import startup


def test_freezing_happens_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(startup, "_frozen", False)
    monkeypatch.setattr(startup.gc, "freeze", lambda: calls.append("freeze"))
    startup.freeze_imported_objects()
    startup.freeze_imported_objects()
    assert calls == ["freeze"]


def test_no_library_module_changes_the_collector():
    """Only start-up code (web/startup.py) and the validate command's own process start may touch gc."""
    from tests.conftest import REPO

    allowed = {REPO / "dashboard" / "web" / "startup.py", REPO / "dashboard" / "validate.py"}
    for file in (REPO / "dashboard").rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        if "gc.freeze(" in text or "gc.disable(" in text:
            assert file in allowed, file
            if file.name == "validate.py":  # the command's entry: only when run as a process of its own
                assert text.index("gc.disable(") > text.index('if __name__ == "__main__":'), file
    assert gc.isenabled()  # nothing the suite ran in-process switched the collector off
