"""The one set of painting routines for the network: boxes, edges, title, legend.

The app's scene items call :func:`paint_box` and :func:`paint_edge` as boxes move; the
exports call :func:`paint_figure`, which draws everything with the same routines. With
``text_as_paths`` every glyph becomes an outline (for SVG files that must look the same
without the font installed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from ketqual.core.network_figure import FigureEdge
from ketqual.render.network import routes
from ketqual.render.network import style as styles
from ketqual.render.network.geometry import BoxGeometry, FigureGeometry
from ketqual.render.network.routes import Route
from ketqual.render.network.style import FigureStyle


def draw_text(
    painter: QPainter, baseline: QPointF, text: str, font, colour: QColor, as_path: bool
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


def _fonts(s: FigureStyle) -> dict:
    return {
        "name": styles.font(s.name_px, True),
        "n": styles.font(s.n_px),
        "sub": styles.font(s.subtheme_px),
    }


def paint_box(
    painter: QPainter,
    geometry: BoxGeometry,
    top_left: QPointF,
    s: FigureStyle,
    *,
    text_as_paths: bool = False,
    selected: bool = False,
) -> None:
    """One theme's rounded box: name, n, a rule, then the subthemes with their n."""
    box = geometry.box
    rect = QRectF(top_left.x(), top_left.y(), geometry.width, geometry.height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    border = styles.border_colour(box.colour)
    pen = QPen(border, s.border_px * (2 if selected else 1))
    painter.setPen(pen)
    painter.setBrush(styles.fill_colour(box.colour, s.tint))
    inset = s.border_px / 2
    painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), s.radius, s.radius)
    if geometry.divider is not None:
        painter.setPen(QPen(border, 0.8))
        y = rect.top() + geometry.divider
        painter.drawLine(QPointF(rect.left() + s.padding, y), QPointF(rect.right() - s.padding, y))
    fonts = _fonts(s)
    text_colour = QColor(s.text_colour)
    for line in geometry.lines:
        font = fonts[line.role]
        if line.x is None:
            advance = QFontMetricsF(font).horizontalAdvance(line.text)
            x = rect.left() + (geometry.width - advance) / 2
        else:
            x = rect.left() + line.x
        draw_text(
            painter,
            QPointF(x, rect.top() + line.baseline),
            line.text,
            font,
            text_colour,
            text_as_paths,
        )
    painter.restore()


def edge_width(edge: FigureEdge, s: FigureStyle) -> float:
    """Line width from the edge's relative weight."""
    return s.edge_min_px + (s.edge_max_px - s.edge_min_px) * max(0.0, min(1.0, edge.weight))


def _arrowhead(painter: QPainter, tip: QPointF, direction: QPointF, size: float) -> None:
    """A filled head at ``tip`` pointing along ``direction``."""
    angle = math.atan2(direction.y(), direction.x())
    spread = math.radians(24)
    points = [tip] + [
        QPointF(tip.x() - size * math.cos(angle + d), tip.y() - size * math.sin(angle + d))
        for d in (spread, -spread)
    ]
    painter.drawPolygon(QPolygonF(points))


def paint_edge(
    painter: QPainter,
    rect_a: QRectF,
    rect_b: QRectF,
    edge: FigureEdge,
    s: FigureStyle,
    *,
    obstacles: Sequence[QRectF] = (),
    text_as_paths: bool = False,
    highlighted: bool = False,
    with_label: bool = True,
    arrowheads: bool = True,
    path: Route | None = None,
) -> Route | None:
    """An edge between two boxes (dashed when drawn by hand), its heads and its label.

    The edge bends around ``obstacles`` (the other boxes) when a straight line would run
    behind one. A directed edge always gets a head at its target; ``arrowheads`` adds
    heads at both ends of undirected edges (overlap goes both ways).

    Returns:
        The route drawn (``None`` when the boxes overlap and nothing shows); ``path``
        when one was given (the exports work routes out beforehand, to size the page).
    """
    path = path or routes.route(rect_a, rect_b, obstacles)
    if path is None:
        return None
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor("#1F5FA8") if highlighted else QColor(s.edge_colour)
    width = edge_width(edge, s)
    pen = QPen(colour, width, Qt.PenStyle.DashLine if edge.drawn else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    head = s.arrow_px + width
    at_end = edge.directed or arrowheads
    at_start = arrowheads and not edge.directed
    shaft = path
    length = path.length()
    if (at_end or at_start) and length > 3 * head:
        # Stop the shaft short of each head so the thick line does not blunt the tip.
        cut = head * 0.8 / length
        shaft = path.part(cut if at_start else 0.0, 1.0 - cut if at_end else 1.0)
    outline = QPainterPath(shaft.start)
    outline.quadTo(shaft.control, shaft.end)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(outline)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    if at_end:
        _arrowhead(painter, path.end, path.tangent(1.0), head)
    if at_start:
        _arrowhead(painter, path.start, -path.tangent(0.0), head)
    if edge.label and with_label:
        centre = label_centre(path, edge.label, s, obstacles)
        _paint_label(painter, centre, edge.label, s, text_as_paths)
    painter.restore()
    return path


def _label_rect(centre: QPointF, text: str, s: FigureStyle) -> QRectF:
    metrics = QFontMetricsF(styles.font(s.label_px))
    width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
    return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)


