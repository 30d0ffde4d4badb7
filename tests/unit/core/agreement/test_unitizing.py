"""Unitizing alphas: Krippendorff's worked examples and literal re-implementations.

The oracles (``oracles.py``) follow the papers' definitions term by term (every pair of
segments for alpha_U; every pair of coder-positions for |u-alpha) and share no code with
the vectorised engine.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings

from ketqual.core.agreement import alpha_u, merge_spans, span_agreement, u_alpha
from ketqual.core.agreement.result import EMPTY_TEXT, NOTHING_CODED, ZERO_EXPECTED
from ketqual.core.agreement.unitizing import unitizing_parts
from tests.unit.core.agreement import oracles
from tests.unit.core.agreement.conftest import labels, texts_with_spans


def brute_alpha_u(length, spans_a, spans_b):
    d_o, d_e = oracles.alpha_u_parts([(length, spans_a, spans_b)])
    return 1 - d_o / d_e, d_o, d_e


def brute_u_alpha(length, spans_a, spans_b):
    return oracles.u_alpha([(length, spans_a, spans_b)])


def shifted(pairs, origin=150):
    return [(b - origin, b - origin + n) for b, n in pairs]


def test_krippendorff_2004_example():
    # Krippendorff (2004), Content Analysis 2nd ed. p. 254, continuum 150-450, observers
    # i and j; DKPro Agreement's tests give D_o = .0144, D_e = .0532, c-alpha = .7286
    # for category c and alpha = 1 for k.
    ci, cj = shifted([(225, 70), (370, 30)]), shifted([(220, 80), (355, 20), (400, 20)])
    ki = kj = shifted([(180, 60), (300, 50)])
    parts = unitizing_parts(300, ci, cj)
    assert parts["d_o"] == pytest.approx(0.0144, abs=5e-5)
    assert parts["d_e"] == pytest.approx(0.0532, abs=5e-5)
    assert alpha_u(300, ci, cj).value == pytest.approx(0.7286, abs=5e-5)
    assert alpha_u(300, ki, kj).value == 1.0
    assert unitizing_parts(300, ki, kj)["d_e"] == pytest.approx(0.0490, abs=5e-5)
    # Both categories together: 1 - sum D_o / sum D_e (DKPro: 0.8591).
    both = 1 - parts["d_o"] / (parts["d_e"] + unitizing_parts(300, ki, kj)["d_e"])
    assert both == pytest.approx(0.8591, abs=5e-4)
    assert alpha_u(300, ci, cj).value == pytest.approx(brute_alpha_u(300, ci, cj)[0])


@pytest.mark.parametrize(
    ("a", "b", "d_o", "d_e_big", "alpha_big"),
    [
        # Krippendorff (1995), Sociological Methodology 25, p. 57, pairs A and C, with the
        # values and tolerances of DKPro's Krippendorff1995Test (D_e and alpha for the
        # continuum stretched 50,000-fold; DKPro notes a small error in the 1995 D_e).
        ([(2, 8), (14, 6)], [(4, 4), (15, 2)], 0.03125, 0.06990, 0.553),
        (
            [(2, 6), (10, 2), (14, 4), (20, 2)],
            [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)],
            0.02777,
            0.08642,
            0.679,
        ),
    ],
)
def test_krippendorff_1995_example(a, b, d_o, d_e_big, alpha_big):
    to_spans = lambda pairs, k: [(s * k, (s + n) * k) for s, n in pairs]  # noqa: E731
    assert unitizing_parts(24, to_spans(a, 1), to_spans(b, 1))["d_o"] == pytest.approx(
        d_o, abs=1e-5
    )
    k = 50_000
    parts = unitizing_parts(24 * k, to_spans(a, k), to_spans(b, k))
    assert parts["d_e"] == pytest.approx(d_e_big, abs=0.005)
    assert alpha_u(24 * k, to_spans(a, k), to_spans(b, k)).value == pytest.approx(
        alpha_big, abs=0.02
    )


@settings(max_examples=60, deadline=None)
@given(texts_with_spans(max_length=25, max_spans=5))
def test_alpha_u_equals_literal_definition(case):
    length, spans_a, spans_b = case
    res = alpha_u(length, spans_a, spans_b)
    if length == 0:
        assert res.reason == EMPTY_TEXT
    elif not merge_spans(spans_a) and not merge_spans(spans_b):
        assert res.reason == NOTHING_CODED
    else:
        d_o, d_e = oracles.alpha_u_parts([(length, spans_a, spans_b)])
        if d_e == 0:  # e.g. a one-character text coded by both: no placement can differ
            assert res.reason == ZERO_EXPECTED
            return
        assert res.value == pytest.approx(1 - d_o / d_e, abs=1e-9)
        parts = unitizing_parts(length, spans_a, spans_b)
        assert parts["d_o"] == pytest.approx(d_o) and parts["d_e"] == pytest.approx(d_e)


@settings(max_examples=40, deadline=None)
@given(texts_with_spans(max_length=14, max_spans=4))
def test_u_alpha_equals_pair_counting(case):
    length, spans_a, spans_b = case
    res = u_alpha(length, spans_a, spans_b)
    la, lb = labels(length, spans_a), labels(length, spans_b)
    if length == 0:
        assert res.reason == EMPTY_TEXT
    elif len(set(la) | set(lb)) < 2:
        assert not res.defined and res.reason
    else:
        assert res.value == pytest.approx(brute_u_alpha(length, spans_a, spans_b), abs=1e-9)


def test_u_alpha_with_one_character_units_is_nominal_alpha():
    spans_a = [(0, 1), (4, 5), (9, 10), (12, 13)]
    spans_b = [(0, 1), (5, 6), (9, 10), (15, 16)]
    a, b = labels(20, spans_a), labels(20, spans_b)
    ref = krippendorff.alpha(
        reliability_data=np.array([a, b], float), level_of_measurement="nominal"
    )
    assert u_alpha(20, spans_a, spans_b).value == pytest.approx(ref)
    assert span_agreement(20, spans_a, spans_b).krippendorff_alpha.value == pytest.approx(ref)


def test_longer_units_raise_expected_disagreement_over_character_alpha():
    # The same characters in one long unit per coder instead of many short ones: pairs
    # inside a unit are no longer expected, so |u-alpha differs from character alpha.
    res = span_agreement(100, [(10, 40)], [(15, 45)])
    assert res.u_alpha.value != pytest.approx(res.krippendorff_alpha.value)
    assert res.u_alpha.value == pytest.approx(brute_u_alpha(100, [(10, 40)], [(15, 45)]))
