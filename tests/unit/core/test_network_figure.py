"""Edges to review and to draw from candidates and decisions; the figure's legend and weights."""

from __future__ import annotations

import pytest

from ketqual.core import network
from ketqual.core.network import NetworkCode, NetworkDocument
from ketqual.core.network_figure import (
    EdgeDecision,
    ThemeChoice,
    build_figure,
    choose_themes,
    edge_list,
    figure_edges,
    format_value,
    legend_lines,
)

A, B, C, D = 1, 2, 3, 4
CODES = [NetworkCode(i, f"Theme {i}", None, "#117733", f"uid{i}") for i in (A, B, C, D)]
CODES.append(NetworkCode(11, "Sub of 1", A))
DOC = NetworkDocument(1, 1)
# A has 3 passages (one through its subtheme), B 2, C 1. A-B co-occur twice
# (c = 2 / (3 + 2 - 2) = 2/3), A-C once (c = 1 / (3 + 1 - 1) = 1/3), B-C never.
CODINGS = [
    (1, A, 0, 10),
    (1, B, 5, 12),
    (1, A, 20, 30),
    (1, B, 25, 28),
    (1, C, 21, 22),
    (1, 11, 40, 45),
]


@pytest.fixture
def result():
    return network.cooccurrence(CODES, [DOC], CODINGS, "passage")


def decision(a, b, origin="computed", status="accepted", **kw):
    return EdgeDecision(a, b, origin, status, **kw)


def test_undecided_candidates_above_the_threshold_are_listed_strongest_first(result):
    edges = edge_list(result, "c", 0.3)
    assert [(e.source, e.target) for e in edges] == [(A, B), (A, C)]
    assert [e.value for e in edges] == [pytest.approx(2 / 3), pytest.approx(1 / 3)]
    assert [e.n12 for e in edges] == [2, 1]
    assert all(e.state == "candidate" for e in edges)
    assert edge_list(result, "c", 0.34) == edge_list(result, "c", 0.5)[:1]


def test_decided_pairs_are_listed_even_below_the_threshold_and_rejections_last(result):
    decisions = [
        decision(A, B, status="rejected"),
        decision(C, D, origin="drawn", directed=True),
        decision(A, C),
    ]
    edges = edge_list(result, "c", 0.9, decisions)
    assert [(e.source, e.target, e.state) for e in edges] == [
        (A, C, "accepted"),
        (C, D, "drawn"),
        (A, B, "rejected"),
    ]
    drawn = edges[1]
    assert drawn.directed and drawn.n12 == 0 and drawn.value is None


def test_decisions_on_unknown_themes_are_ignored(result):
    assert edge_list(result, "c", 2.0, [decision(A, 99)]) == []


def test_figure_draws_accepted_edges_once_the_analyst_has_decided(result):
    edges = edge_list(result, "c", 0.3, [decision(A, C)])
    shown, basis = figure_edges(edges)
    assert basis == "accepted"
    assert [(e.source, e.target) for e in shown] == [(A, C)]


def test_figure_draws_unrejected_candidates_before_any_acceptance(result):
    edges = edge_list(result, "c", 0.3, [decision(A, B, status="rejected")])
    shown, basis = figure_edges(edges)
    assert basis == "candidates"
    assert [(e.source, e.target) for e in shown] == [(A, C)]


def test_build_figure_boxes_weights_labels_and_legend(result):
    shown, basis = figure_edges(edge_list(result, "c", 0.3))
    figure = build_figure(
        result,
        shown,
        measure="c",
        min_weight=0.3,
        layer_label="consensus coding",
        basis=basis,
        title="Fig. 1",
        positions={"uid1": (1.0, 2.0)},
    )
    assert [b.name for b in figure.boxes] == ["Theme 1", "Theme 2", "Theme 3", "Theme 4"]
    assert figure.boxes[0].n == 3 and figure.boxes[0].subthemes == (("Sub of 1", 1),)
    assert [(e.label, e.weight) for e in figure.edges] == [
        ("0.67", 1.0),
        ("0.33", pytest.approx(0.5)),
    ]
    assert figure.positions == {"uid1": (1.0, 2.0)}
    legend = " ".join(figure.legend)
    assert "coded passages" in legend and "consensus coding" in legend
    assert "c-coefficient" in legend and "≥ 0.30" in legend and "not yet reviewed" in legend


def test_legend_states_unit_measure_and_basis():
    lines = legend_lines(
        unit="case",
        measure="count",
        min_weight=3,
        layer_label="coding of Coder A",
        basis="accepted",
        drawn=2,
        labels=False,
        arrowheads=False,
    )
    text = " ".join(lines)
    assert "focus groups" in text and "coding of Coder A" in text
    assert text.count("Lines join themes discussed in the same focus group") == 1
    assert "widths follow the co-occurrence count" in text
    assert "Edges accepted by the analyst, 2 drawn by hand." in text


@pytest.mark.parametrize(
    ("measure", "value", "text"),
    [("count", 12.0, "12"), ("c", 0.456, "0.46"), ("jaccard", None, ""), ("overlap", 1.0, "1.00")],
)
def test_format_value(measure, value, text):
    assert format_value(measure, value) == text


def test_themes_can_be_chosen_all_with_edges_top_n_or_by_name(result):
    shown, _basis = figure_edges(edge_list(result, "c", 0.05))
    assert choose_themes(result, shown, ThemeChoice()) == [A, B, C, D]
    assert choose_themes(result, shown, ThemeChoice("edges")) == [A, B, C]
    assert choose_themes(result, shown, ThemeChoice("top", top=2)) == [A, B]  # n 3 and 2
    assert choose_themes(result, shown, ThemeChoice("top", top=99)) == [A, B, C, D]
    assert choose_themes(result, shown, ThemeChoice("names", names=("theme 3", " Theme  1"))) == [
        A,
        C,
    ]
    with pytest.raises(ValueError, match="no theme called 'Nope'"):
        choose_themes(result, shown, ThemeChoice("names", names=("Nope",)))
    with pytest.raises(ValueError, match="at least 1"):
        ThemeChoice("top", top=0)
    with pytest.raises(ValueError, match="choose one of"):
        ThemeChoice("some")


def test_a_figure_of_chosen_themes_draws_their_edges_and_says_so(result):
    shown, basis = figure_edges(edge_list(result, "c", 0.05))
    choice = ThemeChoice("top", top=2)
    figure = build_figure(
        result,
        shown,
        measure="c",
        min_weight=0.05,
        layer_label="consensus coding",
        basis=basis,
        title="T",
        themes=choose_themes(result, shown, choice),
        choice=choice,
    )
    assert [b.code_id for b in figure.boxes] == [A, B]
    assert [(e.source, e.target) for e in figure.edges] == [(A, B)]
    assert "Showing 2 of 4 themes: the 2 with the largest n." in figure.legend
    every = build_figure(
        result, shown, measure="c", min_weight=0.05, layer_label="x", basis=basis, title="T"
    )
    assert not any(line.startswith("Showing") for line in every.legend)
