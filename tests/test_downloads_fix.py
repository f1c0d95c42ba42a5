"""The deferred-download workaround: applied only to the Streamlit it was written for, and correct when applied."""

import logging
import threading

import streamlit
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard.web import downloads_fix
from tests.conftest import REPO


class FakeManager:
    """The two private methods the fix wraps, with the state they touch."""

    def __init__(self):
        self._lock = threading.Lock()
        self._file_metadata: dict[str, object] = {"old": object()}

    def execute_deferred(self, file_id: str) -> str:
        self._file_metadata[f"built-{file_id}"] = object()
        return f"/media/built-{file_id}"

    def _get_inactive_file_ids(self) -> set[str]:
        return set(self._file_metadata)  # nothing is attached to a session here


def fresh_class():
    return type("Manager", (FakeManager,), {})


def test_fresh_files_are_spared_by_the_sweep_until_they_expire(monkeypatch):
    manager = fresh_class()
    assert downloads_fix.apply(manager, version=downloads_fix.TESTED_VERSIONS[0], seconds=60)
    instance = manager()
    clock = [1000.0]
    monkeypatch.setattr(downloads_fix.time, "monotonic", lambda: clock[0])
    assert instance.execute_deferred("a") == "/media/built-a"
    with instance._lock:
        assert instance._get_inactive_file_ids() == {"old"}  # the new file survives the sweep
    clock[0] += 61
    with instance._lock:
        assert instance._get_inactive_file_ids() == {"old", "built-a"}  # and is swept once it expired


def test_applied_once_per_class():
    manager = fresh_class()
    assert downloads_fix.apply(manager, version=downloads_fix.TESTED_VERSIONS[0])
    wrapped = manager.execute_deferred
    assert downloads_fix.apply(manager, version=downloads_fix.TESTED_VERSIONS[0])
    assert manager.execute_deferred is wrapped


def test_another_streamlit_version_is_left_alone_with_a_warning(caplog):
    manager = fresh_class()
    original = manager.execute_deferred
    with caplog.at_level(logging.WARNING, logger=downloads_fix.__name__):
        assert not downloads_fix.apply(manager, version="9.99.0")
    assert manager.execute_deferred is original
    assert "9.99.0" in caplog.text and "left off" in caplog.text


def test_a_renamed_private_method_is_left_alone_with_a_warning(caplog):
    manager = type("Renamed", (), {"execute_deferred": FakeManager.execute_deferred})
    with caplog.at_level(logging.WARNING, logger=downloads_fix.__name__):
        assert not downloads_fix.apply(manager, version=downloads_fix.TESTED_VERSIONS[0])
    assert "_get_inactive_file_ids" in caplog.text
    assert not hasattr(manager, "_get_inactive_file_ids")


def test_the_pinned_streamlit_is_a_tested_version_and_gets_the_fix():
    pinned = next(
        line.split("==")[1]
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if line.startswith("streamlit==")
    )
    assert pinned == streamlit.__version__ and pinned in downloads_fix.TESTED_VERSIONS
    assert downloads_fix.apply()
    assert getattr(MediaFileManager, "_shellcount_fresh", None) is not None
