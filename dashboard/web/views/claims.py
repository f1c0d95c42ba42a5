"""Claims: every statement, searchable, as a timeline and a table."""

import streamlit as st

from dashboard.present.registry import Page
from dashboard.web import controls, downloads, frame, show


def render(page: Page, data: frame.Data) -> None:
    st.title(page.heading)
    st.caption(
        "Every statement in the dataset: who said it, when, where it was published, the verbatim quote and how we "
        "read it."
    )

    # 1. Controls (filters from the filter table; the URL follows them)
    view, link = controls.filters(page, frame.memo(data, page.options))

    # 2. Data (cached per dataset version and view)
    model = frame.memo(data, page.chart.model, view, link)

    # 3. Timeline and table
    show.chart(model.chart, "claims_chart")
    show.text_alternative(model.chart)
    show.table(model.table)

    # 4. Downloads
    downloads.chart_files(data, model.chart, page, view, link)
