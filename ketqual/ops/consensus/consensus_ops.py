"""The consensus meeting: a review queue of disagreements, resolved by a supervisor.

A *review* compares coder A's and coder B's layers at a unit (sentence units by default,
or characters). Starting it computes every disagreement (:mod:`ketqual.core.disagreements`)
and stores them as a queue; agreements are accepted into the consensus layer straight away
(an option, on by default) so the meeting only sees differences. Refreshing the review
after coders or the codebook changed keeps every item already resolved or deferred (items
are matched by fingerprint), adds new ones and retires open ones that no longer differ.

Resolving an item writes to the consensus layer only; the coders' own layers are never
changed by the review. Every decision is appended to the decision log (``tx.decisions``),
which has no update or delete path: undoing a decision is a new entry that takes its
consensus codings out again and reopens the item.

Only a supervisor may start, refresh, resolve, defer or undo; anyone may read the queue
once the project is unblinded. The checks live here, not only in the GUI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ketqual.core import disagreements as dis
from ketqual.core.records import CoderRecord, DisagreementRecord, QueueItem, ReviewRecord
from ketqual.ops.changes import Area, Change
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops, package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repo_consensus import codings_to_json
from ketqual.store.repositories import Tx

OPEN, RESOLVED, DEFERRED, OBSOLETE = dis.OPEN, dis.RESOLVED, dis.DEFERRED, dis.OBSOLETE
STATUSES = dis.STATUSES
DEFER = "defer"
UNDO = "undo"
# Taking one coder's reading needs no reason unless the review asks for one; overriding
# both (both, neither, a hand edit) always asks, unless the review says otherwise.
DEFAULT_REASON_REQUIRED = (dis.BOTH, dis.NEITHER, dis.EDIT)
RESOLUTION_LABELS = {
    dis.TAKE_A: "Take A",
    dis.TAKE_B: "Take B",
    dis.BOTH: "Both",
    dis.NEITHER: "Neither",
    dis.EDIT: "Edited",
    DEFER: "Deferred",
    UNDO: "Undone",
}
BLINDED = "the project is blinded; a supervisor must unblind it before a consensus review"


@dataclass(frozen=True)
class ReviewState:
    """A review with its coders and how far the meeting has got."""

    review: ReviewRecord
    coder_a: CoderRecord
    coder_b: CoderRecord
    by_kind: dict[tuple[str, str], int]  # disagreements per (status, kind)

    @property
    def counts(self) -> dict[str, int]:
        """Disagreements per status."""
        counts: dict[str, int] = {}
        for (status, _kind), n in self.by_kind.items():
            counts[status] = counts.get(status, 0) + n
        return counts

    def kind_counts(self, statuses: Sequence[str] = (OPEN, DEFERRED, RESOLVED)) -> dict[str, int]:
        """How many items of each kind the queue has among ``statuses`` (what
        :func:`queue_kinds` reads, without another read)."""
        counts: dict[str, int] = {}
        for (status, kind), n in self.by_kind.items():
            if status in statuses:
                counts[kind] = counts.get(kind, 0) + n
        return counts

    @property
    def total(self) -> int:
        """Disagreements still to discuss or discussed (obsolete ones do not count)."""
        return sum(n for s, n in self.counts.items() if s != OBSOLETE)

    @property
    def resolved(self) -> int:
        """How many are resolved."""
        return self.counts.get(RESOLVED, 0)

    def progress_text(self) -> str:
        """``"37 of 112 resolved (4 deferred)"``."""
        text = f"{self.resolved} of {self.total} resolved"
        if self.counts.get(DEFERRED):
            text += f" ({self.counts[DEFERRED]} deferred)"
        return text


@dataclass(frozen=True)
class ReviewSynced:
    """Payload of :func:`start_review` and :func:`refresh_review`."""

    review_id: int
    added: int
    obsolete: int
    accepted: int


@dataclass(frozen=True)
class Edit:
    """A consensus coding the supervisor sets by hand (resolution ``edit``)."""

    code_id: int
    start: int
    end: int
    memo: str = ""


def check_chair(tx: Tx, who: str | int) -> CoderRecord:
    """The supervisor ``who``, if they may make consensus decisions now.

    Raises:
        OperationError: ``who`` is a coder or unknown, or the project is blinded.
    """
    coder = coder_ops.coder_in(tx, who)
    if coder.role != "supervisor":
        raise OperationError(
            f"only a supervisor can make consensus decisions ('{coder.name}' is a coder)"
        )
    if not coder_ops.blinding_in(tx).unblinded:
        raise OperationError(BLINDED)
    return coder


def check_reader(tx: Tx, who: str | int | None) -> None:
    """Refuse reading the review while blinded (or for an unknown ``who``)."""
    if not coder_ops.blinding_in(tx).unblinded:
        raise OperationError(BLINDED)
    if who is not None:
        coder_ops.coder_in(tx, who)


def review_in(tx: Tx, review_id: int) -> ReviewRecord:
    """A review by id, refused when there is none."""
    review = tx.reviews.get(review_id)
    if review is None:
        raise OperationError(f"there is no review with id {review_id}")
    return review


def check_review(tx: Tx, review_id: int) -> None:
    """Refuse a review id that names no review (cheaper than :func:`review_in` when the
    review itself is not needed: its options are not read)."""
    if not tx.reviews.exists(review_id):
        raise OperationError(f"there is no review with id {review_id}")


def _state(tx: Tx, review: ReviewRecord) -> ReviewState:
    coder_a = coder_ops.coder_in(tx, review.coder_a_id)
    coder_b = coder_ops.coder_in(tx, review.coder_b_id)
    return ReviewState(review, coder_a, coder_b, tx.disagreements.status_kind_counts(review.id))


# --- Starting and refreshing a review ----------------------------------------------------


def start_review(
    project: ProjectStore,
    *,
    supervisor: str | int,
    coder_a: str | int,
    coder_b: str | int,
    unit: str = "sentence",
    auto_accept: bool = True,
    reason_required: Sequence[str] | None = None,
) -> Change:
    """Start (or refresh) the review of two coders' layers and build its queue.

    Args:
        project: The open project.
        supervisor: Name or id of the supervisor running the meeting.
        coder_a: Name or id of coder A.
        coder_b: Name or id of coder B.
        unit: ``"sentence"`` (sentence units) or ``"character"`` (exact spans).
        auto_accept: Put every agreement into the consensus layer straight away.
        reason_required: Resolutions that need a reason (default: both, neither, edit).

    Returns:
        A change whose details hold ``review_id``, ``added``, ``obsolete`` and ``accepted``.
    """
    if unit not in dis.UNITS:
        raise OperationError(f"unit must be one of {', '.join(dis.UNITS)}, not '{unit}'")
    required = list(DEFAULT_REASON_REQUIRED if reason_required is None else reason_required)
    unknown = set(required) - set(dis.RESOLUTIONS) - {DEFER}
    if unknown:
        raise OperationError(f"unknown resolutions: {', '.join(sorted(unknown))}")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        chair = check_chair(tx, supervisor)
        a, b = coder_ops.coder_in(tx, coder_a), coder_ops.coder_in(tx, coder_b)
        if a.id == b.id:
            raise OperationError("choose two different coders to compare")
        review = tx.reviews.find(a.id, b.id, unit)
        if review is None:
            options = {"auto_accept": auto_accept, "reason_required": required}
            review = tx.reviews.add(a.id, b.id, unit, options, chair.name)
        return _sync(tx, review, chair)


def refresh_review(project: ProjectStore, review_id: int, *, supervisor: str | int) -> Change:
    """Recompute a review's queue after coders or the codebook changed."""
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        chair = check_chair(tx, supervisor)
        return _sync(tx, review_in(tx, review_id), chair)


