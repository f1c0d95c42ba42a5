"""Lines: a claim a speaker repeated over time, every time it was said, as worded, and where it was reversed."""

import streamlit as st

from dashboard.present import view_models
from dashboard.present.registry import Page
from dashboard.web import controls, downloads, frame, show


def render(page: Page, data: frame.Data) -> None:
    st.title(page.heading)
    st.caption(
        "A line is a claim a speaker repeated: each time it was said is a point at its date with its figure as "
        "worded; the reading below is counted from those rows, never typed in. How relations are coded: Method."
    )

    # 1. Which line (one choice; the URL holds it), and its model
    shown = controls.filtered(page, data, labels={"line": frame.memo(data, view_models.line_titles)})
    model = shown.model

    # 2. The reading, the track, every instance
    with shown.chart_slot:
        if model.reading is not None:
            st.markdown(f"**{show.md_escape(model.reading.sentence)}**")
        show.chart(model.chart, "line_chart", shown.style)
    show.text_alternative(model.chart)
    st.subheader("Every time it was said")
    if shown.phone:
        show.cards(model.table, ("date", "how"), ("figure as worded", "quote", "speaker", "outlet"), link="link")
    else:
        show.table(model.table, wrapped=True)

    # 3. Downloads
    downloads.chart_files(data, model.chart, page, shown.view, shown.link)
