"""Exports the identifier check may block, and a supervisor letting one through.

Every export operation scans what it is about to write (:mod:`ketqual.ops.privacy.outgoing`)
and writes nothing when it finds possible identifiers. The app runs each export through
:func:`run_export` (quick ones, on the GUI thread) or :func:`run_export_in_background`,
both through the window's runner. The export is a callable taking ``check=`` (the
:class:`~ketqual.ops.privacy.outgoing.CheckOptions`): it is called with the key file open
for the session (so roster names are looked for too), and when the check blocks it, the
findings are shown with **Export anyway…**. A supervisor gives a reason and the same
export runs again with the override, as ``--allow-identifiers REASON`` on the command line;
the operation records the override (who, the reason, what was found where, never the words)
in the audit log. For a coder the button is disabled and says a supervisor can do it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ketqual.gui.runner import Job, OperationRunner, sentence
from ketqual.gui.widgets import fit_to_screen

CODER_TIP = (
    "Only a supervisor can let possible identifiers through (with a reason, kept in the "
    "audit log). Ask a supervisor, or review the identifiers (Privacy › Review identifiers)."
)
SUPERVISOR_TIP = "Write the file with these findings in it; you give a reason for the audit log"


@dataclass(frozen=True)
class Blocked:
    """An export the identifier check stopped; ``message`` lists what was found and where."""

    message: str


class ReasonDialog(QDialog):
    """Why a supervisor lets possible identifiers through (required; audited)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export anyway")
        intro = QLabel(
            "Why may these possible identifiers leave the project? The reason, your name "
            "and what was found where (never the words) go into the audit log."
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Reason")
        self.text.setPlaceholderText("e.g. P3 asked us to keep her own number in the memo")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4 + 12)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Export anyway")
        self.ok.setEnabled(False)
        self.text.textChanged.connect(lambda: self.ok.setEnabled(bool(self.reason())))
        buttons.accepted.connect(self._accept_if_given)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def reason(self) -> str:
        """The reason, its spacing tidied ("" when none was written)."""
        return " ".join(self.text.toPlainText().split())

    def _accept_if_given(self) -> None:
        if self.reason():
            self.accept()


