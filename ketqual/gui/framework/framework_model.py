"""Item models of the charting window: one theme's framework matrix, and the passages of
the chosen cell. Thin adapters over :class:`~ketqual.core.framework.ThemeMatrix`; the
wording of cells comes from :mod:`ketqual.core.framework_text`, as in the exports."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtCore import QPersistentModelIndex as Persistent
from PySide6.QtGui import QColor, QFont

from ketqual.core import framework_text as ft
from ketqual.core.framework import CellSummary, MatrixCell, ThemeMatrix
from ketqual.core.framework_quotes import QuotedPassage

Index = QModelIndex | Persistent
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
PASSAGES_ROLE = Qt.ItemDataRole.UserRole + 4
PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 5
PREVIEW = 220  # characters of a summary shown in a cell
MUTED = QColor("#595959")
TO_DO = QColor("#FFF6D5")  # cells with passages but no summary yet: the work left


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


def _plural(n: int, word: str) -> str:
    return f"{n or 'no'} {word}{'' if n == 1 else 's'}"


class MatrixModel(QAbstractTableModel):
    """Focus groups (rows) x the theme's subthemes and theme-level column.

    Column 0 names the focus group with its session, group and sources; the other
    columns are the matrix's cells: the summary (or what the cell amounts to) and how
    many passages it holds.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.matrix: ThemeMatrix | None = None

    def set_matrix(self, matrix: ThemeMatrix | None) -> None:
        """Show a matrix (an empty table for ``None``)."""
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.columns) + 1

    def cell(self, row: int, column: int) -> MatrixCell | None:
        """The cell at a view position (``None`` in the focus-group column)."""
        matrix = self.matrix
        if matrix is None or not 0 < column <= len(matrix.columns):
            return None
        return matrix.cells[row][column - 1] if 0 <= row < len(matrix.rows) else None

    def set_summary(self, row: int, column: int, summary: CellSummary | None) -> None:
        """Show a summary just stored (or cleared) without reading the project again;
        :attr:`matrix` becomes the updated matrix."""
        cell = self.cell(row, column)
        if cell is None or self.matrix is None:
            return
        cells = list(self.matrix.cells)
        line = list(cells[row])
        line[column - 1] = replace(cell, summary=summary)
        cells[row] = tuple(line)
        self.matrix = replace(self.matrix, cells=tuple(cells))
        index = self.index(row, column)
        self.dataChanged.emit(index, index)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        display = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if self.matrix is None or role not in display:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self.matrix.rows) else None
        if section == 0:
            return "Focus group"
        if 0 < section <= len(self.matrix.columns):
            return self.matrix.columns[section - 1].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.matrix is None:
            return None
        row, column = index.row(), index.column()
        case = self.matrix.rows[row]
        if column == 0:
            return self._row_data(case, role)
        cell = self.matrix.cells[row][column - 1]
        code = self.matrix.columns[column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_text(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = ft.cell_text(cell)
            return (
                f"{case.label} × {code.label}\n{_plural(len(cell.passages), 'passage')}\n\n{text}"
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if ft.status(cell) == ft.SUMMARY else MUTED
        if role == Qt.ItemDataRole.FontRole:
            return None if ft.status(cell) == ft.SUMMARY else _italic()
        if role == Qt.ItemDataRole.BackgroundRole:
            return TO_DO if ft.status(cell) == ft.TO_SUMMARISE else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{case.label}, {code.label}: {self._cell_text(cell)}"
        if role == CASE_ID_ROLE:
            return case.case_id
        if role == CODE_ID_ROLE:
            return code.code_id
        if role == STATUS_ROLE:
            return ft.status(cell)
        if role == PASSAGES_ROLE:
            return len(cell.passages)
        return None

    @staticmethod
    def _cell_text(cell: MatrixCell) -> str:
        state = ft.status(cell)
        n = _plural(len(cell.passages), "passage")
        if state == ft.SUMMARY:
            text = " ".join(cell.summary.text.split()) if cell.summary else ""
            text = text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
            return f"{text}\n({n})"
        if state == ft.NO_PASSAGES:
            return ft.NO_PASSAGES_MARK
        return f"{ft.STATE_LABELS[state]}\n({n})"

    @staticmethod
    def _row_data(case, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{case.label}\n{case.sources}" if case.sources else case.label
        if role == Qt.ItemDataRole.ToolTipRole:
            where = [f"session {case.session}"] if case.session is not None else []
            where += [f"group {case.group}"] if case.group is not None else []
            return f"{case.label}: {', '.join(where) or 'no focus group'}\n{case.sources}"
        if role == CASE_ID_ROLE:
            return case.case_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class PassagesModel(QAbstractListModel):
    """The passages of one cell: reference, line and a quote, and the other codes there."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.passages: list[QuotedPassage] = []

    def set_passages(self, passages: tuple[QuotedPassage, ...] | list[QuotedPassage]) -> None:
        """Show these passages (none: an empty list)."""
        self.beginResetModel()
        self.passages = list(passages)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.passages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.passages):
            return None
        p = self.passages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            also = f"\nalso coded: {', '.join(p.other_codes)}" if p.other_codes else ""
            return f"{p.ref} · line {p.line}\n{ft.short_quote(p.text, 400)}{also}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.text}\n\nDouble-click to show it in the document."
        if role == PASSAGE_ROLE:
            return p
        return None
