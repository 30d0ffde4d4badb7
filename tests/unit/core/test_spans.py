"""Span helpers: merging, word snapping, the on-screen index, and search."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.core import search, spans
from ketqual.core.agreement import merge_spans


def test_merge_joins_overlapping_and_touching_spans():
    assert merge_spans([(5, 9), (0, 3), (3, 4), (8, 12), (20, 20)]) == [(0, 4), (5, 12)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=12))
def test_merge_covers_exactly_the_same_characters(pairs):
    raw = [(min(a, b), max(a, b)) for a, b in pairs]
    covered = {i for s, e in raw for i in range(s, e)}
    merged = merge_spans(raw)
    assert {i for s, e in merged for i in range(s, e)} == covered
    assert all(a[1] < b[0] for a, b in zip(merged, merged[1:], strict=False))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (5, 12, "first infusion"),  # mid-word both ends grows to whole words
        (2, 9, "The first"),
        (4, 15, "first infusion"),  # trailing space dropped
        (21, 23, "don't"),  # apostrophe stays inside the word
        (3, 4, " "),  # white space only: unchanged, the caller refuses it
    ],
)
def test_snap_to_words(start, end, expected):
    text = "The first infusion; don't stop 😟 now"
    s, e = spans.snap_to_words(text, start, end)
    assert text[s:e] == expected


def test_snap_handles_emoji_and_combining_marks():
    text = "cafe\u0301 😟 calm"
    s, e = spans.snap_to_words(text, 1, 2)
    assert text[s:e] == "cafe\u0301"  # the combining acute accent belongs to the word
    s, e = spans.snap_to_words(text, 6, 9)
    assert text[s:e] == "😟 calm"


def test_span_index_finds_overlaps_and_points():
    index = spans.SpanIndex([(0, 10, "a"), (5, 6, "b"), (20, 200, "c"), (30, 31, "d")])
    assert sorted(index.overlapping(8, 25)) == ["a", "c"]
    assert sorted(index.overlapping(100, 101)) == ["c"]
    assert sorted(index.at(5)) == ["a", "b"]
    assert index.at(10) == []
    assert len(index) == 4


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 80), st.integers(1, 30)), max_size=25),
    st.integers(0, 100),
    st.integers(1, 40),
)
def test_span_index_agrees_with_a_scan(items, lo, width):
    data = [(s, s + n, i) for i, (s, n) in enumerate(items)]
    index = spans.SpanIndex(data)
    hi = lo + width
    assert sorted(index.overlapping(lo, hi)) == sorted(i for s, e, i in data if s < hi and e > lo)


def test_search_plain_is_case_insensitive_and_literal():
    pattern = search.compile_pattern("a.b")
    hits = search.find_hits(7, "A.B and axb and a.b", pattern)
    assert [(h.start, h.end) for h in hits] == [(0, 3), (16, 19)]
    assert hits[0].document_id == 7


def test_search_regex_and_errors():
    pattern = search.compile_pattern(r"P\d+", regex=True)
    assert len(search.find_hits(1, "P1 and P22 and p3", pattern)) == 3
    with pytest.raises(search.SearchError, match="regular expression"):
        search.compile_pattern("(", regex=True)
    with pytest.raises(search.SearchError, match="empty"):
        search.compile_pattern("x*", regex=True)
    with pytest.raises(search.SearchError):
        search.compile_pattern("")


def test_search_context_marks_the_hit():
    assert search.context("one two three", 4, 7, width=3) == "…ne [two] th…"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 80), st.integers(1, 30)), min_size=1, max_size=25),
    st.data(),
)
def test_span_index_add_and_remove_match_a_rebuild(items, data):
    index = spans.SpanIndex([])
    live = []
    for i, (s, n) in enumerate(items):
        index.add(s, s + n, i)
        live.append((s, s + n, i))
    doomed = data.draw(st.lists(st.sampled_from(live), unique=True))
    for s, e, i in doomed:
        assert index.remove(s, e, i)
        live.remove((s, e, i))
    assert not index.remove(-1, 0, "absent")
    lo = data.draw(st.integers(0, 100))
    expected = sorted(i for s, e, i in live if s < lo + 10 and e > lo)
    assert sorted(index.overlapping(lo, lo + 10)) == expected
    assert len(index) == len(live)
