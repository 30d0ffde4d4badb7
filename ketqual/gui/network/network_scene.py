"""The network in a graphics scene: draggable theme boxes, edges that follow them, zoom.

Every item paints with ``ketqual.render.network.painting``, the routines the SVG, PDF and PNG
exports use, so the app shows exactly what will be printed. Box positions are the
layout's coordinates (box centres), which is what the project saves.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsScene, QGraphicsView

from ketqual.core.network_figure import FigureEdge
from ketqual.render.network import painting, routes
from ketqual.render.network import style as styles
from ketqual.render.network.geometry import BoxGeometry, FigureGeometry

ZOOM_STEP = 1.2
ZOOM_RANGE = (0.2, 5.0)
FIT_MARGIN = 16  # scene pixels around the figure when it is fitted to the view


class ThemeBoxItem(QGraphicsObject):
    """One theme's box; movable. ``pos()`` is the box centre."""

    def __init__(self, geometry: BoxGeometry, style, centre: QPointF) -> None:
        super().__init__()
        self.geometry = geometry
        self.style = style
        self.edges: list[EdgeItem] = []
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(1)
        self.setPos(centre)
        box = geometry.box
        self.setToolTip(f"{box.name}: n = {box.n}. Drag to move; the place is saved.")

    @property
    def uid(self) -> str:
        return self.geometry.box.uid or str(self.geometry.box.code_id)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt naming
        w, h = self.geometry.width, self.geometry.height
        return QRectF(-w / 2 - 2, -h / 2 - 2, w + 4, h + 4)

    def scene_rect(self) -> QRectF:
        """The box in scene coordinates (what edges clip against)."""
        w, h = self.geometry.width, self.geometry.height
        return QRectF(self.pos().x() - w / 2, self.pos().y() - h / 2, w, h)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        w, h = self.geometry.width, self.geometry.height
        painting.paint_box(
            painter, self.geometry, QPointF(-w / 2, -h / 2), self.style, selected=self.isSelected()
        )

    def itemChange(self, change, value):  # noqa: N802 - Qt naming
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            # Every edge may need to bend around this box now, not just its own.
            scene = self.scene()
            for edge in scene.edges if isinstance(scene, NetworkScene) else self.edges:
                edge.follow()
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().mouseReleaseEvent(event)
        scene = self.scene()
        if isinstance(scene, NetworkScene):
            scene.drag_finished()


class EdgeItem(QGraphicsItem):
    """A line between two boxes, repainted as they move."""

    def __init__(self, edge: FigureEdge, a: ThemeBoxItem, b: ThemeBoxItem, style, arrows: bool):
        super().__init__()
        self.edge, self.a, self.b, self.style, self.arrows = edge, a, b, style, arrows
        self.highlighted = False
        a.edges.append(self)
        b.edges.append(self)
        self.setZValue(0)
        self._rect = self._bounds()

    def _bounds(self) -> QRectF:
        # A bent edge bulges at most the largest bend beyond the two boxes.
        reach = max(abs(b) for b in routes.BENDS) + 20
        return (
            self.a.scene_rect().united(self.b.scene_rect()).adjusted(-reach, -reach, reach, reach)
        )

    def follow(self) -> None:
        """A box moved: take the new shape."""
        self.prepareGeometryChange()
        self._rect = self._bounds()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt naming
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        scene = self.scene()
        boxes = list(scene.boxes.values()) if isinstance(scene, NetworkScene) else []
        obstacles = [box.scene_rect() for box in boxes if box is not self.a and box is not self.b]
        everything = QRectF()
        for box in boxes:
            everything = everything.united(box.scene_rect())
        path = routes.route(
            self.a.scene_rect(), self.b.scene_rect(), obstacles, everything.center()
        )
        if path is None:
            return
        painting.paint_edge(
            painter,
            self.a.scene_rect(),
            self.b.scene_rect(),
            self.edge,
            self.style,
            obstacles=obstacles,
            highlighted=self.highlighted,
            arrowheads=self.arrows,
            path=path,
        )


class TextBlockItem(QGraphicsItem):
    """The title or the legend, painted by the exports' routine."""

    def __init__(self, rect: QRectF, lines: list[str], font, colour: str, centred: bool):
        super().__init__()
        self.rect, self.lines, self.font, self.colour, self.centred = (
            rect,
            lines,
            font,
            colour,
            centred,
        )

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt naming
        return self.rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painting.paint_lines(
            painter, self.rect, self.lines, self.font, QColor(self.colour), centred=self.centred
        )


