import json
from dataclasses import FrozenInstanceError

import pytest

from ketqual.core.demo_coding import PlannedCoding, plan_demo_codings, resolve_passages

NOTES = (
    "Session 1 – Group 1\n"
    "Scribe: scribe 1 (AH)\n"
    "- P1 said “ketamine helped” within days. Then it wore off.\n"
    "- P2 wants therapy alongside, and\n"
    "therapy should be on the NHS.\n"
)
SHEET = "Session 1, Group 1 – feedback sheets\n\nWorries?\nP3: Cost. Cost. Cost again.\n"
TEXTS = {(1, 1, "scribe_notes"): NOTES, (1, 1, "feedback_sheet"): SHEET}


def passage(quote, codes=("Effectiveness",), kind="scribe_notes", **extra):
    return {"session": 1, "group": 1, "kind": kind, "quote": quote, "codes": list(codes), **extra}


def plan(*passages, coders=None, **top):
    doc = {"format": "ketqual-demo-codings", "format_version": 1, "passages": list(passages)}
    if coders is not None:
        doc["coders"] = coders
    return json.dumps({**doc, **top})


def spans(codings, coder, text=NOTES):
    return [(c.code_path, text[c.start : c.end]) for c in codings if c.coder == coder]


def test_both_coders_apply_the_codes_to_the_quote_by_default():
    quote = "P1 said “ketamine helped” within days."
    codings = plan_demo_codings(plan(passage(quote, ["Effectiveness", "Side-effects"])), TEXTS)
    assert [c.coder for c in codings] == ["Coder A", "Coder A", "Coder B", "Coder B"]
    first = codings[0]
    assert first == PlannedCoding(
        "Coder A", 1, 1, "scribe_notes", "Effectiveness", first.start, first.end, ""
    )
    # Offsets are code points: the en dash and curly quotes before it count as one each.
    assert NOTES[first.start : first.end] == quote
    assert {(c.start, c.end) for c in codings} == {(first.start, first.end)}


def test_planned_coding_is_frozen():
    coding = PlannedCoding("Coder A", 1, 1, "scribe_notes", "Cost", 0, 1, "")
    with pytest.raises(FrozenInstanceError):
        coding.start = 3  # type: ignore[misc]


def test_coder_names_come_from_the_plan():
    coders = {"coder_a": {"name": "Ana"}, "coder_b": {"name": "Ben"}}
    codings = plan_demo_codings(plan(passage("Then it wore off."), coders=coders), TEXTS)
    assert [c.coder for c in codings] == ["Ana", "Ben"]


def test_a_missed_passage_gives_that_coder_no_codings():
    codings = plan_demo_codings(plan(passage("Then it wore off.", coder_b={"skip": True})), TEXTS)
    assert [c.coder for c in codings] == ["Coder A"]
    (resolved,) = resolve_passages(
        plan(passage("Then it wore off.", coder_b={"skip": True})), TEXTS
    )
    assert not resolved.identical()


def test_boundary_shift_as_an_alternative_quote():
    p = passage("Then it wore off.", coder_a={"quote": "within days. Then it wore off."})
    codings = plan_demo_codings(plan(p), TEXTS)
    assert spans(codings, "Coder A") == [("Effectiveness", "within days. Then it wore off.")]
    assert spans(codings, "Coder B") == [("Effectiveness", "Then it wore off.")]


def test_boundary_shift_by_words_crosses_line_breaks_and_trims():
    p = passage(
        "P2 wants therapy alongside, and",
        ["Therapy"],
        coder_a={"extend_after": 6},
        coder_b={"extend_before": -1, "extend_after": -2},
    )
    codings = plan_demo_codings(plan(p), TEXTS)
    assert spans(codings, "Coder A") == [
        ("Therapy", "P2 wants therapy alongside, and\ntherapy should be on the NHS.")
    ]
    assert spans(codings, "Coder B") == [("Therapy", "wants therapy")]


def test_extending_backwards_by_words():
    p = passage("Then it wore off.", coder_b={"extend_before": 2})
    assert spans(plan_demo_codings(plan(p), TEXTS), "Coder B") == [
        ("Effectiveness", "within days. Then it wore off.")
    ]


@pytest.mark.parametrize(
    ("deviation", "message"),
    [
        ({"extend_after": 3}, "runs off the end"),
        ({"extend_before": 1}, "runs off the start"),
        ({"extend_after": -9}, "leaves no text"),
        ({"extend_after": 1.5}, "whole numbers"),
        ({"extend_before": True}, "whole numbers"),
    ],
)
def test_impossible_word_shifts_are_refused(deviation, message):
    text = {(1, 1, "scribe_notes"): "Cost. Cost again."}
    with pytest.raises(ValueError, match=message):
        plan_demo_codings(plan(passage("Cost. Cost again.", coder_a=deviation)), text)


