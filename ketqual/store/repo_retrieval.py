"""The bulk reads retrieval needs (a layer's codings with memos, units by document) and the
quotes the supervisor starred for the theme report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ketqual.core.retrieval import StarRecord
from ketqual.store.models import PassageStarRow, utcnow


def _star(row: PassageStarRow) -> StarRecord:
    return StarRecord(
        row.id, row.uid, row.document_id, row.code_id, row.start, row.end, row.actor, row.at
    )


class RetrievalRepo:
    """Plain tuples straight from the driver: tens of thousands of rows in milliseconds."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _raw(self, sql: str, *params: object) -> list[tuple]:
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql.replace("?", mark), tuple(params))
            return cast("list[tuple]", cursor.fetchall())  # the drivers give a list
        finally:
            cursor.close()

    def layer_codings(self, coder_id: int | None) -> list[tuple[int, int, int, int, str, int, str]]:
        """``(document_id, start, end, code_id, uid, id, memo)`` of one layer
        (``None`` = the consensus)."""
        sql = 'SELECT document_id, start, "end", code_id, uid, id, memo FROM coding WHERE '
        if coder_id is None:
            return self._raw(sql + "coder_id IS NULL")
        return self._raw(sql + "coder_id = ?", coder_id)

    def layer_rows(self, coder_id: int | None) -> list[tuple[int, int, int, int, str, int]]:
        """``(document_id, start, end, code_id, uid, id)`` of one layer, as the driver gives
        them (the field order of ``CodedSpan``), in no particular order (sorting in SQL
        costs more than the read itself)."""
        sql = 'SELECT document_id, start, "end", code_id, uid, id FROM coding WHERE '
        if coder_id is None:
            return self._raw(sql + "coder_id IS NULL")
        return self._raw(sql + "coder_id = ?", coder_id)

    def layer_memos(self, coder_id: int | None) -> dict[str, str]:
        """Uid -> memo of one layer's codings that have a memo."""
        sql = "SELECT uid, memo FROM coding WHERE memo <> '' AND "
        if coder_id is None:
            return dict(self._raw(sql + "coder_id IS NULL"))
        return dict(self._raw(sql + "coder_id = ?", coder_id))

    def units(
        self, kind: str, document_ids: Iterable[int] | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """Units of one kind by document, ``(start, end)`` in text order (of the given
        documents, or of all)."""
        out: dict[int, list[tuple[int, int]]] = {}
        sql = 'SELECT document_id, start, "end" FROM segment WHERE kind = ?'
        if document_ids is None:
            rows = self._raw(sql + " ORDER BY document_id, start", kind)
        else:
            wanted = sorted(set(document_ids))
            rows = []
            for first in range(0, len(wanted), 500):
                chunk = wanted[first : first + 500]
                marks = ", ".join("?" * len(chunk))
                rows += self._raw(
                    sql + f" AND document_id IN ({marks}) ORDER BY document_id, start",
                    kind,
                    *chunk,
                )
        for document_id, start, end in rows:
            out.setdefault(document_id, []).append((start, end))
        return out


class StarRepo:
    """Starred quotes (one row per document, code and span)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[StarRecord]:
        """Every star, oldest first."""
        rows = self.session.execute(select(PassageStarRow).order_by(PassageStarRow.id)).scalars()
        return [_star(r) for r in rows]

    def _row(self, document_id: int, code_id: int, start: int, end: int):
        return self.session.execute(
            select(PassageStarRow).where(
                PassageStarRow.document_id == document_id,
                PassageStarRow.code_id == code_id,
                PassageStarRow.start == start,
                PassageStarRow.end == end,
            )
        ).scalar_one_or_none()

    def add(self, document_id: int, code_id: int, start: int, end: int, actor: str) -> StarRecord:
        """Star a span (starring it again keeps the first star)."""
        row = self._row(document_id, code_id, start, end)
        if row is None:
            row = PassageStarRow(
                document_id=document_id,
                code_id=code_id,
                start=start,
                end=end,
                actor=actor,
                at=utcnow(),
            )
            self.session.add(row)
            self.session.flush()
        return _star(row)

    def remove(self, document_id: int, code_id: int, start: int, end: int) -> StarRecord | None:
        """Take a star away; returns it (``None`` when there was none)."""
        row = self._row(document_id, code_id, start, end)
        if row is None:
            return None
        gone = _star(row)
        self.session.execute(delete(PassageStarRow).where(PassageStarRow.id == row.id))
        return gone
