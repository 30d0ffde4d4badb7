"""What an operation changed, so a view can refresh just that (like Anki's OpChanges).

Every mutation returns a :class:`Change` naming the :class:`Area` s it touched. A window
refreshes only when ``change.touches(Area.X)`` for an area it shows. Where a consumer
needs the particulars (undo inverses, the coding screen's in-place highlight updates, a
saved framework summary) the operation also returns a typed ``payload``: a frozen
dataclass defined beside the operation (``coding_ops.CodingsAdded``,
``codebook_ops.CodeRenamed``...), matched on its type, never on the ``action`` string.
The ``action`` stays as the audit log's name for the step.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum


class Area(StrEnum):
    """What kind of thing an operation changed; a window refreshes only what it shows."""

    PROJECT = "project"  # name, settings, blinding
    PEOPLE = "people"  # coders and supervisors
    DOCUMENTS = "documents"  # texts, metadata, units, cases
    CODEBOOK = "codebook"  # the code tree and definitions
    CODINGS = "codings"  # any layer's codings, memos, done marks
    CONSENSUS = "consensus"  # review queue, decisions, the consensus layer
    OUTPUTS = "outputs"  # framework summaries, network edges and layout
    ATTRIBUTES = "attributes"  # case, document and participant attributes
    VOTES = "votes"  # voting questions and answers
    PRIVACY = "privacy"  # identifier review, pseudonyms, key file


#: For operations that change nothing a window shows (an export, an audit-only step).
NOTHING: frozenset[Area] = frozenset()


@dataclass(frozen=True)
class Change:
    """The result of one operation.

    Attributes:
        action: Dotted name, e.g. ``code.rename`` (also used in the audit log).
        summary: One line for the user ("Renamed 'Cost' to 'Costs'").
        areas: The kinds of things that changed (see :class:`Area`); every operation
            names them (any iterable of areas is accepted and kept as a frozenset).
        documents: Ids of documents added or changed.
        codes: Ids of codes added or changed.
        details: Plain facts for the command line, scripts and tests.
        payload: A typed record of what changed, for undo and for views that update in
            place (each operation documents its payload type); ``None`` when nobody
            needs more than the areas.
    """

    action: str
    summary: str
    _: KW_ONLY
    areas: AbstractSet[Area] = NOTHING
    documents: tuple[int, ...] = ()
    codes: tuple[int, ...] = ()
    details: dict = field(default_factory=dict)
    payload: object | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.areas, frozenset):
            object.__setattr__(self, "areas", frozenset(self._areas(self.areas)))

    @staticmethod
    def _areas(areas: Iterable[Area] | Area) -> Iterable[Area]:
        return (areas,) if isinstance(areas, Area) else areas

    @property
    def codebook(self) -> bool:
        """True when the codebook tree changed."""
        return Area.CODEBOOK in self.areas

    def touched(self) -> frozenset[Area]:
        """The areas this change touched."""
        return frozenset(self.areas)

    def touches(self, *areas: Area) -> bool:
        """True when the change touched any of ``areas``."""
        return not self.areas.isdisjoint(areas)


def default_actor() -> str:
    """Who is acting when nobody said: the operating-system user name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"
