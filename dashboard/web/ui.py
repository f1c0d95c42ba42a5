"""The Streamlit edge shared by every page: cached data, the error page, URL state, footer, downloads.

Pages stay thin by calling these. This is the only module besides app.py and pages/ that imports
streamlit; caching lives here, at the edge, with every input passed in explicitly.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.data import paths, schema
from dashboard.data.csvfile import Problem
from dashboard.data.load import Dataset, load_dataset
from dashboard.data.validate import validate_dataset
from dashboard.present import captions, export, url_state
from dashboard.present.view_models import ChartModel

PUBLIC_URL_ENV = "SHELLCOUNT_PUBLIC_URL"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&])")


def md_escape(text: object) -> str:
    """Text from data or the URL made inert for st.markdown (no links, HTML, LaTeX or colour directives)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


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
    report = validate_dataset(Path(folder))
    if not report.valid:
        return None, report.problems
    result = load_dataset(Path(folder))
    # Streamlit runs a full garbage collection after every script run; moving the (long-lived) dataset out
    # of the collector's view saves ~100 ms per rerun (bench/RESULTS.md). Runs once per dataset version.
    gc.collect()
    gc.freeze()
    return result.dataset, result.problems


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)  # bounded: a 100k-row view model is tens of MB
def _memo(name: str, folder: str, fingerprint: str, args: tuple, _builder: Callable, _derived: tuple):
    # Underscored parameters are not hashed: `name` stands for the builder, and `_derived` holds values
    # computed from this same dataset version (already part of the key), so hashing them would only cost.
    data, _ = _checked_dataset(folder, fingerprint)
    return _builder(data, *args, *_derived)


def memo(builder: Callable, *args, derived: tuple = ()):
    """builder(dataset, *args, *derived), computed once per dataset version and `args` (a page model).

    `derived` are values computed from the same dataset (e.g. another memo's result): passed along, not
    hashed. The result is shared, not copied: treat it as read-only."""
    folder, fingerprint = st.session_state["_dataset_key"]
    return _memo(f"{builder.__module__}.{builder.__qualname__}", folder, fingerprint, args, builder, derived)


def dataset() -> Dataset:
    """The validated dataset, or an error page listing the validator's problems (then the page stops)."""
    folder = paths.data_dir()
    if not folder.is_dir():
        _error_page([Problem(str(folder), 1, "", "dataset folder does not exist; check DASHBOARD_DATA_DIR")])
    key = (str(folder.resolve()), _fingerprint(folder))
    with st.spinner("Checking and loading the dataset…"):
        data, problems = _checked_dataset(*key)
    st.session_state["_dataset_key"] = key
    if data is None or problems:
        _error_page(problems)
    return data


def _error_page(problems: list[Problem]) -> None:
    st.error(
        "The dataset did not pass validation, so no figures are shown. "
        "A maintainer can fix each problem below (file, line, column, what to do) and run "
        "`python -m dashboard.validate` to check."
    )
    table = pd.DataFrame(
        [(p.path, p.line, p.column, p.message) for p in problems], columns=["file", "line", "column", "problem"]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.stop()


def footer(data: Dataset) -> None:
    updated = f" · updated {data.updated}" if data.updated else ""
    st.divider()
    st.caption(
        f"Shell Count data v{md_escape(data.version)}{md_escape(updated)} · licence {md_escape(data.package.license)} · "
        "every figure links to the page it was read on · see *Method & sources* for how to cite"
    )


# ---- URL state ----------------------------------------------------------------------------------
def view_state(page: str, keys: list[str]) -> url_state.ViewState:
    """This page's view state from the URL on its first run in the session; shows notices for bad values."""
    marker = f"{page}__from_url"
    if marker not in st.session_state:
        parsed, notices = url_state.parse(_query_dict(), schema.reference_package(), keys)
        st.session_state[marker] = parsed
        for notice in notices:
            st.toast(notice, icon="ℹ️")
        st.session_state[f"{page}__notices"] = notices
        for name in _fields_for(keys):
            st.session_state[f"{page}_{name}"] = _widget_value(getattr(parsed, name))
    for notice in st.session_state.get(f"{page}__notices", []):
        st.info(notice, icon="ℹ️")
    return st.session_state[marker]


def _query_dict() -> dict[str, list[str]]:
    params = st.query_params
    return {key: params.get_all(key) for key in params}


def _fields_for(keys: list[str]) -> list[str]:
    return [url_state.FIELD_FOR_KEY[k] for k in keys]


def _widget_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def current_state(page: str, keys: list[str]) -> url_state.ViewState:
    """The state the widgets hold now (after the user changed them)."""
    values = {}
    for name in _fields_for(keys):
        value = st.session_state.get(f"{page}_{name}")
        if isinstance(value, list):
            value = tuple(value)
        if name in ("start", "end") and value is not None and not isinstance(value, date):
            value = None
        values[name] = value if value is not None else getattr(url_state.DEFAULT, name)
    return replace(url_state.DEFAULT, **values)


def sync_url(view: url_state.ViewState, keys: list[str]) -> str:
    """Write the view into the URL so a copied link reopens it; returns the permalink."""
    query = url_state.to_query(view, keys)
    if dict(_query_flat()) != query:
        st.query_params.from_dict(query)
    return permalink(query)


def _query_flat() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params}


