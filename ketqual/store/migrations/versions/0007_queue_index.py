"""Faster consensus reviews on large projects.

* The queue's index: review, status, queue order and kind in one index, so the first page
  of a review's queue and its counts by kind are read from the index alone instead of
  sorting the rows. It takes the place of the (review, status) index, its first half.
* The agreements a review accepted into the consensus layer (tens of thousands of keys on
  a large project) move from the review's options into a column of their own, so reading a
  review's settings no longer decodes them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_REVIEW = sa.table(
    "review",
    sa.column("id", sa.Integer),
    sa.column("options", sa.JSON),
    sa.column("accepted", sa.JSON),
)


def upgrade() -> None:
    op.create_index(
        "ix_disagreement_queue", "disagreement", ["review_id", "status", "sort_order", "kind"]
    )
    op.drop_index("ix_disagreement_review_status", table_name="disagreement")
    op.add_column("review", sa.Column("accepted", sa.JSON(), nullable=False, server_default="[]"))
    bind = op.get_bind()
    for review_id, options in bind.execute(sa.select(_REVIEW.c.id, _REVIEW.c.options)).all():
        options = dict(options or {})
        if "accepted" not in options:
            continue
        keys = options.pop("accepted") or []
        bind.execute(
            _REVIEW.update().where(_REVIEW.c.id == review_id).values(options=options, accepted=keys)
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_REVIEW.c.id, _REVIEW.c.options, _REVIEW.c.accepted)).all()
    for review_id, options, keys in rows:
        if keys:
            bind.execute(
                _REVIEW.update()
                .where(_REVIEW.c.id == review_id)
                .values(options={**(options or {}), "accepted": keys})
            )
    with op.batch_alter_table("review") as batch:
        batch.drop_column("accepted")
    op.create_index("ix_disagreement_review_status", "disagreement", ["review_id", "status"])
    op.drop_index("ix_disagreement_queue", table_name="disagreement")
