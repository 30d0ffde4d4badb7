"""Coding operations: apply, skip duplicates, remove/restore, recode, memo, done, blinding."""

from __future__ import annotations

import pytest

from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops
from tests.factories import NOTES, add_document, make_project


@pytest.fixture
def setup(tmp_path):
    project = make_project(tmp_path)
    doc = add_document(project)
    a = coder_ops.add_coder(project, "Coder A").details["coder_id"]
    b = coder_ops.add_coder(project, "Coder B").details["coder_id"]
    boss = coder_ops.add_coder(project, "Sam", role="supervisor").details["coder_id"]
    monitoring = codebook_ops.find_code(project, "Monitoring").id
    effect = codebook_ops.find_code(project, "Effectiveness").id
    yield project, doc, a, b, boss, monitoring, effect
    project.close()


def test_apply_then_remove_then_restore_round_trips(setup):
    project, doc, a, _, _, monitoring, _ = setup
    change = coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 10, 40, "hmm")])
    [added] = change.details["added"]
    assert (added.start, added.end, added.memo, added.coder_id) == (10, 40, "hmm", a)
    assert change.documents == (doc,) and change.codes == (monitoring,)

    removed = coding_ops.remove_codings(project, [added.id]).details["removed"]
    assert removed == [added]
    assert coding_ops.document_codings(project, doc, viewer_id=a, layers=[a]) == []

    coding_ops.restore_codings(project, removed)
    assert coding_ops.document_codings(project, doc, viewer_id=a, layers=[a]) == [added]


def test_exact_duplicates_are_skipped_and_overlaps_allowed(setup):
    project, doc, a, _, _, monitoring, effect = setup
    coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 10, 40)])
    again = coding_ops.add_codings(
        project,
        a,
        [
            NewCoding(doc, monitoring, 10, 40),
            NewCoding(doc, effect, 10, 40),
            NewCoding(doc, monitoring, 20, 50),
        ],
    )
    assert again.details["skipped"] == 1
    assert len(again.details["added"]) == 2
    assert "already there" in again.summary


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "outside"), (-1, 3, "outside"), (0, 10_000, "outside")],
)
def test_bad_spans_are_refused_with_nothing_written(setup, start, end, message):
    project, doc, a, _, _, monitoring, _ = setup
    with pytest.raises(OperationError, match=message):
        coding_ops.add_codings(
            project, a, [NewCoding(doc, monitoring, 0, 4), NewCoding(doc, monitoring, start, end)]
        )
    assert coding_ops.document_codings(project, doc, viewer_id=a, layers=[a]) == []


def test_retired_codes_and_unknown_things_are_refused(setup):
    project, doc, a, _, _, monitoring, _ = setup
    codebook_ops.retire_code(project, monitoring, actor="t")
    with pytest.raises(OperationError, match="retired"):
        coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 0, 4)])
    with pytest.raises(OperationError, match="no document"):
        coding_ops.add_codings(project, a, [NewCoding(999, monitoring, 0, 4)])
    with pytest.raises(OperationError, match="no coder"):
        coding_ops.add_codings(project, 999, [NewCoding(doc, monitoring, 0, 4)])
    with pytest.raises(OperationError, match="nothing"):
        coding_ops.add_codings(project, a, [])


def test_recode_and_memo_report_previous_values(setup):
    project, doc, a, _, _, monitoring, effect = setup
    [c] = coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 0, 9)]).details["added"]
    change = coding_ops.recode_codings(project, {c.id: effect})
    assert change.details["previous"] == {c.id: monitoring}
    memo = coding_ops.set_memo(project, c.id, "  check with B  ")
    assert memo.details["previous"] == ""
    [now] = coding_ops.document_codings(project, doc, viewer_id=a, layers=[a])
    assert (now.code_id, now.memo) == (effect, "check with B")
    coding_ops.remove_codings(project, [c.id])
    with pytest.raises(OperationError, match="no longer"):
        coding_ops.set_memo(project, c.id, "x")


