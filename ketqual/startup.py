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

The app shows its start screen before the database layer loads, so Qt comes first; but
importing PySide6 replaces Python's import function with one that, after every module it
imports, reads that module's source to look for the word "PySide6" (for its ``__feature__``
switches). SQLAlchemy's hundreds of modules took about a quarter longer to import after it.
:func:`plain_imports` gives a block of imports that use no Qt (the database layer) Python's
own import function back.

:func:`mark` writes the moments of a start to stderr when a benchmark asks
(``KETQUAL_TRACE_START``).
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator

_started_as: str | None = None  # "cli" or "app" between begin() and settled()
_fork_hook = False
# The interpreter's own import function, as it was before any Qt module loaded (this module
# is imported before PySide6 by ``ketqual.__main__``).
_PYTHON_IMPORT = builtins.__import__
TRACE_VARIABLE = "KETQUAL_TRACE_START"


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


@contextlib.contextmanager
def plain_imports() -> Iterator[None]:
    """Imports inside the block use Python's own import function, whatever PySide6 put in
    its place; the replacement is back after the block, also when it raises.

    Only for modules that use no Qt: ``ketqual.core``, ``ops`` and ``store`` (an import
    contract keeps Qt out of them) and the libraries they import. PySide6 never needs to
    see those imported. (Choosing per module inside the block, Qt modules through
    PySide6's function, cost more than it saved: PySide6's function looks at the frame
    that calls it.)
    """
    installed = builtins.__import__
    builtins.__import__ = _PYTHON_IMPORT
    try:
        yield
    finally:
        builtins.__import__ = installed


def mark(event: str) -> None:
    """Write ``event`` and the seconds since ``KETQUAL_TRACE_START`` (a wall-clock time,
    set by a benchmark when it started the process) to stderr; nothing when it is unset."""
    started = os.environ.get(TRACE_VARIABLE)
    if not started:
        return
    try:
        seconds = time.time() - float(started)
    except ValueError:
        return
    print(f"ketqual start: {seconds:.4f} s {event}", file=sys.stderr, flush=True)


def _in_child() -> None:
    if _started_as == "cli":
        gc.enable()
