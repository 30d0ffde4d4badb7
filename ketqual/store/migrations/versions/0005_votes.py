"""Votes beside the themes: voting questions, their options, participants' answers and
links to themes.

Revision ID: 0005
Revises: 0003 (rechained after 0004 when both are on main)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vote_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("shape", sa.String(length=12), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "kind in ('single', 'yesno', 'multiple', 'rating')", name="vote_question_kind"
        ),
        sa.CheckConstraint("shape in ('participants', 'tally')", name="vote_question_shape"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("text"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "vote_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("tally", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["vote_question.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "text", name="vote_option_text"),
    )
    op.create_table(
        "vote_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.String(length=120), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["option_id"], ["vote_option.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["vote_question.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_vote_answer_question", "vote_answer", ["question_id", "participant"], unique=False
    )
    op.create_table(
        "vote_theme",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["vote_question.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "code_id"),
    )


def downgrade() -> None:
    op.drop_table("vote_theme")
    op.drop_index("ix_vote_answer_question", table_name="vote_answer")
    op.drop_table("vote_answer")
    op.drop_table("vote_option")
    op.drop_table("vote_question")
