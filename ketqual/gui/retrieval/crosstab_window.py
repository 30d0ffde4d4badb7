"""The crosstab window: themes or subthemes by the values of an attribute.

Choose rows (themes or subthemes), the attribute whose values make the columns (session,
group, document kind, or any attribute of focus groups, documents or participants), what a
cell counts (coded passages, cases, participants) and whether to show counts or row or
column percentages. Cells are shaded like a heatmap; clicking one opens the coded-passages
window on exactly the passages behind it. Export to xlsx, CSV or JSON.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.retrieval_crosstab import COUNT_NOUNS, COUNTS, cell_query
from ketqual.gui import files
from ketqual.gui.privacy.export_guard import run_export_in_background
from ketqual.gui.runner import OperationRunner
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.changes import Area, Change
from ketqual.ops.retrieval import crosstab_ops, passage_ops
from ketqual.ops.retrieval.crosstab_ops import CrosstabView

SHOW = (("Counts", "count"), ("Row %", "row"), ("Column %", "column"))
EXPORT_FILTERS = {"Excel workbook (*.xlsx)": "xlsx", "CSV (*.csv)": "csv", "JSON (*.json)": "json"}
WIDEST_COLUMN = 320  # px: sharing out a wide window's width stops here
HEAT = QColor("#4477AA")  # Paul Tol's bright blue, blended with white by the cell's share
RELEVANT = (Area.CODINGS, Area.CONSENSUS, Area.CODEBOOK, Area.ATTRIBUTES, Area.DOCUMENTS)
_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


def shade(share: float) -> QColor:
    """A cell's background: white for nothing, the heat colour at the largest cell."""
    share = max(0.0, min(1.0, share)) * 0.75  # keep the darkest cell readable
    return QColor(
        round(255 + (HEAT.red() - 255) * share),
        round(255 + (HEAT.green() - 255) * share),
        round(255 + (HEAT.blue() - 255) * share),
    )


