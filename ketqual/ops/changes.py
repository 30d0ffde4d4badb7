"""What an operation changed, so a view can refresh just that (like Anki's OpChanges)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
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


# Until every operation names its areas, the dotted action says which area it belongs to.
_AREA_OF_PREFIX = {
    "code": Area.CODEBOOK,
    "codebook": Area.CODEBOOK,
    "coding": Area.CODINGS,
    "codings": Area.CODINGS,
    "document": Area.DOCUMENTS,
    "import": Area.DOCUMENTS,
    "coder": Area.PEOPLE,
    "consensus": Area.CONSENSUS,
    "review": Area.CONSENSUS,
    "matrix": Area.OUTPUTS,
    "network": Area.OUTPUTS,
    "project": Area.PROJECT,
    "package": Area.PROJECT,
    "attribute": Area.ATTRIBUTES,
    "votes": Area.VOTES,
    "privacy": Area.PRIVACY,
}


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
        areas: The kinds of things that changed (see :class:`Area`).
        payload: A typed record of what changed, for undo and for views that update in
            place (each operation documents its payload type).
    """

    action: str
    summary: str
    documents: tuple[int, ...] = ()
    codes: tuple[int, ...] = ()
    codebook: bool = False
    details: dict = field(default_factory=dict)
    areas: frozenset[Area] = frozenset()
    payload: object | None = None

    def touched(self) -> frozenset[Area]:
        """The areas this change touched (named by the operation, else read off the action)."""
        found = set(self.areas)
        if self.codebook:
            found.add(Area.CODEBOOK)
        if self.documents and not found:
            found.add(Area.DOCUMENTS)
        prefix = self.action.split(".", 1)[0]
        if not self.areas and prefix in _AREA_OF_PREFIX:
            found.add(_AREA_OF_PREFIX[prefix])
        return frozenset(found)

    def touches(self, *areas: Area) -> bool:
        """True when the change touched any of ``areas``."""
        return bool(self.touched().intersection(areas))


def default_actor() -> str:
    """Who is acting when nobody said: the operating-system user name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"
