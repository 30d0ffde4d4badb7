"""Painting a laid-out votes figure: the one routine the window and the files share."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from ketqual.render.text import draw_text
from ketqual.render.votes.items import LineItem, RectItem, TextItem, font_for
from ketqual.render.votes.style import ChartStyle


def paint_items(
    painter: QPainter,
    items: Iterable[LineItem | RectItem | TextItem],
    style: ChartStyle,
    *,
    text_as_paths: bool = False,
) -> None:
    """Paint laid-out items from the page's top-left corner at (0, 0)."""
    s = style
    fonts = {}
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for item in items:
        if isinstance(item, LineItem):
            pen = QPen(QColor(item.colour), item.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QLineF(item.x1, item.y1, item.x2, item.y2))
        elif isinstance(item, RectItem):
            if item.outline:
                painter.setPen(QPen(QColor(item.outline), 0.8))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(item.fill)))
            painter.drawRect(item.rect)
        elif isinstance(item, TextItem):
            font = fonts.get(item.role)
            if font is None:
                font = fonts[item.role] = font_for(item.role, s)
            draw_text(
                painter,
                QPointF(item.x, item.baseline),
                item.text,
                font,
                QColor(item.colour),
                text_as_paths,
            )
    painter.restore()
