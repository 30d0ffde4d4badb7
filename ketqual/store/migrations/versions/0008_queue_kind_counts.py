"""A review's counts by status and kind from an index in that order.

Opening the consensus window counts a review's items by status and kind (the progress
line, the Type filter's numbers). The queue index (review, status, queue order, kind) holds
both columns, but not side by side, so SQLite counted through a temporary B-tree: about
8 ms of a 17,000-item queue, the largest single read of the window's opening. An index on
(review, kind, status) hands the groups over in order (about 1.5 ms). Kind comes before
status so that the queue's pages, filtered by status and ordered by queue position, keep
using the queue index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_disagreement_kinds", "disagreement", ["review_id", "kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_disagreement_kinds", table_name="disagreement")