def _sync(tx: Tx, review: ReviewRecord, chair: CoderRecord) -> Change:
    """Bring the stored queue in line with the layers as they are now."""
    parents = {c.id: c.parent_id for c in tx.codes.list()}
    units = None
    if review.unit == "sentence":
        units = {
            document_id: [(u.start, u.end) for u in segments]
            for document_id, segments in tx.documents.units_for_all("sentence").items()
        }
    order = [d.id for d in tx.documents.list()]
    comparison = dis.compare_layers(
        tx.codings.list(coder_id=review.coder_a_id),
        tx.codings.list(coder_id=review.coder_b_id),
        parents=parents,
        units=units,
        document_order=order,
    )
    known = tx.disagreements.fingerprints(review.id)
    seen: set[str] = set()
    new_rows: list[dict] = []
    orders: dict[int, int] = {}
    reopened: list[int] = []
    for position, item in enumerate(comparison.disagreements):
        fingerprint = item.fingerprint()
        seen.add(fingerprint)
        if fingerprint in known:
            row_id, status, old_position = known[fingerprint]
            if old_position != position:  # only moved items are written
                orders[row_id] = position
            if status == OBSOLETE:
                reopened.append(row_id)
            continue
        new_rows.append(
            {
                "document_id": item.document_id,
                "kind": item.kind,
                "start": item.start,
                "end": item.end,
                "codings_a": codings_to_json(item.codings_a),
                "codings_b": codings_to_json(item.codings_b),
                "fingerprint": fingerprint,
                "sort_order": position,
            }
        )
    gone = [i for fp, (i, s, _) in known.items() if fp not in seen and s in (OPEN, DEFERRED)]
    tx.disagreements.set_status(gone, OBSOLETE)
    tx.disagreements.set_status(reopened, OPEN)
    tx.disagreements.set_order(orders)
    added = tx.disagreements.add_many(review.id, new_rows)
    accepted = _accept_agreements(tx, review, comparison.agreements, chair)
    state = _state(tx, review)
    summary = (
        f"Review of {state.coder_a.name} and {state.coder_b.name} ({review.unit} units): "
        f"{added} new disagreements, {len(gone)} no longer differ, "
        f"{accepted} agreements accepted; {state.progress_text()}"
    )
    tx.audit.record(chair.name, "consensus.review", summary, {"review_uid": review.uid})
    details = {
        "review_id": review.id,
        "added": added,
        "obsolete": len(gone),
        "accepted": accepted,
    }
    areas = {Area.CONSENSUS, Area.CODINGS} if accepted else {Area.CONSENSUS}
    payload = ReviewSynced(review.id, added, len(gone), accepted)
    return Change("consensus.review", summary, areas=areas, details=details, payload=payload)


