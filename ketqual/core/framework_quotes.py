"""Quoting coded passages: reference ids, the quoted text, its line, and every code
at the passage.

Reference ids read ``S1G2-N-412-530``: session 1, group 2, scribe **N**otes (**F**eedback
sheets, **O**ther), characters 412 to 530 of that document (code points from 0, end not
included). They depend only on where the passage is, so they stay the same from one export
to the next while the coding does not change, and the same span cited from two cells has
one id. A second document of the same kind in a group gets a number (``N2``); a document
without a case is named by its id (``D17-N-…``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import NamedTuple

from ketqual.core.records import CaseRecord, CodeRecord, DocumentRecord
from ketqual.core.theme_counts import CodedSpan, Passage, codebook_order

_NEWLINE = re.compile("\n")
KIND_LETTERS = {"scribe_notes": "N", "feedback_sheet": "F"}


class QuotedPassage(NamedTuple):
    """A coded passage as it appears in a cell and in the quotes list (a named tuple:
    big projects make tens of thousands of them).

    Attributes:
        ref: Reference id, e.g. ``S1G2-N-412-530``.
        document_id: The document.
        start: First character (code points from 0).
        end: One past the last character.
        line: Line of the document where the passage starts (from 1).
        text: The quoted text.
        coding_uids: Uids of the codings the passage is made of.
        codes: Labels of every code at the passage: the cell's own code first, then the
            other codes whose codings overlap it, in codebook order.
    """

    ref: str
    document_id: int
    start: int
    end: int
    line: int
    text: str
    coding_uids: tuple[str, ...]
    codes: tuple[str, ...]

    @property
    def other_codes(self) -> tuple[str, ...]:
        """The codes at this passage besides the cell's own."""
        return self.codes[1:]


def document_tags(
    cases: Iterable[CaseRecord], documents: Iterable[DocumentRecord]
) -> dict[int, str]:
    """The reference-id prefix of every document, e.g. ``S1G2-N`` (see the module notes)."""
    by_id = {c.id: c for c in cases}
    seen: dict[tuple[str, str], int] = {}
    tags: dict[int, str] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        case = by_id.get(doc.case_id) if doc.case_id is not None else None
        if case is None or case.group is None:
            prefix = f"D{doc.id}"
        elif case.session is None:
            prefix = f"G{case.group}"
        else:
            prefix = f"S{case.session}G{case.group}"
        letter = KIND_LETTERS.get(doc.meta.kind, "O")
        n = seen.get((prefix, letter), 0) + 1
        seen[(prefix, letter)] = n
        tags[doc.id] = f"{prefix}-{letter}" + (str(n) if n > 1 else "")
    return tags


class Quoter:
    """Turns passages into quoted passages: reference ids, text, line, codes at them.

    Called for every passage of a layer (tens of thousands), so each document's codings
    are kept as plain sorted lists, and codes as their codebook rank, which sorts them
    without a key function.
    """

    def __init__(
        self,
        *,
        codes: Sequence[CodeRecord],
        cases: Sequence[CaseRecord],
        documents: Sequence[DocumentRecord],
        texts: Mapping[int, str],
        spans: Sequence[CodedSpan],
        labels: Mapping[int, str],
    ) -> None:
        self.texts = texts
        self.tags = document_tags(cases, documents)
        order = codebook_order(codes)
        self.rank = {c.id: i for i, c in enumerate(order)}
        self.rank_labels = [labels[c.id] for c in order]
        # document -> (starts, ends, ranks, longest span), sorted by start
        self.docs: dict[int, tuple[list[int], list[int], list[int], int]] = {}
        rank = self.rank
        for doc, group in groupby(sorted(spans), key=lambda c: c.document_id):
            known = [c for c in group if c.code_id in rank]
            self.docs[doc] = (
                [c.start for c in known],
                [c.end for c in known],
                [rank[c.code_id] for c in known],
                max((c.end - c.start for c in known), default=0),
            )
        self._newlines: dict[int, list[int]] = {}

    def line_of(self, document_id: int, position: int) -> int:
        """Line number (from 1) of a position in a document."""
        newlines = self._newlines.get(document_id)
        if newlines is None:
            text = self.texts.get(document_id, "")
            newlines = [m.start() for m in _NEWLINE.finditer(text)]
            self._newlines[document_id] = newlines
        return bisect_left(newlines, position) + 1

    def quote(self, passages: Iterable[Passage], own_code: int) -> list[QuotedPassage]:
        """Quote passages of one code (the hot loop of building: locals, no calls)."""
        own = self.rank.get(own_code, -1)
        labels = self.rank_labels
        own_codes: tuple[str, ...] = (labels[own] if own >= 0 else "?",)
        texts, tags, docs, line_of = self.texts, self.tags, self.docs, self.line_of
        out = []
        for passage in passages:
            doc, start, end, codings = passage
            codes = own_codes
            found = docs.get(doc)
            if found is not None:
                starts, ends, ranks, longest = found
                near = {
                    ranks[i]
                    for i in range(bisect_left(starts, start - longest), bisect_left(starts, end))
                    if ends[i] > start
                }
                near.discard(own)
                if near:
                    codes = own_codes + tuple([labels[r] for r in sorted(near)])
            out.append(
                QuotedPassage(
                    f"{tags.get(doc) or f'D{doc}-O'}-{start}-{end}",
                    doc,
                    start,
                    end,
                    line_of(doc, start),
                    texts.get(doc, "")[start:end].strip(),
                    tuple([c.uid for c in codings]),
                    codes,
                )
            )
        return out
