"""Output: annualised shells per year by subject; output, capacity and targets kept apart."""

import streamlit as st

from dashboard.present import view_models
from dashboard.web import ui

PAGE = "output"
data = ui.dataset()

st.title("Output, capacity and targets")
st.caption(
    "Every figure in shells, annualised to shells per year. Output is filled, capacity hollow, targets hollow "
    "with a dot and dotted; they are never added together."
)

# 1. Controls
options = ui.memo(data, view_models.options, True)
layout = [["subject", "measure", "caliber"], [("basis", 2), ("grade", 2), ("start", 1.3), ("end", 1.3), ("scale", 1.2)]]
view, link = ui.filters(PAGE, layout, options)

# 2. Data (cached per dataset version and view)
model = ui.memo(data, view_models.output, view, link, derived=(ui.memo(data, view_models.all_target_status),))

# 3. Chart, text alternative, target tracking
ui.show_chart(model.chart, "output_chart")
ui.text_alternative(model.chart)
st.subheader("Targets against later figures")
st.caption(
    "met: a later output figure reached it · missed: due date passed, latest figure below · "
    "pending: not yet due · unknown: no figure to check"
)
ui.table(model.targets)

# 4. Downloads and footer
ui.downloads(data, model.chart, "output", link, page="output", view=view, offered=options["subject"])
ui.footer(data)
