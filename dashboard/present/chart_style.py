"""How a figure is laid out for where it is shown: its width, its theme, its type scale; the two themes.

Every chart function takes a Style. The words inside a figure (title, subtitle, source line, permalink) are
wrapped for `width`, the pixels the figure is drawn at: a phone (PHONE), a desktop window (DESKTOP), an export
(EXPORT, PORTRAIT). The live app cannot know a window's width, so it picks PHONE or DESKTOP from what the
browser says it is; exports and the static site know theirs. Colours come from the theme, so a chart is built
light or dark from the same code; every subject keeps its identity colour (present/identity.py), only black and
grey marks are lifted on a dark background.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import plotly.graph_objects as go

FONT = "Inter, 'Source Sans Pro', Arial, sans-serif"


@dataclass(frozen=True)
class Palette:
    paper: str
    plot: str
    ink: str  # titles, tick labels
    muted: str  # subtitles, source line
    grid: str
    box: str  # the background of a label box
    box_border: str
    reference: str  # the parity line, neutral marks
    band: str  # the estimate bands' fill


THEMES = {
    "light": Palette("#FFFFFF", "#FFFFFF", "#1D2733", "#4A5462", "#E6EBF2", "rgba(255,255,255,0.94)", "#8A94A3",
                     "#333333", "rgba(120,120,120,0.18)"),
    "dark": Palette("#0E1117", "#0E1117", "#E6EAF0", "#B4BCC8", "#2A303B", "rgba(14,17,23,0.94)", "#7C8594",
                    "#C8CDD5", "rgba(200,200,200,0.16)"),
}  # fmt: skip
# Marks whose identity colour is black or grey would vanish on a dark background: lifted, nothing else changes.
DARK_LIFT = {"#000000": "#F2F2F2", "#666666": "#A6A6A6", "#999999": "#BDBDBD", "#333333": "#C8CDD5"}


@dataclass(frozen=True)
class Style:
    """Where a figure is shown. `width` is the figure's width in CSS pixels (what its words are wrapped for);
    `height` fixes the export's height (None: the chart's own); `scale` multiplies every type size."""

    width: int = 358
    theme: str = "light"
    scale: float = 1.0
    height: int | None = None

    @property
    def palette(self) -> Palette:
        return THEMES[self.theme]

    def color(self, identity_color: str) -> str:
        """A subject's or side's colour on this theme's background."""
        return DARK_LIFT.get(identity_color.upper(), identity_color) if self.theme == "dark" else identity_color

    def px(self, size: float) -> float:
        """A type size on this style's scale."""
        return round(size * self.scale, 1)

    @property
    def narrow(self) -> bool:
        """Laid out for a phone: legends in columns, shorter lines, no toolbar (every wider style is a window or an
        export)."""
        return self.width < NARROW_BELOW

    @property
    def band_alpha(self) -> float:
        """How opaque a yearly band of estimates is: stronger on a dark background, where a faint tint vanishes."""
        return 0.3 if self.theme == "dark" else 0.16

    def dark(self) -> Style:
        return replace(self, theme="dark")


NARROW_BELOW = 600  # px: a figure narrower than this is laid out for a phone
PHONE = Style(358)  # a 390 px phone: the figure spans the screen less the page's padding
# A desktop window: the words are wrapped for a figure this wide, so they fill at least half of a wide screen's figure
# and still fit a window down to about 900 px (the app's phone layout is for phones, which say they are).
DESKTOP = Style(860)
EXPORT_WIDTH, EXPORT_HEIGHT = 1280, 720
PORTRAIT_WIDTH, PORTRAIT_HEIGHT = 1080, 1350
EXPORT = Style(EXPORT_WIDTH, height=EXPORT_HEIGHT)
PORTRAIT = Style(PORTRAIT_WIDTH, scale=1.6, height=PORTRAIT_HEIGHT)
MIN_EXPORT_TEXT = 12  # no text smaller than this in an export (px at the export's size)


def _template(p: Palette) -> go.layout.Template:
    # Built once per theme: the stock "plotly_white" is deep-copied into every figure, which costs more than
    # the rest of a small chart (bench/RESULTS.md).
    axis = dict(gridcolor=p.grid, linecolor=p.grid, zerolinecolor=p.grid, automargin=True, ticks="",
                tickfont=dict(color=p.ink), title=dict(font=dict(color=p.ink)))  # fmt: skip
    return go.layout.Template(
        layout=dict(
            paper_bgcolor=p.paper, plot_bgcolor=p.plot, hovermode="closest", font=dict(color=p.ink, family=FONT),
            xaxis=axis, yaxis=axis, legend=dict(font=dict(color=p.ink)),
            hoverlabel=dict(bgcolor=p.paper, bordercolor=p.box_border, font=dict(color=p.ink)),
        )
    )  # fmt: skip


TEMPLATES = {name: _template(palette) for name, palette in THEMES.items()}
