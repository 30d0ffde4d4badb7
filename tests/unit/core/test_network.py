"""Theme co-occurrence: n per theme and subtheme, n12, and the four measures, on hand-made layers."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core import network
from ketqual.core.network import NetworkCode, NetworkDocument

A, A1, A2, B, B1, C = 1, 11, 12, 2, 21, 3
CODES = [
    NetworkCode(A, "Side-effects"),
    NetworkCode(A1, "Physical", A),
    NetworkCode(A2, "Mental", A),
    NetworkCode(B, "Daily life"),
    NetworkCode(B1, "Driving", B),
    NetworkCode(C, "Cost"),
]
# Two documents of 100 characters: sentences of 10 characters, paragraphs of 50.
SENTENCES = [(i, i + 10) for i in range(0, 100, 10)]
PARAGRAPHS = [(0, 50), (50, 100)]
DOCS = [
    NetworkDocument(1, case_id=7, units={"sentence": SENTENCES, "paragraph": PARAGRAPHS}),
    NetworkDocument(2, case_id=8, units={"sentence": SENTENCES, "paragraph": PARAGRAPHS}),
]


def compute(codings, unit="passage", documents=DOCS):
    return network.cooccurrence(CODES, documents, codings, unit)


def test_passages_merge_overlapping_and_touching_codings_of_a_theme_and_its_subthemes():
    codings = [
        (1, A, 0, 5),
        (1, A1, 5, 8),  # touches the theme's coding: same passage
        (1, A2, 20, 30),
        (1, A1, 25, 40),  # overlaps: same passage
        (2, A, 0, 5),  # another document: another passage
        (1, B, 60, 70),
    ]
    result = compute(codings)
    side = result.theme(A)
    assert side.n == 3
    assert [(s.name, s.n) for s in side.subthemes] == [("Physical", 2), ("Mental", 1)]
    assert result.theme(B).n == 1
    assert result.theme(C).n == 0


def test_touching_passages_of_two_themes_do_not_co_occur():
    result = compute([(1, A, 0, 10), (1, B, 10, 20)])
    assert result.pair(A, B) == network.PairCount(n12=0, union=2)


def test_c_and_jaccard_differ_at_passage_unit_when_a_chain_holds_two_passages():
    # One long passage of A overlaps two separate passages of B: one chain.
    result = compute([(1, A, 0, 100), (1, B, 10, 20), (1, B, 50, 60)])
    assert result.pair(A, B) == network.PairCount(n12=1, union=1)
    assert result.value(A, B, "count") == 1
    assert result.value(A, B, "c") == pytest.approx(1 / (1 + 2 - 1))
    assert result.value(A, B, "jaccard") == 1.0
    assert result.value(A, B, "overlap") == 1.0


def test_c_and_jaccard_coincide_at_sentence_unit():
    codings = [(1, A, 0, 100), (1, B, 10, 20), (1, B, 50, 60), (2, B, 0, 5)]
    result = compute(codings, "sentence")
    assert result.theme(A).n == 10
    assert result.theme(B).n == 3  # sentences 10-20 and 50-60 of doc 1, 0-10 of doc 2
    assert result.pair(A, B) == network.PairCount(n12=2, union=11)
    assert result.value(A, B, "c") == result.value(A, B, "jaccard") == pytest.approx(2 / 11)
    assert result.value(A, B, "overlap") == pytest.approx(2 / 3)


def test_sentence_units_need_a_shared_character_not_a_touching_edge():
    # [10, 20) is exactly one sentence; it does not touch the sentences either side.
    result = compute([(1, A, 10, 20), (1, B, 19, 21)], "sentence")
    assert result.theme(A).n == 1
    assert result.theme(B).n == 2
    assert result.pair(A, B).n12 == 1


def test_paragraph_unit_counts_paragraphs_mentioning_both():
    codings = [(1, A, 0, 3), (1, B, 40, 45), (1, C, 60, 62), (2, A, 70, 80)]
    result = compute(codings, "paragraph")
    assert [t.n for t in result.themes] == [2, 1, 1]
    assert result.pair(A, B).n12 == 1
    assert result.pair(A, C).n12 == 0
    assert result.value(A, C, "jaccard") == 0.0


def test_case_unit_counts_focus_groups_and_notes_documents_without_one():
    documents = [*DOCS, NetworkDocument(3, case_id=None), NetworkDocument(4, case_id=7)]
    codings = [(1, A, 0, 5), (4, B, 0, 5), (2, B, 0, 5), (3, A, 0, 5), (3, C, 0, 5)]
    result = compute(codings, "case", documents)
    assert result.theme(A).n == 1  # case 7 (document 3 has no case)
    assert result.theme(B).n == 2  # cases 7 and 8
    assert result.theme(C).n == 0
    assert result.pair(A, B) == network.PairCount(n12=1, union=2)
    assert any("1 document(s) belong to no focus group" in note for note in result.notes)


def test_subtheme_n_counts_only_its_own_codings():
    codings = [(1, A, 0, 5), (1, A1, 30, 35), (2, A1, 0, 5)]
    for unit, expected in (("passage", 2), ("sentence", 2), ("paragraph", 2), ("case", 2)):
        physical = compute(codings, unit).theme(A).subthemes[0]
        assert (unit, physical.n) == (unit, expected)


def test_undefined_measures_are_none_not_zero():
    result = compute([(1, A, 0, 5)])
    assert result.value(B, C, "c") is None
    assert result.value(B, C, "jaccard") is None
    assert result.value(A, B, "overlap") is None
    assert result.value(A, B, "c") == 0.0
    assert result.value(A, B, "count") == 0.0


def test_matrix_has_n_on_the_diagonal_and_is_symmetric():
    result = compute([(1, A, 0, 50), (1, B, 10, 20), (1, C, 30, 40)])
    matrix = result.matrix("count")
    assert [matrix[i][i] for i in range(3)] == [1.0, 1.0, 1.0]
    assert matrix[0][1] == matrix[1][0] == 1.0
    assert matrix[1][2] == 0.0


def test_candidate_edges_above_threshold_strongest_first():
    codings = [
        (1, A, 0, 50),
        (1, B, 10, 20),
        (1, C, 30, 40),
        (1, C, 60, 70),
        (2, B, 0, 10),
    ]
    result = compute(codings)
    # A-B: n12 1, c = 1/(1+2-1) = 0.5; A-C: 1/(1+2-1) = 0.5; B-C: 0.
    edges = network.candidate_edges(result, "c", 0.5)
    assert [(e.source, e.target, e.value) for e in edges] == [(A, B, 0.5), (A, C, 0.5)]
    assert network.candidate_edges(result, "c", 0.51) == []
    assert [e.n12 for e in network.candidate_edges(result, "count", 1)] == [1, 1]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="unit must be one of"):
        compute([], "document")
    with pytest.raises(ValueError, match="document 9"):
        compute([(9, A, 0, 5)])
    with pytest.raises(ValueError, match="code 99"):
        compute([(1, 99, 0, 5)])
    with pytest.raises(ValueError, match="measure must be one of"):
        network.measure_value("pearson", 1, 1, 1, 1)


def test_an_empty_layer_gives_zeros():
    result = compute([], "sentence")
    assert all(t.n == 0 for t in result.themes)
    assert all(p == network.PairCount(0, 0) for p in result.pairs.values())


# -- against a per-character reference ----------------------------------------------------


def _runs(chars: set[int]) -> list[set[int]]:
    runs: list[set[int]] = []
    for i in sorted(chars):
        if runs and i - 1 in runs[-1]:
            runs[-1].add(i)
        else:
            runs.append({i})
    return runs


def _reference(codings, unit):
    """n and n12 from per-character sets, the slow obvious way."""
    theme_of = network.themes_of(CODES)
    covered = {}  # (theme, document) -> characters
    for doc, code, s, e in codings:
        covered.setdefault((theme_of[code], doc), set()).update(range(s, e))
    themes = [A, B, C]

    def items(theme):
        out = []
        for (t, doc), chars in covered.items():
            if t != theme:
                continue
            if unit == "passage":
                out += [(doc, frozenset(r)) for r in _runs(chars)]
            elif unit == "sentence":
                out += [(doc, u) for u in SENTENCES if chars & set(range(*u))]
            elif unit == "case":
                out += [doc] if chars else []
        return out

    n = {t: len(items(t)) for t in themes}
    n12 = {}
    for a, b in itertools.combinations(themes, 2):
        if unit != "passage":
            n12[(a, b)] = len(set(items(a)) & set(items(b)))
            continue
        nodes = [("a", x) for x in items(a)] + [("b", x) for x in items(b)]
        parent = list(range(len(nodes)))

        def find(i, parent=parent):
            while parent[i] != i:
                i = parent[i]
            return i

        for i, j in itertools.combinations(range(len(nodes)), 2):
            (ki, (di, ci)), (kj, (dj, cj)) = nodes[i], nodes[j]
            if ki != kj and di == dj and ci & cj:
                parent[find(i)] = find(j)
        groups = {}
        for i in range(len(nodes)):
            groups.setdefault(find(i), []).append(i)
        n12[(a, b)] = sum(1 for g in groups.values() if len(g) > 1)
    return n, n12


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([1, 2]),
            st.sampled_from([A, A1, A2, B, B1, C]),
            st.integers(0, 99),
            st.integers(0, 12),
        ),
        max_size=14,
    ),
    st.sampled_from(["passage", "sentence", "case"]),
)
def test_counts_match_a_per_character_reference(raw, unit):
    codings = [(d, c, s, min(s + length, 100)) for d, c, s, length in raw]
    documents = [
        NetworkDocument(1, case_id=1, units={"sentence": SENTENCES}),
        NetworkDocument(2, case_id=2, units={"sentence": SENTENCES}),
    ]
    result = compute(codings, unit, documents)
    n, n12 = _reference(codings, unit)
    assert {t.code_id: t.n for t in result.themes} == n
    assert {k: p.n12 for k, p in result.pairs.items()} == n12
    for (a, b), pair in result.pairs.items():
        assert pair.n12 <= min(n[a], n[b])
        for measure in network.MEASURES:
            value = result.value(a, b, measure)
            assert value is None or 0 <= value <= (pair.n12 if measure == "count" else 1)
