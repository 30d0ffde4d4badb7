"""Read-only views of stored rows, handed out by the store so no layer above sees SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core.model import DocumentMeta

CONSENSUS_LAYER = "consensus"
CODER_ROLES = ("coder", "supervisor")


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
    """A case, here a focus group identified by session and group number."""

    id: int
    uid: str
    name: str
    session: int | None
    group: int | None


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
class AuditEvent:
    """One entry of the append-only audit log."""

    id: int
    at: str
    actor: str
    action: str
    summary: str
    details: dict
