"""Rewriting a text with tokens, and offsets after the change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.privacy.replace import Edit, OffsetMap, apply_edits


def test_apply_and_map():
    text = "Anna met Bob at home"
    edits = [Edit(9, 12, "[CARER-1]"), Edit(0, 4, "[P01]")]
    new, spans = apply_edits(text, edits)
    assert new == "[P01] met [CARER-1] at home"
    assert spans == [(0, 5), (10, 19)]
    moved = OffsetMap(text, edits)
    assert moved.span(5, 8) == (6, 9)  # "met"
    assert moved.span(16, 20) == (23, 27)  # "home"
    assert moved.span(3, 6) is None and moved.span(8, 10) is None


def test_overlapping_or_outside_edits_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])
    with pytest.raises(ValueError, match="outside"):
        apply_edits("abc", [Edit(2, 9, "x")])


@st.composite
def _text_and_edits(draw):
    text = draw(st.text(min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    edits, last = [], 0
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a >= last and b > a:
            edits.append(Edit(a, b, draw(st.text(max_size=9))))
            last = b
    return text, edits


@given(_text_and_edits())
def test_text_between_edits_keeps_its_place(case):
    text, edits = case
    new, spans = apply_edits(text, edits)
    moved = OffsetMap(text, edits)
    for edit, (a, b) in zip(edits, spans, strict=True):
        assert new[a:b] == edit.replacement
    bounds = [0, *[p for e in edits for p in (e.start, e.end)], len(text)]
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        if b > a:
            na, nb = moved.span(a, b)
            assert new[na:nb] == text[a:b]
