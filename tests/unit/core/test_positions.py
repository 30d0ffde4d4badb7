"""Reading other tools' positions: code points or UTF-16, CRLF as one or two, detected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core import positions, textmap
from ketqual.core.positions import CODEPOINTS, UTF16, Convention, SourceSample

RAW = (
    "Interviewer: How was the first dose? 😀\r\n"
    "P3: It lifted the fog — cafe\u0301 talk, \U0001f9e0 clearer.\r\n"
    "\r\n"
    "Carer: Driving home was 🚗 the worry.\r\n"
)


def _utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def _sample(raw: str, words: list[str], convention: Convention, labels: bool = False):
    """Selections of ``words`` in ``raw``, counted the way ``convention`` says."""
    stored, mapping = textmap.normalise_with_map(raw)
    counted = raw if convention.crlf_as_two else stored
    selections = []
    for word in words:
        start = counted.index(word)
        end = start + len(word)
        if convention.unit == UTF16:
            start, end = _utf16(counted, start), _utf16(counted, end)
        selections.append((start, end, word if labels else ""))
    return SourceSample(raw, mapping, stored, selections), stored


WORDS = ["lifted the fog", "cafe\u0301 talk", "clearer", "Driving home", "the worry"]


@pytest.mark.parametrize(
    "convention",
    [Convention(u, c) for u in (CODEPOINTS, UTF16) for c in (True, False)],
    ids=lambda c: c.describe(),
)
def test_each_convention_is_detected_and_converted(convention: Convention) -> None:
    sample, stored = _sample(RAW, WORDS, convention)
    chosen, scores = positions.detect([sample])
    assert chosen == convention
    assert scores[0].on_boundaries == len(WORDS)
    convert = positions.converter(sample, chosen)
    found = [stored[convert(s) : convert(e)] for s, e, _ in sample.selections]
    assert found == WORDS


def test_labels_decide_when_boundaries_cannot() -> None:
    # One astral character early on: both units give word boundaries for "b c"/"a b"
    raw = "😀 a b c d"
    stored, mapping = textmap.normalise_with_map(raw)
    start = _utf16(raw, raw.index("b c"))
    sample = SourceSample(raw, mapping, stored, [(start, start + 3, "b c")])
    assert positions.detect([sample])[0].unit == UTF16
    unlabelled = SourceSample(raw, mapping, stored, [(start, start + 3, "")])
    # without the label both readings are on boundaries: the standard wins the tie...
    assert positions.detect([unlabelled])[0] == positions.STANDARD
    # ...unless NVivo wrote the file, which counts UTF-16
    assert positions.detect([unlabelled], origin="NVivo 14")[0].unit == UTF16


def test_override_fixes_the_unit_but_still_detects_crlf() -> None:
    sample, _ = _sample(RAW, WORDS, Convention(UTF16, False))
    chosen, _scores = positions.detect([sample], unit=UTF16)
    assert chosen == Convention(UTF16, False)
    chosen, _scores = positions.detect([sample], unit=CODEPOINTS)
    assert chosen.unit == CODEPOINTS


def test_plain_text_has_one_candidate() -> None:
    sample, _ = _sample("plain words here\n", ["words"], positions.STANDARD)
    assert positions.candidates([sample]) == [positions.STANDARD]


def test_positions_past_the_end_are_refused() -> None:
    sample, _ = _sample("short text", ["text"], positions.STANDARD)
    convert = positions.converter(sample, positions.STANDARD)
    assert convert(11) == -1 and convert(-1) == -1 and convert(10) == 10


def test_word_boundaries_respect_combining_marks() -> None:
    text = "cafe\u0301 ok"
    assert not positions.on_word_boundary(text, 4)  # between e and its accent
    assert positions.on_word_boundary(text, 5)
    assert positions.span_on_boundaries(text, 0, 5)
    assert not positions.span_on_boundaries(text, 0, 4)


@given(st.text(alphabet=st.sampled_from("ab 😀\U0001f9e0é\u0301\n"), max_size=30))
def test_utf16_conversion_round_trips(text: str) -> None:
    to_cp = positions.utf16_to_codepoints(text)
    to_units = positions.codepoints_to_utf16(text)
    for cp in range(len(text) + 1):
        assert to_units(cp) == _utf16(text, cp)
        assert to_cp(to_units(cp)) == cp
