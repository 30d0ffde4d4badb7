"""Table models of the consensus review: the disagreement queue and the decision log.

The queue model reads a review's queue a page at a time (Qt's ``canFetchMore`` /
``fetchMore``: more rows are read as the table scrolls), with the filter applied by the
operation, so a 20,000-item queue opens as fast as a short one. A decision updates its
row in place from the operation's typed payload, without reading the page again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ketqual.core.disagreements import KIND_LABELS
from ketqual.core.records import CodeRecord, DocumentLabel, QueueItem
from ketqual.ops.consensus.consensus_ops import RESOLUTION_LABELS, QueueFilter

Index = QModelIndex | QPersistentModelIndex
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_COLOURS = {"open": "#B00020", "deferred": "#8A6D00", "resolved": "#1B6E20"}
TO_DO = ("open", "deferred")
PAGE = 200  # rows read at a time; a screenful is about thirty
#: Reads one page: ``(filter, offset, limit) -> (items, how many match)``.
Fetch = Callable[[QueueFilter, int, int], "tuple[list[QueueItem], int] | None"]


_QUEUE_ROLES = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        ITEM_ID_ROLE,
    )
)
_BRUSHES: dict[str, QBrush] = {}


def _status_brush(status: str) -> QBrush:
    brush = _BRUSHES.get(status)
    if brush is None:
        brush = _BRUSHES[status] = QBrush(QColor(STATUS_COLOURS.get(status, "#555555")))
    return brush


class QueueModel(QAbstractTableModel):
    """Disagreements of one review, filtered, read a page at a time.

    Attributes:
        items: The items read so far, in queue order (what the rows show).
        total: How many items match the filter (``len(items)`` once all are read).
    """

    HEADERS = ("#", "Status", "Type", "Document", "Coder A", "Coder B")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[QueueItem] = []
        self.total = 0
        self.codes: dict[int, CodeRecord] = {}
        self.documents: dict[int, DocumentLabel] = {}
        self.filter = QueueFilter()
        self._fetch: Fetch | None = None
        self._position: dict[int, int] = {}
        # Each row's six texts, made when the row is first drawn: painting a screenful
        # asks every cell for several roles, and the code names mean decoding codings.
        self._texts: dict[int, tuple[str, ...]] = {}

    # --- Loading and filtering ----------------------------------------------------

    def load(
        self,
        fetch: Fetch | None,
        codes: dict[int, CodeRecord],
        documents: dict[int, DocumentLabel],
        queue_filter: QueueFilter | None = None,
    ) -> None:
        """Show a review's queue through ``fetch`` (``None``: an empty queue)."""
        self._fetch = fetch
        self.codes = codes
        self.documents = documents
        self.set_filter(queue_filter or self.filter)

    def set_filter(self, queue_filter: QueueFilter) -> None:
        """Show only the items matching ``queue_filter`` (the first page is read now)."""
        self.beginResetModel()
        self.filter = queue_filter
        self.items, self.total, self._position, self._texts = [], 0, {}, {}
        if self._fetch is not None:
            page = self._fetch(queue_filter, 0, PAGE)
            if page is not None:
                self._append(page[0])
                self.total = page[1]
        self.endResetModel()

    def _append(self, items: list[QueueItem]) -> None:
        for item in items:
            self._position[item.id] = len(self.items)
            self.items.append(item)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self.items) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        page = self._fetch(self.filter, len(self.items), PAGE)
        if not page or not page[0]:
            self.total = len(self.items)  # the queue shrank meanwhile: stop asking
            return
        first = len(self.items)
        self.beginInsertRows(QModelIndex(), first, first + len(page[0]) - 1)
        self._append(page[0])
        self.endInsertRows()

    def replace_item(self, item: QueueItem) -> None:
        """An item changed status: update it where it is (it stays visible until the
        filter is applied again, so the supervisor sees what just happened)."""
        row = self._position.get(item.id)
        if row is None:
            return
        self.items[row] = item
        self._texts.pop(row, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def set_status(self, item_id: int, status: str, resolution: str | None) -> None:
        """Record a new status for one item (after a decision)."""
        row = self._position.get(item_id)
        if row is not None:
            self.replace_item(self.items[row].with_status(status, resolution))

    # --- Access -----------------------------------------------------------------------

    def item(self, row: int) -> QueueItem | None:
        """The item shown in ``row``."""
        return self.items[row] if 0 <= row < len(self.items) else None

    def text(self, row: int, column: int) -> str:
        """What ``row`` shows in ``column`` (empty past the rows read)."""
        texts = self._texts.get(row)
        if texts is not None:
            return texts[column]
        item = self.item(row)  # one column of a row not drawn yet: not worth keeping
        return self._text(item, column) if item is not None else ""

    def row_texts(self, row: int) -> tuple[str, ...]:
        """What ``row`` shows in each column (``()`` past the rows read)."""
        texts = self._texts.get(row)
        if texts is None:
            item = self.item(row)
            if item is None:
                return ()
            texts = self._texts[row] = tuple(
                self._text(item, column) for column in range(len(self.HEADERS))
            )
        return texts

    def row_of(self, item_id: int) -> int:
        """The row showing ``item_id`` (among those read so far), or -1."""
        return self._position.get(item_id, -1)

    def next_to_do(self, after_row: int) -> int:
        """The first open or deferred row after ``after_row`` (reading further pages if
        need be, then wrapping to the top), or -1."""
        row = after_row + 1
        while True:
            while row < len(self.items):
                if self.items[row].status in TO_DO:
                    return row
                row += 1
            if not self.canFetchMore():
                break
            self.fetchMore()
        for row in range(0, min(after_row + 1, len(self.items))):
            if self.items[row].status in TO_DO:
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
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # A painted cell is asked for a dozen roles; four are answered here.
        if role not in _QUEUE_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self.row_texts(row)
            return texts[column] if texts else None
        item = self.item(row)
        if item is None:
            return None
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole:
            return _status_brush(item.status) if column == 1 else None
        if column == 3:
            document = self.documents.get(item.document_id)
            return document.title if document else None
        return self.row_texts(row)[column] if column in (4, 5) else None

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
            return document.short() if document else f"#{item.document_id}"
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
