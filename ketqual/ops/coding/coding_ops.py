"""Coding operations: apply, remove, recode, memo, restore, and marking documents done.

Each call is one committed transaction, so what the screen shows as done is on disk
(autosave). Every operation reports enough in its :class:`Change` to be undone by another
operation: ``add_codings`` returns the new records, ``remove_codings`` the removed ones
(``restore_codings`` puts them back with the same ids and uids), ``recode_codings`` and
``set_memo`` the previous values. The GUI's undo stack is built on exactly that.

Single codings are not written to the audit log (their rows carry created/updated
times, and the log would otherwise show coders each other's work while blinded); bulk
actions such as "code all hits" and CSV imports are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ketqual.core.records import CodeRecord, CoderRecord, CodingRecord
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx


@dataclass(frozen=True)
class CodingsAdded:
    """Payload of :func:`add_codings` and :func:`restore_codings`: the stored records."""

    records: tuple[CodingRecord, ...]


@dataclass(frozen=True)
class CodingsRemoved:
    """Payload of :func:`remove_codings`: the removed records, as they were."""

    records: tuple[CodingRecord, ...]


@dataclass(frozen=True)
class CodingsRecoded:
    """Payload of :func:`recode_codings`: ``{coding id: code id}`` before and after."""

    previous: dict[int, int]
    new: dict[int, int]


@dataclass(frozen=True)
class MemoWritten:
    """Payload of :func:`set_memo`."""

    coding_id: int
    previous: str
    memo: str


@dataclass(frozen=True)
class DoneMarked:
    """Payload of :func:`set_done`: a document's done mark for one coder."""

    document_id: int
    coder_id: int
    previous: bool
    done: bool


@dataclass(frozen=True)
class NewCoding:
    """A coding to apply: a code on [start, end) of a document (code-point offsets)."""

    document_id: int
    code_id: int
    start: int
    end: int
    memo: str = ""


def _coder(tx: Tx, coder_id: int | None) -> CoderRecord | None:
    if coder_id is None:
        return None
    for coder in tx.coders.list():
        if coder.id == coder_id:
            return coder
    raise OperationError(f"there is no coder with id {coder_id}")


def _codes(tx: Tx) -> dict[int, CodeRecord]:
    return {c.id: c for c in tx.codes.list()}


def _check_code(codes: dict[int, CodeRecord], code_id: int) -> CodeRecord:
    code = codes.get(code_id)
    if code is None:
        raise OperationError(f"there is no code with id {code_id}")
    if not code.active:
        raise OperationError(f"'{code.name}' is retired; restore it before coding with it")
    return code


def _lengths(tx: Tx, document_ids: set[int]) -> dict[int, int]:
    lengths = {}
    for document_id in document_ids:
        record = tx.documents.get(document_id)
        if record is None:
            raise OperationError(f"there is no document with id {document_id}")
        lengths[document_id] = record.char_count
    return lengths


def add_codings(
    project: ProjectStore,
    coder_id: int | None,
    codings: Sequence[NewCoding],
    *,
    actor: str | None = None,
    audit_summary: str | None = None,
) -> Change:
    """Apply codes to spans in one coder's layer (``None`` = the consensus layer).

    Exact duplicates (same document, code, layer and span) are skipped, not doubled.
    ``audit_summary`` writes one audit entry for a bulk action such as "code all hits".
    """
    if not codings:
        raise OperationError("nothing to code")
    with project.transaction() as tx:
        coder = _coder(tx, coder_id)
        codes = _codes(tx)
        lengths = _lengths(tx, {c.document_id for c in codings})
        rows, seen, skipped = [], set(), 0
        for c in codings:
            _check_code(codes, c.code_id)
            if not 0 <= c.start < c.end <= lengths[c.document_id]:
                raise OperationError(
                    f"span {c.start}-{c.end} is outside document {c.document_id} "
                    f"({lengths[c.document_id]} characters) or empty"
                )
            key = (c.document_id, c.code_id, c.start, c.end)
            if key in seen or tx.codings.exists(c.document_id, c.code_id, coder_id, c.start, c.end):
                skipped += 1
                continue
            seen.add(key)
            rows.append({**_fields(c), "coder_id": coder_id})
        added = tx.codings.add_many(rows)
        layer = coder.name if coder else "consensus"
        summary = _count(len(added), "coding") + f" added for {layer}"
        if skipped:
            summary += f" ({skipped} already there)"
        if audit_summary:
            tx.audit.record(
                actor or default_actor(), "coding.bulk_add", f"{audit_summary}: {summary}", {}
            )
    return _touched(
        "coding.add", summary, added, CodingsAdded(tuple(added)), added=added, skipped=skipped
    )


