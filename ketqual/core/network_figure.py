"""What the theme-overlap figure shows: boxes, edges and a legend, as plain data.

The analyst's decisions (accepted, rejected, drawn edges, with provenance) are combined
with the computed co-occurrence into the list of edges to review (:func:`edge_list`) and
the edges to draw (:func:`figure_edges`). :func:`build_figure` then describes the figure;
where things go on the page is decided later (``network_layout``) from measured text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ketqual.core.network import (
    MEASURE_LABELS,
    Cooccurrence,
    candidate_edges,
)

ORIGINS = ("computed", "drawn")
STATUSES = ("accepted", "rejected")
# How each unit reads in "themes discussed ...".
UNIT_TOGETHER = {
    "passage": "in overlapping coded passages",
    "sentence": "in the same sentence unit",
    "paragraph": "in the same paragraph",
    "case": "in the same focus group",
}
# What n counts, per unit, as the legend says it.
N_MEANS = {
    "passage": "coded passages of the theme or its subthemes",
    "sentence": "sentence units coded with the theme or its subthemes",
    "paragraph": "paragraphs coded with the theme or its subthemes",
    "case": "focus groups in which the theme or its subthemes were coded",
}
MEASURE_FORMULAS = {
    "count": "n12",
    "jaccard": "n12 / |either|",
    "c": "n12 / (n1 + n2 - n12)",
    "overlap": "n12 / min(n1, n2)",
}


@dataclass(frozen=True)
class EdgeDecision:
    """The analyst's decision on one pair of themes, with where it came from.

    ``source`` is the smaller code id for an undirected edge and the origin of the arrow
    for a directed one.
    """

    source: int
    target: int
    origin: str
    status: str
    directed: bool = False
    layer: str | None = None
    unit: str | None = None
    measure: str | None = None
    value: float | None = None
    actor: str = ""
    at: str = ""

    @property
    def key(self) -> tuple[int, int]:
        """The unordered pair, smaller id first."""
        return (min(self.source, self.target), max(self.source, self.target))


@dataclass(frozen=True)
class NetworkEdge:
    """One pair of themes as the analyst sees it in the list of edges.

    Attributes:
        source, target: Theme ids (a directed edge points from source to target).
        n12: Co-occurrences at the current unit (0 when they do not co-occur).
        value: The current measure (``None`` when undefined).
        state: ``candidate`` (computed, undecided), ``accepted``, ``rejected`` or
            ``drawn``.
        directed: Whether the edge is an arrow one way.
        decision: The stored decision, if any.
    """

    source: int
    target: int
    n12: int
    value: float | None
    state: str
    directed: bool = False
    decision: EdgeDecision | None = None


def edge_list(
    result: Cooccurrence,
    measure: str,
    min_weight: float,
    decisions: Sequence[EdgeDecision] = (),
) -> list[NetworkEdge]:
    """Candidates above the threshold and every decided pair, strongest first.

    A decided pair is listed even when it falls below the threshold at the current
    unit and measure, so a decision never silently disappears from view.
    """
    ids = {t.code_id for t in result.themes}
    decided = {d.key: d for d in decisions if d.source in ids and d.target in ids}
    out: list[NetworkEdge] = []
    seen: set[tuple[int, int]] = set()
    for candidate in candidate_edges(result, measure, min_weight):
        key = (min(candidate.source, candidate.target), max(candidate.source, candidate.target))
        seen.add(key)
        out.append(_edge(result, measure, candidate.source, candidate.target, decided.get(key)))
    for key, decision in decided.items():
        if key not in seen:
            out.append(_edge(result, measure, decision.source, decision.target, decision))
    order = {t.code_id: i for i, t in enumerate(result.themes)}
    rank = {"candidate": 0, "accepted": 0, "drawn": 0, "rejected": 1}
    return sorted(
        out,
        key=lambda e: (
            rank[e.state],
            -(e.value if e.value is not None else -1.0),
            order[e.source],
            order[e.target],
        ),
    )


def _edge(result: Cooccurrence, measure: str, a: int, b: int, decision: EdgeDecision | None):
    if decision is not None:
        a, b = decision.source, decision.target
    n12 = result.pair(a, b).n12
    value = result.value(a, b, measure) if n12 else None
    if decision is None:
        return NetworkEdge(a, b, n12, value, "candidate")
    state = "drawn" if decision.origin == "drawn" else decision.status
    return NetworkEdge(a, b, n12, value, state, decision.directed, decision)


def figure_edges(edges: Sequence[NetworkEdge]) -> tuple[list[NetworkEdge], str]:
    """The edges to draw and on what basis.

    Returns:
        ``(edges, "accepted")`` when the analyst has accepted or drawn at least one edge
        (then exactly those are drawn), else ``(edges, "candidates")``: the computed
        candidates above the threshold that were not rejected.
    """
    accepted = [e for e in edges if e.state in ("accepted", "drawn")]
    if accepted:
        return accepted, "accepted"
    return [e for e in edges if e.state == "candidate"], "candidates"


def format_value(measure: str, value: float | None) -> str:
    """A value as the figure and tables print it: counts whole, measures to 2 decimals."""
    if value is None:
        return ""
    if measure == "count":
        return str(round(value))
    return f"{value:.2f}"


@dataclass(frozen=True)
class FigureBox:
    """One theme's box: name, n and subthemes with their own n."""

    code_id: int
    uid: str
    name: str
    n: int
    colour: str
    subthemes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class FigureEdge:
    """A line between two boxes; ``weight`` in [0, 1] sets its width."""

    source: int
    target: int
    label: str
    weight: float
    directed: bool = False
    drawn: bool = False


