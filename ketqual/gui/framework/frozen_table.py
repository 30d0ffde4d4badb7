"""A table whose first column stays put while the others scroll sideways.

The framework matrix names its focus groups in column 0; scrolled right to the later
subthemes, rows without their names could not be read. A second view over the same
model and selection shows only column 0, laid over the table's left edge, and scrolls up
and down with it (Qt's "frozen column" example).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class FrozenColumnTable(QTableView):
    """A table view with column 0 frozen at the left (see the module)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setAccessibleName("Row names")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen.setStyleSheet("QTableView { border: none; }")
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalHeader().sectionResized.connect(self._row_resized)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)

    def setModel(self, model) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        for signal in (model.modelReset, model.layoutChanged, model.columnsInserted):
            signal.connect(self._sync)
        self._sync()

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 - Qt's name
        super().setWordWrap(on)
        self.frozen.setWordWrap(on)

    def _sync(self) -> None:
        """Show only column 0 in the frozen view, at the table's row heights."""
        model = self.model()
        if model is None:
            return
        self.frozen.horizontalHeader().setDefaultAlignment(
            self.horizontalHeader().defaultAlignment()
        )
        for column in range(model.columnCount()):
            self.frozen.setColumnHidden(column, column != 0)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        for row in range(model.rowCount()):
            self.frozen.setRowHeight(row, self.rowHeight(row))
        self._place()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place()

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        self.frozen.setRowHeight(row, new)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        frame = self.frameWidth()
        header = self.verticalHeader()
        left = frame + (header.width() if header.isVisible() else 0)
        self.frozen.setGeometry(
            left,
            frame,
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )
        self.frozen.setVisible(self.model() is not None and self.model().columnCount() > 0)

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802
        super().scrollTo(index, hint)
        if not index.isValid() or index.column() == 0:
            return
        # Keep a chosen cell out from under the frozen column.
        x = self.columnViewportPosition(index.column())
        hidden = self.columnWidth(0) - x
        if hidden > 0:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - hidden)
