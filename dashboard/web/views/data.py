"""Data: the filtered rows with clickable source links, and the downloads."""

import streamlit as st

from dashboard.present import view_models
from dashboard.present.registry import Page
from dashboard.web import controls, downloads, frame, show


def render(page: Page, data: frame.Data) -> None:
    st.title(page.heading)
    st.caption("The curated rows behind every chart. Each links to the page it was read on; quotes are verbatim.")

    # 1. Controls (folded into one line on a phone, so the rows come first)
    view, link = controls.filters(page, frame.memo(data, page.options), collapsed=show.screen_style().narrow)

    # 2. Data (cached per dataset version and view)
    model = frame.memo(data, view_models.data_rows, view)

    # 3. Table
    st.markdown(show.md_escape(f"{len(model.table)} of {model.total} rows."))
    if model.note:
        st.caption(show.md_escape(model.note))
    show.table(model.shown, key="data_table", height=560, column_order=model.column_order)

    # 4. Downloads
    downloads.table_files(data, model.table, "shell-count-rows", link)
