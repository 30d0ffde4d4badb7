"""Reading the audit log."""

from __future__ import annotations

from ketqual.core.records import AuditEvent
from ketqual.store.database import ProjectStore


def audit_log(
    project: ProjectStore, *, limit: int | None = None, action: str | None = None
) -> list[AuditEvent]:
    """Audit events, newest first."""
    with project.read() as tx:
        return tx.audit.list(limit=limit, action=action)
