"""Tree model of the codebook: themes with their subthemes, colour, shortcut, count."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ketqual.core.records import CodeRecord

COLUMNS = ("Code", "Key", "Codings")
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


@dataclass
class _Node:
    code: CodeRecord | None
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class CodebookModel(QAbstractItemModel):
    """Themes at the top level, subthemes below; retired codes shown greyed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Node(None)
        self._counts: dict[int, int] = {}
        self.counted = "in your own layer"  # which layers the Codings column counts

    def set_codes(
        self, codes: list[CodeRecord], counts: dict[int, int], counted: str = "in your own layer"
    ) -> None:
        """Rebuild the tree from the codebook; ``counted`` says which layers ``counts`` count."""
        self.beginResetModel()
        self._root = _Node(None)
        self._counts = dict(counts)
        self.counted = counted
        nodes: dict[int, _Node] = {}
        ordered = sorted(codes, key=lambda c: (c.sort_order, c.id))
        for code in ordered:
            if code.parent_id is None:
                nodes[code.id] = _Node(code, self._root)
                self._root.children.append(nodes[code.id])
        for code in ordered:
            parent = nodes.get(code.parent_id) if code.parent_id is not None else None
            if parent is not None:
                parent.children.append(_Node(code, parent))
        self.endResetModel()

    def set_counts(self, counts: dict[int, int]) -> None:
        """Update the Codings column only (after a coding action)."""
        self._counts = dict(counts)
        if self._root.children:
            top = self.index(0, 2)
            bottom = self.index(len(self._root.children) - 1, 2)
            self.dataChanged.emit(top, bottom)
            for row, theme in enumerate(self._root.children):
                if theme.children:
                    parent = self.index(row, 0)
                    self.dataChanged.emit(
                        self.index(0, 2, parent), self.index(len(theme.children) - 1, 2, parent)
                    )

    def codes(self) -> list[CodeRecord]:
        """Every code shown, themes each followed by their subthemes."""
        return [n.code for theme in self._root.children for n in (theme, *theme.children)]

    def index_of(self, code_id: int) -> QModelIndex:
        """The first-column index showing ``code_id`` (invalid if not shown)."""
        for row, theme in enumerate(self._root.children):
            if theme.code.id == code_id:
                return self.createIndex(row, 0, theme)
            for sub_row, child in enumerate(theme.children):
                if child.code.id == code_id:
                    return self.createIndex(sub_row, 0, child)
        return QModelIndex()

    def code_at(self, index: Index) -> CodeRecord | None:
        """The code shown at ``index``."""
        if not index.isValid():
            return None
        return index.internalPointer().code

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = parent.internalPointer() if parent.isValid() else self._root
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if 0 <= row < len(node.children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        if node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        node = parent.internalPointer() if parent.isValid() else self._root
        return len(node.children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == 2:
            return f"Codings with each code, {self.counted}"
        return None

    def count_text(self, index: Index) -> str:
        """A code's codings; a theme with subthemes shows its own and theirs ("1 + 94")."""
        node = index.internalPointer()
        code = node.code
        own = self._counts.get(code.id, 0)
        if not node.children:
            return str(own)
        below = sum(self._counts.get(child.code.id, 0) for child in node.children)
        return f"{own} + {below}"

    def count_tip(self, index: Index) -> str:
        """Says what the count column counts."""
        node = index.internalPointer()
        if node.children:
            return "Codings with the theme itself + codings with its subthemes, " + self.counted
        return f"Codings with this code, {self.counted}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        code = self.code_at(index)
        if code is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (code.name, code.shortcut or "", self.count_text(index))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return QColor(code.colour)
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return self.count_tip(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"<b>{_escape(code.name)}</b>"
            if code.definition:
                tip += f"<br>{_escape(code.definition)}"
            if code.shortcut:
                tip += f"<br><i>Key {code.shortcut}</i>"
            return tip
        if role == Qt.ItemDataRole.ForegroundRole and not code.active:
            return QColor("#888888")
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 0:
            key = f", key {code.shortcut}" if code.shortcut else ""
            return f"{code.name}{key}" + ("" if code.active else ", retired")
        if role == CODE_ID_ROLE:
            return code.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
