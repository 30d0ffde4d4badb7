"""Every document's units in one query equal the per-document query."""

from __future__ import annotations

from tests.factories import NOTES, add_document, make_project


def test_units_for_all_equals_units_per_document(tmp_path):
    project = make_project(tmp_path, codebook=None)
    first = add_document(project)
    second = add_document(project, NOTES + "\nOne more line. And another.\n", group=3)
    with project.read() as tx:
        every = tx.documents.units_for_all()
        sentences = tx.documents.units_for_all("sentence")
        for doc in (first, second):
            assert every[doc] == tx.documents.units(doc)
            assert sentences[doc] == tx.documents.units(doc, "sentence")
    assert set(every) == {first, second}
    assert len(every[second]) > len(every[first])
    project.close()
