"""Measured geometry of the figure: box sizes from text, box places, title and legend.

Text is measured with Qt's font metrics and wrapped here; the sizes go to the pure
layout in ``ketqual.core.network_layout``, which decides where the boxes go (unless the
analyst has placed them). Everything is in pixels at 96 dpi.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF

from ketqual.core import network_layout
from ketqual.core.network_figure import FigureBox, FigureEdge, NetworkFigure
from ketqual.render.network import routes
from ketqual.render.network import style as styles
from ketqual.render.network.routes import Route
from ketqual.render.network.style import FigureStyle


@dataclass(frozen=True)
class TextLine:
    """One line of text in a box: role (``name``, ``n``, ``sub``), baseline, left offset.

    ``x`` is ``None`` for a line centred in the box.
    """

    text: str
    role: str
    baseline: float
    x: float | None = None


@dataclass(frozen=True)
class BoxGeometry:
    """A theme box's size and its text lines, relative to the box's top-left corner."""

    box: FigureBox
    width: float
    height: float
    lines: tuple[TextLine, ...]
    divider: float | None = None  # y of the rule between header and subthemes


@dataclass
class FigureGeometry:
    """Where everything of a figure goes.

    Attributes:
        figure: The figure description.
        style: The style used to measure it.
        boxes: Box geometry by theme id.
        centres: Box centres by theme id (the layout's coordinates).
        title: Wrapped title lines.
        legend: Wrapped legend lines.
    """

    figure: NetworkFigure
    style: FigureStyle
    boxes: dict[int, BoxGeometry]
    centres: dict[int, QPointF]
    title: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    _routes: list | None = None
    label_cache: list | None = None  # painting.label_places fills it

    def box_rect(self, code_id: int) -> QRectF:
        """A box's rectangle in layout coordinates."""
        geometry, centre = self.boxes[code_id], self.centres[code_id]
        return QRectF(
            centre.x() - geometry.width / 2,
            centre.y() - geometry.height / 2,
            geometry.width,
            geometry.height,
        )

    def boxes_rect(self) -> QRectF:
        """The rectangle around every box."""
        rect = QRectF()
        for code_id in self.boxes:
            rect = rect.united(self.box_rect(code_id))
        return rect

    def routes(self) -> list[tuple[FigureEdge, Route, list[QRectF]]]:
        """Each drawable edge with its route and the other boxes it keeps clear of."""
        if self._routes is None:
            rects = {code_id: self.box_rect(code_id) for code_id in self.boxes}
            centre = self.boxes_rect().center()
            self._routes = []
            for edge in self.figure.edges:
                if edge.source not in rects or edge.target not in rects:
                    continue
                # Only boxes near the edge can be in its way (a bend reaches 2 x 260 px).
                reach = (
                    rects[edge.source]
                    .united(rects[edge.target])
                    .adjusted(-routes.REACH, -routes.REACH, routes.REACH, routes.REACH)
                )
                others = [
                    r
                    for k, r in rects.items()
                    if k not in (edge.source, edge.target) and r.intersects(reach)
                ]
                path = routes.route(rects[edge.source], rects[edge.target], others, centre)
                if path is not None:
                    self._routes.append((edge, path, others))
        return self._routes

    def page(self) -> tuple[QRectF, QRectF, QRectF]:
        """``(page, title area, legend area)`` around the boxes and edges, margins included."""
        s = self.style
        boxes = self.boxes_rect()
        for _edge, path, _others in self.routes():
            boxes = boxes.united(path.bounds())
        title_font, legend_font = styles.font(s.title_px, True), styles.font(s.legend_px)
        title_h = len(self.title) * QFontMetricsF(title_font).lineSpacing()
        legend_h = len(self.legend) * QFontMetricsF(legend_font).lineSpacing()
        width = max(boxes.width(), 480.0)
        left = boxes.center().x() - width / 2
        title = QRectF(left, boxes.top() - s.gap_y * 0.6 - title_h, width, title_h)
        legend = QRectF(left, boxes.bottom() + s.gap_y * 0.6, width, legend_h)
        page = title.united(legend).united(boxes).adjusted(-s.margin, -s.margin, s.margin, s.margin)
        return page, title, legend


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


def measure_box(box: FigureBox, s: FigureStyle) -> BoxGeometry:
    """Size and text lines of one theme's box."""
    name_m = QFontMetricsF(styles.font(s.name_px, True))
    n_m = QFontMetricsF(styles.font(s.n_px))
    sub_m = QFontMetricsF(styles.font(s.subtheme_px))
    width_limit = s.box_text_width
    name_lines = wrap(box.name, name_m, width_limit)
    n_text = f"n = {box.n}"
    bullet = "•  "
    indent = sub_m.horizontalAdvance(bullet)
    sub_lines: list[tuple[str, bool]] = []  # (text, first line of a subtheme)
    for name, n in box.subthemes:
        for k, line in enumerate(wrap(f"{name} (n\u00a0=\u00a0{n})", sub_m, width_limit - indent)):
            sub_lines.append((line, k == 0))
    widths = [name_m.horizontalAdvance(t) for t in name_lines]
    widths.append(n_m.horizontalAdvance(n_text))
    widths += [indent + sub_m.horizontalAdvance(t) for t, _first in sub_lines]
    width = max(s.box_min_width, max(widths) + 2 * s.padding)

    lines: list[TextLine] = []
    y = s.padding
    for text in name_lines:
        lines.append(TextLine(text, "name", y + name_m.ascent()))
        y += name_m.height() + s.line_gap
    lines.append(TextLine(n_text, "n", y + n_m.ascent()))
    y += n_m.height()
    divider = None
    if sub_lines:
        y += s.padding * 0.6
        divider = y
        y += s.padding * 0.6
        for text, first in sub_lines:
            if first:
                lines.append(TextLine(bullet.strip(), "sub", y + sub_m.ascent(), s.padding))
            lines.append(TextLine(text, "sub", y + sub_m.ascent(), s.padding + indent))
            y += sub_m.height() + s.line_gap
        y -= s.line_gap
    height = y + s.padding
    return BoxGeometry(box, width, height, tuple(lines), divider)


def _layout_boxes(figure_boxes, measured: dict[int, BoxGeometry]) -> list[network_layout.Box]:
    """The boxes as the pure layout sees them: a key (the theme's uid) and a size."""
    return [
        network_layout.Box(
            b.uid or str(b.code_id), measured[b.code_id].width, measured[b.code_id].height
        )
        for b in figure_boxes
    ]


def _automatic(measured: dict[int, BoxGeometry], figure_boxes, edges, s: FigureStyle):
    """Centres by uid from the grid layout of these boxes and edges."""
    key = {b.code_id: b.uid or str(b.code_id) for b in figure_boxes}
    links = [
        (key[e.source], key[e.target], max(e.weight, 0.05))
        for e in edges
        if e.source in key and e.target in key
    ]
    return network_layout.grid_layout(
        _layout_boxes(figure_boxes, measured), links, gap_x=s.gap_x, gap_y=s.gap_y
    )


def _places(figure: NetworkFigure, boxes: dict[int, BoxGeometry], s: FigureStyle):
    """Box centres by uid: the places saved in the project (boxes without one in a row
    below); with none saved, the reference figure's automatic layout (a coder's figure
    laid out like the consensus), else the figure's own."""
    layout_boxes = _layout_boxes(figure.boxes, boxes)
    keys = {b.key for b in layout_boxes}
    saved = {k: v for k, v in figure.positions.items() if k in keys}
    gaps = {"gap_x": s.gap_x, "gap_y": s.gap_y}
    reference = figure.reference
    if reference is not None and not saved:
        measured = {b.code_id: measure_box(b, s) for b in reference.boxes}
        followed = _automatic(measured, reference.boxes, reference.edges, s)
        places = network_layout.place_missing(followed, layout_boxes, **gaps)
        if not network_layout.overlapping(places, layout_boxes):
            return places
        # Boxes of this layer are bigger than the reference's: lay it out on its own.
    if saved:
        return network_layout.place_missing(saved, layout_boxes, **gaps)
    return _automatic(boxes, figure.boxes, figure.edges, s)


def lay_out(figure: NetworkFigure, s: FigureStyle | None = None) -> FigureGeometry:
    """Measure every box and place it: saved centres first, automatic layout otherwise."""
    s = s or FigureStyle()
    boxes = {b.code_id: measure_box(b, s) for b in figure.boxes}
    places = _places(figure, boxes, s)
    centres = {b.code_id: QPointF(*places[b.uid or str(b.code_id)]) for b in figure.boxes}
    geometry = FigureGeometry(figure, s, boxes, centres)
    width = max(geometry.boxes_rect().width(), 480.0) if boxes else 480.0
    geometry.title = wrap(figure.title, QFontMetricsF(styles.font(s.title_px, True)), width)
    legend_m = QFontMetricsF(styles.font(s.legend_px))
    geometry.legend = [line for text in figure.legend for line in wrap(text, legend_m, width)]
    if any(e.drawn for e in figure.edges):
        geometry.legend.append("Dashed lines: edges drawn by hand.")
    return geometry
