"""An open project: an engine plus one transaction per user action."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ketqual.store.connection import ConnectionLost, WriteConflict, translated
from ketqual.store.repositories import Tx

T = TypeVar("T")
RUN_ATTEMPTS = 4


class ProjectStore:
    """An open project. Use :meth:`transaction` for changes and :meth:`read` for queries.

    Every call of :meth:`transaction` is one atomic unit: either everything in the ``with``
    block is committed, or (on any exception) nothing is. On a server, a lost connection
    raises :class:`~ketqual.store.connection.ConnectionLost` saying whether the change was
    saved; :meth:`run` re-runs a whole action when that is safe.
    """

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location
        # Counts commits so that run() never re-runs an action after part of it was saved.
        self.commits = 0

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One atomic change: committed when the block ends, rolled back on error."""
        session = Session(self.engine, expire_on_commit=False)
        try:
            try:
                with translated():
                    session.begin()
                    yield Tx(session)
                    # Flush first, so that a failure here is known to be before COMMIT.
                    session.flush()
            except BaseException:
                _quietly_rollback(session)
                raise
            with translated(committing=True):
                session.commit()
            self.commits += 1
        finally:
            _quietly_close(session)

    @contextmanager
    def read(self, *, snapshot: bool = False) -> Iterator[Tx]:
        """A read-only view; anything written inside is rolled back.

        Args:
            snapshot: Make every query inside see the database as it was at the first
                one, so a computation never mixes rows from before and after another
                user's change (SQLite: one read transaction; PostgreSQL: REPEATABLE READ).
                Without it each query sees the latest commits.
        """
        session = Session(self.engine)
        try:
            with translated():
                if snapshot:
                    self._begin_snapshot(session)
                yield Tx(session)
        finally:
            _quietly_rollback(session)
            _quietly_close(session)

    def _begin_snapshot(self, session: Session) -> None:
        if self.backend == "sqlite":
            # The driver opens transactions only before writes; an explicit (deferred)
            # BEGIN makes the reads share the snapshot taken at the first one.
            session.connection().exec_driver_sql("BEGIN")
        else:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})

    def run(self, action: Callable[..., T], *args, **kwargs) -> T:
        """Call ``action(*args, **kwargs)``, running it again after a lost connection or a
        deadlock when nothing of it was saved (its transactions had not committed).

        The pool checks connections before use, so the repeat gets a fresh one. After
        :data:`RUN_ATTEMPTS` tries, or when a commit may have happened, the error is raised.
        """
        for attempt in range(1, RUN_ATTEMPTS + 1):
            commits = self.commits
            try:
                return action(*args, **kwargs)
            except (ConnectionLost, WriteConflict) as exc:
                if not exc.retryable or self.commits != commits or attempt == RUN_ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt)  # a server restarting needs a moment
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Release every connection (SQLite checkpoints its WAL on the last close)."""
        self.engine.dispose()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quietly_rollback(session: Session) -> None:
    # Rolling back over a dead connection fails too; the server has rolled back already.
    with suppress(DBAPIError):
        session.rollback()


def _quietly_close(session: Session) -> None:
    with suppress(DBAPIError):
        session.close()