def _page_path() -> str:
    """This page's path below the app's root ('' on the Overview), whatever the baseUrlPath."""
    path = urlparse(st.context.url or "").path.strip("/")
    root = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root) :].strip("/")
    return path


def permalink(query: dict[str, str]) -> str:
    """The public link to this page and view: $SHELLCOUNT_PUBLIC_URL + page + query, else the browser's URL."""
    public = os.environ.get(PUBLIC_URL_ENV, "").strip()
    if public:
        page = _page_path()
        base = public.rstrip("/") + "/" + page if page else public
    else:
        base = st.context.url or "http://localhost:8501/"
    return base + ("?" + urlencode(query) if query else "")


# ---- figures and downloads ----------------------------------------------------------------------
def show_chart(fig: go.Figure, key: str) -> None:
    st.plotly_chart(
        fig,
        width="stretch",
        theme=None,  # our own template, so the screen and the exported file look the same
        key=key,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}},
    )


def text_alternative(chart: ChartModel) -> None:
    """The chart in words and as a table, for screen readers and for anyone who prefers numbers."""
    st.markdown(md_escape(chart.summary))
    with st.expander("The chart's data as a table"):
        if chart.note:
            st.caption(md_escape(chart.note))
        st.dataframe(chart.table, hide_index=True, width="stretch")


def downloads(data: Dataset, chart: ChartModel, name: str, link: str) -> None:
    """PNG, SVG, CSV, HTML and a citation for one chart; every file is built only when its button is pressed."""
    header = f"Shell Count data v{data.version}; {len(chart.rows)} rows; view: {link}; licence {data.package.license}"
    fig = chart.figure
    chromium = export.find_chromium()
    cols = st.columns(4)
    base = [name, "v" + data.version]
    with cols[0]:
        st.download_button("PNG (1280 × 720)", data=_deferred(export.image_bytes, fig, "png"), file_name=export.safe_filename(*base, extension="png"),
                           mime="image/png", key=f"{name}_png", disabled=chromium is None, on_click="ignore", icon=":material/image:")  # fmt: skip
    with cols[1]:
        st.download_button("SVG", data=_deferred(export.image_bytes, fig, "svg"), file_name=export.safe_filename(*base, extension="svg"),
                           mime="image/svg+xml", key=f"{name}_svg", disabled=chromium is None, on_click="ignore", icon=":material/draw:")  # fmt: skip
    with cols[2]:
        st.download_button("CSV of these rows", data=_deferred(lambda: export.csv_bytes(captions.display_table(chart.rows), header)), file_name=export.safe_filename(*base, extension="csv"),
                           mime="text/csv", key=f"{name}_csv", on_click="ignore", icon=":material/table:")  # fmt: skip
    with cols[3]:
        st.download_button("Interactive HTML", data=_deferred(export.html_bytes, fig), file_name=export.safe_filename(*base, extension="html"),
                           mime="text/html", key=f"{name}_html", on_click="ignore", icon=":material/code:")  # fmt: skip
    if chromium is None:
        st.warning(
            "PNG and SVG export is off on this server because Chromium is not installed "
            "(apt-get install chromium). The camera icon in the chart's toolbar still downloads a PNG.",
            icon="⚠️",
        )
    citation = export.Citation(title=chart.title, version=data.version, url=link, accessed=date.today())
    with st.expander("Cite this chart"):
        st.code(citation.plain(), language=None, wrap_lines=True)
        st.code(citation.bibtex(), language="bibtex")


def _keep_fresh_downloads(seconds: float = 120.0) -> None:
    """Keep a file built by a deferred download button until the browser has fetched it.

    Streamlit 1.67 stores such a file attached to no session, and every script run in any session
    sweeps unattached files (marked on the first sweep, deleted on the second): with a few visitors
    rerunning, a PNG or CSV can vanish between the click and the browser's GET (a 404, found by the
    load test; tests/browser/test_downloads.py reproduces it). Until Streamlit attaches the file to
    the session that asked for it, files born in execute_deferred are exempt from the sweep for
    `seconds`. Pinned to the Streamlit version in requirements.txt; the browser test guards it."""
    from streamlit.runtime import media_file_manager as mfm

    manager = mfm.MediaFileManager
    if getattr(manager, "_shellcount_fresh", None) is not None:
        return
    manager._shellcount_fresh = fresh = {}
    execute_deferred, inactive = manager.execute_deferred, manager._get_inactive_file_ids

    def execute_and_remember(self, file_id: str) -> str:
        before = set(self._file_metadata)
        url = execute_deferred(self, file_id)
        now = time.monotonic()
        with self._lock:
            fresh.update(dict.fromkeys(set(self._file_metadata) - before, now))
        return url

    def inactive_except_fresh(self) -> set[str]:
        now = time.monotonic()
        for file_id, born in list(fresh.items()):
            if now - born > seconds:
                del fresh[file_id]
        return inactive(self) - set(fresh)

    manager.execute_deferred = execute_and_remember
    manager._get_inactive_file_ids = inactive_except_fresh


_keep_fresh_downloads()


def _deferred(fn: Callable, *args) -> Callable[[], bytes]:
    """A zero-argument callable for st.download_button: the work runs only when the button is pressed."""

    def build() -> bytes:
        return fn(*args)

    return build
