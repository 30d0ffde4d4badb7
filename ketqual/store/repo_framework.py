"""Framework-matrix summaries (the analyst's words per case x code), and the two bulk
reads the matrices need: one layer's codings as light spans, and many documents' texts."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from ketqual.core.framework import CellSummary
from ketqual.core.theme_counts import CodedSpan
from ketqual.store.models import DocumentRow, MatrixSummaryRow, utcnow


def _summary(row: MatrixSummaryRow) -> CellSummary:
    return CellSummary(
        case_id=row.case_id,
        code_id=row.code_id,
        state=row.state,
        text=row.text,
        refs=tuple(row.refs or ()),
        author=row.author,
        updated_at=row.updated_at,
    )


class SummaryRepo:
    """One stored summary per (case, code) cell."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[CellSummary]:
        """Every summary, by case then code."""
        query = select(MatrixSummaryRow).order_by(
            MatrixSummaryRow.case_id, MatrixSummaryRow.code_id
        )
        return [_summary(r) for r in self.session.execute(query).scalars()]

    def _row(self, case_id: int, code_id: int) -> MatrixSummaryRow | None:
        query = select(MatrixSummaryRow).where(
            MatrixSummaryRow.case_id == case_id, MatrixSummaryRow.code_id == code_id
        )
        return self.session.execute(query).scalar_one_or_none()

    def get(self, case_id: int, code_id: int) -> CellSummary | None:
        """The summary of one cell, or ``None``."""
        row = self._row(case_id, code_id)
        return _summary(row) if row else None

    def put(
        self,
        case_id: int,
        code_id: int,
        *,
        state: str,
        text: str,
        refs: tuple[str, ...] | builtins.list[str],
        author: str,
    ) -> CellSummary:
        """Create or replace the summary of one cell."""
        row = self._row(case_id, code_id)
        if row is None:
            row = MatrixSummaryRow(case_id=case_id, code_id=code_id)
            self.session.add(row)
        row.state, row.text, row.refs = state, text, list(refs)
        row.author, row.updated_at = author, utcnow()
        self.session.flush()
        return _summary(row)

    def delete(self, case_id: int, code_id: int) -> bool:
        """Remove the summary of one cell; returns whether there was one."""
        result = self.session.execute(
            delete(MatrixSummaryRow).where(
                MatrixSummaryRow.case_id == case_id, MatrixSummaryRow.code_id == code_id
            )
        )
        return bool(cast(CursorResult, result).rowcount)

    def layer_spans(self, coder_id: int | None) -> builtins.list[CodedSpan]:
        """One layer's codings (``None``: the consensus) as spans, without memos.

        A driver-level query: building full coding records costs ten times as much, and a
        big project's matrices start from 50,000 codings.
        """
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        layer = "coder_id IS NULL" if coder_id is None else f"coder_id = {mark}"
        result = connection.exec_driver_sql(
            f'SELECT document_id, start, "end", code_id, uid, id FROM coding WHERE {layer}',
            () if coder_id is None else (coder_id,),
        )
        return list(map(CodedSpan._make, result.all()))

    def document_texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        """Texts of the given documents, in one query per 500 (bound-parameter limits)."""
        wanted = sorted(set(document_ids))
        texts: dict[int, str] = {}
        for first in range(0, len(wanted), 500):
            query = select(DocumentRow.id, DocumentRow.text).where(
                DocumentRow.id.in_(wanted[first : first + 500])
            )
            texts.update((i, t) for i, t in self.session.execute(query))
        return texts
