"""Project search: scope, labels, limits and bad patterns."""

from __future__ import annotations

import pytest

from ketqual.core.search import SearchError
from ketqual.ops.coding import search_ops
from tests.factories import add_document, make_project


def test_search_finds_hits_across_documents_with_labels(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    first = add_document(project, "Bladder pain. Later bladder checks.", session=1, group=1)
    second = add_document(project, "No hits here.", session=1, group=2)
    third = add_document(project, "A BLADDER scan", session=1, group=3)
    labels: list[str] = []
    hits, truncated = search_ops.search_documents(project, "bladder", labels=labels)
    assert [(h.document_id, h.start) for h in hits] == [(first, 0), (first, 20), (third, 2)]
    assert not truncated
    assert labels[0].startswith("S1 G1: [Bladder]") and labels[2] == "S1 G3: A [BLADDER] scan"
    only, _ = search_ops.search_documents(project, r"b\w+r", regex=True, document_ids=[second])
    assert only == []
    monkeypatch.setattr(search_ops, "MAX_HITS", 2)
    hits, truncated = search_ops.search_documents(project, "bladder")
    assert len(hits) == 2 and truncated
    with pytest.raises(SearchError):
        search_ops.search_documents(project, "[", regex=True)
    project.close()
