"""Which participants a passage belongs to."""

from __future__ import annotations

import pytest

from ketqual.core import participants as pt
from ketqual.core.participants import ParticipantFinder


def test_labels_are_normalised():
    assert pt.normalise_label(" p14 ") == "P14"
    assert pt.normalise_label("14") == "P14"
    assert pt.normalise_label("3.0") == "P3"
    assert pt.normalise_label("R07") == "R07"
    with pytest.raises(ValueError):
        pt.normalise_label("  ")
    with pytest.raises(ValueError):
        pt.normalise_label("x" * 61)


def test_labels_match_as_whole_words_only():
    regex = pt.label_regex(["R07"])
    text = "P1 + P14 said; P140 is not P14. P3’s clinic (P2) R07 agreed; XR07 no; p5 no"
    found = [m.group() for m in regex.finditer(text)]
    assert found == ["P1", "P14", "P140", "P14", "P3", "P2", "R07"]  # P140 is someone else


def test_a_passage_belongs_to_the_participants_of_its_paragraphs():
    text = "- P3 had infusions. Memory\nwent hazy\n- P5 no ketamine yet\n- grp agreed\n"
    paragraphs = {1: [(0, 36), (37, 57), (58, 70)]}
    finder = ParticipantFinder({1: text}, paragraphs)
    hazy = text.index("went hazy")
    assert finder.of(1, hazy, hazy + 9) == ("P3",)  # named earlier in the same bullet
    assert finder.of(1, 0, 57) == ("P3", "P5")
    assert finder.of(1, 60, 70) == ()
    assert finder.context(1, hazy, hazy + 4) == (0, 36)


def test_a_document_can_belong_to_a_participant():
    finder = ParticipantFinder({1: "I liked it. P9 did not."}, {1: [(0, 23)]}, {1: ("P2",)})
    assert finder.of(1, 0, 5) == ("P2", "P9")
    assert pt.document_participants("p2; 10, ") == ("P2", "P10")
    assert pt.document_participants(None) == ()


def test_labels_sort_naturally_and_texts_may_come_later():
    texts: dict[int, str] = {}
    finder = ParticipantFinder(texts, {})
    assert finder.of(1, 0, 5) == ()  # not loaded yet: nothing, and nothing remembered
    texts[1] = "P10 and P2 and P10"
    assert finder.of(1, 0, 18) == ("P2", "P10")
    assert finder.all_labels([1]) == ("P2", "P10")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text(alphabet="P0123456789 _x’(),.R7é\n", max_size=60))
def test_the_fast_finder_finds_what_the_whole_word_pattern_finds(text):
    regex = pt.label_regex(["R07"])
    expected = [(m.start(), m.group()) for m in regex.finditer(text)]
    assert pt.find_labels(text, pt.extra_regex(["R07"])) == expected
