"""Entry point: `streamlit run dashboard/app.py`. Navigation over the pages declared in web/pages.py; nothing else."""

import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on sys.path, not the repository root that holds the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from dashboard.data.paths import STATIC_DIR
from dashboard.web import startup, ui  # noqa: F401 - ui: the pages' modules are imported before the freeze
from dashboard.web.pages import PAGES

startup.freeze_imported_objects()

st.set_page_config(
    page_title="Shell Count",
    page_icon=str(STATIC_DIR / "favicon.png"),
    layout="wide",
    menu_items={"About": "Shell Count: what has been reported and claimed about artillery-ammunition output."},
)
navigation = st.navigation(
    [
        st.Page(page.script, title=page.title, icon=page.icon, default=page.default, url_path=page.url_path or None)
        for page in PAGES
    ],
    position="top",
)
navigation.run()
