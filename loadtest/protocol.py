"""One visitor's session spoken in Streamlit's own protocol, without a browser.

A browser tab opens the page over HTTP (which is where the balancer's sticky cookie is set), then
holds one WebSocket on `/_stcore/stream`. Everything after that is protobuf: the tab sends `BackMsg`
(a `rerun_script` carrying the URL's query string, the page and the widget values), the server streams
`ForwardMsg` (the session, the navigation, one delta per element) and ends each run with
`script_finished`. This client does exactly that and nothing else, so one load-generator process can
hold hundreds of sessions: it parses the messages to find widgets, errors and the dataset version, and
never renders anything.

Like the browser, it tells the server which large element messages it already holds
(`cached_message_hashes`), so a repeated chart arrives as a reference and not in full.
"""

from __future__ import annotations

import contextlib
import re
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The version string the app writes into its footer and into every figure (markdown-escaped in the footer).
_VERSION = re.compile(rb"Shell Count data v([0-9][0-9.\\]*[0-9])")
_ERROR_PAGE = "did not pass validation"
FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "interrupted by a rerun",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
}


class ProtocolError(RuntimeError):
    """The server answered, but not with what a visitor should see (an exception, the error page, a timeout)."""


@dataclass
class Widget:
    kind: str  # "multiselect", "radio", ...
    id: str
    options: list[str]


@dataclass
class RunResult:
    """What one script run sent: how long it took, what it showed."""

    seconds: float
    messages: int
    bytes: int
    versions: set[str] = field(default_factory=set)
    exceptions: list[str] = field(default_factory=list)
    error_page: bool = False


