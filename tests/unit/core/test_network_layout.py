"""The grid layout: boxes never overlap, linked themes end up close, same input same picture."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core import layout_search
from ketqual.core import network_layout as layout
from ketqual.core.network_layout import Box


def hits_box(p, q, centre, half_w, half_h, steps=2000):
    """Reference: does the segment p-q pass through the box? (dense sampling)"""
    for i in range(steps + 1):
        t = i / steps
        x, y = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        if abs(x - centre[0]) <= half_w and abs(y - centre[1]) <= half_h:
            return True
    return False


def crosses(p1, p2, p3, p4):
    """Reference: proper crossing, or collinear segments sharing more than a point."""

    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2, d3, d4 = orient(p3, p4, p1), orient(p3, p4, p2), orient(p1, p2, p3), orient(p1, p2, p4)
    if d1 == d2 == 0:
        xs = sorted([p1[0], p2[0]]), sorted([p3[0], p4[0]])
        ys = sorted([p1[1], p2[1]]), sorted([p3[1], p4[1]])
        return max(xs[0][0], xs[1][0]) < min(xs[0][1], xs[1][1]) or max(ys[0][0], ys[1][0]) < min(
            ys[0][1], ys[1][1]
        )
    return d1 * d2 < 0 and d3 * d4 < 0


def boxes(n: int, width: float = 200, height: float = 100) -> list[Box]:
    return [Box(f"t{i}", width, height) for i in range(n)]


def test_ten_themes_make_a_three_by_four_grid_in_codebook_order_without_edges():
    places = layout.grid_layout(boxes(10), gap_x=50, gap_y=40)
    assert layout.grid_shape(10) == (4, 3)
    assert places["t0"] == (100, 50)
    assert places["t1"] == (350, 50)  # 200 + 50 + 100
    assert places["t3"] == (100, 190)  # next row: 100 + 40 + 50


def test_strongly_linked_boxes_become_neighbours():
    # t0 and t8 start at opposite corners of a 3 x 3 grid.
    places = layout.grid_layout(boxes(9), [("t0", "t8", 10.0)], gap_x=50, gap_y=40)
    (x0, y0), (x8, y8) = places["t0"], places["t8"]
    assert math.hypot(x0 - x8, y0 - y8) <= 250 + 1e-9  # one cell apart


def test_an_edge_is_not_routed_through_a_third_box_when_it_can_be_avoided():
    # Three in a row with an edge between the outer two: the layout moves one of them.
    places = layout.grid_layout(boxes(3), [("t0", "t2", 1.0)], columns=3)
    assert places != layout.grid_layout(boxes(3), columns=3)
    assert not hits_box(places["t0"], places["t2"], places["t1"], 100, 50)


def test_the_same_input_gives_the_same_layout():
    edges = [("t0", "t5", 3.0), ("t2", "t7", 1.0), ("t1", "t9", 2.0), ("t3", "t4", 0.5)]
    assert layout.grid_layout(boxes(10), edges) == layout.grid_layout(boxes(10), edges)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(60, 300), st.integers(30, 220)), min_size=1, max_size=14),
    st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13), st.floats(0.01, 10)), max_size=12),
)
def test_boxes_never_overlap(sizes, raw_edges):
    items = [Box(f"t{i}", w, h) for i, (w, h) in enumerate(sizes)]
    edges = [(f"t{a}", f"t{b}", w) for a, b, w in raw_edges if a < len(items) and b < len(items)]
    places = layout.grid_layout(items, edges)
    assert set(places) == {b.key for b in items}
    assert layout.overlapping(places, items) == []


def test_saved_places_are_kept_and_new_boxes_go_below_without_overlap():
    items = boxes(4)
    saved = {"t0": (500.0, 300.0), "t1": (100.0, 80.0)}
    places = layout.place_missing(saved, items, gap_x=50, gap_y=40)
    assert places["t0"] == (500.0, 300.0) and places["t1"] == (100.0, 80.0)
    assert places["t2"][1] == places["t3"][1] == 350 + 40 + 50
    assert layout.overlapping(places, items) == []


def test_place_missing_without_saved_places_is_the_grid():
    assert layout.place_missing({}, boxes(5)) == layout.grid_layout(boxes(5))


def test_overlapping_reports_pairs_but_not_touching_boxes():
    items = boxes(3, 100, 100)
    places = {"t0": (50.0, 50.0), "t1": (150.0, 50.0), "t2": (120.0, 60.0)}
    assert layout.overlapping(places, items) == [("t0", "t2"), ("t1", "t2")]


def test_the_search_tables_agree_with_plain_geometry():
    rows, cols = 3, 4
    search = layout_search.Search(10, rows, cols, [(0, 1, 1.0)])
    centres = [(c % cols + 0.5, c // cols + 0.5) for c in range(rows * cols)]
    n = len(centres)
    for a in range(n):
        for b in range(n):
            for c in range(n):
                expected = c not in (a, b) and hits_box(
                    centres[a], centres[b], centres[c], 0.36, 0.34
                )
                assert search.through[a, b, c] == expected, (a, b, c)
    for a, b, c, d in [(0, 5, 1, 4), (0, 2, 1, 3), (0, 1, 2, 3), (0, 5, 4, 9), (0, 10, 2, 8)]:
        expected = len({a, b, c, d}) == 4 and crosses(
            centres[a], centres[b], centres[c], centres[d]
        )
        assert search.cross[a, b, c, d] == expected, (a, b, c, d)
    assert search.cross.sum() == sum(
        1
        for a, b, c, d in np.argwhere(search.cross)
        if crosses(centres[a], centres[b], centres[c], centres[d])
    )


def test_the_cost_counts_lengths_boxes_crossed_and_crossings():
    # 1 x 3 grid, boxes 0, 1, 2 in cells 0, 1, 2; an edge 0-2 runs through box 1.
    search = layout_search.Search(3, 1, 3, [(0, 2, 1.0)])
    straight = search.costs(np.array([[0, 1, 2]]))[0]
    assert straight == pytest.approx(2.0 + layout_search.THROUGH_A_BOX, abs=0.01)
    # 2 x 2 grid, the two diagonals cross.
    search = layout_search.Search(4, 2, 2, [(0, 3, 1.0), (1, 2, 1.0)])
    cost = search.costs(np.array([[0, 1, 2, 3]]))[0]
    assert cost == pytest.approx(2 * 2**0.5 + layout_search.CROSSING, abs=0.01)
