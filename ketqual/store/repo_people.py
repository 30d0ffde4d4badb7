"""Coders and their codings."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ketqual.core.records import CoderRecord, CodingRecord
from ketqual.store.models import CoderRow, CodingRow, new_uid, utcnow


def _coder(row: CoderRow) -> CoderRecord:
    return CoderRecord(row.id, row.uid, row.name, row.role, row.colour)


class CoderRepo:
    """People who code or supervise."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[CoderRecord]:
        """All coders by name."""
        return [
            _coder(r)
            for r in self.session.execute(select(CoderRow).order_by(CoderRow.name)).scalars()
        ]

    def by_name(self, name: str) -> CoderRecord | None:
        """A coder by exact name (case-insensitive), or ``None``."""
        query = select(CoderRow).where(func.lower(CoderRow.name) == name.lower())
        row = self.session.execute(query).scalar_one_or_none()
        return _coder(row) if row else None

    def add(self, name: str, role: str = "coder", colour: str = "#332288") -> CoderRecord:
        """Create a coder."""
        row = CoderRow(name=name, role=role, colour=colour)
        self.session.add(row)
        self.session.flush()
        return _coder(row)


def _coding(row) -> CodingRecord:
    return CodingRecord(
        row.id, row.uid, row.document_id, row.code_id, row.coder_id, row.start, row.end, row.memo
    )


class CodingRepo:
    """Coded spans, per coder or in the consensus layer (``coder_id`` None)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, codings: list[dict]) -> int:
        """Insert codings given as dicts (document_id, code_id, coder_id, start, end, memo)."""
        now = utcnow()
        rows = [
            {"uid": new_uid(), "memo": "", "created_at": now, "updated_at": now, **c}
            for c in codings
        ]
        if rows:
            self.session.execute(insert(CodingRow), rows)
        return len(rows)

    def list(
        self,
        *,
        document_id: int | None = None,
        coder_id: int | None = None,
        consensus: bool = False,
    ) -> list[CodingRecord]:
        """Codings filtered by document and layer (a coder's, or the consensus layer)."""
        query = select(CodingRow).order_by(CodingRow.document_id, CodingRow.start, CodingRow.id)
        if document_id is not None:
            query = query.where(CodingRow.document_id == document_id)
        if consensus:
            query = query.where(CodingRow.coder_id.is_(None))
        elif coder_id is not None:
            query = query.where(CodingRow.coder_id == coder_id)
        return [_coding(r) for r in self.session.execute(query).scalars()]

    def count_by_layer(self) -> dict[int | None, int]:
        """Number of codings per coder id (``None`` = consensus layer)."""
        query = select(CodingRow.coder_id, func.count()).group_by(CodingRow.coder_id)
        return dict(self.session.execute(query).all())

    def delete_for_codes(self, code_ids: list[int]) -> int:
        """Delete every coding of the given codes (used when a code is deleted)."""
        if not code_ids:
            return 0
        result = self.session.execute(delete(CodingRow).where(CodingRow.code_id.in_(code_ids)))
        return result.rowcount or 0
