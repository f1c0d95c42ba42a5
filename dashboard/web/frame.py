"""The frame around every page: the dataset check, the error and not-found pages, the footer, and the links.

`app.py` builds the navigation from the registry with `navigation(renderers)`: each page's `entry(page, render)`
checks the dataset (a page that would show an invalid dataset shows the validator's problems instead), calls
`render(page, data)` and adds the footer. Caching lives here, at the edge, with every input passed in explicitly: `memo(data, builder, …)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

import streamlit as st

from dashboard import settings
from dashboard.data import paths
from dashboard.data.csvfile import Problem
from dashboard.data.load import Dataset, load_dataset
from dashboard.present.registry import BY_NAME, PAGES, URL_PATHS, Page
from dashboard.web import show

Renderer = Callable[[Page, "Data"], None]


@dataclass(frozen=True)
class Data:
    """The validated dataset and the key its caches use (folder, fingerprint of its files)."""

    dataset: Dataset
    key: tuple[str, str]

    @property
    def version(self) -> str:
        return self.dataset.version

    @property
    def license(self) -> str:
        return self.dataset.package.license


def _fingerprint(folder: Path) -> str:
    """What the caches key on: a digest of the size and mtime of every dataset file and excerpt (a short
    string, because every cached call hashes its key)."""
    files = sorted(p for p in folder.glob("*") if p.is_file())
    seeds = paths.seeds_dir(folder)
    if seeds.is_dir():
        files += sorted(p for p in seeds.rglob("*.txt"))
    out = []
    for f in files:
        try:
            stat = f.stat()
        except OSError:
            continue
        out.append((str(f), stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(repr(out).encode()).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=4)
def _checked_dataset(folder: str, fingerprint: str) -> tuple[Dataset | None, list[Problem]]:
    # cache_resource, not cache_data: the frames are read-only here and copying 100,000 rows on every
    # rerun would cost more than the rest of the page (bench/RESULTS.md).
    result = load_dataset(Path(folder))
    return result.dataset, result.problems


def dataset() -> Data | None:
    """The validated dataset, or None after showing the validator's problems in place of the page."""
    folder = paths.data_dir()
    if not folder.is_dir():
        _error_page([Problem(str(folder), 1, "", "dataset folder does not exist; check DASHBOARD_DATA_DIR")])
        return None
    key = (str(folder.resolve()), _fingerprint(folder))
    with st.spinner("Checking and loading the dataset…"):
        data, problems = _checked_dataset(*key)
    if data is None or problems:
        _error_page(problems)
        return None
    return Data(data, key)


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)  # bounded: a 100k-row view model is tens of MB
def _memo(name: str, folder: str, fingerprint: str, args: tuple, _builder: Callable):
    # `_builder` is not hashed: `name` stands for it.
    data, _ = _checked_dataset(folder, fingerprint)
    return _builder(data, *args)


def memo(data: Data, builder: Callable, *args):
    """builder(dataset, *args), computed once per dataset version and `args` (a page model). The result is
    shared, not copied: treat it as read-only."""
    return _memo(f"{builder.__module__}.{builder.__qualname__}", *data.key, args, builder)


def _error_page(problems: list[Problem]) -> None:
    st.error(
        "The dataset did not pass validation, so no figures are shown. "
        "A maintainer can fix each problem below (file, line, column, what to do) and run "
        "`python -m dashboard.validate` to check."
    )
    show.problem_list(problems)


# ---- the frame -----------------------------------------------------------------------------------
def entry(page: Page, render: Renderer) -> Callable[[], None]:
    """The function st.navigation runs for `page`: dataset check, the page, the footer."""

    def run() -> None:
        data = dataset()
        if data is None:
            return
        render(page, data)
        footer(data)

    run.__name__ = page.name  # Streamlit names a function page's script hash after it
    return run


def navigation(renderers: dict[str, Renderer]):
    """The app's navigation over the registry's pages; on an unknown path, a not-found page instead."""
    pages = {
        page.name: st.Page(entry(page, renderers[page.name]), title=page.title, icon=page.icon,
                           url_path=page.url_path or page.name, default=page.default)
        for page in PAGES
    }  # fmt: skip
    chosen = st.navigation(list(pages.values()), position="top")
    if page_path() not in URL_PATHS:
        return _NotFound(page_path(), pages)
    return chosen


@dataclass(frozen=True)
class _NotFound:
    """A mistyped link: say so and link the real pages. Nothing else runs, so no chart, file or citation carries
    the unknown path. (Streamlit itself picked the default page for it.)"""

    path: str
    pages: dict

    def run(self) -> None:
        st.title("Page not found")
        shown = self.path if len(self.path) <= 80 else self.path[:80] + "…"
        st.markdown(f"There is no page at **/{show.md_escape(shown)}**. The pages of Shell Count are:")
        for page in PAGES:
            st.page_link(self.pages[page.name], label=page.title, icon=page.icon)


def link_to(
    page_name: str, label: str, query: dict[str, str] | None = None, icon: str | None = None, help: str | None = None
) -> None:
    """A link to another page of the registry (with a view in its query), opened inside the app. Streamlit knows a
    function page by its URL path, so a page object with the same path stands in for the navigation's own."""
    page = BY_NAME[page_name]

    def target() -> None:  # never run: it only names the page
        return None

    target.__name__ = page.name
    st.page_link(st.Page(target, title=page.title, url_path=page.url_path or page.name, default=page.default),
                 label=label, query_params=query, icon=icon or page.icon, help=help)  # fmt: skip


def footer(data: Data) -> None:
    updated = f" · updated {data.dataset.updated}" if data.dataset.updated else ""
    st.divider()
    st.caption(
        f"Shell Count data v{show.md_escape(data.version)}{show.md_escape(updated)} · licence "
        f"{show.md_escape(data.license)} · every figure links to the page it was read on · see *Method & sources* "
        "for how to cite"
    )


# ---- where this page is, and links to it ---------------------------------------------------------
def browser_url() -> str:
    """The URL the browser shows (without the query)."""
    return st.context.url or ""


def page_path() -> str:
    """This page's path below the app's root ('' on the Overview), whatever the baseUrlPath."""
    path = urlparse(browser_url()).path.strip("/")
    root = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root) :].strip("/")
    return path


def permalink(query: dict[str, str]) -> str:
    """The public link to this page and view: $SHELLCOUNT_PUBLIC_URL + page + query, else the browser's URL."""
    public = settings.PUBLIC_URL.get()
    page = page_path()
    known = page in URL_PATHS  # an unknown path never goes into a link, file or citation
    if public:
        base = public.rstrip("/") + "/" + page if page and known else public
    elif known:
        base = browser_url() or "http://localhost:8501/"
    else:
        url = urlparse(browser_url() or "http://localhost:8501/")
        root = str(st.get_option("server.baseUrlPath") or "").strip("/")
        base = f"{url.scheme}://{url.netloc}/" + (root + "/" if root else "")
    return base + ("?" + urlencode(query) if query else "")
