"""Data: the filtered rows with clickable source links, and the downloads."""

import streamlit as st

from dashboard.present import view_models
from dashboard.web import ui

PAGE = "data"
data = ui.dataset()

st.title("Data")
st.caption("The curated rows behind every chart. Each links to the page it was read on; quotes are verbatim.")

# 1. Controls
options = ui.memo(data, view_models.options)
layout = [["q", "subject", "measure", "caliber"], ["basis", "grade", "side", "start", "end"]]
view, link = ui.filters(PAGE, layout, options)

# 2. Data (cached per dataset version and view)
model = ui.memo(data, view_models.data_rows, view)

# 3. Table
st.markdown(ui.md_escape(f"{len(model.table)} of {model.total} rows."))
if model.note:
    st.caption(ui.md_escape(model.note))
ui.table(model.shown, key="data_table", height=560, column_order=model.column_order)

# 4. Downloads
ui.table_downloads(data, model.table, "shell-count-rows", link)
ui.footer(data)
