"""One generic undo command over operations (the operations know their inverse).

Every step, the first run, each undo and each redo, goes through the window's
:class:`~ketqual.gui.runner.OperationRunner`: retried after a dropped server connection,
refused the one way, and announced on ``runner.changed`` like any other change.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from ketqual.gui.runner import OperationRunner
from ketqual.ops import undo_ops
from ketqual.ops.changes import Change
from ketqual.ops.undo_ops import Operation


class OperationCommand(QUndoCommand):
    """Runs an operation on first redo; undo and later redo run inverses of the last change.

    A refused step (say, undoing the addition of a code that has since been used) is shown
    by the runner and leaves the command where it was; the stack is told to forget it.

    Args:
        runner: The runner of the open project.
        operation: The first step, called with the project.
        text: What the Edit menu calls the step ("Code with Cost").
        parent: The window refusals are shown over.
        initiator: Who asked (handed on with ``runner.changed``).
    """

    def __init__(
        self,
        runner: OperationRunner,
        operation: Operation,
        text: str = "",
        *,
        parent: QWidget | None = None,
        initiator: object | None = None,
    ) -> None:
        super().__init__(text)
        self.runner = runner
        self._next: Operation = operation
        self._parent = parent
        self._initiator = initiator
        self.change: Change | None = None
        self.failed: str | None = None

    def _refused(self, message: str) -> None:
        self.failed = message
        self.setObsolete(True)  # QUndoStack drops an obsolete command
        self.runner.show_error(message, parent=self._parent)

    def _step(self) -> None:
        change = self.runner.run(
            self._next,
            parent=self._parent,
            what=self.text(),
            initiator=self._initiator,
            on_error=self._refused,
        )
        if change is None:
            return
        self.change = change
        if not self.text():
            self.setText(change.summary)
        undo = undo_ops.undo_of(change)
        if undo is None:
            self.setObsolete(True)  # done, but nothing to undo: keep it off the stack
        else:
            self._next = undo

    def redo(self) -> None:
        self._step()

    def undo(self) -> None:
        self._step()
