"""Widgets of the network window: the choice bar and the edge review panel."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.network import DEFAULT_MIN_WEIGHT, MEASURE_LABELS, MEASURES, UNITS
from ketqual.core.network_figure import ThemeChoice
from ketqual.gui.network.network_models import EdgeListModel
from ketqual.ops.network import network_ops
from ketqual.ops.network.network_view import NetworkView

UNIT_TEXT = {
    "passage": "Coded passages",
    "sentence": "Sentence units",
    "paragraph": "Paragraphs",
    "case": "Focus groups",
}


THEME_MODES = (
    ("All themes", "all"),
    ("Themes with edges", "edges"),
    ("The top N by n", "top"),
    ("Themes I pick", "names"),
)


class ThemePickerDialog(QDialog):
    """Tick the themes the figure shows (a checkable list, all or none at a click)."""

    def __init__(self, names: list[str], chosen: set[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Themes in the figure")
        self.model = QStandardItemModel(self)
        for name in names:
            item = QStandardItem(name)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.model.appendRow(item)
        self.view = QListView()
        self.view.setAccessibleName("Themes to show")
        self.view.setModel(self.model)
        every, none = QPushButton("&All"), QPushButton("&None")
        every.clicked.connect(lambda: self._set_all(Qt.CheckState.Checked))
        none.clicked.connect(lambda: self._set_all(Qt.CheckState.Unchecked))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(every)
        row.addWidget(none)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Show these themes in the figure:"))
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(380, 460)

    def _set_all(self, state: Qt.CheckState) -> None:
        for row in range(self.model.rowCount()):
            self.model.item(row).setCheckState(state)

    def chosen(self) -> list[str]:
        """The ticked names, in list order."""
        return [
            self.model.item(row).text()
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for text, data in items:
        box.addItem(text, data)
    return box


class NetworkControls(QWidget):
    """Layer, unit, measure, threshold, title and drawing options; ``changed`` on any edit."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.layer = _combo("Layer", [])
        self.unit = _combo("Unit", [(UNIT_TEXT[u], u) for u in UNITS])
        self.measure = _combo("Measure", [(MEASURE_LABELS[m], m) for m in MEASURES])
        self.measure.setCurrentIndex(MEASURES.index("c"))
        self.threshold = QDoubleSpinBox()
        self.threshold.setAccessibleName("Threshold for candidate edges")
        self.threshold.setKeyboardTracking(False)  # recompute when typing is done
        self.title = QLineEdit(network_ops.DEFAULT_TITLE)
        self.title.setAccessibleName("Figure title")
        self.labels = QCheckBox("&Values on edges")
        self.labels.setChecked(True)
        self.arrows = QCheckBox("A&rrowheads")
        self.arrows.setChecked(True)
        self.themes = _combo("Themes shown", list(THEME_MODES))
        self.top = QSpinBox()
        self.top.setAccessibleName("How many themes (largest n first)")
        self.top.setRange(1, 999)
        self.top.setValue(20)
        self.top.setKeyboardTracking(False)
        self.top.setEnabled(False)
        self.pick_button = QPushButton("&Pick themes…")
        self.pick_button.setEnabled(False)
        self.theme_names: list[str] = []  # every theme, for the picker
        self.picked: list[str] = []
        self.export_button = QPushButton("&Export…")
        self.export_button.setEnabled(False)
        self.fit_button = QPushButton("&Fit")
        self.reset_button = QPushButton("Reset &layout")
        self._set_threshold_range("c")

        first, second = QHBoxLayout(), QHBoxLayout()
        for layout, pairs in (
            (
                first,
                [
                    ("La&yer", self.layer),
                    ("&Unit", self.unit),
                    ("&Measure", self.measure),
                    ("&Threshold", self.threshold),
                ],
            ),
            (second, [("T&itle", self.title), ("T&hemes", self.themes)]),
        ):
            for text, widget in pairs:
                label = QLabel(text)
                label.setBuddy(widget)
                layout.addWidget(label)
                layout.addWidget(widget)
                layout.addSpacing(8)
        self.title.setMinimumWidth(320)
        first.addStretch(1)
        for widget in (self.top, self.pick_button, self.labels, self.arrows):
            second.addWidget(widget)
        second.addStretch(1)
        for widget in (self.fit_button, self.reset_button, self.export_button):
            second.addWidget(widget)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(first)
        rows.addLayout(second)

        for box in (self.layer, self.unit):
            box.currentIndexChanged.connect(self._emit)
        self.measure.currentIndexChanged.connect(self._measure_changed)
        self.threshold.valueChanged.connect(self._emit)
        self.title.editingFinished.connect(self._emit)
        self.labels.toggled.connect(self._emit)
        self.arrows.toggled.connect(self._emit)
        self.themes.currentIndexChanged.connect(self._themes_changed)
        self.top.valueChanged.connect(self._emit)
        self.pick_button.clicked.connect(self.pick_themes)

    def set_layers(self, items: list[tuple[str, str]], current: str | None) -> None:
        """Offer ``(text, layer)`` choices and select ``current`` (default the first)."""
        self.layer.blockSignals(True)
        self.layer.clear()
        for text, data in items:
            self.layer.addItem(text, data)
        index = self.layer.findData(current) if current is not None else 0
        self.layer.setCurrentIndex(max(index, 0))
        self.layer.blockSignals(False)

    def choice(self) -> dict:
        """The parameters of :func:`ketqual.ops.network.network_ops.compute_network`."""
        return {
            "layer": self.layer.currentData(),
            "unit": self.unit.currentData(),
            "measure": self.measure.currentData(),
            "min_weight": self.threshold.value(),
            "title": self.title.text(),
            "labels": self.labels.isChecked(),
            "arrowheads": self.arrows.isChecked(),
            "themes": self.theme_choice(),
        }

    def theme_choice(self) -> ThemeChoice:
        """The themes asked for (every theme while none has been picked yet)."""
        mode = self.themes.currentData()
        if mode == "top":
            return ThemeChoice("top", top=self.top.value())
        if mode == "names":
            return ThemeChoice("names", names=tuple(self.picked)) if self.picked else ThemeChoice()
        return ThemeChoice(mode)

    def set_theme_names(self, names: list[str]) -> None:
        """The themes the picker offers (picked ones that no longer exist are dropped)."""
        self.theme_names = list(names)
        self.picked = [n for n in self.picked if n in names]

    @Slot()
    def pick_themes(self) -> None:
        """Ask which themes to show, then recompute."""
        dialog = ThemePickerDialog(self.theme_names, set(self.picked or self.theme_names), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
            self.picked = dialog.chosen()
            self.changed.emit()

    @Slot()
    def _themes_changed(self) -> None:
        mode = self.themes.currentData()
        self.top.setEnabled(mode == "top")
        self.pick_button.setEnabled(mode == "names")
        if mode == "names" and not self.picked:
            self.pick_themes()
            return
        self.changed.emit()

    def _set_threshold_range(self, measure: str) -> None:
        self.threshold.blockSignals(True)
        if measure == "count":
            self.threshold.setRange(0, 100000)
            self.threshold.setDecimals(0)
            self.threshold.setSingleStep(1)
        else:
            self.threshold.setRange(0, 1)
            self.threshold.setDecimals(2)
            self.threshold.setSingleStep(0.01)
        self.threshold.setValue(DEFAULT_MIN_WEIGHT[measure])
        self.threshold.blockSignals(False)

    @Slot()
    def _measure_changed(self) -> None:
        self._set_threshold_range(self.measure.currentData())
        self.changed.emit()

    @Slot()
    def _emit(self) -> None:
        self.changed.emit()


DECISION_COLUMN = 4  # of the edge list: themes, n12 and value come before it
THEME_MIN_WIDTH = 70


class EdgePanel(QWidget):
    """The edges to review (accept, reject, undo a decision) and drawing one by hand."""

    decide = Signal(str)  # "accepted", "rejected" or "remove", for the selected rows
    draw = Signal(int, int, bool)  # source, target, directed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = EdgeListModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Edges to review")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.viewport().installEventFilter(self)  # columns fitted as it resizes
        self.accept_button = QPushButton("&Accept")
        self.reject_button = QPushButton("Re&ject")
        self.undo_button = QPushButton("&Undecide")
        self.undo_button.setToolTip("Forget the decision (a drawn edge goes away)")
        buttons = QHBoxLayout()
        for button, what in (
            (self.accept_button, "accepted"),
            (self.reject_button, "rejected"),
            (self.undo_button, "remove"),
        ):
            button.clicked.connect(lambda _=False, w=what: self.decide.emit(w))
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.first = _combo("First theme", [])
        self.second = _combo("Second theme", [])
        self.directed = QCheckBox("Arrow from the first to the second")
        self.add_button = QPushButton("A&dd edge")
        self.add_button.clicked.connect(self._draw)
        drawing = QGroupBox("Draw an edge by hand")
        draw_layout = QGridLayout(drawing)
        draw_layout.addWidget(self.first, 0, 0)
        draw_layout.addWidget(QLabel("and"), 0, 1)
        draw_layout.addWidget(self.second, 0, 2)
        draw_layout.addWidget(self.directed, 1, 0, 1, 2)
        draw_layout.addWidget(self.add_button, 1, 2)

        self.note = QLabel()
        self.note.setWordWrap(True)
        # Room for the longest note, so the buttons above never move under the pointer.
        self.note.setMinimumHeight(3 * self.note.fontMetrics().lineSpacing())
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("Candidate and decided edges")
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(drawing)

    def set_view(self, view: NetworkView | None) -> None:
        """Show a computed network's edges and offer its themes for drawing."""
        self.model.set_view(view)
        self.fit_columns()
        if view is not None and len(view.themes) < len(view.result.themes):
            self.heading.setText(
                f"Candidate and decided edges between the {len(view.themes)} themes shown"
            )
        else:
            self.heading.setText("Candidate and decided edges")
        for box in (self.first, self.second):
            chosen = box.currentData()
            box.clear()
            for theme in view.result.themes if view else ():
                box.addItem(theme.name, theme.code_id)
            box.setCurrentIndex(max(box.findData(chosen), 0))
        if self.second.currentIndex() == self.first.currentIndex() and self.second.count() > 1:
            self.second.setCurrentIndex(1)
        if view is None:
            self.note.setText("")
        elif view.basis == "accepted":
            self.note.setText("The figure shows the accepted and drawn edges.")
        else:
            self.note.setText(
                "Nothing accepted yet: the figure shows every candidate that is not "
                "rejected. Once you accept or draw an edge, it shows only those."
            )

    def fit_columns(self) -> None:
        """Columns as wide as their contents, but the two theme columns give up room
        (elided; the tooltip names both themes) so the decision stays in view; who and
        when come after it."""
        table, header = self.table, self.table.horizontalHeader()
        table.resizeColumnsToContents()
        room = table.viewport().width()
        needed = sum(header.sectionSize(column) for column in range(DECISION_COLUMN + 1))
        if needed <= room:
            return
        first, second = header.sectionSize(0), header.sectionSize(1)
        themes = max(2 * THEME_MIN_WIDTH, first + second - (needed - room))
        half = themes // 2
        first = min(first, max(half, themes - second))
        header.resizeSection(0, first)
        header.resizeSection(1, themes - first)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def selected(self) -> list[tuple[int, int]]:
        """``(source, target)`` of the selected rows."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [(self.model.edge(r).source, self.model.edge(r).target) for r in rows]

    @Slot()
    def _draw(self) -> None:
        first, second = self.first.currentData(), self.second.currentData()
        if first is not None and second is not None:
            self.draw.emit(int(first), int(second), self.directed.isChecked())
