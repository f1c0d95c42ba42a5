"""Method & sources: the method in plain words, the data dictionary, changelog, licence and citation."""

from datetime import date

import streamlit as st

from dashboard.present import view_models
from dashboard.present.registry import Page
from dashboard.web import controls, downloads, frame, show


def render(page: Page, data: frame.Data) -> None:
    link = controls.page_link()
    model = frame.memo(data, view_models.method, link, date.today())

    st.title(page.heading)
    st.markdown(model.method)

    st.subheader("Sources at a glance")
    st.dataframe(model.grades, hide_index=True)

    st.subheader("Data dictionary")
    st.caption("Generated from datasets/datapackage.json, the one schema the validator and the app both read.")
    st.dataframe(model.dictionary, hide_index=True, width="stretch")

    st.subheader("How to cite")
    downloads.citation(model.citation)
    st.markdown(f"Licence: **{show.md_escape(model.license)}**. Reuse freely with attribution; cite the data version.")

    st.subheader("Changelog")
    # Rendered as the Markdown it is, with Streamlit's colour and LaTeX directives made literal (the file comes with
    # the data package): the newest release open, earlier ones folded.
    intro, newest, earlier = model.changelog
    st.markdown(show.inert_markdown(intro) if intro else "")
    st.markdown(show.inert_markdown(newest) if newest else "No release is listed yet.")
    if earlier:
        with st.expander("Every change of this release, and earlier releases"):
            st.markdown(show.inert_markdown(earlier))
