"""Table models of the consensus review: the disagreement queue and the decision log.

The queue model holds every item of a review once and shows a filtered list of row
indices, so changing a filter or resolving an item never re-reads the database; a
resolution updates one record in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ketqual.core.disagreements import KIND_LABELS
from ketqual.core.records import CodeRecord, DocumentRecord, QueueItem
from ketqual.ops.agreement.agreement_ops import short_title
from ketqual.ops.consensus.consensus_ops import RESOLUTION_LABELS

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_COLOURS = {"open": "#B00020", "deferred": "#8A6D00", "resolved": "#1B6E20"}
TO_DO = ("open", "deferred")


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: ``None`` fields mean "any"."""

    statuses: tuple[str, ...] = TO_DO
    kind: str | None = None
    theme_id: int | None = None
    document_id: int | None = None
    case_id: int | None = None


class QueueModel(QAbstractTableModel):
    """Disagreements of one review, filtered."""

    HEADERS = ("#", "Status", "Type", "Document", "Coder A", "Coder B")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[QueueItem] = []
        self.rows: list[int] = []  # indices into items, after filtering
        self.codes: dict[int, CodeRecord] = {}
        self.documents: dict[int, DocumentRecord] = {}
        self.filter = QueueFilter()
        self._position: dict[int, int] = {}

    # --- Loading and filtering ----------------------------------------------------

    def load(
        self,
        items: list[QueueItem],
        codes: dict[int, CodeRecord],
        documents: dict[int, DocumentRecord],
    ) -> None:
        """Show a review's items (all statuses; the filter picks)."""
        self.beginResetModel()
        self.items = list(items)
        self.codes = codes
        self.documents = documents
        self._position = {item.id: i for i, item in enumerate(self.items)}
        self.rows = self._filtered()
        self.endResetModel()

    def set_filter(self, queue_filter: QueueFilter) -> None:
        """Show only the items matching ``queue_filter``."""
        self.beginResetModel()
        self.filter = queue_filter
        self.rows = self._filtered()
        self.endResetModel()

    def _theme_of(self, code_id: int) -> int:
        code = self.codes.get(code_id)
        return code.parent_id if code is not None and code.parent_id is not None else code_id

    def _matches(self, item: QueueItem) -> bool:
        f = self.filter
        if item.status not in f.statuses:
            return False
        if f.kind is not None and item.kind != f.kind:
            return False
        if f.document_id is not None and item.document_id != f.document_id:
            return False
        if f.case_id is not None:
            document = self.documents.get(item.document_id)
            if document is None or document.case_id != f.case_id:
                return False
        if f.theme_id is not None:
            return any(self._theme_of(c) == f.theme_id for c in item.code_ids)
        return True

    def _filtered(self) -> list[int]:
        return [i for i, item in enumerate(self.items) if self._matches(item)]

    def replace_item(self, item: QueueItem) -> None:
        """An item changed status: update it where it is (it stays visible until the
        filter is applied again, so the supervisor sees what just happened)."""
        index = self._position.get(item.id)
        if index is None:
            return
        self.items[index] = item
        if index in self.rows:
            row = self.rows.index(index)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def set_status(self, item_id: int, status: str, resolution: str | None) -> None:
        """Record a new status for one item (after a decision)."""
        index = self._position.get(item_id)
        if index is not None:
            self.replace_item(self.items[index].with_status(status, resolution))

    # --- Access -----------------------------------------------------------------------

    def item(self, row: int) -> QueueItem | None:
        """The item shown in ``row``."""
        if 0 <= row < len(self.rows):
            return self.items[self.rows[row]]
        return None

    def row_of(self, item_id: int) -> int:
        """The row showing ``item_id``, or -1."""
        index = self._position.get(item_id)
        if index is None:
            return -1
        try:
            return self.rows.index(index)
        except ValueError:
            return -1

    def next_to_do(self, after_row: int) -> int:
        """The first open or deferred row after ``after_row`` (wrapping), or -1."""
        n = len(self.rows)
        for step in range(1, n + 1):
            row = (after_row + step) % n
            if self.items[self.rows[row]].status in TO_DO:
                return row
        return -1

    def code_names(self, codings) -> str:
        """``Theme › Subtheme`` names of some codings, distinct, in order."""
        names = dict.fromkeys(self.code_label(c.code_id) for c in codings)
        return "; ".join(names) or "—"

    def code_label(self, code_id: int) -> str:
        """A code's name, with its theme for a subtheme."""
        code = self.codes.get(code_id)
        if code is None:
            return f"#{code_id}"
        parent = self.codes.get(code.parent_id) if code.parent_id else None
        return f"{parent.name} › {code.name}" if parent else code.name

    # --- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.item(index.row())
        if item is None:
            return None
        column = index.column()
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor(STATUS_COLOURS.get(item.status, "#555555")))
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4, 5):
            if column == 3:
                document = self.documents.get(item.document_id)
                return document.meta.title if document else None
            return self._text(item, column)
        return None

    def _text(self, item: QueueItem, column: int) -> str:
        if column == 0:
            return str(item.id)
        if column == 1:
            if item.status == "resolved" and item.resolution:
                return RESOLUTION_LABELS.get(item.resolution, item.resolution)
            return item.status.capitalize()
        if column == 2:
            return KIND_LABELS.get(item.kind, item.kind)
        if column == 3:
            document = self.documents.get(item.document_id)
            return short_title(document) if document else f"#{item.document_id}"
        return self.code_names(item.codings_a if column == 4 else item.codings_b)


class DecisionLogModel(QAbstractTableModel):
    """The decision log as rows (``decision_log.decision_rows``), newest last."""

    COLUMNS = (
        ("decision", "Decision"),
        ("disagreement", "Item #"),  # the same number as the queue's "#"
        ("at", "When (UTC)"),
        ("by", "By"),
        ("action", "Action"),
        ("document", "Document"),
        ("what", "Codes / change"),
        ("reason", "Reason"),
        ("dissent", "Dissent"),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.log: list[dict] = []

    def load(self, rows: list[dict]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self.log = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.log)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        value = self.log[index.row()].get(self.COLUMNS[index.column()][0])
        if self.COLUMNS[index.column()][0] == "at" and isinstance(value, str):
            return value.replace("T", " ")[:16]
        return "" if value is None else str(value)
