"""Two-coder table coefficients against scikit-learn, statsmodels and a SAS printout."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from ketqual.core.agreement import (
    Table2x2,
    brennan_prediger,
    cohen_kappa,
    dice,
    jaccard,
    negative_agreement,
    pabak,
    percent_agreement,
    positive_agreement,
    presence_table,
    scott_pi,
)
from ketqual.core.agreement.result import EVERYTHING_CODED, NO_UNITS, NO_VARIATION, NOTHING_CODED

# statsmodels' test suite compares against this SAS PROC FREQ printout.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


def table_from(a, b, k):
    t = np.zeros((k, k))
    for x, y in zip(a, b, strict=True):
        t[x, y] += 1
    return t


pairs_of_ratings = st.integers(2, 4).flatmap(
    lambda k: st.lists(
        st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), min_size=2, max_size=60
    ).map(lambda rows: (k, [r[0] for r in rows], [r[1] for r in rows]))
)


def test_cohen_kappa_matches_sas_printout():
    res = cohen_kappa(SAS_TABLE)
    assert res.value == pytest.approx(0.4842, abs=5e-5)
    assert res.se == pytest.approx(0.1380, abs=5e-5)
    assert res.ci_low == pytest.approx(0.2137, abs=5e-5)
    assert res.ci_high == pytest.approx(0.7547, abs=5e-5)
    assert res.se_null == pytest.approx(0.1484, abs=5e-5)
    assert res.n == 19


@settings(max_examples=60, deadline=None)
@given(pairs_of_ratings)
def test_cohen_kappa_matches_sklearn_and_statsmodels(data):
    k, a, b = data
    t = table_from(a, b, k)
    res = cohen_kappa(t)
    if len(set(a)) == 1 and len(set(b)) == 1 and a[0] == b[0]:
        assert not res.defined
        return
    assert res.value == pytest.approx(cohen_kappa_score(a, b, labels=list(range(k))), abs=1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels' own z = 0/0
        sm = cohens_kappa(t)
    # statsmodels takes sqrt of a rounding-negative variance (NaN); ours is clamped at 0.
    # Both variances can come out a hair below zero (e.g. one rater always says 0).
    assert res.se == pytest.approx(np.sqrt(max(sm.var_kappa, 0.0)), abs=1e-7)
    assert res.se_null == pytest.approx(np.sqrt(max(sm.var_kappa0, 0.0)), abs=1e-9)
    assert res.ci_low <= res.value <= res.ci_high


@settings(max_examples=60, deadline=None)
@given(pairs_of_ratings)
def test_scott_pi_is_fleiss_kappa_of_two_raters(data):
    k, a, b = data
    res = scott_pi(table_from(a, b, k))
    counts, _ = aggregate_raters(np.column_stack([a, b]), n_cat=k)
    if np.count_nonzero(counts.sum(axis=0)) == 1:
        assert not res.defined and res.reason
        return
    assert res.value == pytest.approx(sm_fleiss(counts), abs=1e-12)


def test_scott_pi_by_hand():
    # po = .85; pooled shares .475/.525; pe = .475^2 + .525^2 = .50125
    res = scott_pi([[40, 5], [10, 45]])
    assert res.value == pytest.approx((0.85 - 0.50125) / (1 - 0.50125))


def test_brennan_prediger_pabak_and_percent_agreement():
    t = [[40, 5], [10, 45]]
    assert percent_agreement(t).value == pytest.approx(0.85)
    assert percent_agreement(t).se == pytest.approx(math.sqrt(0.85 * 0.15 / 99))
    assert pabak(t).value == pytest.approx(0.7)
    assert pabak(t).name == "pabak"
    # Gwet's SE for Brennan-Prediger: sqrt(po (1 - po) / (n - 1)) / (1 - 1/q)
    assert brennan_prediger(t).se == pytest.approx(math.sqrt(0.85 * 0.15 / 99) / 0.5)
    assert brennan_prediger([[5, 1, 0], [0, 3, 1], [1, 0, 4]]).value == pytest.approx(
        (12 / 15 - 1 / 3) / (2 / 3)
    )
    assert brennan_prediger([[5, 1], [0, 3]], n_categories=4).value == pytest.approx(
        (8 / 9 - 0.25) / 0.75
    )


def test_specific_agreements_on_a_2x2_table():
    t = Table2x2(both=30, a_only=10, b_only=5, neither=55)
    assert positive_agreement(t).value == pytest.approx(60 / 75)
    assert dice(t).value == positive_agreement(t).value
    assert negative_agreement(t).value == pytest.approx(110 / 125)
    assert jaccard(t).value == pytest.approx(30 / 45)
    assert t.as_matrix() == [[30, 10], [5, 55]]
    assert cohen_kappa(t).value == pytest.approx(cohen_kappa(t.as_matrix()).value)


def test_degenerate_tables_are_undefined_with_reasons():
    nothing = Table2x2(0, 0, 0, 12)
    everything = Table2x2(12, 0, 0, 0)
    assert cohen_kappa(nothing).reason == NOTHING_CODED
    assert cohen_kappa(everything).reason == EVERYTHING_CODED
    assert scott_pi(nothing).reason == NOTHING_CODED
    assert dice(nothing).reason == NOTHING_CODED
    assert jaccard(nothing).value is None
    assert negative_agreement(everything).reason == EVERYTHING_CODED
    assert cohen_kappa([[0, 0], [0, 0]]).reason == NO_UNITS
    assert cohen_kappa([[0, 0, 0], [0, 7, 0], [0, 0, 0]]).reason == NO_VARIATION
    # Defined but extreme: one coder codes everything, the other nothing.
    assert cohen_kappa(Table2x2(0, 10, 0, 0)).value == 0.0
    assert percent_agreement(nothing).value == 1.0
    assert pabak(nothing).value == 1.0


def test_presence_table_from_lists_and_maps():
    assert presence_table([True, True, False, False], [True, False, True, False]) == Table2x2(
        1, 1, 1, 1
    )
    assert presence_table({"d1": True, "d2": False}, {"d2": False, "d1": True}) == Table2x2(
        1, 0, 0, 1
    )
    with pytest.raises(ValueError):
        presence_table([True], [True, False])
    with pytest.raises(ValueError):
        presence_table({"d1": True}, {"d2": True})


def test_invalid_tables_are_rejected():
    with pytest.raises(ValueError):
        cohen_kappa([[1, 2, 3]])
    with pytest.raises(ValueError):
        cohen_kappa([[1, -1], [0, 2]])
    with pytest.raises(ValueError):
        Table2x2(1, 2, 3, -4)
