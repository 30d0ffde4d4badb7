"""The demo meeting's policy, on hand-made queue items."""

from __future__ import annotations

import itertools

from ketqual.core import disagreements as dis
from ketqual.core.demo_meeting import DEFER, NEAR, plan_meeting
from ketqual.core.records import CodingRecord, DisagreementRecord

# Codebook: theme 1 with subthemes 11 and 12; theme 2 with subtheme 21.
PARENTS = {1: None, 11: 1, 12: 1, 2: None, 21: 2}
NAMES = {1: "Monitoring", 11: "Safety review", 12: "National data", 2: "Cost", 21: "Time"}
_ids = itertools.count(1)


def coding(code: int, start: int, end: int, coder: int | None = 1, memo: str = "", doc: int = 1):
    n = next(_ids)
    return CodingRecord(n, f"u{n}", doc, code, coder, start, end, memo)


def item(kind: str, a=(), b=(), doc: int = 1, item_id: int | None = None) -> DisagreementRecord:
    spans = [(c.start, c.end) for c in (*a, *b)]
    n = item_id or next(_ids)
    return DisagreementRecord(
        n,
        f"d{n}",
        1,
        doc,
        kind,
        min(s for s, _ in spans),
        max(e for _, e in spans),
        tuple(a),
        tuple(b),
        "open",
        None,
        n,
    )


def plan(items, consensus=(), **kwargs):
    kwargs.setdefault("leave_open", 0)
    return plan_meeting(items, parents=PARENTS, names=NAMES, consensus=list(consensus), **kwargs)


def test_boundary_shift_takes_the_union_with_a_reason():
    [step] = plan([item(dis.BOUNDARY, [coding(11, 0, 100)], [coding(11, 0, 140, 2)])])
    assert step.action == dis.BOTH and step.reason and not step.dissent


def test_boundary_far_longer_on_one_side_takes_the_narrower_reading():
    wide_b = item(dis.BOUNDARY, [coding(11, 0, 50)], [coding(11, 0, 151, 2)])
    wide_a = item(dis.BOUNDARY, [coding(11, 0, 400)], [coding(11, 300, 400, 2)])
    steps = plan([wide_b, wide_a])
    assert [s.action for s in steps] == [dis.TAKE_A, dis.TAKE_B]
    assert "Coder A" in steps[0].reason and "Coder B" in steps[1].reason
    # exactly three times as long is still a boundary to join
    [step] = plan([item(dis.BOUNDARY, [coding(11, 0, 50)], [coding(11, 0, 150, 2)])])
    assert step.action == dis.BOTH


def test_boundary_reasons_rotate_and_every_fifth_records_a_dissent():
    items = [item(dis.BOUNDARY, [coding(11, 0, 100)], [coding(11, 0, 120, 2)]) for _ in range(10)]
    steps = plan(items)
    assert len({s.reason for s in steps[:4]}) == 4
    assert steps[4].reason == steps[0].reason
    assert [bool(s.dissent) for s in steps] == [False] * 4 + [True] + [False] * 4 + [True]
    assert steps[4].dissent.startswith("Coder A")  # the narrower coder


def test_theme_against_its_subtheme_takes_the_subtheme():
    b_sub = item(dis.DIFFERENT_CODE, [coding(1, 0, 50)], [coding(11, 0, 50, 2)])
    a_sub = item(dis.DIFFERENT_CODE, [coding(21, 0, 50)], [coding(2, 0, 50, 2)])
    steps = plan([b_sub, a_sub])
    assert [s.action for s in steps] == [dis.TAKE_B, dis.TAKE_A]
    assert "Safety review" in steps[0].reason or "Safety review" in steps[1].reason
    assert not steps[0].dissent


def test_a_memo_on_the_theme_side_becomes_a_dissent():
    memo = coding(1, 0, 50, memo="kept it broad on purpose")
    [step] = plan([item(dis.DIFFERENT_CODE, [memo], [coding(11, 0, 50, 2)])])
    assert step.action == dis.TAKE_B
    assert step.dissent.startswith("Coder A kept it at theme level")


