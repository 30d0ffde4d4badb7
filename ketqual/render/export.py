"""Any figure as SVG, PDF or PNG: the file writing every figure shares.

A figure hands over a :class:`Drawing`: its page size in pixels at 96 dpi and a routine
that paints the page from (0, 0). Sizes are pixels at 96 dpi throughout: the SVG's view
box is the page in pixels, the PDF page is the same size in points (96 px = 72 pt = 1
inch, fonts embedded by Qt's PDF writer), and the PNG is drawn at 300 dpi. SVG text is
converted to outlines, so the file looks the same on a machine without the font. Each
file is written to a temporary file and renamed, so a failure never leaves half a picture.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ketqual.io.atomic import replacing
from ketqual.render import ensure_app, png

FORMATS = ("svg", "pdf", "png")
SCREEN_DPI = 96
PNG_DPI = 300


class Drawing(Protocol):
    """What a figure gives the file writers."""

    title: str
    description: str

    def size(self) -> QSizeF:
        """The page in pixels at 96 dpi."""

    def paint(self, painter: QPainter, text_as_paths: bool) -> None:
        """Paint the whole page, its top-left corner at (0, 0)."""


def page_size(drawing: Drawing) -> QSizeF:
    """The page in pixels (96 dpi), whole pixels up."""
    size = drawing.size()
    return QSizeF(math.ceil(size.width()), math.ceil(size.height()))


def _paint_page(painter: QPainter, drawing: Drawing, as_paths: bool) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    size = page_size(drawing)
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("white"))
    drawing.paint(painter, as_paths)


def write_svg(drawing: Drawing, path: Path) -> Path:
    """An SVG with text as outlines, view box = the page in pixels."""
    size = page_size(drawing)
    with replacing(path) as temporary:
        generator = QSvgGenerator()
        generator.setFileName(str(temporary))
        generator.setResolution(SCREEN_DPI)
        generator.setSize(QSize(int(size.width()), int(size.height())))
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(drawing.title)
        generator.setDescription(drawing.description)
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(f"cannot write SVG to {path}")
        try:
            _paint_page(painter, drawing, as_paths=True)
        finally:
            painter.end()
    return path


def write_pdf(drawing: Drawing, path: Path) -> Path:
    """A one-page vector PDF the size of the figure, fonts embedded."""
    size = page_size(drawing)
    with replacing(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(SCREEN_DPI)
        points = QSizeF(size.width() * 72 / SCREEN_DPI, size.height() * 72 / SCREEN_DPI)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(
                    points, QPageSize.Unit.Point, "figure", QPageSize.SizeMatchPolicy.ExactMatch
                ),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        writer.setTitle(drawing.title)
        writer.setCreator("KetQual")
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(f"cannot write PDF to {path}")
        try:
            _paint_page(painter, drawing, as_paths=False)
        finally:
            painter.end()
    return path


def render_image(drawing: Drawing, dpi: int = PNG_DPI) -> QImage:
    """The figure as an image at ``dpi`` (white background)."""
    size = page_size(drawing)
    scale = dpi / SCREEN_DPI
    image = QImage(
        math.ceil(size.width() * scale),
        math.ceil(size.height() * scale),
        QImage.Format.Format_RGB32,
    )
    image.fill(QColor("white"))
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        _paint_page(painter, drawing, as_paths=False)
    finally:
        painter.end()
    return image


def write_png(drawing: Drawing, path: Path, dpi: int = PNG_DPI) -> Path:
    """A PNG at ``dpi`` (300 by default, for print)."""
    data = png.encode(render_image(drawing, dpi), dpi)
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return path


def write_drawing(drawing: Drawing, path: Path, fmt: str) -> Path:
    """Write ``drawing`` as ``svg``, ``pdf`` or ``png``.

    Raises:
        ValueError: For another format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"pictures can be {', '.join(FORMATS)}, not '{fmt}'")
    ensure_app()
    writer = {"svg": write_svg, "pdf": write_pdf, "png": write_png}[fmt]
    return writer(drawing, Path(path))
