"""Dialogs around importing: choosing options and showing what happened to each file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ketqual.core.privacy.roster import parse_roster
from ketqual.gui import files as file_dialogs
from ketqual.gui.privacy import key_dialogs
from ketqual.gui.runner import OperationRunner, sentence
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.importing import import_ops

if TYPE_CHECKING:
    from ketqual.ops.privacy.key_ops import KeySession

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


NAMES_HELP = (
    "one person per line, nicknames after a bar (Anna Smith | Annie), and carer:, staff:, "
    "person:, place: or org: before a name that is not a participant's."
)
NAMES_EXAMPLE = "Anna Smith | Annie\ncarer: Bob Jones | Bobby\nplace: St Mary's Hospital"
NAMES_FILTER = "Names files (*.txt);;All files (*)"


class ImportOptionsDialog(QDialog):
    """Batch options: kind, session and group overrides, splitting combined notes, and
    (with a runner) participants' names: the project's key file, whose names are replaced
    at import, and names to add to it first.

    Args:
        files: The files chosen.
        parent: The main window.
        runner: The project's runner: opens or makes the key file and remembers it for
            the session (``runner.key``). Without one the names part is left out.
        actor: Who is importing (the audit log of the key file's opening).
    """

    def __init__(
        self,
        files: list[Path],
        parent=None,
        *,
        runner: OperationRunner | None = None,
        actor: str = "",
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
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
        self.names_box: QPlainTextEdit | None = None
        self.message = message_label("Problem")
        if runner is not None:
            layout.addWidget(self._names_part())
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    # ----- participants' names ------------------------------------------------------------
    def _names_part(self) -> QGroupBox:
        group = QGroupBox("Participants' names")
        about = QLabel(
            "Names on the project's <b>key file</b> are replaced by tokens such as "
            "<i>[P01]</i> before the text reaches the project. The key file holds the names, "
            "encrypted, apart from the project."
        )
        about.setWordWrap(True)
        self.key_state = QLabel()
        self.key_state.setWordWrap(True)
        self.key_state.setAccessibleName("Key file")
        self.open_key_button = QPushButton("Open key file…")
        self.open_key_button.clicked.connect(self.open_key)
        self.new_key_button = QPushButton("New key file…")
        self.new_key_button.clicked.connect(self.new_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_state, 1)
        key_row.addWidget(self.open_key_button)
        key_row.addWidget(self.new_key_button)
        names_label = QLabel(f"Names to add to the key file first (optional): {NAMES_HELP}")
        names_label.setWordWrap(True)
        self.names_box = QPlainTextEdit()
        self.names_box.setAccessibleName("Names to add")
        self.names_box.setPlaceholderText(NAMES_EXAMPLE)
        self.names_box.setTabChangesFocus(True)
        lines = QFontMetrics(self.names_box.font()).lineSpacing()
        self.names_box.setFixedHeight(lines * 5 + 12)
        names_label.setBuddy(self.names_box)
        self.read_names_button = QPushButton("Read a names file…")
        self.read_names_button.setToolTip("Put a roster or names file's lines into the box")
        self.read_names_button.clicked.connect(lambda: self.read_names())
        read_row = QHBoxLayout()
        read_row.addStretch(1)
        read_row.addWidget(self.read_names_button)
        box = QVBoxLayout(group)
        box.addWidget(about)
        box.addLayout(key_row)
        box.addWidget(names_label)
        box.addWidget(self.names_box)
        box.addLayout(read_row)
        self._show_key()
        return group

    @property
    def key(self) -> KeySession | None:
        """The key file open for this session (``None`` without one)."""
        return self.runner.key if self.runner is not None else None

    def _show_key(self) -> None:
        key = self.key
        if key is None:
            text = (
                "No key file open: names are not replaced (identifiers found are kept for review)."
            )
        else:
            n = len(key.entries)
            if n == 0:
                held = "it holds no names yet; add them below."
            elif n == 1:
                held = "the one person or place on it is replaced by its token."
            else:
                held = f"the {n} people and places on it are replaced by their tokens."
            text = f"<b>{key.path.name}</b> is open: {held}"
        self.key_state.setText(text)

    def say(self, message: str) -> None:
        """Show a problem in the dialog's own message line."""
        self.message.setText(sentence(message))
        self.message.show()

    def open_key(self) -> KeySession | None:
        """Open the project's key file (asks where and its passphrase)."""
        if self.runner is None:
            return None
        self.message.hide()
        key = key_dialogs.open_key_file(self, self.runner, self.actor, on_error=self.say)
        self._show_key()
        return key

    def new_key(self) -> KeySession | None:
        """Make the project's key file."""
        if self.runner is None:
            return None
        self.message.hide()
        key = key_dialogs.new_key_file(self, self.runner, self.actor, on_error=self.say)
        self._show_key()
        return key

    def read_names(self, path: str | Path | None = None) -> bool:
        """Put a names file's lines into the box (asks for the file when not given)."""
        if self.names_box is None:
            return False
        if path is None:
            path = file_dialogs.open_file(self, "Names file", NAMES_FILTER)
            if not path:
                return False
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            self.say(f"the names file {path.name} was not found")
            return False
        except (OSError, UnicodeDecodeError) as exc:
            self.say(
                f"cannot read the names file {path.name}: {getattr(exc, 'strerror', None) or exc}"
            )
            return False
        before = self.names_box.toPlainText().rstrip("\n")
        self.names_box.setPlainText(f"{before}\n{text}" if before else text)
        self.message.hide()
        return True

    def names(self) -> str | None:
        """The names to add to the key file (roster text), or ``None`` for none."""
        if self.names_box is None:
            return None
        text = self.names_box.toPlainText()
        try:
            return text if parse_roster(text) else None
        except ValueError:
            return None

    def _check(self) -> None:
        """Import only with names that can be read and a key file to keep them in."""
        if self.names_box is not None:
            try:
                lines = parse_roster(self.names_box.toPlainText())
            except ValueError as exc:
                self.say(f"the names, {exc}")
                self.names_box.setFocus()
                return
            if lines and self.key is None:
                self.say(
                    "names are kept in the project's key file, never in the project: "
                    "open or make the key file first"
                )
                return
        self.accept()

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
        # Feedback sheets whose columns could not be guessed: offer to map them.
        self.unmapped = [
            r.path
            for r in report.results
            if r.status == "failed" and r.reason.startswith("cannot tell which columns")
        ]
        self.map_requested = False
        self.map_button = None
        if self.unmapped:
            self.map_button = buttons.addButton(
                "Map columns…", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.map_button.clicked.connect(self._ask_mapping)
        self.reimport_button = None
        if self.duplicates:
            self.reimport_button = buttons.addButton(
                f"Import {len(self.duplicates)} duplicate{'s' if len(self.duplicates) != 1 else ''} anyway",
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def _ask_mapping(self) -> None:
        self.map_requested = True
        self.done(QDialog.DialogCode.Accepted)
