"""Where an edge runs: straight from box to box, or bent around boxes in its way.

A straight line that passes behind a third theme's box reads as a link to that box, so
an edge whose straight line would cross another box is drawn as a quadratic curve bowed
to whichever side clears every box (the smallest bend that works). Boxes above one
another or side by side are joined between their facing sides, others between their
centres; either way the visible part of the route starts and ends a few pixels outside
the two boxes it joins, however tall they are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

# Bends tried, in pixels of the curve's bulge at its middle, smallest first.
BENDS = (50.0, -50.0, 90.0, -90.0, 135.0, -135.0, 190.0, -190.0, 260.0, -260.0)
CLEARANCE = 7.0  # how far a route keeps from other boxes
REACH = 2 * max(BENDS) + 20.0  # no route strays further than this from its two boxes
GAP = 4.0  # space between a box and the end of its edge
MIN_SHARED = 24.0  # boxes sharing this much width (height) are joined straight down (across)
_SAMPLES = 24
_WALK = 64


def _lerp(a: QPointF, b: QPointF, t: float) -> QPointF:
    return QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t)


@dataclass(frozen=True)
class Route:
    """A quadratic curve ``start``-``control``-``end`` (a straight line when the control
    point lies midway), already trimmed to the visible part."""

    start: QPointF
    control: QPointF
    end: QPointF

    @property
    def curved(self) -> bool:
        middle = _lerp(self.start, self.end, 0.5)
        return math.hypot(self.control.x() - middle.x(), self.control.y() - middle.y()) > 0.5

    def _xy(self, t: float) -> tuple[float, float]:
        # Plain floats: routes are sampled thousands of times per figure.
        u = 1 - t
        a, b, c = u * u, 2 * u * t, t * t
        p0, p1, p2 = self.start, self.control, self.end
        return (
            a * p0.x() + b * p1.x() + c * p2.x(),
            a * p0.y() + b * p1.y() + c * p2.y(),
        )

    def point(self, t: float) -> QPointF:
        """The point at parameter ``t`` in [0, 1]."""
        return QPointF(*self._xy(t))

    def tangent(self, t: float) -> QPointF:
        """The direction of travel at ``t`` (not normalised)."""
        return (self.control - self.start) * (2 * (1 - t)) + (self.end - self.control) * (2 * t)

    def samples(self, count: int = _SAMPLES) -> list[tuple[float, float]]:
        """``count + 1`` points along the route, as ``(x, y)``."""
        if not self.curved:
            return [self._xy(0.0), self._xy(1.0)]
        return [self._xy(i / count) for i in range(count + 1)]

    def length(self) -> float:
        """Length along the curve (sampled)."""
        points = self.samples()
        return sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))

    def bounds(self) -> QRectF:
        """The rectangle the route covers."""
        points = self.samples()
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def polyline(self, samples: int = _SAMPLES) -> list[QPointF]:
        """Points along the route."""
        return [QPointF(x, y) for x, y in self.samples(samples)]

    def part(self, t0: float, t1: float) -> Route:
        """The piece between ``t0`` and ``t1`` (still one quadratic curve)."""
        p0, p1, p2 = self.start, self.control, self.end
        control = p0 * ((1 - t0) * (1 - t1)) + p1 * ((1 - t0) * t1 + t0 * (1 - t1)) + p2 * (t0 * t1)
        return Route(self.point(t0), control, self.point(t1))


def _segment_hits(a: tuple[float, float], b: tuple[float, float], rect) -> bool:
    """Liang-Barsky: does the segment a-b enter ``rect`` (left, top, right, bottom)?"""
    x0, y0 = a
    dx, dy = b[0] - x0, b[1] - y0
    left, top, right, bottom = rect
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _hits(route: Route, obstacles: Sequence[tuple[float, float, float, float]]) -> int:
    """How many obstacles (left, top, right, bottom) the route runs into."""
    points = route.samples()
    pieces = list(zip(points, points[1:], strict=False))
    return sum(1 for rect in obstacles if any(_segment_hits(a, b, rect) for a, b in pieces))


def _leave(route: Route, rect: QRectF, from_start: bool) -> float | None:
    """The parameter where the route leaves ``rect`` for good, walking from its start (or
    its end); ``None`` if it never does. Walked in small steps, then bisected to well
    under a pixel: a tall box can hold half the route, or more."""
    steps = [i / _WALK for i in range(_WALK + 1)]
    if not from_start:
        steps.reverse()
    inside = steps[0]
    if not rect.contains(route.point(inside)):
        return inside
    for outside in steps[1:]:
        if not rect.contains(route.point(outside)):
            for _ in range(30):
                middle = (inside + outside) / 2
                if rect.contains(route.point(middle)):
                    inside = middle
                else:
                    outside = middle
            return outside
        inside = outside
    return None


def _visible(full: Route, rect_a: QRectF, rect_b: QRectF) -> Route | None:
    a = rect_a.adjusted(-GAP, -GAP, GAP, GAP)
    b = rect_b.adjusted(-GAP, -GAP, GAP, GAP)
    t0, t1 = _leave(full, a, True), _leave(full, b, False)
    if t0 is None or t1 is None or t1 - t0 <= 0.02:
        return None
    return full.part(t0, t1)


def anchors(rect_a: QRectF, rect_b: QRectF) -> tuple[QPointF, QPointF]:
    """Where an edge between two boxes starts and ends: facing sides' midpoints of their
    shared stretch when the boxes are above one another or side by side (so an arrow
    leaves a tall box from its edge, not from deep inside), else the centres."""
    left, right = max(rect_a.left(), rect_b.left()), min(rect_a.right(), rect_b.right())
    top, bottom = max(rect_a.top(), rect_b.top()), min(rect_a.bottom(), rect_b.bottom())
    if right - left >= MIN_SHARED:  # one above the other
        x = (left + right) / 2
        if rect_a.bottom() <= rect_b.top():
            return QPointF(x, rect_a.bottom()), QPointF(x, rect_b.top())
        if rect_b.bottom() <= rect_a.top():
            return QPointF(x, rect_a.top()), QPointF(x, rect_b.bottom())
    if bottom - top >= MIN_SHARED:  # side by side
        y = (top + bottom) / 2
        if rect_a.right() <= rect_b.left():
            return QPointF(rect_a.right(), y), QPointF(rect_b.left(), y)
        if rect_b.right() <= rect_a.left():
            return QPointF(rect_a.left(), y), QPointF(rect_b.right(), y)
    return rect_a.center(), rect_b.center()


def route(
    rect_a: QRectF,
    rect_b: QRectF,
    obstacles: Sequence[QRectF] = (),
    towards: QPointF | None = None,
) -> Route | None:
    """The route of an edge between two boxes, clear of ``obstacles`` when possible.

    Args:
        rect_a, rect_b: The boxes the edge joins.
        obstacles: Every other box.
        towards: Of two equal bends, prefer the one bowing towards this point (the
            figure's centre), so curves stay on the page.

    Returns:
        The visible route, or ``None`` when the boxes overlap so that nothing would show.
    """
    if rect_a.intersects(rect_b):
        return None
    a, b = anchors(rect_a, rect_b)
    straight = Route(a, _lerp(a, b, 0.5), b)
    clear = [
        (r.left() - CLEARANCE, r.top() - CLEARANCE, r.right() + CLEARANCE, r.bottom() + CLEARANCE)
        for r in obstacles
    ]
    visible = _visible(straight, rect_a, rect_b)
    if visible is None or not clear or _hits(visible, clear) == 0:
        return visible
    length = math.hypot(b.x() - a.x(), b.y() - a.y())
    normal = QPointF(-(b.y() - a.y()) / length, (b.x() - a.x()) / length)
    if towards is not None:
        middle = _lerp(a, b, 0.5)
        inward = (towards.x() - middle.x()) * normal.x() + (towards.y() - middle.y()) * normal.y()
        if inward < 0:
            normal = -normal  # positive bends now bow towards the centre
    best, fewest = visible, _hits(visible, clear)
    for bend in BENDS:
        # A quadratic curve's middle lies halfway to its control point.
        control = _lerp(a, b, 0.5) + normal * (2 * bend)
        candidate = _visible(Route(a, control, b), rect_a, rect_b)
        if candidate is None:
            continue
        hits = _hits(candidate, clear)
        if hits < fewest:
            best, fewest = candidate, hits
        if hits == 0:
            break
    return best
