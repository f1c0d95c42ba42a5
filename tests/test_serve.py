"""The one app-server launcher (serving/): importable without Streamlit, outside the app and the load generator,
and a started server answers and stops whole."""

import ast
import re
import subprocess
import sys
import urllib.request

import pytest

from serving import launcher
from tests.conftest import GOOD


def test_importing_the_launcher_does_not_import_streamlit():
    code = "import sys, serving.launcher, serving.cluster, serving.browser; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=launcher.REPO)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_a_server_starts_answers_and_leaves_nothing_behind(tmp_path):
    with launcher.serve(GOOD, log_path=tmp_path / "app.log") as server:
        url = server.url
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as answer:
            assert answer.status == 200 and answer.read() == b"ok"
        pid = server.process.pid
    assert not server.running()
    alive = subprocess.run(["ps", "-o", "pid=", "-g", str(pid)], capture_output=True, text=True, check=False)
    assert alive.stdout.strip() == ""  # the whole process group is gone


def _imports(folder) -> dict[str, set[str]]:
    """Top-level modules each file under `folder` imports ({"dashboard.settings", "serving.process", …})."""
    found = {}
    for file in sorted((launcher.REPO / folder).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(file.relative_to(launcher.REPO))] = names
    return found


def test_serving_stands_outside_the_app_and_the_load_generator():
    for file, names in _imports("serving").items():
        outside = {n for n in names if n.split(".")[0] in ("dashboard", "loadtest", "bench", "tests", "streamlit")}
        assert outside <= {"dashboard", "dashboard.settings", "dashboard.cli"}, f"{file} imports {outside}"
    for file, names in _imports("dashboard").items():
        assert not {n for n in names if n.split(".")[0] in ("serving", "loadtest", "bench", "tests")}, file


@pytest.mark.parametrize("folder", ["scripts", "bench", "loadtest", "serving"])
def test_no_tool_imports_test_code(folder):
    for file, names in _imports(folder).items():
        assert not {n for n in names if n.split(".")[0] == "tests"}, f"{file} imports test code"


@pytest.mark.parametrize("folder", ["serving", "loadtest"])
def test_the_serving_tools_read_the_environment_through_settings(folder):
    for file in sorted((launcher.REPO / folder).rglob("*.py")):
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"os\.environ\b|os\.getenv\b|getenv\(", text), (
            f"{file.name}: read it through dashboard/settings.py"
        )


def test_the_precompressed_bundle_server_answers_gzip_or_plain_and_nothing_else(tmp_path):
    import gzip
    import threading
    import urllib.error
    import urllib.request

    from serving import assets

    (tmp_path / "js").mkdir()
    script = b"console.log('shell count');\n" * 200
    (tmp_path / "js" / "main.abc123.js").write_bytes(script)
    (tmp_path / "font.woff2").write_bytes(b"\x00font")
    server = assets.make_server(folder=tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    def get(path: str, encoding: str = "identity"):
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers, response.read()

    try:
        headers, body = get("/static/js/main.abc123.js", "gzip, br")
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == script
        assert headers["Content-Type"] == "application/javascript" and "immutable" in headers["Cache-Control"]
        headers, body = get("/shellcount/static/js/main.abc123.js", "gzip;q=0")  # under a base path; gzip refused
        assert "Content-Encoding" not in headers and body == script
        headers, body = get("/static/font.woff2", "gzip")  # compressed formats go as they are
        assert "Content-Encoding" not in headers and body == b"\x00font"
        assert get("/health")[1] == b"ok"
        for missing in ("/static/js/other.js", "/static/../js/main.abc123.js", "/js/main.abc123.js"):
            with pytest.raises(urllib.error.HTTPError, match="404"):
                get(missing)
    finally:
        server.shutdown()
        server.server_close()
