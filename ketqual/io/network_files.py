"""The theme-overlap network as data for other tools: GraphML, GEXF and a CSV edge list.

GraphML and GEXF (written with networkx) open in Gephi, Cytoscape, igraph and R; the CSV
edge list reads into anything. Nodes are themes, keyed by their stable uid, with name,
n, subthemes (as text) and colour; edges carry the measure's value as ``weight`` plus
n12, measure, origin (computed or drawn), status (accepted, or candidate when the
analyst has not reviewed the edges yet) and who decided when. Every file is written whole or not at all.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.core.network import Cooccurrence
from ketqual.core.network_figure import NetworkEdge, format_value
from ketqual.io.atomic import replacing

if TYPE_CHECKING:  # networkx takes a tenth of a second to import: only when writing
    import networkx as nx

FORMATS = ("graphml", "gexf", "csv")
EDGE_COLUMNS = (
    "source",
    "target",
    "n12",
    "value",
    "measure",
    "origin",
    "status",
    "directed",
    "source_uid",
    "target_uid",
    "decided_by",
    "decided_at",
)


def subtheme_text(theme) -> str:
    """Subthemes with their n as one line: ``Physical effects (12); Mental effects (8)``."""
    return "; ".join(f"{s.name} ({s.n})" for s in theme.subthemes)


def _rgb(colour: str) -> dict[str, int]:
    text = colour.lstrip("#")
    if len(text) != 6:
        text = "BBBBBB"
    return {"r": int(text[0:2], 16), "g": int(text[2:4], 16), "b": int(text[4:6], 16), "a": 1.0}


def _origin(edge: NetworkEdge) -> str:
    return "drawn" if edge.state == "drawn" else "computed"


def _status(edge: NetworkEdge) -> str:
    return "candidate" if edge.state == "candidate" else "accepted"


def build_graph(
    result: Cooccurrence,
    edges: Sequence[NetworkEdge],
    *,
    measure: str,
    about: Mapping[str, str],
    positions: Mapping[str, tuple[float, float]] | None = None,
    viz: bool = False,
) -> nx.Graph:
    """The network as a networkx graph (directed only if every edge is directed).

    Args:
        result: The co-occurrence (themes, n).
        edges: The edges to include (as drawn).
        measure: The measure the edges' values are in.
        about: Graph attributes (layer, unit, measure, threshold, basis, title ...).
        positions: Box centres by theme uid, written as node ``x`` and ``y``.
        viz: Add GEXF's ``viz`` colour and position (GEXF only).
    """
    import networkx as nx

    directed = bool(edges) and all(e.directed for e in edges)
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update({k: str(v) for k, v in about.items()})
    uid = {t.code_id: t.uid or str(t.code_id) for t in result.themes}
    for theme in result.themes:
        attrs: dict[str, object] = {
            "label": theme.name,
            "n": theme.n,
            "subthemes": subtheme_text(theme),
            "colour": theme.colour,
        }
        position = (positions or {}).get(theme.uid)
        if position is not None:
            attrs["x"], attrs["y"] = float(position[0]), float(position[1])
        if viz:
            attrs["viz"] = {"color": _rgb(theme.colour)}
            if position is not None:
                # GEXF's y axis points up, the figure's down.
                attrs["viz"]["position"] = {"x": position[0], "y": -position[1], "z": 0.0}
        graph.add_node(uid[theme.code_id], **attrs)
    names = {t.code_id: t.name for t in result.themes}
    for edge in edges:
        graph.add_edge(
            uid[edge.source],
            uid[edge.target],
            weight=float(edge.value) if edge.value is not None else 0.0,
            n12=edge.n12,
            measure=measure,
            origin=_origin(edge),
            status=_status(edge),
            directed=edge.directed,
            label=f"{names[edge.source]} – {names[edge.target]}",
            decided_by=edge.decision.actor if edge.decision else "",
            decided_at=edge.decision.at if edge.decision else "",
        )
    return graph


def write(
    result: Cooccurrence,
    edges: Sequence[NetworkEdge],
    path: Path,
    *,
    fmt: str,
    measure: str,
    about: Mapping[str, str],
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> Path:
    """Write GraphML, GEXF or a CSV edge list to ``path`` (replaced whole).

    Raises:
        ValueError: For an unknown format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"network data can be written as {', '.join(FORMATS)}, not '{fmt}'")
    with replacing(path) as temporary:
        if fmt == "csv":
            _write_edge_csv(result, edges, temporary, measure)
        else:
            graph = build_graph(
                result,
                edges,
                measure=measure,
                about=about,
                positions=positions,
                viz=fmt == "gexf",
            )
            import networkx as nx

            if fmt == "graphml":
                nx.write_graphml(graph, temporary, encoding="utf-8")
            else:
                nx.write_gexf(graph, temporary, encoding="utf-8")
    return path


def _write_edge_csv(result: Cooccurrence, edges, path: Path, measure: str) -> None:
    names = {t.code_id: t.name for t in result.themes}
    uid = {t.code_id: t.uid for t in result.themes}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EDGE_COLUMNS)
        for edge in edges:
            writer.writerow(
                (
                    names[edge.source],
                    names[edge.target],
                    edge.n12,
                    format_value(measure, edge.value) if measure == "count" else _exact(edge.value),
                    measure,
                    _origin(edge),
                    _status(edge),
                    "yes" if edge.directed else "no",
                    uid[edge.source],
                    uid[edge.target],
                    edge.decision.actor if edge.decision else "",
                    edge.decision.at if edge.decision else "",
                )
            )


def _exact(value: float | None) -> str:
    """Full precision for machines (the figure rounds); empty when undefined."""
    return "" if value is None else repr(round(value, 6))
