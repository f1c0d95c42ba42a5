"""Process start-up: the long-lived objects are frozen out of the collector's view once, not on every run."""

import gc
import subprocess
import sys

# A fresh interpreter (the test process has run app.py through AppTest, so its objects are frozen already): the
# first call freezes what is alive, a second one, with a thousand new containers alive, freezes nothing more.
ONCE = """
import gc
from dashboard.web import startup
startup.freeze_imported_objects()
first = gc.get_freeze_count()
alive = [[] for _ in range(1000)]
startup.freeze_imported_objects()
print(first, gc.get_freeze_count(), gc.isenabled())
"""


def test_freezing_happens_once_per_process():
    from tests.conftest import REPO

    done = subprocess.run([sys.executable, "-c", ONCE], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    first, second, enabled = done.stdout.split()
    assert int(first) > 1000, "the first call freezes the objects alive at start-up"
    assert int(second) == int(first), "a second call must not freeze the objects made since"
    assert enabled == "True", "freezing never switches the collector off"


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
