"""Krippendorff's alpha against the krippendorff package and the 2011 worked example."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core.agreement import alpha_from_table, coincidence_matrix, krippendorff_alpha
from ketqual.core.agreement.result import NO_PAIRABLE, NO_VARIATION, NOTHING_CODED
from tests.unit.core.agreement.conftest import KRIPPENDORFF_2011

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def reference(data, level):
    arr = np.array([[np.nan if x is None else x for x in row] for row in data], dtype=float)
    return krippendorff.alpha(reliability_data=arr, level_of_measurement=level)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level, published):
    res = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert res.value == pytest.approx(published, abs=5e-4)
    assert res.value == pytest.approx(reference(KRIPPENDORFF_2011, level), abs=1e-12)
    assert res.n == 40  # pairable values: unit 12 has a single value and drops out


def test_2011_coincidence_matrix_margins():
    values, o = coincidence_matrix(KRIPPENDORFF_2011)
    assert values == [1, 2, 3, 4, 5]
    assert o.sum(axis=1).tolist() == pytest.approx([9, 13, 10, 5, 3])
    assert np.allclose(o, o.T)


reliability_data = st.tuples(st.integers(2, 4), st.integers(1, 12), st.integers(2, 5)).flatmap(
    lambda dims: st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, dims[2])), min_size=dims[1], max_size=dims[1]),
        min_size=dims[0],
        max_size=dims[0],
    )
)


@settings(max_examples=40, deadline=None)
@given(reliability_data)
def test_random_data_with_missing_values_matches_package(data):
    values, o = coincidence_matrix(data)
    n_c = o.sum(axis=1)
    for level in LEVELS:
        res = krippendorff_alpha(data, level)
        if n_c.sum() == 0:
            assert res.reason == NO_PAIRABLE
        elif np.count_nonzero(n_c) == 1:
            assert res.reason == NO_VARIATION
        else:
            assert res.value == pytest.approx(reference(data, level), abs=1e-9)


def test_string_labels_for_nominal_data():
    data = [["a", "b", "a", None], ["a", "b", "b", "c"]]
    numeric = [[1, 2, 1, None], [1, 2, 2, 3]]
    assert krippendorff_alpha(data).value == pytest.approx(krippendorff_alpha(numeric).value)
    with pytest.raises(ValueError):
        krippendorff_alpha(data, "interval")


def test_alpha_from_table_equals_alpha_on_the_data():
    table = [[30, 10], [5, 55]]
    a = [0] * 30 + [0] * 10 + [1] * 5 + [1] * 55
    b = [0] * 30 + [1] * 10 + [0] * 5 + [1] * 55
    assert alpha_from_table(table).value == pytest.approx(krippendorff_alpha([a, b]).value)
    assert alpha_from_table([[0, 0], [0, 9]]).reason == NOTHING_CODED


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1, 2]], level="cardinal")
    with pytest.raises(ValueError):
        krippendorff_alpha([[-1, 2], [1, 2]], level="ratio")