def test_a_question_in_a_memo_defers_up_to_the_limit():
    questions = [
        item(
            dis.DIFFERENT_CODE,
            [coding(11, 0, 50, memo="clinic or national?")],
            [coding(12, 0, 50, 2)],
        )
        for _ in range(4)
    ]
    steps = plan(questions, defer=3)
    assert [s.action for s in steps] == [DEFER, DEFER, DEFER, dis.BOTH]
    assert "Coder A's memo" in steps[0].reason
    assert len({s.reason for s in steps[:3]}) == 3
    assert [s.action for s in plan(questions[:1], defer=0)] == [dis.BOTH]


def test_two_codes_side_by_side_follow_the_consensus_in_the_document():
    x = item(dis.DIFFERENT_CODE, [coding(11, 500, 600)], [coding(12, 500, 600, 2)])
    agreed_b = [coding(12, 2000, 2100, None)]  # far away, but in the same document
    [step] = plan([x], consensus=agreed_b)
    assert step.action == dis.TAKE_B and "National data" in step.reason
    [step] = plan([x], consensus=[coding(12, 0, 10, None, doc=2)])  # another document
    assert step.action == dis.BOTH and "Safety review" in step.reason
    [step] = plan([x], consensus=[coding(11, 0, 9, None), coding(12, 10, 20, None)])
    assert step.action == dis.BOTH


def test_one_sided_kept_with_a_memo():
    [step] = plan([item(dis.B_ONLY, b=[coding(2, 0, 40, 2, memo="time off = cost")])])
    assert step.action == dis.TAKE_B and "Coder B's memo" in step.reason


def test_one_sided_kept_when_its_theme_is_coded_close_by():
    a_only = item(dis.A_ONLY, a=[coding(11, 1000, 1100)])
    near = coding(12, 1100 + NEAR - 1, 1100 + NEAR + 50, None)  # same theme, just in reach
    [step] = plan([a_only], consensus=[near])
    assert step.action == dis.TAKE_A and "Monitoring" in step.reason
    far = coding(12, 1100 + NEAR, 1100 + NEAR + 50, None)
    other_theme = coding(2, 1000, 1100, None)
    [step] = plan([a_only], consensus=[far, other_theme])
    assert step.action == dis.NEITHER and "Safety review" in step.reason


def test_passing_mentions_are_dropped_and_every_third_keeps_a_dissent():
    items = [item(dis.A_ONLY, a=[coding(21, 0, 30)]) for _ in range(6)]
    steps = plan(items)
    assert {s.action for s in steps} == {dis.NEITHER}
    assert [bool(s.dissent) for s in steps] == [False, False, True, False, False, True]
    assert steps[2].dissent == "Coder A still reads it as 'Time'."


def test_the_end_of_the_queue_is_left_open_and_names_are_used():
    items = [item(dis.A_ONLY, a=[coding(21, 0, 30, memo="m")]) for _ in range(12)]
    steps = plan(items, leave_open=10, coder_a="Ana", coder_b="Ben")
    assert [s.disagreement_id for s in steps] == [items[0].id, items[1].id]
    assert "Ana's memo" in steps[0].reason
    assert plan(items[:5], leave_open=10) == []


def test_every_step_has_a_known_action_and_a_reason_and_the_plan_is_repeatable():
    items = [
        item(dis.BOUNDARY, [coding(11, 0, 100)], [coding(11, 0, 120, 2)]),
        item(dis.DIFFERENT_CODE, [coding(1, 0, 50)], [coding(11, 0, 50, 2)]),
        item(dis.DIFFERENT_CODE, [coding(11, 0, 50, memo="?")], [coding(12, 0, 50, 2)]),
        item(dis.A_ONLY, a=[coding(21, 0, 30)]),
        item(dis.B_ONLY, b=[coding(2, 0, 30, 2)]),
    ]
    first, second = plan(items), plan(items)
    assert first == second
    assert all(s.action in (*dis.RESOLUTIONS, DEFER) and s.reason for s in first)
    assert dis.EDIT not in {s.action for s in first}
