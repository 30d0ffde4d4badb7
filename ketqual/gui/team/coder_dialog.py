"""Choosing who is coding when a project opens: pick an identity or create one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from ketqual.core.records import CoderRecord
from ketqual.gui.runner import OperationRunner
from ketqual.ops.changes import Change
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops

NEW_ROW = "+ Someone new…"  # plain text: an emoji is a box where no font has it


class CoderDialog(QDialog):
    """Lists the project's coders and supervisors; a new name creates an identity."""

    def __init__(self, runner: OperationRunner, parent=None, current: str | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.chosen: CoderRecord | None = None
        self.setWindowTitle("Who is coding?")
        self.list = QListWidget()
        self.list.setAccessibleName("Coders")
        for coder in runner.query(coder_ops.list_coders, parent=self) or []:
            item = QListWidgetItem(f"{coder.name}  ({coder.role})")
            item.setData(256, coder.id)
            self.list.addItem(item)
        self.list.addItem(NEW_ROW)
        self.name = QLineEdit(placeholderText="Your name or initials")
        self.name.setAccessibleName("New coder name")
        self.role = QComboBox()
        self.role.addItems(["coder", "supervisor"])
        self.role.setAccessibleName("Role")
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        state = runner.query(coder_ops.blinding, parent=self)
        blinded = state is None or not state.unblinded
        explain = QLabel(
            "Choose yourself so your codings are kept apart from other coders'. "
            + (
                "The project is blinded: each coder sees only their own codings."
                if blinded
                else "The project is unblinded: a supervisor can show every coder's codings."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._on_row)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        start = 0
        for row in range(self.list.count()):  # the person working now, if they are listed
            item = self.list.item(row)
            if current and item.data(256) is not None and item.text().startswith(f"{current}  ("):
                start = row
        self.list.setCurrentRow(start)

    def _on_row(self, row: int) -> None:
        new = self.list.item(row) is not None and self.list.item(row).text() == NEW_ROW
        self.name.setEnabled(new)
        self.role.setEnabled(new)
        if new:
            self.name.setFocus()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.text() == NEW_ROW:
            name, role = self.name.text(), self.role.currentText()

            def add(project: Project) -> Change:
                return coder_ops.add_coder(project, name, role=role)

            change = self.runner.run(add, parent=self)
            if change is None or not isinstance(change.payload, coder_ops.CoderAdded):
                return
            self.chosen = change.payload.coder
        else:
            coder_id = item.data(256)
            self.chosen = self.runner.query(
                lambda p: coder_ops.find_coder(p, coder_id), parent=self
            )
        if self.chosen is not None:
            super().accept()
