"""Keep Python's ``None`` alive while Qt paints: a workaround for a PySide6 6.12 fault.

With the PySide6 6.12.0 wheels on CPython 3.11, every call of a Qt method that returns
nothing (``setPen``, ``drawLine``, ``QFont.setPixelSize`` ...) hands back ``None`` without
taking a reference to it, so each call takes one reference away from ``None``. A figure
costs a few thousand such calls; once the count (about 60,000 in the app) reaches zero
the interpreter aborts with "Fatal Python error: none_dealloc".

From Python 3.12 ``None`` is immortal: its count is pinned so high that nothing can bring
it down. :func:`make_none_immortal` does the same on older versions by adding 2**40
references, which no run of the program can use up. ``None`` is never freed anyway, so
the extra references cost nothing.
"""

from __future__ import annotations

import ctypes
import sys

# Only CPython before 3.12 counts references to None; elsewhere there is nothing to do.
_AFFECTED = sys.implementation.name == "cpython" and sys.version_info < (3, 12)
_RESERVE = 1 << 40


def make_none_immortal() -> None:
    """Give ``None`` so many references that dropped ones can never free it (idempotent)."""
    if _AFFECTED and sys.getrefcount(None) < _RESERVE:
        # ob_refcnt is the first field of every CPython object (a Py_ssize_t).
        ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
