"""Table model of the project's documents for the documents pane."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ketqual.core.metadata import short_title
from ketqual.core.records import CoderRecord, DocumentRecord
from ketqual.ops.queries import DocumentRow

KIND_LABELS = {"scribe_notes": "Scribe notes", "feedback_sheet": "Feedback", "other": "Other"}
COLUMNS = ("Title", "Kind", "S", "G", "Chars")
COLUMN_TIPS = ("Document title", "Kind of document", "Session", "Group", "Characters")
DONE_MARK = "✓"
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(QAbstractTableModel):
    """Rows are documents; one progress column per coder whose work may be seen.

    A progress cell shows the coder's number of codings in the document, with a tick
    when they have marked it done. While blinded only the viewer's own column is shown.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentRow] = []
        self._coders: list[CoderRecord] = []
        self._done: set[tuple[int, int]] = set()
        self._counts: dict[tuple[int, int | None], int] = {}

    def set_progress(
        self,
        coders: list[CoderRecord],
        done: set[tuple[int, int]],
        counts: dict[tuple[int, int | None], int],
    ) -> None:
        """Show progress columns for ``coders`` (documents' done marks and coding counts)."""
        if [c.id for c in coders] != [c.id for c in self._coders]:
            self.beginResetModel()
            self._coders, self._done, self._counts = list(coders), set(done), dict(counts)
            self.endResetModel()
            return
        self._done, self._counts = set(done), dict(counts)
        if self._rows and self._coders:
            self.dataChanged.emit(
                self.index(0, len(COLUMNS)),
                self.index(len(self._rows) - 1, len(COLUMNS) + len(self._coders) - 1),
            )

    def progress_text(self, document_id: int, coder_id: int) -> str:
        """What a progress cell shows: coding count, and a tick when done."""
        count = self._counts.get((document_id, coder_id), 0)
        done = (document_id, coder_id) in self._done
        return (f"{DONE_MARK} " if done else "") + (str(count) if count or done else "")

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
        return 0 if parent.isValid() else len(COLUMNS) + len(self._coders)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section >= len(COLUMNS):
            if not 0 <= section - len(COLUMNS) < len(self._coders):
                return None
            coder = self._coders[section - len(COLUMNS)]
            if role == Qt.ItemDataRole.DisplayRole:
                # The name (the view elides it); initials collide ("CA", "CB" ...).
                return coder.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{coder.name}'s codings in the document ({DONE_MARK} = marked done)"
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
        if col >= len(COLUMNS):
            coder = self._coders[col - len(COLUMNS)]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                text = self.progress_text(doc.id, coder.id)
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return text.replace(DONE_MARK, "done,") or "not started"
                return text
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == DOCUMENT_ID_ROLE:
                return doc.id
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                short_title(doc.meta.title, doc.meta.kind, doc.meta.session, doc.meta.group),
                KIND_LABELS.get(doc.meta.kind, doc.meta.kind),
                doc.meta.session,
                doc.meta.group,
                doc.char_count,
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