def test_a_different_subtheme_replaces_the_codes():
    p = passage(
        "Then it wore off.",
        ["Effectiveness/Speed of relief"],
        coder_b={"codes": ["Effectiveness"]},
    )
    codings = plan_demo_codings(plan(p), TEXTS)
    assert [(c.coder, c.code_path) for c in codings] == [
        ("Coder A", "Effectiveness/Speed of relief"),
        ("Coder B", "Effectiveness"),
    ]


def test_an_extra_code_is_added_on_top():
    p = passage("Then it wore off.", coder_a={"add_codes": ["Side-effects/Tolerance"]})
    codings = plan_demo_codings(plan(p), TEXTS)
    assert [(c.coder, c.code_path) for c in codings] == [
        ("Coder A", "Effectiveness"),
        ("Coder A", "Side-effects/Tolerance"),
        ("Coder B", "Effectiveness"),
    ]


def test_add_codes_may_not_repeat_a_code():
    p = passage("Then it wore off.", coder_a={"add_codes": ["Effectiveness"]})
    with pytest.raises(ValueError, match="repeats 'Effectiveness'"):
        plan_demo_codings(plan(p), TEXTS)


def test_a_coder_rule_applies_the_code_wherever_the_theme_is_used():
    coders = {
        "coder_b": {
            "rules": [{"if_code": "Therapy", "add_code": "Appropriate support", "why": "habit"}]
        }
    }
    passages = [
        passage("P2 wants therapy alongside", ["Therapy"]),
        passage("therapy should be on the NHS.", ["Cost", "Therapy/CBT"]),
        passage("Then it wore off.", ["Therapy extra"]),
        passage("within days", ["Therapy", "Appropriate support"]),
    ]
    resolved = resolve_passages(plan(*passages, coders=coders), TEXTS)
    b_codes = [[c.code_path for c in r.codings["Coder B"]] for r in resolved]
    assert b_codes == [
        ["Therapy", "Appropriate support"],
        ["Cost", "Therapy/CBT", "Appropriate support"],
        ["Therapy extra"],
        ["Therapy", "Appropriate support"],
    ]
    assert [r.identical() for r in resolved] == [False, False, True, True]


def test_a_rule_follows_codes_the_coder_added():
    coders = {"coder_a": {"rules": [{"if_code": "Therapy", "add_code": "Appropriate support"}]}}
    p = passage("Then it wore off.", coder_a={"add_codes": ["Therapy"]})
    codings = plan_demo_codings(plan(p, coders=coders), TEXTS)
    assert [c.code_path for c in codings if c.coder == "Coder A"] == [
        "Effectiveness",
        "Therapy",
        "Appropriate support",
    ]


def test_memos_on_every_code_or_on_one_code():
    p = passage(
        "Then it wore off.",
        ["Effectiveness", "Side-effects"],
        coder_a={"memo": " unsure: wearing off or tolerance? "},
        coder_b={"memo": {"Side-effects": "tolerance?"}},
    )
    codings = plan_demo_codings(plan(p), TEXTS)
    assert [(c.coder, c.code_path, c.memo) for c in codings] == [
        ("Coder A", "Effectiveness", "unsure: wearing off or tolerance?"),
        ("Coder A", "Side-effects", "unsure: wearing off or tolerance?"),
        ("Coder B", "Effectiveness", ""),
        ("Coder B", "Side-effects", "tolerance?"),
    ]
    # A memo is a note, not a disagreement.
    assert resolve_passages(plan(p), TEXTS)[0].identical()


def test_a_memo_for_a_code_the_coder_did_not_apply_is_refused():
    p = passage("Then it wore off.", coder_b={"memo": {"Cost": "?"}})
    with pytest.raises(ValueError, match="did not apply"):
        plan_demo_codings(plan(p), TEXTS)


def test_occurrence_picks_one_of_several_matches():
    p = passage("Cost.", ["Cost"], kind="feedback_sheet", occurrence=2)
    (coding_a, _coding_b) = plan_demo_codings(plan(p), TEXTS)
    assert coding_a.start == SHEET.index("Cost. Cost again.")
    assert SHEET[coding_a.start : coding_a.end] == "Cost."


def test_occurrence_for_a_coders_own_quote():
    p = passage(
        "Cost again.", ["Cost"], kind="feedback_sheet", coder_b={"quote": "Cost", "occurrence": 3}
    )
    codings = plan_demo_codings(plan(p), TEXTS)
    assert codings[1].start == SHEET.index("Cost again.")


def test_overlapping_matches_count_as_occurrences():
    text = {(1, 1, "scribe_notes"): "P1: aaa"}
    (coding, _b) = plan_demo_codings(plan(passage("aa", occurrence=2)), text)
    assert (coding.start, coding.end) == (5, 7)


