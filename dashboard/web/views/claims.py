"""Claims: every statement, searchable, as a timeline and a table."""

import streamlit as st

from dashboard.present import charts, view_models
from dashboard.web import ui

PAGE, KEYS = "claims", ["q", "side", "subject", "from", "to"]
data = ui.dataset()
ui.view_state(PAGE, KEYS)
options = ui.memo(view_models.options)

st.title("Claims")
st.caption(
    "Every statement in the dataset: who said it, when, where it was published, the verbatim quote and how we read it."
)

# 1. Controls
with st.container(border=True):
    c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 1.2, 1.2])
    c1.text_input(
        "Search quotes, speakers and notes", key=f"{PAGE}_q", max_chars=200, placeholder="e.g. Rutte, Bucharest, 155mm"
    )
    c2.multiselect(
        "Speaker side",
        list(charts.SIDE_NAMES),
        format_func=charts.SIDE_NAMES.get,
        key=f"{PAGE}_side",
        placeholder="All sides",
    )
    c3.multiselect("Subject", options["subject"], key=f"{PAGE}_subject", placeholder="All subjects")
    c4.date_input("Stated from", key=f"{PAGE}_start", value=None, format="YYYY-MM-DD")
    c5.date_input("Stated to", key=f"{PAGE}_end", value=None, format="YYYY-MM-DD")

# 2. Data (cached per dataset version and view)
view = ui.current_state(PAGE, KEYS)
link = ui.sync_url(view, KEYS)
model = ui.memo(view_models.claims, view, link)

# 3. Timeline and table
ui.show_chart(model.chart.figure, "claims_chart")
st.markdown(ui.md_escape(model.chart.summary))
if model.chart.note:
    st.caption(ui.md_escape(model.chart.note))
st.dataframe(
    model.table,
    hide_index=True,
    width="stretch",
    column_config={"link": st.column_config.LinkColumn("source link", display_text="open ↗")},
)

# 4. Downloads and footer
ui.downloads(data, model.chart, "claims", link)
ui.footer(data)
