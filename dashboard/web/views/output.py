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

    # 1. Filters (from the filter table; the URL follows them) and the model for them
    shown = controls.filtered(page, data)
    model = shown.model

    # 2. Chart, text alternative, target tracking
    with shown.chart_slot:
        show.chart(model.chart, "output_chart", shown.style)
    show.text_alternative(model.chart)
    st.subheader("Targets against later figures")
    st.caption(
        "met: a later output figure reached it · missed: due date passed, latest figure below · "
        "pending: not yet due · unknown: no figure to check"
    )
    show.table(model.targets)

    # 3. Downloads
    downloads.chart_files(data, model.chart, page, shown.view, shown.link)
