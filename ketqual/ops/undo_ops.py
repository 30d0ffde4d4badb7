"""The inverse of each undoable operation, read from the typed payload of its :class:`Change`.

The GUI's undo stack keeps the last change of each command. To undo it runs
``inverse(change)`` (through the operation runner), which returns a new change; to redo,
the inverse of that. So undo/redo is just more operations: each is committed, and nothing
is kept in memory that the project file does not also hold.
"""

from __future__ import annotations

from collections.abc import Callable

from ketqual.ops.changes import Change
from ketqual.ops.codebook import codebook_ops as cbo
from ketqual.ops.coding import coding_ops as co
from ketqual.ops.errors import OperationError
from ketqual.store.database import ProjectStore

#: An operation waiting for the project to run on.
Operation = Callable[[ProjectStore], Change]


def inverse(change: Change, *, actor: str | None = None) -> Operation:
    """An operation that reverses ``change`` (call it with the project).

    Raises:
        OperationError: the change has no inverse (it cannot be undone).
    """
    operation = undo_of(change, actor=actor)
    if operation is None:
        raise OperationError(f"'{change.summary}' cannot be undone")
    return operation


def undo_of(change: Change, *, actor: str | None = None) -> Operation | None:
    """Like :func:`inverse`, but ``None`` for a change that cannot be undone."""
    match change.payload:
        case co.CodingsAdded(records):
            ids = [c.id for c in records]
            return lambda p: co.remove_codings(p, ids)
        case co.CodingsRemoved(records):
            return lambda p: co.restore_codings(p, records)
        case co.CodingsRecoded(previous, _new):
            return lambda p: co.recode_codings(p, dict(previous))
        case co.MemoWritten(coding_id, previous, _memo):
            return lambda p: co.set_memo(p, coding_id, previous)
        case co.DoneMarked(document_id, coder_id, previous, _done):
            return lambda p: co.set_done(p, document_id, coder_id, previous)
        case cbo.CodeAdded(code_id):
            return lambda p: cbo.delete_code(p, code_id, confirm=True, actor=actor)
        case cbo.CodeDeleted(codes, codings):
            return lambda p: cbo.restore_codes(p, codes, codings, actor=actor)
        case cbo.CodeRenamed(code_id, old, _new):
            return lambda p: cbo.rename_code(p, code_id, old, actor=actor)
        case cbo.CodeRecoloured(code_id, old, _new):
            return lambda p: cbo.recolour_code(p, code_id, old, actor=actor)
        case cbo.CodeEdited(code_id, old, _new):
            fields = dict(old)
            shortcut = fields.pop("shortcut", False)
            return lambda p: cbo.update_code(p, code_id, shortcut=shortcut, actor=actor, **fields)
        case cbo.CodeRetired(code_id, retired):
            return lambda p: cbo.retire_code(p, code_id, retired=not retired, actor=actor)
        case cbo.CodeMoved() as moved:
            return lambda p: _move_back(p, moved, actor)
        case cbo.CodesMerged(source, target_id, moved_ids, children):
            return lambda p: cbo.unmerge_codes(
                p, source, target_id, moved_ids, children, actor=actor
            )
        case cbo.CodesUnmerged(source_id, target_id):
            return lambda p: cbo.merge_codes(p, source_id, target_id, actor=actor)
    return None


def _move_back(project: ProjectStore, moved: cbo.CodeMoved, actor: str | None) -> Change:
    change = cbo.move_code(
        project,
        moved.code_id,
        parent_id=moved.old_parent_id,
        position=moved.old_position,
        actor=actor,
    )
    if moved.old_shortcut:
        cbo.update_code(project, moved.code_id, shortcut=moved.old_shortcut, actor=actor)
    return change
