"""Item models of the votes window: the questions, one question's figures, the column roles
of a sheet being imported, and the themes a question is linked to.

Thin adapters over the plain records the operations return.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ketqual.core import votes
from ketqual.core.records import CodeRecord
from ketqual.core.votes import GroupSummary, QuestionSummary
from ketqual.ops.votes.votes_ops import QuestionRow

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class QuestionsModel(QAbstractTableModel):
    """Every voting question: number, text, type, how many answered, linked themes."""

    HEADERS = ("#", "Question", "Type", "Answered", "Themes")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[QuestionRow] = []

    def set_rows(self, rows: Sequence[QuestionRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> QuestionRow:
        """The question shown in a row."""
        return self._rows[row]

    def row_of(self, question_id: int) -> int | None:
        """The row showing a question, or ``None``."""
        return next((i for i, r in enumerate(self._rows) if r.question.id == question_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            if column == 0:
                return r.number
            if column == 1:
                return r.question.text
            if column == 2:
                return r.question.kind_label
            if column == 3:
                answered = "?" if r.answered is None else str(r.answered)
                return f"{answered} (+{r.missing} blank)" if r.missing else answered
            return ", ".join(r.themes) or "–"
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return f"{r.question.text}\nOptions: {'; '.join(r.question.options)}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return ", ".join(r.themes) or "Linked to no theme"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return RIGHT
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            # Left, so the counts line up whether or not blanks follow ("43 (+1 blank)").
            return LEFT
        return None


class SummaryModel(QAbstractTableModel):
    """One question's (or a breakdown's) options: count, n, percent, Wilson interval."""

    HEADERS = ("Option", "Count", "n", "%", "95 % CI (Wilson)")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, votes.OptionRow]] = []  # (question, group, row)
        self._grouped = False
        self._several = False

    def set_summaries(
        self,
        summaries: Sequence[QuestionSummary],
        groups: Sequence[GroupSummary] | None = None,
    ) -> None:
        self.beginResetModel()
        if groups is not None:
            self._rows = [
                (g.summary.question.text, g.value, r) for g in groups for r in g.summary.rows
            ]
        else:
            self._rows = [(s.question.text, "", r) for s in summaries for r in s.rows]
        self._grouped = groups is not None
        self._several = len({q for q, _g, _r in self._rows}) > 1
        self.endResetModel()

    def _headers(self) -> tuple[str, ...]:
        lead = (("Question",) if self._several else ()) + (("Group",) if self._grouped else ())
        return lead + self.HEADERS

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self._headers()[section]
        return None

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid():
            return None
        question, group, r = self._rows[index.row()]
        name = self._headers()[index.column()]
        if role == DISPLAY:
            return {
                "Question": question,
                "Group": group,
                "Option": r.option,
                "Count": r.count,
                "n": "–" if r.denominator is None else r.denominator,
                "%": votes.percent_text(r.percent, 1),
                "95 % CI (Wilson)": votes.interval_text(r, 1),
            }[name]
        if role == Qt.ItemDataRole.TextAlignmentRole and name in ("Count", "n", "%"):
            return RIGHT
        return None


ROLE_TEXT = {
    "participant": "Participant id",
    "question": "Question",
    "multi": "Multiple choice in one cell",
    "skip": "Leave out",
    "t_question": "Question",
    "option": "Option",
    "count": "Count",
}
PARTICIPANT_ROLES = ("participant", "question", "multi", "skip")
TALLY_ROLES = ("t_question", "option", "count", "skip")


class ColumnRolesModel(QAbstractTableModel):
    """The columns of a sheet being imported, each with its role (editable)."""

    HEADERS = ("Column", "Holds", "First values")
    ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.samples: list[str] = []
        self.roles: list[str] = []
        self.shape = "participants"

    def set_columns(
        self, headers: Sequence[str], samples: Sequence[str], roles: Sequence[str], shape: str
    ) -> None:
        self.beginResetModel()
        self.headers, self.samples, self.roles, self.shape = (
            list(headers),
            list(samples),
            list(roles),
            shape,
        )
        self.endResetModel()

    def choices(self) -> tuple[str, ...]:
        """The roles a column can take in the current shape."""
        return PARTICIPANT_ROLES if self.shape == "participants" else TALLY_ROLES

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 1:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (DISPLAY, Qt.ItemDataRole.EditRole):
            return (self.headers[row], ROLE_TEXT[self.roles[row]], self.samples[row])[column]
        if role == self.ROLE and column == 1:
            return self.roles[row]
        if role == Qt.ItemDataRole.ForegroundRole and self.roles[row] == "skip":
            return QColor("#777777")
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 1 or value not in self.choices():
            return False
        self.roles[index.row()] = value
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2))
        return True


class ThemeTicksModel(QAbstractListModel):
    """Themes and subthemes with a tick for each one a question is linked to."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._codes: list[tuple[CodeRecord, str]] = []
        self.ticked: set[int] = set()

    def set_codes(self, codes: Sequence[CodeRecord], ticked: set[int]) -> None:
        self.beginResetModel()
        names = {c.id: c.name for c in codes}
        themes = sorted(
            (c for c in codes if c.parent_id is None), key=lambda c: (c.sort_order, c.id)
        )
        ordered: list[tuple[CodeRecord, str]] = []
        for theme in themes:
            ordered.append((theme, theme.name))
            subs = sorted(
                (c for c in codes if c.parent_id == theme.id), key=lambda c: (c.sort_order, c.id)
            )
            ordered += [(c, f"    {names[theme.id]} / {c.name}") for c in subs]
        self._codes = ordered
        self.ticked = set(ticked)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._codes)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else base

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid():
            return None
        code, text = self._codes[index.row()]
        if role == DISPLAY:
            return text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if code.id in self.ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(code.colour)
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        code = self._codes[index.row()][0]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        (self.ticked.add if checked else self.ticked.discard)(code.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
