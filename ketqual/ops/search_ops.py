"""Searching a project's documents (plain text or regular expression)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ketqual.core.search import Hit, compile_pattern, find_hits
from ketqual.store.database import ProjectStore

MAX_HITS = 20_000  # more than anyone reviews; keeps a careless "e" search from eating memory


def search_documents(
    project: ProjectStore,
    query: str,
    *,
    regex: bool = False,
    case_sensitive: bool = False,
    document_ids: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[list[Hit], bool]:
    """Hits in the given documents (all when ``None``); returns (hits, truncated).

    Raises:
        SearchError: the query cannot be used (see :func:`compile_pattern`).
    """
    pattern = compile_pattern(query, regex=regex, case_sensitive=case_sensitive)
    with project.read() as tx:
        ids = [d.id for d in tx.documents.list()] if document_ids is None else list(document_ids)
    hits: list[Hit] = []
    for done, document_id in enumerate(ids, start=1):
        if cancelled is not None and cancelled():
            break
        with project.read() as tx:
            text = tx.documents.text(document_id)
        hits += find_hits(document_id, text, pattern, limit=MAX_HITS - len(hits))
        if progress is not None:
            progress(done, len(ids))
        if len(hits) >= MAX_HITS:
            return hits, True
    return hits, False
