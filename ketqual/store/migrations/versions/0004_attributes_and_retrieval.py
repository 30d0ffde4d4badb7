"""Attributes and retrieval: participants, typed attributes of cases, documents and
participants with their values, starred quotes for the theme report, and cases that stand
for a document or a participant as well as a focus group.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ONE_SUBJECT = (
    "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN participant_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade() -> None:
    # Existing cases are all focus groups: the server default says so for old rows.
    op.add_column(
        "case",
        sa.Column("kind", sa.String(length=12), server_default="focus_group", nullable=False),
    )
    op.add_column("case", sa.Column("subject", sa.String(length=64), nullable=True))
    op.create_index("ix_case_kind_subject", "case", ["kind", "subject"], unique=True)
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "attribute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "target in ('case', 'document', 'participant')", name="attribute_target"
        ),
        sa.CheckConstraint(
            "type in ('text', 'number', 'date', 'boolean', 'choice')", name="attribute_type"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target", "name", name="attribute_once"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "attribute_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(_ONE_SUBJECT, name="attribute_value_subject"),
        sa.ForeignKeyConstraint(["attribute_id"], ["attribute.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("attribute_id", "case_id", name="attribute_value_case"),
        sa.UniqueConstraint("attribute_id", "document_id", name="attribute_value_document"),
        sa.UniqueConstraint("attribute_id", "participant_id", name="attribute_value_participant"),
    )
    op.create_table(
        "passage_star",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="passage_star_span"),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "code_id", "start", "end", name="passage_star_once"),
        sa.UniqueConstraint("uid"),
    )


def downgrade() -> None:
    op.drop_table("passage_star")
    op.drop_table("attribute_value")
    op.drop_table("attribute")
    op.drop_table("participant")
    op.drop_index("ix_case_kind_subject", table_name="case")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("subject")
        batch.drop_column("kind")
