"""Cut a document into paragraph and sentence units, the things coders code and agree on.

Scribes' notes are terse bullet lists with stray line breaks, so the paragraph rules are
line-based (see :func:`paragraph_units`); sentences come from spaCy's rule-based
sentencizer and are then cut at paragraph edges so every sentence lies inside one paragraph
(unpunctuated bullets would otherwise run together into one "sentence").
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from ketqual.core.model import Unit

if TYPE_CHECKING:  # spaCy is imported lazily: importing it costs ~0.5 s at app start
    from spacy.language import Language

# A line that starts a new item: a bullet ("- ", "* ", "• ", "– "), a number or letter
# ("1. ", "1) ", "a) ", "(2) "), or a speaker/participant tag ("P3: ", "R07: ") since
# scribes and feedback sheets put each speaker on a line of their own. Markers need
# trailing space so "-ve" or "1.5m" do not count.
_ITEM_RE = re.compile(
    r"(?:[-*–—‣◦▪●+](?=\s)|•|\(?\d{1,3}[.)](?=\s)|\(?[a-zA-Z]\)(?=\s)|[a-zA-Z]{1,3} ?\d{1,4}\s*:(?!\d))"
)

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def is_item_line(line: str) -> bool:
    """Tell whether a line starts its own paragraph unit (bullet, number or ``P3:`` tag).

    Args:
        line: One line, with or without leading whitespace.

    Returns:
        ``True`` for e.g. ``"- buses"``, ``"2) parking"``, ``"P3: too far"``.
    """
    return _ITEM_RE.match(line.lstrip()) is not None


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph ``(start, end)`` offsets, trimmed, in text order."""
    spans: list[tuple[int, int]] = []
    start = end = -1  # the open paragraph's bounds; start == -1 when none is open
    pos = 0
    for line in text.split("\n"):
        body = line.lstrip()
        if body:
            first = pos + len(line) - len(body)
            last = pos + len(line.rstrip())
            if start >= 0 and _ITEM_RE.match(body):
                spans.append((start, end))  # a bullet closes whatever was open
                start = -1
            if start < 0:
                start = first
            end = last  # a plain line continues the open bullet or paragraph
        elif start >= 0:
            spans.append((start, end))
            start = -1
        pos += len(line) + 1
    if start >= 0:
        spans.append((start, end))
    return spans


def paragraph_units(text: str) -> list[Unit]:
    """Split text into paragraph units.

    Rules: a blank line ends a paragraph; every bullet, numbered or tagged (``P3:``) line
    starts its own unit; any other non-blank line continues the unit above it (so stray line breaks
    and wrapped bullets stay together). Units are trimmed of surrounding whitespace.

    Args:
        text: Document text with ``\\n`` line breaks (``\\r`` is tolerated as whitespace).

    Returns:
        Units of kind ``"paragraph"`` in text order; none overlap.
    """
    return [Unit("paragraph", a, b) for a, b in _paragraph_spans(text)]


@functools.cache
def get_sentencizer() -> Language:
    """Return the shared blank English pipeline with a rule-based ``sentencizer``.

    Built once per process; no trained model is needed (none can be downloaded).

    Returns:
        A spaCy ``Language`` whose docs have sentence boundaries.
    """
    import spacy  # deliberately lazy, see the TYPE_CHECKING note above

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _chunks(text: str, paragraphs: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, preferably at paragraphs."""
    starts = [a for a, _ in paragraphs]
    chunks = []
    pos = 0
    while len(text) - pos > limit:
        # the last paragraph start that keeps this chunk within the limit
        i = bisect.bisect_right(starts, pos + limit) - 1
        cut = starts[i] if i >= 0 and starts[i] > pos else -1
        if cut < 0:  # one huge paragraph: cut after whitespace, or hard as a last resort
            space = max(
                text.rfind(" ", pos + 1, pos + limit), text.rfind("\n", pos + 1, pos + limit)
            )
            cut = space + 1 if space > pos else pos + limit
        chunks.append((pos, cut))
        pos = cut
    chunks.append((pos, len(text)))
    return chunks


def _sentence_spans(
    text: str, paragraphs: list[tuple[int, int]], nlp: Language
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sentences: list[tuple[int, int]] = []  # raw spaCy sentence offsets, in text order
    if _SURROGATE_RE.search(text):
        # spaCy cannot hash lone surrogates (left by broken sources); one-for-one stand-ins
        # keep every offset valid
        text = _SURROGATE_RE.sub("\ufffd", text)
    for a, b in _chunks(text, paragraphs, nlp.max_length):
        # one nlp() call per document (or per chunk of a huge one): calls are the slow part
        sentences.extend((a + s.start_char, a + s.end_char) for s in nlp(text[a:b]).sents)
    j = 0
    pending: tuple[int, int, int] | None = None  # a lone item marker awaiting its sentence
    for s, e in sentences:
        while j < len(paragraphs) and paragraphs[j][1] <= s:
            j += 1
        k = j
        # a sentence may run over several paragraphs (unpunctuated bullets): cut it up
        while k < len(paragraphs) and paragraphs[k][0] < e:
            p_start, p_end = paragraphs[k]
            a, b = max(s, p_start), min(e, p_end)
            piece = text[a:b]
            body = piece.strip()
            k += 1
            if not body:
                continue
            a += len(piece) - len(piece.lstrip())
            b = a + len(body)
            if pending is not None:
                if pending[2] == k:
                    a = pending[0]  # glue "1." onto the sentence that follows it
                else:
                    spans.append(pending[:2])
                pending = None
            # the sentencizer ends a "sentence" after "1." of "1. first point"
            if a == p_start and (m := _ITEM_RE.match(text, a)) and b <= m.end():
                pending = (a, b, k)
                continue
            spans.append((a, b))
    if pending is not None:
        spans.append(pending[:2])
    return spans


def sentence_units(text: str, nlp: Language | None = None) -> list[Unit]:
    """Split text into sentence units, none crossing a paragraph unit's edge.

    Args:
        text: Document text.
        nlp: A pipeline that sets sentence boundaries; defaults to :func:`get_sentencizer`.
            Texts longer than ``nlp.max_length`` are processed in paragraph-aligned chunks.

    Returns:
        Trimmed, non-empty units of kind ``"sentence"`` in text order; none overlap. Bullet
        markers stay inside the first sentence of their line.
    """
    if not text.strip():
        return []
    nlp = get_sentencizer() if nlp is None else nlp
    return [Unit("sentence", a, b) for a, b in _sentence_spans(text, _paragraph_spans(text), nlp)]


def segment(text: str, nlp: Language | None = None) -> list[Unit]:
    """Return paragraph and sentence units together, sorted by ``(start, kind)``.

    Args:
        text: Document text.
        nlp: As for :func:`sentence_units`.

    Returns:
        All units; at equal starts the paragraph precedes its first sentence.
    """
    if not text.strip():
        return []
    paragraphs = _paragraph_spans(text)
    units = [Unit("paragraph", a, b) for a, b in paragraphs]
    units += [
        Unit("sentence", a, b)
        for a, b in _sentence_spans(text, paragraphs, get_sentencizer() if nlp is None else nlp)
    ]
    units.sort(key=lambda u: (u.start, u.kind))
    return units


def segment_many(texts: list[str]) -> list[list[Unit]]:
    """Units of several texts (one job of a worker process)."""
    return [segment(text) for text in texts]


def warm_up() -> None:
    """Build the shared sentencizer now (a worker process's first task)."""
    get_sentencizer()
