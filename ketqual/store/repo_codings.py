"""Coded spans (per coder or the consensus layer) and coders' per-document progress."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.orm import Session

from ketqual.core.records import CodingRecord
from ketqual.store.driver import fetch_tuples
from ketqual.store.models import CodingRow, DocumentStatusRow, new_uid, table_of, utcnow

_COLUMNS = (
    CodingRow.id,
    CodingRow.uid,
    CodingRow.document_id,
    CodingRow.code_id,
    CodingRow.coder_id,
    CodingRow.start,
    CodingRow.end,
    CodingRow.memo,
)


def _coding(row) -> CodingRecord:
    return CodingRecord(
        row.id, row.uid, row.document_id, row.code_id, row.coder_id, row.start, row.end, row.memo
    )


class CodingRepo:
    """Coded spans, per coder or in the consensus layer (``coder_id`` None)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, codings: Sequence[dict]) -> list[CodingRecord]:
        """Insert codings given as dicts (document_id, code_id, coder_id, start, end, memo).

        A dict may also carry ``id``, ``uid`` and ``created_at`` so an undone deletion comes
        back exactly as it was. Returns the stored records in input order.
        """
        now = utcnow()
        rows = [{"memo": "", "created_at": now, "updated_at": now, **c} for c in codings]
        for row in rows:  # a fresh uid only where none is given (making one costs)
            if "uid" not in row:
                row["uid"] = new_uid()
        if not rows:
            return []
        # One executemany with RETURNING (SQLAlchemy's insertmanyvalues) keeps a
        # 10,000-hit "code all" to a single round trip on SQLite and PostgreSQL alike.
        result = self.session.execute(
            insert(CodingRow).returning(*_COLUMNS, sort_by_parameter_order=True), rows
        )
        return [_coding(r) for r in result]

    def insert_many(self, codings: Sequence[dict]) -> int:
        """Insert codings like :meth:`add_many` but return only how many: a plain
        executemany is about three times faster for tens of thousands of rows."""
        now = utcnow()
        rows = [
            {"uid": new_uid(), "memo": "", "created_at": now, "updated_at": now, **c}
            for c in codings
        ]
        if rows:
            # Core insert on the session's connection: the ORM's bulk path costs more
            # than the database itself here.
            self.session.connection().execute(table_of(CodingRow).insert(), rows)
        return len(rows)

    def restore_many(self, records: Iterable[CodingRecord]) -> list[CodingRecord]:
        """Re-insert deleted codings exactly as they were (same ids, uids and memos)."""
        return self.add_many(
            [
                {
                    "id": r.id,
                    "uid": r.uid,
                    "document_id": r.document_id,
                    "code_id": r.code_id,
                    "coder_id": r.coder_id,
                    "start": r.start,
                    "end": r.end,
                    "memo": r.memo,
                }
                for r in records
            ]
        )

    def get_many(self, coding_ids: Iterable[int]) -> list[CodingRecord]:
        """Codings by id (missing ids are skipped), ordered by id."""
        ids = list(coding_ids)
        if not ids:
            return []
        query = select(*_COLUMNS).where(CodingRow.id.in_(ids)).order_by(CodingRow.id)
        return [_coding(r) for r in self.session.execute(query)]

    def list(
        self,
        *,
        document_id: int | None = None,
        coder_id: int | None = None,
        consensus: bool = False,
        code_ids: Iterable[int] | None = None,
    ) -> list[CodingRecord]:
        """Codings filtered by document, code and layer (a coder's, or the consensus layer)."""
        query = select(*_COLUMNS).order_by(CodingRow.document_id, CodingRow.start, CodingRow.id)
        if document_id is not None:
            query = query.where(CodingRow.document_id == document_id)
        if consensus:
            query = query.where(CodingRow.coder_id.is_(None))
        elif coder_id is not None:
            query = query.where(CodingRow.coder_id == coder_id)
        if code_ids is not None:
            query = query.where(CodingRow.code_id.in_(list(code_ids)))
        return [_coding(r) for r in self.session.execute(query)]

    def spans(
        self, *, coder_id: int | None = None, consensus: bool = False
    ) -> builtins.list[tuple[int, int, int, int]]:
        """One layer's codings as plain ``(document_id, code_id, start, end)`` tuples.

        A coder's layer (``coder_id``) or the consensus layer (``consensus=True``), in
        the order of :meth:`list`, read at the driver level: computations over a whole
        project read tens of thousands of codings, and records would cost more than the
        query.

        Raises:
            ValueError: When neither or both layers are named.
        """
        if consensus == (coder_id is not None):
            raise ValueError("name one layer: a coder_id, or consensus=True")
        columns = 'SELECT document_id, code_id, start, "end" FROM coding'
        order = "ORDER BY document_id, start, id"
        if consensus:
            return fetch_tuples(self.session, f"{columns} WHERE coder_id IS NULL {order}")
        return fetch_tuples(self.session, f"{columns} WHERE coder_id = ? {order}", (coder_id,))

    def exists(self, document_id: int, code_id: int, coder_id: int | None, start: int, end: int):
        """Whether exactly this coding is already stored."""
        layer = CodingRow.coder_id.is_(None) if coder_id is None else CodingRow.coder_id == coder_id
        query = select(func.count(CodingRow.id)).where(
            CodingRow.document_id == document_id,
            CodingRow.code_id == code_id,
            layer,
            CodingRow.start == start,
            CodingRow.end == end,
        )
        return self.session.execute(query).scalar_one() > 0

    def update(self, coding_id: int, **fields: object) -> None:
        """Change code_id, start, end or memo of one coding."""
        allowed = {"code_id", "start", "end", "memo"}
        if set(fields) - allowed:
            raise KeyError(sorted(set(fields) - allowed))
        self.session.execute(
            update(CodingRow).where(CodingRow.id == coding_id).values(**fields, updated_at=utcnow())
        )

    def delete_many(self, coding_ids: Iterable[int]) -> int:
        """Delete codings by id; returns how many went."""
        ids = list(coding_ids)
        if not ids:
            return 0
        result = self.session.execute(delete(CodingRow).where(CodingRow.id.in_(ids)))
        return cast(CursorResult, result).rowcount or 0

    def count_by_layer(self) -> dict[int | None, int]:
        """Number of codings per coder id (``None`` = consensus layer)."""
        query = select(CodingRow.coder_id, func.count()).group_by(CodingRow.coder_id)
        return dict(self.session.execute(query).all())

    def counts(
        self, coder_id: int | None, *, consensus: bool = False
    ) -> dict[tuple[int, int], int]:
        """Codings per (document id, code id) in one layer, or in all layers."""
        query = select(CodingRow.document_id, CodingRow.code_id, func.count()).group_by(
            CodingRow.document_id, CodingRow.code_id
        )
        if consensus:
            query = query.where(CodingRow.coder_id.is_(None))
        elif coder_id is not None:
            query = query.where(CodingRow.coder_id == coder_id)
        return {(d, c): n for d, c, n in self.session.execute(query)}

    def counts_by_coder(self) -> dict[tuple[int, int | None], int]:
        """Codings per (document id, coder id); coder ``None`` is the consensus layer."""
        query = select(CodingRow.document_id, CodingRow.coder_id, func.count()).group_by(
            CodingRow.document_id, CodingRow.coder_id
        )
        return {(d, c): n for d, c, n in self.session.execute(query)}

    def delete_for_codes(self, code_ids: builtins.list[int]) -> int:
        """Delete every coding of the given codes (used when a code is deleted)."""
        if not code_ids:
            return 0
        result = self.session.execute(delete(CodingRow).where(CodingRow.code_id.in_(code_ids)))
        return cast(CursorResult, result).rowcount or 0


class StatusRepo:
    """Which coder has marked which document done."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def set_done(self, document_id: int, coder_id: int, done: bool) -> bool:
        """Mark a document done (or not) for a coder; returns the previous state."""
        row = self.session.execute(
            select(DocumentStatusRow).where(
                DocumentStatusRow.document_id == document_id,
                DocumentStatusRow.coder_id == coder_id,
            )
        ).scalar_one_or_none()
        if row is None:
            self.session.add(
                DocumentStatusRow(document_id=document_id, coder_id=coder_id, done=done)
            )
            self.session.flush()
            return False
        previous = row.done
        row.done, row.updated_at = done, utcnow()
        self.session.flush()
        return previous

    def done(self) -> set[tuple[int, int]]:
        """(document id, coder id) pairs marked done."""
        query = select(DocumentStatusRow.document_id, DocumentStatusRow.coder_id).where(
            DocumentStatusRow.done.is_(True)
        )
        return {(d, c) for d, c in self.session.execute(query)}
