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
    # Each case binds the payload whole, so its fields keep their own types.
    match change.payload:
        case co.CodingsAdded() as added:
            ids = [c.id for c in added.records]
            return lambda p: co.remove_codings(p, ids)
        case co.CodingsRemoved() as removed:
            return lambda p: co.restore_codings(p, removed.records)
        case co.CodingsRecoded() as recoded:
            return lambda p: co.recode_codings(p, dict(recoded.previous))
        case co.MemoWritten() as memo:
            return lambda p: co.set_memo(p, memo.coding_id, memo.previous)
        case co.DoneMarked() as mark:
            return lambda p: co.set_done(p, mark.document_id, mark.coder_id, mark.previous)
        case cbo.CodeAdded() as new_code:
            return lambda p: cbo.delete_code(p, new_code.code_id, confirm=True, actor=actor)
        case cbo.CodeDeleted() as gone:
            return lambda p: cbo.restore_codes(p, gone.codes, gone.codings, actor=actor)
        case cbo.CodeRenamed() as renamed:
            return lambda p: cbo.rename_code(p, renamed.code_id, renamed.old, actor=actor)
        case cbo.CodeRecoloured() as recoloured:
            return lambda p: cbo.recolour_code(p, recoloured.code_id, recoloured.old, actor=actor)
        case cbo.CodeEdited() as edited:
            fields = dict(edited.old)
            shortcut = fields.pop("shortcut", False)
            code_id = edited.code_id
            return lambda p: cbo.update_code(p, code_id, shortcut=shortcut, actor=actor, **fields)
        case cbo.CodeRetired() as retired:
            return lambda p: cbo.retire_code(
                p, retired.code_id, retired=not retired.retired, actor=actor
            )
        case cbo.CodeMoved() as moved:
            return lambda p: _move_back(p, moved, actor)
        case cbo.CodesMerged() as merged:
            return lambda p: cbo.unmerge_codes(
                p, merged.source, merged.target_id, merged.moved_ids, merged.children, actor=actor
            )
        case cbo.CodesUnmerged() as unmerged:
            return lambda p: cbo.merge_codes(p, unmerged.source_id, unmerged.target_id, actor=actor)
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
