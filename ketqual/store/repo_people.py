"""Coders and supervisors."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketqual.core.records import CoderRecord
from ketqual.store.models import CoderRow


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

    def get(self, coder_id: int) -> CoderRecord | None:
        """A coder by id, or ``None``."""
        row = self.session.get(CoderRow, coder_id)
        return _coder(row) if row else None

    def by_name(self, name: str) -> CoderRecord | None:
        """A coder by exact name (case-insensitive), or ``None``."""
        query = select(CoderRow).where(func.lower(CoderRow.name) == name.lower())
        row = self.session.execute(query).scalar_one_or_none()
        return _coder(row) if row else None

    def add(
        self, name: str, role: str = "coder", colour: str = "#332288", *, uid: str | None = None
    ) -> CoderRecord:
        """Create a coder (``uid`` keeps a stable id the person had elsewhere)."""
        row = CoderRow(name=name, role=role, colour=colour)
        if uid:
            row.uid = uid
        self.session.add(row)
        self.session.flush()
        return _coder(row)
