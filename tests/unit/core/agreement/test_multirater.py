"""Fleiss' kappa and Gwet's AC1 against statsmodels and Gwet's published example."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from ketqual.core.agreement import fleiss_kappa, gwet_ac1, gwet_ac1_counts, ratings_to_counts
from ketqual.core.agreement.result import FEW_CATEGORIES, NO_PAIRABLE, NO_VARIATION
from tests.unit.core.agreement.conftest import KRIPPENDORFF_2011, units_by_raters

# Wikipedia's Fleiss example (10 subjects, 14 raters), also in statsmodels' tests.
WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses (as in R irr's ``diagnoses``
# and statsmodels' tests); Fleiss reports kappa = .430.
DIAGNOSES = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip


def test_fleiss_wikipedia_example():
    assert fleiss_kappa(WIKIPEDIA).value == pytest.approx(0.210, abs=5e-4)
    assert fleiss_kappa(WIKIPEDIA).value == pytest.approx(sm_fleiss(np.array(WIKIPEDIA)), abs=1e-12)


def test_fleiss_1971_example():
    counts, _ = aggregate_raters(np.array(DIAGNOSES))
    res = fleiss_kappa(counts)
    assert res.value == pytest.approx(0.430, abs=5e-4)
    # Fleiss, Nee & Landis (1979) null SE, written out for this table.
    p = counts.sum(axis=0) / counts.sum()
    pq = p * (1 - p)
    var0 = 2 / (30 * 6 * 5) * (pq.sum() ** 2 - (pq * (1 - 2 * p)).sum()) / pq.sum() ** 2
    assert res.se_null == pytest.approx(math.sqrt(var0))
    assert res.value / res.se_null == pytest.approx(17.65, abs=0.01)


def test_gwet_handbook_example():
    # Gwet (2014), Handbook 4th ed., p. 120 data; values as printed by Gwet's irrCAC
    # (AC1 0.77544, SE 0.14295; Fleiss 0.76117, SE 0.15302).
    ratings = units_by_raters(KRIPPENDORFF_2011)
    ac1 = gwet_ac1(ratings)
    assert ac1.value == pytest.approx(0.77544, abs=5e-6)
    assert ac1.se == pytest.approx(0.14295, abs=5e-6)
    counts, cats = ratings_to_counts(ratings)
    assert cats == [1, 2, 3, 4, 5]
    fk = fleiss_kappa(counts)
    assert fk.value == pytest.approx(0.76117, abs=5e-6)
    assert fk.se == pytest.approx(0.15302, abs=5e-6)
    assert fk.se_null is None  # raters per unit vary


def test_ac1_two_raters_by_hand():
    # 2x2: 40 both-yes, 5 A-only, 10 B-only, 45 both-no. po = .85; p = .475;
    # pe = 2 p (1 - p) = .49875.
    ratings = [[1, 1]] * 40 + [[1, 0]] * 5 + [[0, 1]] * 10 + [[0, 0]] * 45
    assert gwet_ac1(ratings).value == pytest.approx((0.85 - 0.49875) / (1 - 0.49875))
    counts, _ = ratings_to_counts(ratings)
    assert gwet_ac1_counts(counts).value == pytest.approx(gwet_ac1(ratings).value)


def test_ac1_depends_on_the_category_list():
    ratings = [["x", "x"], ["x", "x"], ["x", "y"]]
    assert gwet_ac1(ratings).value != gwet_ac1(ratings, categories=["x", "y", "z"]).value
    assert gwet_ac1([["x", "x"]]).reason == FEW_CATEGORIES
    assert gwet_ac1([["x", "x"], ["x", "x"]], categories=["x", "y"]).value == 1.0
    with pytest.raises(ValueError):
        gwet_ac1([["x", "q"]], categories=["x", "y"])


def test_undefined_cases():
    assert fleiss_kappa([[3, 0], [3, 0]]).reason == NO_VARIATION
    assert fleiss_kappa([[1, 0], [0, 1]]).reason == NO_PAIRABLE
    assert gwet_ac1([[1, None], [None, 2]]).reason == NO_PAIRABLE


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 5), st.integers(2, 4), st.data())
def test_fleiss_matches_statsmodels_on_random_complete_designs(raters, cats, data):
    n_units = data.draw(st.integers(2, 15))
    rows = [
        data.draw(st.lists(st.integers(0, cats - 1), min_size=raters, max_size=raters))
        for _ in range(n_units)
    ]
    counts, _ = aggregate_raters(np.array(rows), n_cat=cats)
    res = fleiss_kappa(counts)
    if np.count_nonzero(counts.sum(axis=0)) == 1:
        assert res.reason == NO_VARIATION
    else:
        assert res.value == pytest.approx(sm_fleiss(counts), abs=1e-12)


@pytest.mark.parametrize(
    "name", ["raw_4raters", "raw_5observers", "raw_g1g2", "raw_gender", "raw_ben_gerry"]
)
def test_against_irrcac_when_installed(name, monkeypatch):
    """irrCAC (Gwet's coefficients in Python) is optional: it does not install next to
    numpy 2; run e.g. with ``pip install --no-deps --target DIR irrCAC`` on PYTHONPATH."""
    irrcac_raw = pytest.importorskip("irrCAC.raw")
    datasets = pytest.importorskip("irrCAC.datasets")
    pd = pytest.importorskip("pandas")
    # irrCAC 0.4.4 relies on DataFrame.stack() dropping NaN, which pandas 3 no longer does.
    stack = pd.DataFrame.stack
    monkeypatch.setattr(pd.DataFrame, "stack", lambda self, *a, **k: stack(self, *a, **k).dropna())
    frame = getattr(datasets, name)()
    ratings = [[None if v != v else v for v in row] for row in frame.itertuples(index=False)]
    ref = irrcac_raw.CAC(frame, digits=10)
    g, f = ref.gwet()["est"], ref.fleiss()["est"]
    ours_g = gwet_ac1(ratings)
    counts, _ = ratings_to_counts(ratings)
    ours_f = fleiss_kappa(counts)
    assert ours_g.value == pytest.approx(g["coefficient_value"], abs=1e-8)
    assert ours_g.se == pytest.approx(g["se"], abs=1e-8)
    assert ours_f.value == pytest.approx(f["coefficient_value"], abs=1e-8)
    assert ours_f.se == pytest.approx(f["se"], abs=1e-8)
