"""Consensus review (reviews, disagreements, the append-only decision log) and the
outputs for the write-up (framework-matrix summaries, theme-overlap network edges).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The decision log is append-only: the database itself refuses to change or remove a row.
_SQLITE_TRIGGERS = [
    "CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision "
    "BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END",
    "CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision "
    "BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END",
]
_POSTGRES_TRIGGERS = [
    "CREATE FUNCTION decision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the decision log is append-only'; END $$",
    "CREATE TRIGGER decision_no_change BEFORE UPDATE OR DELETE ON decision "
    "FOR EACH ROW EXECUTE FUNCTION decision_append_only()",
]


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("disagreement_id", sa.Integer(), nullable=True),
        sa.Column("document_uid", sa.String(length=32), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("dissent", sa.Text(), nullable=False),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_index("ix_decision_disagreement", "decision", ["disagreement_id"], unique=False)
    op.create_table(
        "matrix_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("refs", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "state in ('summary', 'not_discussed', 'nothing_substantive')",
            name="matrix_summary_state",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "code_id", name="matrix_summary_cell"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "network_edge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("source_code_id", sa.Integer(), nullable=False),
        sa.Column("target_code_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("layer", sa.String(length=120), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("measure", sa.String(length=20), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.CheckConstraint("origin in ('computed', 'drawn')", name="network_edge_origin"),
        sa.CheckConstraint("status in ('accepted', 'rejected')", name="network_edge_status"),
        sa.CheckConstraint("source_code_id <> target_code_id", name="network_edge_distinct"),
        sa.ForeignKeyConstraint(["source_code_id"], ["code.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_code_id"], ["code.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_code_id", "target_code_id", name="network_edge_once"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("coder_a_id", sa.Integer(), nullable=False),
        sa.Column("coder_b_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint("unit in ('sentence', 'character')", name="review_unit"),
        sa.ForeignKeyConstraint(["coder_a_id"], ["coder.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["coder_b_id"], ["coder.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "disagreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("codings_a", sa.JSON(), nullable=False),
        sa.Column("codings_b", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "kind in ('a_only', 'b_only', 'boundary', 'different_code')", name="disagreement_kind"
        ),
        sa.CheckConstraint(
            "status in ('open', 'resolved', 'deferred', 'obsolete')", name="disagreement_status"
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="disagreement_span"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "fingerprint", name="disagreement_once"),
        sa.UniqueConstraint("uid"),
    )
    op.create_index(
        "ix_disagreement_review_status", "disagreement", ["review_id", "status"], unique=False
    )

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}.get(
        dialect, []
    ):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decision_no_change ON decision")
        op.execute("DROP FUNCTION IF EXISTS decision_append_only()")
    op.drop_index("ix_disagreement_review_status", table_name="disagreement")
    op.drop_table("disagreement")
    op.drop_table("review")
    op.drop_table("network_edge")
    op.drop_table("matrix_summary")
    op.drop_index("ix_decision_disagreement", table_name="decision")
    op.drop_table("decision")
