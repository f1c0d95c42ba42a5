"""The one app-server launcher: importable without Streamlit, and a started server answers and stops whole."""

import subprocess
import sys
import urllib.request

import pytest

from dashboard.web import serve
from tests.conftest import GOOD


def test_importing_the_launcher_does_not_import_streamlit():
    code = "import sys, dashboard.web.serve; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=serve.REPO)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_a_server_starts_answers_and_leaves_nothing_behind(tmp_path):
    with serve.serve(GOOD, log_path=tmp_path / "app.log") as server:
        url = server.url
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as answer:
            assert answer.status == 200 and answer.read() == b"ok"
        pid = server.process.pid
    assert not server.running()
    alive = subprocess.run(["ps", "-o", "pid=", "-g", str(pid)], capture_output=True, text=True, check=False)
    assert alive.stdout.strip() == ""  # the whole process group is gone
