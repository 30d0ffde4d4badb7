"""Consensus reviews, their disagreements, and the append-only decision log."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence

from sqlalchemy import Text, func, select, type_coerce, update
from sqlalchemy.orm import Session

from ketqual.core.records import (
    CodingRecord,
    DecisionRecord,
    DisagreementRecord,
    QueueItem,
    ReviewRecord,
    codings_from_json,
)
from ketqual.store.models import DecisionRow, DisagreementRow, ReviewRow, new_uid, table_of, utcnow

# The agreements a review accepted (thousands of keys) live in their own column, read
# only by ReviewRepo.accepted, so listing reviews never decodes them.
_REVIEW_COLUMNS = (
    ReviewRow.id,
    ReviewRow.uid,
    ReviewRow.coder_a_id,
    ReviewRow.coder_b_id,
    ReviewRow.unit,
    ReviewRow.options,
    ReviewRow.created_at,
    ReviewRow.created_by,
)


def _review(row) -> ReviewRecord:
    """A review from a row of :data:`_REVIEW_COLUMNS`."""
    return ReviewRecord(
        row.id,
        row.uid,
        row.coder_a_id,
        row.coder_b_id,
        row.unit,
        dict(row.options or {}),
        row.created_at,
        row.created_by,
    )


def codings_to_json(codings: Iterable[CodingRecord]) -> list[dict]:
    """Coding snapshots as stored in a disagreement row."""
    return [
        {
            "id": c.id,
            "uid": c.uid,
            "code_id": c.code_id,
            "coder_id": c.coder_id,
            "start": c.start,
            "end": c.end,
            "memo": c.memo,
        }
        for c in codings
    ]


_DISAGREEMENT_COLUMNS = (
    DisagreementRow.id,
    DisagreementRow.uid,
    DisagreementRow.review_id,
    DisagreementRow.document_id,
    DisagreementRow.kind,
    DisagreementRow.start,
    DisagreementRow.end,
    DisagreementRow.codings_a,
    DisagreementRow.codings_b,
    DisagreementRow.status,
    DisagreementRow.resolution,
    DisagreementRow.sort_order,
)


def _disagreement(row) -> DisagreementRecord:
    return DisagreementRecord(
        row.id,
        row.uid,
        row.review_id,
        row.document_id,
        row.kind,
        row.start,
        row.end,
        codings_from_json(row.codings_a, row.document_id),
        codings_from_json(row.codings_b, row.document_id),
        row.status,
        row.resolution,
        row.sort_order,
    )


class ReviewRepo:
    """Consensus reviews (one per pair of coders and unit)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[ReviewRecord]:
        """Every review, oldest first."""
        rows = self.session.execute(select(*_REVIEW_COLUMNS).order_by(ReviewRow.id))
        return [_review(r) for r in rows]

    def get(self, review_id: int) -> ReviewRecord | None:
        """A review by id, or ``None``."""
        query = select(*_REVIEW_COLUMNS).where(ReviewRow.id == review_id)
        row = self.session.execute(query).first()
        return _review(row) if row else None

    def exists(self, review_id: int) -> bool:
        """Whether there is a review ``review_id`` (without reading its options, which
        hold thousands of accepted keys)."""
        query = select(ReviewRow.id).where(ReviewRow.id == review_id)
        return self.session.execute(query).first() is not None

    def find(self, coder_a_id: int, coder_b_id: int, unit: str) -> ReviewRecord | None:
        """The review of these two coders at ``unit``, or ``None``."""
        query = select(*_REVIEW_COLUMNS).where(
            ReviewRow.coder_a_id == coder_a_id,
            ReviewRow.coder_b_id == coder_b_id,
            ReviewRow.unit == unit,
        )
        row = self.session.execute(query).first()
        return _review(row) if row else None

    def accepted(self, review_id: int) -> builtins.list[str]:
        """The keys of the agreements a review has accepted into the consensus layer."""
        keys = self.session.execute(
            select(ReviewRow.accepted).where(ReviewRow.id == review_id)
        ).scalar_one()
        return list(keys or ())

    def set_accepted(self, review_id: int, keys: Iterable[str]) -> None:
        """Remember the agreements a review has accepted (sorted, for a stable file)."""
        self.session.execute(
            update(ReviewRow).where(ReviewRow.id == review_id).values(accepted=sorted(keys))
        )

    def add(
        self, coder_a_id: int, coder_b_id: int, unit: str, options: dict, created_by: str
    ) -> ReviewRecord:
        """Start a review."""
        row = ReviewRow(
            coder_a_id=coder_a_id,
            coder_b_id=coder_b_id,
            unit=unit,
            options=options,
            created_by=created_by,
        )
        self.session.add(row)
        self.session.flush()
        return ReviewRecord(
            row.id, row.uid, coder_a_id, coder_b_id, unit, dict(options), row.created_at, created_by
        )


