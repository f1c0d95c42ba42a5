"""The words inside a figure: its title block (title, subtitle, source line, version, permalink) and hover text.

Every figure carries its own words, so an export or the toolbar's download is self-contained. They are wrapped
for the style's width, never for a fixed phone: an export's title spans the export. A permalink is broken only
between its parts (before '?' and '&'), never inside one, and shortened rather than broken. Hover text is
wrapped to what a phone shows beside a point, and cut only at the end of a sentence, never inside a word.
Text from the dataset is escaped before it reaches Plotly, whose labels understand a subset of HTML.
"""

from __future__ import annotations

import functools
import html
import re
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.present.chart_style import Style

# Average advance of a character, as a share of the font size (Inter/Arial): what decides how many fit a line.
CHAR_EM, BOLD_CHAR_EM = 0.52, 0.58
LINE_SPACING = 1.3  # Plotly spaces every line of a multi-line label by its base font size × this
TITLE_PX, SUBTITLE_PX, SOURCE_PX = 16, 13, 12
HOVER_CHARS = 40  # a hover label a phone can show beside a point (12 px type)
SIDE_PAD = 22  # the figure's left and right margins, which the words do not use
TOOLBAR = 40  # kept free at the right for the desktop toolbar, which stands upright at the figure's right edge


@dataclass(frozen=True)
class ChartText:
    """Words drawn inside every figure."""

    title: str
    subtitle: str
    source_line: str
    version: str
    permalink: str = ""
    updated: str = ""


