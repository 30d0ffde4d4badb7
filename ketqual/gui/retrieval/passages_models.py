"""Item models of the coded-passages window: the codebook with tick boxes, and the list of
passages found."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ketqual.core.records import CodeRecord
from ketqual.core.retrieval import RetrievedPassage

CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


class CodeChoiceModel(QAbstractItemModel):
    """Themes with their subthemes, each with a tick box. Ticking a theme ticks its
    subthemes; a theme with some subthemes unticked shows a partial tick (and still brings
    its own theme-level codings)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.themes: list[CodeRecord] = []
        self.children: dict[int, list[CodeRecord]] = {}
        self.parent_of: dict[int, int] = {}
        self.ticked: set[int] = set()
        self.colours: dict[int, str] = {}

    def set_codes(self, codes: Sequence[CodeRecord]) -> None:
        """Show a codebook (in codebook order); ticks of codes still there are kept."""
        self.beginResetModel()
        self.themes = [c for c in codes if c.parent_id is None]
        ids = {c.id for c in self.themes}
        self.children = {t.id: [c for c in codes if c.parent_id == t.id] for t in self.themes}
        self.parent_of = {c.id: c.parent_id for c in codes if c.parent_id in ids}
        self.ticked &= {c.id for c in codes}
        self.colours = {c.id: c.colour for c in codes}
        self.endResetModel()

    # -- structure -------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = _NO_INDEX) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self.themes):
                return self.createIndex(row, 0, 0)
            return QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        theme = self.themes[parent.row()]
        if row < len(self.children[theme.id]):
            return self.createIndex(row, 0, theme.id)
        return QModelIndex()

    def parent(self, child: _Index = _NO_INDEX) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        theme_id = child.internalId()
        row = next(i for i, t in enumerate(self.themes) if t.id == theme_id)
        return self.createIndex(row, 0, 0)

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        if not parent.isValid():
            return len(self.themes)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self.children[self.themes[parent.row()].id])

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        return 1

    def code(self, index: _Index) -> CodeRecord | None:
        """The code at an index."""
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.themes[index.row()]
        return self.children[index.internalId()][index.row()]

    # -- data ------------------------------------------------------------------------------

    def _state(self, code: CodeRecord) -> Qt.CheckState:
        if code.parent_id is not None:
            return Qt.CheckState.Checked if code.id in self.ticked else Qt.CheckState.Unchecked
        subs = self.children.get(code.id, [])
        family = [code.id, *(c.id for c in subs)]
        hits = sum(1 for c in family if c in self.ticked)
        if hits == len(family):
            return Qt.CheckState.Checked
        return Qt.CheckState.PartiallyChecked if hits else Qt.CheckState.Unchecked

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        code = self.code(index)
        if code is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name + ("" if code.active else " (retired)")
        if role == Qt.ItemDataRole.CheckStateRole:
            return self._state(code)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(self.colours.get(code.id, "#BBBBBB"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return code.definition or code.name
        if role == CODE_ID_ROLE:
            return code.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        code = self.code(index)
        if code is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        on = Qt.CheckState(value) != Qt.CheckState.Unchecked
        if code.parent_id is None:
            family = {code.id, *(c.id for c in self.children.get(code.id, []))}
            if self._state(code) == Qt.CheckState.PartiallyChecked:
                on = True  # a partial tick clicked becomes a full one
            self.ticked = self.ticked | family if on else self.ticked - family
        else:
            self.ticked = self.ticked | {code.id} if on else self.ticked - {code.id}
        self._changed(code)
        return True

    def _changed(self, code: CodeRecord) -> None:
        theme_id = code.parent_id or code.id
        row = next(i for i, t in enumerate(self.themes) if t.id == theme_id)
        top = self.createIndex(row, 0, 0)
        self.dataChanged.emit(top, top, [Qt.ItemDataRole.CheckStateRole])
        subs = self.children.get(theme_id, [])
        if subs:
            first, last = (
                self.createIndex(0, 0, theme_id),
                self.createIndex(len(subs) - 1, 0, theme_id),
            )
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.CheckStateRole])

    def tick(self, code_ids: Sequence[int], *, only: bool = True) -> None:
        """Tick these codes (a theme with all its subthemes); untick the rest if ``only``."""
        wanted = set()
        for code_id in code_ids:
            wanted.add(code_id)
            wanted |= {c.id for c in self.children.get(code_id, [])}
        self.beginResetModel()
        self.ticked = wanted if only else self.ticked | wanted
        self.endResetModel()

    def chosen(self) -> list[int]:
        """The ticked codes (a theme is in when it or any subtheme is ticked and its own
        box is not empty), in codebook order."""
        out = []
        for theme in self.themes:
            if theme.id in self.ticked:
                out.append(theme.id)
            out += [c.id for c in self.children[theme.id] if c.id in self.ticked]
        return out


PASSAGE_HEADERS = ("★", "Reference", "Focus group", "Participants", "Passage", "Codes", "Memo")


class PassagesModel(QAbstractTableModel):
    """The passages found, one row each."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.passages: Sequence[RetrievedPassage] = []

    def set_passages(self, passages: Sequence[RetrievedPassage]) -> None:
        """Show these passages (kept as given: a long list quotes only the rows shown)."""
        self.beginResetModel()
        self.passages = passages
        self.endResetModel()

    def replace(self, row: int, passage: RetrievedPassage) -> None:
        """Update one row in place (a star given or taken)."""
        if hasattr(self.passages, "replace"):
            self.passages.replace(row, passage)  # type: ignore[union-attr]
        else:
            self.passages = [*self.passages[:row], passage, *self.passages[row + 1 :]]
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(PASSAGE_HEADERS) - 1))

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.passages)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(PASSAGE_HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(PASSAGE_HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return PASSAGE_HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == 0:
                return "Starred for the theme report"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.passages):
            return None
        p = self.passages[index.row()]
        column = index.column()
        if role == PASSAGE_ROLE:
            return p
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            full = role == Qt.ItemDataRole.ToolTipRole
            if column == 0:
                return (
                    ("★" if p.starred else "")
                    if not full
                    else ("Starred for the theme report" if p.starred else "Not starred")
                )
            if column == 1:
                return p.ref
            if column == 2:
                return p.case or p.document
            if column == 3:
                return ", ".join(p.participants)
            if column == 4:
                text = " ".join(p.text.split())
                return text if full or len(text) <= 160 else text[:159] + "…"
            if column == 5:
                return "; ".join(p.codes)
            if column == 6:
                return "; ".join(p.memos)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return "starred" if p.starred else "not starred"
        return None
