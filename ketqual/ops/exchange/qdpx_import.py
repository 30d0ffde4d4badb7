"""Importing a REFI-QDA project into a new KetQual project, in two steps so that a person
sees what will be lost before anything is stored:

1. :func:`~ketqual.ops.exchange.qdpx_plan.read_qdpx` reads the file (no database) into an
   :class:`~ketqual.ops.exchange.qdpx_plan.ImportPlan` with its summary;
2. :func:`store_plan` writes the plan into a new project in one transaction (a project file
   is built under a temporary name and renamed when complete), and records the summary,
   data-loss list included, in the audit log.

:func:`import_qdpx` does both, asking ``confirm(summary)`` in between when data would be lost.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ketqual.core import codebook as cb
from ketqual.core import positions
from ketqual.core.collection import collection_paused
from ketqual.core.exchange import ImportSummary, plural
from ketqual.io.formats import refi_qda as qda
from ketqual.ops import project_ops
from ketqual.ops.changes import default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.exchange.qdpx_plan import (
    CONSENSUS,
    POSITION_CHOICES,
    ImportPlan,
    read_qdpx,
)
from ketqual.store import lifecycle

__all__ = [
    "POSITION_CHOICES",
    "ImportPlan",
    "ImportResult",
    "import_qdpx",
    "read_qdpx",
    "store_plan",
]

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import stored, and where."""

    location: str
    documents: int
    codes: int
    coders: int
    codings: int
    memos: int
    cases: int
    summary: ImportSummary

    def line(self) -> str:
        """One line for the user."""
        return (
            f"Created {self.location}: {plural(self.documents, 'document')}, "
            f"{plural(self.codes, 'code')}, {plural(self.codings, 'coding')} by "
            f"{plural(self.coders, 'coder')}, {plural(self.memos, 'memo')}, "
            f"{plural(self.cases, 'case')}"
        )


# ----- storing ----------------------------------------------------------------------------
def store_plan(plan: ImportPlan, target: str | Path, *, actor: str | None = None) -> ImportResult:
    """Create the project ``target`` holding the plan, in one step.

    A project file is built under a temporary name beside ``target`` and renamed when
    complete, so a failure leaves nothing behind. ``target`` must be a new file (a server
    project is made from it afterwards with ``ketqual copy``).

    Raises:
        OperationError: ``target`` exists or is a server URL, or it cannot be written.
    """
    actor = actor or default_actor()
    if lifecycle.is_url(target):
        raise OperationError(
            "import into a project file; move it to a server afterwards with 'ketqual copy'"
        )
    target = Path(target)
    if target.suffix != lifecycle.PROJECT_SUFFIX:
        target = Path(str(target) + lifecycle.PROJECT_SUFFIX)
    if target.exists():
        raise OperationError(f"{target.name} exists already; import into a new project file")
    building = target.with_name(f".{target.stem}-importing{lifecycle.PROJECT_SUFFIX}")

    def remove_building() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)

    remove_building()
    project = project_ops.new_project(building, name=plan.project_name, codebook=None, actor=actor)
    try:
        result = _store(project, plan, actor)
    except BaseException:
        project.close()
        remove_building()
        raise
    project.close()
    try:
        os.replace(building, target)
    except OSError as exc:
        remove_building()
        raise OperationError(f"cannot write {target}: {exc.strerror or exc}") from None
    location = str(target)
    return ImportResult(location, *result, plan.summary)


