"""Code points (stored) versus UTF-16 (Qt): emoji, combining marks, CRLF-normalised text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ketqual.gui.offsets import OffsetMap


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_emoji_and_combining_marks():
    text = "P3 felt 😟 then cafe\u0301 🙂🙂 ok"
    offsets = OffsetMap(text)
    for i in range(len(text) + 1):
        assert offsets.to_qt(i) == _utf16_len(text[:i])
        assert offsets.from_qt(offsets.to_qt(i)) == i
    inside_pair = offsets.to_qt(text.index("😟")) + 1
    assert offsets.from_qt(inside_pair) == text.index("😟")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_round_trip_on_any_text(text):
    offsets = OffsetMap(text)
    for i in range(len(text) + 1):
        assert offsets.to_qt(i) == _utf16_len(text[:i])
        assert offsets.from_qt(offsets.to_qt(i)) == i
