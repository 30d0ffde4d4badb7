"""Errors operations raise for the user: always a readable one-line message."""


class OperationError(Exception):
    """An operation was refused or failed; ``str(exc)`` tells the user why."""


class NeedsConfirmation(OperationError):
    """The operation would destroy work; repeat it with ``confirm=True`` to go ahead."""
