"""The figure as SVG, PDF or PNG, drawn by the same painting routines as the app.

Sizes are in pixels at 96 dpi throughout: the SVG's view box is the page in pixels, the
PDF page is the same size in points (96 px = 72 pt = 1 inch, fonts embedded by Qt's PDF
writer), and the PNG is drawn at 300 dpi. SVG text is converted to outlines, so the file
looks the same on a machine without the font. Each file is written to a temporary file
and renamed, so a failure never leaves half a picture.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ketqual.core.network_figure import NetworkFigure
from ketqual.io.atomic import replacing
from ketqual.render import ensure_app, png
from ketqual.render.network.geometry import FigureGeometry, lay_out
from ketqual.render.network.painting import paint_figure
from ketqual.render.network.style import FigureStyle

FORMATS = ("svg", "pdf", "png")
SCREEN_DPI = 96
PNG_DPI = 300


def _paint_page(painter: QPainter, geometry: FigureGeometry, page: QRectF, as_paths: bool):
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    size = page_size(geometry)
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("white"))
    painter.translate(-page.left(), -page.top())
    paint_figure(painter, geometry, text_as_paths=as_paths)


def page_size(geometry: FigureGeometry) -> QSizeF:
    """The page in pixels (96 dpi), whole pixels up."""
    page = geometry.page()[0]
    return QSizeF(math.ceil(page.width()), math.ceil(page.height()))


def write_svg(geometry: FigureGeometry, path: Path) -> Path:
    """An SVG with text as outlines, view box = the page in pixels."""
    page = geometry.page()[0]
    size = page_size(geometry)
    with replacing(path) as temporary:
        generator = QSvgGenerator()
        generator.setFileName(str(temporary))
        generator.setResolution(SCREEN_DPI)
        generator.setSize(QSize(int(size.width()), int(size.height())))
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(geometry.figure.title)
        generator.setDescription(" ".join(geometry.figure.legend))
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(f"cannot write SVG to {path}")
        try:
            _paint_page(painter, geometry, page, as_paths=True)
        finally:
            painter.end()
    return path


def write_pdf(geometry: FigureGeometry, path: Path) -> Path:
    """A one-page vector PDF the size of the figure, fonts embedded."""
    page = geometry.page()[0]
    size = page_size(geometry)
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
        writer.setTitle(geometry.figure.title)
        writer.setCreator("KetQual")
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(f"cannot write PDF to {path}")
        try:
            _paint_page(painter, geometry, page, as_paths=False)
        finally:
            painter.end()
    return path


def render_image(geometry: FigureGeometry, dpi: int = PNG_DPI) -> QImage:
    """The figure as an image at ``dpi`` (white background)."""
    page = geometry.page()[0]
    size = page_size(geometry)
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
        _paint_page(painter, geometry, page, as_paths=False)
    finally:
        painter.end()
    return image


def write_png(geometry: FigureGeometry, path: Path, dpi: int = PNG_DPI) -> Path:
    """A PNG at ``dpi`` (300 by default, for print)."""
    data = png.encode(render_image(geometry, dpi), dpi)
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return path


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
    geometry = lay_out(figure, style)
    writer = {"svg": write_svg, "pdf": write_pdf, "png": write_png}[fmt]
    return writer(geometry, Path(path))