def _fields(c: NewCoding) -> dict:
    return {
        "document_id": c.document_id,
        "code_id": c.code_id,
        "start": c.start,
        "end": c.end,
        "memo": c.memo.strip(),
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _touched(
    action: str, summary: str, records: Sequence[CodingRecord], payload: object, **details
) -> Change:
    """A change to codings naming the documents and codes of ``records``."""
    return Change(
        action,
        summary,
        areas=_areas(records),
        documents=tuple(sorted({c.document_id for c in records})),
        codes=tuple(sorted({c.code_id for c in records})),
        details=details,
        payload=payload,
    )


def _areas(records: Sequence[CodingRecord]) -> frozenset[Area]:
    """Codings; the consensus too when any record is in the consensus layer."""
    if any(c.coder_id is None for c in records):
        return frozenset({Area.CODINGS, Area.CONSENSUS})
    return frozenset({Area.CODINGS})


ANY_LAYER = object()
"""Default ``owner``: change codings whatever layer they are in (undo, scripts)."""


def _check_owner(codings: Sequence[CodingRecord], owner) -> None:
    """Refuse when any of ``codings`` is outside the ``owner`` coder's layer.

    On a shared server several coders' apps write to one database, so the operation, not
    only the window, keeps a coder's hands off someone else's layer.
    """
    if owner is ANY_LAYER:
        return
    if any(c.coder_id != owner for c in codings):
        raise OperationError(
            "some of those codings belong to another layer; you can only change your own"
        )


def remove_codings(
    project: ProjectStore, coding_ids: Sequence[int], *, owner: int | None | object = ANY_LAYER
) -> Change:
    """Delete codings; the change carries the removed records so they can be restored.

    ``owner`` (a coder id, or ``None`` for the consensus layer) refuses codings of any
    other layer.
    """
    with project.transaction() as tx:
        removed = tx.codings.get_many(coding_ids)
        if not removed:
            raise OperationError("those codings no longer exist")
        _check_owner(removed, owner)
        tx.codings.delete_many(c.id for c in removed)
    summary = f"Removed {_count(len(removed), 'coding')}"
    return _touched(
        "coding.remove", summary, removed, CodingsRemoved(tuple(removed)), removed=removed
    )


def restore_codings(project: ProjectStore, records: Sequence[CodingRecord]) -> Change:
    """Put removed codings back exactly as they were (same ids and uids)."""
    with project.transaction() as tx:
        present = {c.id for c in tx.codings.get_many(r.id for r in records)}
        restored = tx.codings.restore_many(r for r in records if r.id not in present)
    summary = f"Restored {_count(len(restored), 'coding')}"
    return _touched(
        "coding.restore", summary, restored, CodingsAdded(tuple(restored)), added=restored
    )


def recode_codings(
    project: ProjectStore, new_codes: dict[int, int], *, owner: int | None | object = ANY_LAYER
) -> Change:
    """Give codings other codes (``{coding id: new code id}``); keeps spans and memos.

    ``owner`` refuses codings outside that coder's layer (see :func:`remove_codings`).
    """
    with project.transaction() as tx:
        codes = _codes(tx)
        found = {c.id: c for c in tx.codings.get_many(new_codes)}
        if not found:
            raise OperationError("those codings no longer exist")
        _check_owner(list(found.values()), owner)
        previous = {}
        for coding_id, code_id in new_codes.items():
            if coding_id not in found:
                continue
            _check_code(codes, code_id)
            previous[coding_id] = found[coding_id].code_id
            tx.codings.update(coding_id, code_id=code_id)
    names = sorted({codes[c].name for c in new_codes.values()})
    new = {k: new_codes[k] for k in previous}
    return Change(
        "coding.recode",
        f"Changed {_count(len(previous), 'coding')} to {', '.join(names)}",
        areas=_areas(list(found.values())),
        documents=tuple(sorted({c.document_id for c in found.values()})),
        codes=tuple(sorted(set(previous.values()) | set(new_codes.values()))),
        details={"previous": previous, "new": new},
        payload=CodingsRecoded(dict(previous), new),
    )


def set_memo(
    project: ProjectStore, coding_id: int, memo: str, *, owner: int | None | object = ANY_LAYER
) -> Change:
    """Write (or clear, with an empty text) the memo of one coding.

    ``owner`` refuses a coding outside that coder's layer (see :func:`remove_codings`).
    """
    with project.transaction() as tx:
        found = tx.codings.get_many([coding_id])
        if not found:
            raise OperationError("that coding no longer exists")
        coding = found[0]
        _check_owner([coding], owner)
        tx.codings.update(coding_id, memo=memo.strip())
    return Change(
        "coding.memo",
        "Memo cleared" if not memo.strip() else "Memo saved",
        areas=_areas([coding]),
        documents=(coding.document_id,),
        codes=(coding.code_id,),
        details={"previous": coding.memo, "coding_id": coding_id, "memo": memo.strip()},
        payload=MemoWritten(coding_id, coding.memo, memo.strip()),
    )


def document_codings(
    project: ProjectStore,
    document_id: int,
    *,
    viewer_id: int | None,
    layers: Sequence[int | None],
) -> list[CodingRecord]:
    """Codings of one document in the given layers, refusing others' layers while blinded."""
    with project.read() as tx:
        coder_ops.check_may_view(tx, _coder(tx, viewer_id), list(layers))
        found: list[CodingRecord] = []
        for layer in layers:
            found += tx.codings.list(
                document_id=document_id, coder_id=layer, consensus=layer is None
            )
        return found


def coding_counts(project: ProjectStore, coder_id: int) -> dict[int, int]:
    """One coder's codings per code id (what the codebook pane shows while blinded)."""
    with project.read() as tx:
        counts: dict[int, int] = {}
        for (_, code_id), n in tx.codings.counts(coder_id).items():
            counts[code_id] = counts.get(code_id, 0) + n
        return counts


def layer_counts(project: ProjectStore, layers: list[int | None]) -> dict[int, int]:
    """Codings per code id summed over these layers (``None`` is the consensus layer):
    what the codebook pane shows while layers are compared."""
    with project.read() as tx:
        counts: dict[int, int] = {}
        for layer in dict.fromkeys(layers):
            for (_, code_id), n in tx.codings.counts(layer, consensus=layer is None).items():
                counts[code_id] = counts.get(code_id, 0) + n
        return counts


def set_done(project: ProjectStore, document_id: int, coder_id: int, done: bool) -> Change:
    """Mark a document done (or not yet) for a coder; audited."""
    with project.transaction() as tx:
        coder = _coder(tx, coder_id)
        assert coder is not None  # a coder id was given
        document = tx.documents.get(document_id)
        if document is None:
            raise OperationError(f"there is no document with id {document_id}")
        previous = tx.status.set_done(document_id, coder_id, done)
        title = document.meta.title
        summary = f"{coder.name} marked '{title}' " + ("done" if done else "not done")
        tx.audit.record(coder.name, "document.done" if done else "document.undone", summary, {})
    return Change(
        "document.done",
        summary,
        areas={Area.CODINGS},
        documents=(document_id,),
        details={"previous": previous, "document_id": document_id, "coder_id": coder_id},
        payload=DoneMarked(document_id, coder_id, bool(previous), done),
    )


def progress(project: ProjectStore) -> dict[str, Any]:
    """Per-document progress: ``{"done": {(doc, coder)}, "counts": {(doc, coder): n}}``."""
    with project.read() as tx:
        return {"done": tx.status.done(), "counts": tx.codings.counts_by_coder()}
