"""Showing things: charts, their text alternatives, tables and problem lists, every value from the data escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from dashboard.data.csvfile import Problem
from dashboard.present import captions
from dashboard.present.view_models import ChartModel

inert_markdown = captions.inert_markdown  # the Method page renders the changelog with it
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&])")


def md_escape(text: object) -> str:
    """Text from data or the URL made inert for st.markdown (no links, HTML, LaTeX or colour directives)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


def problem_list(problems: Sequence[Problem]) -> None:
    """Problems as a real list (a screen reader reads it; a canvas grid it cannot), every value escaped."""
    st.markdown(
        "\n".join(
            f"- **{md_escape(p.path)}**, line {p.line}"
            + (f", column **{md_escape(p.column)}**" if p.column else "")
            + f": {md_escape(p.message)}"
            for p in problems
        )
    )


def chart(model: ChartModel, key: str) -> None:
    """The chart, or in its place a clear message when the view has nothing to draw (never empty axes)."""
    if model.empty:
        st.info(model.empty, icon="ℹ️")
        return
    st.plotly_chart(
        model.figure,
        width="stretch",
        theme=None,  # our own template, so the screen and the exported file look the same
        key=key,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}},
    )


def text_alternative(model: ChartModel) -> None:
    """The chart in words and as a table: a screen reader reaches both, a sighted reader can open them."""
    st.markdown(md_escape(model.summary))
    with st.expander("Describe this chart in words, with its data as a table"):
        st.markdown(md_escape(model.description))
        if model.note:
            st.caption(md_escape(model.note))
        table(model.table)


LINK_COLUMNS = ("link", "url", "source")  # a cell holding the page a row was read on
WIDE_COLUMNS = ("speaker", "estimates used", "quote", "interpretation")


def table(frame, column_config: dict | None = None, **kwargs) -> None:
    """st.dataframe with one set of conventions for every table: links as links, numbers with thousands
    separators, empty cells blank (never 'None'), names and sources wide enough to read."""
    config: dict = {}
    for name in frame.columns:
        if name in LINK_COLUMNS:
            label = "source link" if name in ("link", "url") else name
            config[name] = st.column_config.LinkColumn(label, display_text="open ↗")
        elif name in WIDE_COLUMNS:
            config[name] = st.column_config.TextColumn(name, width="large")
        elif frame[name].dtype.kind in "iuf":
            config[name] = st.column_config.NumberColumn(name, format="localized")
    st.dataframe(
        captions.blank_missing(frame),
        hide_index=True,
        width="stretch",
        column_config={**config, **(column_config or {})},
        **kwargs,
    )
