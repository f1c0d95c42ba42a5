"""Contribute: how to add a row, and a form that checks one with the same code as add_row.

The server never writes to the dataset: a valid row comes back as CSV lines to copy or download.
"""

from datetime import date

import streamlit as st

from dashboard.present import export, view_models
from dashboard.present.registry import Page
from dashboard.web import form as inputs
from dashboard.web import frame, show


def render(page: Page, data: frame.Data) -> None:
    form = frame.memo(data, view_models.contribution_form)
    st.title(page.heading)
    st.markdown(
        "1. **Find and read the source** — the page itself, not a memory of it. Prefer the original outlet.\n"
        "2. **Save the passage** that carries the quote and the figure, verbatim, under `seeds/excerpts/<source_id>.txt`.\n"
        "3. **Add the row** with `python -m dashboard.add_row` (or check it with the form below).\n"
        "4. **Validate and test**: `python -m dashboard.validate`, then the test command in the README.\n"
        "5. **Open a pull request** naming the source. Full steps in CONTRIBUTING.md."
    )
    st.info(
        "Never a figure, date, quote or URL from memory: a row without a page that says it does not go in.", icon="ℹ️"
    )

    with st.form("proposal"):
        st.subheader("The claim")
        left, right = st.columns(2)
        claim = {}
        for i, f in enumerate(form.claim_fields):
            with left if i % 2 == 0 else right:
                claim[f.name] = inputs.field_widget(f, "claim")
        new_source = st.checkbox("The source is new (add it to sources.csv too)", key="new_source")
        st.subheader("A new source (only if the box above is ticked)")
        left, right = st.columns(2)
        source = {}
        for i, f in enumerate(form.source_fields):
            with left if i % 2 == 0 else right:
                source[f.name] = inputs.field_widget(
                    f, "source", date.today().isoformat() if f.name == "accessed_on" else ""
                )
        passage = st.text_area(
            "The page's passage, verbatim (becomes the excerpt file)", key="passage", max_chars=20000
        )
        submitted = st.form_submit_button("Check the row", type="primary")

    if submitted:
        proposed_source = {**source, "source_id": claim.get("source_id", "")} if new_source else None
        change = inputs.check_proposal(claim, proposed_source, passage if new_source else None)
        if change.problems:
            st.error(f"{len(change.problems)} problem(s). Nothing was saved; fix them and check again.")
            show.problem_list(change.problems)
        else:
            st.success(
                "The row passes every check. Copy the lines below into the files (or download them) and open a pull request."
            )
            lines = (
                "claims.csv:\n"
                + change.lines["claims"]
                + ("\n\nsources.csv:\n" + change.lines["sources"] if "sources" in change.lines else "")
            )
            st.code(lines, language=None, wrap_lines=True)
            st.download_button("Download as a text file", data=lines.encode("utf-8"), file_name=export.safe_filename("proposed-row", claim.get("claim_id", ""), extension="txt"),
                               mime="text/plain", key="proposal_download", on_click="ignore")  # fmt: skip
