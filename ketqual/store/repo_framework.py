"""Framework-matrix summaries: the analyst's words per case x code."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ketqual.core.framework import CellSummary
from ketqual.store.models import MatrixSummaryRow, utcnow


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
        refs: tuple[str, ...] | list[str],
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
        return bool(result.rowcount)
