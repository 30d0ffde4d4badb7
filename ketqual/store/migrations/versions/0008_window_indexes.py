"""Two indexes that let the review window open quickly (and any list of documents' labels).

* A review's counts by status and kind: opening the consensus window counts a review's
  items that way (the progress line, the Type filter's numbers). The queue index (review,
  status, queue order, kind) holds both columns, but not side by side, so SQLite counted
  through a temporary B-tree: about 8 ms of a 17,000-item queue, the largest single read
  of the window's opening. An index on (review, kind, status) hands the groups over in
  order (about 1.5 ms). Kind comes first so that the queue's pages, filtered by status and
  ordered by queue position, keep using the queue index.
* Documents' labels (id, uid, title, kind, session, group, focus group) in display order:
  the focus group and the order are stored after the text, so reading a thousand labels
  walked every text's overflow pages, 10 MB on a large project, the first time (13-15 ms;
  1.3 ms from this index).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LABEL_COLUMNS = ["sort_order", "id", "uid", "title", "kind", "session", "group_no", "case_id"]


def upgrade() -> None:
    op.create_index("ix_disagreement_kinds", "disagreement", ["review_id", "kind", "status"])
    op.create_index("ix_document_labels", "document", LABEL_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_document_labels", table_name="document")
    op.drop_index("ix_disagreement_kinds", table_name="disagreement")
