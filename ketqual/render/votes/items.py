"""The pieces a laid-out votes figure is made of (texts, rectangles, lines) and the font of
each text role: :mod:`ketqual.render.votes.layout` places them and
:mod:`ketqual.render.votes.painting` paints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF

from ketqual.render import fonts
from ketqual.render.votes.style import ChartStyle

ROLES = ("title", "label", "value", "tick", "caption", "legend", "inside")


@dataclass(frozen=True)
class TextItem:
    """A line of text: its left end at ``x``, its baseline at ``baseline``."""

    x: float
    baseline: float
    text: str
    role: str
    colour: str


@dataclass(frozen=True)
class RectItem:
    """A filled rectangle (a bar, a segment, a legend swatch), outlined if ``outline``."""

    rect: QRectF
    fill: str
    outline: str | None = None


@dataclass(frozen=True)
class LineItem:
    """A straight line (an axis, a tick, a grid line)."""

    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0


def font_for(role: str, s: ChartStyle):
    """The font of a text role."""
    sizes = {
        "title": (s.title_px, True),
        "label": (s.label_px, False),
        "value": (s.value_px, False),
        "inside": (s.value_px, True),
        "tick": (s.tick_px, False),
        "caption": (s.caption_px, False),
        "legend": (s.legend_px, False),
    }
    px, bold = sizes[role]
    return fonts.font(px, bold)
