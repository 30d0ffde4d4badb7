"""The attributes window: participants, documents and focus groups with their typed
attributes, edited in a table, imported and exported as CSV or xlsx; what a case is; and,
for a participant, the places in the documents that belong to them.

Everything is read and stored through the operation runner; reading the participants
(every label the documents name) runs off the GUI thread.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ketqual.core import participants as pt
from ketqual.core.attributes import TARGET_LABELS, TYPE_LABELS, TYPES, AttributeDef
from ketqual.gui import files
from ketqual.gui.attributes.attributes_model import (
    FIXED_COLUMNS,
    SUBJECT_ROLE,
    AttributeTableModel,
    ValueDelegate,
)
from ketqual.gui.privacy.export_guard import run_export_in_background
from ketqual.gui.runner import OperationRunner
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.attributes import attribute_ops, case_ops
from ketqual.ops.attributes.attribute_ops import AttributeTable
from ketqual.ops.changes import Area, Change

TABS = (("participant", "&Participants"), ("document", "&Documents"), ("case", "&Focus groups"))
FILE_FILTERS = {"CSV (*.csv)": "csv", "Excel workbook (*.xlsx)": "xlsx"}


class AttributeDialog(QDialog):
    """Name, type and (for a fixed list) the values of a new attribute."""

    def __init__(self, target: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New attribute of {TARGET_LABELS[target]}s")
        form = QFormLayout(self)
        self.name = QLineEdit(placeholderText="e.g. role")
        self.name.setAccessibleName("Attribute name")
        self.kind = QComboBox(accessibleName="Type")
        for kind in TYPES:
            self.kind.addItem(TYPE_LABELS[kind], kind)
        self.choices = QLineEdit(placeholderText="patient, carer, advocate")
        self.choices.setAccessibleName("Values of the fixed list")
        self.kind.currentIndexChanged.connect(
            lambda: self.choices.setEnabled(self.kind.currentData() == "choice")
        )
        self.choices.setEnabled(False)
        form.addRow("&Name:", self.name)
        form.addRow("&Type:", self.kind)
        form.addRow("&Values:", self.choices)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, list[str]]:
        """``(name, type, choices)`` as entered."""
        choices = [c.strip() for c in self.choices.text().split(",") if c.strip()]
        return self.name.text(), self.kind.currentData(), choices


class AttributePane(QWidget):
    """One target's table with its buttons."""

    def __init__(self, window: AttributesWindow, target: str) -> None:
        super().__init__()
        self.window_ = window
        self.target = target
        self.model = AttributeTableModel(self)
        self.model.editor = self._edit
        self.table = QTableView()
        self.table.setAccessibleName(f"Attributes of {TARGET_LABELS[target]}s")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ValueDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(150)
        self.add_button = QPushButton("&Add attribute…")
        self.add_button.clicked.connect(self.add_attribute)
        self.remove_button = QPushButton("&Remove attribute")
        self.remove_button.setToolTip("Remove the attribute of the selected column with its values")
        self.remove_button.clicked.connect(self.remove_attribute)
        self.import_button = QPushButton("&Import…")
        self.import_button.clicked.connect(self.ask_import)
        self.export_button = QPushButton("E&xport…")
        self.export_button.clicked.connect(self.ask_export)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.import_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if target == "participant":
            self.mentions = QTextBrowser()
            self.mentions.setAccessibleName("Where the participant is named")
            self.mentions.setOpenLinks(False)
            self.mentions.anchorClicked.connect(self._open_mention)
            self.mentions.setHtml(
                "<p>Choose a participant to see the paragraphs that name them.</p>"
                f"<p style='color:#595959'>{escape(pt.RULE)}</p>"
            )
            splitter = QSplitter(Qt.Orientation.Horizontal)
            splitter.addWidget(self.table)
            splitter.addWidget(self.mentions)
            splitter.setSizes([720, 420])
            layout.addWidget(splitter, 1)
            self.table.selectionModel().currentRowChanged.connect(self._participant_chosen)
        else:
            self.mentions = None
            layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # -- editing ---------------------------------------------------------------------------

    def _edit(self, subject: int | str, attribute: AttributeDef, text: str):
        change = self.window_.runner.run(
            lambda p: attribute_ops.set_value(
                p, attribute.id, subject, text, actor=self.window_.viewer
            ),
            parent=self.window_,
            initiator=self.window_,
        )
        if change is None:
            return False
        self.window_.statusBar().showMessage(change.summary, 6000)
        return change.details.get("after")

    @Slot()
    def add_attribute(self) -> None:
        dialog = AttributeDialog(self.target, self)
        if not dialog.exec():
            return
        self.define(*dialog.values())

    def define(self, name: str, kind: str, choices: list[str]) -> None:
        """Add an attribute to this target (as the dialog does)."""
        change = self.window_.runner.run(
            lambda p: attribute_ops.define_attribute(
                p, self.target, name, kind, choices, actor=self.window_.viewer
            ),
            parent=self.window_,
            initiator=self.window_,
        )
        if change is not None:
            self.window_.reload()

    @Slot()
    def remove_attribute(self) -> None:
        attribute = self.model.attribute(self.table.currentIndex().column())
        if attribute is None:
            self.window_.show_message("Choose a cell in the column of the attribute to remove.")
            return
        change = self.window_.runner.run(
            lambda p: attribute_ops.remove_attribute(p, attribute.id, actor=self.window_.viewer),
            parent=self.window_,
            initiator=self.window_,
        )
        if change is not None:
            self.window_.reload()

    # -- files -----------------------------------------------------------------------------

    @Slot()
    def ask_import(self) -> None:
        path = files.open_file(
            self, f"Import attributes of {TARGET_LABELS[self.target]}s", "Tables (*.csv *.xlsx)"
        )
        if path:
            self.import_from(path)

    def import_from(self, path: str):
        """Read a CSV or xlsx table of this target's attributes in the background."""
        target, viewer = self.target, self.window_.viewer
        return self.window_.runner.run_in_background(
            lambda p, _progress: attribute_ops.import_attributes(p, target, path, actor=viewer),
            parent=self.window_,
            label="Importing attributes…",
            on_done=lambda change: (
                self.window_.statusBar().showMessage(change.summary, 10_000),
                self.window_.reload(),
            ),
            initiator=self.window_,
        )

    @Slot()
    def ask_export(self) -> None:
        name = {"participant": "participants", "document": "documents", "case": "focus-groups"}
        path, chosen = files.save_file(
            self, "Export attributes", f"{name[self.target]}.csv", ";;".join(FILE_FILTERS)
        )
        if path:
            self.export_to(path, FILE_FILTERS.get(chosen))

    def export_to(self, path: str, fmt: str | None = None):
        """Write this target's table in the background, after the identifier check (a
        supervisor may let a blocked export through)."""
        if Path(path).suffix.lower().lstrip(".") not in FILE_FILTERS.values() and fmt:
            path += f".{fmt}"
        target, viewer = self.target, self.window_.viewer
        return run_export_in_background(
            self.window_.runner,
            lambda p, _progress, check: attribute_ops.export_attributes(
                p, target, path, actor=viewer, check=check
            ),
            who=viewer,
            parent=self.window_,
            label="Writing attributes…",
            on_done=lambda change: self.window_.statusBar().showMessage(change.summary, 10_000),
        )

    # -- participants ----------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _participant_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        subject = current.data(SUBJECT_ROLE) if current.isValid() else None
        if subject is not None:
            self.window_.show_mentions(str(subject.key))

    def show_mentions(self, label: str, mentions) -> None:
        """List the paragraphs that belong to a participant."""
        if self.mentions is None:
            return
        if not mentions:
            self.mentions.setHtml(f"<p><b>{escape(label)}</b> is not named in any document.</p>")
            return
        items = "".join(
            f"<li><a href='passage:{m.document_id}:{m.start}:{m.end}'>{escape(m.ref)}</a> "
            f"<span style='color:#595959'>{escape(m.document)}</span><br>{escape(m.text)}</li>"
            for m in mentions
        )
        # The table counts every time the name occurs; a place is a paragraph naming them
        # (once, however often it does) or a document of theirs: say so, or 15 and 14 clash.
        name, n = escape(label), len(mentions)
        owned = any(m.start == 0 and m.text.startswith("(the whole document") for m in mentions)
        self.mentions.setHtml(
            f"<p><b>{name}</b>: {n} place{'' if n == 1 else 's'}, each a paragraph naming "
            f"{name} (one place however often the paragraph names them)"
            + (" or a document that is theirs" if owned else "")
            + f". Every coded passage in these places counts as {name}'s.</p><ul>{items}</ul>"
        )

    def _open_mention(self, url) -> None:
        _scheme, doc, start, end = url.toString().split(":")
        self.window_.openPassage.emit(int(doc), int(start), int(end))