def _crossings(paths: list[Route]) -> list[QRectF]:
    """Small squares around the points where two edges cross: a label there would be
    read as belonging to either line."""
    pieces = []
    for path in paths:
        points = path.polyline(12) if path.curved else [path.start, path.end]
        pieces.append([QLineF(a, b) for a, b in zip(points, points[1:], strict=False)])
    out = []
    for i, first in enumerate(pieces):
        for second in pieces[i + 1 :]:
            for one in first:
                for other in second:
                    kind, point = one.intersects(other)
                    if kind == QLineF.IntersectionType.BoundedIntersection:
                        out.append(QRectF(point.x() - 6, point.y() - 6, 12, 12))
    return out


def label_centre(path: Route, text: str, s: FigureStyle, obstacles=()) -> QPointF:
    """Where an edge's label goes: the middle, or the nearest point along the edge whose
    label is clear of every obstacle (the middle if none is)."""
    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82):
        centre = path.point(t)
        if not any(_label_rect(centre, text, s).intersects(o) for o in obstacles):
            return centre
    return path.point(0.5)


def _paint_label(painter: QPainter, centre: QPointF, text: str, s: FigureStyle, as_path: bool):
    font = styles.font(s.label_px)
    metrics = QFontMetricsF(font)
    rect = _label_rect(centre, text, s)
    height = rect.height()
    painter.setPen(QPen(QColor("#BDBDBD"), 0.8))
    painter.setBrush(QColor("white"))
    painter.drawRoundedRect(rect, height / 2, height / 2)
    baseline = QPointF(rect.left() + 4, rect.top() + 1 + metrics.ascent())
    draw_text(painter, baseline, text, font, QColor(s.text_colour), as_path)


def paint_lines(
    painter: QPainter,
    rect: QRectF,
    lines: list[str],
    font,
    colour: QColor,
    *,
    centred: bool,
    text_as_paths: bool = False,
) -> None:
    """Lines of text from the top of ``rect`` (title: centred; legend: left-aligned)."""
    metrics = QFontMetricsF(font)
    y = rect.top() + metrics.ascent()
    for text in lines:
        x = rect.left()
        if centred:
            x += (rect.width() - metrics.horizontalAdvance(text)) / 2
        draw_text(painter, QPointF(x, y), text, font, colour, text_as_paths)
        y += metrics.lineSpacing()


def label_places(geometry: FigureGeometry) -> list[tuple[FigureEdge, QPointF]]:
    """Where each edge's label goes: clear of boxes, of crossing lines and of the labels
    placed before it. Worked out once per geometry (a PNG is painted in strips)."""
    if geometry.label_cache is None:
        s = geometry.style
        drawn = geometry.routes()
        crossings = _crossings([path for _edge, path, _others in drawn])
        placed: list[QRectF] = []  # labels already placed: the next keeps clear of them
        out = []
        for edge, path, others in drawn:
            if not edge.label:
                continue
            centre = label_centre(path, edge.label, s, (*others, *placed, *crossings))
            # A margin, so two labels never sit side by side where their lines cross.
            placed.append(_label_rect(centre, edge.label, s).adjusted(-14, -10, 14, 10))
            out.append((edge, centre))
        geometry.label_cache = out
    return geometry.label_cache


def paint_figure(painter: QPainter, geometry: FigureGeometry, *, text_as_paths: bool = False):
    """The whole figure in layout coordinates: edges under boxes, labels on top, title,
    legend."""
    s = geometry.style
    _page, title_rect, legend_rect = geometry.page()
    rects = {code_id: geometry.box_rect(code_id) for code_id in geometry.boxes}
    drawn = geometry.routes()
    for edge, path, others in drawn:
        paint_edge(
            painter,
            rects[edge.source],
            rects[edge.target],
            edge,
            s,
            obstacles=others,
            text_as_paths=text_as_paths,
            with_label=False,
            arrowheads=geometry.figure.arrowheads,
            path=path,
        )
    for code_id, box in geometry.boxes.items():
        paint_box(painter, box, rects[code_id].topLeft(), s, text_as_paths=text_as_paths)
    for edge, centre in label_places(geometry):
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _paint_label(painter, centre, edge.label, s, text_as_paths)
        painter.restore()
    dark = QColor(s.text_colour)
    paint_lines(
        painter,
        title_rect,
        geometry.title,
        styles.font(s.title_px, True),
        dark,
        centred=True,
        text_as_paths=text_as_paths,
    )
    paint_lines(
        painter,
        legend_rect,
        geometry.legend,
        styles.font(s.legend_px),
        QColor("#333333"),
        centred=False,
        text_as_paths=text_as_paths,
    )
