"""Output: annualised shells per year by subject; output, capacity and targets kept apart."""

import streamlit as st

from dashboard import charts, describe, filters, targets, ui
from dashboard.charts import MEASURE_STYLE
from dashboard.normalize import SHELL_UNITS

PAGE, KEYS = "output", ["subject", "measure", "caliber", "basis", "grade", "from", "to", "scale"]
data = ui.dataset()
ui.view_state(PAGE, KEYS)
shells = data.claims[data.claims["unit"].isin(SHELL_UNITS)]

st.title("Output, capacity and targets")
st.caption(
    "Every figure in shells, annualised to shells per year. Output is filled, capacity hollow, targets hollow with a dot and dotted; they are never added together."
)

# 1. Controls
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    c1.multiselect(
        "Subject", sorted(shells["subject"].dropna().unique()), key=f"{PAGE}_subject", placeholder="All subjects"
    )
    c2.multiselect("Measure", list(MEASURE_STYLE), key=f"{PAGE}_measure", placeholder="All measures")
    c3.multiselect(
        "Calibre", sorted(shells["caliber"].dropna().unique()), key=f"{PAGE}_caliber", placeholder="All calibres"
    )
    c4, c5, c6, c7, c8 = st.columns([2, 2, 1.3, 1.3, 1.2])
    c4.multiselect("Basis", sorted(shells["basis"].dropna().unique()), key=f"{PAGE}_basis", placeholder="All bases")
    c5.multiselect(
        "Source grade", sorted(shells["grade"].dropna().unique()), key=f"{PAGE}_grade", placeholder="All grades"
    )
    c6.date_input("Stated from", key=f"{PAGE}_start", value=None, format="YYYY-MM-DD")
    c7.date_input("Stated to", key=f"{PAGE}_end", value=None, format="YYYY-MM-DD")
    c8.radio("Scale", ["log", "linear"], key=f"{PAGE}_scale", horizontal=True)

# 2. Data
view = ui.current_state(PAGE, KEYS)
link = ui.sync_url(view, KEYS)
rows = filters.apply(shells, view)
status = targets.target_status(rows, as_of=data.claims["stated_on"].max())

# 3. Chart, text alternative, target tracking
title = "Artillery-shell output, capacity and targets, annualised"
text = ui.chart_text(data, title, f"{len(rows)} figures · shells per year · {view.scale} scale", link)
fig = charts.target_links_figure_traces(charts.output_figure(rows, view.scale == "log", text), status)
ui.show_chart(fig, "output_chart")
ui.text_alternative(describe.output_summary(rows), describe.display_table(rows))
st.subheader("Targets against later figures")
st.caption(
    "met: a later output figure reached it · missed: due date passed, latest figure below · pending: not yet due · unknown: no figure to check"
)
st.dataframe(describe.target_table(status), hide_index=True, width="stretch")

# 4. Downloads and footer
ui.downloads(data, fig, describe.display_table(rows), "output", title, link)
ui.footer(data)
