"""The deployed topology, tested here for real: Debian's HAProxy with deploy/haproxy.cfg in front of app
replicas (serving/cluster.py, what scripts/run-cluster runs), the release switch (deploy/switch_release.py)
and the protocol-level load user (loadtest/).

The long load and fault runs are scripted (python -m loadtest, docs/LOAD.md); these stay short. They need
the haproxy binary: skipped with the reason where it is missing, failed when CI requires every test to run.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard import settings
from loadtest.protocol import ProtocolError, StreamlitSession
from serving.assets import streamlit_static_dir
from serving.cluster import HAPROXY_CFG, HAPROXY_MISSING, Cluster, find_haproxy, free_port
from serving.process import stop_group
from tests.conftest import GOOD, REPO

SWITCHER = REPO / "deploy" / "switch_release.py"


def _switch_module():
    spec = importlib.util.spec_from_file_location("switch_release", SWITCHER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


switch_release = _switch_module()


@pytest.fixture(scope="module")
def haproxy() -> str:
    found = find_haproxy()
    if found is None:
        if settings.REQUIRE_BROWSER.is_on() or os.environ.get("CI"):
            pytest.fail(HAPROXY_MISSING + " (CI requires it: scripts/setup installs it)")
        pytest.skip(HAPROXY_MISSING)
    return found


def _release_source(tmp: Path, name: str, version: str, note: str) -> Path:
    """A copy of tests/data/good (own seeds/) with its own version and a changed changelog line."""
    target = tmp / name
    shutil.copytree(GOOD, target)
    package_file = target / "datapackage.json"
    package = json.loads(package_file.read_text(encoding="utf-8"))
    package["version"] = version
    package_file.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with open(target / "CHANGELOG.md", "a", encoding="utf-8") as changelog:
        changelog.write(f"\n{note}\n")
    return target


def _broken_source(tmp: Path) -> Path:
    target = tmp / "broken"
    shutil.copytree(GOOD, target)
    claims = target / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    assert ",2025-07-05," in text, "tests/data/good changed; update _broken_source"
    claims.write_text(text.replace(",2025-07-05,", ",2025-02-30,", 1), encoding="utf-8")
    return target


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(folder)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


# ---- the configuration --------------------------------------------------------------------------------
def _haproxy_check(haproxy: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [haproxy, "-c", "-f", str(HAPROXY_CFG)],
        env={"PATH": os.environ.get("PATH", "")} | env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_haproxy_config_passes_check_for_compose_and_for_the_local_cluster(haproxy):
    local = _haproxy_check(
        haproxy, LISTEN_ADDR="127.0.0.1:8501", APP1_ADDR="127.0.0.1:8601", APP2_ADDR="127.0.0.1:8602"
    )
    assert local.returncode == 0, local.stdout + local.stderr
    # Compose: replicas by service name (resolved at run time, so unresolvable here is only a warning)
    compose = _haproxy_check(
        haproxy, LISTEN_ADDR=":8501", STATS_ADDR=":8404", APP1_ADDR="app1:8501", APP2_ADDR="app2:8501",
        APP3_ADDR="app3:8501",
    )  # fmt: skip
    assert compose.returncode == 0, compose.stdout + compose.stderr
    assets = _haproxy_check(
        haproxy, LISTEN_ADDR="127.0.0.1:8501", APP1_ADDR="127.0.0.1:8601", ASSETS_ADDR="127.0.0.1:8602"
    )
    assert assets.returncode == 0, assets.stdout + assets.stderr
    # the check really reads the file: without a replica address it is an error
    missing = _haproxy_check(haproxy, LISTEN_ADDR=":8501")
    assert missing.returncode != 0


def test_compose_file_uses_the_same_haproxy_config_and_health_checks():
    compose = (REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in compose
    assert compose.count("APP1_ADDR") == 1 and "APP3_ADDR" in compose
    assert "ASSETS_ADDR: assets:8502" in compose and '"serving.assets", "--port", "8502"' in compose
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "HEALTHCHECK" in dockerfile and "/_stcore/health" in dockerfile
    assert "\nUSER " in dockerfile and "python:3.11-slim" in dockerfile


# ---- the release switch ----------------------------------------------------------------------------------
def test_release_switch_is_atomic_a_reader_never_sees_a_half_written_dataset(tmp_path):
    a = _release_source(tmp_path, "a", "1.0.0", "release a")
    b = _release_source(tmp_path, "b", "1.1.0", "release b")
    root = tmp_path / "root"
    ok, message = switch_release.switch(root, a)
    assert ok, message
    expected = {_digest((root / "current").resolve())}
    seen: list[str] = []
    bad: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        # what the app does: resolve `current` once, then read that release folder
        while not stop.is_set():
            release = (root / "current").resolve()
            if release.name.startswith("."):
                bad.append(f"a staging folder was current: {release.name}")
            seen.append(_digest(release))
            time.sleep(0.002)  # let the switcher run too (the GIL)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for source in (b, a, b):
            ok, message = switch_release.switch(root, source)
            assert ok, message
            expected.add(_digest((root / "current").resolve()))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not bad
    assert len(seen) > 20, "the reader hardly ran; the test proves nothing"
    # every read is one complete release (each switch makes a new folder)
    unknown = [d for d in seen if d not in expected]
    assert not unknown, f"{len(unknown)} of {len(seen)} reads saw a dataset that is no complete release"
    assert len(set(seen)) >= 2
    assert len(list((root / "releases").iterdir())) <= 4, "old releases are pruned (current + 3 kept)"


def test_a_broken_release_is_refused_and_the_current_one_keeps_serving(tmp_path):
    good = _release_source(tmp_path, "a", "1.0.0", "release a")
    root = tmp_path / "root"
    assert switch_release.switch(root, good)[0]
    before = os.readlink(root / "current")
    done = subprocess.run([sys.executable, str(SWITCHER), str(root), str(_broken_source(tmp_path))],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 1
    assert "release refused" in done.stderr and "2025-02-30 is not a real calendar date" in done.stderr
    assert os.readlink(root / "current") == before
    assert not [p for p in (root / "releases").iterdir() if p.name.startswith(".staging")]


# ---- a live cluster --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def release_root(tmp_path_factory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("releases")
    a = _release_source(tmp, "a", "1.0.0", "release a")
    b = _release_source(tmp, "b", "1.1.0", "release b")
    root = tmp / "root"
    assert switch_release.switch(root, a)[0]
    return root, a, b


@pytest.fixture(scope="module")
def cluster(haproxy, release_root, tmp_path_factory):
    root, _, _ = release_root
    log_dir = tmp_path_factory.mktemp("cluster")
    instance = Cluster(replicas=2, port=free_port(), data_dir=root / "current", log_dir=log_dir)
    instance.start()
    yield instance
    instance.stop()
    assert not any(r.running() for r in instance.members) and instance.haproxy.poll() is not None


@pytest.mark.slow
def test_cluster_serves_through_haproxy_with_sticky_sessions(cluster):
    assert cluster.backend_status() == {"app1": "UP", "app2": "UP"}
    session = StreamlitSession(cluster.local_url)
    run = session.open("output", {"subject": "Russia"})
    assert run.versions == {"1.0.0"}
    assert session.cookies.get("SHELLCOUNT_REPLICA") in ("app1", "app2")
    assert "Subject" in session.widgets
    run = session.set_radio("Scale", "linear")
    assert run.messages > 5
    session.close()


@pytest.mark.slow
def test_protocol_load_user_completes_page_loads_under_locust(cluster, tmp_path):
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, "-m", "loadtest", "--url", cluster.local_url, "--users", "3", "--seconds", "6",
         "--spawn-rate", "3", "--think", "0.5,1", "--warm", "0", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    step = json.loads(out.read_text())["steps"][0]
    assert step["runs"] >= 3 and step["failures"] == 0
    assert any(name.startswith(("update", "nav")) for name in step["by_name"])


@pytest.mark.slow
def test_capacity_side_by_side_runs_the_same_visitor_on_the_baseline_and_the_app(haproxy, tmp_path):
    out = tmp_path / "compare.json"
    done = subprocess.run(
        [sys.executable, "-m", "loadtest", "--compare", "--steps", "2", "--step-seconds", "4", "--spawn-rate", "2",
         "--think", "0.5,1", "--idle", "2", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(out.read_text())
    for name in ("baseline", "app"):
        target = report["targets"][name]
        step = target["steps"][0]
        assert step["runs"] >= 2 and step["failures"] == 0, (name, step)
        assert any(run.startswith("update") for run in step["by_name"]), (name, step["by_name"])
        assert target["cpu_ms_per_run"] and target["memory"]["idle_kib_per_session"] is not None
    assert "loadavg_start" in report["machine"]


@pytest.mark.slow
def test_new_release_reaches_open_sessions_whole_and_a_run_shows_one_version(cluster, release_root):
    root, _, b = release_root
    session = StreamlitSession(cluster.local_url)
    assert session.open("").versions == {"1.0.0"}
    ok, message = switch_release.switch(root, b)
    assert ok, message
    assert session.goto("output").versions == {"1.1.0"}
    session.close()


@pytest.mark.slow
def test_cluster_loses_a_replica_and_still_serves_the_same_view(cluster):
    session = StreamlitSession(cluster.local_url)
    session.open("output", {"subject": "Russia", "scale": "linear"})
    session.set_multiselect("Subject", ["Russia", "United States"])
    view = session.query  # the URL the app wrote for this view
    assert "subject=Russia" in view and "United" in view and "scale=linear" in view
    mine = session.cookies["SHELLCOUNT_REPLICA"]
    victim = cluster.replica(mine)
    killed = time.monotonic()
    victim.kill()
    with pytest.raises(ProtocolError, match=r"connection lost|closed"):
        session.set_radio("Scale", "log")  # the socket to the dead replica is gone
    while cluster.backend_status().get(mine) == "UP":
        assert time.monotonic() - killed < 10, "HAProxy did not mark the dead replica down within 10 s"
        time.sleep(0.1)
    down_after = time.monotonic() - killed
    assert down_after < 6, f"marked down after {down_after:.1f} s; the checks should take about 2.5 s"
    # the tab reconnects (sticky cookie names the dead replica: HAProxy redispatches) and reruns its view
    session.reconnect()
    assert session.cookies["SHELLCOUNT_REPLICA"] != mine
    assert session.query == view, "the view changed across the reconnect"
    assert "Subject" in session.widgets
    session.close()
    fresh = StreamlitSession(cluster.local_url)
    fresh.open("data")
    fresh.close()
    cluster.restart(mine)
    deadline = time.monotonic() + 15
    while cluster.backend_status().get(mine) != "UP":
        assert time.monotonic() < deadline, "the restarted replica did not come back UP"
        time.sleep(0.2)


def _get(url: str, encoding: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:  # urllib never decodes: the bytes as sent
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def _assert_compressed(cluster: Cluster, path: str) -> None:
    """Through the balancer: gzip when asked for, the same bytes as the replica serves once decompressed."""
    _, original = _get(cluster.members[0].url + path, "identity")  # a replica itself, bypassing HAProxy
    plain_headers, plain = _get(cluster.local_url + path, "identity")
    packed_headers, packed = _get(cluster.local_url + path, "gzip, deflate, br")
    assert "content-encoding" not in plain_headers and plain == original, path
    assert packed_headers.get("content-encoding") == "gzip", (path, packed_headers)
    assert gzip.decompress(packed) == original, path
    assert len(packed) < len(original) / 2, f"{path}: {len(packed):,} of {len(original):,} bytes"


@pytest.mark.slow
def test_the_balancer_compresses_the_page_and_the_bundle_with_or_without_the_precompressed_copy(cluster):
    # Last in this file: it stops the cluster's precompressed-assets server.
    plotly = "/static/js/" + next(streamlit_static_dir().glob("js/PlotlyChart.*.js")).name  # the biggest chunk
    assert cluster.backend_status("assets") == {"assets": "UP"}
    for path in ("/", "/output", plotly):  # the page shell (HAProxy's gzip) and the chunk (gzip -9 once)
        _assert_compressed(cluster, path)
    stop_group(cluster.assets)
    while cluster.backend_status("assets").get("assets") == "UP":
        time.sleep(0.2)
    _assert_compressed(cluster, plotly)  # now from the replicas, gzipped by HAProxy
