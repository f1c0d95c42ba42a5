"""Overview: the claimed Russia : NATO output ratio over time, next to what the estimates imply."""

import streamlit as st

from dashboard.analysis.filters import DEFAULT
from dashboard.present.registry import Page
from dashboard.web import controls, downloads, frame, show


def render(page: Page, data: frame.Data) -> None:
    link = controls.page_link()

    # 1. Framing
    st.title(page.heading)
    st.markdown(
        "How much artillery ammunition do Russia and NATO make? In July 2025 NATO's Secretary General said Russia "
        "was producing *three times as much ammunition in three months as the whole of NATO is doing in a year*; "
        "on 6 November 2025 he said *Until recently, Russia was producing more ammunition than all NATO Allies put "
        "together. But not anymore.* Here are those claims beside every estimate we could source. Judge for yourself."
    )

    # 2. Data (cached per dataset version; the chart's figure per style when shown)
    style = show.screen_style()
    model = frame.memo(data, page.chart.model, DEFAULT, link)

    # 3. Key figures
    for column, (label, value, help_text, note) in zip(st.columns(3), model.key_figures, strict=False):
        column.metric(show.md_escape(label), value, delta=note, delta_color="off", delta_arrow="off",
                      help=show.md_escape(help_text), border=True)  # fmt: skip

    for line_id, title in model.card_lines.items():  # the remarks above, back through every time they were said
        frame.link_to("lines", "The whole line: every time it was said", {"line": line_id}, help=title)

    # 4. What the estimates say each side made, year by year (before the ratios: the figures behind them)
    st.subheader("Output per year: the latest figure for each side")
    st.caption(
        "Shells a year as stated or annualised; each the newest statement about that year. Every figure on Output."
    )
    if style.narrow:
        show.grouped_lines(model.output_by_year, "output of", "year", ("output a year", "said by"), link="source")
    else:
        show.table(model.output_by_year)

    # 5. The headline chart and its text alternative
    show.chart(model.chart, "overview_chart", style)
    show.text_alternative(model.chart)

    # 6. Claim check
    st.subheader("Claim check: each claim against the estimates current at its date")
    st.caption(
        "Russia's annual output (intelligence and independent estimates) ÷ US and European output of the same year, "
        "using only rows published by the claim's date. Capacity and targets never count. See Method & sources."
    )
    if model.check_note:
        st.caption(show.md_escape(model.check_note))
    show.table(model.check)

    # 7. Downloads
    downloads.chart_files(data, model.chart, page, DEFAULT, link)
