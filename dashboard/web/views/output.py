"""Output: annualised shells per year by subject; output, capacity and targets kept apart."""

import streamlit as st

from dashboard.present import view_models
from dashboard.present.charts import MEASURE_STYLE
from dashboard.web import ui

PAGE, KEYS = "output", ["subject", "measure", "caliber", "basis", "grade", "from", "to", "scale"]
data = ui.dataset()
ui.view_state(PAGE, KEYS)
options = ui.memo(view_models.options, True)

st.title("Output, capacity and targets")
st.caption(
    "Every figure in shells, annualised to shells per year. Output is filled, capacity hollow, targets hollow "
    "with a dot and dotted; they are never added together."
)

# 1. Controls
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    c1.multiselect("Subject", options["subject"], key=f"{PAGE}_subject", placeholder="All subjects")
    c2.multiselect("Measure", list(MEASURE_STYLE), key=f"{PAGE}_measure", placeholder="All measures")
    c3.multiselect("Calibre", options["caliber"], key=f"{PAGE}_caliber", placeholder="All calibres")
    c4, c5, c6, c7, c8 = st.columns([2, 2, 1.3, 1.3, 1.2])
    c4.multiselect("Basis", options["basis"], key=f"{PAGE}_basis", placeholder="All bases")
    c5.multiselect("Source grade", options["grade"], key=f"{PAGE}_grade", placeholder="All grades")
    c6.date_input("Stated from", key=f"{PAGE}_start", value=None, format="YYYY-MM-DD")
    c7.date_input("Stated to", key=f"{PAGE}_end", value=None, format="YYYY-MM-DD")
    c8.radio("Scale", ["log", "linear"], key=f"{PAGE}_scale", horizontal=True)

# 2. Data (cached per dataset version and view)
view = ui.current_state(PAGE, KEYS)
link = ui.sync_url(view, KEYS)
model = ui.memo(view_models.output, view, link, derived=(ui.memo(view_models.all_target_status),))

# 3. Chart, text alternative, target tracking
ui.show_chart(model.chart.figure, "output_chart")
ui.text_alternative(model.chart)
st.subheader("Targets against later figures")
st.caption(
    "met: a later output figure reached it · missed: due date passed, latest figure below · "
    "pending: not yet due · unknown: no figure to check"
)
st.dataframe(model.targets, hide_index=True, width="stretch")

# 4. Downloads and footer
ui.downloads(data, model.chart, "output", link)
ui.footer(data)
