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
    """A case. ``kind`` says what it stands for: a focus group (session + group, the
    documents' own case), or, when the project counts documents or participants as its
    cases, one document (``subject`` = its uid) or one participant (``subject`` = the
    label). Subjects are stable names, not foreign keys, so a case row never ties a
    document or participant to the table the documents themselves point at."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("session", "group_no", name="case_session_group"),
        Index("ix_case_kind_subject", "kind", "subject", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    session: Mapped[int | None] = mapped_column(Integer)
    group_no: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    kind: Mapped[str] = mapped_column(
        String(12), default="focus_group", server_default="focus_group"
    )
    subject: Mapped[str | None] = mapped_column(String(64))


class DocumentRow(Base):
    """An imported document: its final (pseudonymised) text and where it came from."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint(
            "kind in ('scribe_notes', 'feedback_sheet', 'other')", name="document_kind"
        ),
        Index("ix_document_source_sha256", "source_sha256"),
        Index("ix_document_text_sha256", "text_sha256"),
        # labels in display order without walking the texts stored before their last
        # columns (migration 0008)
        Index(
            "ix_document_labels",
            "sort_order",
            "id",
            "uid",
            "title",
            "kind",
            "session",
            "group_no",
            "case_id",
        ),
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
    """The pseudonymisation key of projects made before key files: real name -> pseudonym.

    Nothing writes here any more: a supervisor moves it out into a key file
    (``ketqual key move-out``, or the dialog on opening) and the table is emptied.
    """

    __tablename__ = "pseudonym_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    real_name: Mapped[str] = mapped_column(String(200), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class IdentifierHitRow(Base):
    """A suggested identifier in a document's text or metadata, and what reviewers decided.

    ``text`` holds the words found while the suggestion is pending or rejected (they are in
    the document anyway) and the replacement token once applied: the real words are never
    kept here after the document was rewritten. ``entry_uid`` names the roster entry in the
    key file, which is the only place that links a token to a name.
    """

    __tablename__ = "identifier_hit"
    __table_args__ = (
        CheckConstraint(
            "field in ('text', 'title', 'notetaker', 'source_name')", name="identifier_hit_field"
        ),
        CheckConstraint(
            "status in ('pending', 'accepted', 'rejected', 'applied')",
            name="identifier_hit_status",
        ),
        CheckConstraint('start >= 0 AND "end" > start', name="identifier_hit_span"),
        Index("ix_identifier_hit_document_status", "document_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(12), default="text")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10))
    certain: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    entry_uid: Mapped[str | None] = mapped_column(String(32))
    token: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[str | None] = mapped_column(String(40))
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
    #: The keys of the agreements accepted into the consensus layer (tens of thousands on
    #: a large project): a column of their own, so reading a review's options stays light.
    accepted: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")


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
        # the queue's pages, filtered by status, in queue order
        Index("ix_disagreement_queue", "review_id", "status", "sort_order", "kind"),
        # counts by status and kind, read from this index alone (kind first: pages keep
        # the queue index)
        Index("ix_disagreement_kinds", "review_id", "kind", "status"),
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


class ParticipantRow(Base):
    """A participant by pseudonymised label (``P14``), as the notes and feedback sheets
    name them; attributes hang off it."""

    __tablename__ = "participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    label: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class AttributeRow(Base):
    """A typed attribute of cases, documents or participants (its values are apart)."""

    __tablename__ = "attribute"
    __table_args__ = (
        CheckConstraint("target in ('case', 'document', 'participant')", name="attribute_target"),
        CheckConstraint(
            "type in ('text', 'number', 'date', 'boolean', 'choice')", name="attribute_type"
        ),
        UniqueConstraint("target", "name", name="attribute_once"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    target: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(10), default="text")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(40), default=utcnow)


_ONE_SUBJECT = (
    "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN participant_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class AttributeValueRow(Base):
    """One attribute's value for one case, document or participant (stored as canonical
    text: numbers as written, dates ISO 8601, yes/no, a choice as listed)."""

    __tablename__ = "attribute_value"
    __table_args__ = (
        CheckConstraint(_ONE_SUBJECT, name="attribute_value_subject"),
        UniqueConstraint("attribute_id", "case_id", name="attribute_value_case"),
        UniqueConstraint("attribute_id", "document_id", name="attribute_value_document"),
        UniqueConstraint("attribute_id", "participant_id", name="attribute_value_participant"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attribute.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE")
    )
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class PassageStarRow(Base):
    """A quote the supervisor starred for the theme report: a span of a document, listed
    under a code (the theme or one of its subthemes)."""

    __tablename__ = "passage_star"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="passage_star_span"),
        UniqueConstraint("document_id", "code_id", "start", "end", name="passage_star_once"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[str] = mapped_column(String(40), default=utcnow)


class VoteQuestionRow(Base):
    """A voting question of the consultation day (yes/no/unsure, single or multiple choice,
    rating 1-5). ``shape`` says whether its answers are one per participant
    (:class:`VoteAnswerRow`) or a tally (counts on its options, ``missing`` and
    ``respondents`` here)."""

    __tablename__ = "vote_question"
    __table_args__ = (
        CheckConstraint(
            "kind in ('single', 'yesno', 'multiple', 'rating')", name="vote_question_kind"
        ),
        CheckConstraint("shape in ('participants', 'tally')", name="vote_question_shape"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    shape: Mapped[str] = mapped_column(String(12), default="participants")
    missing: Mapped[int] = mapped_column(Integer, default=0)
    respondents: Mapped[int | None] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[str] = mapped_column(String(40), default=utcnow)


class VoteOptionRow(Base):
    """One option of a voting question, in order; ``tally`` holds its count when the
    question was imported as a tally."""

    __tablename__ = "vote_option"
    __table_args__ = (UniqueConstraint("question_id", "text", name="vote_option_text"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("vote_question.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    tally: Mapped[int | None] = mapped_column(Integer)


class VoteAnswerRow(Base):
    """A participant's answer: one row per option chosen, or one row with no option for
    someone present who did not answer. Participants are pseudonymised ids (``P14``)."""

    __tablename__ = "vote_answer"
    __table_args__ = (Index("ix_vote_answer_question", "question_id", "participant"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("vote_question.id", ondelete="CASCADE"))
    participant: Mapped[str] = mapped_column(String(120))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("vote_option.id", ondelete="CASCADE"))


class VoteThemeRow(Base):
    """A link between a voting question and a theme it speaks to."""

    __tablename__ = "vote_theme"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("vote_question.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("code.id", ondelete="CASCADE"), primary_key=True
    )
