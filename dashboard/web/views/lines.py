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
    style = show.screen_style()
    phone = show.is_phone(style)
    chart_slot = st.container()  # on a phone the chart comes first

    # 1. Which line (one choice; the URL holds it)
    offered = frame.memo(data, page.options)
    titles = frame.memo(data, view_models.line_titles)
    view, link = controls.filters(page, offered, collapsed=phone, labels={"line": titles})

    # 2. The line's model (cached per dataset version, line and layout)
    model = frame.memo(data, page.chart.model, view, link, style)

    # 3. The reading, the track, every instance
    with chart_slot if phone else st.container():
        if model.reading is not None:
            st.markdown(f"**{show.md_escape(model.reading.sentence)}**")
        show.chart(model.chart, "line_chart", style)
    show.text_alternative(model.chart)
    st.subheader("Every time it was said")
    if phone:
        show.cards(model.table, ("date", "how"), ("figure as worded", "quote", "speaker", "outlet"), link="link")
    else:
        show.table(model.table, wrapped=True)

    # 4. Downloads
    downloads.chart_files(data, model.chart, page, view, link)
