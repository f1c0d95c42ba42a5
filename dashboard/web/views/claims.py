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
    style = show.screen_style()
    phone = show.is_phone(style)
    chart_slot = st.container()  # on a phone the chart comes first, its filters folded into one line under it

    # 1. Controls (filters from the filter table; the URL follows them)
    view, link = controls.filters(page, frame.memo(data, page.options), collapsed=phone)

    # 2. Data (cached per dataset version, view and layout)
    model = frame.memo(data, page.chart.model, view, link, style)

    # 3. Timeline and table (the quote beside who said it, wrapped)
    with chart_slot if phone else st.container():
        show.chart(model.chart, "claims_chart", style)
    show.text_alternative(model.chart)
    st.subheader("Every statement, newest first")
    if phone:
        show.cards(model.table, ("date", "speaker"), ("quote", "figure", "outlet"), link="link")
        with st.expander("All columns, as a table"):
            show.table(model.table, wrapped=True)
    else:
        show.table(model.table, wrapped=True)

    # 4. Downloads
    downloads.chart_files(data, model.chart, page, view, link)
