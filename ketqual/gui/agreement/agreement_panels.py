"""Widgets of the agreement window: the choice bar, the heatmap view and the side panel."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
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
UNITIZING = ("alpha_u", "u_alpha")  # the unitizing alphas exist for characters only


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for text, data in items:
        box.addItem(text, data)
    return box


class AgreementControls(QWidget):
    """Which layers, level, unit and statistic; and the export button.

    ``layersChanged`` asks for a new computation (layers or level changed);
    ``viewChanged`` only for another view of the same result (unit or statistic).
    """

    layersChanged = Signal()  # noqa: N815 - Qt naming
    viewChanged = Signal()  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.coder_a = _combo("First coder", [])
        self.coder_b = _combo("Second coder", [])
        self.level = _combo("Level", list(LEVELS))
        self.unit = _combo("Unit", [(explain.UNIT_LABELS[u], u) for u in explain.UNIT_LABELS])
        self.statistic = _combo("Statistic", [])
        self.export_button = QPushButton("Export…")
        self.export_button.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            ("&Compare", self.coder_a),
            ("&with", self.coder_b),
            ("&Level", self.level),
            ("&Unit", self.unit),
            ("&Statistic", self.statistic),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.export_button)
        self.fill_statistics()
        for box in (self.coder_a, self.coder_b, self.level):
            box.currentIndexChanged.connect(self._layers_changed)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.statistic.currentIndexChanged.connect(self._statistic_changed)

    def set_layers(self, items: list[tuple[str, str]]) -> None:
        """Offer these ``(text, layer name)`` choices; the first two are preselected."""
        for box, default in ((self.coder_a, 0), (self.coder_b, 1)):
            box.blockSignals(True)  # one computation once both are filled, not several
            box.clear()
            for text, data in items:
                box.addItem(text, data)
            box.setCurrentIndex(min(default, box.count() - 1))
            box.blockSignals(False)

    def choice(self) -> tuple[str, str, str]:
        """``(layer A, layer B, level)``."""
        return self.coder_a.currentData(), self.coder_b.currentData(), self.level.currentData()

    def view(self) -> tuple[str, str]:
        """``(unit, statistic)``."""
        return self.unit.currentData(), self.statistic.currentData()

    def choose_statistic(self, name: str) -> None:
        """Select a statistic by name (ignored when not offered)."""
        index = self.statistic.findData(name)
        if index >= 0:
            self.statistic.setCurrentIndex(index)

    def fill_statistics(self) -> None:
        """Offer the statistics of the current unit, keeping the chosen one if possible."""
        unit = self.unit.currentData()
        current = self.statistic.currentData() or "cohen_kappa"
        names = [n for n in explain.STATISTICS if unit == "character" or n not in UNITIZING]
        self.statistic.blockSignals(True)
        self.statistic.clear()
        for name in names:
            self.statistic.addItem(explain.label(name), name)
        index = self.statistic.findData(current)
        self.statistic.setCurrentIndex(index if index >= 0 else names.index("cohen_kappa"))
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
