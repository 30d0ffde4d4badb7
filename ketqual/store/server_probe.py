"""Looking at a database server before opening it: what the dialog's Test button shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from ketqual.store import lifecycle, schema
from ketqual.store.models import APPLICATION_MARKER, ProjectRow


@dataclass(frozen=True)
class Probe:
    """What is at a database URL.

    ``state`` is ``"project"`` (a KetQual project this version can open), ``"empty"``
    (an empty database: a project can be created there), ``"foreign"`` (tables that are
    not a KetQual project) or ``"newer"`` (a project from a newer KetQual).
    """

    state: str
    name: str | None = None
    revision: str | None = None


class ProbeError(Exception):
    """The server could not be reached or refused; the message is the driver's reason."""


def probe(url: str) -> Probe:
    """Connect once and say what the database holds (nothing is changed)."""
    engine = lifecycle.make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                return Probe("empty")
            if "alembic_version" not in tables or "project" not in tables:
                return Probe("foreign")
            revision = schema.current_revision(conn)
            row = conn.execute(select(ProjectRow.application, ProjectRow.name)).first()
            if row is None:  # the table is there, its one row is not: not ours
                return Probe("foreign")
            marker, name = row
    except SQLAlchemyError as exc:
        raise ProbeError(lifecycle.error_reason(exc)) from None
    finally:
        engine.dispose()
    if marker != APPLICATION_MARKER:
        return Probe("foreign")
    if revision not in schema.known_revisions():
        return Probe("newer", name, revision)
    return Probe("project", name, revision)
