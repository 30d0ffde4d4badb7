"""Line endings normalised, nothing else rewritten, and the position map that implies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core import textmap

# Texts made of the characters that matter here: CR, LF, spaces, astral and combining.
_PIECES = st.sampled_from(
    ["a", "b", " ", "\t", "\r\n", "\r", "\n", "\n\n\n", "😀", "e\u0301", "\u2028", "\x00", "é"]
)
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        ("a\u2028b\u2029c\x0cd\x0be\x85f", "a\nb\nc\nd\ne\nf"),
        ("keep\ttabs  \nand trailing\t \n", "keep\ttabs  \nand trailing\t \n"),
        ("one\n\n\n\n\ntwo", "one\n\n\n\n\ntwo"),
        ("\n\n  indented first\n", "\n\n  indented first\n"),
        ("nul\x00here", "nul\ufffdhere"),
        ("\ud83d\ude00 and \ud800 alone", "😀 and \ufffd alone"),
        ("bell\x07 and esc\x1b stay", "bell\x07 and esc\x1b stay"),
        ("", ""),
    ],
)
def test_normalise_changes_line_endings_only(raw: str, stored: str) -> None:
    assert textmap.normalise(raw) == stored


@given(_TEXTS)
def test_normalise_is_idempotent_and_keeps_every_other_character(raw: str) -> None:
    stored = textmap.normalise(raw)
    assert textmap.normalise(stored) == stored
    assert "\r" not in stored
    assert stored.replace("\ufffd", "\x00") == raw.replace("\r\n", "\n").translate(
        {0x0D: "\n", 0x2028: "\n"}
    )


@given(_TEXTS)
def test_position_map_follows_every_character(raw: str) -> None:
    stored, mapping = textmap.normalise_with_map(raw)
    assert len(stored) == len(raw) - len(mapping.dropped)
    for position in range(len(raw) + 1):
        mapped = mapping.to_stored(position)
        assert 0 <= mapped <= len(stored)
        if position < len(raw) and position not in mapping.dropped:
            # a kept character is found at its mapped position (line breaks become "\n")
            expected = "\n" if raw[position] in "\r\u2028" else raw[position]
            assert stored[mapped] == expected.replace("\x00", "\ufffd")
    for position in range(len(stored) + 1):
        assert mapping.to_stored(mapping.to_source(position)) == position


def test_crlf_positions_move_left_by_the_pairs_before_them() -> None:
    raw = "one\r\ntwo\r\nthree"
    stored, mapping = textmap.normalise_with_map(raw)
    assert stored == "one\ntwo\nthree"
    assert mapping.dropped == (3, 8)
    assert stored[mapping.to_stored(raw.index("three")) :] == "three"
    assert mapping.to_stored(4) == 3  # between CR and LF: the line break
    assert mapping.to_source(stored.index("three")) == raw.index("three")
    assert textmap.normalise_with_map("plain\n")[1].identity
