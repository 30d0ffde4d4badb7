"""Lost server connections and write conflicts, told apart from other database errors.

A PostgreSQL connection can drop at any moment (server restart, network, an administrator
ending sessions). What matters to the user is whether their last action was saved:

* the connection failed **before** COMMIT was sent: nothing was saved, the transaction can
  safely be run again (``saved is False``);
* it failed **while** COMMIT was on its way: the server may or may not have committed, so
  nobody can know without looking (``saved is None``).

Deadlocks and serialization failures between concurrent writers are rolled back by the
server, so they too are safe to run again. :meth:`ProjectStore.run` re-runs such actions;
whatever cannot be retried reaches the user as one of these errors, whose message says
what happened and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from ketqual.core.errors import OperationError

# SQLSTATE classes: 08 connection exception, 57P operator intervention (admin shutdown,
# pg_terminate_backend, crash shutdown, cannot connect now).
_LOST_PREFIXES = ("08", "57P")
# 40001 serialization_failure, 40P01 deadlock_detected: the server rolled the work back.
_CONFLICT_STATES = {"40001", "40P01"}
DEFAULT_WHAT = "the last change"


class ConnectionLost(OperationError):
    """The connection to the database server broke during an action.

    Attributes:
        saved: ``False`` when the action certainly was not saved (safe to run again),
            ``None`` when it cannot be known (the connection broke while committing).
        reason: The driver's one-line reason (never holds a password).
    """

    def __init__(self, reason: str, *, saved: bool | None, what: str = DEFAULT_WHAT) -> None:
        self.reason, self.saved, self.what = reason, saved, what
        super().__init__(self._message())

    @property
    def retryable(self) -> bool:
        """Whether running the whole action again cannot store it twice."""
        return self.saved is False

    def _message(self) -> str:
        if self.saved is None:
            return (
                f"The connection to the server was lost; {self.what} may not have been saved "
                "— KetQual has reconnected; check and repeat it"
            )
        return (
            f"The connection to the server was lost and KetQual could not reconnect "
            f"({self.reason}); {self.what} was not saved. Check that the server is running "
            "and reachable, then repeat it"
        )

    def about(self, what: str) -> ConnectionLost:
        """The same error, naming the action (e.g. ``"'add coding'"``) in its message."""
        return ConnectionLost(self.reason, saved=self.saved, what=what)


class WriteConflict(OperationError):
    """Another writer deadlocked with this action; the server rolled it back (not saved)."""

    saved = False
    retryable = True

    def __init__(self, reason: str, *, what: str = DEFAULT_WHAT) -> None:
        self.reason, self.what = reason, what
        super().__init__(
            f"Another user changed the same things at the same moment; {what} was not saved. "
            "Repeat it"
        )

    def about(self, what: str) -> WriteConflict:
        """The same error, naming the action in its message."""
        return WriteConflict(self.reason, what=what)


def classify(exc: BaseException, *, committing: bool) -> OperationError | None:
    """The user-facing error for a database error, or ``None`` when it is not a lost
    connection or a conflict (then the caller re-raises the original)."""
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or ""
    reason = _reason(exc)
    if state in _CONFLICT_STATES:
        return WriteConflict(reason)
    from_psycopg = type(orig).__module__.startswith("psycopg")
    lost = (
        exc.connection_invalidated
        or state.startswith(_LOST_PREFIXES)
        # psycopg reports a failed connect or a dead socket without a SQLSTATE
        or (from_psycopg and not state and type(orig).__name__ == "OperationalError")
    )
    if not lost:
        return None
    return ConnectionLost(reason, saved=None if committing else False)


@contextmanager
def translated(*, committing: bool = False) -> Iterator[None]:
    """Turn a lost connection or conflict raised inside the block into our errors."""
    try:
        yield
    except DBAPIError as exc:
        error = classify(exc, committing=committing)
        if error is None:
            raise
        raise error from None  # the SQLAlchemy text carries SQL and parameters: not for users


def _reason(exc: DBAPIError) -> str:
    lines = str(exc.orig or exc).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__