@dataclass(frozen=True)
class LayoutReference:
    """The boxes and edges an automatic layout is worked out from, when that is another
    figure's: a coder's figure is laid out like the consensus figure, so the two can be
    compared side by side with every theme in the same place."""

    boxes: tuple[FigureBox, ...]
    edges: tuple[FigureEdge, ...]
    layer_label: str = "consensus coding"


@dataclass(frozen=True)
class NetworkFigure:
    """Everything the drawing needs, with saved box centres by theme uid (may be partial).

    ``reference``, when given, is laid out instead of the figure's own boxes and edges for
    themes without a saved place (see :class:`LayoutReference`).
    """

    title: str
    boxes: tuple[FigureBox, ...]
    edges: tuple[FigureEdge, ...]
    legend: tuple[str, ...]
    positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    arrowheads: bool = True  # heads at both ends of undirected edges, like the study's Fig. 1
    reference: LayoutReference | None = None


THEME_MODES = ("all", "edges", "top", "names")


@dataclass(frozen=True)
class ThemeChoice:
    """Which themes the figure shows.

    Attributes:
        mode: ``all``; ``edges`` (themes with at least one edge in the figure); ``top``
            (the ``top`` themes with the largest n); ``names`` (the themes named).
        top: How many themes for ``top``.
        names: Theme names for ``names`` (matched ignoring case).
    """

    mode: str = "all"
    top: int = 0
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in THEME_MODES:
            raise ValueError(f"themes: choose one of {', '.join(THEME_MODES)}, not {self.mode!r}")
        if self.mode == "top" and self.top < 1:
            raise ValueError("the number of themes to show must be at least 1")
        if self.mode == "names" and not self.names:
            raise ValueError("name at least one theme to show")


def choose_themes(
    result: Cooccurrence, edges: Sequence[NetworkEdge], choice: ThemeChoice
) -> list[int]:
    """The ids of the themes to draw, in codebook order.

    Raises:
        ValueError: For a theme name that is not a theme of the codebook.
    """
    themes = result.themes
    if choice.mode == "all":
        return [t.code_id for t in themes]
    if choice.mode == "edges":
        linked = {e.source for e in edges} | {e.target for e in edges}
        return [t.code_id for t in themes if t.code_id in linked]
    if choice.mode == "top":
        order = {t.code_id: i for i, t in enumerate(themes)}
        ranked = sorted(themes, key=lambda t: (-t.n, order[t.code_id]))[: choice.top]
        keep = {t.code_id for t in ranked}
        return [t.code_id for t in themes if t.code_id in keep]
    by_name = {t.name.casefold(): t.code_id for t in themes}
    wanted = set()
    for name in choice.names:
        key = " ".join(name.split()).casefold()
        if key not in by_name:
            raise ValueError(f"there is no theme called '{name}'")
        wanted.add(by_name[key])
    return [t.code_id for t in themes if t.code_id in wanted]


