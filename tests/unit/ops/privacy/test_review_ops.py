"""Finding identifiers in stored documents, the review's decisions, and replacing them."""

from __future__ import annotations

import pytest

from ketqual.ops import audit_ops, queries
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import review_ops
from tests.factories import add_codings, add_document
from tests.unit.ops.privacy.conftest import NOTES


def _rows(project, statuses=None):
    return {r.words: r for r in review_ops.review_rows(project, statuses=statuses)}


def test_detection_on_demand_with_the_roster(project, key):
    doc = add_document(project, NOTES)
    change = review_ops.detect_identifiers(project, key=key, actor="Supervisor")
    assert change.details == {"documents": 1, "coded": 0, "found": 6}
    rows = _rows(project)
    assert set(rows) == {
        "Tom Baker",
        "Annie",
        "Elm Clinic",
        "07700 900123",
        "Bob Jones",
        "Dr Singh",
    }
    assert rows["Annie"].hit.certain and rows["Annie"].hit.token == "[P01]"
    assert rows["Dr Singh"].hit.certain is False and rows["Dr Singh"].hit.token is None
    assert rows["Annie"].before == "- " and rows["Annie"].after.startswith(" said the")
    assert rows["Annie"].document == "S1 G2" and not rows["Annie"].coded
    [event] = audit_ops.audit_log(project, limit=1)
    assert event.action == "privacy.detect" and "Annie" not in str(event.details)
    # detecting again replaces undecided suggestions, never duplicates them
    review_ops.detect_identifiers(project, key=key)
    assert len(review_ops.review_rows(project)) == 6
    assert doc


def test_without_the_key_only_shapes_and_titles(project):
    add_document(project, NOTES)
    review_ops.detect_identifiers(project)
    assert set(_rows(project)) == {"07700 900123", "Dr Singh", "Elm Clinic"}


def test_decide_accept_alike_edit_add_and_apply(project, key):
    doc = add_document(project, NOTES)
    review_ops.detect_identifiers(project, key=key)
    rows = _rows(project)
    review_ops.decide(project, [rows["Dr Singh"].hit.id], "reject", actor="Supervisor")
    review_ops.accept_all_like(project, rows["Annie"].hit.id)
    review_ops.decide(
        project,
        [rows[w].hit.id for w in ("Tom Baker", "Elm Clinic", "07700 900123", "Bob Jones")],
        "accept",
    )
    text = queries.document_text(project, doc)
    start = text.index("bladder")
    review_ops.add_hit(project, doc, start - 1, start + len("bladder") + 1, "person")
    added = [r for r in review_ops.review_rows(project) if r.hit.source == "manual"][0]
    assert added.words == "bladder"  # spaces round a selection are trimmed
    review_ops.edit_hit(project, added.hit.id, kind="place")
    with pytest.raises(OperationError, match="overlaps"):
        review_ops.add_hit(project, doc, start, start + 3, "person")
    change = review_ops.apply_replacements(project, key, actor="Supervisor")
    assert change.payload.replaced == 6 and change.payload.new_entries == 2
    new = queries.document_text(project, doc)
    assert new == (
        "Session 1 – Group 2\nScribe: [STAFF-1]\n\n"
        "- [P01] said the [PLACE-1] rang her on [PHONE-1] about [PLACE-2] pain.\n"
        "- Carer ([CARER-1]) worried about driving home after a dose.\n"
        "- Dr Singh told P3 to keep a mood diary.\n"
    )
    applied = review_ops.review_rows(project, statuses=["applied"])
    assert all(r.words == r.hit.token == r.hit.text for r in applied)
    [rejected] = review_ops.review_rows(project, statuses=["rejected"])
    assert rejected.words == "Dr Singh"  # moved with the text
    units = queries.document_units(project, doc)
    assert units and all(u.end <= len(new) for u in units)
    assert key.data.find("07700 900123").token == "[PHONE-1]"
    with pytest.raises(OperationError, match="no accepted"):
        review_ops.apply_replacements(project, key)
    with pytest.raises(OperationError, match="already made"):
        review_ops.decide(project, [applied[0].hit.id], "reject")


def test_coded_documents_keep_their_text_but_metadata_is_replaced(project, key):
    doc = add_document(project, NOTES)
    with project.transaction() as tx:
        code = tx.codes.list()[0].id
        coder = tx.coders.by_name("Coder A").id
        tx.identifiers.rewrite_document(doc, None, None, {"notetaker": "Tom Baker"})
    review_ops.detect_identifiers(project, key=key)
    add_codings(project, doc, code, coder, [(30, 40)])
    change = review_ops.detect_identifiers(project, key=key)
    assert change.details["coded"] == 1 and change.details["documents"] == 0
    review_ops.decide(project, [r.hit.id for r in review_ops.review_rows(project)], "accept")
    before = queries.document_text(project, doc)
    change = review_ops.apply_replacements(project, key)
    assert change.payload.skipped_coded == ("S1 G2",)
    assert queries.document_text(project, doc) == before
    [record] = [d.record for d in queries.list_documents(project)]
    assert record.meta.notetaker == "[STAFF-1]"
    assert review_ops.review_rows(project, statuses=["accepted"])  # text ones wait


def test_decisions_are_audited_without_the_words(project, key):
    add_document(project, NOTES)
    review_ops.detect_identifiers(project, key=key)
    ids = [r.hit.id for r in review_ops.review_rows(project)]
    review_ops.decide(project, ids[:2], "reject", actor="Coder A")
    review_ops.decide(project, ids[:1], "undecide", actor="Coder A")
    events = [e for e in audit_ops.audit_log(project, limit=5) if e.action == "privacy.review"]
    assert [e.details["decision"] for e in events] == ["pending", "rejected"]
    assert "Annie" not in str([e.details for e in events])
    with pytest.raises(OperationError, match="decide with"):
        review_ops.decide(project, ids, "maybe")
    with pytest.raises(OperationError, match="no suggestion"):
        review_ops.decide(project, [9999], "accept")
