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

    # 1. Filters (from the filter table; the URL follows them) and the model for them
    shown = controls.filtered(page, data)
    model = shown.model

    # 2. Timeline and table (the quote beside who said it, wrapped)
    with shown.chart_slot:
        show.chart(model.chart, "claims_chart", shown.style)
    show.text_alternative(model.chart)
    st.subheader("Every statement, newest first")
    if shown.phone:
        show.cards(model.table, ("date", "speaker"), ("quote", "figure", "outlet"), link="link")
        with st.expander("All columns, as a table"):
            show.table(model.table, wrapped=True)
    else:
        show.table(model.table, wrapped=True)

    # 3. Downloads
    downloads.chart_files(data, model.chart, page, shown.view, shown.link)
