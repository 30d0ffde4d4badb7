"""The documents list: a table whose columns are fitted to its width.

Comparing coders adds a column per coder, which pushed the last ones off the right edge
of a laptop's documents pane. The list gives the room out in order: every column its
natural width when they all fit (the title takes what is left); else the coder and number
columns only as wide as their label and figures, the title down to a short minimum
(elided; its tooltip holds the full title); and, still short, the session, group and kind
columns are hidden (the short title says them: "S1 G1 notes").
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from ketqual.gui.coding.documents_model import COLUMNS

TITLE, KIND, SESSION, GROUP = 0, 1, 2, 3
TITLE_MIN_CHARS = 14  # "S1 G1 notes" whole
HIDDEN_FIRST = ((SESSION, GROUP), (KIND,))  # said by the short title too


class DocumentsTable(QTableView):
    """A table of documents that fits its columns to its width (see the module)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_columns)

    def setModel(self, model) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
            signal.connect(self._fit_timer.start)
        model.dataChanged.connect(self._fit_timer.start)

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == event.Type.Resize:  # the view, or a scroll bar came or went
            self._fit_timer.start()
        return super().viewportEvent(event)

    def fit_columns(self) -> None:
        """Size the columns to the width (see the module); hidden ones come back when the
        width allows."""
        model, header = self.model(), self.horizontalHeader()
        if model is None:
            return
        count = model.columnCount()
        if count == 0:
            return
        room = self.viewport().width()
        margin = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        natural, compact = [], []
        for column in range(count):
            label = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            data = self.sizeHintForColumn(column)
            natural.append(max(header.sectionSizeHint(column), data))
            needed = header.fontMetrics().horizontalAdvance(label) + margin + 4
            compact.append(max(needed, data, header.minimumSectionSize()))
        title_min = self.fontMetrics().averageCharWidth() * TITLE_MIN_CHARS + margin
        hidden: set[int] = set()
        widths = list(natural)
        if sum(natural) > room:
            widths = [natural[TITLE], *compact[1:]]
            widths[TITLE] = max(title_min, room - sum(widths[1:]))
            for columns in HIDDEN_FIRST:
                if sum(w for c, w in enumerate(widths) if c not in hidden) <= room:
                    break
                hidden.update(c for c in columns if c < len(COLUMNS))
                shown = sum(w for c, w in enumerate(widths) if c not in hidden and c != TITLE)
                widths[TITLE] = max(title_min, room - shown)
        else:
            widths[TITLE] += room - sum(natural)
        for column in range(count):
            header.setSectionHidden(column, column in hidden)
            if column not in hidden:
                header.resizeSection(column, widths[column])
