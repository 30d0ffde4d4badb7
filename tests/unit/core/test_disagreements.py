"""Classifying where two coders' layers differ, on hand-made layers."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core.disagreements import (
    A_ONLY,
    B_ONLY,
    BOTH,
    BOUNDARY,
    DIFFERENT_CODE,
    NEITHER,
    TAKE_A,
    TAKE_B,
    ConsensusSpan,
    agreement_spans,
    compare_layers,
    merged_spans,
    resolution_spans,
)
from ketqual.core.records import CodingRecord

THEME, SUB1, SUB2, OTHER = 1, 2, 3, 4
PARENTS = {THEME: None, SUB1: THEME, SUB2: THEME, OTHER: None}
# Three sentences: [0, 10) [10, 20) [20, 30)
UNITS = {7: [(0, 10), (10, 20), (20, 30)]}
_ids = itertools.count(1)


def c(code: int, start: int, end: int, coder: int = 1, doc: int = 7, memo: str = ""):
    n = next(_ids)
    return CodingRecord(n, f"u{n}", doc, code, coder, start, end, memo)


def compare(a, b, units=UNITS):
    return compare_layers(a, b, parents=PARENTS, units=units)


def test_empty_layers_have_nothing_to_discuss():
    result = compare([], [])
    assert result.disagreements == [] and result.agreements == []
    assert result.counts() == {A_ONLY: 0, B_ONLY: 0, BOUNDARY: 0, DIFFERENT_CODE: 0}


def test_one_empty_layer_gives_only_one_sided_items():
    result = compare([c(THEME, 0, 5), c(OTHER, 12, 18)], [])
    assert [d.kind for d in result.disagreements] == [A_ONLY, A_ONLY]
    result = compare([], [c(THEME, 0, 5)])
    assert [d.kind for d in result.disagreements] == [B_ONLY]
    assert result.disagreements[0].codings_a == ()


def test_identical_codings_agree():
    a, b = c(SUB1, 0, 10), c(SUB1, 0, 10, coder=2)
    result = compare([a], [b])
    assert result.disagreements == []
    [agreement] = result.agreements
    assert (agreement.code_id, agreement.codings_a, agreement.codings_b) == (SUB1, (a,), (b,))


def test_small_differences_inside_the_same_sentences_agree_at_sentence_units():
    result = compare([c(SUB1, 0, 9)], [c(SUB1, 2, 10, coder=2)])
    assert result.disagreements == [] and len(result.agreements) == 1
    # ... but are a boundary shift when characters are compared
    result = compare([c(SUB1, 0, 9)], [c(SUB1, 2, 10, coder=2)], units=None)
    [item] = result.disagreements
    assert (item.kind, item.start, item.end) == (BOUNDARY, 0, 10)


def test_boundary_shift_same_code_overlapping_spans_that_differ():
    a, b = c(SUB1, 0, 18), c(SUB1, 12, 28, coder=2)  # sentences 0-1 against 1-2
    [item] = compare([a], [b]).disagreements
    assert item.kind == BOUNDARY
    assert (item.start, item.end, item.codings_a, item.codings_b) == (0, 28, (a,), (b,))


def test_a_only_and_b_only():
    a, b = c(SUB1, 0, 5), c(OTHER, 22, 28, coder=2)
    items = compare([a], [b]).disagreements
    assert [(d.kind, d.codings_a, d.codings_b) for d in items] == [
        (A_ONLY, (a,), ()),
        (B_ONLY, (), (b,)),
    ]


def test_touching_sentences_are_separate_passages():
    items = compare([c(SUB1, 0, 10)], [c(SUB1, 10, 20, coder=2)]).disagreements
    assert [d.kind for d in items] == [A_ONLY, B_ONLY]


def test_different_subthemes_on_the_same_passage():
    a, b = c(SUB1, 0, 10), c(SUB2, 3, 8, coder=2)
    [item] = compare([a], [b]).disagreements
    assert item.kind == DIFFERENT_CODE
    assert item.codings_a == (a,) and item.codings_b == (b,)
    assert item.code_ids == (SUB1, SUB2)
    assert item.nested is False


def test_theme_against_its_own_subtheme_is_a_nested_different_code():
    [item] = compare([c(THEME, 0, 10)], [c(SUB2, 0, 10, coder=2)]).disagreements
    assert item.kind == DIFFERENT_CODE and item.nested is True
    [item] = compare([c(OTHER, 0, 10)], [c(SUB2, 0, 10, coder=2)]).disagreements
    assert item.nested is False


def test_overlapping_codes_agreement_beside_a_difference():
    # Both used OTHER on sentence 0; A also used SUB1 there, B did not.
    a_other, a_sub = c(OTHER, 0, 10), c(SUB1, 0, 10)
    b_other = c(OTHER, 0, 10, coder=2)
    result = compare([a_other, a_sub], [b_other])
    assert [ag.code_id for ag in result.agreements] == [OTHER]
    [item] = result.disagreements
    assert (item.kind, item.codings_a) == (A_ONLY, (a_sub,))


def test_a_chain_of_overlaps_becomes_one_different_code_item():
    a1, a2 = c(SUB1, 0, 12), c(OTHER, 15, 28)
    b1 = c(SUB2, 5, 18, coder=2)
    [item] = compare([a1, a2], [b1], units=None).disagreements
    assert item.kind == DIFFERENT_CODE
    assert set(item.codings_a) == {a1, a2} and item.codings_b == (b1,)
    assert (item.start, item.end) == (0, 28)


def test_same_coder_overlaps_alone_are_not_paired():
    a1, a2 = c(SUB1, 0, 10), c(SUB2, 0, 10)
    items = compare([a1, a2], []).disagreements
    assert [d.kind for d in items] == [A_ONLY, A_ONLY]


def test_codings_of_one_code_merge_into_one_run():
    a1, a2 = c(SUB1, 0, 5), c(SUB1, 3, 9)
    [agreement] = compare([a1, a2], [c(SUB1, 0, 10, coder=2)]).agreements
    assert agreement.codings_a == (a1, a2)


def test_documents_follow_the_given_order_and_without_units_use_characters():
    a = [c(SUB1, 0, 5, doc=9), c(SUB1, 0, 5, doc=7)]
    result = compare_layers(a, [], parents=PARENTS, units={}, document_order=[9, 7])
    assert [d.document_id for d in result.disagreements] == [9, 7]


def test_a_coding_outside_every_unit_falls_back_to_characters():
    units = {7: [(0, 10)]}
    a, b = c(SUB1, 40, 50), c(SUB1, 40, 50, coder=2)
    result = compare([a], [b], units=units)
    assert len(result.agreements) == 1 and result.disagreements == []
    result = compare([a], [c(SUB1, 45, 55, coder=2)], units=units)
    assert [d.kind for d in result.disagreements] == [BOUNDARY]


def test_fingerprint_changes_with_a_span_and_not_otherwise():
    a = c(SUB1, 0, 5)
    [first] = compare([a], []).disagreements
    [again] = compare([a], []).disagreements
    moved = CodingRecord(a.id, a.uid, a.document_id, a.code_id, a.coder_id, 0, 6, "")
    [changed] = compare([moved], []).disagreements
    assert first.fingerprint() == again.fingerprint() != changed.fingerprint()


def test_resolution_spans():
    a = c(SUB1, 0, 18, memo="side effects")
    b = c(SUB1, 12, 28, coder=2, memo="side effects")
    [item] = compare([a], [b]).disagreements
    assert resolution_spans(item, TAKE_A) == [ConsensusSpan(7, SUB1, 0, 18, "side effects")]
    assert resolution_spans(item, TAKE_B) == [ConsensusSpan(7, SUB1, 12, 28, "side effects")]
    assert resolution_spans(item, BOTH) == [ConsensusSpan(7, SUB1, 0, 28, "side effects")]
    assert resolution_spans(item, NEITHER) == []


def test_both_keeps_each_code_of_a_different_code_item():
    [item] = compare([c(SUB1, 0, 10, memo="x")], [c(SUB2, 0, 10, coder=2, memo="y")]).disagreements
    spans = resolution_spans(item, BOTH)
    assert [(s.code_id, s.start, s.end, s.memo) for s in spans] == [
        (SUB1, 0, 10, "x"),
        (SUB2, 0, 10, "y"),
    ]


def test_agreement_spans_take_the_union_of_both_readings():
    [agreement] = compare([c(SUB1, 0, 9)], [c(SUB1, 2, 10, coder=2)]).agreements
    assert agreement_spans(agreement) == [ConsensusSpan(7, SUB1, 0, 10, "")]


def test_merged_spans_keep_separate_stretches_apart():
    spans = merged_spans(7, [c(SUB1, 0, 5), c(SUB1, 8, 9), c(SUB1, 4, 6)])
    assert [(s.start, s.end) for s in spans] == [(0, 6), (8, 9)]


_span = st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1]))
_layer = st.lists(st.tuples(st.sampled_from([THEME, SUB1, SUB2, OTHER]), _span), max_size=8)


@settings(max_examples=150, deadline=None)
@given(_layer, _layer, st.booleans())
def test_every_coding_is_accounted_for_exactly_once(layer_a, layer_b, by_sentence):
    a = [c(code, s, e) for code, (s, e) in layer_a]
    b = [c(code, s, e, coder=2) for code, (s, e) in layer_b]
    units = {7: [(i, i + 10) for i in range(0, 60, 10)]} if by_sentence else None
    result = compare(a, b, units=units)
    seen_a = [x for d in result.disagreements for x in d.codings_a]
    seen_a += [x for g in result.agreements for x in g.codings_a]
    seen_b = [x for d in result.disagreements for x in d.codings_b]
    seen_b += [x for g in result.agreements for x in g.codings_b]
    assert sorted(x.id for x in seen_a) == sorted(x.id for x in a)
    assert sorted(x.id for x in seen_b) == sorted(x.id for x in b)
    # Identical layers never disagree; swapping the layers swaps the one-sided kinds.
    assert compare(a, [c(x.code_id, x.start, x.end, coder=2) for x in a]).disagreements == []
    swapped = compare(b, a, units=units).counts()
    counts = result.counts()
    assert (swapped[A_ONLY], swapped[B_ONLY]) == (counts[B_ONLY], counts[A_ONLY])
    assert swapped[BOUNDARY] == counts[BOUNDARY]
    assert swapped[DIFFERENT_CODE] == counts[DIFFERENT_CODE]