class CrosstabModel(QAbstractTableModel):
    """A crosstab with a Total column and row; shows counts or percentages."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.view: CrosstabView | None = None
        self.mode = "count"

    def set_view(self, view: CrosstabView | None, mode: str | None = None) -> None:
        """Show a crosstab (and optionally switch counts/row %/column %)."""
        self.beginResetModel()
        self.view = view
        if mode:
            self.mode = mode
        self.endResetModel()

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        if parent.isValid() or self.view is None:
            return 0
        return len(self.view.table.rows) + 1

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        if parent.isValid() or self.view is None:
            return 0
        return len(self.view.table.columns) + 1

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if self.view is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        table = self.view.table
        if orientation == Qt.Orientation.Horizontal:
            return table.columns[section] if section < len(table.columns) else "Total"
        return table.rows[section].label if section < len(table.rows) else "Total"

    def value(self, row: int, column: int) -> float | int | None:
        """The number a cell shows in the current mode."""
        table = self.view.table  # type: ignore[union-attr]
        rows, columns = len(table.rows), len(table.columns)
        if row < rows and column < columns:
            if self.mode == "row":
                return table.row_percent(row, column)
            if self.mode == "column":
                return table.column_percent(row, column)
            return table.cells[row][column]
        if self.mode != "count":
            return None
        if row < rows:
            return table.row_totals[row]
        if column < columns:
            return table.column_totals[column]
        return table.total

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.view is None:
            return None
        table = self.view.table
        row, column = index.row(), index.column()
        inside = row < len(table.rows) and column < len(table.columns)
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(row, column)
            if value is None:
                return ""
            return f"{value:.1f}" if isinstance(value, float) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and inside:
            top = table.maximum()
            return shade(table.cells[row][column] / top) if top else None
        if role == Qt.ItemDataRole.ToolTipRole:
            count = table.cells[row][column] if inside else self.value(row, column)
            noun = COUNT_NOUNS[table.count][0 if count == 1 else 1]
            what = f"{self.headerData(row, Qt.Orientation.Vertical)} × {self.headerData(column, Qt.Orientation.Horizontal)}"
            tip = f"{what}: {count} {noun}"
            if inside:
                rp, cp = table.row_percent(row, column), table.column_percent(row, column)
                if rp is not None and cp is not None:
                    tip += f" ({rp:.1f} % of the row, {cp:.1f} % of the column)"
            if row < len(table.rows):
                tip += "; click to list the passages"
            return tip
        if role == Qt.ItemDataRole.FontRole and not inside:
            font = self.parent().font() if self.parent() is not None else None
            if font is not None:
                font.setBold(True)
            return font
        return None


class CrosstabWindow(QMainWindow):
    """Crosstabs of one project.

    Args:
        runner: The app's operation runner for this project.
        viewer: The person using the app (blinding follows them).
        parent: Parent widget.

    Signals:
        openCell(object, str): the coded-passages query behind a clicked cell, and a title.
        computed(object): a crosstab was computed (:class:`CrosstabView`).
    """

    openCell = Signal(object, str)  # noqa: N815 - Qt naming
    computed = Signal(object)

    def __init__(self, runner: OperationRunner, viewer: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer.strip() or None
        self.view: CrosstabView | None = None
        self.job = None
        self._again = False
        self.setWindowTitle("Crosstabs")
        self.resize(1180, 640)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included

        self.rows_box = QComboBox(accessibleName="Rows")
        self.rows_box.addItem("Themes", "themes")
        self.rows_box.addItem("Subthemes", "subthemes")
        self.columns_box = QComboBox(accessibleName="Columns: attribute")
        self.count_box = QComboBox(accessibleName="Cells count")
        for count in COUNTS:
            self.count_box.addItem(COUNT_NOUNS[count][1], count)
        self.show_box = QComboBox(accessibleName="Show")
        for label, mode in SHOW:
            self.show_box.addItem(label, mode)
        self.layer_box = QComboBox(accessibleName="Layer")
        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self._ask_export)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setAccessibleName("What the cells count")
        self.message = message_label("Crosstab message")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("QLabel { color: #595959; }")
        self.model = CrosstabModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Crosstab")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setDefaultSectionSize(96)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self.open_cell)
        self.table.activated.connect(self.open_cell)
        self.table.viewport().installEventFilter(self)  # columns share out the width

        bar = QHBoxLayout()
        for text, widget in (
            ("&Rows", self.rows_box),
            ("&Columns", self.columns_box),
            ("C&ount", self.count_box),
            ("S&how", self.show_box),
            ("&Layer", self.layer_box),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.header)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        self.setCentralWidget(central)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.compute)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.compute)
        self.load_options()
        for box in (self.rows_box, self.columns_box, self.count_box, self.layer_box):
            box.currentIndexChanged.connect(self._timer.start)
        self.show_box.currentIndexChanged.connect(
            lambda: self.model.set_view(self.view, self.show_box.currentData())
        )
        runner.changed.connect(self._on_change)
        self.compute()

    def load_options(self) -> None:
        """Offer the project's attributes and the layers the viewer may see."""
        options = self.runner.query(
            lambda p: passage_ops.search_options(p, viewer=self.viewer), parent=self
        )
        if options is None:
            return
        for box, items in (
            (
                self.columns_box,
                [(label, key) for key, label, _values in options.attributes if key != "document"],
            ),
            (self.layer_box, [(label, name) for name, label in options.layers]),
        ):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            for label, data in items:
                box.addItem(label, data)
            box.setCurrentIndex(max(box.findData(keep), 0))
            box.blockSignals(False)

    def choose(
        self, *, rows: str | None = None, columns: str | None = None, count: str | None = None
    ) -> None:
        """Set the choices (as a person would) and compute."""
        for box, value in (
            (self.rows_box, rows),
            (self.columns_box, columns),
            (self.count_box, count),
        ):
            if value is not None:
                index = box.findData(value)
                if index < 0:
                    index = box.findText(value)
                if index >= 0:
                    box.blockSignals(True)
                    box.setCurrentIndex(index)
                    box.blockSignals(False)
        self.compute()

    @Slot()
    def compute(self) -> None:
        """Compute the crosstab off the GUI thread."""
        if self.job is not None:
            self._again = True
            return
        columns = self.columns_box.currentData()
        layer = self.layer_box.currentData()
        if columns is None or layer is None:
            self._show_message("There is no layer you may see yet.")
            return
        rows, count, viewer = self.rows_box.currentData(), self.count_box.currentData(), self.viewer
        self.statusBar().showMessage("Counting…")
        self.job = self.runner.run_in_background(
            lambda project, _progress: crosstab_ops.compute_crosstab(
                project, rows=rows, columns=columns, count=count, layer=layer, viewer=viewer
            ),
            parent=self,
            label="Counting…",
            on_done=self._show,
            on_error=self._failed,
            initiator=self,
        )

    def _done(self) -> None:
        self.job = None
        self.statusBar().clearMessage()
        if self._again:
            self._again = False
            self.compute()

    def _show(self, view: CrosstabView) -> None:
        self.view = view
        self.model.set_view(view, self.show_box.currentData())
        self.header.setText(
            f"<b>{escape(view.header)}</b> · {escape(view.layer_label)} · "
            "click a cell to list its passages"
        )
        self.fit_columns()
        if not view.table.total:
            self._show_message("No coded passage in this layer matches; every cell is 0.")
        else:
            self.message.hide()
        self.notes.setText(" ".join(f"Note: {n}." for n in view.table.notes))
        self.export_button.setEnabled(True)
        self.computed.emit(view)
        self._done()

    def fit_columns(self) -> None:
        """Columns as wide as their contents (72 to 190 px), then the width left over shared
        out among them (none wider than :data:`WIDEST_COLUMN`), so a maximised window's
        table is not a corner of it."""
        table = self.table
        table.resizeColumnsToContents()
        count = self.model.columnCount()
        widths = [max(72, min(190, table.columnWidth(c))) for c in range(count)]
        spare = table.viewport().width() - sum(widths)
        if count and spare > 0:
            widths = [min(WIDEST_COLUMN, w + spare // count) for w in widths]
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        resized = watched is self.table.viewport() and event.type() == QEvent.Type.Resize
        if resized and self.model.columnCount():
            self.fit_columns()
        return super().eventFilter(watched, event)

    def _failed(self, message: str) -> None:
        self.view = None
        self.model.set_view(None)
        self.export_button.setEnabled(False)
        self._show_message(message)
        self._done()

    def _show_message(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:])
        self.message.show()

    @Slot(object, object)
    def _on_change(self, change: Change, initiator: object) -> None:
        if initiator is self or not change.touches(*RELEVANT):
            return
        if change.touches(Area.ATTRIBUTES, Area.CODEBOOK):
            self.load_options()
        self._timer.start()

    @Slot(QModelIndex)
    def open_cell(self, index: QModelIndex) -> None:
        """List the passages behind a cell (or a row's total) in the coded-passages window."""
        if self.view is None or not index.isValid():
            return
        table = self.view.table
        row, column = index.row(), index.column()
        if row >= len(table.rows):
            return
        column = column if column < len(table.columns) else -1
        query = cell_query(table, self.view.layer, row, column)
        where = table.columns[column] if column >= 0 else "all values"
        count = table.cells[row][column] if column >= 0 else table.row_totals[row]
        noun = COUNT_NOUNS[table.count][0 if count == 1 else 1]
        title = (
            f"Passages behind {table.rows[row].label} × {table.attribute} = {where} "
            f"({count} {noun}, {self.view.layer_label})"
        )
        self.openCell.emit(query, title)

    @Slot()
    def _ask_export(self) -> None:
        path, chosen = files.save_file(
            self, "Export crosstab", "crosstab.xlsx", ";;".join(EXPORT_FILTERS)
        )
        if path:
            self.export_to(path, EXPORT_FILTERS.get(chosen))

    def export_to(self, path: str, fmt: str | None = None):
        """Write the crosstab (xlsx, csv or json) in the background, after the identifier
        check (a supervisor may let a blocked export through)."""
        if self.view is None:
            return None
        path, fmt = files.with_format(path, fmt, crosstab_ops.FORMATS)
        view = self.view
        viewer = self.viewer
        return run_export_in_background(
            self.runner,
            lambda project, _progress, check: crosstab_ops.export_crosstab(
                project, view, path, fmt=fmt, actor=viewer, check=check
            ),
            who=viewer,
            parent=self,
            label="Writing the crosstab…",
            on_done=lambda change: self.statusBar().showMessage(
                f"Wrote {change.details['path']}", 10_000
            ),
            initiator=self,
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        super().closeEvent(event)
