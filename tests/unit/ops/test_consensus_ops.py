"""The consensus review: queue, decisions, undo, roles, the append-only log, exports."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from ketqual.ops.codebook import codebook_ops
from ketqual.ops.consensus import consensus_decisions, consensus_ops, decision_log
from ketqual.ops.consensus.consensus_ops import Edit
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops
from tests.factories import NOTES, add_codings, add_document, make_project

# Sentence units of the factory notes: [0,41) [43,102) [103,151) [152,165) [166,226)


@pytest.fixture
def setup(tmp_path):
    project = make_project(tmp_path)
    doc = add_document(project)
    a = coder_ops.add_coder(project, "Coder A").details["coder_id"]
    b = coder_ops.add_coder(project, "Coder B").details["coder_id"]
    boss = coder_ops.add_coder(project, "Sam", role="supervisor").details["coder_id"]
    codes = {
        name: codebook_ops.find_code(project, name).id
        for name in ("Monitoring", "Effectiveness", "Side-effects")
    }
    sub = codebook_ops.find_code(project, "Monitoring/Safety review and where doses are taken").id
    # Agreement: Effectiveness on sentence 2 (slightly different spans).
    add_codings(project, doc, codes["Effectiveness"], a, [(45, 100)])
    add_codings(project, doc, codes["Effectiveness"], b, [(43, 102)])
    # A only: Physical effects on sentence 5.
    add_codings(project, doc, codes["Side-effects"], a, [(170, 220)])
    # Different code, nested: A the theme, B its subtheme, on sentence 3.
    add_codings(project, doc, codes["Monitoring"], a, [(103, 151)])
    add_codings(project, doc, sub, b, [(110, 150)])
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="meeting")
    yield project, doc, a, b, boss, codes, sub
    project.close()


def _start(project, **kwargs):
    change = consensus_ops.start_review(
        project, supervisor="Sam", coder_a="Coder A", coder_b="Coder B", **kwargs
    )
    return change.details["review_id"], change


def _consensus(project):
    with project.read() as tx:
        return [(c.code_id, c.start, c.end) for c in tx.codings.list(consensus=True)]


def test_starting_a_review_builds_the_queue_and_accepts_agreements(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, change = _start(project)
    assert change.details["accepted"] == 1
    items = consensus_ops.queue(project, review_id)
    assert [(i.kind, i.start, i.end) for i in items] == [
        ("different_code", 103, 151),
        ("a_only", 170, 220),
    ]
    assert _consensus(project) == [(codes["Effectiveness"], 43, 102)]
    state = consensus_ops.review_state(project, review_id)
    assert state.progress_text() == "0 of 2 resolved"
    [log] = decision_log.decisions(project)
    assert log.action == "auto_accept" and log.details["agreements"] == 1


def test_without_auto_accept_the_consensus_stays_empty(setup):
    project = setup[0]
    _start(project, auto_accept=False)
    assert _consensus(project) == []


def test_character_unit_sees_the_boundary_shift(setup):
    project = setup[0]
    review_id, _ = _start(project, unit="character")
    kinds = [i.kind for i in consensus_ops.queue(project, review_id)]
    assert kinds == ["boundary", "different_code", "a_only"]


def test_take_a_b_both_neither_write_the_consensus_layer(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, _ = _start(project)
    different, a_only = consensus_ops.queue(project, review_id)
    consensus_decisions.resolve(project, different.id, "take_b", supervisor="Sam")
    assert (sub, 110, 150) in _consensus(project)
    consensus_decisions.resolve(
        project, a_only.id, "neither", supervisor="Sam", reason="not a physical effect"
    )
    assert (codes["Side-effects"], 170, 220) not in _consensus(project)
    state = consensus_ops.review_state(project, review_id)
    assert state.progress_text() == "2 of 2 resolved"
    # the coders' own layers are untouched
    with project.read() as tx:
        assert len(tx.codings.list(coder_id=a)) == 3 and len(tx.codings.list(coder_id=b)) == 2


def test_both_keeps_each_code(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, _ = _start(project)
    different = consensus_ops.queue(project, review_id)[0]
    consensus_decisions.resolve(project, different.id, "both", supervisor="Sam", reason="both fit")
    assert {(codes["Monitoring"], 103, 151), (sub, 110, 150)} <= set(_consensus(project))


def test_reasons_are_required_for_overrides_and_configurable(setup):
    project = setup[0]
    review_id, _ = _start(project)
    item = consensus_ops.queue(project, review_id)[0]
    for resolution in ("both", "neither"):
        with pytest.raises(OperationError, match="give a reason"):
            consensus_decisions.resolve(project, item.id, resolution, supervisor="Sam")
    with pytest.raises(OperationError, match="give a reason"):
        consensus_decisions.resolve(
            project, item.id, "edit", supervisor="Sam", edits=[Edit(setup[5]["Monitoring"], 0, 5)]
        )
    # A review may ask for a reason on every decision
    project2 = setup[0]
    review2, _ = _start(project2, unit="character", reason_required=["take_a", "take_b"])
    item2 = consensus_ops.queue(project2, review2)[0]
    with pytest.raises(OperationError, match="give a reason"):
        consensus_decisions.resolve(project2, item2.id, "take_a", supervisor="Sam")


def test_edit_sets_spans_by_hand_and_checks_them(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, _ = _start(project)
    item = consensus_ops.queue(project, review_id)[0]
    with pytest.raises(OperationError, match="inside the document"):
        consensus_decisions.resolve(
            project, item.id, "edit", supervisor="Sam", reason="r", edits=[Edit(sub, 100, 9999)]
        )
    with pytest.raises(OperationError, match="only be given with the 'edit'"):
        consensus_decisions.resolve(
            project, item.id, "take_a", supervisor="Sam", edits=[Edit(sub, 103, 140)]
        )
    consensus_decisions.resolve(
        project,
        item.id,
        "edit",
        supervisor="Sam",
        reason="only the second half is about clinic checks",
        dissent="Coder A would keep the theme",
        edits=[Edit(sub, 120, 151, "clinic checks")],
    )
    assert (sub, 120, 151) in _consensus(project)
    entry = decision_log.decisions(project)[-1]
    assert (entry.action, entry.dissent) == ("edit", "Coder A would keep the theme")
    assert entry.details["added"][0]["start"] == 120


def test_undo_is_a_new_entry_that_takes_the_consensus_back(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, _ = _start(project)
    item = consensus_ops.queue(project, review_id)[0]
    consensus_decisions.resolve(project, item.id, "take_a", supervisor="Sam")
    with pytest.raises(OperationError, match="already resolved"):
        consensus_decisions.resolve(project, item.id, "take_b", supervisor="Sam")
    before = len(decision_log.decisions(project))
    consensus_decisions.undo_decision(project, item.id, supervisor="Sam", reason="misread")
    log = decision_log.decisions(project)
    assert len(log) == before + 1
    assert log[-1].action == "undo" and log[-1].undoes_id == log[-2].id
    assert (codes["Monitoring"], 103, 151) not in _consensus(project)
    assert consensus_ops.disagreement(project, item.id).status == "open"
    consensus_decisions.resolve(project, item.id, "take_b", supervisor="Sam")
    assert (sub, 110, 150) in _consensus(project)
    # a second undo takes back the newest decision, not the one already undone
    consensus_decisions.undo_decision(project, item.id, supervisor="Sam")
    assert decision_log.decisions(project)[-1].undoes_id == decision_log.decisions(project)[-2].id
    with pytest.raises(OperationError, match="no decision to undo"):
        consensus_decisions.undo_decision(project, item.id, supervisor="Sam")


def test_defer_and_come_back(setup):
    project = setup[0]
    review_id, _ = _start(project)
    item = consensus_ops.queue(project, review_id)[0]
    consensus_decisions.defer(project, item.id, supervisor="Sam", reason="ask the scribe")
    state = consensus_ops.review_state(project, review_id)
    assert state.progress_text() == "0 of 2 resolved (1 deferred)"
    consensus_decisions.resolve(project, item.id, "take_a", supervisor="Sam")
    assert consensus_ops.disagreement(project, item.id).status == "resolved"


def test_a_review_state_counts_kinds_as_the_queue_does(setup):
    """The window takes the kind counts from the review's state (one read): they match
    queue_kinds for any statuses, and the per-status counts add up the same."""
    project = setup[0]
    review_id, _ = _start(project)
    first = consensus_ops.queue(project, review_id)[0]
    consensus_decisions.defer(project, first.id, supervisor="Sam", reason="later")
    state = consensus_ops.review_state(project, review_id)
    for statuses in (("open",), ("deferred",), ("open", "deferred", "resolved")):
        assert state.kind_counts(statuses) == consensus_ops.queue_kinds(
            project, review_id, statuses=statuses
        )
    assert state.kind_counts() == {"different_code": 1, "a_only": 1}
    assert state.counts == {"open": 1, "deferred": 1}


def test_only_a_supervisor_resolves_and_coders_read_only_after_unblinding(setup):
    project, doc, a, b, boss, codes, sub = setup
    with pytest.raises(OperationError, match="only a supervisor"):
        consensus_ops.start_review(
            project, supervisor="Coder A", coder_a="Coder A", coder_b="Coder B"
        )
    review_id, _ = _start(project)
    item = consensus_ops.queue(project, review_id, viewer="Coder B")[0]
    for call in (
        lambda: consensus_decisions.resolve(project, item.id, "take_a", supervisor="Coder A"),
        lambda: consensus_decisions.defer(project, item.id, supervisor="Coder B"),
        lambda: consensus_decisions.undo_decision(project, item.id, supervisor="Coder A"),
        lambda: consensus_ops.refresh_review(project, review_id, supervisor="Coder B"),
    ):
        with pytest.raises(OperationError, match="only a supervisor"):
            call()
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=False, reason="pause")
    with pytest.raises(OperationError, match="blinded"):
        consensus_ops.queue(project, review_id, viewer="Coder B")
    with pytest.raises(OperationError, match="blinded"):
        consensus_decisions.resolve(project, item.id, "take_a", supervisor="Sam")


def test_the_log_has_no_update_or_delete_path(setup):
    project = setup[0]
    _start(project)
    with project.read() as tx:
        public = {m for m in dir(tx.decisions) if not m.startswith("_")}
    assert public == {"add", "get", "list", "session"}
    for statement in ("UPDATE decision SET reason = 'changed'", "DELETE FROM decision"):
        with pytest.raises(Exception, match="append-only"), project.transaction() as tx:
            tx.session.execute(text(statement))
    assert decision_log.decisions(project)[0].reason == "both coders coded these passages alike"


def test_refresh_keeps_decisions_and_retires_what_no_longer_differs(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, _ = _start(project)
    different, a_only = consensus_ops.queue(project, review_id)
    consensus_decisions.resolve(project, different.id, "take_a", supervisor="Sam")
    # Coder B now codes Physical effects too: the A-only item no longer differs.
    add_codings(project, doc, codes["Side-effects"], b, [(166, 226)])
    change = consensus_ops.refresh_review(project, review_id, supervisor="Sam")
    assert change.details["obsolete"] == 1 and change.details["accepted"] == 1
    statuses = {i.id: i.status for i in consensus_ops.queue(project, review_id)}
    assert statuses == {different.id: "resolved"}
    state = consensus_ops.review_state(project, review_id)
    assert state.progress_text() == "1 of 1 resolved"
    # starting the same review again is a refresh, not a second queue
    again, _ = _start(project)
    assert again == review_id and len(consensus_ops.reviews(project)) == 1


def test_codebook_decisions_are_logged_versioned_and_codings_follow(setup):
    project, doc, a, b, boss, codes, sub = setup
    review_id, _ = _start(project)
    with pytest.raises(OperationError, match="give a reason"):
        decision_log.codebook_decision(
            project, "rename", supervisor="Sam", reason=" ", code_id=sub, name="Checks"
        )
    with pytest.raises(OperationError, match="only a supervisor"):
        decision_log.codebook_decision(
            project, "rename", supervisor="Coder A", reason="x", code_id=sub, name="Checks"
        )
    versions_before = len(codebook_ops_versions(project))
    # Merging the subtheme into its theme makes the two coders agree on sentence 3.
    decision_log.codebook_decision(
        project,
        "merge",
        supervisor="Sam",
        reason="too fine a distinction for the notes we have",
        code_id=sub,
        target_id=codes["Monitoring"],
        review_id=review_id,
    )
    assert len(codebook_ops_versions(project)) == versions_before + 1
    entry = decision_log.decisions(project)[-2]  # then the refresh's auto-accept
    assert entry.action == "codebook.merge" and entry.details["codebook_version"]
    kinds = [i.kind for i in consensus_ops.queue(project, review_id, statuses=("open",))]
    assert kinds == ["a_only"]
    decision_log.codebook_decision(
        project,
        "redefine",
        supervisor="Sam",
        reason="clarify",
        code_id=codes["Monitoring"],
        definition="Any mention of checks before, during or after a dose.",
    )
    assert codebook_ops.find_code(project, "Monitoring").definition.startswith("Any mention")
    decision_log.codebook_decision(
        project,
        "split",
        supervisor="Sam",
        reason="two ideas",
        code_id=codes["Side-effects"],
        name="Bladder",
    )
    assert codebook_ops.find_code(project, "Bladder").parent_id is None


def codebook_ops_versions(project):
    with project.read() as tx:
        return tx.codebook_versions.list()


def test_decision_log_exports_to_csv_and_xlsx(setup, tmp_path):
    project = setup[0]
    review_id, _ = _start(project)
    item = consensus_ops.queue(project, review_id)[0]
    consensus_decisions.resolve(
        project, item.id, "both", supervisor="Sam", reason="both readings stand", dissent="none"
    )
    path = decision_log.export_decisions(project, tmp_path / "log.csv")
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["action"] for r in rows] == ["Agreements accepted", "Both"]
    assert rows[1]["reason"] == "both readings stand"
    # A bullet "- ..." would read as a formula in a spreadsheet: an apostrophe keeps it text.
    assert NOTES[103:151].startswith("- ") and rows[1]["passage"] == "'" + NOTES[103:151]
    book = load_workbook(decision_log.export_decisions(project, tmp_path / "log.xlsx"))
    sheet = book["Decision log"]
    assert sheet["A1"].value == "Decision" and sheet.max_row == 3
    assert sheet.freeze_panes == "B2"
    assert sheet["O3"].value == NOTES[103:151] and sheet["O3"].data_type == "s"
    with pytest.raises(OperationError, match=".csv or .xlsx"):
        decision_log.export_decisions(project, tmp_path / "log.pdf")
    assert not (tmp_path / "log.pdf").exists()


def test_negotiated_agreement_before_and_after(setup):
    project = setup[0]
    review_id, _ = _start(project)
    for item in consensus_ops.queue(project, review_id):
        consensus_decisions.resolve(project, item.id, "take_a", supervisor="Sam")
    before, after_a, after_b = decision_log.negotiated_agreement(project, review_id)
    assert "before" in before.label and "Coder A – consensus" in after_a.label
    # Consensus took A's reading everywhere: A agrees with it perfectly, B no better than before.
    assert after_a.percent_agreement == pytest.approx(1.0)
    assert after_a.cohen_kappa == pytest.approx(1.0)
    assert after_b.percent_agreement <= 1.0 and before.percent_agreement < 1.0
