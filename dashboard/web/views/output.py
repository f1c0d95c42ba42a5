"""Output: annualised shells per year by subject; output, capacity and targets kept apart."""

import streamlit as st

from dashboard.present.registry import Page
from dashboard.web import controls, downloads, frame, show


def render(page: Page, data: frame.Data) -> None:
    st.title(page.heading)
    st.caption(
        "Every figure in shells, annualised to shells per year. Output is filled, capacity hollow, targets hollow "
        "with a dot and dotted; they are never added together."
    )
    style = show.screen_style()
    phone = show.is_phone(style)
    chart_slot = st.container()  # on a phone the chart comes first, its filters folded into one line under it

    # 1. Controls
    view, link = controls.filters(page, frame.memo(data, page.options), collapsed=phone)

    # 2. Data (cached per dataset version, view and layout)
    model = frame.memo(data, page.chart.model, view, link, style)

    # 3. Chart, text alternative, target tracking
    with chart_slot if phone else st.container():
        show.chart(model.chart, "output_chart", style)
    show.text_alternative(model.chart)
    st.subheader("Targets against later figures")
    st.caption(
        "met: a later output figure reached it · missed: due date passed, latest figure below · "
        "pending: not yet due · unknown: no figure to check"
    )
    show.table(model.targets)

    # 4. Downloads
    downloads.chart_files(data, model.chart, page, view, link)
