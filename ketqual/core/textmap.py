"""Line-ending normalisation and the position mapping it implies.

KetQual stores a source's text as it is, with one exception: line endings become ``\\n``.
A CRLF pair is two characters in the source and one in the stored text, so a position
counted in the source (by another tool, or in a file's own text) moves left by one for
every CRLF before it. :class:`PositionMap` does that arithmetic; everything else that
:func:`normalise` changes is one character for one, so positions are unaffected by it.

Positions are 0-based code points, half-open ``[start, end)``, as everywhere in KetQual.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Line and paragraph separators other than CRLF, each replaced by one "\n": a lone CR,
# U+2028/U+2029, NEL (U+0085), vertical tab and form feed.
_ONE_FOR_ONE = re.compile("[\r\u2028\u2029\u0085\x0b\x0c]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _join_surrogates(match: re.Match[str]) -> str:
    pair = match.group()
    high, low = pair[0], pair[1]
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


def normalise(text: str) -> str:
    """The stored form of a text: ``\\n`` line endings, nothing else rewritten.

    CRLF becomes ``\\n``; lone CR, U+2028, U+2029, NEL, vertical tab and form feed become
    ``\\n`` one for one; NUL (no database can store it) and lone UTF-16 surrogate halves
    (UTF-8 cannot) become U+FFFD one for one; surrogate pairs a decoder left behind are
    joined into their character. Spaces, tabs, blank lines and every other character stay.

    Args:
        text: Decoded text from a source.

    Returns:
        The text to store. ``normalise(normalise(t)) == normalise(t)``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    text = _ONE_FOR_ONE.sub("\n", text)
    if _UNSTORABLE.search(text):  # rare: scan at C speed before fixing
        text = _SURROGATE_PAIR.sub(_join_surrogates, text)
        text = _LONE_SURROGATE.sub("\ufffd", text).replace("\x00", "\ufffd")
    return text


@dataclass(frozen=True)
class PositionMap:
    """Maps positions in a source text to positions in its stored (normalised) text.

    ``dropped`` holds, in order, the source positions of the characters normalisation
    removed: the CR of every CRLF. A source position ``p`` maps to ``p`` minus the
    number of dropped characters before it; a position between CR and LF lands on the
    line break.
    """

    dropped: tuple[int, ...] = ()
    source_length: int = 0

    def to_stored(self, position: int) -> int:
        """The stored-text position of source position ``position``."""
        return position - bisect.bisect_left(self.dropped, position)

    def to_source(self, position: int) -> int:
        """The source position of stored-text position ``position`` (inverse of
        :meth:`to_stored` on positions that are not between a CR and its LF)."""
        low, high = 0, len(self.dropped)
        # The number of dropped characters before the answer: the largest k with
        # dropped[k - 1] < position + k (each one pushes the answer one further right).
        while low < high:
            middle = (low + high + 1) // 2
            if self.dropped[middle - 1] < position + middle:
                low = middle
            else:
                high = middle - 1
        return position + low

    @property
    def identity(self) -> bool:
        """True when the stored text has the source's positions."""
        return not self.dropped


def normalise_with_map(source: str) -> tuple[str, PositionMap]:
    """Normalise ``source`` (see :func:`normalise`) and say how its positions moved.

    Args:
        source: The decoded source text, before normalisation.

    Returns:
        The stored text and the map from source positions to stored positions.
    """
    stored = normalise(source)
    if len(stored) == len(source):
        return stored, PositionMap((), len(source))
    # Only CRLF pairs (and surrogate pairs a decoder left split) change the length.
    dropped: list[int] = [m.start() for m in re.finditer("\r\n", source)]
    if _SURROGATE_PAIR.search(source):
        dropped.extend(m.start() + 1 for m in _SURROGATE_PAIR.finditer(source))
        dropped.sort()
    return stored, PositionMap(tuple(dropped), len(source))
