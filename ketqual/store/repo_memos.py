"""Free memos on the project, documents, codes, cases and codings (a coding's own memo
lives on the coding row; these are memos written apart from coding)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ketqual.core.records import MemoRecord
from ketqual.store.models import MemoRow, new_uid, table_of, utcnow

_COLUMNS = (
    MemoRow.id,
    MemoRow.uid,
    MemoRow.coder_id,
    MemoRow.target_type,
    MemoRow.target_id,
    MemoRow.text,
    MemoRow.created_at,
    MemoRow.updated_at,
)


class MemoRepo:
    """Free memos."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, *, coder_ids: Sequence[int | None] | None = None) -> list[MemoRecord]:
        """Memos in the order written; only those of ``coder_ids`` when given (``None`` in it
        stands for memos by nobody in particular)."""
        query = select(*_COLUMNS).order_by(MemoRow.id)
        if coder_ids is not None:
            ids = [c for c in coder_ids if c is not None]
            condition: ColumnElement[bool] = MemoRow.coder_id.in_(ids)
            if None in coder_ids:
                condition = condition | MemoRow.coder_id.is_(None)
            query = query.where(condition)
        return [MemoRecord(*row) for row in self.session.execute(query)]

    def add_many(self, memos: Sequence[dict]) -> int:
        """Insert memos given as dicts (coder_id, target_type, target_id, text; optionally
        uid, created_at, updated_at); returns how many."""
        now = utcnow()
        rows = [
            {"uid": new_uid(), "coder_id": None, "created_at": now, "updated_at": now, **m}
            for m in memos
        ]
        if rows:
            self.session.connection().execute(table_of(MemoRow).insert(), rows)
        return len(rows)