class StreamlitSession:
    """One tab: `open(page)`, then `set_multiselect` / `set_radio` / `goto`; each waits for the run to finish."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.ws: websocket.WebSocket | None = None
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}  # url_pathname ("" for the default page) → page_script_hash
        self.page = ""
        self.query = ""
        self.widgets: dict[str, Widget] = {}  # by label, for the page shown now
        self.widget_values: dict[str, BackMsg] = {}  # id → the WidgetState last set (the browser re-sends them all)
        self.cached_hashes: set[str] = set()
        self.session_id = ""
        self.last_run: RunResult | None = None

    # ---- connecting ------------------------------------------------------------------------------
    def _http_get(self, path: str) -> None:
        """GET a page as the browser would first: it picks the replica and sets the sticky cookie."""
        request = urllib.request.Request(self.base_url + path, headers=self._cookie_header())
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                self.cookies.update({name: morsel.value for name, morsel in jar.items()})

    def _cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _connect(self) -> None:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"
        headers = [f"{k}: {v}" for k, v in self._cookie_header().items()]
        # The subprotocol list is how the frontend passes tokens: "streamlit", the XSRF token (none: this
        # client has no auth cookie to protect), and the session to resume after a reconnect.
        protocols = ["streamlit", "", self.session_id] if self.session_id else ["streamlit"]
        self.ws = websocket.create_connection(
            url, timeout=self.timeout, subprotocols=protocols, header=headers, origin=f"{parts.scheme}://{parts.netloc}"
        )

    def open(self, page: str = "", query: dict[str, str] | None = None) -> RunResult:
        """Open a page as a new tab does: HTTP GET of the page, the WebSocket, the first run."""
        self.close()
        self.widget_values.clear()
        self.page, self.query = page.strip("/"), urlencode(query or {})
        self._http_get("/" + self.page + (f"?{self.query}" if self.query else ""))
        self._connect()
        return self._rerun(page_script_hash="")

    def reconnect(self) -> RunResult:
        """What the frontend does when its WebSocket drops: connect again (through the balancer, to any
        replica) and rerun the page it shows with the URL and widget values it holds."""
        self.close()
        self._http_get("/" + self.page + (f"?{self.query}" if self.query else ""))
        self._connect()
        return self._rerun(page_script_hash=self.pages.get(self.page, ""))

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(OSError, websocket.WebSocketException):
                self.ws.close(timeout=2)
            self.ws = None

    # ---- actions ---------------------------------------------------------------------------------
    def goto(self, page: str) -> RunResult:
        """Click a page in the navigation: a rerun on that page's script (widgets of the old page are dropped)."""
        self.page, self.query = page.strip("/"), ""
        self.widget_values.clear()
        return self._rerun(page_script_hash=self.pages.get(self.page, ""))

    def set_multiselect(self, label: str, values: list[str]) -> RunResult:
        widget = self._widget(label, "multiselect")
        unknown = [v for v in values if v not in widget.options]
        if unknown:
            raise ProtocolError(f"{label}: no option {unknown} (options: {widget.options[:10]})")
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = widget.id
        state.string_array_value.data.extend(values)
        return self._change(state)

    def set_radio(self, label: str, value: str) -> RunResult:
        widget = self._widget(label, "radio")
        if value not in widget.options:
            raise ProtocolError(f"{label}: no option {value!r} (options: {widget.options})")
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = widget.id
        state.string_value = value
        return self._change(state)

    def set_date(self, label: str, day: str) -> RunResult:
        """Pick one date (YYYY-MM-DD) in a date input, as the browser sends it (a one-element string array)."""
        widget = self._widget(label, "date_input")
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = widget.id
        state.string_array_value.data.append(day)
        return self._change(state)

    def options(self, label: str) -> list[str]:
        return list(self._widget(label).options)

    def _widget(self, label: str, kind: str | None = None) -> Widget:
        widget = self.widgets.get(label)
        if widget is None or (kind and widget.kind != kind):
            raise ProtocolError(f"no {kind or 'widget'} labelled {label!r} on page {self.page!r}")
        return widget

    def _change(self, state) -> RunResult:
        self.widget_values[state.id] = state
        return self._rerun(page_script_hash=self.pages.get(self.page, ""))

    # ---- one script run --------------------------------------------------------------------------
    def _rerun(self, page_script_hash: str) -> RunResult:
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query
        client.page_script_hash = page_script_hash
        client.page_name = self.page
        for state in self.widget_values.values():
            client.widget_states.widgets.add().CopyFrom(state)
        client.cached_message_hashes.extend(sorted(self.cached_hashes))
        context = client.context_info
        context.timezone, context.timezone_offset, context.locale = "UTC", 0, "en-GB"
        context.url = f"{self.base_url}/{self.page}" + (f"?{self.query}" if self.query else "")
        context.is_embedded = False
        self.widgets = {}
        start = time.perf_counter()
        assert self.ws is not None, "open() first"
        try:
            self.ws.send_binary(msg.SerializeToString())
            result = self._read_until_finished(start)
        except (OSError, websocket.WebSocketException) as exc:
            raise ProtocolError(f"connection lost: {type(exc).__name__}: {exc}") from exc
        self.last_run = result
        if result.exceptions:
            raise ProtocolError(f"{self.page or 'overview'}: exception shown: {result.exceptions[0][:200]}")
        if result.error_page:
            raise ProtocolError(f"{self.page or 'overview'}: the dataset error page was shown")
        return result

    def _read_until_finished(self, start: float) -> RunResult:
        result = RunResult(seconds=0.0, messages=0, bytes=0)
        deadline = time.monotonic() + self.timeout
        assert self.ws is not None
        while True:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                data = self.ws.recv()
            except websocket.WebSocketTimeoutException as exc:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from exc
            if not data:
                raise ProtocolError("the server closed the WebSocket")
            if isinstance(data, str):
                raise ProtocolError("unexpected text frame")
            result.messages += 1
            result.bytes += len(data)
            result.versions.update(v.replace(b"\\", b"").decode() for v in _VERSION.findall(data))
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash:
                self.cached_hashes.add(fwd.hash)
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                for p in fwd.navigation.app_pages:
                    if p.is_default:
                        self.pages.setdefault("", p.page_script_hash)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note_element(fwd.delta.new_element, result)
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string  # the app wrote its view into the URL
            elif kind == "page_not_found":
                raise ProtocolError(f"page not found: {self.page!r}")
            elif kind == "script_finished":
                status = FINISHED.get(fwd.script_finished, "unknown")
                if status == "interrupted by a rerun":
                    continue  # a newer run follows on the same socket
                if status != "ok":
                    raise ProtocolError(f"script finished with {status}")
                result.seconds = time.perf_counter() - start
                return result

    def _note_element(self, element, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert" and _ERROR_PAGE in element.alert.body:
            result.error_page = True
        elif kind == "multiselect":
            w = element.multiselect
            self.widgets[w.label] = Widget("multiselect", w.id, list(w.options))
        elif kind == "radio":
            w = element.radio
            self.widgets[w.label] = Widget("radio", w.id, list(w.options))
        elif kind == "date_input":
            w = element.date_input
            self.widgets[w.label] = Widget("date_input", w.id, [])
