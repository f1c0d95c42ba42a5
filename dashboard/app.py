"""Entry point: `streamlit run dashboard/app.py`. Frames every page of the registry: the dataset check (the
validator's problems instead of a page on an invalid dataset), the not-found page, the page, the footer."""

import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on sys.path, not the repository root that holds the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from dashboard.data.paths import STATIC_DIR
from dashboard.web import frame, startup
from dashboard.web.views import RENDERERS

startup.freeze_imported_objects()  # after every page module is imported (web.views)

st.set_page_config(
    page_title="Shell Count",
    page_icon=str(STATIC_DIR / "favicon.png"),
    layout="wide",
    menu_items={"About": "Shell Count: what has been reported and claimed about artillery-ammunition output."},
)
frame.navigation(RENDERERS).run()
