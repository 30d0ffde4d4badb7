"""SQLAlchemy 2 models of a KetQual project.

Every table that other tools or a later merge must match rows across has a ``uid``
(uuid4 hex) besides its integer key: integer ids differ between copies of a project,
uids do not.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

APPLICATION_MARKER = "ketqual"


def new_uid() -> str:
    """A fresh stable identifier."""
    return uuid.uuid4().hex


def utcnow() -> str:
    """Current UTC time as ISO 8601 text (text sorts and reads the same on every backend)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


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
