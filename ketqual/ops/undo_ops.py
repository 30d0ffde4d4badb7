"""The inverse of each undoable operation, read from the :class:`Change` it returned.

The GUI's undo stack keeps the last change of each command. To undo it calls
``inverse(project, change)()``, which returns a new change; to redo, the inverse of that.
So undo/redo is just more operations: each is committed, and nothing is kept in memory
that the project file does not also hold.
"""

from __future__ import annotations

from collections.abc import Callable

from ketqual.ops.changes import Change
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.errors import OperationError
from ketqual.store.database import ProjectStore

Operation = Callable[[], Change]


def inverse(project: ProjectStore, change: Change, *, actor: str | None = None) -> Operation:
    """An operation that reverses ``change``.

    Raises:
        OperationError: the change has no inverse (it cannot be undone).
    """
    d = change.details
    match change.action:
        case "coding.add" | "coding.restore":
            ids = [c.id for c in d["added"]]
            return lambda: coding_ops.remove_codings(project, ids)
        case "coding.remove":
            records = d["removed"]
            return lambda: coding_ops.restore_codings(project, records)
        case "coding.recode":
            previous = dict(d["previous"])
            return lambda: coding_ops.recode_codings(project, previous)
        case "coding.memo":
            coding_id, previous = d["coding_id"], d["previous"]
            return lambda: coding_ops.set_memo(project, coding_id, previous)
        case "document.done":
            document_id, coder_id, previous = d["document_id"], d["coder_id"], d["previous"]
            return lambda: coding_ops.set_done(project, document_id, coder_id, previous)
        case "code.add" | "code.undelete":
            code_id = d["code_id"]
            return lambda: codebook_ops.delete_code(project, code_id, confirm=True, actor=actor)
        case "code.delete":
            codes, codings = d["codes"], d["codings"]
            return lambda: codebook_ops.restore_codes(project, codes, codings, actor=actor)
        case "code.rename":
            code_id, old = d["code_id"], d["old"]
            return lambda: codebook_ops.rename_code(project, code_id, old, actor=actor)
        case "code.recolour":
            code_id, old = d["code_id"], d["old"]
            return lambda: codebook_ops.recolour_code(project, code_id, old, actor=actor)
        case "code.edit":
            code_id, old = d["code_id"], dict(d["old"])
            shortcut = old.pop("shortcut", False)
            return lambda: codebook_ops.update_code(
                project, code_id, shortcut=shortcut, actor=actor, **old
            )
        case "code.retire" | "code.restore":
            code_id, retired = d["code_id"], d["retired"]
            return lambda: codebook_ops.retire_code(
                project, code_id, retired=not retired, actor=actor
            )
        case "code.move":
            return lambda: _move_back(project, d, actor)
        case "code.merge":
            return lambda: codebook_ops.unmerge_codes(
                project, d["source"], d["target_id"], d["moved_ids"], d["children"], actor=actor
            )
        case "code.unmerge":
            source_id, target_id = d["source_id"], d["target_id"]
            return lambda: codebook_ops.merge_codes(project, source_id, target_id, actor=actor)
    raise OperationError(f"'{change.summary}' cannot be undone")


def _move_back(project: ProjectStore, d: dict, actor: str | None) -> Change:
    change = codebook_ops.move_code(
        project,
        d["code_id"],
        parent_id=d["old_parent_id"],
        position=d["old_position"],
        actor=actor,
    )
    if d.get("old_shortcut"):
        codebook_ops.update_code(project, d["code_id"], shortcut=d["old_shortcut"], actor=actor)
    return change