def choice_line(choice: ThemeChoice, shown: int, total: int) -> str | None:
    """The legend's line saying which themes are shown (``None`` when all are)."""
    if shown == total and choice.mode in ("all", "edges", "top"):
        return None
    what = {
        "all": "all themes",
        "edges": "the themes joined to another by an edge",
        "top": f"the {choice.top} with the largest n",
        "names": "themes chosen by name",
    }[choice.mode]
    return f"Showing {shown} of {total} themes: {what}."


def legend_lines(
    *,
    unit: str,
    measure: str,
    min_weight: float,
    layer_label: str,
    basis: str,
    drawn: int = 0,
    labels: bool = True,
    arrowheads: bool = True,
) -> tuple[str, ...]:
    """The legend: layer and unit of n, what an edge means, measure and threshold.

    ``layer_label`` reads after "in the", e.g. "consensus coding" or "coding of Coder A".
    """
    lines = [
        f"n = {N_MEANS[unit]} (subthemes: their own n), in the {layer_label}.",
        f"{'Arrows' if arrowheads else 'Lines'} join themes discussed {UNIT_TOGETHER[unit]}; "
        + ("labels and widths give" if labels else "widths follow")
        + f" the {MEASURE_LABELS[measure]} ({MEASURE_FORMULAS[measure]}).",
    ]
    threshold = format_value(measure, min_weight)
    if basis == "accepted":
        extra = f", {drawn} drawn by hand" if drawn else ""
        lines.append(f"Edges accepted by the analyst{extra}.")
    else:
        lines.append(
            f"Edges: every pair with {MEASURE_LABELS[measure]} ≥ {threshold} "
            "(computed candidates, not yet reviewed)."
        )
    return tuple(lines)


def build_figure(
    result: Cooccurrence,
    edges: Sequence[NetworkEdge],
    *,
    measure: str,
    min_weight: float,
    layer_label: str,
    basis: str,
    title: str,
    positions: Mapping[str, tuple[float, float]] | None = None,
    labels: bool = True,
    arrowheads: bool = True,
    themes: Sequence[int] | None = None,
    choice: ThemeChoice | None = None,
    reference: LayoutReference | None = None,
    caveat: str | None = None,
) -> NetworkFigure:
    """Describe the figure: one box per theme (codebook order), the chosen edges, a legend
    (ending with ``caveat``, e.g. that the consensus review is unfinished).

    ``themes`` limits the boxes (and so the edges) to those theme ids, chosen with
    ``choice`` (which the legend then names); ``reference`` is the layout to follow.
    """
    keep = None if themes is None else set(themes)
    boxes = tuple(
        FigureBox(
            t.code_id, t.uid, t.name, t.n, t.colour, tuple((s.name, s.n) for s in t.subthemes)
        )
        for t in result.themes
        if keep is None or t.code_id in keep
    )
    if keep is not None:
        edges = [e for e in edges if e.source in keep and e.target in keep]
    values = [e.value for e in edges if e.value is not None and e.value > 0]
    top = max(values, default=0.0)
    figure_edges_ = tuple(
        FigureEdge(
            e.source,
            e.target,
            format_value(measure, e.value) if labels else "",
            (e.value / top) if (e.value and top) else 0.5,
            e.directed,
            e.state == "drawn",
        )
        for e in edges
    )
    drawn = sum(1 for e in edges if e.state == "drawn")
    legend = legend_lines(
        unit=result.unit,
        measure=measure,
        min_weight=min_weight,
        layer_label=layer_label,
        basis=basis,
        drawn=drawn,
        labels=labels,
        arrowheads=arrowheads,
    )
    chosen = choice_line(choice or ThemeChoice(), len(boxes), len(result.themes))
    if chosen:
        legend += (chosen,)
    return NetworkFigure(
        title,
        boxes,
        figure_edges_,
        legend + tuple(result.notes) + ((caveat,) if caveat else ()),
        dict(positions or {}),
        arrowheads,
        reference,
    )
