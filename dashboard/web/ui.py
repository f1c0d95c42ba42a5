"""The Streamlit edge shared by every page: the dataset handle, caching, filters and the URL, downloads.

Pages stay thin by calling these and the view models, nothing else. Caching lives here, at the edge, with
every input passed in explicitly: `dataset()` returns a handle that a page hands to `memo`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlparse

import streamlit as st

from dashboard import settings
from dashboard.analysis.filters import BY_NAME, DEFAULT, ViewState
from dashboard.data import paths
from dashboard.data.csvfile import Problem
from dashboard.data.load import Dataset, load_dataset
from dashboard.data.schema import Field, reference_package
from dashboard.maintain import edits
from dashboard.present import captions, export, identity, url_state
from dashboard.present.view_models import ChartModel
from dashboard.publish import urls
from dashboard.web import downloads_fix, pages

safe_filename = export.safe_filename  # pages name their own downloads with it
inert_markdown = captions.inert_markdown  # the Method page renders the changelog with it
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&])")

downloads_fix.apply()  # once per process: later imports find it applied


def md_escape(text: object) -> str:
    """Text from data or the URL made inert for st.markdown (no links, HTML, LaTeX or colour directives)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


# ---- the dataset -------------------------------------------------------------------------------
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


def dataset() -> Data:
    """The validated dataset, or an error page listing the validator's problems (then the page stops).

    Every page starts here, so a link to a page that does not exist stops here too, with a not-found page."""
    if _page_path() not in pages.URL_PATHS:
        _not_found_page(_page_path())
    folder = paths.data_dir()
    if not folder.is_dir():
        _error_page([Problem(str(folder), 1, "", "dataset folder does not exist; check DASHBOARD_DATA_DIR")])
    key = (str(folder.resolve()), _fingerprint(folder))
    with st.spinner("Checking and loading the dataset…"):
        data, problems = _checked_dataset(*key)
    if data is None or problems:
        _error_page(problems)
    return Data(data, key)


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)  # bounded: a 100k-row view model is tens of MB
def _memo(name: str, folder: str, fingerprint: str, args: tuple, _builder: Callable, _derived: tuple):
    # Underscored parameters are not hashed: `name` stands for the builder, and `_derived` holds values
    # computed from this same dataset version (already part of the key), so hashing them would only cost.
    data, _ = _checked_dataset(folder, fingerprint)
    return _builder(data, *args, *_derived)


def memo(data: Data, builder: Callable, *args, derived: tuple = ()):
    """builder(dataset, *args, *derived), computed once per dataset version and `args` (a page model).

    `derived` are values computed from the same dataset (e.g. another memo's result): passed along, not
    hashed. The result is shared, not copied: treat it as read-only."""
    return _memo(f"{builder.__module__}.{builder.__qualname__}", *data.key, args, builder, derived)


def problem_list(problems: Sequence[Problem]) -> None:
    """Problems as a real list (a screen reader reads it; a canvas grid it cannot), every value escaped."""
    st.markdown(
        "\n".join(
            f"- **{md_escape(p.path)}**, line {p.line}"
            + (f", column **{md_escape(p.column)}**" if p.column else "")
            + f": {md_escape(p.message)}"
            for p in problems
        )
    )


def _error_page(problems: list[Problem]) -> None:
    st.error(
        "The dataset did not pass validation, so no figures are shown. "
        "A maintainer can fix each problem below (file, line, column, what to do) and run "
        "`python -m dashboard.validate` to check."
    )
    problem_list(problems)
    st.stop()


def _not_found_page(path: str) -> None:
    """A mistyped link: say so and link the real pages. Nothing else runs, so no chart, file or citation
    carries the unknown path. (Streamlit itself ran the default page for it.)"""
    st.title("Page not found")
    shown = path if len(path) <= 80 else path[:80] + "…"
    st.markdown(f"There is no page at **/{md_escape(shown)}**. The pages of Shell Count are:")
    for page in pages.PAGES:
        st.page_link(page.script, label=page.title, icon=page.icon)
    st.stop()


