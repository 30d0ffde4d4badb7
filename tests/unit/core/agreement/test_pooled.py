"""Pooled kappa (De Vries et al. 2008) beside the stacked-table kappa and the mean kappa."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from ketqual.core.agreement import Table2x2, cohen_kappa, pooled_kappa
from ketqual.core.agreement.result import NO_UNITS, NOTHING_CODED


def _labels(t: Table2x2):
    a = [1] * t.both + [1] * t.a_only + [0] * t.b_only + [0] * t.neither
    b = [1] * t.both + [0] * t.a_only + [1] * t.b_only + [0] * t.neither
    return a, b


table = st.builds(
    Table2x2, st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)
).filter(lambda t: t.n > 0)


def test_one_table_is_cohens_kappa():
    t = Table2x2(20, 5, 3, 72)
    a, b = _labels(t)
    assert pooled_kappa([t]).value == pytest.approx(cohen_kappa_score(a, b))
    assert pooled_kappa([t.as_matrix()]).value == pytest.approx(cohen_kappa(t).value)


def test_worked_by_hand():
    # Two codes of 10 units. Code 1: po = .9, pA = .5, pB = .4, pe = .2 + .3 = .5.
    # Code 2: po = .8, pA = pB = .2, pe = .04 + .64 = .68.
    # Pooled: (.85 - .59) / (1 - .59) = .26 / .41 = .634.
    t1 = Table2x2(4, 1, 0, 5)
    t2 = Table2x2(1, 1, 1, 7)
    po = np.array([0.9, 0.8])
    pe = np.array([0.5 * 0.4 + 0.5 * 0.6, 0.2 * 0.2 + 0.8 * 0.8])
    want = (po.mean() - pe.mean()) / (1 - pe.mean())
    assert pooled_kappa([t1, t2]).value == pytest.approx(want)
    assert pooled_kappa([t1, t2]).value == pytest.approx(0.26 / 0.41)
    # Neither the stacked table nor the mean of the kappas gives the same number.
    stacked = cohen_kappa(t1 + t2).value
    mean = np.mean([cohen_kappa(t1).value, cohen_kappa(t2).value])
    assert pooled_kappa([t1, t2]).value not in (pytest.approx(stacked), pytest.approx(mean))


@settings(max_examples=80, deadline=None)
@given(st.lists(table, min_size=1, max_size=6))
def test_matches_the_definition(tables):
    po, pe = [], []
    for t in tables:
        a, b = _labels(t)
        po.append(np.mean(np.array(a) == np.array(b)))
        pa, pb = np.mean(a), np.mean(b)
        pe.append(pa * pb + (1 - pa) * (1 - pb))
    got = pooled_kappa(tables)
    if np.mean(pe) < 1 - 1e-12:
        assert got.value == pytest.approx((np.mean(po) - np.mean(pe)) / (1 - np.mean(pe)))
        assert got.n == len(tables)
    else:
        assert not got.defined


def test_identical_tables_give_the_stacked_kappa():
    t = Table2x2(7, 2, 4, 31)
    assert pooled_kappa([t, t, t]).value == pytest.approx(cohen_kappa(t + t + t).value)


def test_defined_where_single_codes_are_not():
    unused = Table2x2(0, 0, 0, 50)  # nobody used the code: its own kappa is undefined
    used = Table2x2(10, 3, 2, 35)
    assert not cohen_kappa(unused).defined
    assert pooled_kappa([unused, used]).defined


def test_undefined_and_bad_input():
    assert pooled_kappa([]).reason == NO_UNITS
    assert pooled_kappa([Table2x2(0, 0, 0, 9)]).reason == NOTHING_CODED
    with pytest.raises(ValueError, match="no units"):
        pooled_kappa([[[0, 0], [0, 0]]])
    with pytest.raises(ValueError, match="2x2"):
        pooled_kappa([[[1, 2, 3]]])
