"""Read-only views of stored rows, handed out by the store so no layer above sees SQLAlchemy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple

from ketqual.core.model import DocumentMeta

# What a case can be (the project says which): see ops.attributes.case_ops.
CASE_UNITS = ("focus_group", "document", "participant")
CODER_ROLES = ("coder", "supervisor")
# What users type to mean the consensus layer (the codings without a coder).
CONSENSUS_LAYER = "consensus"


@dataclass(frozen=True)
class DocumentRecord:
    """A stored document without its text (ask the store for the text separately)."""

    id: int
    uid: str
    meta: DocumentMeta
    source_name: str
    source_format: str
    source_sha256: str
    encoding: str | None
    imported_at: str
    text_sha256: str
    char_count: int
    case_id: int | None


@dataclass(frozen=True)
class CodeRecord:
    """One code of the codebook tree (a theme when ``parent_id`` is ``None``)."""

    id: int
    uid: str
    parent_id: int | None
    name: str
    colour: str
    definition: str
    include: str
    exclude: str
    example: str
    shortcut: str | None
    sort_order: int
    active: bool


@dataclass(frozen=True)
class CoderRecord:
    """A person who codes (role ``coder``) or supervises (role ``supervisor``)."""

    id: int
    uid: str
    name: str
    role: str
    colour: str


@dataclass(frozen=True)
class CaseRecord:
    """A case: a focus group identified by session and group number (``kind``
    ``focus_group``), or, when the project counts them as cases, one document or one
    participant (``subject`` is the document's uid or the participant's label)."""

    id: int
    uid: str
    name: str
    session: int | None
    group: int | None
    kind: str = "focus_group"
    subject: str | None = None
    attributes: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class CodingRecord:
    """A span of a document tagged with a code by a coder, or in the consensus layer."""

    id: int
    uid: str
    document_id: int
    code_id: int
    coder_id: int | None  # None = the consensus layer
    start: int
    end: int
    memo: str


@dataclass(frozen=True)
class MemoRecord:
    """A free memo by a coder (``None``: nobody in particular) on the project
    (``target_type`` ``project``, no target), a document, a code, a case or a coding,
    or a coder package's codebook suggestion (``suggestion``)."""

    id: int
    uid: str
    coder_id: int | None
    target_type: str
    target_id: int | None
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class AuditEvent:
    """One entry of the append-only audit log."""

    id: int
    at: str
    actor: str
    action: str
    summary: str
    details: dict


@dataclass(frozen=True)
class ReviewRecord:
    """A consensus review of coder A's and coder B's layers at a unit."""

    id: int
    uid: str
    coder_a_id: int
    coder_b_id: int
    unit: str
    options: dict
    created_at: str
    created_by: str


@dataclass(frozen=True)
class DisagreementRecord:
    """A stored disagreement of a review, with its status in the meeting.

    ``codings_a`` / ``codings_b`` are the coders' codings as they were when the difference
    was found (the coders' own layers are never changed by the review).
    """

    id: int
    uid: str
    review_id: int
    document_id: int
    kind: str
    start: int
    end: int
    codings_a: tuple[CodingRecord, ...]
    codings_b: tuple[CodingRecord, ...]
    status: str  # open, resolved, deferred, obsolete
    resolution: str | None
    sort_order: int

    @property
    def code_ids(self) -> tuple[int, ...]:
        """Every code involved, in first-use order."""
        return tuple(dict.fromkeys(c.code_id for c in (*self.codings_a, *self.codings_b)))


@dataclass(frozen=True)
class DecisionRecord:
    """One entry of the append-only decision log."""

    id: int
    uid: str
    at: str
    actor: str
    action: str
    review_id: int | None
    disagreement_id: int | None
    document_uid: str | None
    start: int | None
    end: int | None
    reason: str
    dissent: str
    undoes_id: int | None
    details: dict


def codings_from_json(items: list | None, document_id: int) -> tuple[CodingRecord, ...]:
    """Coding snapshots as a disagreement row stores them (JSON objects) back as records."""
    return tuple(
        CodingRecord(
            c["id"],
            c["uid"],
            document_id,
            c["code_id"],
            c["coder_id"],
            c["start"],
            c["end"],
            c.get("memo", ""),
        )
        for c in items or ()
    )


def short_document_title(
    title: str, kind: str, session: int | None, group: int | None, document_id: int
) -> str:
    """A compact column heading: ``S1 G2 notes`` when session and group are known."""
    if session is not None and group is not None:
        short_kind = {"scribe_notes": "notes", "feedback_sheet": "sheets"}.get(kind, "")
        return f"S{session} G{group} {short_kind}".strip()
    title = title or f"#{document_id}"
    # The end of a long title usually tells documents apart ("... participant 12").
    return title if len(title) <= 16 else "…" + title[-14:].lstrip()


class DocumentLabel(NamedTuple):
    """What lists and queues show of a document (no text, no provenance): quick to read
    by the thousand."""

    id: int
    uid: str
    title: str
    kind: str
    session: int | None
    group: int | None
    case_id: int | None

    def short(self) -> str:
        """The compact heading (see :func:`short_document_title`)."""
        return short_document_title(self.title, self.kind, self.session, self.group, self.id)


class QueueItem(NamedTuple):
    """A disagreement as the review window lists it: the fields of
    :class:`DisagreementRecord`, but both coders' codings stay stored JSON text
    (``raw_a``, ``raw_b``) until first asked for, and a plain tuple underneath, so a queue
    of 20,000 loads in a blink. ``cache`` is a one-element list holding the decoded codings.
    """

    id: int
    review_id: int
    document_id: int
    kind: str
    start: int
    end: int
    status: str
    resolution: str | None
    sort_order: int
    raw_a: str | None
    raw_b: str | None
    cache: list

    @classmethod
    def from_row(cls, row) -> QueueItem:
        """Build from a database row of the first eleven fields."""
        return cls._make((*row, [None]))

    def _decode(self) -> tuple[tuple[CodingRecord, ...], tuple[CodingRecord, ...]]:
        if self.cache[0] is None:
            self.cache[0] = tuple(
                codings_from_json(json.loads(raw or "[]"), self.document_id)
                for raw in (self.raw_a, self.raw_b)
            )
        return self.cache[0]

    @property
    def codings_a(self) -> tuple[CodingRecord, ...]:
        """Coder A's codings involved."""
        return self._decode()[0]

    @property
    def codings_b(self) -> tuple[CodingRecord, ...]:
        """Coder B's codings involved."""
        return self._decode()[1]

    @property
    def code_ids(self) -> tuple[int, ...]:
        """Every code involved, in first-use order."""
        return tuple(dict.fromkeys(c.code_id for c in (*self.codings_a, *self.codings_b)))

    def with_status(self, status: str, resolution: str | None) -> QueueItem:
        """A copy with a new status (sharing the decoded codings)."""
        return self._replace(status=status, resolution=resolution)
