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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ketqual.core import layout_search

Point = tuple[float, float]


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


def _normalise(links: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    top = max((w for _a, _b, w in links), default=0.0)
    # Every edge counts at least a little, so weak edges are not stretched across the page.
    return [(a, b, 0.25 + 0.75 * (w / top if top > 0 else 1.0)) for a, b, w in links if a != b]


def _best_assignment(count: int, rows: int, cols: int, links) -> list[int]:
    """Cells for the boxes: codebook order without edges, else the search's best."""
    if not links:
        return list(range(count))
    return layout_search.Search(count, rows, cols, links).best()


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
