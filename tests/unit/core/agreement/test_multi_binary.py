"""Coefficients of m coders on one code from coverage counts, against reference code."""

from __future__ import annotations

import itertools

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from ketqual.core.agreement import fleiss_kappa, gwet_ac1
from ketqual.core.agreement.binary import binary_statistics
from ketqual.core.agreement.multi_binary import (
    analytic_se,
    light_kappa,
    multi_statistics,
)

ratings = st.integers(2, 5).flatmap(
    lambda m: st.lists(st.lists(st.integers(0, 1), min_size=m, max_size=m), min_size=2, max_size=25)
)


def _hist(rows):
    m = len(rows[0])
    return np.bincount([sum(r) for r in rows], minlength=m + 1)


@settings(max_examples=100, deadline=None)
@given(ratings)
def test_against_statsmodels_krippendorff_and_gwet(rows):
    data = np.array(rows)
    m = data.shape[1]
    stats = multi_statistics(_hist(rows))
    counts = np.stack([m - data.sum(1), data.sum(1)], axis=1)
    varied = 0 < data.sum() < data.size
    if varied:
        assert stats["fleiss_kappa"][0] == pytest.approx(sm_fleiss(counts), abs=1e-9)
        ref = krippendorff.alpha(
            reliability_data=data.T.astype(float), level_of_measurement="nominal"
        )
        assert stats["krippendorff_alpha"][0] == pytest.approx(ref, abs=1e-9)
    else:
        assert stats["fleiss_kappa"][1] != 0 and np.isnan(stats["fleiss_kappa"][0])
    ac1 = gwet_ac1(rows, categories=[0, 1])
    assert stats["gwet_ac1"][0] == pytest.approx(ac1.value, abs=1e-9)
    pairs = [np.mean(data[:, i] == data[:, j]) for i, j in itertools.combinations(range(m), 2)]
    assert stats["percent_agreement"][0] == pytest.approx(np.mean(pairs))
    assert stats["pabak"][0] == pytest.approx(2 * np.mean(pairs) - 1)
    if data.sum():
        agree = sum(np.sum(data[:, i] & data[:, j]) for i, j in itertools.permutations(range(m), 2))
        assert stats["dice"][0] == pytest.approx(agree / ((m - 1) * data.sum()))
        coded_any = data.any(axis=1).sum()
        assert stats["jaccard"][0] == pytest.approx(data.all(axis=1).sum() / coded_any)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=30))
def test_two_coders_equal_the_two_coder_engine(pairs):
    a = sum(x and y for x, y in pairs)
    b = sum(x and not y for x, y in pairs)
    c = sum(y and not x for x, y in pairs)
    d = len(pairs) - a - b - c
    old = binary_statistics(np.array([a]), np.array([b]), np.array([c]), np.array([d]))
    new = multi_statistics(np.array([[d, b + c, a]]))
    names = {"fleiss_kappa": "scott_pi"}
    for name, (vals, reasons) in new.items():
        ov, orr = old[names.get(name, name)]
        assert reasons[0] == orr[0]
        if reasons[0] == 0:
            assert vals[0] == pytest.approx(ov[0])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 5).flatmap(
        lambda m: st.lists(
            st.lists(st.integers(0, 1), min_size=m, max_size=m), min_size=3, max_size=20
        )
    )
)
def test_light_kappa_is_the_mean_of_pairwise_cohen(rows):
    data = np.array(rows)
    m = data.shape[1]
    pairs = list(itertools.combinations(range(m), 2))
    tables = np.array(
        [
            [
                np.sum(data[:, i] & data[:, j]),
                np.sum(data[:, i] & ~data[:, j].astype(bool)),
                np.sum(~data[:, i].astype(bool) & data[:, j]),
                np.sum((data[:, i] == 0) & (data[:, j] == 0)),
            ]
            for i, j in pairs
        ]
    )
    value, reason = light_kappa(tables)
    refs = [
        cohen_kappa_score(data[:, i], data[:, j])
        for i, j in pairs
        if len(set(data[:, i]) | set(data[:, j])) > 1
    ]
    if refs:
        assert reason == 0 and value == pytest.approx(np.mean(refs))
    else:
        assert reason != 0


def test_fleiss_standard_errors():
    rows = [[1, 1, 0], [1, 1, 1], [0, 0, 0], [1, 0, 0], [0, 0, 0], [1, 1, 1], [0, 1, 0]]
    hist = _hist(rows)[None]
    se, se_null = analytic_se(hist, "fleiss_kappa")
    m = 3
    ref = fleiss_kappa([[m - sum(r), sum(r)] for r in rows])
    assert se[0] == pytest.approx(ref.se) and se_null[0] == pytest.approx(ref.se_null)
    se_ac1, null_ac1 = analytic_se(hist, "gwet_ac1")
    assert se_ac1[0] == pytest.approx(gwet_ac1(rows, categories=[0, 1]).se)
    assert np.isnan(null_ac1[0])


def test_undefined_cases():
    stats = multi_statistics(np.array([[10, 0, 0, 0], [0, 0, 0, 7], [0, 0, 0, 0]]))
    assert list(stats["fleiss_kappa"][1]) == [3, 4, 1]
    assert stats["gwet_ac1"][0][0] == pytest.approx(1.0)
