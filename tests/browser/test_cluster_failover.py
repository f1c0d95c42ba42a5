"""A reader on a filtered view whose replica dies: the real browser reconnects through HAProxy to the
other replica and shows the same view (the view lives in the URL and in the widget values the tab resends).

Two replicas of the app on the live dataset behind Debian's HAProxy with deploy/haproxy.cfg (the set-up
scripts/run-cluster starts); the replica is killed with SIGKILL, as a crash would.
"""

from __future__ import annotations

import os
import time
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import settings
from serving.cluster import HAPROXY_MISSING, Cluster, find_haproxy, free_port
from tests.browser.harness import IDLE, checked_radio, open_page, selected_tags

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VIEW = {"subject": ["Russia"], "scale": ["linear"]}


@pytest.fixture(scope="module")
def cluster(chromium_path, tmp_path_factory):
    if find_haproxy() is None:
        if settings.REQUIRE_BROWSER.is_on() or os.environ.get("CI"):
            pytest.fail(HAPROXY_MISSING + " (CI requires it: scripts/setup installs it)")
        pytest.skip(HAPROXY_MISSING)
    instance = Cluster(replicas=2, port=free_port(), log_dir=tmp_path_factory.mktemp("cluster"))
    instance.start()
    yield instance
    instance.stop()


def replica_of(context) -> str:
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    return cookies.get("SHELLCOUNT_REPLICA", "")


def test_a_filtered_view_survives_its_replica_dying(new_context, cluster):
    context = new_context()
    page = context.new_page()
    open_page(page, cluster.local_url + "/output?subject=Russia&scale=linear", chart=True)
    assert selected_tags(page, "Subject") == ["Russia"]
    mine = replica_of(context)
    assert mine in ("app1", "app2"), context.cookies()

    killed = time.monotonic()
    cluster.replica(mine).kill()
    # the tab notices its socket is gone, then reconnects through the balancer to the live replica
    page.wait_for_selector('[data-testid="stApp"]:not([data-test-connection-state="CONNECTED"])', timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=60_000)
    print(f"\nfailover: the view was back {time.monotonic() - killed:.1f} s after its replica was killed")

    assert parse_qs(urlparse(page.url).query) == VIEW, page.url
    assert selected_tags(page, "Subject") == ["Russia"]
    assert checked_radio(page, "Scale") == "linear"
    assert page.locator('[data-testid="stException"]').count() == 0
    other = replica_of(context)
    assert other != mine, f"still on the dead replica {mine}?"
    cluster.restart(mine)
