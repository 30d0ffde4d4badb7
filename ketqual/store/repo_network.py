"""The analyst's decisions on edges of the theme-overlap network, with their provenance.

One row per unordered pair of themes: an undirected edge is stored with the smaller code
id as source; a directed edge from its origin to its target. The repository looks pairs
up in both orientations, so a pair can never be stored twice.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ketqual.core.network_figure import EdgeDecision
from ketqual.store.models import DocumentRow, NetworkEdgeRow, utcnow


def _decision(row: NetworkEdgeRow) -> EdgeDecision:
    return EdgeDecision(
        source=row.source_code_id,
        target=row.target_code_id,
        origin=row.origin,
        status=row.status,
        directed=bool(row.directed),
        layer=row.layer,
        unit=row.unit,
        measure=row.measure,
        value=row.value,
        actor=row.actor,
        at=row.at,
    )


class NetworkRepo:
    """Edge decisions of the theme-overlap network."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- the network's inputs, as bare tuples: 50,000 codings load in tens of milliseconds
    # (building a record object per coding would cost ten times as much)

    def _raw(self, sql: str, *params: object) -> list[tuple]:
        """Rows as the database driver returns them: plain tuples, on the session's own
        connection and transaction. (SQLAlchemy's row objects are slow to turn into
        arrays: numpy probes them as mappings first.)"""
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql.replace("?", mark), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def coded_spans(self, coder_id: int | None) -> list[tuple[int, int, int, int]]:
        """``(document_id, code_id, start, end)`` of one layer (``None`` = consensus)."""
        sql = 'SELECT document_id, code_id, start, "end" FROM coding WHERE '
        if coder_id is None:
            return self._raw(sql + "coder_id IS NULL")
        return self._raw(sql + "coder_id = ?", coder_id)

    def document_cases(self) -> list[tuple[int, int | None]]:
        """``(document_id, case_id)`` of every document, in display order."""
        query = select(DocumentRow.id, DocumentRow.case_id).order_by(
            DocumentRow.sort_order, DocumentRow.id
        )
        return list(self.session.execute(query).all())

    def unit_spans(self, kind: str) -> dict[int, list[tuple[int, int]]]:
        """Units of one kind by document id, ``(start, end)`` in text order."""
        rows = self._raw(
            'SELECT document_id, start, "end" FROM segment WHERE kind = ? '
            "ORDER BY document_id, start",
            kind,
        )
        out: dict[int, list[tuple[int, int]]] = {}
        for document_id, start, end in rows:
            out.setdefault(document_id, []).append((start, end))
        return out

    def list(self) -> list[EdgeDecision]:
        """Every decision, oldest first."""
        rows = self.session.execute(select(NetworkEdgeRow).order_by(NetworkEdgeRow.id)).scalars()
        return [_decision(r) for r in rows]

    def _row(self, a: int, b: int) -> NetworkEdgeRow | None:
        query = select(NetworkEdgeRow).where(
            or_(
                (NetworkEdgeRow.source_code_id == a) & (NetworkEdgeRow.target_code_id == b),
                (NetworkEdgeRow.source_code_id == b) & (NetworkEdgeRow.target_code_id == a),
            )
        )
        return self.session.execute(query).scalar_one_or_none()

    def get(self, a: int, b: int) -> EdgeDecision | None:
        """The decision on the pair ``a``, ``b`` (either orientation), or ``None``."""
        row = self._row(a, b)
        return _decision(row) if row else None

    def put(self, decision: EdgeDecision) -> EdgeDecision:
        """Store a decision, replacing any earlier one on the same pair."""
        if decision.source == decision.target:
            raise ValueError("an edge joins two different themes")
        source, target = decision.source, decision.target
        if not decision.directed:
            source, target = min(source, target), max(source, target)
        row = self._row(source, target)
        if row is None:
            row = NetworkEdgeRow(source_code_id=source, target_code_id=target)
            self.session.add(row)
        row.source_code_id, row.target_code_id = source, target
        row.origin = decision.origin
        row.status = decision.status
        row.directed = decision.directed
        row.layer = decision.layer
        row.unit = decision.unit
        row.measure = decision.measure
        row.value = decision.value
        row.actor = decision.actor
        row.at = decision.at or utcnow()
        self.session.flush()
        return _decision(row)

    def remove(self, a: int, b: int) -> EdgeDecision | None:
        """Forget the decision on a pair; returns what was removed (``None`` if nothing)."""
        row = self._row(a, b)
        if row is None:
            return None
        gone = _decision(row)
        self.session.execute(delete(NetworkEdgeRow).where(NetworkEdgeRow.id == row.id))
        return gone
