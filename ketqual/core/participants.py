"""Which participants a coded passage belongs to.

Participants are known by pseudonymised labels such as ``P14``: the speaker tags scribes
write in their notes, and the participant column of feedback sheets (an answer line reads
``P14: …``). A passage is matched to a participant when

1. the participant's label appears, as a whole word, in the passage itself or anywhere in
   the paragraph units the passage touches (a bullet line of the notes, an answer line of
   a feedback sheet), or
2. its document belongs to the participant: the document's ``participant`` attribute names
   them (a feedback sheet imported one document per participant, an interview).

A label is ``P`` followed by one to three digits (upper case, as the notes write it), or
any label the project already knows (the participant column of a feedback sheet may use
``R07``). ``P140`` is not ``P14``: the match must end where the label ends. Several
participants may share a passage; a passage naming nobody belongs to no participant.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence

from ketqual.core.attributes import natural_key

DEFAULT_PATTERN = r"P\d{1,3}"
# The document attribute that hands a whole document to one participant (or several,
# comma-separated).
DOCUMENT_ATTRIBUTE = "participant"
RULE = (
    "A passage belongs to every participant whose label (such as P14) appears as a whole "
    "word in the passage or in the paragraph it lies in (a bullet line of the notes, an "
    "answer line of a feedback sheet), and to the participant its document belongs to "
    "(the document's 'participant' attribute)."
)
_NUMBER_ONLY = re.compile(r"\d+(?:\.0*)?")


def normalise_label(raw: object) -> str:
    """A participant label as stored: spaces removed, ``p14``/``14`` become ``P14``.

    Raises:
        ValueError: An empty label, or one longer than 60 characters.
    """
    text = "".join(str(raw if raw is not None else "").split())
    if not text:
        raise ValueError("a participant needs a label such as P14")
    if _NUMBER_ONLY.fullmatch(text):
        text = f"P{int(float(text))}"
    elif re.fullmatch(r"[pP]\d+", text):
        text = "P" + text[1:]
    if len(text) > 60:
        raise ValueError("a participant label can be at most 60 characters")
    return text


def label_regex(known: Iterable[str] = ()) -> re.Pattern[str]:
    """Whole-word matcher of the default pattern and of every known label."""
    extra = sorted({k for k in known if not re.fullmatch(DEFAULT_PATTERN, k)}, key=len)
    alternatives = [DEFAULT_PATTERN, *(re.escape(k) for k in reversed(extra))]
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


# The default pattern as a whole word, written to start with its literal "P" (the word
# boundary before it checked just after): the regex engine then skips through text to each
# "P", five times faster than with the boundary written first.
_FAST = re.compile(r"P(?<!\wP)\d{1,3}(?!\w)")


def extra_regex(known: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word matcher of the known labels the default pattern does not cover (``R07``),
    or ``None`` when there are none."""
    others = sorted({k for k in known if not re.fullmatch(DEFAULT_PATTERN, k)}, key=len)
    if not others:
        return None
    alternatives = "|".join(re.escape(k) for k in reversed(others))
    return re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])")


def find_labels(text: str, extra: re.Pattern[str] | None = None) -> list[tuple[int, str]]:
    """Every whole-word label in a text, ``(start, label)`` in text order (the same as
    :func:`label_regex` finds, faster)."""
    found = [(m.start(), m.group()) for m in _FAST.finditer(text)]
    if extra is not None:
        found += [(m.start(), m.group()) for m in extra.finditer(text)]
        found.sort()
    return found


def sort_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Labels in natural order (``P2`` before ``P10``), each once."""
    return tuple(sorted(set(labels), key=natural_key))


def document_participants(value: str | None) -> tuple[str, ...]:
    """The labels a document's ``participant`` attribute names (comma or semicolon list)."""
    if not value:
        return ()
    out = []
    for part in re.split(r"[,;]", value):
        try:
            out.append(normalise_label(part))
        except ValueError:
            continue
    return sort_labels(out)


class ParticipantFinder:
    """Answers "whose passage is this?" for many passages of many documents.

    Each document's mentions are found once, when first asked; a passage then costs two
    binary searches.

    Args:
        texts: Document texts by id (documents without text have no mentions).
        paragraphs: Each document's paragraph units, ``(start, end)`` in text order.
        owners: Labels each document belongs to as a whole (its ``participant`` attribute).
        known: Labels the project knows besides the default pattern.
    """

    def __init__(
        self,
        texts: Mapping[int, str],
        paragraphs: Mapping[int, Sequence[tuple[int, int]]],
        owners: Mapping[int, Sequence[str]] | None = None,
        known: Iterable[str] = (),
    ) -> None:
        self.texts = texts
        self.owners = owners or {}
        self.regex = label_regex(known)
        self.extra = extra_regex(known)
        self._sorted: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.paragraphs = paragraphs  # read when first needed: callers may fill it later
        self._paragraphs: dict[int, tuple[list[int], list[int]]] = {}
        self._mentions: dict[int, tuple[list[int], list[str]]] = {}

    def _units(self, document_id: int) -> tuple[list[int], list[int]]:
        found = self._paragraphs.get(document_id)
        if found is None:
            ordered = sorted(self.paragraphs.get(document_id, ()))
            found = ([s for s, _e in ordered], [e for _s, e in ordered])
            if document_id in self.paragraphs:
                self._paragraphs[document_id] = found
        return found

    def mentions(self, document_id: int) -> tuple[list[int], list[str]]:
        """Start offsets and labels of every mention in a document, in text order."""
        found = self._mentions.get(document_id)
        if found is None:
            text = self.texts.get(document_id)
            if text is None:
                return [], []  # not loaded yet: ask again once it is
            hits = find_labels(text, self.extra)
            found = ([start for start, _l in hits], [label for _s, label in hits])
            self._mentions[document_id] = found
        return found

    def context(self, document_id: int, start: int, end: int) -> tuple[int, int]:
        """The stretch searched for labels: the passage widened to the paragraphs it
        touches."""
        starts, ends = self._units(document_id)
        first = bisect_right(ends, start)  # first paragraph ending after the start
        last = bisect_left(starts, end) - 1  # last paragraph starting before the end
        lo, hi = start, end
        if first < len(starts) and first <= last:
            lo = min(lo, starts[first])
            hi = max(hi, ends[last])
        return lo, hi

    def of(self, document_id: int, start: int, end: int) -> tuple[str, ...]:
        """Labels of the participants a passage belongs to, in natural order."""
        lo, hi = self.context(document_id, start, end)
        starts, labels = self.mentions(document_id)
        named = labels[bisect_left(starts, lo) : bisect_left(starts, hi)]
        owners = self.owners.get(document_id, ())
        if not named and not owners:
            return ()
        key = (*named, *owners)
        found = self._sorted.get(key)
        if found is None:  # few distinct combinations: sort each once
            found = self._sorted[key] = sort_labels(key)
        return found

    def all_labels(self, document_ids: Iterable[int]) -> tuple[str, ...]:
        """Every label mentioned in (or owning) the given documents."""
        found: set[str] = set()
        for doc in document_ids:
            found.update(self.mentions(doc)[1])
            found.update(self.owners.get(doc, ()))
        return sort_labels(found)
