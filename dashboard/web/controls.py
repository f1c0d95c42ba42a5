"""A page's filters and the URL: the widgets from the filter table, their first values from the link, the link
following every change.

Why not Streamlit's own `bind="query-params"`: it writes lists as repeated parameters (older links carry
"a,b"), drops a bad value without a word, and syncs in the browser where AppTest cannot see it; the evidence is
in docs/ARCHITECTURE.md ("Filters and the URL").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from dashboard.analysis.filters import BY_NAME, DEFAULT, ViewState, is_set

__all__ = ["DEFAULT", "filters", "page_link", "summary", "sync_url"]
from dashboard.data.schema import reference_package
from dashboard.present import identity, url_state
from dashboard.present.chart_style import Style
from dashboard.present.registry import Page
from dashboard.web import frame, show


def filters(
    page: Page, offered: dict[str, list[str]], collapsed: bool = False, labels: dict[str, dict[str, str]] | None = None
) -> tuple[ViewState, str]:
    """Draw the page's filters (its registry layout) and return (view, permalink).

    The URL sets the widgets' first values; a value this dataset has no row for is kept, offered, and noticed.
    `collapsed`: the filters sit in one expander whose label shows the active choices in a line. `labels`: how the
    widgets name values the data defines (a line's title for its id), beside identity's fixed names."""
    labels = labels or {}
    names = page.filter_names
    keys = [BY_NAME[name].url_key for name in names]
    offered = _first_view(page.name, names, keys, offered)
    view = current_view(page.name, names)  # what the widgets will show: the URL's values, or the reader's
    # A key keeps the expander one element while its label follows the choices (else it would close on each).
    box = (
        st.expander(summary(view, names), icon=":material/tune:", key=f"{page.name}__filters")
        if collapsed
        else st.container(border=True)
    )
    with box:
        for row in page.layout:
            cells = [(cell, 1.0) if isinstance(cell, str) else cell for cell in row]
            for column, (name, _) in zip(st.columns([w for _, w in cells]), cells, strict=True):
                with column:
                    f = BY_NAME[name]
                    f.widget(st, f"{page.name}_{name}", offered.get(name, []),
                             lambda v, n=name: labels.get(n, {}).get(v) or identity.value_name(n, v))  # fmt: skip
    return view, sync_url(view, keys)


@dataclass(frozen=True)
class Filtered:
    """A filtered page's view: its model for the reader's choices, and where its chart goes."""

    model: Any  # the page's view model (registry: page.chart.model)
    view: ViewState
    link: str  # the permalink of this view
    style: Style
    phone: bool
    chart_slot: Any  # a Streamlit container: above the filters on a phone, below them on a desktop


def filtered(page: Page, data: frame.Data, labels: dict[str, dict[str, str]] | None = None) -> Filtered:
    """The frame of every filtered chart page: on a phone the chart comes first and its filters fold into one line
    under it; on a desktop the filters sit above it. The model is cached per dataset version and view."""
    style = show.screen_style()
    phone = style.narrow
    above = st.container()
    view, link = filters(page, frame.memo(data, page.options), collapsed=phone, labels=labels)
    model = frame.memo(data, page.chart.model, view, link)  # its figure is built per style when shown
    return Filtered(model, view, link, style, phone, above if phone else st.container())


def summary(view: ViewState, names: list[str]) -> str:
    """'Filters: Russia, United States · output · linear' — the active choices in a line (or 'Filters: none')."""
    parts = []
    for name in names:
        f, value = BY_NAME[name], getattr(view, name)
        if not is_set(f, value):
            continue
        if isinstance(value, tuple):
            parts.append(", ".join(identity.value_name(name, v) for v in value))
        else:
            parts.append(f"{f.label.lower()} {value}")
    return "Filters: " + (" · ".join(parts) if parts else "none (every figure)")


def page_link() -> str:
    """The permalink of a page without filters."""
    return sync_url(DEFAULT, [])


def _first_view(page: str, names: list[str], keys: list[str], offered: dict[str, list[str]]) -> dict[str, list[str]]:
    """On this page's first run in the session the widgets take the URL's values; notices say what was not used.
    Returns the values each widget offers (with any the link named that this dataset lacks: kept, not dropped)."""
    marker = f"{page}__from_url"
    if marker not in st.session_state:
        parsed, notices = url_state.parse(_query_dict(), reference_package(), keys)
        parsed, options, more = url_state.reconcile(parsed, {n: offered[n] for n in names if n in offered})
        st.session_state[marker] = True
        st.session_state[f"{page}__notices"] = notices + more
        st.session_state[f"{page}__kept"] = {n: [v for v in options[n] if v not in offered[n]] for n in options}
        for name in names:
            value = getattr(parsed, name)
            st.session_state[f"{page}_{name}"] = list(value) if isinstance(value, tuple) else value
    for notice in st.session_state.get(f"{page}__notices", []):
        st.info(notice, icon="ℹ️")
    kept = st.session_state.get(f"{page}__kept", {})
    return {n: [*values, *kept.get(n, [])] for n, values in offered.items()}


def current_view(page: str, names: list[str]) -> ViewState:
    """The state the widgets hold now (after the reader changed them)."""
    return replace(DEFAULT, **{n: BY_NAME[n].from_widget(st.session_state.get(f"{page}_{n}")) for n in names})


def _query_dict() -> dict[str, list[str]]:
    params = st.query_params
    return {key: params.get_all(key) for key in params}


def sync_url(view: ViewState, keys: list[str]) -> str:
    """Write the view into the URL so a copied link reopens it; returns the permalink."""
    query = url_state.to_query(view, keys)
    if {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)
    return frame.permalink(query)