class AttributesWindow(QMainWindow):
    """Attributes of participants, documents and focus groups.

    Args:
        runner: The app's operation runner for this project.
        viewer: The person using the app (named in the audit log).
        parent: Parent widget.

    Signals:
        openPassage(int, int, int): a place in a document to show.
        loaded(): the tables were read.
    """

    openPassage = Signal(int, int, int)  # noqa: N815 - Qt naming
    loaded = Signal()

    def __init__(self, runner: OperationRunner, viewer: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer.strip() or None
        self.job = None
        self.setWindowTitle("Attributes")
        self.resize(1180, 680)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included
        self.unit_box = QComboBox(accessibleName="A case is a")
        for unit in case_ops.UNITS:
            self.unit_box.addItem(case_ops.UNIT_LABELS[unit], unit)
        self.unit_box.activated.connect(self._unit_chosen)
        unit_label = QLabel("A &case is a:")
        unit_label.setBuddy(self.unit_box)
        explain = QLabel(
            "Framework-matrix rows, crosstab case counts and per-theme case counts follow it."
        )
        explain.setStyleSheet("QLabel { color: #595959; }")
        bar = QHBoxLayout()
        bar.addWidget(unit_label)
        bar.addWidget(self.unit_box)
        bar.addWidget(explain, 1)
        self.message = message_label("Attributes message")
        self.tabs = QTabWidget()
        self.panes: dict[str, AttributePane] = {}
        for target, title in TABS:
            pane = AttributePane(self, target)
            self.panes[target] = pane
            self.tabs.addTab(pane, title)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.reload)
        runner.changed.connect(self._on_change)
        self.reload()

    def reload(self) -> None:
        """Read every table again (off the GUI thread)."""
        if self.job is not None:
            return
        self.job = self.runner.run_in_background(
            lambda p, _progress: {
                target: attribute_ops.attribute_table(p, target) for target, _t in TABS
            },
            parent=self,
            label="Reading attributes…",
            on_done=self._show_tables,
            on_error=self._failed,
            show_progress=False,
        )

    def _show_tables(self, tables: dict[str, AttributeTable]) -> None:
        self.job = None
        for target, table in tables.items():
            pane = self.panes[target]
            current = pane.table.currentIndex()
            pane.model.set_table(table)
            pane.table.resizeColumnToContents(0)
            pane.table.setColumnWidth(1, 200 if target != "participant" else 230)
            for column in range(FIXED_COLUMNS, pane.model.columnCount()):
                pane.table.setColumnWidth(column, 150)
            if current.isValid():
                pane.table.setCurrentIndex(pane.model.index(current.row(), current.column()))
        unit = next(iter(tables.values())).case_unit
        self.unit_box.setCurrentIndex(max(self.unit_box.findData(unit), 0))
        self.message.hide()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.job = None
        self.show_message(message)

    def show_message(self, text: str) -> None:
        """Say something in the window's message strip."""
        self.message.setText(text[:1].upper() + text[1:])
        self.message.show()

    @Slot(int)
    def _unit_chosen(self, _index: int) -> None:
        unit = self.unit_box.currentData()
        change = self.runner.run(
            lambda p: case_ops.set_case_unit(p, unit, actor=self.viewer),
            parent=self,
            initiator=self,
        )
        if change is not None:
            self.statusBar().showMessage(change.summary, 8000)

    def show_mentions(self, label: str) -> None:
        """Find where a participant is named (off the GUI thread) and list it."""
        pane = self.panes["participant"]
        self.runner.run_in_background(
            lambda p, _progress: attribute_ops.participant_mentions(p, label),
            parent=self,
            label="Finding where the participant is named…",
            on_done=lambda mentions: pane.show_mentions(label, mentions),
            show_progress=False,
        )

    @Slot(object, object)
    def _on_change(self, change: Change, initiator: object) -> None:
        if initiator is self:
            return
        if change.touches(Area.ATTRIBUTES, Area.DOCUMENTS):
            self.reload()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        super().closeEvent(event)
