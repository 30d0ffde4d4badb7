"""Editing a document's metadata (title, kind, session, group, notetaker, date)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox

from ketqual.core.records import DocumentRecord

KINDS = (("Scribe notes", "scribe_notes"), ("Feedback sheet", "feedback_sheet"), ("Other", "other"))


class DocumentDialog(QDialog):
    """A form over one document's metadata; :meth:`changes` lists what the user altered."""

    def __init__(self, document: DocumentRecord, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document details")
        self.setMinimumWidth(480)  # the title field shows a whole title, not a clipped one
        self._meta = document.meta
        form = QFormLayout(self)
        self.title = QLineEdit(document.meta.title)
        self.kind = QComboBox()
        for label, value in KINDS:
            self.kind.addItem(label, value)
        self.kind.setCurrentIndex([v for _, v in KINDS].index(document.meta.kind))
        self.session = QSpinBox()
        self.group = QSpinBox()
        for spin, value in (
            (self.session, document.meta.session),
            (self.group, document.meta.group),
        ):
            spin.setRange(0, 99)
            spin.setSpecialValueText("none")
            spin.setValue(value or 0)
        self.notetaker = QLineEdit(document.meta.notetaker or "")
        self.date = QLineEdit(document.meta.date or "")
        self.date.setPlaceholderText("YYYY-MM-DD")
        for label, widget in (
            ("Title", self.title),
            ("Kind", self.kind),
            ("Session", self.session),
            ("Group", self.group),
            ("Notetaker", self.notetaker),
            ("Date", self.date),
        ):
            widget.setAccessibleName(label)
            form.addRow(f"{label}:", widget)
        form.addRow("Source:", QLineEdit(document.source_name, readOnly=True))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict:
        """Fields whose value differs from the document's current metadata."""
        values = {
            "title": self.title.text().strip(),
            "kind": self.kind.currentData(),
            "session": self.session.value() or None,
            "group": self.group.value() or None,
            "notetaker": self.notetaker.text().strip() or None,
            "date": self.date.text().strip() or None,
        }
        return {k: v for k, v in values.items() if v != getattr(self._meta, k)}