class DisagreementRepo:
    """The queue of a review."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(
        self, review_id: int, *, statuses: Sequence[str] | None = None
    ) -> list[DisagreementRecord]:
        """A review's disagreements in queue order, optionally only some statuses."""
        query = (
            select(*_DISAGREEMENT_COLUMNS)
            .where(DisagreementRow.review_id == review_id)
            .order_by(DisagreementRow.sort_order, DisagreementRow.id)
        )
        if statuses is not None:
            query = query.where(DisagreementRow.status.in_(list(statuses)))
        return [_disagreement(r) for r in self.session.execute(query)]

    def items(
        self,
        review_id: int,
        *,
        statuses: Sequence[str],
        kind: str | None = None,
        document_ids: Sequence[int] | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> builtins.list[QueueItem]:
        """A review's disagreements as :class:`QueueItem` (codings decoded lazily), in
        queue order; optionally one kind, some documents, and one page of them."""
        raw_a = type_coerce(DisagreementRow.codings_a, Text)  # the JSON text, undecoded
        raw_b = type_coerce(DisagreementRow.codings_b, Text)
        query = self._matching(
            select(
                DisagreementRow.id,
                DisagreementRow.review_id,
                DisagreementRow.document_id,
                DisagreementRow.kind,
                DisagreementRow.start,
                DisagreementRow.end,
                DisagreementRow.status,
                DisagreementRow.resolution,
                DisagreementRow.sort_order,
                raw_a,
                raw_b,
            ),
            review_id,
            statuses,
            kind,
            document_ids,
        ).order_by(DisagreementRow.sort_order, DisagreementRow.id)
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        rows = self.session.connection().execute(query).all()
        return [QueueItem.from_row(r) for r in rows]

    def count(
        self,
        review_id: int,
        *,
        statuses: Sequence[str],
        kind: str | None = None,
        document_ids: Sequence[int] | None = None,
    ) -> int:
        """How many disagreements :meth:`items` would list without a page."""
        query = self._matching(
            select(func.count()).select_from(DisagreementRow),
            review_id,
            statuses,
            kind,
            document_ids,
        )
        return int(self.session.execute(query).scalar_one())

    def kind_counts(self, review_id: int, *, statuses: Sequence[str]) -> dict[str, int]:
        """How many disagreements of each kind a review has (among ``statuses``)."""
        query = self._matching(
            select(DisagreementRow.kind, func.count()).group_by(DisagreementRow.kind),
            review_id,
            statuses,
            None,
            None,
        )
        return {kind: int(n) for kind, n in self.session.execute(query)}

    @staticmethod
    def _matching(query, review_id, statuses, kind, document_ids):
        query = query.where(DisagreementRow.review_id == review_id).where(
            DisagreementRow.status.in_(list(statuses))
        )
        if kind is not None:
            query = query.where(DisagreementRow.kind == kind)
        if document_ids is not None:
            query = query.where(DisagreementRow.document_id.in_(list(document_ids)))
        return query

    def get(self, disagreement_id: int) -> DisagreementRecord | None:
        """One disagreement, or ``None``."""
        query = select(*_DISAGREEMENT_COLUMNS).where(DisagreementRow.id == disagreement_id)
        row = self.session.execute(query).first()
        return _disagreement(row) if row else None

    def fingerprints(self, review_id: int) -> dict[str, tuple[int, str, int]]:
        """``fingerprint -> (id, status, sort_order)`` of every disagreement of a review."""
        query = select(
            DisagreementRow.fingerprint,
            DisagreementRow.id,
            DisagreementRow.status,
            DisagreementRow.sort_order,
        ).where(DisagreementRow.review_id == review_id)
        return {fp: (i, s, o) for fp, i, s, o in self.session.execute(query)}

    def add_many(self, review_id: int, rows: Sequence[dict]) -> int:
        """Insert disagreements (dicts with document_id, kind, start, end, codings_a,
        codings_b, fingerprint, sort_order) as open; returns how many."""
        if not rows:
            return 0
        now = utcnow()
        values = [
            {**r, "review_id": review_id, "uid": new_uid(), "status": "open", "updated_at": now}
            for r in rows
        ]
        # Core insert: the ORM's bulk path costs more than the database itself here.
        self.session.connection().execute(table_of(DisagreementRow).insert(), values)
        return len(values)

    def set_status(
        self, disagreement_ids: Iterable[int], status: str, resolution: str | None = None
    ) -> None:
        """Change the status (and resolution) of some disagreements."""
        ids = list(disagreement_ids)
        if ids:
            self.session.execute(
                update(DisagreementRow)
                .where(DisagreementRow.id.in_(ids))
                .values(status=status, resolution=resolution, updated_at=utcnow())
            )

    def set_order(self, orders: dict[int, int]) -> None:
        """Give disagreements new queue positions (``id -> sort_order``)."""
        if orders:
            self.session.execute(
                update(DisagreementRow),
                [{"id": i, "sort_order": o} for i, o in orders.items()],
            )

    def status_counts(self, review_id: int) -> dict[str, int]:
        """Number of disagreements per status."""
        query = (
            select(DisagreementRow.status, func.count())
            .where(DisagreementRow.review_id == review_id)
            .group_by(DisagreementRow.status)
        )
        return dict(self.session.execute(query).all())

    def status_kind_counts(self, review_id: int) -> dict[tuple[str, str], int]:
        """Number of disagreements per status and kind (one walk of the index of kinds, in
        order: migration 0008)."""
        query = (
            select(DisagreementRow.status, DisagreementRow.kind, func.count())
            .where(DisagreementRow.review_id == review_id)
            .group_by(DisagreementRow.status, DisagreementRow.kind)
        )
        return {(status, kind): int(n) for status, kind, n in self.session.execute(query)}


class DecisionRepo:
    """The decision log. Append-only by design: there is no update or delete here, and
    the database's triggers refuse both."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, actor: str, action: str, **fields: object) -> DecisionRecord:
        """Append one decision."""
        row = DecisionRow(actor=actor, action=action, **fields)
        self.session.add(row)
        self.session.flush()
        return self._record(row)

    def list(
        self, *, review_id: int | None = None, disagreement_id: int | None = None
    ) -> list[DecisionRecord]:
        """Decisions, oldest first, optionally of one review or one disagreement."""
        query = select(DecisionRow).order_by(DecisionRow.id)
        if review_id is not None:
            query = query.where(DecisionRow.review_id == review_id)
        if disagreement_id is not None:
            query = query.where(DecisionRow.disagreement_id == disagreement_id)
        return [self._record(r) for r in self.session.execute(query).scalars()]

    def get(self, decision_id: int) -> DecisionRecord | None:
        """One decision, or ``None``."""
        row = self.session.get(DecisionRow, decision_id)
        return self._record(row) if row else None

    @staticmethod
    def _record(row: DecisionRow) -> DecisionRecord:
        return DecisionRecord(
            row.id,
            row.uid,
            row.at,
            row.actor,
            row.action,
            row.review_id,
            row.disagreement_id,
            row.document_uid,
            row.start,
            row.end,
            row.reason,
            row.dissent,
            row.undoes_id,
            dict(row.details or {}),
        )
