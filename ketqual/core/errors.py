"""The one error type every layer may raise for the user: a readable one-line message.

It lives in core so that the store can raise user-facing errors (a lost connection to the
server) that the GUI and CLI already know how to show, without the store importing ops.
"""


class OperationError(Exception):
    """An operation was refused or failed; ``str(exc)`` tells the user why."""
