"""One generic undo command over operations (the operations know their inverse)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ketqual.ops import undo_ops
from ketqual.ops.changes import Change
from ketqual.ops.errors import OperationError
from ketqual.ops.team import server_ops


class OperationCommand(QUndoCommand):
    """Runs an operation on first redo; undo and later redo run inverses of the last change.

    ``on_change`` receives every change (so views refresh) and ``on_error`` any refusal
    (say, undoing the addition of a code that has since been used); a refused step leaves
    the command where it was, and the stack is told to forget it.
    """

    def __init__(
        self,
        project,
        operation: Callable[[], Change],
        on_change: Callable[[Change], None],
        on_error: Callable[[str], None],
        text: str = "",
    ) -> None:
        super().__init__(text)
        self.project = project
        self._next: Callable[[], Change] = operation
        self._on_change = on_change
        self._on_error = on_error
        self.change: Change | None = None
        self.failed: str | None = None

    def _step(self) -> None:
        try:
            # On a server, a dropped connection is retried when nothing was saved.
            change = server_ops.run(self.project, self.text(), self._next)
        except OperationError as exc:
            self.failed = str(exc)
            self.setObsolete(True)  # QUndoStack drops an obsolete command
            self._on_error(str(exc))
            return
        self.change = change
        if not self.text():
            self.setText(change.summary)
        try:
            self._next = undo_ops.inverse(self.project, change)
        except OperationError:
            self.setObsolete(True)  # done, but nothing to undo: keep it off the stack
        self._on_change(change)

    def redo(self) -> None:
        self._step()

    def undo(self) -> None:
        self._step()
