"""A review's queue as flat rows for people and scripts (the CLI's listing and exports).

Each row names the document, the codes by their ``Theme/Subtheme`` path, what each coder
coded where, the passage itself and the coders' memos, so a row can be read without the
project open. Everything is read in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from ketqual.core import disagreements as dis
from ketqual.core.records import CodeRecord, CodingRecord
from ketqual.ops.agreement.agreement_ops import short_title
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.consensus.consensus_ops import (
    DEFERRED,
    OPEN,
    RESOLUTION_LABELS,
    RESOLVED,
    check_reader,
    review_in,
)
from ketqual.store.database import ProjectStore


def queue_rows(
    project: ProjectStore,
    review_id: int,
    *,
    viewer: str | int | None = None,
    statuses: Sequence[str] = (OPEN, DEFERRED, RESOLVED),
) -> list[dict]:
    """A review's disagreements in queue order, with titles, code paths and passages.

    Returns:
        One dict per disagreement: ``id``, ``status``, ``resolution`` (label or ``""``),
        ``kind``, ``kind_label``, ``document_id``, ``document``, ``document_short``,
        ``start``, ``end``, ``codes`` (paths), ``coder_a`` / ``coder_b`` (lists of
        ``{id, code, start, end, memo}``), ``passage`` and ``memos`` (``"A: …"`` strings).
    """
    with project.read() as tx:
        check_reader(tx, viewer)
        review_in(tx, review_id)
        items = tx.disagreements.list(review_id, statuses=list(statuses))
        codes = tx.codes.list()
        documents = {d.id: d for d in tx.documents.list()}
        texts = {doc: tx.documents.text(doc) for doc in {i.document_id for i in items}}
    paths = code_paths(codes)
    rows = []
    for item in items:
        document = documents.get(item.document_id)
        memos = [
            f"{side}: {c.memo.strip()}"
            for side, codings in (("A", item.codings_a), ("B", item.codings_b))
            for c in codings
            if c.memo.strip()
        ]
        rows.append(
            {
                "id": item.id,
                "status": item.status,
                "resolution": RESOLUTION_LABELS.get(item.resolution or "", ""),
                "kind": item.kind,
                "kind_label": dis.KIND_LABELS.get(item.kind, item.kind),
                "document_id": item.document_id,
                "document": document.meta.title if document else "",
                "document_short": short_title(document) if document else "",
                "start": item.start,
                "end": item.end,
                "codes": [_path(paths, c) for c in item.code_ids],
                "coder_a": [_coding(c, paths) for c in item.codings_a],
                "coder_b": [_coding(c, paths) for c in item.codings_b],
                "passage": texts[item.document_id][item.start : item.end],
                "memos": memos,
            }
        )
    return rows


def _path(paths: dict[int, str], code_id: int) -> str:
    # A code deleted since the queue was built still has its id in the snapshot.
    return paths.get(code_id, f"#{code_id}")


def _coding(coding: CodingRecord, paths: dict[int, str]) -> dict:
    return {
        "id": coding.id,
        "code": _path(paths, coding.code_id),
        "start": coding.start,
        "end": coding.end,
        "memo": coding.memo,
    }


def code_paths(codes: Sequence[CodeRecord]) -> dict[int, str]:
    """``code id -> Theme/Subtheme`` for a codebook."""
    return {c.id: codebook_ops.code_path(list(codes), c) for c in codes}
