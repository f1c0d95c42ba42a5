"""The Contribute page's form: an input per schema field, and the proposed row checked by add_row's own code."""

from __future__ import annotations

import streamlit as st

from dashboard.data.schema import Field
from dashboard.maintain import edits

LONG_TEXT = ("quote", "interpretation", "notes")


def field_widget(f: Field, prefix: str, default: str = "") -> str:
    """An input for one schema field: a choice for an enum, a text area for long text, else a text box.

    A required choice starts empty ('Choose…'), never on its first value: a contributor who skips it is told it is
    missing instead of sending a value nobody chose."""
    label = f"{f.name}{' *' if f.required else ''}"
    help_text = f.description or None
    key = f"{prefix}_{f.name}"
    if f.enum:
        if f.required:
            chosen = st.selectbox(label, f.enum, index=None, key=key, help=help_text, placeholder="Choose…")
            return chosen or ""
        return st.selectbox(label, ["", *f.enum], key=key, help=help_text, format_func=lambda v: v or "(empty)")
    if f.name in LONG_TEXT:
        return st.text_area(label, key=key, help=help_text, max_chars=f.max_length)
    return st.text_input(label, value=default, key=key, help=help_text, max_chars=f.max_length)


def check_proposal(claim: dict, source: dict | None, passage: str | None) -> edits.Change:
    """The proposed row checked by the same code as add_row; nothing is written."""
    return edits.propose(claim, source, passage)
