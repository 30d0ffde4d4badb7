"""Coded passages and counts per theme and subtheme on small hand-made layers."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core import theme_counts
from ketqual.core.records import CodeRecord, CodingRecord

_ids = itertools.count(1)


def code(code_id: int, parent: int | None, name: str, order: int = 0) -> CodeRecord:
    return CodeRecord(
        code_id, f"u{code_id}", parent, name, "#000000", "", "", "", "", None, order, True
    )


def coding(doc: int, code_id: int, start: int, end: int) -> CodingRecord:
    n = next(_ids)
    return CodingRecord(n, f"c{n}", doc, code_id, None, start, end, "")


# Theme 1 with subthemes 11 and 12; theme 2 without subthemes.
CODES = [
    code(1, None, "Monitoring", 1),
    code(11, 1, "Safety review", 1),
    code(12, 1, "National system", 2),
    code(2, None, "Cost", 2),
]
CASE_OF = {100: 7, 101: 7, 102: 8, 103: None}


def test_overlapping_and_touching_codings_form_one_passage():
    a, b, c = coding(100, 11, 0, 10), coding(100, 11, 5, 20), coding(100, 11, 20, 25)
    d = coding(100, 11, 26, 30)
    passages = theme_counts.merge_passages([d, c, b, a])
    assert [(p.start, p.end) for p in passages] == [(0, 25), (26, 30)]
    assert passages[0].coding_uids == (a.uid, b.uid, c.uid)
    assert passages[1].codings == (theme_counts.CodedSpan(100, 26, 30, 11, d.uid, d.id),)
    assert theme_counts.merge_passages(theme_counts.as_spans([d, c, b, a])) == passages


def test_passages_never_cross_documents_and_skip_empty_codings():
    passages = theme_counts.merge_passages(
        [coding(101, 11, 0, 10), coding(100, 11, 5, 12), coding(100, 11, 3, 3)]
    )
    assert [(p.document_id, p.start, p.end) for p in passages] == [(100, 5, 12), (101, 0, 10)]


def test_counts_per_theme_and_subtheme():
    layer = [
        # document 100 (case 7): two subthemes overlap, so the theme has one passage there
        coding(100, 11, 0, 10),
        coding(100, 12, 8, 15),
        coding(100, 1, 40, 50),  # theme-level coding: counts for the theme only
        # document 101 (case 7 again): one more passage of subtheme 11
        coding(101, 11, 0, 5),
        # document 103 (no case): subtheme 12
        coding(103, 12, 3, 9),
        coding(103, 12, 9, 12),  # touching: still one passage
        # theme 2 in document 102 (case 8)
        coding(102, 2, 0, 4),
        coding(102, 2, 2, 6),
    ]
    counts = theme_counts.count_themes(CODES, layer, CASE_OF)
    table = {r.code_id: (r.passages, r.documents, r.cases, r.theme_level) for r in counts.rows}
    assert table == {
        1: (4, 3, 1, 1),  # 100: [0,15) and [40,50); 101: [0,5); 103: [3,12)
        11: (2, 2, 1, None),
        12: (2, 2, 1, None),  # the no-case document counts as a document, not a case
        2: (1, 1, 1, 1),
    }
    assert [r.code_id for r in counts.rows] == [1, 11, 12, 2]
    assert (counts.total_documents, counts.total_cases) == (4, 2)
    assert counts.of(1).is_theme and not counts.of(11).is_theme
    assert counts.unit == "coded passages" and "maximal run" in counts.definition


def test_codes_without_codings_count_zero_and_unknown_codes_are_ignored():
    counts = theme_counts.count_themes(CODES, [coding(100, 99, 0, 5)], CASE_OF)
    assert all(r.passages == r.documents == r.cases == 0 for r in counts.rows)
    assert counts.of(2).theme_level == 0 and counts.of(99) is None


def test_theme_level_passages_are_kept_apart_from_the_theme_total():
    layer = [coding(100, 1, 0, 10), coding(100, 11, 5, 20)]
    index = theme_counts.index_passages(CODES, layer)
    assert [(p.start, p.end) for p in index.of(1)] == [(0, 20)]
    assert [(p.start, p.end) for p in index.at_theme(1)] == [(0, 10)]
    assert [(p.start, p.end) for p in index.of(11)] == [(5, 20)]
    assert index.of(12) == () and index.at_theme(2) == ()


def test_codebook_order_puts_subthemes_under_their_theme():
    shuffled = [CODES[3], CODES[2], CODES[0], CODES[1], code(5, 404, "orphan")]
    ordered = theme_counts.codebook_order(shuffled)
    assert [c.id for c in ordered] == [1, 11, 12, 2]
    assert theme_counts.theme_of(CODES) == {1: 1, 11: 1, 12: 1, 2: 2}


spans = st.lists(
    st.tuples(st.sampled_from([100, 101]), st.integers(0, 40), st.integers(1, 12)), max_size=15
)


@settings(max_examples=120, deadline=None)
@given(spans)
def test_passages_cover_exactly_the_coded_characters_and_never_touch(raw):
    layer = [coding(doc, 11, s, s + n) for doc, s, n in raw]
    passages = theme_counts.merge_passages(layer)
    covered = {(c.document_id, i) for c in layer for i in range(c.start, c.end)}
    assert {(p.document_id, i) for p in passages for i in range(p.start, p.end)} == covered
    for a, b in itertools.pairwise(passages):
        assert (a.document_id, a.end) < (b.document_id, b.start)  # disjoint, not touching
    # every coding sits in exactly one passage, inside it
    members = [c for p in passages for c in p.codings]
    assert sorted(c.id for c in members) == sorted(c.id for c in layer)
    assert all(p.start <= c.start and c.end <= p.end for p in passages for c in p.codings)
