"""Downloads arrive through a real browser and open: PNG at 1280 × 720, SVG with its source line,
and the Data page's CSV holding exactly the rows its filters select."""

from __future__ import annotations

import csv
import io
import struct
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.analysis import filters
from dashboard.data.load import load_dataset
from dashboard.present.url_state import ViewState
from tests.browser.conftest import GOOD
from tests.browser.harness import choose_option, open_page, selected_tags, wait_idle

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def served():
    result = load_dataset(GOOD)
    assert result.ok, f"tests/data/good does not load: {result.problems}"
    return result.dataset


def download(page, button: str, timeout: float = 90_000) -> tuple[str, bytes]:
    """Click a download button and return (suggested file name, bytes)."""
    with page.expect_download(timeout=timeout) as info:
        page.get_by_role("button", name=button, exact=True).click()
    item = info.value
    failure = item.failure()
    assert failure is None, f"download {button!r} failed: {failure}"
    with open(item.path(), "rb") as handle:
        return item.suggested_filename, handle.read()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE, f"not a PNG: {data[:16]!r}"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13, f"first chunk is {chunk!r}, not IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_download_is_a_1280_by_720_png(page, app_url):
    open_page(page, app_url + "/", chart=True)
    name, data = download(page, "PNG (1280 × 720)")
    assert name.endswith(".png"), name
    assert png_size(data) == (1280, 720)
    assert data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"), "PNG is truncated (no IEND chunk)"


def test_svg_download_carries_source_line_and_data_version(page, app_url, served):
    open_page(page, app_url + "/output", chart=True)
    name, data = download(page, "SVG")
    assert name.endswith(".svg"), name
    text = data.decode("utf-8")
    root = ET.fromstring(text)
    assert root.tag.endswith("svg"), root.tag
    words = "".join(root.itertext())
    assert "Source:" in words, "the SVG has no source line"
    assert f"Shell Count data v{served.version}" in words, f"the SVG does not name data version {served.version}"
    assert "Artillery shells a year" in words, "the SVG has no title"


def test_data_page_csv_equals_the_filtered_table(page, app_url, served):
    open_page(page, app_url + "/data")
    choose_option(page, "Subject", "Russia")
    page.wait_for_url("**subject=Russia**")
    wait_idle(page)
    choose_option(page, "Measure", "output")
    page.wait_for_url("**measure=output**")
    wait_idle(page)
    assert selected_tags(page, "Subject") == ["Russia"]
    assert selected_tags(page, "Measure") == ["output"]
    query = parse_qs(urlparse(page.url).query)
    assert query == {"subject": ["Russia"], "measure": ["output"]}, query

    expected = filters.apply(served.claims, ViewState(subject=("Russia",), measure=("output",)))
    assert len(expected) > 1, "the filter should select several rows of the fixture"
    shown = page.get_by_text(f"{len(expected)} of {len(served.claims)} rows.", exact=True)
    assert shown.count() == 1, f"the page does not say '{len(expected)} of {len(served.claims)} rows.'"

    name, data = download(page, "CSV of these rows")
    assert name.endswith(".csv"), name
    text = data.decode("utf-8")
    first, _, body = text.partition("\n")
    assert first.startswith(f"# Shell Count data v{served.version}; {len(expected)} rows;"), first
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == len(expected)
    assert {r["claim_id"] for r in rows} == set(expected["claim_id"])
    assert {r["subject"] for r in rows} == {"Russia"} and {r["measure"] for r in rows} == {"output"}


def test_csv_download_survives_other_sessions_rerunning(new_context, app_url):
    """A download must still arrive when other visitors' pages rerun meanwhile (found by scripts/loadtest.py).

    Streamlit keeps a deferred download's file (`data=<callable>`) unreferenced by any session, and
    every script run of any session sweeps unreferenced downloadables: marked on the first pass,
    deleted on the second. So two reruns elsewhere between the click and the browser's GET turn
    the download into a 404 ("canceled"). Under load (12 sessions) that window is seconds wide.
    Here the window is made deterministic: the server's reply carrying the file's URL is held back
    on the WebSocket while another session reruns twice, then delivered.
    """
    visitor = new_context().new_page()
    other = new_context().new_page()
    held: list[bytes] = []
    sockets: list = []
    armed = {"on": False}

    def route(ws) -> None:
        server = ws.connect_to_server()

        def from_server(message) -> None:
            if armed["on"] and isinstance(message, bytes) and b"/media/" in message:
                held.append(message)  # the deferred file's URL: deliver it later
            else:
                ws.send(message)

        server.on_message(from_server)
        ws.on_message(lambda message: server.send(message))
        sockets.append(ws)

    def rerun_other_twice(subjects: tuple[str, str]) -> None:
        for subject in subjects:
            choose_option(other, "Subject", subject)
            other.wait_for_url(f"**subject=*{subject.replace(' ', '+')}**")
            wait_idle(other)

    visitor.route_web_socket("**/_stcore/stream", route)
    open_page(visitor, app_url + "/data")
    open_page(other, app_url + "/data")
    rerun_other_twice(("Russia", "United States"))  # a file the page registered at its last run must survive this too

    downloads: list = []
    visitor.on("download", lambda download: downloads.append(download))
    armed["on"] = True
    visitor.get_by_role("button", name="CSV of these rows", exact=True).click()
    for _ in range(100):
        if held or downloads:
            break
        visitor.wait_for_timeout(100)
    if held:  # deferred: the file exists now, its URL is on the way; two reruns elsewhere meanwhile
        rerun_other_twice(("United States and Europe", "North Korea"))
        for message in held:
            sockets[0].send(message)
    for _ in range(200):
        if downloads:
            break
        visitor.wait_for_timeout(100)
    assert downloads, "the CSV download never started"
    failure = downloads[0].failure()
    assert failure is None, (
        f"the CSV download failed ({failure}) because other sessions reran between the click and the fetch"
    )
    with open(downloads[0].path(), "rb") as handle:
        assert handle.read().startswith(b"# Shell Count data v")
