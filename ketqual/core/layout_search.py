"""The search behind the grid layout: which theme goes in which cell.

The cost of an assignment of boxes to grid cells is the weighted length of the edges,
plus a penalty for every edge that runs through another occupied cell's box and for every
pair of crossing edges. Every geometric fact about cells (distances, which cells a line
between two cells passes through, which lines cross) is tabulated once with numpy, so
the cost of *every* possible move of one box is computed in a single vectorised step.
"""

from __future__ import annotations

import random

import numpy as np

# Penalties in units of one grid step of edge length. An edge hidden behind a third box
# reads as a link to that box, the worst thing a network figure can do.
THROUGH_A_BOX = 8.0
CROSSING = 1.5
MAX_PASSES = 30
STARTS = 8  # codebook order plus seeded shuffles: local search from several starts
MANY = 30  # above this many boxes one search costs seconds: two starts are enough
# Half the size of a box, in grid steps (boxes fill about 70% of their cell).
HALF_WIDTH, HALF_HEIGHT = 0.36, 0.34
_MAX_CROSS_CELLS = 64  # above this the crossing table (cells**4) is left out


def _through_table(centres: np.ndarray) -> np.ndarray:
    """``[a, b, c]``: the segment between cell centres a and b enters c's box (Liang-Barsky)."""
    n = len(centres)
    p = centres[:, None, None, :]
    d = centres[None, :, None, :] - p
    m = centres[None, None, :, :]
    lo = np.zeros((n, n, n))
    hi = np.ones((n, n, n))
    miss = np.zeros((n, n, n), dtype=bool)
    for axis, half in ((0, HALF_WIDTH), (1, HALF_HEIGHT)):
        for step, room in (
            (-d[..., axis], p[..., axis] - (m[..., axis] - half)),
            (d[..., axis], m[..., axis] + half - p[..., axis]),
        ):
            step, room = np.broadcast_to(step, (n, n, n)), np.broadcast_to(room, (n, n, n))
            flat = step == 0
            miss |= flat & (room < 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(flat, 0.0, room / np.where(flat, 1.0, step))
            lo = np.where(~flat & (step < 0), np.maximum(lo, t), lo)
            hi = np.where(~flat & (step > 0), np.minimum(hi, t), hi)
    hit = ~miss & (lo <= hi)
    index = np.arange(n)
    hit[index[:, None], :, index[:, None]] = False  # a line's own end boxes do not count
    hit[:, index[:, None], index[:, None]] = False
    return hit


def _cross_table(centres: np.ndarray) -> np.ndarray:
    """``[a, b, c, d]``: segments a-b and c-d cross or overlap (sharing a cell never counts)."""
    n = len(centres)
    x, y = centres[:, 0], centres[:, 1]
    ax, ay = x[:, None, None, None], y[:, None, None, None]
    bx, by = x[None, :, None, None], y[None, :, None, None]
    cx, cy = x[None, None, :, None], y[None, None, :, None]
    dx, dy = x[None, None, None, :], y[None, None, None, :]

    def orient(px, py, qx, qy, rx, ry):
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1, d2 = orient(cx, cy, dx, dy, ax, ay), orient(cx, cy, dx, dy, bx, by)
    d3, d4 = orient(ax, ay, bx, by, cx, cy), orient(ax, ay, bx, by, dx, dy)
    proper = (d1 * d2 < 0) & (d3 * d4 < 0)
    collinear = (d1 == 0) & (d2 == 0)
    overlap_x = np.maximum(np.minimum(ax, bx), np.minimum(cx, dx)) < np.minimum(
        np.maximum(ax, bx), np.maximum(cx, dx)
    )
    overlap_y = np.maximum(np.minimum(ay, by), np.minimum(cy, dy)) < np.minimum(
        np.maximum(ay, by), np.maximum(cy, dy)
    )
    cross = proper | (collinear & (overlap_x | overlap_y))
    i = np.arange(n)
    distinct = (
        (i[:, None, None, None] != i[None, :, None, None])
        & (i[:, None, None, None] != i[None, None, :, None])
        & (i[:, None, None, None] != i[None, None, None, :])
        & (i[None, :, None, None] != i[None, None, :, None])
        & (i[None, :, None, None] != i[None, None, None, :])
        & (i[None, None, :, None] != i[None, None, None, :])
    )
    return cross & distinct


class Search:
    """Local search over assignments of ``count`` boxes to a rows x cols grid."""

    def __init__(self, count: int, rows: int, cols: int, links) -> None:
        self.count, self.cells = count, rows * cols
        centres = np.array([(c % cols + 0.5, c // cols + 0.5) for c in range(self.cells)])
        self.distance = np.hypot(
            centres[:, None, 0] - centres[None, :, 0], centres[:, None, 1] - centres[None, :, 1]
        )
        self.through = _through_table(centres)
        self.cross = _cross_table(centres) if self.cells <= _MAX_CROSS_CELLS else None
        self.a = np.array([a for a, _b, _w in links], dtype=np.int64)
        self.b = np.array([b for _a, b, _w in links], dtype=np.int64)
        self.w = np.array([w for _a, _b, w in links], dtype=np.float64)

    def costs(self, assignments: np.ndarray) -> np.ndarray:
        """The cost of each row of ``assignments`` (row k: box i sits in cell ``[k, i]``)."""
        k = len(assignments)
        src, dst = assignments[:, self.a], assignments[:, self.b]
        total = (self.w * self.distance[src, dst]).sum(axis=1)
        occupied = np.zeros((k, self.cells), dtype=bool)
        occupied[np.arange(k)[:, None], assignments] = True
        total += THROUGH_A_BOX * (self.through[src, dst] & occupied[:, None, :]).sum(axis=(1, 2))
        if self.cross is not None and len(self.a) > 1:
            pairs = self.cross[src[:, :, None], dst[:, :, None], src[:, None, :], dst[:, None, :]]
            total += CROSSING * pairs.sum(axis=(1, 2)) / 2  # each crossing counted twice
        # A whisper of codebook order breaks ties the same way every time.
        return total + 1e-4 * np.abs(assignments - np.arange(self.count)).sum(axis=1)

    def improve(self, cell_of: np.ndarray) -> tuple[float, np.ndarray]:
        """Move one box at a time to its best cell (swapping with the box there) while the
        cost goes down."""
        best = float(self.costs(cell_of[None, :])[0])
        cells = np.arange(self.cells)
        for _ in range(MAX_PASSES):
            improved = False
            for node in range(self.count):
                occupant = np.full(self.cells, -1)
                occupant[cell_of] = np.arange(self.count)
                moves = np.tile(cell_of, (self.cells, 1))
                moves[:, node] = cells
                taken = np.flatnonzero(occupant >= 0)
                moves[taken, occupant[taken]] = cell_of[node]
                costs = self.costs(moves)
                choice = int(np.argmin(costs))
                if costs[choice] < best - 1e-9:
                    best, cell_of, improved = float(costs[choice]), moves[choice].copy(), True
            if not improved:
                break
        return best, cell_of

    def best(self, seed: int = 20190562) -> list[int]:
        """The cheapest result of searches from codebook order and seeded shuffles."""
        rng = random.Random(seed)  # fixed: the same figure on every run and machine
        found: tuple[float, np.ndarray] | None = None
        for start in range(STARTS if self.count <= MANY else 2):
            cells = list(range(self.cells))
            if start:
                rng.shuffle(cells)
            cost, cell_of = self.improve(np.array(cells[: self.count], dtype=np.int64))
            if found is None or cost < found[0] - 1e-9:
                found = (cost, cell_of)
        assert found is not None  # STARTS >= 1
        return found[1].tolist()
