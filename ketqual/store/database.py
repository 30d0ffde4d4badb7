"""An open project: an engine plus one transaction per user action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ketqual.store.repositories import Tx


class ProjectStore:
    """An open project. Use :meth:`transaction` for changes and :meth:`read` for queries.

    Every call of :meth:`transaction` is one atomic unit: either everything in the ``with``
    block is committed, or (on any exception) nothing is.
    """

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One atomic change: committed when the block ends, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield Tx(session)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only view; anything written inside is rolled back."""
        with Session(self.engine) as session:
            try:
                yield Tx(session)
            finally:
                session.rollback()

    def close(self) -> None:
        """Release every connection (SQLite checkpoints its WAL on the last close)."""
        self.engine.dispose()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