def esc(value: object) -> str:
    """Text from the data, made inert for Plotly's HTML-like labels."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    # Plotly decodes &lt; &gt; &amp; but shows &quot; literally, so quote marks stay as they are:
    # outside attributes they cannot start markup.
    return html.escape(str(value), quote=False)


def lines(value: object, width: int) -> list[str]:
    """Text broken into lines of at most `width` characters at spaces (a longer word keeps its own line)."""
    return list(_lines(str(value or ""), max(8, width)))


@functools.lru_cache(maxsize=8192)
def _lines(text: str, width: int) -> tuple[str, ...]:
    # The same quotes and names are wrapped for every view a reader opens: remembered, not wrapped again.
    return tuple(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)) or ("",)


def wrap(value: object, width: int = 70) -> str:
    """Escaped text broken into <br>-separated lines."""
    return _wrapped(str(value or ""), width)


@functools.lru_cache(maxsize=8192)
def _wrapped(text: str, width: int) -> str:
    return "<br>".join(esc(line) for line in lines(text, width))


def chars_per_line(width_px: float, size_px: float, bold: bool = False) -> int:
    """How many characters of this size fit a line this wide."""
    return int(width_px / (size_px * (BOLD_CHAR_EM if bold else CHAR_EM)))


def link_lines(link: str, width: int) -> list[str]:
    """A permalink as lines broken only between its parts ('https://host/path', '?a=1', '&b=2'), never inside
    one; a part longer than a line is shortened (its scheme dropped, then its middle elided) so it still fits."""
    parts = re.split(r"(?=[?&])", link)
    if parts and len(parts[0]) > width:
        parts[0] = re.sub(r"^https?://", "", parts[0])
    parts = [p if len(p) <= width else p[: width // 2 - 1] + "…" + p[-(width // 2 - 1) :] for p in parts]
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) + len(part) <= width:
            out[-1] += part
        else:
            out.append(part)
    return out


@dataclass(frozen=True)
class TitleBlock:
    text: str  # Plotly title text: spans with sizes, <br> between lines
    height: float  # px it takes above the plot
    base_px: float  # the title's base font size (Plotly spaces lines by it)
    top_pad: float  # px above it: Plotly places the first line by the base size, and the title's is larger


def title_block(text: ChartText, style: Style) -> TitleBlock:
    """Title, subtitle, source line, version and permalink as one block wrapped for the style's width.

    The block's base font is the source line's size and each part sets its own: Plotly spaces every line by the
    base size, so a large base would open wide gaps between the small lines."""
    p = style.palette
    usable = style.width - SIDE_PAD - (TOOLBAR if not style.narrow and not style.height else 0)
    title_px, sub_px, src_px = style.px(TITLE_PX), style.px(SUBTITLE_PX), style.px(SOURCE_PX)
    source = f"Source: {text.source_line}. Shell Count data v{text.version}"
    if text.updated:
        source += f" (updated {text.updated})"
    title = lines(text.title, chars_per_line(usable, title_px, bold=True))
    subtitle = lines(text.subtitle, chars_per_line(usable, sub_px))
    source_lines = lines(source, chars_per_line(usable, src_px))
    link = link_lines(text.permalink, chars_per_line(usable, src_px)) if text.permalink else []
    parts = [
        f"<span style='font-size:{title_px}px'><b>{'<br>'.join(esc(x) for x in title)}</b></span>",
        f"<span style='font-size:{sub_px}px;color:{p.muted}'>{'<br>'.join(esc(x) for x in subtitle)}</span>",
        f"<span style='font-size:{src_px}px;color:{p.muted}'>{'<br>'.join(esc(x) for x in source_lines + link)}</span>",
    ]
    count = len(title) + len(subtitle) + len(source_lines) + len(link)
    base = src_px
    # The title's lines are taller than the base spacing: count them at their own size.
    height = (count - len(title)) * base * LINE_SPACING + len(title) * title_px * 1.25
    return TitleBlock("<br>".join(parts), height, base, 8 * style.scale + (title_px - base) * 1.3)


class Columns:
    """Some columns of a table as plain lists, read out of the DataFrame once: a pandas column access costs more than
    the Python a chart then does with it, and a chart reads the same few columns many times. A column the table
    lacks reads as empty strings."""

    def __init__(
        self, frame: pd.DataFrame | None, names=(), data: dict | None = None, rows: int = 0, as_text=()
    ) -> None:
        """`as_text`: date columns to read as 'YYYY-MM-DD HH:MM' text, what a trace's x needs (a Timestamp is deep-copied
        twice on its way to the browser, text is not)."""
        if frame is not None:
            present = [n for n in dict.fromkeys(names) if n in frame]
            data = {
                n: frame[n].dt.strftime("%Y-%m-%d %H:%M").tolist() if n in as_text else frame[n].tolist()
                for n in present
            }
            rows = len(frame)
        self.rows, self._data = rows, data or {}

    def slice(self, start: int, stop: int) -> Columns:
        """Rows start..stop of the same columns (no pandas involved)."""
        return Columns(None, data={k: v[start:stop] for k, v in self._data.items()}, rows=stop - start)

    def __getitem__(self, name: str) -> list:
        return self._data[name] if name in self._data else [""] * self.rows

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __len__(self) -> int:
        return self.rows


def first_sentence(text: object) -> str:
    """The first sentence of a reading (up to its first full stop followed by a space), never cut inside it."""
    value = str(text or "").strip()
    match = re.search(r"(?<=[.!?])\s", value)
    return value[: match.start()] if match else value


HOVER_COLUMNS = ("speaker", "speaker_role", "stated_on", "quote", "publisher", "original_publisher", "grade")


def hover_text(rows, value_text: list[str]) -> list[str]:
    """Who said it, when, the figure, the verbatim quote and the source, for each row, wrapped for a phone.

    `rows`: a DataFrame or a Columns."""
    out = []
    data = [rows[c] if isinstance(rows, Columns) else (rows[c].tolist() if c in rows else [""] * len(rows))
            for c in HOVER_COLUMNS]  # fmt: skip
    for (speaker, role, stated, quote, publisher, original, grade), value in zip(
        zip(*data, strict=True), value_text, strict=True
    ):
        who = f"<b>{wrap(speaker, HOVER_CHARS)}</b>" + (
            f"<br>{wrap(role, HOVER_CHARS)}" if isinstance(role, str) and role else ""
        )
        when = stated.strftime("%d %b %Y") if pd.notna(stated) else ""
        if isinstance(quote, str) and quote:
            said = "“" + wrap(quote, HOVER_CHARS) + "”"
        else:
            said = "<i>(no verbatim quote: the source paraphrases)</i>"
        outlet = f"{original}, via {publisher}" if isinstance(original, str) and original else str(publisher or "")
        source = wrap(f"Source: {outlet} · grade: {grade or ''}", HOVER_CHARS)
        out.append(f"{who}<br>{esc(when)}<br>{wrap(value, HOVER_CHARS)}<br>{said}<br>{source}")
    return out
