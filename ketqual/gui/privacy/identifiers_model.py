"""The list of identifier suggestions in the review window (a thin table over review rows)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtCore import QPersistentModelIndex as Persistent
from PySide6.QtGui import QColor, QFont

from ketqual.core.privacy import kinds
from ketqual.ops.privacy.review_ops import ReviewRow

Index = QModelIndex | Persistent
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Decision", "Document", "Words", "Kind", "Rule", "Why")
STATUS_LABELS = {
    "pending": "to decide",
    "accepted": "accepted",
    "rejected": "not an identifier",
    "applied": "replaced",
}
# Paul Tol's pale scheme: the decision at a glance, readable in dark and light palettes
STATUS_COLOURS = {
    "pending": QColor("#EEEEBB"),
    "accepted": QColor("#CCDDAA"),
    "rejected": QColor("#DDDDDD"),
    "applied": QColor("#BBCCEE"),
}


class IdentifiersModel(QAbstractTableModel):
    """One suggestion per row: its decision, document, words, kind, rule and reason."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[ReviewRow] = []

    def set_rows(self, rows: list[ReviewRow]) -> None:
        """Show these suggestions."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, hit_id: int) -> int | None:
        """The row showing a suggestion, or ``None``."""
        return next((i for i, r in enumerate(self.rows) if r.hit.id == hit_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        hit = row.hit
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return STATUS_LABELS.get(hit.status, hit.status)
            if column == 1:  # the short title; the full one in the tooltip
                where = "" if hit.field == "text" else f" ({hit.field.replace('_', ' ')})"
                return f"{row.short or row.document}{where}"
            if column == 2:
                return " ".join(row.words.split())
            if column == 3:
                return kinds.label(hit.kind)
            if column == 4:
                return "sure" if hit.certain else "review"
            return hit.reason
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            return STATUS_COLOURS.get(hit.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor("#000000")
        if role == Qt.ItemDataRole.FontRole and column == 2 and hit.status == "applied":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return row.document
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return f"{hit.reason}\n{row.before}[{row.words}]{row.after}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.before}[{row.words}]{row.after}"
        return None
