"""The figure as SVG, PDF or PNG, drawn by the same painting routines as the app.

Sizes are in pixels at 96 dpi throughout: the SVG's view box is the page in pixels, the
PDF page is the same size in points (96 px = 72 pt = 1 inch, fonts embedded by Qt's PDF
writer), and the PNG is drawn at 300 dpi. SVG text is converted to outlines, so the file
looks the same on a machine without the font. Each file is written to a temporary file
and renamed, so a failure never leaves half a picture.

A figure is printed at its natural size when that fits an A3 sheet (either way round);
a bigger one is scaled down to fit A3 as long as its smallest text stays at
:data:`MIN_TEXT_PT` or more, and otherwise kept at that text size on a bigger page, with
:func:`page_plan` saying so (choose fewer themes). The PNG is drawn in strips of rows
and compressed as it goes, and capped at :data:`MAX_PNG_PIXELS` (the resolution drops
and the plan says so), so even a huge figure needs little memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ketqual.core.names import printable
from ketqual.core.network_figure import NetworkFigure
from ketqual.io.atomic import replacing
from ketqual.render import ensure_app, png
from ketqual.render.network.geometry import FigureGeometry, lay_out
from ketqual.render.network.painting import paint_figure
from ketqual.render.network.style import FigureStyle

FORMATS = ("svg", "pdf", "png")
SCREEN_DPI = 96
PNG_DPI = 300
# The largest printable sheet the figure is fitted to (A3, in inches), the smallest text
# allowed when fitting it, and the most pixels a PNG gets (about 180 MB as raw RGB).
MAX_PAGE_IN = (297 / 25.4, 420 / 25.4)
MIN_TEXT_PT = 6.0
MAX_PNG_PIXELS = 60_000_000
STRIP_ROWS = 256


@dataclass(frozen=True)
class PagePlan:
    """How the figure goes on paper.

    Attributes:
        scale: Printed size over natural size (1: as drawn at 96 dpi).
        width_in, height_in: The page in inches.
        text_pt: The smallest text on the page, in points.
        fits: Whether the page fits an A3 sheet.
        png_dpi: The PNG's resolution (lower than asked for a huge figure).
        message: What the user should know, or ``None``.
    """

    scale: float
    width_in: float
    height_in: float
    text_pt: float
    fits: bool
    png_dpi: int
    message: str | None


def page_plan(geometry: FigureGeometry, dpi: int = PNG_DPI) -> PagePlan:
    """Fit the figure to an A3 sheet without its text going below :data:`MIN_TEXT_PT`."""
    size = page_size(geometry)
    width_in, height_in = size.width() / SCREEN_DPI, size.height() / SCREEN_DPI
    s = geometry.style
    smallest_pt = min(s.subtheme_px, s.n_px, s.label_px, s.legend_px) * 72 / SCREEN_DPI
    short, long = sorted(MAX_PAGE_IN)
    if width_in <= height_in:
        room = min(short / width_in, long / height_in)
    else:
        room = min(long / width_in, short / height_in)
    floor = MIN_TEXT_PT / smallest_pt
    scale = min(1.0, max(room, floor))
    fits = room >= floor or room >= 1.0
    w, h = width_in * scale, height_in * scale
    message = None
    if not fits:
        message = (
            f"the figure of {len(geometry.boxes)} themes needs a {w * 2.54:.0f} x "
            f"{h * 2.54:.0f} cm page to keep its text at {MIN_TEXT_PT:g} pt or more, bigger "
            "than A3 (30 x 42 cm); show fewer themes (those with edges, the top N by n, or "
            "a list) for a figure that prints on one sheet"
        )
    png_dpi = dpi
    pixels = w * h * dpi * dpi
    if pixels > MAX_PNG_PIXELS:
        png_dpi = int(dpi * math.sqrt(MAX_PNG_PIXELS / pixels))
        note = f"the PNG is drawn at {png_dpi} dpi (not {dpi}) to keep it under 60 megapixels"
        message = f"{message}; {note}" if message else note
    return PagePlan(scale, w, h, smallest_pt * scale, fits, png_dpi, message)


def figure_places(figure: NetworkFigure) -> dict[str, tuple[float, float, float, float]]:
    """Each box's centre and size by theme uid, in the figure's pixels (y down): what
    GraphML and GEXF files carry (``network_ops.export_network(layout=...)``)."""
    ensure_app()
    geometry = lay_out(figure)
    out = {}
    for code_id, box in geometry.boxes.items():
        centre = geometry.centres[code_id]
        key = box.box.uid or str(code_id)
        out[key] = (round(centre.x(), 1), round(centre.y(), 1), box.width, box.height)
    return out


def figure_note(figure: NetworkFigure) -> str | None:
    """What :func:`page_plan` has to say about printing this figure, if anything."""
    ensure_app()
    return page_plan(lay_out(figure)).message


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
    """An SVG with text as outlines, view box = the page in pixels, printed size by
    :func:`page_plan`."""
    page = geometry.page()[0]
    size = page_size(geometry)
    plan = page_plan(geometry)
    with replacing(path) as temporary:
        generator = QSvgGenerator()
        generator.setFileName(str(temporary))
        generator.setResolution(SCREEN_DPI)
        generator.setSize(
            QSize(round(size.width() * plan.scale), round(size.height() * plan.scale))
        )
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(printable(geometry.figure.title, one_line=True))
        generator.setDescription(printable(" ".join(geometry.figure.legend), one_line=True))
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(f"cannot write SVG to {path}")
        try:
            _paint_page(painter, geometry, page, as_paths=True)
        finally:
            painter.end()
    return path


def write_pdf(geometry: FigureGeometry, path: Path) -> Path:
    """A one-page vector PDF, fonts embedded, the size :func:`page_plan` gives."""
    page = geometry.page()[0]
    plan = page_plan(geometry)
    with replacing(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(SCREEN_DPI)
        points = QSizeF(plan.width_in * 72, plan.height_in * 72)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(
                    points, QPageSize.Unit.Point, "figure", QPageSize.SizeMatchPolicy.ExactMatch
                ),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        writer.setTitle(printable(geometry.figure.title, one_line=True))
        writer.setCreator("KetQual")
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(f"cannot write PDF to {path}")
        try:
            painter.scale(plan.scale, plan.scale)
            _paint_page(painter, geometry, page, as_paths=False)
        finally:
            painter.end()
    return path


def _strip(geometry: FigureGeometry, page: QRectF, scale: float, top: int, width: int, rows: int):
    """Rows ``top`` to ``top + rows`` of the picture at ``scale`` pixels per figure pixel."""
    image = QImage(width, rows, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.translate(0, -top)
        painter.scale(scale, scale)
        _paint_page(painter, geometry, page, as_paths=False)
    finally:
        painter.end()
    return image


def render_image(geometry: FigureGeometry, dpi: int = PNG_DPI) -> QImage:
    """The figure as one image at ``dpi`` (white background), for the app and tests;
    files go through :func:`write_png`, which draws in strips."""
    page = geometry.page()[0]
    size = page_size(geometry)
    scale = dpi / SCREEN_DPI
    width, height = math.ceil(size.width() * scale), math.ceil(size.height() * scale)
    image = _strip(geometry, page, scale, 0, width, height)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def write_png(geometry: FigureGeometry, path: Path, dpi: int = PNG_DPI) -> Path:
    """A PNG at ``dpi`` (300 by default, for print; lower for a huge figure, see
    :func:`page_plan`), drawn and compressed a strip of rows at a time."""
    plan = page_plan(geometry, dpi)
    page = geometry.page()[0]
    size = page_size(geometry)
    scale = plan.png_dpi / SCREEN_DPI * plan.scale
    width, height = math.ceil(size.width() * scale), math.ceil(size.height() * scale)
    strips = (
        _strip(geometry, page, scale, top, width, min(STRIP_ROWS, height - top))
        for top in range(0, height, STRIP_ROWS)
    )
    with replacing(path) as temporary, temporary.open("wb") as out:
        png.write_strips(out, width, height, plan.png_dpi, strips)
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