def _accept_agreements(
    tx: Tx, review: ReviewRecord, agreements: list[dis.Agreement], chair: CoderRecord
) -> int:
    """Write agreements not yet accepted into the consensus layer; one log entry for all.

    Accepted agreements are remembered by fingerprint in the review, so one the supervisor
    later took out of the consensus by hand is not put back by a refresh.
    """
    if not review.options.get("auto_accept", True) or not agreements:
        return 0
    done = set(tx.reviews.accepted(review.id))
    keyed = [(key, a) for a in agreements if (key := _agreement_key(a)) not in done]
    if not keyed:
        return 0  # a refresh with nothing new: no need to read the consensus layer
    existing = {(c.document_id, c.code_id, c.start, c.end) for c in tx.codings.list(consensus=True)}
    rows: list[dict] = []
    fresh: list[str] = []
    per_code: dict[int, int] = {}
    for key, agreement in keyed:
        fresh.append(key)
        per_code[agreement.code_id] = per_code.get(agreement.code_id, 0) + 1
        for span in dis.agreement_spans(agreement):
            spot = (span.document_id, span.code_id, span.start, span.end)
            if spot not in existing:
                existing.add(spot)
                rows.append(consensus_row(span))
    tx.codings.insert_many(rows)
    tx.reviews.set_accepted(review.id, done | set(fresh))
    names = {c.id: c.name for c in tx.codes.list()}
    tx.decisions.add(
        chair.name,
        "auto_accept",
        review_id=review.id,
        reason="both coders coded these passages alike",
        details={
            "agreements": len(fresh),
            "consensus_codings_added": len(rows),
            "per_code": {names.get(k, str(k)): n for k, n in sorted(per_code.items())},
        },
    )
    return len(fresh)


def _agreement_key(agreement: dis.Agreement) -> str:
    """A short stable key for an agreement (its codings' uids and spans)."""
    item = dis.Disagreement(
        agreement.document_id, "agreement", 0, 1, agreement.codings_a, agreement.codings_b
    )
    return item.fingerprint()[:20]


def consensus_row(span: dis.ConsensusSpan) -> dict:
    """The fields of a consensus-layer coding for ``tx.codings.add_many``."""
    return {
        "document_id": span.document_id,
        "code_id": span.code_id,
        "coder_id": None,
        "start": span.start,
        "end": span.end,
        "memo": span.memo,
    }


def unfinished_review_note(tx: Tx) -> str | None:
    """A sentence for outputs drawn from the consensus layer while a review is unfinished
    (open or deferred disagreements), or ``None`` when every review is finished."""
    total = waiting = 0
    for review in tx.reviews.list():
        counts = tx.disagreements.status_counts(review.id)
        total += sum(n for status, n in counts.items() if status != OBSOLETE)
        waiting += counts.get(OPEN, 0) + counts.get(DEFERRED, 0)
    if not waiting:
        return None
    return (
        f"Drawn from an unfinished consensus review: {waiting} of {total} disagreements are "
        "still open or deferred, so the consensus layer may still change."
    )


# --- Reading the queue -----------------------------------------------------------------


def reviews(project: ProjectStore, *, viewer: str | int | None = None) -> list[ReviewState]:
    """Every review with its progress (needs an unblinded project)."""
    with project.read() as tx:
        check_reader(tx, viewer)
        return [_state(tx, r) for r in tx.reviews.list()]


def review_state(
    project: ProjectStore, review_id: int, *, viewer: str | int | None = None
) -> ReviewState:
    """One review with its progress."""
    with project.read() as tx:
        check_reader(tx, viewer)
        return _state(tx, review_in(tx, review_id))