def _store(project, plan: ImportPlan, actor: str) -> tuple[int, int, int, int, int, int]:
    with collection_paused(), project.transaction() as tx:
        coder_id: dict[str | None, int | None] = {CONSENSUS: None}
        for coder in plan.coders:
            coder_id[coder.key] = tx.coders.add(
                coder.name, coder.role, coder.colour, uid=coder.uid
            ).id
        code_id: dict[str, int] = {}
        for code in plan.codes:
            record = tx.codes.add(
                parent_id=code_id[code.parent] if code.parent else None,
                name=code.name,
                colour=code.colour,
                uid=code.uid,
                definition=code.definition,
                include=code.include,
                exclude=code.exclude,
                example=code.example,
                shortcut=code.shortcut,
                active=code.active,
            )
            code_id[code.key] = record.id
        case_id: dict[str, int] = {}
        for case in plan.cases:
            case_id[case.key] = tx.cases.add(
                case.name,
                session_no=case.session,
                group=case.group,
                attributes=case.attributes,
                uid=case.uid,
            ).id
        ids = tx.documents.add_many(
            [
                (d.draft, d.units, case_id.get(d.case) if d.case is not None else None, d.uid)
                for d in plan.documents
            ]
        )
        document_id = {d.key: i for d, i in zip(plan.documents, ids, strict=True)}
        rows = []
        for coding in plan.codings:
            row = {
                "document_id": document_id[coding.document],
                "code_id": code_id[coding.code],
                "coder_id": coder_id[coding.coder],
                "start": coding.start,
                "end": coding.end,
                "memo": coding.memo,
            }
            if coding.uid:
                row["uid"] = coding.uid
            rows.append(row)
        tx.codings.insert_many(rows)
        targets: dict[str, Mapping[str, int | None]] = {
            "document": document_id,
            "code": code_id,
            "case": case_id,
            "suggestion": code_id,
        }
        if any(m.target_type == "coding" for m in plan.memos):  # rare: memos on one coding
            by_uid = {c.uid: c.id for c in tx.codings.list()}
            targets["coding"] = {
                m.target: by_uid.get(qda.uid_from_guid(m.target) or "")
                for m in plan.memos
                if m.target_type == "coding" and m.target
            }
        memos = []
        for memo in plan.memos:
            target_id = targets.get(memo.target_type, {}).get(memo.target) if memo.target else None
            row = {
                "coder_id": coder_id.get(memo.coder),
                "target_type": memo.target_type,
                "target_id": target_id,
                "text": memo.text,
            }
            if memo.uid:
                row["uid"] = memo.uid
            memos.append(row)
        tx.memos.add_many(memos)
        name = tx.project.describe()["name"]
        snapshot = cb.dumps(cb.from_records(tx.codes.list(), name))
        reason = f"Codebook imported from {plan.file.name}"
        tx.codebook_versions.add(actor, reason, snapshot)
        tx.project.set_setting(
            "imported_from", {"file": plan.file.name, "origin": plan.summary.origin}
        )
        lines = plan.summary.lines()
        tx.audit.record(
            actor,
            "exchange.import",
            f"Imported {plan.file.name} ({plural(len(plan.documents), 'document')}, "
            f"{plural(len(plan.codings), 'coding')})"
            + ("; data KetQual cannot hold was left out" if plan.summary.lost else ""),
            {
                "file": plan.file.name,
                "origin": plan.summary.origin,
                "positions": plan.convention,
                "lost": plan.summary.lost,
                "notes": plan.summary.notes,
                "summary": lines,
                "counts": plan.summary.counts,
            },
        )
    return (
        len(plan.documents),
        len(plan.codes),
        len(plan.coders),
        len(plan.codings),
        len(plan.memos) + sum(1 for c in plan.codings if c.memo),
        len(plan.cases),
    )


def import_qdpx(
    path: str | Path,
    target: str | Path,
    *,
    positions_unit: str = positions.AUTO,
    confirm: Callable[[ImportSummary], bool] | None = None,
    actor: str | None = None,
    progress: Progress | None = None,
) -> ImportResult | None:
    """Read a REFI-QDA project and store it as the new project ``target``.

    When the file holds things KetQual cannot hold, ``confirm(summary)`` is asked first
    (``None`` means go ahead); a False answer stores nothing and returns ``None``.
    """
    plan = read_qdpx(path, positions_unit=positions_unit, progress=progress)
    if plan.summary.loses_data and confirm is not None and not confirm(plan.summary):
        return None
    return store_plan(plan, target, actor=actor)
