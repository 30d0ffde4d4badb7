"""What an operation changed, so a view can refresh just that (like Anki's OpChanges)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """The result of one operation.

    Attributes:
        action: Dotted name, e.g. ``code.rename`` (also used in the audit log).
        summary: One line for the user ("Renamed 'Cost' to 'Costs'").
        documents: Ids of documents added or changed.
        codes: Ids of codes added or changed.
        codebook: True when the codebook tree changed.
        details: Extra facts for callers and tests.
    """

    action: str
    summary: str
    documents: tuple[int, ...] = ()
    codes: tuple[int, ...] = ()
    codebook: bool = False
    details: dict = field(default_factory=dict)


def default_actor() -> str:
    """Who is acting when nobody said: the operating-system user name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"
