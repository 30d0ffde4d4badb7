"""Segment matching by minimum overlap: exact threshold, symmetry, one-to-one use."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core.agreement import segment_matching
from ketqual.core.agreement.result import NOTHING_CODED
from tests.unit.core.agreement.conftest import texts_with_spans


def test_threshold_is_intersection_over_union_compared_exactly():
    # |a ∩ b| = 9, |a ∪ b| = 10: exactly 0.9 matches at 0.9, not at 0.91.
    assert segment_matching([(0, 10)], [(1, 10)], 0.9).matched == 1
    assert segment_matching([(0, 10)], [(1, 10)], 0.91).matched == 0
    # 0.7 is not exactly representable as a float; 7/10 must still match 7/10.
    assert segment_matching([(0, 10)], [(0, 7)], 0.7).matched == 1


def test_counts_and_percentages():
    res = segment_matching([(0, 10), (20, 30), (40, 45)], [(0, 10), (21, 30), (60, 70)], 0.9)
    assert (res.n_a, res.n_b, res.matched, res.unmatched_a, res.unmatched_b) == (3, 3, 2, 1, 1)
    assert res.percent_agreement.value == pytest.approx(2 / 4)
    assert res.dice.value == pytest.approx(4 / 6)
    assert res.pairs == (((0, 10), (0, 10)), ((20, 30), (21, 30)))


def test_each_segment_is_used_once_at_low_thresholds():
    # A's long segment overlaps two of B's; at 0.3 both qualify but only the better one
    # (8/20 = .4 beats 6/20 = .3) may be used.
    res = segment_matching([(0, 20)], [(0, 8), (14, 20)], 0.3)
    assert res.matched == 1
    assert res.pairs == (((0, 20), (0, 8)),)
    assert res.unmatched_b == 1


def test_spans_of_one_coder_are_merged_first():
    res = segment_matching([(0, 5), (5, 10)], [(0, 10)], 1.0)
    assert (res.n_a, res.matched) == (1, 1)


def test_nothing_coded_is_undefined():
    res = segment_matching([], [], 0.9)
    assert res.percent_agreement.reason == NOTHING_CODED
    assert segment_matching([(0, 3)], [], 0.9).percent_agreement.value == 0.0


def test_rejects_bad_thresholds():
    for bad in (0, -0.1, 1.5):
        with pytest.raises(ValueError):
            segment_matching([], [], bad)


@settings(max_examples=60, deadline=None)
@given(texts_with_spans(max_length=60, max_spans=6), st.sampled_from([0.25, 0.5, 0.6, 0.9, 1.0]))
def test_symmetric_in_the_two_coders(case, threshold):
    _, a, b = case
    ab, ba = segment_matching(a, b, threshold), segment_matching(b, a, threshold)
    assert (ab.matched, ab.unmatched_a, ab.unmatched_b) == (
        ba.matched,
        ba.unmatched_b,
        ba.unmatched_a,
    )
    assert ab.percent_agreement == ba.percent_agreement
    used_a = [p[0] for p in ab.pairs]
    used_b = [p[1] for p in ab.pairs]
    assert len(set(used_a)) == len(used_a) and len(set(used_b)) == len(used_b)
