"""The baseline: the smallest reasonable Streamlit app over the same claims.csv, one px.scatter. It has one filter
("Stated to", like the real pages) and a log/linear radio, so the benchmarks change the same kind of widget on both
apps. Started like the app (`streamlit run` from the repository root, same config; DASHBOARD_DATA_DIR as the app's).
"""

import sys
from pathlib import Path

# As in dashboard/app.py: `streamlit run` puts bench/ on sys.path, not the repository root that holds the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard import settings  # the one reader of the environment

DATA = Path(settings.DATA_DIR.get() or Path(__file__).resolve().parent.parent / "datasets")


@st.cache_data(show_spinner=False)
def read(path: str) -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=["stated_on"])


claims = read(str(DATA / "claims.csv"))
st.title("Baseline")
end = st.date_input("Stated to", value=None, key="end", format="YYYY-MM-DD")
scale = st.radio("Scale", ["log", "linear"], key="scale", horizontal=True)
rows = claims if end is None else claims[claims["stated_on"] <= pd.Timestamp(end)]
fig = px.scatter(rows, x="stated_on", y="value_high", color="measure", log_y=scale == "log")
st.plotly_chart(fig, key="baseline_chart")
