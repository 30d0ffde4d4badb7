"""A widget showing a votes figure, painted by the same routine as the SVG, PDF and PNG
files (:mod:`ketqual.render.votes`), scaled to fit."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ketqual.core.votes_figure import VoteFigure
from ketqual.render.votes.layout import ChartGeometry, lay_out
from ketqual.render.votes.style import ChartStyle


class VoteFigureView(QWidget):
    """The figure, as large as fits (never larger than printed size times 1.5)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.geometry_: ChartGeometry | None = None
        self.message = ""
        self.setAccessibleName("Votes figure")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)

    def set_figure(self, figure: VoteFigure | None, message: str = "") -> None:
        """Show ``figure`` (or ``message`` in its place)."""
        self.geometry_ = lay_out(figure) if figure is not None else None
        self.message = message
        self.setAccessibleDescription(figure.title if figure is not None else message)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(760, 420)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.geometry_ is None:
            painter.setPen(QColor("#666666"))
            painter.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.message,
            )
            painter.end()
            return
        size = self.geometry_.size()
        scale = min(self.width() / size.width(), self.height() / size.height(), 1.5)
        painter.translate(
            (self.width() - size.width() * scale) / 2, (self.height() - size.height() * scale) / 2
        )
        painter.scale(scale, scale)
        self.geometry_.paint(painter, False)
        painter.end()


PANEL_MIN_WIDTH = 300  # narrower than this, a side panel scrolls sideways


def panel_geometry(figure: VoteFigure, width: int) -> ChartGeometry:
    """``figure`` laid out again for a side panel ``width`` pixels wide: narrower margins
    and labels, the text at its printed size (shrinking the page-wide figure made it 5 px)."""
    width = max(width, PANEL_MIN_WIDTH)
    style = ChartStyle(width=width, margin=12.0, label_width=min(270.0, width * 0.35))
    return lay_out(figure, style)


def figure_pixmap(figure: VoteFigure, width: int) -> QPixmap:
    """A picture of ``figure`` for a side panel ``width`` pixels wide, unscaled."""
    geometry = panel_geometry(figure, width)
    size = geometry.size()
    pixmap = QPixmap(round(size.width()), max(1, round(size.height())))
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    geometry.paint(painter, False)
    painter.end()
    return pixmap
