"""Identifier review: suggestions of names, contact details and places found in documents,
with the reviewers' decisions (the re-identification key itself lives in a key file,
never in the project).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identifier_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=12), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("certain", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("entry_uid", sa.String(length=32), nullable=True),
        sa.Column("token", sa.String(length=60), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "field in ('text', 'title', 'notetaker', 'source_name')", name="identifier_hit_field"
        ),
        sa.CheckConstraint(
            "status in ('pending', 'accepted', 'rejected', 'applied')",
            name="identifier_hit_status",
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="identifier_hit_span"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_index(
        "ix_identifier_hit_document_status", "identifier_hit", ["document_id", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_identifier_hit_document_status", table_name="identifier_hit")
    op.drop_table("identifier_hit")
