"""The network figure as SVG, PDF or PNG, drawn by the same painting routines as the app.

The file writing itself is shared by every figure (:mod:`ketqual.render.export`); here the
laid-out network becomes a drawing whose page is the figure's bounds, margins included.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QPainter

from ketqual.core.network_figure import NetworkFigure
from ketqual.render import ensure_app
from ketqual.render import export as files
from ketqual.render.network.geometry import FigureGeometry, lay_out
from ketqual.render.network.painting import paint_figure
from ketqual.render.network.style import FigureStyle

FORMATS = files.FORMATS
SCREEN_DPI = files.SCREEN_DPI
PNG_DPI = files.PNG_DPI


class NetworkDrawing:
    """A laid-out network as a :class:`ketqual.render.export.Drawing`."""

    def __init__(self, geometry: FigureGeometry) -> None:
        self.geometry = geometry
        self.title = geometry.figure.title
        self.description = " ".join(geometry.figure.legend)

    def size(self) -> QSizeF:
        page = self.geometry.page()[0]
        return QSizeF(page.width(), page.height())

    def paint(self, painter: QPainter, text_as_paths: bool) -> None:
        page = self.geometry.page()[0]
        painter.translate(-page.left(), -page.top())
        paint_figure(painter, self.geometry, text_as_paths=text_as_paths)


def page_size(geometry: FigureGeometry) -> QSizeF:
    """The page in pixels (96 dpi), whole pixels up."""
    return files.page_size(NetworkDrawing(geometry))


def write_svg(geometry: FigureGeometry, path: Path) -> Path:
    """An SVG with text as outlines, view box = the page in pixels."""
    return files.write_svg(NetworkDrawing(geometry), path)


def write_pdf(geometry: FigureGeometry, path: Path) -> Path:
    """A one-page vector PDF the size of the figure, fonts embedded."""
    return files.write_pdf(NetworkDrawing(geometry), path)


def render_image(geometry: FigureGeometry, dpi: int = PNG_DPI) -> QImage:
    """The figure as an image at ``dpi`` (white background)."""
    return files.render_image(NetworkDrawing(geometry), dpi)


def write_png(geometry: FigureGeometry, path: Path, dpi: int = PNG_DPI) -> Path:
    """A PNG at ``dpi`` (300 by default, for print)."""
    return files.write_png(NetworkDrawing(geometry), path, dpi)


def write_picture(
    figure: NetworkFigure, path: Path, fmt: str, style: FigureStyle | None = None
) -> Path:
    """Lay the figure out and write it as ``svg``, ``pdf`` or ``png``.

    This is the ``picture_writer`` that ``network_ops.export_network`` takes.

    Raises:
        ValueError: For another format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"pictures can be {', '.join(FORMATS)}, not '{fmt}'")
    ensure_app()
    return files.write_drawing(NetworkDrawing(lay_out(figure, style)), Path(path), fmt)