def test_blinded_coders_see_only_their_own_layer(setup):
    project, doc, a, b, boss, monitoring, _ = setup
    coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 0, 9)])
    coding_ops.add_codings(project, b, [NewCoding(doc, monitoring, 3, 12)])
    assert coder_ops.visible_layers(project, a) == [coder_ops.find_coder(project, a)]
    with pytest.raises(OperationError, match="blinded"):
        coding_ops.document_codings(project, doc, viewer_id=a, layers=[a, b])
    with pytest.raises(OperationError, match="blinded"):
        coding_ops.document_codings(project, doc, viewer_id=boss, layers=[a])

    with pytest.raises(OperationError, match="only a supervisor"):
        coder_ops.set_unblinded(project, by_coder_id=a, unblinded=True, reason="peek")
    with pytest.raises(OperationError, match="reason"):
        coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason=" ")
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="consensus meeting")
    state = coder_ops.blinding(project)
    assert state.unblinded and state.by == "Sam" and state.reason == "consensus meeting"
    both = coding_ops.document_codings(project, doc, viewer_id=a, layers=[a, b])
    assert {c.coder_id for c in both} == {a, b}
    with project.read() as tx:
        [event] = tx.audit.list(action="project.unblind")
    assert "consensus meeting" in event.summary and event.at

    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=False, reason="next round")
    assert not coder_ops.blinding(project).unblinded


def test_done_marks_and_progress(setup):
    project, doc, a, b, _, monitoring, _ = setup
    coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 0, 9)])
    change = coding_ops.set_done(project, doc, a, True)
    assert change.details["previous"] is False
    state = coding_ops.progress(project)
    assert state["done"] == {(doc, a)}
    assert state["counts"] == {(doc, a): 1}
    assert coding_ops.set_done(project, doc, a, False).details["previous"] is True
    assert coding_ops.progress(project)["done"] == set()
    assert coding_ops.coding_counts(project, a) == {monitoring: 1}
    assert coding_ops.coding_counts(project, b) == {}


def test_coder_names_are_unique_and_checked(setup):
    project = setup[0]
    with pytest.raises(OperationError, match="already"):
        coder_ops.add_coder(project, "coder a")
    with pytest.raises(OperationError, match="role"):
        coder_ops.add_coder(project, "Zed", role="boss")
    with pytest.raises(OperationError, match="name"):
        coder_ops.add_coder(project, "   ")
    assert coder_ops.find_coder(project, "CODER B").name == "Coder B"
    with pytest.raises(OperationError, match="Coder A, Coder B, Sam"):
        coder_ops.find_coder(project, "Nobody")


def test_emoji_offsets_are_code_points(setup):
    project, doc, a, _, _, monitoring, _ = setup
    start = NOTES.index("😟")
    [c] = coding_ops.add_codings(
        project, a, [NewCoding(doc, monitoring, start, start + 1)]
    ).details["added"]
    with project.read() as tx:
        assert tx.documents.text(doc)[c.start : c.end] == "😟"


def test_a_coder_changes_only_their_own_layer(setup):
    """With ``owner``, removing, recoding or writing a memo on another layer's coding is
    refused and nothing changes (what a coder's app passes on a shared server)."""
    project, doc, a, b, _, monitoring, effect = setup
    [theirs] = coding_ops.add_codings(project, b, [NewCoding(doc, monitoring, 3, 12)]).details[
        "added"
    ]
    [mine] = coding_ops.add_codings(project, a, [NewCoding(doc, monitoring, 0, 9)]).details["added"]
    attempts = [
        lambda: coding_ops.remove_codings(project, [mine.id, theirs.id], owner=a),
        lambda: coding_ops.recode_codings(project, {theirs.id: effect}, owner=a),
        lambda: coding_ops.set_memo(project, theirs.id, "mine now", owner=a),
        lambda: coding_ops.set_memo(project, mine.id, "consensus?", owner=None),
    ]
    for attempt in attempts:
        with pytest.raises(OperationError, match="only change your own"):
            attempt()
    with project.read() as tx:
        assert sorted(tx.codings.get_many([mine.id, theirs.id]), key=lambda c: c.id) == sorted(
            [mine, theirs], key=lambda c: c.id
        )
    coding_ops.set_memo(project, mine.id, "fine", owner=a)
    coding_ops.recode_codings(project, {mine.id: effect}, owner=a)
    coding_ops.remove_codings(project, [mine.id], owner=a)
    with project.read() as tx:
        assert tx.codings.get_many([mine.id, theirs.id]) == [theirs]
