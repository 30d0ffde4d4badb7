"""Bulk reads at the driver level: plain tuples from the database driver's own cursor.

Whole-project computations (agreement, for one) read tens of thousands of codings and a
hundred thousand units at once. SQLAlchemy's row objects and the records built from them
cost more than the queries themselves there, so the repositories read such bulk data
through :func:`fetch_tuples`, on the session's connection and inside its transaction
(so a snapshot read stays one snapshot). Errors are wrapped as SQLAlchemy wraps them, so
a lost server connection still reaches the user as
:class:`~ketqual.store.connection.ConnectionLost`.

SQL given here uses ``?`` placeholders; they become ``%s`` for drivers that want that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def fetch_tuples(session: Session, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """Run one query on ``session``'s connection and return its rows as plain tuples."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    dbapi_connection = connection.connection  # the pooled DBAPI connection
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return cast("list[tuple]", cursor.fetchall())  # the drivers give a list
        finally:
            cursor.close()
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            sql,
            tuple(params),
            exc,
            dialect.loaded_dbapi.Error,
            dialect=dialect,
            connection_invalidated=dialect.is_disconnect(exc, dbapi_connection, None),
        ) from exc
