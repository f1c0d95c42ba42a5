"""Showing things: charts, their text alternatives, tables and problem lists, every value from the data escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

import streamlit as st

from dashboard.data.csvfile import Problem
from dashboard.present import captions
from dashboard.present.chart_style import DESKTOP, PHONE, Style
from dashboard.present.view_models import ChartModel

inert_markdown = captions.inert_markdown  # the Method page renders the changelog with it
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&])")


def md_escape(text: object) -> str:
    """Text from data or the URL made inert for st.markdown (no links, HTML, LaTeX or colour directives)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


def safe_url(url: object) -> str:
    """A link target st.markdown cannot misread: every character outside a URL's plain alphabet percent-encoded
    (brackets, spaces, quotes), and only https. The dataset's URLs are checked https already; this holds anyway."""
    text = str(url or "")
    return quote(text, safe=":/?&=#%+,;@~-._!*") if text.startswith("https://") else ""


def cards(frame, title: Sequence[str], body: Sequence[str], link: str = "", limit: int = 60) -> None:
    """Rows as short cards, for a phone where a table of many columns shows two: the `title` columns in bold on
    the first line, the `body` columns below, the `link` column as a source link. At most `limit` rows."""
    lines = []
    for record in frame.head(limit).to_dict("records"):
        head = " · ".join(md_escape(record[c]) for c in title if record.get(c) not in (None, ""))
        parts = [md_escape(record[c]) for c in body if isinstance(record.get(c), str) and record[c]]
        target = safe_url(record.get(link)) if link else ""
        source = f"[source ↗]({target})" if target else ""
        lines.append(f"**{head}**  \n" + "  \n".join(p for p in [*parts, source] if p))
    st.markdown("\n\n---\n\n".join(lines))
    if len(frame) > limit:
        st.caption(f"The first {limit} of {len(frame)} are shown here; the CSV download below has them all.")


def grouped_lines(frame, group: str, first: str, rest: Sequence[str], link: str = "") -> None:
    """Rows grouped under a bold heading per `group` value, one short line each (`first` in bold, then `rest`, then a
    source link): a phone's compact form of a table read group by group, such as each side's output per year."""
    blocks = []
    for value, rows in frame.groupby(group, sort=False):
        lines = []
        for record in rows.to_dict("records"):
            target = safe_url(record.get(link)) if link else ""
            parts = [md_escape(record[c]) for c in rest if record.get(c) not in (None, "")]
            lines.append(
                f"**{md_escape(record[first])}**: " + " · ".join(parts) + (f" · [source ↗]({target})" if target else "")
            )
        blocks.append(f"**{md_escape(value)}**  \n" + "  \n".join(lines))
    st.markdown("\n\n".join(blocks))


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


def screen_style() -> Style:
    """How this reader's charts are laid out: for a phone or a desktop window (the server cannot know a window's
    width; the browser says whether it is a phone: Sec-CH-UA-Mobile, or "Mobi"/"Android" in its User-Agent), in the
    theme the reader sees (Streamlit's light or dark)."""
    headers = st.context.headers
    agent = headers.get("User-Agent", "") or ""
    phone = headers.get("Sec-CH-UA-Mobile", "") == "?1" or "Mobi" in agent or "Android" in agent
    dark = (st.context.theme.type or "light") == "dark"
    style = PHONE if phone else DESKTOP
    return style.dark() if dark else style


def chart(model: ChartModel, key: str, style: Style) -> None:
    """The chart, or in its place a clear message when the view has nothing to draw (never empty axes)."""
    if model.empty:
        st.info(model.empty, icon="ℹ️")
        return
    st.plotly_chart(
        model.figure_for(style),
        width="stretch",
        theme=None,  # our own templates (light and dark), so the screen and the exported file look the same
        key=key,
        config={
            "displaylogo": False,
            # On a phone the toolbar would sit on the chart's title, and the page's own downloads are right below.
            "displayModeBar": not style.narrow,
            "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2},
        },
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
WIDE_COLUMNS = ("quote", "interpretation", "estimates used", "notes")
MEDIUM_COLUMNS = ("speaker", "claimed", "implied by estimates", "figure", "outlet")
NARROW_COLUMNS = ("claim_id", "id")
WRAPPED_ROWS = 86  # px: above 4rem Streamlit wraps a cell's text, so a quote reads in up to four lines


def table(frame, column_config: dict | None = None, wrapped: bool = False, **kwargs) -> None:
    """st.dataframe with one set of conventions for every table: links as links, numbers with thousands
    separators, empty cells blank (never 'None': the placeholder, whatever the column's type), words wide enough to
    read, wrapped when `wrapped`."""
    config: dict = {}
    for name in frame.columns:
        if name in LINK_COLUMNS:
            label = "source link" if name in ("link", "url") else name
            config[name] = st.column_config.LinkColumn(label, display_text="open ↗")
        elif name in WIDE_COLUMNS:
            config[name] = st.column_config.TextColumn(name, width="large")
        elif name in MEDIUM_COLUMNS:
            config[name] = st.column_config.TextColumn(name, width="medium")
        elif name in NARROW_COLUMNS:
            config[name] = st.column_config.TextColumn(name, width="small")
        elif frame[name].dtype.kind in "iuf":
            config[name] = st.column_config.NumberColumn(name, format="localized")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={**config, **(column_config or {})},
        placeholder="",
        **({"row_height": WRAPPED_ROWS} if wrapped else {}),
        **kwargs,
    )
