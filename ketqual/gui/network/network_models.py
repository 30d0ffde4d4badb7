"""Item models of the network window: the edges to review and the co-occurrence table.

Thin adapters over :class:`~ketqual.ops.network.network_view.NetworkView`; numbers are formatted
as the figure and the exports format them.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ketqual.core.network import MEASURE_LABELS
from ketqual.core.network_figure import NetworkEdge, format_value
from ketqual.ops.network.network_view import NetworkView

Index = QModelIndex | QPersistentModelIndex
EDGE_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_TEXT = {
    "candidate": "candidate",
    "accepted": "accepted",
    "rejected": "rejected",
    "drawn": "drawn by hand",
}
STATE_COLOUR = {"accepted": "#1E6B34", "drawn": "#1F5FA8", "rejected": "#8A8A8A"}


class EdgeListModel(QAbstractTableModel):
    """Candidate and decided edges: themes, n12, value, decision, who and when."""

    HEADERS = ("Theme", "Theme", "n12", "Value", "Decision", "By", "When")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._view: NetworkView | None = None
        self._edges: list[NetworkEdge] = []

    def set_view(self, view: NetworkView | None) -> None:
        """Show the edges of ``view`` (none without one)."""
        self.beginResetModel()
        self._view = view
        # Only edges between the themes the figure shows (all of them unless a few are
        # chosen), as the status line counts them.
        shown = set(view.themes) if view and view.themes else None
        self._edges = [
            e
            for e in (view.edges if view else ())
            if shown is None or (e.source in shown and e.target in shown)
        ]
        self.endResetModel()

    def edge(self, row: int) -> NetworkEdge:
        """The edge shown in a row."""
        return self._edges[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._edges)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == 3 and self._view is not None:
                return MEASURE_LABELS[self._view.measure]
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._view is None:
            return None
        edge = self._edges[index.row()]
        column = index.column()
        if role == EDGE_ROLE:
            return (edge.source, edge.target)
        if role == Qt.ItemDataRole.DisplayRole:
            decision = edge.decision
            return (
                self._view.name(edge.source),
                self._view.name(edge.target),
                str(edge.n12),
                format_value(self._view.measure, edge.value) or "–",
                STATE_TEXT[edge.state] + (" →" if edge.directed else ""),
                decision.actor if decision else "",
                (decision.at or "")[:16].replace("T", " ") if decision else "",
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and edge.state in STATE_COLOUR:
            return QColor(STATE_COLOUR[edge.state])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(edge)
        return None

    def _tooltip(self, edge: NetworkEdge) -> str:
        view = self._view
        first, second = view.result.theme(edge.source), view.result.theme(edge.target)
        lines = [
            f"{first.name} (n = {first.n}) and {second.name} (n = {second.n}): "
            f"n12 = {edge.n12} at unit {view.unit}"
        ]
        decision = edge.decision
        if decision is not None:
            source = (
                "drawn by hand"
                if decision.origin == "drawn"
                else f"{decision.measure} {format_value(decision.measure or 'c', decision.value)} "
                f"on {decision.layer}, unit {decision.unit}"
            )
            lines.append(
                f"{decision.status.capitalize()} by {decision.actor} at {decision.at}: {source}"
            )
        return "\n".join(lines)


class CooccurrenceModel(QAbstractTableModel):
    """Theme x theme: n12 or the measure off the diagonal, each theme's n on it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._view: NetworkView | None = None
        self._show = "count"
        self._matrix: list[list[float | None]] = []

    def set_view(self, view: NetworkView | None, show: str = "count") -> None:
        """Show ``count`` (n12) or ``measure`` (the view's measure)."""
        self.beginResetModel()
        self._view, self._show = view, show
        measure = "count" if show == "count" or view is None else view.measure
        self._matrix = view.result.matrix(measure) if view else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._matrix)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._matrix)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if self._view is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._view.result.themes[section].name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._view is None:
            return None
        row, column = index.row(), index.column()
        value = self._matrix[row][column]
        diagonal = row == column
        if role == Qt.ItemDataRole.DisplayRole:
            if diagonal or self._show == "count":
                return "" if value is None else str(round(value))
            return format_value(self._view.measure, value) or "–"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and diagonal:
            return QColor("#F0F0F0")
        if role == Qt.ItemDataRole.FontRole and diagonal:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            themes = self._view.result.themes
            first, second = themes[row], themes[column]
            if diagonal:
                return f"{first.name}: n = {first.n}"
            pair = self._view.result.pair(first.code_id, second.code_id)
            measure = self._view.measure
            shown = format_value(
                measure, self._view.result.value(first.code_id, second.code_id, measure)
            )
            return (
                f"{first.name} (n = {first.n}) and {second.name} (n = {second.n}): "
                f"n12 = {pair.n12}; {MEASURE_LABELS[measure]} {shown or 'undefined'}"
            )
        return None
