"""Asking for key files and passphrases, and offering to move an old key out of a project.

:func:`open_key_file` and :func:`new_key_file` ask where the key file is (or is to be) and
its passphrase, open or make it through the runner, and remember it on the runner for the
session (``runner.key``): the privacy window, the import dialog and the exports share it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ketqual.gui import files

if TYPE_CHECKING:
    from ketqual.gui.runner import OperationRunner
    from ketqual.ops.privacy.key_ops import KeySession

KEY_FILTER = "KetQual key files (*.kqkey)"
MOVE_TEXT = (
    "<p>This project was made by an older KetQual and still holds its "
    "<b>pseudonymisation key</b> (real names and their pseudonyms: {count} names) inside "
    "the project file, beside the notes it unlocks.</p>"
    "<p>KetQual now keeps the key in a separate <b>key file</b>, encrypted with a "
    "passphrase, that you store apart from the project (another drive, a locked "
    "cabinet). Moving it writes the key file, reads it back, and only then removes the "
    "names from the project and from KetQual's own backups of it.</p>"
    "<p>Without the key file and its passphrase nobody can turn a pseudonym back into a "
    "name, including you: keep both safe.</p>"
)


class PassphraseDialog(QDialog):
    """A passphrase, typed hidden (twice when a new one is set)."""

    def __init__(self, title: str, prompt: str, *, confirm: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("Passphrase")
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Passphrase again")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #994455")
        form = QFormLayout()
        form.addRow("Passphrase:", self.first)
        if confirm:
            form.addRow("Again:", self.second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(prompt)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._confirm = confirm

    def _check(self) -> None:
        if not self.first.text():
            self.problem.setText("Type a passphrase.")
        elif self._confirm and self.first.text() != self.second.text():
            self.problem.setText("The two passphrases differ.")
        else:
            self.accept()

    def passphrase(self) -> str:
        """What was typed."""
        return self.first.text()


def ask_passphrase(
    parent: QWidget, title: str, prompt: str, *, confirm: bool = False
) -> str | None:
    """A passphrase, or ``None`` when the user cancelled."""
    dialog = PassphraseDialog(title, prompt, confirm=confirm, parent=parent)
    return dialog.passphrase() if dialog.exec() else None


def choose_key_file(parent: QWidget, *, new: bool, suggested: str = "") -> Path | None:
    """A key file to open, or a new one to make (``None`` when cancelled)."""
    if new:
        path, _ = files.save_file(parent, "New key file", suggested, KEY_FILTER)
        if path and not path.endswith(".kqkey"):
            path += ".kqkey"
    else:
        path = files.open_file(parent, "Open the key file", KEY_FILTER)
    return Path(path) if path else None


NEW_KEY_PROMPT = (
    "Choose a passphrase for the key file. Without it nobody (you included) can "
    "turn a token back into a name: keep it somewhere safe."
)


def open_key_file(
    parent: QWidget,
    runner: OperationRunner,
    actor: str,
    *,
    on_error: Callable[[str], None] | None = None,
) -> KeySession | None:
    """Ask for the project's key file and its passphrase and open it (audited); the
    session remembers it. ``None`` when cancelled or refused (the refusal is shown over
    ``parent``, or handed to ``on_error``)."""
    from ketqual.ops.privacy import key_ops  # the key file's crypto: on first use

    path = choose_key_file(parent, new=False)
    if path is None:
        return None
    passphrase = ask_passphrase(parent, "Key file", f"The passphrase of {path.name}:")
    if passphrase is None:
        return None
    key = runner.run(
        lambda p: key_ops.open_key(p, path, passphrase, actor=actor),
        parent=parent,
        on_error=on_error,
    )
    if key is not None:
        runner.key = key
    return key


def new_key_file(
    parent: QWidget,
    runner: OperationRunner,
    actor: str,
    *,
    on_error: Callable[[str], None] | None = None,
) -> KeySession | None:
    """Ask where to make the project's key file and its passphrase (twice), and make it;
    the session remembers it. ``None`` when cancelled or refused."""
    from ketqual.ops.privacy import key_ops

    path = choose_key_file(parent, new=True, suggested="study.kqkey")
    if path is None:
        return None
    passphrase = ask_passphrase(parent, "New key file", NEW_KEY_PROMPT, confirm=True)
    if passphrase is None:
        return None
    key = runner.run(
        lambda p: key_ops.create_key(p, path, passphrase, actor=actor),
        parent=parent,
        on_error=on_error,
    )
    if key is not None:
        runner.key = key
    return key


def confirm_key_move(parent: QWidget, count: int) -> bool:
    """Explain moving an old key out of the project; True to go ahead now."""
    box = QMessageBox(parent)
    box.setWindowTitle("Move the key out of the project")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(MOVE_TEXT.format(count=count))
    move = box.addButton("Move it to a key file…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(move)
    box.exec()
    return box.clickedButton() is move
