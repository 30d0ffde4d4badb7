"""Rewrite a text with replacement tokens, and move offsets that come after a change.

Offsets are code points, half-open, like everywhere in KetQual.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    @property
    def delta(self) -> int:
        """How much longer the text gets (negative: shorter)."""
        return len(self.replacement) - (self.end - self.start)


def check_edits(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """The edits in text order.

    Raises:
        ValueError: an edit lies outside the text, is empty, or overlaps another.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    last = 0
    for edit in ordered:
        if not 0 <= edit.start < edit.end <= len(text):
            raise ValueError(f"a replacement at {edit.start}-{edit.end} is outside the text")
        if edit.start < last:
            raise ValueError(f"two replacements overlap at {edit.start}")
        last = edit.end
    return ordered


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """Apply non-overlapping edits.

    Returns:
        The new text, and where each replacement now is (in text order of the edits).
    """
    ordered = check_edits(text, edits)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = length = 0
    for edit in ordered:
        parts.append(text[pos : edit.start])
        length += edit.start - pos
        spans.append((length, length + len(edit.replacement)))
        parts.append(edit.replacement)
        length += len(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts), spans


class OffsetMap:
    """Moves offsets of the old text to the new one after :func:`apply_edits`."""

    def __init__(self, text: str, edits: Sequence[Edit]) -> None:
        self._edits = check_edits(text, edits)
        self._starts = [e.start for e in self._edits]
        self._shift: list[int] = []
        total = 0
        for edit in self._edits:
            total += edit.delta
            self._shift.append(total)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where ``[start, end)`` is in the new text, or ``None`` when it overlaps an edit
        (its words were replaced)."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._edits[i].end > start:
            return None
        j = bisect.bisect_left(self._starts, end)
        if j - 1 > i:
            return None  # an edit starts inside the span
        before = self._shift[i] if i >= 0 else 0
        return start + before, end + before