def find_review(
    project: ProjectStore,
    *,
    coder_a: str | None = None,
    coder_b: str | None = None,
    unit: str | None = None,
    viewer: str | int | None = None,
) -> ReviewState | None:
    """The newest review matching the coders and unit given (any when not given)."""
    states = reviews(project, viewer=viewer)
    for state in reversed(states):
        if coder_a and state.coder_a.name.casefold() != coder_a.strip().casefold():
            continue
        if coder_b and state.coder_b.name.casefold() != coder_b.strip().casefold():
            continue
        if unit and state.review.unit != unit:
            continue
        return state
    return None


def queue(
    project: ProjectStore,
    review_id: int,
    *,
    viewer: str | int | None = None,
    statuses: Sequence[str] = (OPEN, DEFERRED, RESOLVED),
) -> list[DisagreementRecord]:
    """A review's disagreements in queue order (obsolete ones left out by default)."""
    with project.read() as tx:
        check_reader(tx, viewer)
        check_review(tx, review_id)
        return tx.disagreements.list(review_id, statuses=list(statuses))


def queue_items(
    project: ProjectStore,
    review_id: int,
    *,
    viewer: str | int | None = None,
    statuses: Sequence[str] = (OPEN, DEFERRED, RESOLVED),
) -> list[QueueItem]:
    """Like :func:`queue`, but as :class:`QueueItem` whose codings are decoded only when
    looked at: what the review window loads, so a long queue opens quickly."""
    with project.read() as tx:
        check_reader(tx, viewer)
        check_review(tx, review_id)
        return tx.disagreements.items(review_id, statuses=list(statuses))


@dataclass(frozen=True)
class QueueFilter:
    """Which items of a review's queue to list; ``None`` fields mean "any"."""

    statuses: tuple[str, ...] = (OPEN, DEFERRED)
    kind: str | None = None
    theme_id: int | None = None  # the theme or any of its subthemes
    document_id: int | None = None
    case_id: int | None = None


def queue_slice(
    project: ProjectStore,
    review_id: int,
    queue_filter: QueueFilter = QueueFilter(),  # noqa: B008 - frozen, shared safely
    *,
    offset: int = 0,
    limit: int | None = None,
    viewer: str | int | None = None,
) -> tuple[list[QueueItem], int]:
    """One page of a review's queue as the window lists it, and how many items match.

    Status, kind, document and focus group are matched by the database, so a page of a
    20,000-item queue is read in milliseconds; a theme is matched on the items' codings,
    which means reading every item the other filters let through.
    """
    with project.read() as tx:
        check_reader(tx, viewer)
        check_review(tx, review_id)
        document_ids = None
        if queue_filter.document_id is not None:
            document_ids = [queue_filter.document_id]
        if queue_filter.case_id is not None:
            in_case = [d.id for d in tx.documents.list() if d.case_id == queue_filter.case_id]
            document_ids = [d for d in (document_ids or in_case) if d in in_case]
        wanted: dict[str, Any] = {
            "statuses": list(queue_filter.statuses),
            "kind": queue_filter.kind,
            "document_ids": document_ids,
        }
        if queue_filter.theme_id is None:
            total = tx.disagreements.count(review_id, **wanted)
            items = tx.disagreements.items(review_id, offset=offset, limit=limit, **wanted)
            return items, total
        theme = queue_filter.theme_id
        parents = {c.id: c.parent_id for c in tx.codes.list()}
        matching = [
            item
            for item in tx.disagreements.items(review_id, **wanted)
            if any(c == theme or parents.get(c) == theme for c in item.code_ids)
        ]
    end = None if limit is None else offset + limit
    return matching[offset:end], len(matching)


def queue_kinds(
    project: ProjectStore,
    review_id: int,
    *,
    statuses: Sequence[str] = (OPEN, DEFERRED, RESOLVED),
    viewer: str | int | None = None,
) -> dict[str, int]:
    """How many items of each kind a review's queue has (among ``statuses``)."""
    with project.read() as tx:
        check_reader(tx, viewer)
        check_review(tx, review_id)
        return tx.disagreements.kind_counts(review_id, statuses=list(statuses))


def disagreement(
    project: ProjectStore, disagreement_id: int, *, viewer: str | int | None = None
) -> DisagreementRecord:
    """One disagreement."""
    with project.read() as tx:
        check_reader(tx, viewer)
        return disagreement_in(tx, disagreement_id)


def disagreement_in(tx: Tx, disagreement_id: int) -> DisagreementRecord:
    """A disagreement by id, refused when there is none."""
    item = tx.disagreements.get(disagreement_id)
    if item is None:
        raise OperationError(f"there is no disagreement with id {disagreement_id}")
    return item
