"""Painting a laid-out votes figure: the one routine the window and the files share."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from ketqual.render.text import draw_text
from ketqual.render.votes.layout import ChartGeometry, LineItem, RectItem, TextItem, font_for


def paint_chart(painter: QPainter, geometry: ChartGeometry, *, text_as_paths: bool = False) -> None:
    """Paint every item of ``geometry`` from the page's top-left corner at (0, 0)."""
    s = geometry.style
    fonts = {}
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for item in geometry.items:
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