@pytest.mark.parametrize(
    ("p", "message"),
    [
        (
            passage("Cost.", kind="feedback_sheet"),
            r"passage 1 \(S1 G1 feedback_sheet.*occurs 2 times",
        ),
        (passage("Cost.", kind="feedback_sheet", occurrence=3), "occurrence must be 1..2"),
        (passage("Cost.", kind="feedback_sheet", occurrence=0), "occurrence must be 1..2"),
        (passage("not there"), r"passage 1 .*'not there'.*quote not found"),
        (passage(" Then it wore off."), "surrounding whitespace"),
        (passage(""), "non-empty"),
        (passage("Then it wore off.", coder_a={"occurrence": 1}), "needs the coder's own 'quote'"),
        (passage("Then it wore off.", coder_a={"quote": "nowhere"}), "coder_a: quote not found"),
    ],
)
def test_quotes_that_do_not_resolve_are_refused(p, message):
    with pytest.raises(ValueError, match=message):
        plan_demo_codings(plan(p), TEXTS)


@pytest.mark.parametrize(
    "path", ["", "Theme/", "/Subtheme", " Theme", "Theme /Sub", "A//B", 5, None, ["Cost"]]
)
def test_malformed_code_paths_are_refused(path):
    with pytest.raises(ValueError, match="malformed code path"):
        plan_demo_codings(plan(passage("Then it wore off.", [path])), TEXTS)
    with pytest.raises(ValueError, match="malformed code path"):
        plan_demo_codings(plan(passage("Then it wore off.", coder_b={"codes": [path]})), TEXTS)


@pytest.mark.parametrize(
    ("plan_json", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "format 'ketqual-demo-codings'"),
        (json.dumps({"format": "ketqual-codebook", "format_version": 1}), "format"),
        (json.dumps({"format": "ketqual-demo-codings", "format_version": 2}), "version 2"),
        (json.dumps({"format": "ketqual-demo-codings", "format_version": 1}), "'passages' list"),
        (plan(passage("Then it wore off."), coders={"coder_c": {}}), "'coders'"),
        (plan(coders={"coder_a": {"name": "X"}, "coder_b": {"name": "X"}}), "different names"),
        (plan(coders={"coder_b": {"name": " "}}), "non-empty string"),
        (plan(coders={"coder_b": {"rules": [{"if_code": "Therapy"}]}}), "needs 'if_code'"),
        (plan(coders={"coder_a": {"colour": "red"}}), "only have 'name' and 'rules'"),
        (plan("a passage"), "passage 1 is not a JSON object"),
        (plan(passage("Then it wore off.", coders=["x"])), r"unknown field\(s\) \['coders'\]"),
        (plan(passage("Then it wore off.", why=3)), "'why' must be a string"),
        (plan(passage("Then it wore off.", session=True)), "positive integers"),
        (plan(passage("Then it wore off.", group=0)), "positive integers"),
        (plan(passage("Then it wore off.", kind="notes")), "kind one of"),
        (plan(passage("Then it wore off.", group=2)), "no document for session 1, group 2"),
        (plan(passage("Then it wore off.", codes=[])), "non-empty list"),
        (plan(passage("Then it wore off.", codes=["Cost", "Cost"])), "listed twice"),
        (plan(passage("Then it wore off.", coder_a={"add_code": ["X"]})), "fields among"),
        (plan(passage("Then it wore off.", coder_a=["skip"])), "must be an object"),
        (plan(passage("Then it wore off.", coder_a={"skip": False})), "'skip' must be true"),
        (plan(passage("Then it wore off.", coder_a={"skip": True, "memo": "x"})), "stand alone"),
        (plan(passage("Then it wore off.", coder_a={"memo": 3})), "memo must be"),
    ],
)
def test_malformed_plans_are_refused(plan_json, message):
    with pytest.raises(ValueError, match=message):
        plan_demo_codings(plan_json, TEXTS)


def test_the_same_code_twice_on_the_same_span_by_one_coder_is_refused():
    twice = plan(passage("Then it wore off."), passage("Then it wore off.", ["Effectiveness"]))
    with pytest.raises(ValueError, match=r"passage 2 .*Coder A already applies 'Effectiveness'"):
        plan_demo_codings(twice, TEXTS)


def test_different_codes_or_spans_may_overlap():
    overlapping = plan(
        passage("Then it wore off."),
        passage("Then it wore off.", ["Side-effects"]),
        passage("it wore off"),
    )
    assert len(plan_demo_codings(overlapping, TEXTS)) == 6


def test_resolved_passages_keep_plan_order_and_labels():
    resolved = resolve_passages(plan(passage("Then it wore off."), passage("within days")), TEXTS)
    assert [r.index for r in resolved] == [0, 1]
    assert resolved[1].label == "passage 2 (S1 G1 scribe_notes, 'within days')"
    assert all(r.identical() for r in resolved)


def test_rules_must_be_a_list_and_add_codes_a_list():
    with pytest.raises(ValueError, match="rules must be a list"):
        plan_demo_codings(plan(coders={"coder_b": {"rules": 3}}), TEXTS)
    with pytest.raises(ValueError, match="add_codes: must be a list"):
        plan_demo_codings(plan(passage("within days", coder_a={"add_codes": "Cost"})), TEXTS)
