"""How other tools count character positions, and how to read theirs into KetQual's.

The REFI-QDA standard counts 0-based Unicode code points. NVivo counts UTF-16 code units
(an emoji or any other character beyond U+FFFF is two), over the text after its byte-order
mark, with CRLF counted as two. Other tools count over a text whose line endings they
normalised first. KetQual stores code points over a text with ``\\n`` line endings.

A :class:`Convention` names one way of counting (the unit, and whether the positions count
the source's CRLF pairs as two characters). :func:`detect` tries every convention that
would give different answers on the texts at hand and keeps the one that lands most
selections on word boundaries (and on the words a tool wrote beside a selection, when it
did), preferring the standard on a tie. :func:`converter` turns one source's positions
into stored-text positions.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ketqual.core.textmap import PositionMap

CODEPOINTS = "codepoints"
UTF16 = "utf16"
UNITS = (CODEPOINTS, UTF16)
AUTO = "auto"


@dataclass(frozen=True)
class Convention:
    """One way of counting positions.

    Attributes:
        unit: ``codepoints`` (the standard) or ``utf16`` (NVivo).
        crlf_as_two: True when positions count the source's CRLF pairs as two characters
            (the text as the file holds it); False when they count a text whose line
            endings were normalised to one character.
    """

    unit: str = CODEPOINTS
    crlf_as_two: bool = True

    def describe(self) -> str:
        """Words for a report, e.g. ``UTF-16 code units, CRLF counted as two``."""
        unit = "UTF-16 code units" if self.unit == UTF16 else "code points"
        return f"{unit}, CRLF counted as {'two' if self.crlf_as_two else 'one'}"


STANDARD = Convention(CODEPOINTS, True)


def _astral_positions(text: str) -> list[int]:
    """Code-point positions of the characters beyond U+FFFF (two UTF-16 units each)."""
    if text.isascii():
        return []
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def utf16_to_codepoints(text: str) -> Callable[[int], int]:
    """A function mapping a UTF-16 position in ``text`` to its code-point position.

    A position inside a surrogate pair (between the two halves) maps to the character's
    start. Positions past the end map past the end, so callers can see they are out.
    """
    astral = _astral_positions(text)
    if not astral:
        return lambda position: position
    # UTF-16 start of each astral character: its code-point position plus the astral
    # characters before it.
    starts = [p + i for i, p in enumerate(astral)]

    # Every astral character starting before the position adds one unit; a position
    # between its two halves therefore maps to the character's start.
    return lambda position: position - bisect.bisect_left(starts, position)


def codepoints_to_utf16(text: str) -> Callable[[int], int]:
    """The inverse of :func:`utf16_to_codepoints` (code point -> UTF-16 position)."""
    astral = _astral_positions(text)
    if not astral:
        return lambda position: position
    return lambda position: position + bisect.bisect_left(astral, position)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def on_word_boundary(text: str, position: int) -> bool:
    """True when ``position`` does not cut a word (letters, digits, marks) in two."""
    if position <= 0 or position >= len(text):
        return 0 <= position <= len(text)
    return not (_is_word_char(text[position - 1]) and _is_word_char(text[position]))


def span_on_boundaries(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is a non-empty span that starts and ends between words."""
    return 0 <= start < end <= len(text) and (
        on_word_boundary(text, start) and on_word_boundary(text, end)
    )


@dataclass(frozen=True)
class SourceSample:
    """What detection needs of one source: its text as the file holds it (after the BOM),
    the map from that text to the stored text, the stored text, and the selections as
    (start, end, label) where ``label`` is the text the tool wrote beside the selection
    (its ``name``), or ``""``."""

    raw: str
    position_map: PositionMap
    stored: str
    selections: Sequence[tuple[int, int, str]]


def converter(sample: SourceSample, convention: Convention) -> Callable[[int], int]:
    """A function mapping one source's positions (counted as ``convention`` says) to
    positions in its stored text; ``-1`` for a position past the end."""
    text = sample.raw if convention.crlf_as_two else sample.stored
    limit = _utf16_length(text, convention.unit)
    unit = utf16_to_codepoints(text) if convention.unit == UTF16 else None
    to_stored = sample.position_map.to_stored if convention.crlf_as_two else None

    def convert(position: int) -> int:
        if position < 0 or position > limit:
            return -1
        cp = unit(position) if unit else position
        return to_stored(cp) if to_stored else cp

    return convert


def _utf16_length(text: str, unit: str) -> int:
    if unit == UTF16:
        return len(text) + len(_astral_positions(text))
    return len(text)


def candidates(samples: Iterable[SourceSample]) -> list[Convention]:
    """The conventions that could give different answers for these sources."""
    has_crlf = has_astral = False
    for sample in samples:
        has_crlf = has_crlf or not sample.position_map.identity
        has_astral = has_astral or bool(_astral_positions(sample.raw))
    units = (CODEPOINTS, UTF16) if has_astral else (CODEPOINTS,)
    crlf = (True, False) if has_crlf else (True,)
    return [Convention(u, c) for u in units for c in crlf]


