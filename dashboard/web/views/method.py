"""Method & sources: the method in plain words, the data dictionary, changelog, licence and citation."""

from datetime import date

import streamlit as st

from dashboard.data import paths
from dashboard.present import data_dictionary, export
from dashboard.web import ui

data = ui.dataset()
link = ui.sync_url(ui.current_state("method", []), [])

st.title("Method & sources")
st.markdown((paths.CONTENT_DIR / "method.md").read_text(encoding="utf-8"))

st.subheader("Sources at a glance")
grades = data.sources["grade"].value_counts().rename_axis("grade").reset_index(name="sources")
st.dataframe(grades, hide_index=True)

st.subheader("Data dictionary")
st.caption("Generated from datasets/datapackage.json, the one schema the validator and the app both read.")
st.dataframe(data_dictionary.dictionary_table(data.package), hide_index=True, width="stretch")

st.subheader("How to cite")
citation = export.Citation(
    title=data.package.title, version=data.version, url=link, accessed=date.today(), license=data.package.license
)
st.code(citation.plain(), language=None, wrap_lines=True)
st.code(citation.bibtex(), language="bibtex")
st.markdown(f"Licence: **{ui.md_escape(data.package.license)}**. Reuse freely with attribution; cite the data version.")

st.subheader("Changelog")
st.code(data.changelog or "No changelog found.", language="markdown", wrap_lines=True)
ui.footer(data)
