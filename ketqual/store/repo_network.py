"""The analyst's decisions on edges of the theme-overlap network, with their provenance.

One row per unordered pair of themes: an undirected edge is stored with the smaller code
id as source; a directed edge from its origin to its target. The repository looks pairs
up in both orientations, so a pair can never be stored twice.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ketqual.core.network_figure import EdgeDecision
from ketqual.store.models import NetworkEdgeRow, utcnow


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