class BlockedExportDialog(QDialog):
    """An export the identifier check stopped: what was found, and "Export anyway…".

    Attributes:
        reason: The supervisor's reason once they chose to export anyway, else ``None``.
    """

    def __init__(self, message: str, *, may_override: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export stopped: possible identifiers")
        self.reason: str | None = None
        headline, _, listed = message.partition("\n")
        top = QLabel(sentence(headline.strip()))
        top.setWordWrap(True)
        self.findings = QPlainTextEdit("\n".join(line.strip() for line in listed.splitlines()))
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName("What was found")
        self.findings.setVisible(bool(listed.strip()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.anyway = QPushButton("Export anyway…")
        self.anyway.setEnabled(may_override)
        self.anyway.setToolTip(SUPERVISOR_TIP if may_override else CODER_TIP)
        self.anyway.setAutoDefault(False)
        buttons.addButton(self.anyway, QDialogButtonBox.ButtonRole.ActionRole)
        self.anyway.clicked.connect(self.ask_reason)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(self.findings, 1)
        if not may_override:
            note = QLabel("A supervisor can let them through with a reason.")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(720, 420)
        fit_to_screen(self)

    def ask_reason(self) -> None:
        """Ask the supervisor's reason; with one, the dialog closes accepted."""
        dialog = ReasonDialog(self)
        if dialog.exec() and dialog.reason():
            self.reason = dialog.reason()
            self.accept()


def ask_override(parent: QWidget | None, message: str, may_override: bool) -> str | None:
    """Show a blocked export; the supervisor's reason to export anyway, or ``None``."""
    dialog = BlockedExportDialog(message, may_override=may_override, parent=parent)
    return dialog.reason if dialog.exec() else None


def may_override(runner: OperationRunner, who: str | None) -> bool:
    """Whether ``who`` (the person using the app) is a supervisor of the project."""
    if not who:
        return False
    from ketqual.ops.team import coder_ops

    person = runner.query(lambda p: coder_ops.lookup_coder(p, who))
    return person is not None and person.role == "supervisor"


def _blocked_or_result(export: Callable[..., Any], args: tuple, check: Any) -> Any:
    """Call the export; a block by the identifier check comes back as :class:`Blocked`."""
    from ketqual.ops.privacy import outgoing

    try:
        return export(*args, check=check)
    except outgoing.IdentifiersFound as exc:
        return Blocked(str(exc))


def _reason_for(
    blocked: Blocked,
    runner: OperationRunner,
    who: str | None,
    parent: QWidget | None,
    on_error: Callable[[str], None] | None,
) -> str | None:
    """Ask about a blocked export; a reason to try again, or ``None`` (then ``on_error``
    hears the refusal, so a window can show it in its message line and tidy up)."""
    reason = ask_override(parent, blocked.message, may_override(runner, who))
    if reason is None and on_error is not None:
        on_error(blocked.message)
    return reason


def run_export(
    runner: OperationRunner,
    export: Callable[..., Any],
    *,
    who: str | None,
    parent: QWidget | None = None,
    on_error: Callable[[str], None] | None = None,
    initiator: object | None = None,
) -> Any:
    """Run a quick export now (``runner.run``), offering a supervisor's override when the
    identifier check blocks it.

    Args:
        runner: The window's runner.
        export: ``export(project, check=...)``: the export operation with its arguments.
        who: The person using the app (the override is theirs, if a supervisor).
        parent: The window dialogs and refusals are shown over.
        on_error: Gets any other refusal, and a blocked export's message when nobody let
            it through (instead of a message box).
        initiator: Handed on with ``runner.changed``.

    Returns:
        What the export returned, or ``None`` when it was refused or not let through.
    """
    from ketqual.ops.privacy import outgoing  # the check's options: on first use

    key = runner.key  # roster names are looked for when the key file is open
    result = runner.run(
        lambda p: _blocked_or_result(export, (p,), outgoing.CheckOptions(key=key)),
        parent=parent,
        on_error=on_error,
        initiator=initiator,
    )
    if not isinstance(result, Blocked):
        return result
    reason = _reason_for(result, runner, who, parent, on_error)
    if reason is None:
        return None
    return runner.run(
        lambda p: export(
            p, check=outgoing.CheckOptions(allow_reason=reason, supervisor=who, key=key)
        ),
        parent=parent,
        on_error=on_error,
        initiator=initiator,
    )


def run_export_in_background(
    runner: OperationRunner,
    export: Callable[..., Any],
    *,
    who: str | None,
    parent: QWidget | None = None,
    label: str = "Writing…",
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    initiator: object | None = None,
    show_progress: bool = True,
    needs_project: bool = True,
) -> Job:
    """Run an export in the background (``runner.run_in_background``), offering a
    supervisor's override when the identifier check blocks it; the export then runs again
    with the override, and ``on_done`` gets its result.

    Args:
        export: ``export(project, progress, check=...)``, or ``export(progress, check=...)``
            when ``needs_project`` is False.
        Others as :meth:`OperationRunner.run_in_background` and :func:`run_export`.

    Returns:
        The first try's job (``on_done`` or ``on_error`` follows either way).
    """
    from ketqual.ops.privacy import outgoing

    key = runner.key

    def start(reason: str | None) -> Job:
        def work(*args: Any) -> Any:
            if reason is None:
                return _blocked_or_result(export, args, outgoing.CheckOptions(key=key))
            allowed = outgoing.CheckOptions(allow_reason=reason, supervisor=who, key=key)
            return export(*args, check=allowed)

        return runner.run_in_background(
            work,
            parent=parent,
            label=label,
            on_done=done,
            on_error=on_error,
            initiator=initiator,
            show_progress=show_progress,
            needs_project=needs_project,
        )

    def done(result: Any) -> None:
        if not isinstance(result, Blocked):
            if on_done is not None:
                on_done(result)
            return
        reason = _reason_for(result, runner, who, parent, on_error)
        if reason is not None:
            start(reason)

    return start(None)