def footer(data: Data) -> None:
    updated = f" · updated {data.dataset.updated}" if data.dataset.updated else ""
    st.divider()
    st.caption(
        f"Shell Count data v{md_escape(data.version)}{md_escape(updated)} · licence {md_escape(data.license)} · "
        "every figure links to the page it was read on · see *Method & sources* for how to cite"
    )


# ---- filters and the URL -------------------------------------------------------------------------
def filters(page: str, layout: Sequence[Sequence[str | tuple[str, float]]], options: dict[str, list[str]]):
    """Draw the filter widgets of `layout` (rows of filter names, or (name, width)) and return (view, link).

    The filters are those of the filter table; the URL sets their first values and follows every change."""
    names = [cell if isinstance(cell, str) else cell[0] for row in layout for cell in row]
    keys = [BY_NAME[name].url_key for name in names]
    _first_view(page, keys)
    with st.container(border=True):
        for row in layout:
            cells = [(cell, 1.0) if isinstance(cell, str) else cell for cell in row]
            for column, (name, _) in zip(st.columns([w for _, w in cells]), cells, strict=True):
                with column:
                    _widget(page, name, options.get(name, []))
    view = _current_view(page, names)
    return view, sync_url(view, keys)


def page_link() -> str:
    """The permalink of a page without filters."""
    return sync_url(DEFAULT, [])


def _first_view(page: str, keys: list[str]) -> None:
    """On this page's first run in the session: the widgets take the URL's values; bad values give a notice."""
    marker = f"{page}__from_url"
    if marker not in st.session_state:
        parsed, notices = url_state.parse(_query_dict(), reference_package(), keys)
        st.session_state[marker] = True
        st.session_state[f"{page}__notices"] = notices
        for key in keys:
            name = url_state.BY_URL_KEY[key].name
            value = getattr(parsed, name)
            st.session_state[f"{page}_{name}"] = list(value) if isinstance(value, tuple) else value
    for notice in st.session_state.get(f"{page}__notices", []):
        st.info(notice, icon="ℹ️")


def _widget(page: str, name: str, options: list[str]) -> None:
    f, key = BY_NAME[name], f"{page}_{name}"
    if f.kind == "list":
        st.multiselect(
            f.label, options, key=key, placeholder=f.placeholder, format_func=lambda v: identity.value_name(name, v)
        )
    elif f.kind in ("from", "to"):
        st.date_input(f.label, key=key, value=None, format="YYYY-MM-DD")
    elif f.kind == "choice":
        st.radio(f.label, f.choices, key=key, horizontal=True)
    else:
        st.text_input(f.label, key=key, max_chars=url_state.MAX_QUERY_LENGTH, placeholder=f.placeholder)


def _current_view(page: str, names: list[str]) -> ViewState:
    """The state the widgets hold now (after the reader changed them)."""
    values = {}
    for name in names:
        value = st.session_state.get(f"{page}_{name}")
        if isinstance(value, list):
            value = tuple(value)
        if BY_NAME[name].kind in ("from", "to") and not isinstance(value, date):
            value = None
        values[name] = value if value is not None else getattr(DEFAULT, name)
    return replace(DEFAULT, **values)


def _query_dict() -> dict[str, list[str]]:
    params = st.query_params
    return {key: params.get_all(key) for key in params}


def sync_url(view: ViewState, keys: list[str]) -> str:
    """Write the view into the URL so a copied link reopens it; returns the permalink."""
    query = url_state.to_query(view, keys)
    if {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)
    return permalink(query)


def _browser_url() -> str:
    """The URL the browser shows (without the query)."""
    return st.context.url or ""


def _page_path() -> str:
    """This page's path below the app's root ('' on the Overview), whatever the baseUrlPath."""
    path = urlparse(_browser_url()).path.strip("/")
    root = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root) :].strip("/")
    return path


def permalink(query: dict[str, str]) -> str:
    """The public link to this page and view: $SHELLCOUNT_PUBLIC_URL + page + query, else the browser's URL."""
    public = settings.PUBLIC_URL.get()
    page = _page_path()
    known = page in pages.URL_PATHS  # an unknown path never goes into a link, file or citation
    if public:
        base = public.rstrip("/") + "/" + page if page and known else public
    elif known:
        base = _browser_url() or "http://localhost:8501/"
    else:
        url = urlparse(_browser_url() or "http://localhost:8501/")
        root = str(st.get_option("server.baseUrlPath") or "").strip("/")
        base = f"{url.scheme}://{url.netloc}/" + (root + "/" if root else "")
    return base + ("?" + urlencode(query) if query else "")


