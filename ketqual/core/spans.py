"""Half-open [start, end) spans over a document's text, in code points.

Pure helpers of the coding screen: snapping a selection to whole words and finding the
spans that touch a window of text quickly. (Merging a coder's spans lives with the
agreement engine: ``ketqual.core.agreement.merge_spans``.)
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Sequence

Span = tuple[int, int]

# Apostrophes and hyphens sit inside words ("don't", "follow-up").
_INNER = frozenset("'’-_")


def _is_word_char(ch: str) -> bool:
    """Letters, digits, combining marks (an accent belongs to its letter), inner marks."""
    return ch.isalnum() or ch in _INNER or unicodedata.category(ch).startswith("M")


def snap_to_words(text: str, start: int, end: int) -> Span:
    """Widen a selection to whole words and trim surrounding white space.

    A selection that starts or ends inside a word grows to include that whole word;
    leading and trailing white space is dropped. A selection of only white space comes
    back unchanged so the caller can refuse it.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start > end:
        start, end = end, start
    if not text[start:end].strip():
        return start, end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
        end += 1
    return start, end


def trim_whitespace(text: str, start: int, end: int) -> Span:
    """The span without leading and trailing white space (unchanged if all white space)."""
    inner = text[start:end]
    if not inner.strip():
        return start, end
    return start + len(inner) - len(inner.lstrip()), end - (len(inner) - len(inner.rstrip()))


class SpanIndex:
    """Spans sorted by start, answering "which touch [lo, hi)?" in O(log n + hits).

    Built once per document view; the coding screen asks it for the spans on screen
    at every scroll, so it must not walk all 10,000 codings of a big document.
    """

    def __init__(self, items: Sequence[tuple[int, int, object]]) -> None:
        self._items = sorted(items, key=lambda item: (item[0], item[1]))
        self._starts = [item[0] for item in self._items]
        self._longest = max((e - s for s, e, _ in self._items), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, start: int, end: int, payload: object) -> None:
        """Insert one span (keeps the order; no full rebuild)."""
        index = bisect_left(self._items, (start, end), key=lambda item: (item[0], item[1]))
        self._items.insert(index, (start, end, payload))
        self._starts.insert(index, start)
        self._longest = max(self._longest, end - start)

    def remove(self, start: int, end: int, payload: object) -> bool:
        """Remove one span whose payload equals ``payload``; returns whether it was there."""
        index = bisect_left(self._starts, start)
        while index < len(self._items) and self._items[index][0] == start:
            if self._items[index][1] == end and self._items[index][2] == payload:
                del self._items[index]
                del self._starts[index]
                return True  # _longest may now overstate the longest span: still correct
            index += 1
        return False

    def overlapping(self, lo: int, hi: int) -> list[object]:
        """Payloads of spans with ``start < hi`` and ``end > lo`` (or containing ``lo``)."""
        first = bisect_left(self._starts, lo - self._longest)
        last = bisect_left(self._starts, hi)
        return [
            payload
            for start, end, payload in self._items[first:last]
            if end > lo or (start == lo == end)
        ]

    def at(self, position: int) -> list[object]:
        """Payloads of spans containing ``position`` (start <= position < end)."""
        first = bisect_left(self._starts, position - self._longest)
        last = bisect_left(self._starts, position + 1)
        return [p for s, e, p in self._items[first:last] if s <= position < e]
