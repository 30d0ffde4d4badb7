"""Help › About KetQual: version, icon, and the licences of every bundled component."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ketqual.gui.help import licences
from ketqual.gui.widgets import fit_to_screen

COLUMNS = ("Component", "Version", "Licence")


def about_text(version: str) -> str:
    """The heading of the About box (rich text)."""
    return (
        f"<h3>KetQual {escape(version)}</h3>"
        "<p>Team qualitative analysis for framework studies.</p>"
        "<p>KetQual is free software under the GNU General Public License, version 3 or "
        "later. It keeps everything on this computer: no network calls, no telemetry.</p>"
        "<p>It is built on the components below; select one to read its licence.</p>"
    )


def components_model(found: list[licences.Component], parent=None) -> QStandardItemModel:
    """A read-only table model of the components (name, version, licence)."""
    model = QStandardItemModel(len(found), len(COLUMNS), parent)
    model.setHorizontalHeaderLabels(list(COLUMNS))
    for row, component in enumerate(found):
        for column, value in enumerate((component.name, component.version, component.licence)):
            item = QStandardItem(value)
            item.setEditable(False)
            item.setData(row, Qt.ItemDataRole.UserRole)
            model.setItem(row, column, item)
    return model


class AboutDialog(QDialog):
    """The About box: who we are, and a table of bundled components with licence texts."""

    def __init__(self, version: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About KetQual")
        self.components = licences.components()
        self.resize(760, 560)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included

        heading = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(QGuiApplication.windowIcon().pixmap(64, 64))
        heading.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(about_text(version))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading.addWidget(self.text, 1)

        self.model = components_model(self.components, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Bundled components and their licences")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setAccessibleName("Licence text of the selected component")
        self.licence_text.setPlaceholderText("Select a component to read its licence.")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.licence_text)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)

    def show_component(self, name: str) -> None:
        """Select the component called ``name`` (case-insensitive) and show its licence."""
        for row, component in enumerate(self.components):
            if component.name.lower() == name.lower():
                self.table.selectRow(row)
                return

    def _show_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        component = self.components[indexes[0].row()]
        texts = component.texts or (
            f"The package's metadata holds no licence file. Its licence: {component.licence}.",
        )
        separator = "\n\n" + "-" * 72 + "\n\n"
        self.licence_text.setPlainText(
            f"{component.name} {component.version}\n{component.licence}{separator}"
            + separator.join(texts)
        )
