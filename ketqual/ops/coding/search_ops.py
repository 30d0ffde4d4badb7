"""Searching a project's documents (plain text or regular expression)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ketqual.core.search import Hit, compile_pattern, context, find_hits
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
    labels: list[str] | None = None,
) -> tuple[list[Hit], bool]:
    """Hits in the given documents (all when ``None``); returns (hits, truncated).

    When ``labels`` is a list, it receives one line per hit ("Title: …[hit]…") while each
    text is at hand, so a caller showing results need not read the documents again.

    Raises:
        SearchError: the query cannot be used (see :func:`compile_pattern`).
    """
    pattern = compile_pattern(query, regex=regex, case_sensitive=case_sensitive)
    with project.read() as tx:
        titles = {d.id: d.meta.title for d in tx.documents.list()}
    ids = list(titles) if document_ids is None else list(document_ids)
    hits: list[Hit] = []
    for done, document_id in enumerate(ids, start=1):
        if cancelled is not None and cancelled():
            break
        with project.read() as tx:
            text = tx.documents.text(document_id)
        found = find_hits(document_id, text, pattern, limit=MAX_HITS - len(hits))
        if labels is not None:
            title = titles.get(document_id, str(document_id))
            labels += [f"{title}: {context(text, h.start, h.end)}" for h in found]
        hits += found
        if progress is not None:
            progress(done, len(ids))
        if len(hits) >= MAX_HITS:
            return hits, True
    return hits, False
