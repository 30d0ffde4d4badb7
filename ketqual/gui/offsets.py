"""Converting between stored offsets (code points) and Qt's positions (UTF-16 units).

Characters outside the Basic Multilingual Plane (most emoji) are one code point but two
UTF-16 units, so every offset crossing the Qt boundary goes through here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class OffsetMap:
    """Maps code-point offsets of one text to UTF-16 positions and back."""

    def __init__(self, text: str) -> None:
        astral = [] if text.isascii() else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral = astral
        # UTF-16 start of the k-th astral character: k surrogate pairs came before it.
        self._starts16 = [index + k for k, index in enumerate(astral)]

    def to_qt(self, offset: int) -> int:
        """UTF-16 position of a code-point offset."""
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """Code-point offset of a UTF-16 position; a position inside a pair snaps back."""
        whole_pairs_before = bisect_right(self._starts16, position - 2)
        offset = position - whole_pairs_before
        return offset - 1 if self.to_qt(offset) > position else offset
