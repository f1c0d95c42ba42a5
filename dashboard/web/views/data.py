"""Data: the filtered rows with clickable source links, and the downloads."""

import streamlit as st

from dashboard.data import paths
from dashboard.present import captions, export, view_models
from dashboard.web import ui

PAGE, KEYS = "data", ["q", "subject", "measure", "caliber", "basis", "grade", "side", "from", "to"]
data = ui.dataset()
ui.view_state(PAGE, KEYS)
options = ui.memo(view_models.options)

st.title("Data")
st.caption("The curated rows behind every chart. Each links to the page it was read on; quotes are verbatim.")

# 1. Controls
with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    c1.text_input("Search", key=f"{PAGE}_q", max_chars=200, placeholder="quote, speaker, notes…")
    c2.multiselect("Subject", options["subject"], key=f"{PAGE}_subject", placeholder="All subjects")
    c3.multiselect("Measure", options["measure"], key=f"{PAGE}_measure", placeholder="All measures")
    c4.multiselect("Calibre", options["caliber"], key=f"{PAGE}_caliber", placeholder="All calibres")
    c5, c6, c7, c8, c9 = st.columns(5)
    c5.multiselect("Basis", options["basis"], key=f"{PAGE}_basis", placeholder="All bases")
    c6.multiselect("Source grade", options["grade"], key=f"{PAGE}_grade", placeholder="All grades")
    c7.multiselect("Speaker side", options["side"], key=f"{PAGE}_side", placeholder="All sides")
    c8.date_input("Stated from", key=f"{PAGE}_start", value=None, format="YYYY-MM-DD")
    c9.date_input("Stated to", key=f"{PAGE}_end", value=None, format="YYYY-MM-DD")

# 2. Data (cached per dataset version and view)
view = ui.current_state(PAGE, KEYS)
link = ui.sync_url(view, KEYS)
model = ui.memo(view_models.data_rows, view)

# 3. Table
st.markdown(ui.md_escape(f"{len(model.table)} of {model.total} rows."))
if model.note:
    st.caption(ui.md_escape(model.note))
st.dataframe(
    model.shown,
    hide_index=True,
    width="stretch",
    key="data_table",
    height=560,
    column_order=captions.DATA_FIRST + [c for c in model.shown.columns if c not in captions.DATA_FIRST],
    column_config={"url": st.column_config.LinkColumn("source link", display_text="open ↗")},
)

# 4. Downloads
header = f"Shell Count data v{data.version}; {len(model.table)} rows; view: {link}; licence {data.package.license}"
c1, c2 = st.columns(2)
c1.download_button("CSV of these rows", data=lambda: export.csv_bytes(model.table, header), file_name=export.safe_filename("shell-count-rows", "v" + data.version, extension="csv"),
                   mime="text/csv", key="data_csv", on_click="ignore", icon=":material/table:")  # fmt: skip
c2.download_button("Whole data package (zip)", data=lambda: export.package_zip(paths.data_dir()), file_name=export.safe_filename("shell-count-package", "v" + data.version, extension="zip"),
                   mime="application/zip", key="data_zip", on_click="ignore", icon=":material/folder_zip:")  # fmt: skip
ui.footer(data)
