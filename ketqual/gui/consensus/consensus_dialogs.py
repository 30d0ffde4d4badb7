"""Dialogs of the consensus review: start a review, edit a consensus coding by hand, and
record a codebook decision."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.disagreements import RESOLUTIONS
from ketqual.core.records import CodeRecord, CoderRecord, QueueItem
from ketqual.gui.offsets import OffsetMap
from ketqual.gui.widgets import fit_to_screen
from ketqual.ops.consensus.consensus_ops import Edit


def _code_combo(codes: list[CodeRecord], label_of, selected: int | None = None) -> QComboBox:
    combo = QComboBox()
    for code in codes:
        if code.active:
            combo.addItem(label_of(code.id), code.id)
    if selected is not None:
        combo.setCurrentIndex(max(0, combo.findData(selected)))
    return combo


class NewReviewDialog(QDialog):
    """Choose the two coders and the unit of a new consensus review."""

    def __init__(self, coders: list[CoderRecord], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start a consensus review")
        self.coder_a, self.coder_b = QComboBox(), QComboBox()
        for coder in coders:
            self.coder_a.addItem(coder.name, coder.name)
            self.coder_b.addItem(coder.name, coder.name)
        if len(coders) > 1:
            self.coder_b.setCurrentIndex(1)
        self.unit = QComboBox()
        self.unit.addItem("Sentence units", "sentence")
        self.unit.addItem("Characters (exact spans)", "character")
        self.auto_accept = QCheckBox("Accept agreements into the consensus layer now")
        self.auto_accept.setChecked(True)
        self.reason_always = QCheckBox("Require a reason for every decision, also take A / take B")
        form = QFormLayout()
        form.addRow("Coder A", self.coder_a)
        form.addRow("Coder B", self.coder_b)
        form.addRow("Compare at", self.unit)
        form.addRow("", self.auto_accept)
        form.addRow("", self.reason_always)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        """Keyword arguments for ``consensus_ops.start_review`` (without the supervisor)."""
        values = {
            "coder_a": self.coder_a.currentData(),
            "coder_b": self.coder_b.currentData(),
            "unit": self.unit.currentData(),
            "auto_accept": self.auto_accept.isChecked(),
        }
        if self.reason_always.isChecked():
            values["reason_required"] = list(RESOLUTIONS)
        return values


CONTEXT = 400  # characters of the note shown before and after the passage


class EditDialog(QDialog):
    """Set the consensus codings of a passage by hand: codes and spans, with a preview.

    The supervisor selects the words in the note shown at the top: the selection becomes
    the span of the coding chosen in the table. The offsets stay visible (and editable) in
    the table, for the record.
    """

    def __init__(
        self,
        item: QueueItem,
        text: str,
        codes: list[CodeRecord],
        label_of,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit the consensus for disagreement {item.id}")
        self.resize(760, 600)
        fit_to_screen(self)
        self.text = text
        # The passage with some context, in a read-only view the supervisor selects in.
        self.context_start = max(0, item.start - CONTEXT)
        context_end = min(len(text), item.end + CONTEXT)
        excerpt = text[self.context_start : context_end]
        self.offsets = OffsetMap(excerpt)
        self.note_view = QPlainTextEdit(excerpt)
        self.note_view.setReadOnly(True)
        self.note_view.setAccessibleName("Note text: select the words for the chosen coding")
        self.note_view.setMinimumHeight(120)
        self.note_view.selectionChanged.connect(self._use_selection)
        self.codes = codes
        self.label_of = label_of
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Code", "Start", "End"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 360)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(80)
        add, remove = QPushButton("&Add coding"), QPushButton("&Remove coding")
        add.clicked.connect(
            lambda: self._add_row(codes[0].id if codes else 0, item.start, item.end)
        )
        remove.clicked.connect(self._remove_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch()
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Choose a coding in the table, then select its words in the note: the selection "
            "becomes its span."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.note_view, 2)
        layout.addWidget(QLabel("The consensus layer will hold exactly these codings here:"))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        seen = set()
        for coding in (*item.codings_a, *item.codings_b):
            key = (coding.code_id, coding.start, coding.end)
            if key not in seen:
                seen.add(key)
                self._add_row(*key)

    def _add_row(self, code_id: int, start: int, end: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = _code_combo(self.codes, self.label_of, code_id)
        self.table.setCellWidget(row, 0, combo)
        for column, value in ((1, start), (2, end)):
            spin = QSpinBox()
            spin.setRange(0, len(self.text))
            spin.setValue(value)
            spin.valueChanged.connect(self._update_preview)
            self.table.setCellWidget(row, column, spin)
        self.table.setCurrentCell(row, 0)
        self._update_preview()

    def _show_current(self) -> None:
        """Select the current coding's words in the note (so the span can be seen)."""
        row = self.table.currentRow()
        if 0 <= row < self.table.rowCount():
            start = self.table.cellWidget(row, 1).value() - self.context_start
            end = self.table.cellWidget(row, 2).value() - self.context_start
            length = len(self.note_view.toPlainText())
            if 0 <= start <= end <= length:
                cursor = self.note_view.textCursor()
                self._selecting = True
                cursor.setPosition(self.offsets.to_qt(start))
                cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
                self.note_view.setTextCursor(cursor)
                self._selecting = False
        self._update_preview()

    def _use_selection(self) -> None:
        """The words selected in the note become the current coding's span."""
        if getattr(self, "_selecting", False):
            return
        cursor = self.note_view.textCursor()
        row = self.table.currentRow()
        if not cursor.hasSelection() or not 0 <= row < self.table.rowCount():
            return
        start = self.context_start + self.offsets.from_qt(cursor.selectionStart())
        end = self.context_start + self.offsets.from_qt(cursor.selectionEnd())
        self.select_span(row, start, end)

    def select_span(self, row: int, start: int, end: int) -> None:
        """Set a coding's span (code points into the document)."""
        self.table.cellWidget(row, 1).setValue(start)
        self.table.cellWidget(row, 2).setValue(end)
        self._update_preview()

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
        self._update_preview()

    def edits(self) -> list[Edit]:
        """The codings as set in the table."""
        result = []
        for row in range(self.table.rowCount()):
            combo: QComboBox = self.table.cellWidget(row, 0)
            start: QSpinBox = self.table.cellWidget(row, 1)
            end: QSpinBox = self.table.cellWidget(row, 2)
            result.append(Edit(int(combo.currentData()), start.value(), end.value()))
        return result

    def _update_preview(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= self.table.rowCount():
            self.preview.setText("")
            return
        start = self.table.cellWidget(row, 1).value()
        end = self.table.cellWidget(row, 2).value()
        if end <= start:
            self.preview.setText(
                "<span style='color:#B00020'>The end must be after the start.</span>"
            )
            return
        self.preview.setText(f"<i>“{escape(self.text[start:end])}”</i>")


CODEBOOK_ACTIONS = (
    ("merge", "Merge into another code"),
    ("rename", "Rename"),
    ("split", "Split off a new code"),
    ("redefine", "Redefine"),
)


class CodebookDecisionDialog(QDialog):
    """A codebook change agreed in the meeting, with its reason."""

    def __init__(self, codes: list[CodeRecord], label_of, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Codebook decision")
        self.resize(560, 360)
        self.action = QComboBox()
        for key, label in CODEBOOK_ACTIONS:
            self.action.addItem(label, key)
        self.code = _code_combo(codes, label_of)
        self.target = _code_combo(codes, label_of)
        self.name = QLineEdit()
        self.definition = QPlainTextEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why the meeting decided this (required)")
        self.form = QFormLayout()
        self.form.addRow("Decision", self.action)
        self.form.addRow("Code", self.code)
        self.form.addRow("Into", self.target)
        self.form.addRow("New name", self.name)
        self.form.addRow("Definition", self.definition)
        self.form.addRow("Reason", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.action.currentIndexChanged.connect(self._show_fields)
        self._show_fields()

    def _show_fields(self) -> None:
        action = self.action.currentData()
        shown = {
            self.target: action == "merge",
            self.name: action in ("rename", "split"),
            self.definition: action == "redefine",
        }
        widget: QWidget
        for widget, visible in shown.items():
            self.form.setRowVisible(widget, visible)

    def values(self) -> dict:
        """Keyword arguments for ``decision_log.codebook_decision``."""
        action = self.action.currentData()
        values = {
            "action": action,
            "code_id": self.code.currentData(),
            "reason": self.reason.text(),
        }
        if action == "merge":
            values["target_id"] = self.target.currentData()
        elif action in ("rename", "split"):
            values["name"] = self.name.text()
        else:
            values["definition"] = self.definition.toPlainText()
        return values