class NetworkScene(QGraphicsScene):
    """The figure's boxes, edges, title and legend.

    Signals:
        boxesMoved(dict): ``{theme uid: (x, y)}`` of every box after a drag ended.
    """

    boxesMoved = Signal(dict)  # noqa: N815 - Qt naming

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.boxes: dict[int, ThemeBoxItem] = {}
        self.edges: list[EdgeItem] = []
        self._start: dict[str, tuple[float, float]] = {}

    def show_figure(self, geometry: FigureGeometry) -> None:
        """Replace the scene's content with this figure."""
        self.clear()
        self.boxes, self.edges = {}, []
        s = geometry.style
        for code_id, box in geometry.boxes.items():
            item = ThemeBoxItem(box, s, geometry.centres[code_id])
            self.addItem(item)
            self.boxes[code_id] = item
        for edge in geometry.figure.edges:
            if edge.source in self.boxes and edge.target in self.boxes:
                item = EdgeItem(
                    edge,
                    self.boxes[edge.source],
                    self.boxes[edge.target],
                    s,
                    geometry.figure.arrowheads,
                )
                self.addItem(item)
                self.edges.append(item)
        _page, title, legend = geometry.page()
        self.addItem(
            TextBlockItem(title, geometry.title, styles.font(s.title_px, True), s.text_colour, True)
        )
        self.addItem(
            TextBlockItem(legend, geometry.legend, styles.font(s.legend_px), "#333333", False)
        )
        self._start = self.positions()
        self.setSceneRect(geometry.page()[0].adjusted(-200, -200, 200, 200))

    def positions(self) -> dict[str, tuple[float, float]]:
        """Every box centre by theme uid."""
        return {item.uid: (item.pos().x(), item.pos().y()) for item in self.boxes.values()}

    def drag_finished(self) -> None:
        """Tell listeners once per drag, and only when something really moved."""
        now = self.positions()
        if now != self._start:
            self._start = now
            self.boxesMoved.emit(now)

    def highlight(self, pairs: set[tuple[int, int]]) -> None:
        """Show these edges (``(source, target)``) in the highlight colour."""
        for item in self.edges:
            on = (item.edge.source, item.edge.target) in pairs
            if on != item.highlighted:
                item.highlighted = on
                item.update()


class NetworkCanvas(QGraphicsView):
    """The scene's view: Ctrl+wheel, +/- and Ctrl+0 zoom; drag boxes with the mouse."""

    def __init__(self, scene: NetworkScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("white"))
        self.setAccessibleName("Theme-overlap network")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Until the user zooms, the figure is kept fitted to the view: the window's first
        # layout passes resize the view after the figure is drawn.
        self.auto_fit = True
        scene.boxesMoved.connect(self._box_dragged)

    def _box_dragged(self) -> None:
        if self.auto_fit:  # a box dragged to the edge: the fitted view takes it in
            self._fit_now()

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor`` within the allowed range."""
        if self.auto_fit:
            self.unfit()
        self.auto_fit = False
        current = self.transform().m11()
        target = min(max(current * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.scale(target / current, target / current)

    def fit(self) -> None:
        """Show the whole figure, as large as the view allows (and keep it fitted)."""
        self.auto_fit = True
        self._fit_now()

    def _fit_now(self) -> None:
        # Boxes, title and legend: an edge's bounding rectangle reaches past its ends.
        items = QRectF()
        for item in self.scene().items():
            if not isinstance(item, EdgeItem) and item.isVisible():
                items = items.united(item.sceneBoundingRect())
        if items.isEmpty():
            return
        margin = max(FIT_MARGIN, 0.03 * max(items.width(), items.height()))
        fitted = items.adjusted(-margin, -margin, margin, margin)
        # While fitted the view scrolls over the figure only (the scene has room around it
        # to drag boxes into): no scroll bars, and the margin stays on every side.
        self.setSceneRect(fitted)
        self.fitInView(fitted, Qt.AspectRatioMode.KeepAspectRatio)

    def unfit(self) -> None:
        """Scroll over the whole scene again (after zooming in or out)."""
        self.setSceneRect(QRectF())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if self.auto_fit:
            self._fit_now()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self.auto_fit:
            self._fit_now()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.matches(QKeySequence.StandardKey.ZoomIn) or event.key() in (
            Qt.Key.Key_Plus,
            Qt.Key.Key_Equal,
        ):
            self.zoom(ZOOM_STEP)
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or event.key() == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif (
            event.key() == Qt.Key.Key_0 and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.fit()
        else:
            super().keyPressEvent(event)
