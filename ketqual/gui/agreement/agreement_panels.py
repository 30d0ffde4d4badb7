"""Widgets of the agreement window: the choice bar, the heatmap view and the side panel."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.gui.agreement import agreement_texts
from ketqual.gui.agreement.agreement_model import HeatmapModel, PooledModel

LEVELS = (("Themes", "theme"), ("Subthemes", "subtheme"))
# The unitizing alphas exist for characters only.
UNITIZING = ("alpha_u", "u_alpha", *explain.UNITIZING_ACROSS)
TWO_CODER_ONLY = ("cohen_kappa", "scott_pi", "alpha_u")
MULTI_ONLY = ("fleiss_kappa", "light_kappa")


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for text, data in items:
        box.addItem(text, data)
    return box


class AgreementControls(QWidget):
    """Which layers (ticked: two or more), level, unit and statistic; the export button.

    ``layersChanged`` asks for a new computation (layers or level changed);
    ``viewChanged`` only for another view of the same result (unit or statistic).
    """

    layersChanged = Signal()  # noqa: N815 - Qt naming
    viewChanged = Signal()  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.layer_boxes: list[QCheckBox] = []
        self.layer_row = QHBoxLayout()
        self.layer_row.setContentsMargins(0, 0, 0, 0)
        self.level = _combo("Level", list(LEVELS))
        self.unit = _combo("Unit", [(explain.UNIT_LABELS[u], u) for u in explain.UNIT_LABELS])
        self.statistic = _combo("Statistic", [])
        self.export_button = QPushButton("Export…")
        self.export_button.setEnabled(False)
        self.n_layers = 2  # of the shown result: which statistics exist
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layers = QHBoxLayout()
        layers.addWidget(QLabel("<b>Compare</b>"))
        layers.addLayout(self.layer_row)
        layers.addStretch(1)
        choices = QHBoxLayout()
        for text, widget in (
            ("&Level", self.level),
            ("&Unit", self.unit),
            ("&Statistic", self.statistic),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            choices.addWidget(label)
            choices.addWidget(widget)
        choices.addStretch(1)
        choices.addWidget(self.export_button)
        layout.addLayout(layers)
        layout.addLayout(choices)
        self.fill_statistics()
        self.level.currentIndexChanged.connect(self._layers_changed)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.statistic.currentIndexChanged.connect(self._statistic_changed)

    def set_layers(self, items: list[tuple[str, str, bool]]) -> None:
        """Offer these ``(text, layer name, ticked)`` layers as tick boxes."""
        for box in self.layer_boxes:
            self.layer_row.removeWidget(box)
            box.deleteLater()
        self.layer_boxes = []
        for text, data, ticked in items:
            box = QCheckBox(text)
            box.setAccessibleName(f"Compare {text}")
            box.setProperty("layer", data)
            box.setChecked(ticked)
            box.toggled.connect(self._layers_changed)
            self.layer_row.addWidget(box)
            self.layer_boxes.append(box)

    def tick(self, *names: str) -> None:
        """Tick exactly these layers (one computation afterwards, not one per box)."""
        for box in self.layer_boxes:
            box.blockSignals(True)
            box.setChecked(box.property("layer") in names)
            box.blockSignals(False)
        self._layers_changed()

    def chosen_layers(self) -> list[str]:
        """The ticked layers, in the order shown."""
        return [b.property("layer") for b in self.layer_boxes if b.isChecked()]

    def choice(self) -> tuple[list[str], str]:
        """``(ticked layers, level)``."""
        return self.chosen_layers(), self.level.currentData()

    def view(self) -> tuple[str, str]:
        """``(unit, statistic)``."""
        return self.unit.currentData(), self.statistic.currentData()

    def choose_statistic(self, name: str) -> None:
        """Select a statistic by name (ignored when not offered)."""
        index = self.statistic.findData(name)
        if index >= 0:
            self.statistic.setCurrentIndex(index)

    def set_layer_count(self, n_layers: int) -> None:
        """The shown result compares this many layers: offer its statistics."""
        if n_layers != self.n_layers:
            self.n_layers = n_layers
            self.fill_statistics()

    def fill_statistics(self) -> None:
        """Offer the statistics of the current unit, keeping the chosen one if possible."""
        unit = self.unit.currentData()
        kappa = "cohen_kappa" if self.n_layers == 2 else "fleiss_kappa"
        current = self.statistic.currentData() or kappa
        absent = MULTI_ONLY if self.n_layers == 2 else TWO_CODER_ONLY
        names = [
            n
            for n in explain.STATISTICS
            if (unit == "character" or n not in UNITIZING) and n not in absent
        ]
        self.statistic.blockSignals(True)
        self.statistic.clear()
        for name in names:
            self.statistic.addItem(explain.label(name), name)
        index = self.statistic.findData(current)
        self.statistic.setCurrentIndex(index if index >= 0 else names.index(kappa))
        self.statistic.blockSignals(False)

    @Slot()
    def _layers_changed(self) -> None:
        self.layersChanged.emit()

    @Slot()
    def _unit_changed(self) -> None:
        self.fill_statistics()
        self.viewChanged.emit()

    @Slot()
    def _statistic_changed(self) -> None:
        self.viewChanged.emit()


def heatmap_view(model: HeatmapModel) -> QTableView:
    """A compact, read-only table for the heatmap."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName("Agreement per code and document")
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setDefaultSectionSize(56)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(22)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    # The pooled column holds the label "All documents": wider than a document's.
    model.modelReset.connect(lambda: header.resizeSection(0, 84))
    return view


class PooledPanel(QWidget):
    """Every pooled statistic of the unit, and what the chosen one means."""

    statisticChosen = Signal(str)  # noqa: N815 - Qt naming

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = PooledModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Pooled agreement")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.explanation = QTextBrowser()
        self.explanation.setAccessibleName("About the statistic")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Pooled over all codes and documents</b>"))
        layout.addWidget(self.table, 2)
        layout.addWidget(self.explanation, 3)
        self.table.clicked.connect(self._clicked)

    def set_view(self, result: AgreementResult | None, unit: str, name: str) -> None:
        """Show ``unit``'s pooled figures with ``name`` selected and explained."""
        self.model.set_view(result, unit)
        if self.model.rowCount():  # an empty table would shrink to its header texts
            self.table.resizeColumnsToContents()
        row = self.model.row_of(name)
        if row >= 0:
            self.table.selectRow(row)
        self.explanation.setHtml(agreement_texts.explanation_html(result, unit, name))

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        stat = self.model.statistic_at(index.row())
        if stat is not None:
            self.statisticChosen.emit(stat.name)
