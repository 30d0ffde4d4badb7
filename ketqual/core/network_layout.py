"""Where the theme boxes go: a deterministic grid layout that keeps linked themes close.

Box sizes come in as numbers (the drawing code measures the text), so this stays pure.
Boxes sit in the cells of a grid, so they can never overlap; the assignment of themes to
cells starts in codebook order and is improved by swapping cells while that lowers a cost:
the weighted length of the edges, plus a penalty for every edge that would run through
another theme's box and for every pair of crossing edges. The same input always gives
the same picture.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

# Penalties in units of one grid step of edge length. An edge hidden behind a third box
# reads as a link to that box, the worst thing a network figure can do.
_THROUGH_A_BOX = 8.0
_CROSSING = 1.5
_MAX_PASSES = 30
_STARTS = 8  # codebook order plus seeded shuffles: local search from several starts


@dataclass(frozen=True)
class Box:
    """A box to place: its key (a theme uid) and its size in pixels."""

    key: str
    width: float
    height: float


def grid_shape(count: int, columns: int | None = None) -> tuple[int, int]:
    """Rows and columns for ``count`` boxes: about square (ten themes: 3 x 4, which fits
    a journal page at a readable text size)."""
    if count <= 0:
        return 0, 0
    cols = columns or max(1, round(math.sqrt(count)))
    cols = min(cols, count)
    return math.ceil(count / cols), cols


def grid_layout(
    boxes: Sequence[Box],
    edges: Sequence[tuple[str, str, float]] = (),
    *,
    gap_x: float = 70.0,
    gap_y: float = 60.0,
    columns: int | None = None,
) -> dict[str, Point]:
    """Box centres on a grid, linked boxes near each other, top-left corner at (0, 0).

    Args:
        boxes: Boxes in their preferred (codebook) order.
        edges: ``(key, key, weight)``; weights are relative (any positive scale).
        gap_x, gap_y: Space between columns and rows, room for edges and their labels.
        columns: Force the number of columns (default from :func:`grid_shape`).

    Returns:
        Centre of each box by key.
    """
    # Exports lay the same figure out once per format; the search is worth remembering.
    return dict(_grid_layout(tuple(boxes), tuple(edges), gap_x, gap_y, columns))


@functools.lru_cache(maxsize=32)
def _grid_layout(boxes, edges, gap_x, gap_y, columns) -> tuple[tuple[str, Point], ...]:
    if not boxes:
        return ()
    rows, cols = grid_shape(len(boxes), columns)
    keys = [b.key for b in boxes]
    index = {k: i for i, k in enumerate(keys)}
    links = _normalise([(index[a], index[b], w) for a, b, w in edges if a in index and b in index])
    cell_of = _best_assignment(len(boxes), rows, cols, links)
    return tuple(_place(boxes, cell_of, cols, gap_x, gap_y).items())


def _best_assignment(count: int, rows: int, cols: int, links) -> list[int]:
    """The cheapest of several local searches (same seeds every time: deterministic)."""
    if not links:
        return list(range(count))
    n_cells = rows * cols
    geometry = _Geometry(n_cells, cols)
    rng = random.Random(20190562)  # fixed: the same figure on every run and machine
    best: tuple[float, list[int]] | None = None
    for start in range(_STARTS):
        cells = list(range(n_cells))
        if start:
            rng.shuffle(cells)
        cell_of = _improve(cells[:count], n_cells, links, geometry)
        cost = _cost(cell_of, links, geometry)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, cell_of)
    return best[1]


def _normalise(links: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    top = max((w for _a, _b, w in links), default=0.0)
    # Every edge counts at least a little, so weak edges are not stretched across the page.
    return [(a, b, 0.25 + 0.75 * (w / top if top > 0 else 1.0)) for a, b, w in links if a != b]


class _Geometry:
    """Cell centres on a unit grid and which cells a straight line between two runs through."""

    def __init__(self, n_cells: int, cols: int) -> None:
        self.cols = cols
        self.centre = [(c % cols + 0.5, c // cols + 0.5) for c in range(n_cells)]
        self._through: dict[tuple[int, int], tuple[int, ...]] = {}
        self._cross: dict[tuple[int, int, int, int], bool] = {}

    def length(self, a: int, b: int) -> float:
        (x1, y1), (x2, y2) = self.centre[a], self.centre[b]
        return math.hypot(x1 - x2, y1 - y2)

    def through(self, a: int, b: int) -> tuple[int, ...]:
        """Cells (other than a and b) whose box the segment a-b passes through."""
        key = (min(a, b), max(a, b))
        if key not in self._through:
            p, q = self.centre[key[0]], self.centre[key[1]]
            self._through[key] = tuple(
                c
                for c in range(len(self.centre))
                if c not in key and _segment_hits_box(p, q, self.centre[c], 0.36, 0.34)
            )
        return self._through[key]

    def cross(self, a: int, b: int, c: int, d: int) -> bool:
        """Whether segments a-b and c-d cross (sharing an end does not count)."""
        if len({a, b, c, d}) < 4:
            return False
        key = (a, b, c, d)
        if key not in self._cross:
            self._cross[key] = _segments_cross(
                self.centre[a], self.centre[b], self.centre[c], self.centre[d]
            )
        return self._cross[key]


def _cost(cell_of: list[int], links, geometry: _Geometry) -> float:
    occupied = set(cell_of)
    total = 0.0
    for a, b, w in links:
        ca, cb = cell_of[a], cell_of[b]
        total += w * geometry.length(ca, cb)
        total += _THROUGH_A_BOX * sum(1 for c in geometry.through(ca, cb) if c in occupied)
    for i, (a, b, _w) in enumerate(links):
        for c, d, _v in links[i + 1 :]:
            if geometry.cross(cell_of[a], cell_of[b], cell_of[c], cell_of[d]):
                total += _CROSSING
    # A whisper of codebook order breaks ties the same way every time.
    return total + 1e-4 * sum(abs(cell - i) for i, cell in enumerate(cell_of))


def _improve(cell_of: list[int], n_cells: int, links, geometry: _Geometry) -> list[int]:
    """Swap boxes between cells (or into empty cells) while the cost goes down."""
    best = _cost(cell_of, links, geometry)
    for _ in range(_MAX_PASSES):
        improved = False
        for node in range(len(cell_of)):
            for cell in range(n_cells):
                here = cell_of[node]
                if cell == here:
                    continue
                other = cell_of.index(cell) if cell in cell_of else None
                cell_of[node] = cell
                if other is not None:
                    cell_of[other] = here
                cost = _cost(cell_of, links, geometry)
                if cost < best - 1e-9:
                    best, improved = cost, True
                else:
                    cell_of[node] = here
                    if other is not None:
                        cell_of[other] = cell
        if not improved:
            break
    return cell_of


def _place(boxes: Sequence[Box], cell_of: list[int], cols: int, gap_x: float, gap_y: float):
    """Pixel centres: columns as wide as their widest box, rows as tall as their tallest."""
    used_rows = sorted({c // cols for c in cell_of})
    used_cols = sorted({c % cols for c in cell_of})
    row_no = {r: i for i, r in enumerate(used_rows)}
    col_no = {c: i for i, c in enumerate(used_cols)}
    widths = [0.0] * len(used_cols)
    heights = [0.0] * len(used_rows)
    for box, cell in zip(boxes, cell_of, strict=True):
        r, c = row_no[cell // cols], col_no[cell % cols]
        widths[c] = max(widths[c], box.width)
        heights[r] = max(heights[r], box.height)
    lefts = [sum(widths[:i]) + gap_x * i for i in range(len(widths))]
    tops = [sum(heights[:i]) + gap_y * i for i in range(len(heights))]
    return {
        box.key: (
            lefts[col_no[cell % cols]] + widths[col_no[cell % cols]] / 2,
            tops[row_no[cell // cols]] + heights[row_no[cell // cols]] / 2,
        )
        for box, cell in zip(boxes, cell_of, strict=True)
    }


def place_missing(
    positions: Mapping[str, Point],
    boxes: Sequence[Box],
    *,
    gap_x: float = 70.0,
    gap_y: float = 60.0,
) -> dict[str, Point]:
    """Keep saved centres and put boxes without one in a row below everything else.

    Used when the analyst has arranged the boxes by hand and a theme was added since.
    """
    known = {b.key: positions[b.key] for b in boxes if b.key in positions}
    missing = [b for b in boxes if b.key not in positions]
    if not known:
        return grid_layout(boxes, gap_x=gap_x, gap_y=gap_y)
    sizes = {b.key: b for b in boxes}
    left = min(x - sizes[k].width / 2 for k, (x, _y) in known.items())
    bottom = max(y + sizes[k].height / 2 for k, (_x, y) in known.items())
    x = left
    row_height = max((b.height for b in missing), default=0.0)
    out = dict(known)
    for box in missing:
        out[box.key] = (x + box.width / 2, bottom + gap_y + row_height / 2)
        x += box.width + gap_x
    return out


def overlapping(positions: Mapping[str, Point], boxes: Sequence[Box]) -> list[tuple[str, str]]:
    """Pairs of boxes whose rectangles overlap (touching edges do not count)."""
    rects = [
        (b.key, *_rect(positions[b.key], b.width, b.height)) for b in boxes if b.key in positions
    ]
    out = []
    for i, (k1, l1, t1, r1, b1) in enumerate(rects):
        for k2, l2, t2, r2, b2 in rects[i + 1 :]:
            if l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1:
                out.append((k1, k2))
    return out


def _rect(centre: Point, width: float, height: float) -> tuple[float, float, float, float]:
    x, y = centre
    return x - width / 2, y - height / 2, x + width / 2, y + height / 2


def _segment_hits_box(p: Point, q: Point, centre: Point, half_w: float, half_h: float) -> bool:
    """Liang-Barsky clipping: does segment p-q enter the box around ``centre``?"""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    lo, hi = 0.0, 1.0
    for step, distance in (
        (-dx, x0 - (centre[0] - half_w)),
        (dx, centre[0] + half_w - x0),
        (-dy, y0 - (centre[1] - half_h)),
        (dy, centre[1] + half_h - y0),
    ):
        if step == 0:
            if distance < 0:
                return False
            continue
        t = distance / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _segments_cross(p1: Point, p2: Point, p3: Point, p4: Point) -> bool:
    """Proper crossing of two segments (collinear overlaps count as crossing)."""

    def orient(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    if d1 == d2 == 0:  # collinear: crossing if they overlap
        return max(min(p1[0], p2[0]), min(p3[0], p4[0])) < min(
            max(p1[0], p2[0]), max(p3[0], p4[0])
        ) or max(min(p1[1], p2[1]), min(p3[1], p4[1])) < min(max(p1[1], p2[1]), max(p3[1], p4[1]))
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and d1 * d2 < 0 and d3 * d4 < 0
