"""Downloads: every export format of a chart (export.FORMATS), a table's CSV and the package, citations, and
the published copy's embed snippet. Every file is built only when its button is pressed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from dashboard import settings
from dashboard.analysis.filters import ViewState
from dashboard.present import export, registry
from dashboard.present.registry import Page
from dashboard.present.view_models import ChartModel
from dashboard.publish import urls
from dashboard.web import downloads_fix, show
from dashboard.web.frame import Data

downloads_fix.apply()  # once per process: later imports find it applied


def _header(data: Data, rows: int, link: str) -> str:
    return export.csv_header(data.version, rows, link, data.license)


def chart_files(data: Data, chart: ChartModel, page: Page, view: ViewState, link: str) -> None:
    """Every export format of one chart, a citation, and (where a published copy bakes this view) its embed."""
    if chart.empty:
        return
    _published_copy(data, chart, page, view)
    header = _header(data, len(chart.rows), link)
    chromium = export.find_chromium()
    name = page.chart.name
    base = [name, export.view_slug(link), "v" + data.version]  # output-russia-united-states-linear-v1-1-0.png
    columns = [c for _ in range(0, len(export.FORMATS), 3) for c in st.columns(3)]  # three a row: labels stay whole
    for column, f in zip(columns, export.FORMATS, strict=False):
        with column:
            st.download_button(
                f.label, data=_deferred(f.build, chart, data.dataset.package, header), file_name=f.file_name(*base),
                mime=f.mime, key=f"{name}_{f.kind}", disabled=f.needs_chromium and chromium is None,
                on_click="ignore", icon=f.icon or None, help=f.help or None,
            )  # fmt: skip
    if chromium is None:
        st.warning(
            "PNG and SVG export is off on this server because Chromium is not installed "
            "(apt-get install chromium). The camera icon in the chart's toolbar still downloads a PNG.",
            icon="⚠️",
        )
    citation(
        export.Citation(title=chart.title, version=data.version, url=link, accessed=date.today()),
        "Cite this chart",
        key=f"{name}__cite",
    )


def _published_copy(data: Data, chart: ChartModel, page: Page, view: ViewState) -> None:
    site = settings.SITE_URL.get()
    variant = registry.published_variant(page, view, data.dataset) if site else None
    if variant is None:
        return
    copy = urls.published(site, variant.slug, chart.title, data.version)
    box = st.expander(
        "Embed this chart, or fetch its data from the published copy", key=f"{page.name}__embed", on_change="rerun"
    )
    if not box.open:  # drawn only when opened: the code block's highlighter is half a megabyte a reader may never need
        return
    with box:
        st.caption("A static copy of this view, pinned to this data version: it never changes and loads fast.")
        st.code(copy.snippet, language="html", wrap_lines=True)
        st.markdown(
            f"Page: `{show.md_escape(copy.page_url)}`  \nData (CSV): `{show.md_escape(copy.csv_url)}`  \n"
            f"Metadata (JSON): `{show.md_escape(copy.metadata_url)}`"
        )


def citation(cite: export.Citation, label: str | None = None, key: str = "") -> None:
    """The citation as plain text and BibTeX (inside an expander when `label` is given, drawn only once it is opened:
    the code blocks' highlighter is half a megabyte of a first visit, for a reader who may never cite)."""
    if label:
        box = st.expander(label, key=key or None, on_change="rerun")
        if not box.open:
            return
    with box if label else st.container():
        st.code(cite.plain(), language=None, wrap_lines=True)
        st.code(cite.bibtex(), language="bibtex")


def table_files(data: Data, table, name: str, link: str) -> None:
    """The CSV of a table's rows and the whole data package as a zip."""
    csv, slug = export.FORMAT["csv"], export.view_slug(link)
    c1, c2 = st.columns(2)
    c1.download_button(
        csv.label, data=_deferred(export.csv_bytes, table, _header(data, len(table), link)),
        file_name=csv.file_name(name, slug, "v" + data.version), mime=csv.mime, key=f"{name}_csv",
        on_click="ignore", icon=csv.icon,
    )  # fmt: skip
    c2.download_button(
        "Whole data package (zip)", data=_deferred(export.package_zip, data.dataset.folder),
        file_name=export.safe_filename("shell-count-package", "v" + data.version, extension="zip"),
        mime="application/zip", key=f"{name}_zip", on_click="ignore", icon=":material/folder_zip:",
    )  # fmt: skip


def _deferred(fn: Callable, *args) -> Callable[[], bytes]:
    """A zero-argument callable for st.download_button: the work runs only when the button is pressed."""

    def build() -> bytes:
        return fn(*args)

    return build
