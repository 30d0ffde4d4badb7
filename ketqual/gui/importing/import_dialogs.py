"""Dialogs around importing: choosing options and showing what happened to each file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ketqual.gui.widgets import fit_to_screen
from ketqual.ops.importing import import_ops

KINDS = (
    ("Infer from the file", None),
    ("Scribe notes", "scribe_notes"),
    ("Feedback sheet", "feedback_sheet"),
    ("Other", "other"),
)


def _optional_spin(label: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 99)
    spin.setSpecialValueText("infer")
    spin.setAccessibleName(label)
    return spin


class ImportOptionsDialog(QDialog):
    """Batch options: kind, session and group overrides, splitting combined notes."""

    def __init__(self, files: list[Path], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import files")
        layout = QVBoxLayout(self)
        names = ", ".join(p.name for p in files[:4]) + (
            f" and {len(files) - 4} more" if len(files) > 4 else ""
        )
        intro = QLabel(
            f"<b>{len(files)} file{'s' if len(files) != 1 else ''}</b>: {names}<br>"
            "Session, group and kind are read from file names such as "
            "<i>S2_G5_scribe.docx</i> and from headings; you can edit them later."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Document kind")
        for label, _value in KINDS:
            self.kind.addItem(label)
        self.session = _optional_spin("Session")
        self.group = _optional_spin("Group")
        self.split = QCheckBox("Split combined notes at group headings")
        self.split.setChecked(True)
        form.addRow("Kind:", self.kind)
        form.addRow("Session:", self.session)
        form.addRow("Group:", self.group)
        form.addRow("", self.split)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def options(self) -> import_ops.ImportOptions:
        """The options as chosen."""
        return import_ops.ImportOptions(
            kind=KINDS[self.kind.currentIndex()][1],
            session=self.session.value() or None,
            group=self.group.value() or None,
            split_combined=self.split.isChecked(),
        )


class ImportResultsDialog(QDialog):
    """One row per file: imported (with document count) or why it was skipped or failed."""

    def __init__(self, report: import_ops.ImportReport, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import results")
        self.resize(760, 420)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"<b>{report.summary()}</b>")
        layout.addWidget(self.summary)
        table = QTableWidget(len(report.results), 3)
        table.setHorizontalHeaderLabels(["File", "Result", "Details"])
        table.setAccessibleName("Import results")
        for row, result in enumerate(report.results):
            details = result.reason
            if result.status == "imported":
                n = len(result.document_ids)
                details = f"{n} document{'s' if n != 1 else ''}" + (
                    f"; {'; '.join(result.warnings)}" if result.warnings else ""
                )
            for col, text in enumerate((result.path.name, result.status, details)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, col, item)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(table)
        self.duplicates = [
            r.path
            for r in report.results
            if r.status == "skipped" and r.reason.startswith("already imported")
        ]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reimport_button = None
        if self.duplicates:
            self.reimport_button = buttons.addButton(
                f"Import {len(self.duplicates)} duplicate{'s' if len(self.duplicates) != 1 else ''} anyway",
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
