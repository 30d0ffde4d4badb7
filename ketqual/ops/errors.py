"""Errors operations raise for the user: always a readable one-line message."""

from ketqual.core.errors import OperationError

__all__ = ["NeedsConfirmation", "OperationError"]


class NeedsConfirmation(OperationError):
    """The operation would destroy work; repeat it with ``confirm=True`` to go ahead."""
