"""Table model of the project's documents for the documents pane."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ketqual.core.records import DocumentRecord
from ketqual.ops.queries import DocumentRow

KIND_LABELS = {"scribe_notes": "Scribe notes", "feedback_sheet": "Feedback", "other": "Other"}
COLUMNS = ("Title", "Kind", "S", "G", "Chars", "Units")
COLUMN_TIPS = (
    "Document title",
    "Kind of document",
    "Session",
    "Group",
    "Characters",
    "Sentence and paragraph units",
)
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(QAbstractTableModel):
    """Rows are documents; the view sorts and filters through a proxy model."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentRow] = []

    def set_documents(self, rows: list[DocumentRow]) -> None:
        """Replace the whole list (after an import, an edit or opening a project)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def document_id(self, row: int) -> int:
        """The id of the document in ``row``."""
        return self._rows[row].record.id

    def record_of(self, document_id: int | None) -> DocumentRecord | None:
        """The record of a listed document, or ``None``."""
        row = None if document_id is None else self.row_of(document_id)
        return None if row is None else self._rows[row].record

    def row_of(self, document_id: int) -> int | None:
        """The row showing ``document_id``, if any."""
        for i, row in enumerate(self._rows):
            if row.record.id == document_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        doc, col = row.record, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                doc.meta.title,
                KIND_LABELS.get(doc.meta.kind, doc.meta.kind),
                doc.meta.session,
                doc.meta.group,
                doc.char_count,
                row.sentences + row.paragraphs,
            )
            value = values[col]
            return "" if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [doc.meta.title, f"Source: {doc.source_name} ({doc.source_format})"]
            if doc.encoding:
                parts.append(f"Encoding: {doc.encoding}")
            if doc.meta.notetaker:
                parts.append(f"Notetaker: {doc.meta.notetaker}")
            if doc.meta.date:
                parts.append(f"Date: {doc.meta.date}")
            parts.append(f"{row.sentences} sentence units, {row.paragraphs} paragraph units")
            return "\n".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOCUMENT_ID_ROLE:
            return doc.id
        return None
