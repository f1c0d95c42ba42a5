"""Entry point: `streamlit run dashboard/app.py`. Navigation over the six pages; nothing else."""

import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on sys.path, not the repository root that holds the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

PAGES = Path(__file__).resolve().parent / "views"

st.set_page_config(
    page_title="Shell Count",
    page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"),
    layout="wide",
    menu_items={"About": "Shell Count: what has been reported and claimed about artillery-ammunition output."},
)
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="Overview", icon=":material/monitoring:", default=True),
        st.Page(PAGES / "output.py", title="Output", icon=":material/factory:", url_path="output"),
        st.Page(PAGES / "claims.py", title="Claims", icon=":material/record_voice_over:", url_path="claims"),
        st.Page(PAGES / "data.py", title="Data", icon=":material/table:", url_path="data"),
        st.Page(PAGES / "method.py", title="Method & sources", icon=":material/menu_book:", url_path="method"),
        st.Page(PAGES / "contribute.py", title="Contribute", icon=":material/edit_note:", url_path="contribute"),
    ],
    position="top",
)
navigation.run()
