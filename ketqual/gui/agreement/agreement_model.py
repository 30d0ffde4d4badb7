"""Item models of the agreement window: the code x document heatmap and pooled figures.

Thin adapters over :class:`~ketqual.core.agreement.labelled.AgreementResult`: wording,
rounding and colours come from :mod:`ketqual.core.agreement.explain`, so the window and
the exported reports agree.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult, Matrix
from ketqual.core.agreement.result import Statistic

Index = QModelIndex | QPersistentModelIndex
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATISTIC_ROLE = Qt.ItemDataRole.UserRole + 3
UNIT_WORDS = {"character": "characters", "sentence": "sentences"}
UNIT_WORDS |= {"paragraph": "paragraphs", "document": "documents"}


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class HeatmapModel(QAbstractTableModel):
    """Codes (rows) x documents (columns) of one statistic, with pooled margins.

    Column 0 is each code pooled over all documents and the last row each document
    pooled over all codes; their corner is the overall figure.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._result: AgreementResult | None = None
        self._matrix: Matrix | None = None
        self._codes: list[tuple[object, Statistic]] = []
        self._documents: list[tuple[object, Statistic]] = []
        self._overall: Statistic | None = None

    def set_view(self, result: AgreementResult | None, unit: str, statistic: str) -> None:
        """Show ``statistic`` for ``unit`` (an empty table without a result)."""
        self.beginResetModel()
        self._result = result
        if result is None or statistic not in result.statistics(unit):
            self._matrix, self._codes, self._documents, self._overall = None, [], [], None
        else:
            self._matrix = result.matrix(unit, statistic)
            self._codes = result.per_code(unit, statistic)
            self._documents = result.per_document(unit, statistic)
            self._overall = result.pooled(unit, statistic)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._matrix is None else len(self._codes) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._matrix is None else len(self._documents) + 1

    def ids(self, row: int, column: int) -> tuple[object | None, object | None]:
        """``(code id, document id)`` of a cell; ``None`` on the pooled margins."""
        code = self._codes[row][0] if row < len(self._codes) else None
        document = self._documents[column - 1][0] if column > 0 else None
        return code, document

    def statistic(self, row: int, column: int) -> Statistic:
        """The figure shown in a cell."""
        if row == len(self._codes):
            return self._overall if column == 0 else self._documents[column - 1][1]
        if column == 0:
            return self._codes[row][1]
        return self._matrix.cell(row, column - 1)

    def _value(self, row: int, column: int) -> float | None:
        # Plain cells read the value array directly: painting must not build objects.
        if row < len(self._codes) and column > 0:
            x = float(self._matrix.values[row, column - 1])
            return None if x != x else x
        return self.statistic(row, column).value

    def _tooltip(self, row: int, column: int) -> str:
        code, document = self.ids(row, column)
        where = [
            "All codes" if code is None else self._result.code_label(code),
            "All documents" if document is None else self._result.document_label(document),
        ]
        stat = self.statistic(row, column)
        lines = [" · ".join(where), f"{explain.label(stat.name)}: {explain.describe(stat)}"]
        if code is not None and document is not None:
            table = self._matrix.table
            cell = row * len(self._documents) + column - 1
            unit = UNIT_WORDS.get(self._matrix.unit, self._matrix.unit)
            if table.n_coders == 2:
                t = table.table(cell)
                lines.append(
                    f"{unit}: both {t.both:,}, only {self._result.coder_a} {t.a_only:,}, "
                    f"only {self._result.coder_b} {t.b_only:,}, neither {t.neither:,}"
                )
            else:
                counts = table.coverage(cell)
                lines.append(
                    f"{unit} coded by "
                    + ", ".join(f"{k} coders: {n:,}" for k, n in enumerate(counts))
                )
            lines.append("Click to open the document at this code.")
        return "\n".join(lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._matrix is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return explain.cell_text(self._value(row, column))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(explain.heat_colour(self._value(row, column)))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(explain.text_colour(explain.heat_colour(self._value(row, column))))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and (row == len(self._codes) or column == 0):
            return _bold()
        if role == CODE_ID_ROLE:
            return self.ids(row, column)[0]
        if role == DOCUMENT_ID_ROLE:
            return self.ids(row, column)[1]
        if role == STATISTIC_ROLE:
            return self.statistic(row, column)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if self._matrix is None or section < 0:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= self.columnCount():
                return None
            doc = None if section == 0 else self._documents[section - 1][0]
            if role == Qt.ItemDataRole.DisplayRole:
                if doc is None:
                    return "All\ndocuments"
                label = self._result.document_label(doc, short=True)
                return "\n".join(label.rsplit(" ", 1)) if len(label) > 8 else label
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Pooled over all documents" if doc is None else self._result.documents[doc]
            return None
        if section >= self.rowCount():
            return None
        if section == len(self._codes):
            if role == Qt.ItemDataRole.DisplayRole:
                return "All codes"
            return _bold() if role == Qt.ItemDataRole.FontRole else None
        path = self._result.code_label(self._codes[section][0])
        if role == Qt.ItemDataRole.DisplayRole:
            # Subthemes indented under their theme, which precedes them: the full path
            # would make the header as wide as the heatmap.
            return "    " + path.rsplit("/", 1)[1] if "/" in path else path
        if role == Qt.ItemDataRole.ToolTipRole:
            return path
        if role == Qt.ItemDataRole.FontRole and self._result.level == "subtheme":
            return _bold() if "/" not in path else None
        return None


class PooledModel(QAbstractTableModel):
    """Every statistic of one unit kind pooled over all codes and documents."""

    HEADERS = ("Statistic", "Value", "95% CI", "Band")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Statistic] = []

    def set_view(self, result: AgreementResult | None, unit: str) -> None:
        """Show the pooled figures of ``unit`` (none without a result)."""
        self.beginResetModel()
        self._rows = (
            [] if result is None else [result.pooled(unit, n) for n in result.statistics(unit)]
        )
        self.endResetModel()

    def statistic_at(self, row: int) -> Statistic | None:
        """The statistic shown in a row, or ``None``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, name: str) -> int:
        """Row of a statistic, or -1."""
        return next((i for i, s in enumerate(self._rows) if s.name == name), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        stat, column = self._rows[index.row()], index.column()
        if role == STATISTIC_ROLE:
            return stat
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{explain.label(stat.name)}: {explain.describe(stat)}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return explain.label(stat.name)
        if column == 1:
            return explain.format_value(stat.name, stat.value)
        if column == 2:
            if stat.value is None:
                return stat.reason
            return explain.format_ci(stat) or "no interval"
        band = explain.band(stat)
        return "" if band is None or stat.value is None else band.label

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None
