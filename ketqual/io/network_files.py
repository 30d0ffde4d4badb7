"""The theme-overlap network as data for other tools: GraphML, GEXF and a CSV edge list.

GraphML and GEXF (written with networkx) open in Gephi, Cytoscape, igraph and R; the CSV
edge list reads into anything. Nodes are themes, keyed by their stable uid, with name,
n, subthemes (as text) and colour; edges carry the measure's value as ``weight`` plus
n12, measure, origin (computed or drawn), status (accepted, or candidate when the
analyst has not reviewed the edges yet) and who decided when. Every file is written
whole or not at all.

The files carry the figure: each node has the box's position (``x``, ``y``; GEXF
``viz:position``), size (``width``, ``height``, ``size``; GEXF ``viz:size``) and colour
(``r``, ``g``, ``b``, ``colour``; GEXF ``viz:color``), so Gephi shows the network as
KetQual drew it instead of laying it out again. y points up, as Gephi draws it. Names
lose control characters XML cannot hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.core.names import printable
from ketqual.core.network import Cooccurrence
from ketqual.core.network_figure import NetworkEdge, format_value
from ketqual.io import csv_files
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


def _text(value: object) -> str:
    """A text attribute XML can hold (names stored with control characters included)."""
    return printable(str(value), one_line=True)


def build_graph(
    result: Cooccurrence,
    edges: Sequence[NetworkEdge],
    *,
    measure: str,
    about: Mapping[str, str],
    places: Mapping[str, Sequence[float]] | None = None,
    themes: Sequence[int] | None = None,
    viz: bool = False,
) -> nx.Graph:
    """The network as a networkx graph (directed only if every edge is directed).

    Args:
        result: The co-occurrence (themes, n).
        edges: The edges to include (as drawn).
        measure: The measure the edges' values are in.
        about: Graph attributes (layer, unit, measure, threshold, basis, title ...).
        places: Each box of the figure by theme uid: ``(x, y)`` centre, or ``(x, y, width,
            height)``, in the figure's pixels with y down. Written as node ``x`` and ``y``
            with y pointing up (as Gephi, igraph and R plot it), plus ``width``,
            ``height`` and ``size`` (half the width) when known.
        themes: The theme ids to include (default: every theme).
        viz: Add GEXF's ``viz`` colour, position and size (GEXF only).
    """
    import networkx as nx

    keep = None if themes is None else set(themes)
    chosen = [t for t in result.themes if keep is None or t.code_id in keep]
    directed = bool(edges) and all(e.directed for e in edges)
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update({_text(k): _text(v) for k, v in about.items()})
    uid = {t.code_id: _text(t.uid) or str(t.code_id) for t in result.themes}
    for theme in chosen:
        rgb = _rgb(theme.colour)
        attrs: dict[str, object] = {
            "label": _text(theme.name),
            "n": theme.n,
            "subthemes": _text(subtheme_text(theme)),
            "colour": "#{:02X}{:02X}{:02X}".format(rgb["r"], rgb["g"], rgb["b"]),
            "r": rgb["r"],
            "g": rgb["g"],
            "b": rgb["b"],
        }
        place = (places or {}).get(theme.uid)
        if viz:
            attrs["viz"] = {"color": rgb}
        if place is not None:
            x, y = float(place[0]), -float(place[1])  # y up, as the readers draw it
            attrs["x"], attrs["y"] = x, y
            width, height = (float(place[2]), float(place[3])) if len(place) >= 4 else (0, 0)
            if width > 0 and height > 0:
                attrs["width"], attrs["height"], attrs["size"] = width, height, width / 2
            if viz:
                attrs["viz"]["position"] = {"x": x, "y": y, "z": 0.0}
                if width > 0:
                    attrs["viz"]["size"] = width / 2
        graph.add_node(uid[theme.code_id], **attrs)
    names = {t.code_id: t.name for t in result.themes}
    for edge in edges:
        if keep is not None and not (edge.source in keep and edge.target in keep):
            continue
        graph.add_edge(
            uid[edge.source],
            uid[edge.target],
            weight=float(edge.value) if edge.value is not None else 0.0,
            n12=edge.n12,
            measure=measure,
            origin=_origin(edge),
            status=_status(edge),
            directed=edge.directed,
            label=_text(f"{names[edge.source]} – {names[edge.target]}"),
            decided_by=_text(edge.decision.actor) if edge.decision else "",
            decided_at=_text(edge.decision.at) if edge.decision else "",
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
    places: Mapping[str, Sequence[float]] | None = None,
    themes: Sequence[int] | None = None,
) -> Path:
    """Write GraphML, GEXF or a CSV edge list to ``path`` (replaced whole).

    Raises:
        ValueError: For an unknown format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"network data can be written as {', '.join(FORMATS)}, not '{fmt}'")
    if fmt == "csv":
        return csv_files.write_csv(path, EDGE_COLUMNS, edge_rows(result, edges, measure, themes))
    graph = build_graph(
        result,
        edges,
        measure=measure,
        about=about,
        places=places,
        themes=themes,
        viz=fmt == "gexf",
    )
    import networkx as nx

    with replacing(path) as temporary:
        if fmt == "graphml":
            nx.write_graphml(graph, temporary, encoding="utf-8")
        else:
            nx.write_gexf(graph, temporary, encoding="utf-8")
    return path


def edge_rows(
    result: Cooccurrence, edges: Sequence[NetworkEdge], measure: str, themes=None
) -> list[tuple]:
    """The CSV edge list's rows (names as text, never formulas: ``csv_files``)."""
    keep = None if themes is None else set(themes)
    names = {t.code_id: t.name for t in result.themes}
    uid = {t.code_id: t.uid for t in result.themes}
    return [
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
        for edge in edges
        if keep is None or (edge.source in keep and edge.target in keep)
    ]


def _exact(value: float | None) -> str:
    """Full precision for machines (the figure rounds); empty when undefined."""
    return "" if value is None else repr(round(value, 6))