# ---- figures, tables and downloads -------------------------------------------------------------
def show_chart(chart: ChartModel, key: str) -> None:
    """The chart, or in its place a clear message when the view has nothing to draw (never empty axes)."""
    if chart.empty:
        st.info(chart.empty, icon="ℹ️")
        return
    st.plotly_chart(
        chart.figure,
        width="stretch",
        theme=None,  # our own template, so the screen and the exported file look the same
        key=key,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}},
    )


def text_alternative(chart: ChartModel) -> None:
    """The chart in words and as a table: a screen reader reaches both, a sighted reader can open them."""
    st.markdown(md_escape(chart.summary))
    with st.expander("Describe this chart in words, with its data as a table"):
        st.markdown(md_escape(chart.description))
        if chart.note:
            st.caption(md_escape(chart.note))
        table(chart.table)


LINK_COLUMNS = ("link", "url", "source")  # a cell holding the page a row was read on
WIDE_COLUMNS = ("speaker", "estimates used", "quote", "interpretation")


def table(frame, column_config: dict | None = None, **kwargs) -> None:
    """st.dataframe with one set of conventions for every table: links as links, numbers with thousands
    separators, empty cells blank (never 'None'), names and sources wide enough to read."""
    config: dict = {}
    for name in frame.columns:
        if name in LINK_COLUMNS:
            label = "source link" if name in ("link", "url") else name
            config[name] = st.column_config.LinkColumn(label, display_text="open ↗")
        elif name in WIDE_COLUMNS:
            config[name] = st.column_config.TextColumn(name, width="large")
        elif frame[name].dtype.kind in "iuf":
            config[name] = st.column_config.NumberColumn(name, format="localized")
    st.dataframe(
        captions.blank_missing(frame),
        hide_index=True,
        width="stretch",
        column_config={**config, **(column_config or {})},
        **kwargs,
    )


def _header(data: Data, rows: int, link: str) -> str:
    return export.csv_header(data.version, rows, link, data.license)


def downloads(
    data: Data, chart: ChartModel, name: str, link: str, page: str = "", view: ViewState = DEFAULT, offered=()
) -> None:
    """PNG, SVG, CSV, HTML and a citation for one chart; every file is built only when its button is pressed.

    Where the static copy is published ($SHELLCOUNT_SITE_URL) and bakes this view, also its embed snippet
    and stable data URLs (`offered`: the subjects the page's filter offers, each baked as its own view)."""
    if chart.empty:
        return
    _published_copy(data, chart, page, view, offered)
    fig, header = chart.figure, _header(data, len(chart.rows), link)
    chromium = export.find_chromium()
    cols = st.columns(5)
    base = [name, export.view_slug(link), "v" + data.version]  # output-russia-united-states-linear-v1-1-0.png
    with cols[0]:
        st.download_button("PNG (1280 × 720)", data=_deferred(export.image_bytes, fig, "png"), file_name=export.safe_filename(*base, extension="png"),
                           mime="image/png", key=f"{name}_png", disabled=chromium is None, on_click="ignore", icon=":material/image:")  # fmt: skip
    with cols[1]:
        st.download_button("Portrait PNG (1080 × 1350)", data=_deferred(export.image_bytes, fig, "png", True), file_name=export.safe_filename(*base, "portrait", extension="png"),
                           mime="image/png", key=f"{name}_portrait", disabled=chromium is None, on_click="ignore", icon=":material/smartphone:",
                           help="Laid out for social posts and phone articles")  # fmt: skip
    with cols[2]:
        st.download_button("SVG", data=_deferred(export.image_bytes, fig, "svg"), file_name=export.safe_filename(*base, extension="svg"),
                           mime="image/svg+xml", key=f"{name}_svg", disabled=chromium is None, on_click="ignore", icon=":material/draw:")  # fmt: skip
    with cols[3]:
        st.download_button("CSV of these rows", data=_deferred(export.rows_csv, chart.rows, data.dataset.package, header), file_name=export.safe_filename(*base, extension="csv"),
                           mime="text/csv", key=f"{name}_csv", on_click="ignore", icon=":material/table:")  # fmt: skip
    with cols[4]:
        st.download_button("Interactive HTML", data=_deferred(export.html_bytes, fig, chart.title), file_name=export.safe_filename(*base, extension="html"),
                           mime="text/html", key=f"{name}_html", on_click="ignore", icon=":material/code:")  # fmt: skip
    if chromium is None:
        st.warning(
            "PNG and SVG export is off on this server because Chromium is not installed "
            "(apt-get install chromium). The camera icon in the chart's toolbar still downloads a PNG.",
            icon="⚠️",
        )
    citation(
        export.Citation(title=chart.title, version=data.version, url=link, accessed=date.today()), "Cite this chart"
    )