@dataclass(frozen=True)
class Score:
    """How well a convention fits: selections inside the text, on word boundaries, and
    whose label matches the text found there."""

    convention: Convention
    total: int
    inside: int
    on_boundaries: int
    label_matches: int

    def key(self) -> tuple[int, int, int, int]:
        """Sort key: more label matches, more inside, more boundaries; the standard wins ties."""
        return (
            self.label_matches,
            self.inside,
            self.on_boundaries,
            1 if self.convention == STANDARD else 0,
        )


def _label_matches(stored: str, start: int, end: int, label: str) -> bool:
    """True when the tool's label for a selection is the text at it (or its beginning)."""
    label = label.strip()
    if not label:
        return False
    shortened = label.endswith(("…", "..."))
    label = label.rstrip("…").rstrip(".").strip() if shortened else label
    found = " ".join(stored[start:end].split())
    label = " ".join(label.split())
    if not label:
        return False
    return found.startswith(label) if shortened else found == label


def score(samples: Sequence[SourceSample], convention: Convention) -> Score:
    """Measure one convention on every selection of every source."""
    total = inside = boundaries = labels = 0
    for sample in samples:
        convert = converter(sample, convention)
        for start, end, label in sample.selections:
            total += 1
            a, b = convert(start), convert(end)
            if a < 0 or b < 0 or not 0 <= a < b <= len(sample.stored):
                continue
            inside += 1
            boundaries += span_on_boundaries(sample.stored, a, b)
            labels += _label_matches(sample.stored, a, b, label)
    return Score(convention, total, inside, boundaries, labels)


def detect(
    samples: Sequence[SourceSample], *, origin: str = "", unit: str = AUTO
) -> tuple[Convention, list[Score]]:
    """Choose how a file's positions were counted.

    Args:
        samples: Every text source of the file that has selections.
        origin: The file's ``origin`` attribute (the tool that wrote it). NVivo's way wins
            ties between the two units when the file says NVivo wrote it.
        unit: ``auto``, or ``codepoints`` / ``utf16`` to fix the unit (the user's override);
            whether CRLF counted as two is still detected.

    Returns:
        The chosen convention and the score of every candidate (best first).
    """
    options = candidates(samples)
    if unit != AUTO:
        crlf = sorted({c.crlf_as_two for c in options}, reverse=True)
        options = [Convention(unit, c) for c in crlf]
    nvivo = "nvivo" in origin.casefold()

    def key(s: Score) -> tuple:
        base = s.key()
        return (*base[:3], 1 if nvivo and s.convention.unit == UTF16 else 0, base[3])

    scores = sorted((score(samples, c) for c in options), key=key, reverse=True)
    if not scores:
        chosen = Convention(UTF16 if unit == UTF16 or (unit == AUTO and nvivo) else CODEPOINTS)
        return chosen, []
    return scores[0].convention, scores


def brief(text: str, limit: int = 40) -> str:
    """A short quotation of ``text`` for a message: one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def likely_cause(text: str, start: int, end: int, expected: str) -> str:
    """Why ``expected`` is not at ``text[start:end]``, in a few words for the user.

    Looks for the expected passage nearby and compares the shift with what the usual
    culprits would give: line breaks counted as two characters (CRLF), UTF-16 units (NVivo),
    or a text tidied differently (older KetQual versions removed line-end spaces and
    collapsed blank lines on import).
    """
    found = text[start:end]
    if " ".join(found.split()) == " ".join(expected.split()):
        return "only spaces or line breaks differ: the positions come from a differently tidied copy of the text"
    where = _nearest(text, expected, start)
    if where is None:
        flat = " ".join(expected.split())
        squeezed = " ".join(text.split())
        if flat and flat in squeezed:
            return (
                "the passage is in the document with different spaces or line breaks: "
                "the positions come from a differently tidied copy of the text (older KetQual "
                "versions removed spaces at line ends and blank lines on import)"
            )
        return "the passage is not in this document: the row was made for another version of it"
    shift = start - where
    lines_before = text.count("\n", 0, where)
    astral_before = sum(1 for ch in text[:where] if ord(ch) > 0xFFFF)
    at = f"it is at {where}-{where + len(expected)}"
    if shift > 0 and shift == lines_before:
        return f"{at}: the positions count each line break as two characters (CRLF)"
    if shift > 0 and shift == astral_before:
        return f"{at}: the positions count UTF-16 units (as NVivo does), not characters"
    if shift > 0 and shift == lines_before + astral_before:
        return f"{at}: the positions count CRLF line breaks and UTF-16 units"
    direction = "earlier" if shift > 0 else "later"
    return (
        f"{at}, {abs(shift)} characters {direction}: the positions were counted over a "
        "different copy of the text"
    )


def _nearest(text: str, passage: str, around: int) -> int | None:
    """The occurrence of ``passage`` in ``text`` closest to ``around``, or ``None``."""
    if not passage:
        return None
    best = None
    at = text.find(passage)
    while at >= 0:
        if best is None or abs(at - around) < abs(best - around):
            best = at
        at = text.find(passage, at + 1)
    return best
