"""span_agreement against per-character reference computations on small texts."""

from __future__ import annotations

import tracemalloc

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from sklearn.metrics import cohen_kappa_score, f1_score, jaccard_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from ketqual.core.agreement import Table2x2, gwet_ac1, merge_spans, span_agreement
from ketqual.core.agreement.result import EMPTY_TEXT, EVERYTHING_CODED, NOTHING_CODED
from tests.unit.core.agreement.conftest import labels, texts_with_spans


@settings(max_examples=80, deadline=None)
@given(texts_with_spans())
def test_matches_per_character_references(case):
    length, spans_a, spans_b = case
    res = span_agreement(length, spans_a, spans_b)
    a = np.array(labels(length, spans_a), dtype=int)
    b = np.array(labels(length, spans_b), dtype=int)
    t = res.table
    assert t.both == int(np.sum((a == 1) & (b == 1)))
    assert t.a_only == int(np.sum((a == 1) & (b == 0)))
    assert t.b_only == int(np.sum((a == 0) & (b == 1)))
    assert t.neither == int(np.sum((a == 0) & (b == 0)))
    if length == 0:
        assert all(s.reason == EMPTY_TEXT for s in res.statistics().values())
        return
    assert res.percent_agreement.value == pytest.approx(np.mean(a == b))
    assert res.pabak.value == pytest.approx(2 * np.mean(a == b) - 1)
    assert res.gwet_ac1.value == pytest.approx(
        gwet_ac1(np.column_stack([a, b]).tolist(), [0, 1]).value
    )
    varied = len(set(a) | set(b)) > 1
    if varied:
        assert res.cohen_kappa.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)
        ref_alpha = krippendorff.alpha(
            reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal"
        )
        assert res.krippendorff_alpha.value == pytest.approx(ref_alpha, abs=1e-9)
        counts, _ = aggregate_raters(np.column_stack([a, b]), n_cat=2)
        assert res.scott_pi.value == pytest.approx(sm_fleiss(counts), abs=1e-9)
    else:
        assert res.cohen_kappa.reason in (NOTHING_CODED, EVERYTHING_CODED)
        assert res.krippendorff_alpha.reason == res.cohen_kappa.reason
        assert res.scott_pi.reason == res.cohen_kappa.reason
    if a.any() or b.any():
        assert res.dice.value == pytest.approx(f1_score(a, b))
        assert res.jaccard.value == pytest.approx(jaccard_score(a, b))
    else:
        assert res.dice.reason == NOTHING_CODED and res.jaccard.reason == NOTHING_CODED


def test_overlapping_and_adjacent_spans_of_one_coder_merge():
    assert merge_spans([(3, 8), (0, 5), (8, 10), (12, 12), (15, 20), (16, 18)]) == [
        (0, 10),
        (15, 20),
    ]
    res = span_agreement(30, [(0, 5), (3, 8), (8, 10)], [(0, 10), (0, 10)])
    assert res.table == Table2x2(10, 0, 0, 20)
    assert res.segments_a == ((0, 10),)
    assert res.cohen_kappa.value == 1.0
    assert res.alpha_u.value == 1.0


def test_both_empty():
    res = span_agreement(100, [], [])
    assert res.table == Table2x2(0, 0, 0, 100)
    for name in (
        "cohen_kappa",
        "scott_pi",
        "krippendorff_alpha",
        "dice",
        "jaccard",
        "alpha_u",
        "u_alpha",
    ):
        assert getattr(res, name).reason == NOTHING_CODED, name
    assert res.percent_agreement.value == 1.0
    assert res.pabak.value == 1.0
    assert res.gwet_ac1.value == 1.0


def test_one_coder_empty():
    res = span_agreement(100, [(10, 30)], [])
    assert res.table == Table2x2(0, 20, 0, 80)
    assert res.cohen_kappa.value == 0.0
    assert res.dice.value == 0.0
    assert res.krippendorff_alpha.value < 0
    assert res.alpha_u.defined and res.u_alpha.defined


def test_both_cover_everything():
    res = span_agreement(50, [(0, 50)], [(0, 25), (25, 50)])
    assert res.table == Table2x2(50, 0, 0, 0)
    assert res.cohen_kappa.reason == EVERYTHING_CODED
    assert res.krippendorff_alpha.reason == EVERYTHING_CODED
    assert res.u_alpha.reason == EVERYTHING_CODED
    assert res.dice.value == 1.0
    # alpha_U still has expected disagreement (placements of the one unit) and is 1.
    assert res.alpha_u.value == 1.0


def test_zero_length_text():
    res = span_agreement(0, [], [(0, 0)])
    assert res.table == Table2x2(0, 0, 0, 0)
    assert all(s.value is None and s.reason == EMPTY_TEXT for s in res.statistics().values())


def test_invalid_spans_are_rejected():
    with pytest.raises(ValueError):
        span_agreement(10, [(5, 11)], [])
    with pytest.raises(ValueError):
        span_agreement(10, [(5, 4)], [])
    with pytest.raises(ValueError):
        span_agreement(10, [(-1, 4)], [])
    with pytest.raises(ValueError):
        span_agreement(-1, [], [])


def test_ten_million_characters_need_no_per_character_memory():
    rng = np.random.default_rng(7)
    starts = np.sort(rng.choice(10_000_000 - 500, size=2000, replace=False))
    spans_a = [(int(s), int(s) + 300) for s in starts]
    spans_b = [(int(s) + 20, int(s) + 310) for s in starts[::2]]
    tracemalloc.start()
    res = span_agreement(10_000_000, spans_a, spans_b)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000  # a per-character array alone would be 10 MB or more
    assert res.table.n == 10_000_000
    assert res.cohen_kappa.defined and res.alpha_u.defined and res.u_alpha.defined


def test_to_dict_is_plain():
    d = span_agreement(10, [(0, 4)], [(2, 6)]).to_dict()
    assert d["table"] == {"both": 2, "a_only": 2, "b_only": 2, "neither": 4}
    assert d["statistics"]["cohen_kappa"]["name"] == "cohen_kappa"