def _published_copy(data: Data, chart: ChartModel, page: str, view: ViewState, offered) -> None:
    site = settings.SITE_URL.get()
    if not site or not page:
        return
    # Baked: a page's default view, and the Output page with one offered subject and nothing else changed.
    baked = replace(view, subject=()) == DEFAULT and set(view.subject) <= set(offered or view.subject)
    copy = urls.published(site, page, view.subject, baked, chart.title, data.version)
    if copy is None:
        return
    with st.expander("Embed this chart, or fetch its data from the published copy"):
        st.caption("A static copy of this view, pinned to this data version: it never changes and loads fast.")
        st.code(copy.snippet, language="html", wrap_lines=True)
        st.markdown(
            f"Page: `{md_escape(copy.page_url)}`  \nData (CSV): `{md_escape(copy.csv_url)}`  \n"
            f"Metadata (JSON): `{md_escape(copy.metadata_url)}`"
        )


def citation(cite: export.Citation, label: str | None = None) -> None:
    """The citation as plain text and BibTeX (inside an expander when `label` is given)."""
    with st.expander(label) if label else st.container():
        st.code(cite.plain(), language=None, wrap_lines=True)
        st.code(cite.bibtex(), language="bibtex")


def table_downloads(data: Data, table, name: str, link: str) -> None:
    """The CSV of a table's rows and the whole data package as a zip."""
    c1, c2 = st.columns(2)
    c1.download_button("CSV of these rows", data=_deferred(export.csv_bytes, table, _header(data, len(table), link)), file_name=export.safe_filename(name, export.view_slug(link), "v" + data.version, extension="csv"),
                       mime="text/csv", key=f"{name}_csv", on_click="ignore", icon=":material/table:")  # fmt: skip
    c2.download_button("Whole data package (zip)", data=_deferred(export.package_zip, data.dataset.folder), file_name=export.safe_filename("shell-count-package", "v" + data.version, extension="zip"),
                       mime="application/zip", key=f"{name}_zip", on_click="ignore", icon=":material/folder_zip:")  # fmt: skip


def _deferred(fn: Callable, *args) -> Callable[[], bytes]:
    """A zero-argument callable for st.download_button: the work runs only when the button is pressed."""

    def build() -> bytes:
        return fn(*args)

    return build


# ---- the contribution form ---------------------------------------------------------------------
def field_widget(f: Field, prefix: str, default: str = "") -> str:
    """An input for one schema field: a choice for an enum, a text area for long text, else a text box."""
    label = f"{f.name}{' *' if f.required else ''}"
    help_text = f.description or None
    if f.enum:
        choices = ([] if f.required else [""]) + list(f.enum)
        return st.selectbox(
            label, choices, key=f"{prefix}_{f.name}", help=help_text, format_func=lambda v: v or "(empty)"
        )
    if f.name in ("quote", "interpretation", "notes"):
        return st.text_area(label, key=f"{prefix}_{f.name}", help=help_text, max_chars=f.max_length)
    return st.text_input(label, value=default, key=f"{prefix}_{f.name}", help=help_text, max_chars=f.max_length)


def check_proposal(claim: dict, source: dict | None, passage: str | None) -> edits.Change:
    """The proposed row checked by the same code as add_row; nothing is written."""
    return edits.propose(claim, source, passage)
