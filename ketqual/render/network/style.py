"""Sizes, fonts and colours of the figure, in pixels at 96 dpi (one CSS pixel).

Fonts are shared with every figure (:mod:`ketqual.render.fonts`): sized in pixels, never
points, so SVG, PDF and PNG come out at the same scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

# The fonts are shared by every figure; imported here so the network's modules keep one place.
from ketqual.render.fonts import PREFERRED_FAMILIES, family, font

__all__ = ["PREFERRED_FAMILIES", "FigureStyle", "border_colour", "family", "fill_colour", "font"]


@dataclass(frozen=True)
class FigureStyle:
    """Everything that sets the look of the figure (pixels at 96 dpi)."""

    title_px: int = 20
    name_px: int = 15
    n_px: int = 13
    subtheme_px: int = 13
    label_px: int = 12
    legend_px: int = 13
    box_min_width: float = 150.0
    box_text_width: float = 210.0  # subtheme lines wrap at this width
    padding: float = 10.0
    radius: float = 10.0
    line_gap: float = 2.0
    border_px: float = 1.6
    margin: float = 20.0
    gap_x: float = 84.0
    gap_y: float = 64.0
    edge_min_px: float = 1.2
    edge_max_px: float = 5.0
    arrow_px: float = 9.0
    tint: float = 0.80  # how far a theme's colour is mixed with white for the box fill
    text_colour: str = "#1A1A1A"
    edge_colour: str = "#505050"


def fill_colour(colour: str, tint: float) -> QColor:
    """A light tint of a theme's colour, so dark text stays readable in print."""
    base = QColor(colour)
    if not base.isValid():
        base = QColor("#BBBBBB")
    return QColor(
        round(base.red() + (255 - base.red()) * tint),
        round(base.green() + (255 - base.green()) * tint),
        round(base.blue() + (255 - base.blue()) * tint),
    )


def border_colour(colour: str) -> QColor:
    """The theme's own colour for the border (darkened if very light, so it shows)."""
    base = QColor(colour)
    if not base.isValid():
        base = QColor("#BBBBBB")
    if base.lightness() > 170:
        base = base.darker(150)
    return base
