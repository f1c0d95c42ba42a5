"""Claims: every statement, searchable, as a timeline and a table."""

import streamlit as st

from dashboard.present import view_models
from dashboard.web import ui

PAGE = "claims"
data = ui.dataset()

st.title("Claims")
st.caption(
    "Every statement in the dataset: who said it, when, where it was published, the verbatim quote and how we read it."
)

# 1. Controls (filters from the filter table; the URL follows them)
options = ui.memo(data, view_models.options)
view, link = ui.filters(PAGE, [[("q", 3), ("side", 2), ("subject", 2), ("start", 1.2), ("end", 1.2)]], options)

# 2. Data (cached per dataset version and view)
model = ui.memo(data, view_models.claims, view, link)

# 3. Timeline and table
ui.show_chart(model.chart, "claims_chart")
ui.text_alternative(model.chart)
ui.table(model.table)

# 4. Downloads and footer
ui.downloads(data, model.chart, "claims", link, page="claims", view=view)
ui.footer(data)
