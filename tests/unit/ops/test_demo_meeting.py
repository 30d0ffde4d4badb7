"""The demo project opens on a consensus meeting in progress."""

from __future__ import annotations

import pytest

from ketqual.ops import demo_ops
from ketqual.ops.consensus import consensus_ops, decision_log
from ketqual.ops.team import coder_ops


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    project, _report = demo_ops.build_demo(tmp_path_factory.mktemp("meeting") / "demo.ketqual")
    yield project
    project.close()


def test_the_supervisor_unblinded_for_the_meeting(demo):
    state = coder_ops.blinding(demo)
    assert state.unblinded and state.by == demo_ops.DEMO_SUPERVISOR
    assert state.reason == demo_ops.DEMO_MEETING_REASON


def test_a_sentence_review_of_both_coders_half_way_through(demo):
    [state] = consensus_ops.reviews(demo)
    assert (state.coder_a.name, state.coder_b.name, state.review.unit) == (
        "Coder A",
        "Coder B",
        "sentence",
    )
    counts = state.counts
    assert counts["deferred"] == 3
    assert 8 <= counts["open"] <= 12
    assert counts["resolved"] > 4 * counts["open"]
    assert state.review.created_by == demo_ops.DEMO_SUPERVISOR
    # the open ones are the end of the queue: the meeting worked from the top
    queue = consensus_ops.queue(demo, state.review.id)
    tail = [i.status for i in queue[-counts["open"] :]]
    assert tail == ["open"] * counts["open"]


def test_the_consensus_layer_holds_agreements_and_decisions(demo):
    with demo.read() as tx:
        consensus = tx.codings.list(consensus=True)
        coder_a = tx.codings.list(coder_id=coder_ops.find_coder(demo, "Coder A").id)
    assert len(consensus) > len(coder_a) * 0.8


def test_the_decision_log_has_varied_reasons_and_some_dissent(demo):
    log = decision_log.decisions(demo)
    actions = [d.action for d in log]
    assert actions[0] == "auto_accept"
    assert {"take_a", "take_b", "both", "neither", "defer"} <= set(actions)
    decided = [d for d in log if d.action != "auto_accept"]
    assert all(d.reason for d in decided)
    assert len({d.reason for d in decided}) >= 15
    assert 2 <= sum(bool(d.dissent) for d in decided) < len(decided) / 3
    assert {d.actor for d in log} == {demo_ops.DEMO_SUPERVISOR}
    rows = decision_log.decision_rows(demo)
    assert all(r["passage"] for r in rows[1:])


def test_before_the_meeting_the_demo_stays_blinded(tmp_path):
    project, _ = demo_ops.build_demo(tmp_path / "before.ketqual", meeting=False)
    with project:
        assert not coder_ops.blinding(project).unblinded
        with project.read() as tx:
            assert tx.codings.list(consensus=True) == []
            assert tx.reviews.list() == []
