"""SQLAlchemy 2 models of a KetQual project.

Every table that other tools or a later merge must match rows across has a ``uid``
(uuid4 hex) besides its integer key: integer ids differ between copies of a project,
uids do not.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ketqual.core.ids import new_uid, utcnow

APPLICATION_MARKER = "ketqual"


def table_of(row_class: type[Base]) -> Table:
    """The Core table of a row class (``__table__`` is typed only as a FromClause)."""
    return cast(Table, row_class.__table__)


class Base(DeclarativeBase):
    """Declarative base for every KetQual table."""


class ProjectRow(Base):
    """The single row describing the project; ``application`` marks the database as ours."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    application: Mapped[str] = mapped_column(String(32), default=APPLICATION_MARKER)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)


class CoderRow(Base):
    """A coder or supervisor."""

    __tablename__ = "coder"
    __table_args__ = (CheckConstraint("role in ('coder', 'supervisor')", name="coder_role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="coder")
    colour: Mapped[str] = mapped_column(String(9), default="#332288")
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class CodeRow(Base):
    """A code in the codebook tree (theme > subtheme)."""

    __tablename__ = "code"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    colour: Mapped[str] = mapped_column(String(9))
    definition: Mapped[str] = mapped_column(Text, default="")
    include_notes: Mapped[str] = mapped_column(Text, default="")
    exclude_notes: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    shortcut: Mapped[str | None] = mapped_column(String(4))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class CodebookVersionRow(Base):
    """A snapshot of the whole codebook (JSON exchange format) taken after each change."""

    __tablename__ = "codebook_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)


class CaseRow(Base):
    """A case: a focus group (session + group)."""

    __tablename__ = "case"
    __table_args__ = (UniqueConstraint("session", "group_no", name="case_session_group"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    session: Mapped[int | None] = mapped_column(Integer)
    group_no: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)


class DocumentRow(Base):
    """An imported document: its final (pseudonymised) text and where it came from."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint(
            "kind in ('scribe_notes', 'feedback_sheet', 'other')", name="document_kind"
        ),
        Index("ix_document_source_sha256", "source_sha256"),
        Index("ix_document_text_sha256", "text_sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    session: Mapped[int | None] = mapped_column(Integer)
    group_no: Mapped[int | None] = mapped_column(Integer)
    notetaker: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(10))
    source_name: Mapped[str] = mapped_column(String(500))
    source_format: Mapped[str] = mapped_column(String(16))
    source_sha256: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(40))
    imported_at: Mapped[str] = mapped_column(String(40), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    char_count: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class SegmentRow(Base):
    """A sentence or paragraph unit of a document, as code-point offsets [start, end)."""

    __tablename__ = "segment"
    __table_args__ = (
        CheckConstraint("kind in ('sentence', 'paragraph')", name="segment_kind"),
        CheckConstraint('start >= 0 AND "end" > start', name="segment_span"),
        Index("ix_segment_document_kind_start", "document_id", "kind", "start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class CodingRow(Base):
    """A coded span. ``coder_id`` NULL is the consensus layer."""

    __tablename__ = "coding"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="coding_span"),
        Index("ix_coding_document_coder", "document_id", "coder_id"),
        Index("ix_coding_code", "code_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"))
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)
    updated_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class DocumentStatusRow(Base):
    """A coder's progress on a document: marked done (or not) and when."""

    __tablename__ = "document_status"
    __table_args__ = (UniqueConstraint("document_id", "coder_id", name="document_status_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class MemoRow(Base):
    """A free memo attached to the project, a document, a code or a case."""

    __tablename__ = "memo"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)
    updated_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class PseudonymRow(Base):
    """The pseudonymisation key: real name -> pseudonym.

    Kept in its own table so coder packages and exports can leave it out entirely.
    """

    __tablename__ = "pseudonym_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    real_name: Mapped[str] = mapped_column(String(200), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class AuditRow(Base):
    """Append-only log of every consequential action (the store offers no update or delete)."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class ReviewRow(Base):
    """A consensus review of two coders' layers at one unit (sentence units or characters)."""

    __tablename__ = "review"
    __table_args__ = (CheckConstraint("unit in ('sentence', 'character')", name="review_unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    coder_a_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    coder_b_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    unit: Mapped[str] = mapped_column(String(12))
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class DisagreementRow(Base):
    """One place where two coders' layers differ, with both codings as they were when found.

    ``fingerprint`` identifies the same difference across recomputations, so a refreshed
    queue keeps what was already resolved or deferred.
    """

    __tablename__ = "disagreement"
    __table_args__ = (
        CheckConstraint(
            "kind in ('a_only', 'b_only', 'boundary', 'different_code')", name="disagreement_kind"
        ),
        CheckConstraint(
            "status in ('open', 'resolved', 'deferred', 'obsolete')", name="disagreement_status"
        ),
        CheckConstraint('start >= 0 AND "end" > start', name="disagreement_span"),
        UniqueConstraint("review_id", "fingerprint", name="disagreement_once"),
        Index("ix_disagreement_review_status", "review_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    codings_a: Mapped[list] = mapped_column(JSON, default=list)
    codings_b: Mapped[list] = mapped_column(JSON, default=list)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolution: Mapped[str | None] = mapped_column(String(16))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class DecisionRow(Base):
    """Append-only log of consensus decisions (the store offers no update or delete, and
    database triggers refuse them). Nothing here is a foreign key, so deleting a document
    or a code can never cascade into the log; uids and copied names keep it readable."""

    __tablename__ = "decision"
    __table_args__ = (Index("ix_decision_disagreement", "disagreement_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    at: Mapped[str] = mapped_column(String(40), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    review_id: Mapped[int | None] = mapped_column(Integer)
    disagreement_id: Mapped[int | None] = mapped_column(Integer)
    document_uid: Mapped[str | None] = mapped_column(String(32))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    dissent: Mapped[str] = mapped_column(Text, default="")
    undoes_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class MatrixSummaryRow(Base):
    """A framework-matrix cell in the analyst's words: one case x one code column.

    ``code_id`` is a subtheme, or the theme itself for the "other (theme-level)" column.
    ``state`` tells an empty cell "not discussed" from "discussed, nothing substantive".
    ``refs`` lists the uids of the codings the summary rests on.
    """

    __tablename__ = "matrix_summary"
    __table_args__ = (
        CheckConstraint(
            "state in ('summary', 'not_discussed', 'nothing_substantive')",
            name="matrix_summary_state",
        ),
        UniqueConstraint("case_id", "code_id", name="matrix_summary_cell"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20), default="summary")
    text: Mapped[str] = mapped_column(Text, default="")
    refs: Mapped[list] = mapped_column(JSON, default=list)
    author: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class NetworkEdgeRow(Base):
    """An edge of the theme-overlap network that the analyst accepted, rejected or drew,
    with where it came from (computed: layer, unit, measure, value; or drawn by hand)."""

    __tablename__ = "network_edge"
    __table_args__ = (
        CheckConstraint("origin in ('computed', 'drawn')", name="network_edge_origin"),
        CheckConstraint("status in ('accepted', 'rejected')", name="network_edge_status"),
        CheckConstraint("source_code_id <> target_code_id", name="network_edge_distinct"),
        UniqueConstraint("source_code_id", "target_code_id", name="network_edge_once"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    source_code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    target_code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="accepted")
    directed: Mapped[bool] = mapped_column(Boolean, default=False)
    layer: Mapped[str | None] = mapped_column(String(120))
    unit: Mapped[str | None] = mapped_column(String(20))
    measure: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[str] = mapped_column(String(40), default=utcnow)
