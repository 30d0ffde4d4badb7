"""Modules a verb needs only when it runs: `--help` and argument errors never load them.

``lazy_module("ketqual.ops.project_ops")`` stands in for the module and imports it at its
first attribute use, so a verb module can name its operations at the top (as usual) while
building the command line stays free of the database layer, numpy and Qt.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """A module imported on first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> object:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


def lazy_module(name: str) -> LazyModule:
    """A stand-in for the module ``name`` (see :class:`LazyModule`)."""
    return LazyModule(name)
