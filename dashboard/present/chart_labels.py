"""Label boxes placed where nothing is drawn, joined to their points by leader lines.

A chart knows where its marks will fall: it sets the figure's size (from its Style), its margins and its axis
ranges. So each labelled point's box is tried at positions around it, nearest first, and the first one that
lies inside the plot and clear of every mark and every box already placed is taken. Sizes are estimated from
the words and the type size, with a margin; the browser checker (tests/browser) measures the drawn result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.present.chart_words import CHAR_EM

LABEL_LINE = 1.3  # line height of a label, as a share of its type size
PAD = 6  # px kept free around every mark and box


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def hits(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1


@dataclass(frozen=True)
class Plot:
    """The plot area in figure pixels (y down), and how data map into it: a date x axis, a log or linear y."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]  # in seconds since the epoch (what a timestamp's .timestamp() gives)
    y_range: tuple[float, float]  # log10 of the range when `log`
    log: bool = True

    def x(self, when) -> float:
        lo, hi = self.x_range
        return self.left + self.width * (when.timestamp() - lo) / (hi - lo)

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        v = math.log10(value) if self.log else value
        return self.top + self.height * (1 - (v - lo) / (hi - lo))

    @property
    def box(self) -> Box:
        return Box(self.left, self.top, self.left + self.width, self.top + self.height)


def label_size(text_lines: list[str], size_px: float) -> tuple[float, float]:
    """(width, height) in px of a bordered label box holding these lines."""
    longest = max((len(line) for line in text_lines), default=0)
    return longest * size_px * CHAR_EM + 10, len(text_lines) * size_px * LABEL_LINE + 8


# Directions tried, as (dx, dy) unit steps: up-left first (the labelled claims are the latest, at the right).
DIRECTIONS = [(-1, -1), (-1, 1), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (1, 0)]
DISTANCES = (34, 56, 84, 118, 160, 210, 270)


def place(anchors: list[tuple[float, float]], sizes: list[tuple[float, float]], marks: list[Box], area: Box):
    """For each anchor (in order), the offset (dx, dy) in px from the anchor to its box's centre, or None when no
    free place exists (the caller then leaves the label out and says so elsewhere)."""
    taken = [m.grown(PAD) for m in marks]
    out = []
    for (ax, ay), (w, h) in zip(anchors, sizes, strict=True):
        chosen = None
        for distance in DISTANCES:
            for dx, dy in DIRECTIONS:
                cx = ax + dx * (distance + w / 2 * abs(dx))
                cy = ay + dy * (distance * 0.7 + h / 2 * abs(dy))
                box = Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if box.inside(area) and not any(box.hits(t) for t in taken):
                    chosen = (cx - ax, cy - ay, box)
                    break
            if chosen:
                break
        if chosen is None:
            out.append(None)
            continue
        taken.append(chosen[2].grown(PAD))
        out.append((chosen[0], chosen[1]))
    return out
