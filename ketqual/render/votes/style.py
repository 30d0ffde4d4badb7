"""Sizes and colours of the votes figures, in pixels at 96 dpi.

The page is 7.5 inches wide (720 px), a journal's full text width; at a single column
(about 3.5 inches) the smallest text (12 px = 9 pt) still prints at 4 pt or more, and at
full width at 9 pt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartStyle:
    """Everything that sets the look of a votes figure (pixels at 96 dpi)."""

    width: float = 720.0
    margin: float = 24.0
    title_px: int = 17
    label_px: int = 13
    value_px: int = 13
    tick_px: int = 12
    caption_px: int = 12
    legend_px: int = 13
    label_width: float = 270.0  # option and question texts wrap at this width
    label_gap: float = 12.0
    bar_height: float = 22.0
    stack_height: float = 30.0
    row_gap: float = 12.0
    value_gap: float = 6.0
    tick_length: float = 4.0
    swatch: float = 13.0
    text_colour: str = "#1A1A1A"
    muted_colour: str = "#555555"
    axis_colour: str = "#404040"
    grid_colour: str = "#E3E3E3"
    outline_colour: str = "#7A7A7A"
