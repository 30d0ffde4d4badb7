"""Project settings, the append-only audit log and the pseudonymisation key."""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from ketqual.core.records import AuditEvent
from ketqual.store import schema
from ketqual.store.models import AuditRow, ProjectRow, PseudonymRow


class ProjectRepo:
    """The project's own row."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self) -> ProjectRow:
        return self.session.execute(select(ProjectRow)).scalar_one()

    def describe(self) -> dict:
        """Name, uid, creation time and settings."""
        row = self._row()
        return {
            "name": row.name,
            "uid": row.uid,
            "created_at": row.created_at,
            "settings": dict(row.settings or {}),
        }

    def schema_revision(self) -> str | None:
        """The migration revision the project file is at (``None`` when unstamped)."""
        return schema.current_revision(self.session.connection())

    def rename(self, name: str) -> None:
        """Give the project a new name."""
        self._row().name = name

    def set_setting(self, key: str, value: object) -> None:
        """Store one setting (JSON-serialisable)."""
        row = self._row()
        settings = dict(row.settings or {})
        settings[key] = value
        row.settings = settings


class AuditRepo:
    """Append-only log: there is deliberately no update or delete here."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, actor: str, action: str, summary: str, details: dict | None = None) -> None:
        """Append one event."""
        self.session.add(
            AuditRow(actor=actor, action=action, summary=summary, details=details or {})
        )

    def list(self, limit: int | None = None, action: str | None = None) -> list[AuditEvent]:
        """Events newest first."""
        query = select(AuditRow).order_by(AuditRow.id.desc())
        if action:
            query = query.where(AuditRow.action == action)
        if limit:
            query = query.limit(limit)
        return [
            AuditEvent(r.id, r.at, r.actor, r.action, r.summary, dict(r.details or {}))
            for r in self.session.execute(query).scalars()
        ]

    def count(self) -> int:
        """Number of events."""
        return self.session.execute(select(func.count(AuditRow.id))).scalar_one()


class PseudonymRepo:
    """Real name -> pseudonym pairs of projects made before key files (read to move them
    out into a key file, then emptied; nothing adds to them any more)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def key(self) -> dict[str, str]:
        """The whole key."""
        rows = self.session.execute(select(PseudonymRow).order_by(PseudonymRow.id)).scalars()
        return {r.real_name: r.pseudonym for r in rows}

    def add(self, mapping: dict[str, str]) -> int:
        """Add pairs whose real name is not in the key yet; returns how many were new."""
        known = {name.casefold() for name in self.key()}
        added = 0
        for real, pseudonym in mapping.items():
            if real.casefold() not in known:
                self.session.add(PseudonymRow(real_name=real, pseudonym=pseudonym))
                known.add(real.casefold())
                added += 1
        self.session.flush()
        return added

    def count(self) -> int:
        """How many pairs the table still holds."""
        return self.session.execute(select(func.count(PseudonymRow.id))).scalar_one()

    def clear(self) -> int:
        """Empty the table (after the key was moved into a key file); returns rows removed."""
        result = self.session.execute(delete(PseudonymRow))
        return cast(CursorResult, result).rowcount or 0
