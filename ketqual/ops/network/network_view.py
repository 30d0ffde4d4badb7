"""What :func:`ketqual.ops.network.network_ops.compute_network` returns: a computed network
with everything the window, the command line and the exports need (plain data)."""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core.ids import utcnow
from ketqual.core.network import MEASURE_LABELS, Cooccurrence
from ketqual.core.network_figure import NetworkEdge, NetworkFigure, ThemeChoice, format_value


@dataclass(frozen=True)
class NetworkView:
    """A computed network with everything the app, the CLI and the exports need.

    Attributes:
        project_name: The project's name.
        layer: The layer as the user names it (``"consensus"`` or a coder's name).
        layer_label: How figures name it ("consensus coding", "coding of Coder A").
        unit, measure, min_weight, title: The parameters used.
        result: n per theme and co-occurrence of every pair.
        edges: Candidates above the threshold and every decided pair, for review.
        shown: The edges the figure draws (between the themes it shows).
        basis: ``"accepted"`` (the analyst's edges) or ``"candidates"``.
        figure: The figure description (boxes, edges, legend, saved positions).
        themes: The ids of the themes the figure shows, in codebook order.
        choice: How they were chosen.
    """

    project_name: str
    layer: str
    layer_label: str
    unit: str
    measure: str
    min_weight: float
    title: str
    result: Cooccurrence
    edges: tuple[NetworkEdge, ...]
    shown: tuple[NetworkEdge, ...]
    basis: str
    figure: NetworkFigure
    themes: tuple[int, ...] = ()
    choice: ThemeChoice = ThemeChoice()
    caveat: str | None = None  # the consensus review is unfinished

    def name(self, code_id: int) -> str:
        """A theme's name."""
        return self.result.theme(code_id).name

    def about(self) -> dict[str, str]:
        """Parameters and provenance, for file metadata and the About sheet."""
        return {
            "project": self.project_name,
            "title": self.title,
            "layer": self.layer_label,
            "unit": self.unit,
            "measure": MEASURE_LABELS[self.measure],
            "threshold": format_value(self.measure, self.min_weight),
            "edges": "accepted by the analyst"
            if self.basis == "accepted"
            else "computed candidates above the threshold (not reviewed)",
            "themes": f"{len(self.themes)} of {len(self.result.themes)}",
            "computed_at": utcnow(),
        }
