"""Locust users that speak Streamlit's protocol (loadtest/protocol.py): the server's work, not a browser's.

`Visitor` opens a page as a tab does, then every few seconds (think time) does what a reader does:
changes a filter on Output or Data, switches the scale, or follows the navigation. `Idle` opens a page
and then only holds its session open (a tab left in the background). Each script run is reported to
Locust as one request: type "run", name "<action> <page>" (load, update, nav), its time from the
BackMsg sent to `script_finished` received. A failed run (exception shown, error page, no answer, socket
dropped) is reported as a failure, and the user reconnects as the frontend does.

Run it under `python -m loadtest` (which starts the cluster and samples the servers), or plainly:
    locust -f loadtest/locustfile.py --headless -u 100 -r 10 -t 60s -H http://localhost:8501
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import websocket
from locust import User, between, constant, task

from dashboard import settings
from dashboard.present.registry import BY_NAME
from loadtest.protocol import ProtocolError, StreamlitSession

THINK = tuple(float(x) for x in settings.LOADTEST_THINK.get().split(","))
# A visitor's walk, by page name; the paths are the registry's (present/registry.py), so a page that moves is followed.
WALK = {"overview": ("output", 4), "output": ("data", 3), "data": ("claims", 2), "claims": ("overview", 1)}
_PATH = {name: BY_NAME[name].url_path for name in WALK}
START_PAGES = tuple((_PATH[name], weight) for name, (_, weight) in WALK.items())  # (page, weight): where visitors land
NEXT_PAGE = {_PATH[name]: _PATH[following] for name, (following, _) in WALK.items()}
PAGE_NAME = {path: name for name, path in _PATH.items()}
FAILURES = (ProtocolError, OSError, websocket.WebSocketException)


def page_name(page: str) -> str:
    return PAGE_NAME.get(page, page)


class _Streamlit(User):
    abstract = True
    start_pages = START_PAGES

    def on_start(self) -> None:
        self.session = StreamlitSession(self.host, timeout=60)
        pages, weights = zip(*self.start_pages, strict=True)
        self.start_page = random.choices(pages, weights)[0]
        self._run("load", self.start_page, lambda: self.session.open(self.start_page))

    def on_stop(self) -> None:
        self.session.close()

    def _run(self, action: str, page: str, call) -> bool:
        start = time.perf_counter()
        try:
            result = call()
        except FAILURES as exc:
            self._fire(action, page, time.perf_counter() - start, 0, exc)
            self._recover()
            return False
        self._fire(action, page, result.seconds, result.bytes, None, versions=result.versions)
        return True

    def _fire(self, action, page, seconds, size, exc, versions=()) -> None:
        self.environment.events.request.fire(
            request_type="run", name=f"{action} {page_name(page)}", response_time=seconds * 1000,
            response_length=size, exception=exc, context={"versions": set(versions), "user": id(self)},
        )  # fmt: skip

    def _recover(self) -> None:
        """As the frontend does when its socket drops: reconnect (any replica) and rerun the page shown."""
        start = time.perf_counter()
        try:
            result = self.session.reconnect()
        except FAILURES as exc:
            self._fire("reconnect", self.session.page, time.perf_counter() - start, 0, exc)
            return
        self._fire("reconnect", self.session.page, result.seconds, result.bytes, None, versions=result.versions)


class Visitor(_Streamlit):
    wait_time = between(*THINK)

    @task
    def act(self) -> None:
        page = self.session.page
        if self.session.ws is None:
            self._recover()
            return
        roll = random.random()
        if page == "output" and roll < 0.7:
            if roll < 0.45:
                k = random.choice((1, 1, 2))
                self._run("update", page, lambda: self.session.set_multiselect("Subject", self._pick("Subject", k)))
            else:
                scale = "linear" if random.random() < 0.5 else "log"
                self._run("update", page, lambda: self.session.set_radio("Scale", scale))
        elif page == "data" and roll < 0.6:
            self._run("update", page, lambda: self.session.set_multiselect("Measure", self._pick("Measure", 1)))
        else:
            target = NEXT_PAGE[page]
            self._run("nav", target, lambda: self.session.goto(target))

    def _pick(self, label: str, k: int) -> list[str]:
        return random.sample(self.session.options(label), k=k)


class BaselineVisitor(_Streamlit):
    """The same visitor on the bare baseline page (bench/baseline_app.py: one page, one px.scatter): the same think
    time, and each action one page update, as on the app: a new "Stated to" date (a cache miss, as a new filter
    combination is on the app) or the other scale. It tells the framework's cost per visitor from the app's."""

    wait_time = between(*THINK)
    start_pages = (("", 1),)
    first_day, days = date(2022, 1, 1), 4 * 365

    @task
    def act(self) -> None:
        if self.session.ws is None:
            self._recover()
            return
        if random.random() < 0.5:
            day = (self.first_day + timedelta(days=random.randrange(self.days))).isoformat()
            self._run("update", "", lambda: self.session.set_date("Stated to", day))
        else:
            scale = random.choice(("linear", "log"))
            self._run("update", "", lambda: self.session.set_radio("Scale", scale))


class Idle(_Streamlit):
    """A tab left open: one page load, then nothing but the open socket."""

    wait_time = constant(3600)

    @task
    def stay(self) -> None:
        pass
