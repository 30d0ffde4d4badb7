"""Bulk reads for whole-project computations: plain tuples from the driver, units only of
the kinds asked for, and one consistent snapshot across several queries."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from ketqual.ops import project_ops
from ketqual.store.driver import fetch_tuples
from tests.factories import NOTES, add_coder, add_codings, add_document


@pytest.fixture
def project(project_target):
    project = project_ops.new_project(project_target, actor="tester")
    yield project
    project.close()


def _code_ids(project) -> list[int]:
    with project.read() as tx:
        return [c.id for c in tx.codes.list()]


def test_spans_are_the_layer_as_plain_tuples_in_list_order(project):
    first = add_document(project)
    second = add_document(project, NOTES + "\nAnd more.\n", group=3)
    ann, bob = add_coder(project, "Ann"), add_coder(project, "Bob")
    code, other = _code_ids(project)[:2]
    add_codings(project, second, code, ann, [(30, 40), (2, 9)])
    add_codings(project, first, other, ann, [(5, 12)])
    add_codings(project, first, code, bob, [(1, 4)])
    add_codings(project, second, other, None, [(0, 3)])
    with project.read() as tx:
        spans = tx.codings.spans(coder_id=ann)
        records = tx.codings.list(coder_id=ann)
        assert spans == [(c.document_id, c.code_id, c.start, c.end) for c in records]
        assert all(type(row) is tuple for row in spans)
        assert spans[0] == (first, other, 5, 12)  # by document, then position
        assert tx.codings.spans(coder_id=bob) == [(first, code, 1, 4)]
        assert tx.codings.spans(consensus=True) == [(second, other, 0, 3)]
        with pytest.raises(ValueError, match="name one layer"):
            tx.codings.spans()
        with pytest.raises(ValueError, match="name one layer"):
            tx.codings.spans(coder_id=ann, consensus=True)


def test_unit_spans_reads_only_the_kinds_asked_for(project):
    first = add_document(project)
    second = add_document(project, NOTES + "\nOne more line. And another.\n", group=3)
    with project.read() as tx:
        assert tx.documents.unit_spans([]) == {}
        sentences = tx.documents.unit_spans(["sentence"])
        both = tx.documents.unit_spans(["sentence", "paragraph", "sentence"])
        for doc in (first, second):
            for kind in ("sentence", "paragraph"):
                expected = [(u.start, u.end) for u in tx.documents.units(doc, kind)]
                assert sorted(both[doc][kind]) == expected
            assert set(sentences[doc]) == {"sentence"}
            assert sentences[doc]["sentence"] == both[doc]["sentence"]


def test_a_snapshot_read_does_not_see_later_commits(project):
    doc = add_document(project)
    ann = add_coder(project, "Ann")
    code = _code_ids(project)[0]
    add_codings(project, doc, code, ann, [(0, 5)])
    with project.read(snapshot=True) as tx:
        assert len(tx.codings.spans(coder_id=ann)) == 1
        add_codings(project, doc, code, ann, [(6, 9)])  # another connection commits
        assert len(tx.codings.spans(coder_id=ann)) == 1
        assert len(tx.codings.list(coder_id=ann)) == 1
    with project.read() as tx:
        assert len(tx.codings.spans(coder_id=ann)) == 2
        add_codings(project, doc, code, ann, [(10, 12)])
        assert len(tx.codings.spans(coder_id=ann)) == 3  # without a snapshot: the latest


def test_driver_errors_come_wrapped_like_sqlalchemy_errors(project):
    with project.read() as tx, pytest.raises(DBAPIError):
        fetch_tuples(tx.session, "SELECT no_such_column FROM coding WHERE id = ?", (1,))
