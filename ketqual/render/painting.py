"""The one set of painting routines for the network: boxes, edges, title, legend.

The app's scene items call :func:`paint_box` and :func:`paint_edge` as boxes move; the
exports call :func:`paint_figure`, which draws everything with the same routines. With
``text_as_paths`` every glyph becomes an outline (for SVG files that must look the same
without the font installed).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from ketqual.core.network_figure import FigureEdge
from ketqual.render import style as styles
from ketqual.render.geometry import BoxGeometry, FigureGeometry
from ketqual.render.style import FigureStyle


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


def _clip(rect: QRectF, inside: QPointF, outside: QPointF) -> QPointF:
    """Where the segment from ``inside`` (the box centre) towards ``outside`` leaves ``rect``."""
    dx, dy = outside.x() - inside.x(), outside.y() - inside.y()
    if dx == 0 and dy == 0:
        return inside
    scales = []
    if dx:
        scales.append((rect.width() / 2) / abs(dx))
    if dy:
        scales.append((rect.height() / 2) / abs(dy))
    t = min(min(scales), 1.0)
    return QPointF(inside.x() + dx * t, inside.y() + dy * t)


def edge_line(rect_a: QRectF, rect_b: QRectF, gap: float = 4.0) -> QLineF | None:
    """The visible part of an edge: from box border to box border, ``gap`` pixels clear.

    ``None`` when the boxes overlap so much that nothing of the line would show.
    """
    a, b = rect_a.center(), rect_b.center()
    start, end = _clip(rect_a, a, b), _clip(rect_b, b, a)
    line = QLineF(start, end)
    length = line.length()
    if length <= 2 * gap + 1 or rect_a.intersects(rect_b):
        return None
    unit = QPointF(line.dx() / length, line.dy() / length)
    return QLineF(start + unit * gap, end - unit * gap)


def edge_width(edge: FigureEdge, s: FigureStyle) -> float:
    """Line width from the edge's relative weight."""
    return s.edge_min_px + (s.edge_max_px - s.edge_min_px) * max(0.0, min(1.0, edge.weight))


def _arrowhead(painter: QPainter, tip: QPointF, tail: QPointF, size: float) -> None:
    angle = math.atan2(tip.y() - tail.y(), tip.x() - tail.x())
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
    text_as_paths: bool = False,
    highlighted: bool = False,
    with_label: bool = True,
    arrowheads: bool = True,
) -> None:
    """A line between two boxes (dashed when drawn by hand), arrowheads, and its label.

    A directed edge always gets a head at its target; ``arrowheads`` adds heads at both
    ends of undirected edges (overlap goes both ways).
    """
    line = edge_line(rect_a, rect_b)
    if line is None:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor("#1F5FA8") if highlighted else QColor(s.edge_colour)
    width = edge_width(edge, s)
    pen = QPen(colour, width, Qt.PenStyle.DashLine if edge.drawn else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    head = s.arrow_px + width
    ends = []
    if edge.directed:
        ends = [(line.p2(), line.p1())]
    elif arrowheads:
        ends = [(line.p2(), line.p1()), (line.p1(), line.p2())]
    shaft = QLineF(line)
    if ends and line.length() > 3 * head:
        # Stop the shaft short of each head so the thick line does not blunt the tip.
        unit = QPointF(line.dx() / line.length(), line.dy() / line.length())
        shaft.setP2(line.p2() - unit * head * 0.8)
        if not edge.directed:
            shaft.setP1(line.p1() + unit * head * 0.8)
    painter.setPen(pen)
    painter.drawLine(shaft)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    for tip, tail in ends:
        _arrowhead(painter, tip, tail, head)
    if edge.label and with_label:
        _paint_label(painter, line.center(), edge.label, s, text_as_paths)
    painter.restore()


def paint_edge_label(
    painter: QPainter,
    rect_a: QRectF,
    rect_b: QRectF,
    edge: FigureEdge,
    s: FigureStyle,
    *,
    text_as_paths: bool = False,
    obstacles: tuple[QRectF, ...] = (),
) -> None:
    """Only the label of an edge (exports draw labels last, above any box).

    The label sits at the middle of the visible line, or slides along it to the nearest
    place clear of ``obstacles`` (other boxes) when the middle is covered.
    """
    line = edge_line(rect_a, rect_b)
    if line is None or not edge.label:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_label(
        painter, label_centre(line, edge.label, s, obstacles), edge.label, s, text_as_paths
    )
    painter.restore()


def _label_rect(centre: QPointF, text: str, s: FigureStyle) -> QRectF:
    metrics = QFontMetricsF(styles.font(s.label_px))
    width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
    return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)


def _crossings(lines: list[QLineF]) -> list[QRectF]:
    """Small squares around the points where two edges cross: a label there would be
    read as belonging to either line."""
    out = []
    for i, first in enumerate(lines):
        for second in lines[i + 1 :]:
            kind, point = first.intersects(second)
            if kind == QLineF.IntersectionType.BoundedIntersection:
                out.append(QRectF(point.x() - 6, point.y() - 6, 12, 12))
    return out


def label_centre(line: QLineF, text: str, s: FigureStyle, obstacles=()) -> QPointF:
    """Where an edge's label goes: the middle, or the nearest point along the line whose
    label is clear of every obstacle (the middle if none is)."""
    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82):
        centre = line.pointAt(t)
        if not any(_label_rect(centre, text, s).intersects(o) for o in obstacles):
            return centre
    return line.center()


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


def paint_figure(painter: QPainter, geometry: FigureGeometry, *, text_as_paths: bool = False):
    """The whole figure in layout coordinates: edges under boxes, labels on top, title,
    legend."""
    s = geometry.style
    _page, title_rect, legend_rect = geometry.page()
    edges = [
        (edge, geometry.box_rect(edge.source), geometry.box_rect(edge.target))
        for edge in geometry.figure.edges
        if edge.source in geometry.boxes and edge.target in geometry.boxes
    ]
    for edge, rect_a, rect_b in edges:
        paint_edge(
            painter,
            rect_a,
            rect_b,
            edge,
            s,
            text_as_paths=text_as_paths,
            with_label=False,
            arrowheads=geometry.figure.arrowheads,
        )
    for code_id, box in geometry.boxes.items():
        paint_box(
            painter, box, geometry.box_rect(code_id).topLeft(), s, text_as_paths=text_as_paths
        )
    rects = {code_id: geometry.box_rect(code_id) for code_id in geometry.boxes}
    lines = [(edge, edge_line(rect_a, rect_b)) for edge, rect_a, rect_b in edges]
    crossings = _crossings([line for _edge, line in lines if line is not None])
    placed: list[QRectF] = []  # labels already drawn: the next one keeps clear of them too
    for edge, line in lines:
        if line is None or not edge.label:
            continue
        others = [r for k, r in rects.items() if k not in (edge.source, edge.target)]
        centre = label_centre(line, edge.label, s, (*others, *placed, *crossings))
        # A margin, so two labels never sit side by side where their lines cross.
        placed.append(_label_rect(centre, edge.label, s).adjusted(-14, -10, 14, 10))
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
