"""The unitizing alphas across codes (uα, c|uα, cuα, |uα) for any number of coders.

Checked against ``family_oracle.py``, a literal pair-counting implementation of the
definitions, on hypothesis-generated small cases; against the krippendorff package where
the definitions reduce to ordinary nominal alpha (units one character long); and against
the two-coder |u-alpha already checked against Krippendorff's examples.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ketqual.core.agreement import (
    c_u_alpha,
    cu_alpha,
    u_alpha,
    u_alpha_binary,
    u_alpha_nominal,
    unitizing_family,
)
from ketqual.core.agreement.result import NOT_EXCLUSIVE, NOTHING_CODED
from ketqual.core.agreement.unitizing_codes import Layer, family_parts, family_values
from tests.unit.core.agreement import family_oracle

CODES = ("x", "y", "z")


@st.composite
def exclusive_layer(draw, length):
    """Mutually exclusive codings: cut the text into pieces, code some of them."""
    cuts = sorted(draw(st.sets(st.integers(0, length), max_size=6)) | {0, length})
    spans = []
    for s, e in zip(cuts, cuts[1:], strict=False):
        code = draw(st.sampled_from((None, *CODES)))
        if code is not None and e > s:
            # Sometimes split one piece into two codings of the same code (merged again).
            mid = draw(st.integers(s, e))
            spans += [(s, mid, code), (mid, e, code)] if draw(st.booleans()) else [(s, e, code)]
    return spans


@st.composite
def exclusive_case(draw, max_length=9, max_coders=4):
    length = draw(st.integers(1, max_length))
    m = draw(st.integers(2, max_coders))
    return length, {f"C{i}": draw(exclusive_layer(length)) for i in range(m)}


def _check(engine, oracle):
    if oracle is None:
        assert not engine.defined and engine.reason
    else:
        assert engine.value == pytest.approx(oracle, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(exclusive_case())
def test_family_equals_pair_counting(case):
    length, coders = case
    got = unitizing_family(length, coders)
    _check(got["u_alpha_nominal"], family_oracle.family([(length, coders)], "u"))
    _check(got["c_u_alpha"], family_oracle.family([(length, coders)], "c|u"))
    _check(got["cu_alpha"], family_oracle.family([(length, coders)], "cu"))


@settings(max_examples=40, deadline=None)
@given(st.lists(exclusive_case(max_length=6, max_coders=3), min_size=2, max_size=3))
def test_documents_pool_as_one_continuum(cases):
    # The same coders in every document; the oracle sees sections of one continuum.
    m = min(len(c) for _, c in cases)
    names = [f"C{i}" for i in range(m)]
    sections = [(length, {n: coders[n] for n in names}) for length, coders in cases]
    index = {c: i for i, c in enumerate(CODES)}
    layers = [
        Layer(
            doc=np.array([d for d, (_, cs) in enumerate(sections) for _ in cs[n]], np.int64),
            start=np.array([s for _, cs in sections for s, _, _ in cs[n]], np.int64),
            end=np.array([e for _, cs in sections for _, e, _ in cs[n]], np.int64),
            value=np.array([index[c] for _, cs in sections for *_, c in cs[n]], np.int64),
        )
        for n in names
    ]
    parts = family_parts([length for length, _ in sections], layers, len(CODES))
    pooled = family_values(parts.pooled(np.ones(len(sections))))
    for name, variant in (("u_alpha_nominal", "u"), ("c_u_alpha", "c|u"), ("cu_alpha", "cu")):
        want = family_oracle.family(sections, variant)
        value, reason = pooled[name][0][()], int(pooled[name][1][()])
        if want is None:
            assert reason != 0
        else:
            assert reason == 0 and value == pytest.approx(want, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.data())
def test_one_character_units_give_nominal_alpha(m, data):
    # Every coded character its own unit (no two neighbours share a code): uα is then
    # Krippendorff's nominal alpha over characters with the gap as a value.
    length = 12
    rows = []
    for _ in range(m):
        labels = data.draw(
            st.lists(st.sampled_from(("-", "x", "y")), min_size=length, max_size=length)
        )
        labels = ["-" if i and v != "-" and v == labels[i - 1] else v for i, v in enumerate(labels)]
        rows.append(labels)
    coders = {
        f"C{i}": [(x, x + 1, v) for x, v in enumerate(row) if v != "-"]
        for i, row in enumerate(rows)
    }
    assume(len({v for row in rows for v in row}) > 1)
    codes = {"-": 0, "x": 1, "y": 2}
    ref = krippendorff.alpha(
        reliability_data=np.array([[codes[v] for v in row] for row in rows], float),
        level_of_measurement="nominal",
    )
    assert u_alpha_nominal(length, coders).value == pytest.approx(ref)
    if m == 2:
        # c|uα with two coders: nominal alpha on the characters both coded.
        both = [
            [
                codes[v] if rows[0][x] != "-" and rows[1][x] != "-" else np.nan
                for x, v in enumerate(r)
            ]
            for r in rows
        ]
        got = c_u_alpha(length, coders)
        n_both = sum(rows[0][x] != "-" and rows[1][x] != "-" for x in range(length))
        values = {
            rows[i][x]
            for i in (0, 1)
            for x in range(length)
            if rows[0][x] != "-" and rows[1][x] != "-"
        }
        if n_both and len(values) > 1:
            ref = krippendorff.alpha(
                reliability_data=np.array(both), level_of_measurement="nominal"
            )
            assert got.value == pytest.approx(ref)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 20), st.data())
def test_binary_with_one_code_is_two_coder_u_alpha(length, data):
    span = st.tuples(st.integers(0, length), st.integers(0, length)).map(lambda t: tuple(sorted(t)))
    a = data.draw(st.lists(span, max_size=4))
    b = data.draw(st.lists(span, max_size=4))
    old = u_alpha(length, a, b)
    new = u_alpha_binary(length, {"A": a, "B": b})
    # With one code and two coders, uα over the code system is |u-alpha too.
    nominal = u_alpha_nominal(length, {"A": [(*s, "c") for s in a], "B": [(*s, "c") for s in b]})
    for got in (new, nominal):
        if old.defined:
            assert got.value == pytest.approx(old.value, abs=1e-9)
        else:
            assert not got.defined


def test_overlapping_codes_make_the_exclusive_coefficients_undefined():
    coders = {
        "A": [(0, 10, "Side-effects"), (5, 15, "Daily life")],
        "B": [(0, 10, "Side-effects"), (10, 15, "Daily life")],
    }
    got = unitizing_family(20, coders)
    for name in ("u_alpha_nominal", "c_u_alpha", "cu_alpha"):
        assert not got[name].defined
        assert got[name].reason.startswith(NOT_EXCLUSIVE)
        assert "coder 'A'" in got[name].reason and "characters 5-10" in got[name].reason
    # |uα (coded or not, whatever the code) looks at one merged layer: still defined.
    assert got["u_alpha_binary"].defined
    # The same code twice over one stretch is not an overlap: it merges.
    again = {"A": [(0, 10, "x"), (5, 15, "x")], "B": [(0, 15, "x")]}
    assert u_alpha_nominal(20, again).defined


def test_adjacent_units_of_different_codes_are_allowed():
    coders = {
        "A": [(0, 5, "x"), (5, 10, "y")],
        "B": [(0, 5, "x"), (5, 10, "y")],
        "C": [(0, 10, "x")],
    }
    got = unitizing_family(12, coders)
    assert got["u_alpha_nominal"].defined and got["c_u_alpha"].defined
    assert got["c_u_alpha"].value == pytest.approx(family_oracle.family([(12, coders)], "c|u"))


def test_perfect_agreement_and_nothing_coded():
    same = [(2, 6, "x"), (8, 11, "y")]
    got = unitizing_family(15, {"A": same, "B": same, "C": same})
    for name in ("u_alpha_nominal", "c_u_alpha", "cu_alpha", "u_alpha_binary"):
        assert got[name].value == pytest.approx(1.0)
    none = unitizing_family(15, {"A": [], "B": []})
    assert none["u_alpha_nominal"].reason == NOTHING_CODED
    assert none["c_u_alpha"].reason == NOTHING_CODED


def test_c_u_alpha_ignores_where_units_lie():
    # The coders agree on every code where both coded, only the extents differ.
    coders = {"A": [(0, 10, "x"), (20, 30, "y")], "B": [(3, 8, "x"), (22, 40, "y")]}
    got = unitizing_family(50, coders)
    assert got["c_u_alpha"].value == pytest.approx(1.0)
    assert got["u_alpha_nominal"].value < 1.0 and got["cu_alpha"].value < 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="two coders"):
        u_alpha_nominal(10, {"A": [(0, 2, "x")]})
    with pytest.raises(ValueError, match="outside"):
        cu_alpha(10, {"A": [(0, 12, "x")], "B": []})
