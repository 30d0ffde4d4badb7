"""Python's cycle collector while a KetQual process starts and when it ends.

Starting, a process imports some 500 modules and maps the database models: hundreds of
thousands of objects that live as long as the process. Python's cycle collector walks
young objects again and again as they are made, and these took it about 50 ms per start
(the like-for-like agreement run, the app's start), for no garbage. At the end, the
interpreter's exit walked them all again (about 0.15 s for SQLAlchemy's ORM alone).

So, when ``ketqual`` runs as the program (not when tests or other code call its
functions), :func:`begin` turns automatic collection off; :func:`settled`, called once the
process has started (a project opened, the window built), freezes what start-up made
(``gc.freeze``: never walked again) and turns collection back on for a command-line verb
(the app collects on its GUI thread instead, see :mod:`ketqual.gui.collector`).
:func:`before_exit` freezes the heap before the interpreter's exit. Reference counting frees
everything that is not in a cycle all along, as always.
"""

from __future__ import annotations

import gc
import os

_started_as: str | None = None  # "cli" or "app" between begin() and settled()
_fork_hook = False


def begin(kind: str) -> None:
    """Start-up begins: automatic collection off until :func:`settled`.

    Args:
        kind: ``"cli"`` (collection comes back on when settled) or ``"app"`` (it stays
            off: the app's GUI-thread collector takes over).
    """
    global _started_as, _fork_hook
    if kind not in ("cli", "app"):
        raise ValueError(f"unknown kind of start: {kind!r}")
    _started_as = kind
    gc.disable()
    if not _fork_hook and hasattr(os, "register_at_fork"):
        # A worker forked before start-up ended collects as any process does.
        os.register_at_fork(after_in_child=_in_child)
        _fork_hook = True


def settled() -> None:
    """Start-up is over: freeze what it made and, for a verb, collect as usual again.

    Does nothing unless :func:`begin` was called and this has not been called since.
    """
    global _started_as
    if _started_as is None:
        return
    kind, _started_as = _started_as, None
    gc.freeze()
    if kind == "cli":
        gc.enable()


def starting() -> str | None:
    """``"cli"`` or ``"app"`` while start-up lasts, else ``None``."""
    return _started_as


def before_exit() -> None:
    """Spare the interpreter's exit its collections over everything imported: frozen,
    the objects are left to the operating system; ``atexit`` handlers (logging, temporary
    folders, Qt's application) and reference counting still run. Everything a verb or
    the app writes is written and closed before this: projects are closed explicitly (so
    SQLite has checkpointed and removed its write-ahead log) and the app syncs its
    settings when its event loop ends. Only for a process that is about to end."""
    gc.freeze()


def _in_child() -> None:
    if _started_as == "cli":
        gc.enable()
