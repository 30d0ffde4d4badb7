"""Deciding a disagreement: take A, take B, both, neither, a hand edit, or defer; and
undoing a decision with a new log entry.

Every function here is one transaction that changes the consensus layer and the item's
status and appends exactly one decision to the log, so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketqual.core import disagreements as dis
from ketqual.core.records import CodeRecord, CoderRecord, DecisionRecord, DisagreementRecord
from ketqual.ops.changes import Area, Change
from ketqual.ops.consensus.consensus_ops import (
    DEFAULT_REASON_REQUIRED,
    DEFER,
    DEFERRED,
    OPEN,
    RESOLUTION_LABELS,
    RESOLVED,
    UNDO,
    Edit,
    check_chair,
    consensus_row,
    disagreement_in,
    review_in,
)
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

REASON_MAX = 4000


@dataclass(frozen=True)
class Decided:
    """Payload of :func:`resolve`, :func:`defer` and :func:`undo_decision`: the item's new
    status and resolution (what the queue shows), and the decision logged."""

    disagreement_id: int
    decision_id: int
    status: str
    resolution: str | None


def clean_note(text: str, what: str) -> str:
    """A reason or dissent note, trimmed; refused when longer than :data:`REASON_MAX`."""
    text = (text or "").strip()
    if len(text) > REASON_MAX:
        raise OperationError(f"the {what} can be at most {REASON_MAX} characters")
    return text


def _code_names(tx: Tx) -> dict[int, CodeRecord]:
    return {c.id: c for c in tx.codes.list()}


def _describe(item: DisagreementRecord, codes: dict[int, CodeRecord]) -> str:
    names = ", ".join(codes[c].name if c in codes else f"#{c}" for c in item.code_ids)
    return f"{dis.KIND_LABELS[item.kind]} ({names})"


def _check_edits(
    tx: Tx, item: DisagreementRecord, edits: Sequence[Edit], codes: dict[int, CodeRecord]
) -> list[dis.ConsensusSpan]:
    document = tx.documents.get(item.document_id)
    length = document.char_count if document else 0
    spans = []
    for edit in edits:
        code = codes.get(edit.code_id)
        if code is None:
            raise OperationError(f"there is no code with id {edit.code_id}")
        if not code.active:
            raise OperationError(f"'{code.name}' is retired; restore it before coding with it")
        if not 0 <= edit.start < edit.end <= length:
            raise OperationError(
                f"a span must lie inside the document (0-{length}), not {edit.start}-{edit.end}"
            )
        spans.append(
            dis.ConsensusSpan(item.document_id, edit.code_id, edit.start, edit.end, edit.memo)
        )
    return spans


def resolve(
    project: ProjectStore,
    disagreement_id: int,
    resolution: str,
    *,
    supervisor: str | int,
    reason: str = "",
    dissent: str = "",
    edits: Sequence[Edit] = (),
) -> Change:
    """Decide one disagreement and write the outcome into the consensus layer.

    Args:
        project: The open project.
        disagreement_id: The queue item.
        resolution: ``take_a``, ``take_b``, ``both``, ``neither`` or ``edit``.
        supervisor: Name or id of the supervisor deciding.
        reason: Why (required for the resolutions the review lists; by default for
            both, neither and edit).
        dissent: A coder's or the supervisor's dissent, kept with the decision.
        edits: For ``edit``: the consensus codings to set (code and span).

    Returns:
        A change naming the document, with ``decision_id`` and the added coding ids.
    """
    if resolution not in dis.RESOLUTIONS:
        raise OperationError(f"resolution must be one of {', '.join(dis.RESOLUTIONS)}")
    reason, dissent = clean_note(reason, "reason"), clean_note(dissent, "dissent note")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        chair = check_chair(tx, supervisor)
        item = disagreement_in(tx, disagreement_id)
        review = review_in(tx, item.review_id)
        if item.status == RESOLVED:
            raise OperationError(
                f"disagreement {item.id} is already resolved; undo that decision first"
            )
        if item.status not in (OPEN, DEFERRED):
            raise OperationError(
                f"disagreement {item.id} no longer differs (the layers changed); refresh the queue"
            )
        required = review.options.get("reason_required", list(DEFAULT_REASON_REQUIRED))
        if resolution in required and not reason:
            label = RESOLUTION_LABELS[resolution].lower()
            raise OperationError(f"give a reason for '{label}'; it goes into the decision log")
        codes = _code_names(tx)
        if resolution == dis.EDIT:
            if not edits:
                raise OperationError("an edit needs at least one code and span")
            spans = _check_edits(tx, item, edits, codes)
        elif edits:
            raise OperationError("spans can only be given with the 'edit' resolution")
        else:
            spans = dis.resolution_spans(item, resolution)
        added = _add_consensus(tx, spans)
        tx.disagreements.set_status([item.id], RESOLVED, resolution)
        document = tx.documents.get(item.document_id)
        decision = tx.decisions.add(
            chair.name,
            resolution,
            review_id=review.id,
            disagreement_id=item.id,
            document_uid=document.uid if document else None,
            start=item.start,
            end=item.end,
            reason=reason,
            dissent=dissent,
            details={
                "kind": item.kind,
                "codes": [codes[c].name for c in item.code_ids if c in codes],
                "document": document.meta.title if document else "",
                "added": [_added(c, codes) for c in added],
            },
        )
    summary = f"{RESOLUTION_LABELS[resolution]}: {_describe(item, codes)}"
    return Change(
        "consensus.resolve",
        summary,
        areas={Area.CONSENSUS, Area.CODINGS} if added else {Area.CONSENSUS},
        documents=(item.document_id,),
        details={"decision_id": decision.id, "added_ids": [c.id for c in added]},
        payload=Decided(item.id, decision.id, RESOLVED, resolution),
    )


def _added(coding, codes: dict[int, CodeRecord]) -> dict:
    code = codes.get(coding.code_id)
    return {
        "uid": coding.uid,
        "code": code.name if code else str(coding.code_id),
        "code_uid": code.uid if code else None,
        "start": coding.start,
        "end": coding.end,
    }


def _add_consensus(tx: Tx, spans: Sequence[dis.ConsensusSpan]):
    """Add consensus codings, skipping any already there with the same code and span."""
    fresh = [
        s for s in spans if not tx.codings.exists(s.document_id, s.code_id, None, s.start, s.end)
    ]
    return tx.codings.add_many([consensus_row(s) for s in fresh])


def defer(
    project: ProjectStore, disagreement_id: int, *, supervisor: str | int, reason: str = ""
) -> Change:
    """Put a disagreement aside for later (it stays in the queue as deferred)."""
    reason = clean_note(reason, "reason")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        chair = check_chair(tx, supervisor)
        item = disagreement_in(tx, disagreement_id)
        if item.status != OPEN:
            raise OperationError(
                f"only an open disagreement can be deferred (this one is {item.status})"
            )
        required = review_in(tx, item.review_id).options.get("reason_required", [])
        if DEFER in required and not reason:
            raise OperationError("give a reason for deferring; it goes into the decision log")
        tx.disagreements.set_status([item.id], DEFERRED)
        document = tx.documents.get(item.document_id)
        decision = tx.decisions.add(
            chair.name,
            DEFER,
            review_id=item.review_id,
            disagreement_id=item.id,
            document_uid=document.uid if document else None,
            start=item.start,
            end=item.end,
            reason=reason,
            details={"kind": item.kind},
        )
    return Change(
        "consensus.defer",
        f"Deferred disagreement {item.id}",
        areas={Area.CONSENSUS},
        documents=(item.document_id,),
        details={"decision_id": decision.id},
        payload=Decided(item.id, decision.id, DEFERRED, None),
    )


def _last_decision(tx: Tx, item: DisagreementRecord) -> DecisionRecord | None:
    """The newest decision on an item that is still in force (not undone)."""
    history = tx.decisions.list(disagreement_id=item.id)
    undone = {d.undoes_id for d in history if d.action == UNDO}
    for decision in reversed(history):
        if decision.action != UNDO and decision.id not in undone:
            return decision
    return None


def undo_decision(
    project: ProjectStore, disagreement_id: int, *, supervisor: str | int, reason: str = ""
) -> Change:
    """Take back the decision in force on a disagreement, as a new log entry.

    The consensus codings that decision added are removed (those still there), and the
    item is open again. Nothing is erased from the log.
    """
    reason = clean_note(reason, "reason")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        chair = check_chair(tx, supervisor)
        item = disagreement_in(tx, disagreement_id)
        previous = _last_decision(tx, item)
        if previous is None or item.status not in (RESOLVED, DEFERRED):
            raise OperationError(f"disagreement {item.id} has no decision to undo")
        uids = {a["uid"] for a in previous.details.get("added", ())}
        present = [
            c
            for c in tx.codings.list(document_id=item.document_id, consensus=True)
            if c.uid in uids
        ]
        tx.codings.delete_many(c.id for c in present)
        tx.disagreements.set_status([item.id], OPEN)
        decision = tx.decisions.add(
            chair.name,
            UNDO,
            review_id=item.review_id,
            disagreement_id=item.id,
            document_uid=previous.document_uid,
            start=item.start,
            end=item.end,
            reason=reason,
            undoes_id=previous.id,
            details={"undoes": previous.action, "removed": sorted(c.uid for c in present)},
        )
    label = RESOLUTION_LABELS.get(previous.action, previous.action)
    return Change(
        "consensus.undo",
        f"Undid '{label}' on disagreement {item.id}",
        areas={Area.CONSENSUS, Area.CODINGS} if present else {Area.CONSENSUS},
        documents=(item.document_id,),
        details={"decision_id": decision.id, "removed_ids": [c.id for c in present]},
        payload=Decided(item.id, decision.id, OPEN, None),
    )


def chair(project: ProjectStore, who: str | int) -> CoderRecord:
    """The supervisor ``who`` if they may make consensus decisions now (else refused)."""
    with project.read() as tx:
        return check_chair(tx, who)
