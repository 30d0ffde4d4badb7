"""Text for every figure: wrapping to a width and drawing at a baseline (as glyphs, or as
outlines for SVG files that must look the same without the font installed)."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath


def wrap(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """Greedy word wrap to ``width`` pixels (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    current = ""
    # Split at plain spaces only: a no-break space keeps "(n = 12)" on one line.
    for word in (w for w in text.split(" ") if w):
        trial = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current or not lines:
        lines.append(current)
    return lines


def draw_text(
    painter: QPainter, baseline: QPointF, text: str, font: QFont, colour: QColor, as_path: bool
) -> None:
    """Text at a baseline point, as glyphs or as filled outlines."""
    if as_path:
        path = QPainterPath()
        path.addText(baseline, font, text)
        painter.fillPath(path, QBrush(colour))
        return
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(baseline, text)
