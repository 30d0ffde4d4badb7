"""Coded passages across a project: choosing codes, combining them, filtering, quoting.

What a passage is comes from :mod:`ketqual.core.theme_counts` and nowhere else: a maximal
run of text in one document covered by codings at the chosen codes, overlapping or
touching codings merged. Choosing a theme with all its subthemes therefore lists exactly
the passages the theme-overlap network counts as the theme's n, and choosing one subtheme
lists exactly the passages of that subtheme's column in the framework matrix.

Combining two choices, A and B (each a set of codes, merged into passages as above):

``and``
    Passages coded A and B: A and B passages sharing at least one character are linked
    into chains (one long A passage overlapping two B passages is one chain), and every
    chain holding both is one result, spanning the whole chain. There are exactly as many
    as the network's co-occurrence count of A and B at passage unit.
``not``
    A passages sharing no character with any B passage.
``near``
    A passages with a B passage within N sentence units: 0 means sharing a sentence,
    1 the same or the next sentence, and so on. A passage lying between units counts as
    being in the unit after it. In a document without sentence units only overlapping
    passages are near.

Filters keep passages whose document, focus group or participants carry a value (see
:class:`PassageContext`), or whose text contains some words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from ketqual.core.attributes import BUILTIN, KIND_VALUES, AttributeDef
from ketqual.core.framework_quotes import document_tags
from ketqual.core.participants import ParticipantFinder
from ketqual.core.records import CONSENSUS_LAYER, CaseRecord, CodeRecord, DocumentRecord
from ketqual.core.theme_counts import CodedSpan, Passage, codebook_order, merge_passages

OPERATORS = ("and", "not", "near")
_NEWLINE = re.compile("\n")
OPERATOR_WORDS = {"and": "AND", "not": "NOT", "near": "NEAR"}
DEFAULT_CONTEXT = 160  # characters of context shown before and after a passage

PassageKey = tuple[int, int, int]  # document id, start, end


@dataclass(frozen=True)
class StarRecord:
    """A quote the supervisor starred for the theme report.

    Attributes:
        id: Row id.
        uid: Stable id.
        document_id: The document.
        code_id: The code it was listed under (a theme or one of its subthemes).
        start: First character (code points from 0).
        end: One past the last.
        actor: Who starred it.
        at: When (ISO 8601, UTC).
    """

    id: int
    uid: str
    document_id: int
    code_id: int
    start: int
    end: int
    actor: str
    at: str


def key(passage: Passage) -> PassageKey:
    """Where a passage is: ``(document id, start, end)``."""
    return (passage.document_id, passage.start, passage.end)


# -- choosing codes ----------------------------------------------------------------------


def expand_codes(
    codes: Iterable[CodeRecord], chosen: Iterable[int], *, include_subthemes: bool = True
) -> frozenset[int]:
    """The codes whose codings make the passages: each chosen code, and for a chosen theme
    its subthemes too unless ``include_subthemes`` is False."""
    codes = list(codes)
    wanted = set(chosen)
    if include_subthemes:
        wanted |= {c.id for c in codes if c.parent_id in wanted}
    return frozenset(wanted)


def passages_of(codings: Iterable[Sequence], code_ids: Iterable[int]) -> list[Passage]:
    """Passages of the codings at ``code_ids`` (see the module notes).

    ``codings`` are :class:`CodedSpan` or plain rows in its field order
    ``(document_id, start, end, code_id, uid, id)``; only the chosen ones are made spans.
    """
    wanted = set(code_ids)
    make = CodedSpan._make  # a CodedSpan is such a row too
    return merge_passages([make(c) for c in codings if c[3] in wanted])


# -- combining ---------------------------------------------------------------------------


def _by_document(passages: Iterable[Passage]) -> dict[int, list[Passage]]:
    out: dict[int, list[Passage]] = {}
    for passage in passages:
        out.setdefault(passage.document_id, []).append(passage)
    for found in out.values():
        found.sort(key=lambda p: p.start)
    return out


def _chains(items: Sequence[tuple[int, int, int, Passage]]) -> list[list[tuple]]:
    """Items ``(start, end, side, passage)`` sorted by start, grouped into chains linked by
    shared characters (touching is not enough)."""
    chains: list[list[tuple]] = []
    reach = -1
    for item in items:
        if chains and item[0] < reach:
            chains[-1].append(item)
            reach = max(reach, item[1])
        else:
            chains.append([item])
            reach = item[1]
    return chains


def both(a: Sequence[Passage], b: Sequence[Passage]) -> list[Passage]:
    """Chains of A and B passages linked by shared characters that hold both (``and``)."""
    out: list[Passage] = []
    b_of = _by_document(b)
    for doc, a_here in _by_document(a).items():
        items = sorted(
            [(p.start, p.end, 0, p) for p in a_here]
            + [(p.start, p.end, 1, p) for p in b_of.get(doc, ())],
            key=lambda t: (t[0], t[2]),
        )
        for chain in _chains(items):
            if {side for _s, _e, side, _p in chain} == {0, 1}:
                codings = sorted({c for *_x, p in chain for c in p.codings})
                reach = max(e for _s, e, _side, _p in chain)
                out.append(Passage(doc, chain[0][0], reach, tuple(codings)))
    return sorted(out, key=key)


def without(a: Sequence[Passage], b: Sequence[Passage]) -> list[Passage]:
    """A passages sharing no character with a B passage (``not``)."""
    b_of = _by_document(b)
    out = []
    for passage in a:
        others = b_of.get(passage.document_id, ())
        # B passages are disjoint and sorted, so their ends are sorted too.
        i = bisect_left([p.start for p in others], passage.end) - 1
        if i < 0 or others[i].end <= passage.start:
            out.append(passage)
    return out


def unit_span(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """First and last unit (by index) a span touches; a span between units gets the next."""
    first = bisect_right(ends, start)
    last = bisect_left(starts, end) - 1
    if last < first:
        last = first = min(first, max(len(starts) - 1, 0))
    return first, last


def near(
    a: Sequence[Passage],
    b: Sequence[Passage],
    sentences: Mapping[int, Sequence[tuple[int, int]]],
    within: int,
) -> list[Passage]:
    """A passages with a B passage within ``within`` sentence units (``near``)."""
    if within < 0:
        raise ValueError("the distance in sentences must be 0 or more")
    b_of = _by_document(b)
    out: list[Passage] = []
    for doc, group in groupby(sorted(a, key=key), key=lambda p: p.document_id):
        a_here = list(group)
        others = b_of.get(doc, [])
        units = sorted(sentences.get(doc, ()))
        if not others:
            continue
        if not units:  # no sentences to measure by: only overlapping passages are near
            out.extend(p for p in a_here if not without([p], others))
            continue
        starts, ends = [s for s, _e in units], [e for _s, e in units]
        ranges = [unit_span(starts, ends, p.start, p.end) for p in others]
        firsts = [r[0] for r in ranges]
        for passage in a_here:
            a0, a1 = unit_span(starts, ends, passage.start, passage.end)
            # The last B starting no later than a1 + N reaches furthest (B ranges are
            # in order); it is near when it also ends no earlier than a0 - N.
            i = bisect_right(firsts, a1 + within) - 1
            if i >= 0 and ranges[i][1] >= a0 - within:
                out.append(passage)
    return sorted(out, key=key)


def combine(
    a: Sequence[Passage],
    b: Sequence[Passage],
    operator: str,
    *,
    within: int = 1,
    sentences: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> list[Passage]:
    """A ``and`` / ``not`` / ``near`` B (see the module notes).

    Raises:
        ValueError: For an unknown operator or a negative distance.
    """
    if operator == "and":
        return both(a, b)
    if operator == "not":
        return without(a, b)
    if operator == "near":
        return near(a, b, sentences or {}, within)
    raise ValueError(f"combine with one of {', '.join(OPERATORS)}, not '{operator}'")


# -- what is known around a passage -------------------------------------------------------


@dataclass(frozen=True)
class AttributeRef:
    """An attribute as filters and crosstabs name it.

    Attributes:
        target: ``document`` (built-in ones included), ``case`` or ``participant``.
        name: The attribute's name, or the built-in key (``session``, ``group`` ...).
        label: How to show it ("Session", "role (participant)").
        definition: The project's definition (``None`` for a built-in one).
    """

    target: str
    name: str
    label: str
    definition: AttributeDef | None = None

    @property
    def builtin(self) -> bool:
        """Whether it comes from document metadata."""
        return self.definition is None


def builtin_refs() -> list[AttributeRef]:
    """The built-in document attributes."""
    return [AttributeRef("document", key, label) for key, label in BUILTIN.items()]


class PassageContext:
    """Documents, focus groups and participants with their attribute values, and whom a
    passage belongs to.

    Args:
        documents: Every document.
        cases: Focus groups (the documents' own cases).
        document_values: Document id -> attribute name (casefolded) -> value.
        case_values: Focus-group case id -> attribute name (casefolded) -> value.
        participant_values: Participant label -> attribute name (casefolded) -> value.
        finder: Finds a passage's participants (``None``: passages belong to nobody).
    """

    def __init__(
        self,
        documents: Sequence[DocumentRecord],
        cases: Sequence[CaseRecord],
        document_values: Mapping[int, Mapping[str, str]] | None = None,
        case_values: Mapping[int, Mapping[str, str]] | None = None,
        participant_values: Mapping[str, Mapping[str, str]] | None = None,
        finder: ParticipantFinder | None = None,
    ) -> None:
        self.documents = {d.id: d for d in documents}
        self.cases = {c.id: c for c in cases}
        self.document_values = document_values or {}
        self.case_values = case_values or {}
        self.participant_values = participant_values or {}
        self.finder = finder
        self._participants: dict[PassageKey, tuple[str, ...]] = {}

    def builtin(self, name: str, document_id: int) -> str | None:
        """A built-in attribute of a document (``None`` when it has none)."""
        doc = self.documents.get(document_id)
        if doc is None:
            return None
        if name == "session":
            return None if doc.meta.session is None else str(doc.meta.session)
        if name == "group":
            return None if doc.meta.group is None else str(doc.meta.group)
        if name == "kind":
            return KIND_VALUES.get(doc.meta.kind, doc.meta.kind)
        if name == "document":
            return doc.meta.title
        if name == "case":
            case = self.cases.get(doc.case_id) if doc.case_id is not None else None
            return case.name if case else None
        raise KeyError(name)

    def participants(self, passage: Passage | PassageKey) -> tuple[str, ...]:
        """Labels of the participants a passage belongs to."""
        doc, start, end = passage[:3]
        found = self._participants.get((doc, start, end))
        if found is None:
            found = self.finder.of(doc, start, end) if self.finder is not None else ()
            self._participants[(doc, start, end)] = found
        return found

    def document_value(self, ref: AttributeRef, document_id: int) -> str | None:
        """The value a document (or its focus group) has; for document and case refs."""
        if ref.target == "document":
            if ref.builtin:
                return self.builtin(ref.name, document_id)
            return self.document_values.get(document_id, {}).get(ref.name.casefold())
        if ref.target == "case":
            doc = self.documents.get(document_id)
            if doc is None or doc.case_id is None:
                return None
            return self.case_values.get(doc.case_id, {}).get(ref.name.casefold())
        raise ValueError(f"{ref.label} is not a document or focus-group attribute")

    def participant_value(self, ref: AttributeRef, label: str) -> str | None:
        """A participant's value of a participant attribute."""
        return self.participant_values.get(label, {}).get(ref.name.casefold())

    def values(self, ref: AttributeRef, passage: Passage | PassageKey) -> tuple[str, ...]:
        """The values a passage has: its document's or focus group's, or those of its
        participants (several participants may bring several values)."""
        if ref.target == "participant":
            found = (self.participant_value(ref, p) for p in self.participants(passage))
            return tuple(dict.fromkeys(v for v in found if v is not None))
        value = self.document_value(ref, passage[0])
        return () if value is None else (value,)


@dataclass(frozen=True)
class Condition:
    """Keep passages having one of ``values`` for ``ref`` (compared ignoring case)."""

    ref: AttributeRef
    values: frozenset[str]

    def holds(self, context: PassageContext, passage: Passage | PassageKey) -> bool:
        """Whether a passage satisfies the condition."""
        wanted = {v.casefold() for v in self.values}
        return any(v.casefold() in wanted for v in context.values(self.ref, passage))


def contains_words(text: str, words: str) -> bool:
    """Whether ``text`` holds ``words`` (ignoring case and runs of spaces)."""
    needle = " ".join(words.split()).casefold()
    return not needle or needle in " ".join(text.split()).casefold()


def filter_passages(
    passages: Iterable[Passage],
    context: PassageContext,
    conditions: Sequence[Condition] = (),
    *,
    contains: str = "",
    texts: Mapping[int, str] | None = None,
) -> list[Passage]:
    """Passages meeting every condition (and containing ``contains``, when given)."""
    out = []
    texts = texts or {}
    for passage in passages:
        if conditions and not all(c.holds(context, passage) for c in conditions):
            continue
        if contains and not contains_words(
            texts.get(passage.document_id, "")[passage.start : passage.end], contains
        ):
            continue
        out.append(passage)
    return out


# -- quoting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage as the coded-passages list shows and exports it.

    Attributes:
        ref: Reference id, the same as the framework matrices' (``S1G2-N-412-530``).
        document_id: The document.
        document: Its title.
        case: Its focus group ("" when none).
        start: First character (code points from 0).
        end: One past the last character.
        line: Line of the document where it starts (from 1).
        text: The passage.
        before: A little text before it (whitespace collapsed).
        after: A little text after it.
        code_id: The code it is listed under (the first chosen code coded there).
        codes: Labels of every code at the passage: its own first, then the others.
        memos: Memos of the codings it is made of (``Code: memo``).
        participants: Labels of the participants it belongs to.
        coding_uids: Uids of the codings it is made of.
        starred: Whether the supervisor starred it for the theme report.
    """

    ref: str
    document_id: int
    document: str
    case: str
    start: int
    end: int
    line: int
    text: str
    before: str
    after: str
    code_id: int
    codes: tuple[str, ...]
    memos: tuple[str, ...]
    participants: tuple[str, ...]
    coding_uids: tuple[str, ...]
    starred: bool = False

    @property
    def key(self) -> PassageKey:
        """``(document id, start, end)``."""
        return (self.document_id, self.start, self.end)

    @property
    def other_codes(self) -> tuple[str, ...]:
        """Codes at the passage besides the one it is listed under."""
        return self.codes[1:]


@dataclass(frozen=True)
class PassageQuery:
    """What to retrieve.

    Attributes:
        codes: Codes by name (``Theme``, ``Theme/Subtheme``) or id; their passages are
            merged (A).
        include_subthemes: A theme brings its subthemes' codings (else only codings at the
            theme itself).
        layer: ``consensus`` or a coder's name.
        operator: ``None``, ``and``, ``not`` or ``near``, combining A with ``other`` (B).
        other: The codes of B.
        within: For ``near``: how many sentence units apart.
        where: ``(attribute, value)`` conditions; values of one attribute are
            alternatives, different attributes must all hold.
        contains: Words the passage must contain.
        only: When given, keep only passages at these ``(document, start, end)`` (a
            crosstab cell's passages).
        context: Characters of context either side.
    """

    codes: tuple[str | int, ...]
    include_subthemes: bool = True
    layer: str = CONSENSUS_LAYER
    operator: str | None = None
    other: tuple[str | int, ...] = ()
    within: int = 1
    where: tuple[tuple[str, str], ...] = ()
    contains: str = ""
    only: frozenset[tuple[int, int, int]] | None = None
    context: int = DEFAULT_CONTEXT


@dataclass(frozen=True)
class PassageList:
    """The passages found, and what was asked in words.

    Attributes:
        passages: The passages, by document then position (a :class:`PassageRows`: each is
            quoted when first read, so a long list shows its first screen at once).
        layer: The layer's name (``consensus`` or a coder's).
        layer_label: How to show the layer ("Consensus", "Coder A").
        description: The query in words ("Side-effects (with subthemes) AND Cost").
        conditions: The filters in words ("session = 2").
        before_filters: Passages found before the filters were applied.
        message: Why the list is empty ("" when it is not).
        code_ids: The codes the passages were chosen under (A).
        project_name: The project's name, for exports.
    """

    passages: Sequence[RetrievedPassage]
    layer: str
    layer_label: str
    description: str
    conditions: tuple[str, ...] = ()
    before_filters: int = 0
    message: str = ""
    code_ids: tuple[int, ...] = ()
    project_name: str = ""

    def title(self) -> str:
        """One line: "37 coded passages of Side-effects (with subthemes), Consensus"."""
        n = len(self.passages)
        noun = "coded passage" if n == 1 else "coded passages"
        where = f"; {', '.join(self.conditions)}" if self.conditions else ""
        return f"{n} {noun} of {self.description} ({self.layer_label}{where})"


def context_around(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """Up to ``width`` characters either side, cut at a space, whitespace collapsed."""
    lo = max(0, start - width)
    if lo > 0 and not text[lo - 1].isspace():  # do not start inside a word
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(text), end + width)
    if hi < len(text) and not text[hi].isspace():  # nor end inside one
        space = text.rfind(" ", end, hi)
        hi = space if space > end else hi
    before = " ".join(text[lo:start].split())
    after = " ".join(text[end:hi].split())
    return ("…" + before if lo > 0 and before else before), (
        after + "…" if hi < len(text) and after else after
    )


def star_matches(star: StarRecord, passage: Passage | PassageKey, codes: Iterable[int]) -> bool:
    """Whether a star was given to (a span inside) this passage under one of ``codes``."""
    doc, start, end = passage[:3]
    return (
        star.document_id == doc
        and star.code_id in set(codes)
        and start <= star.start
        and star.end <= end
    )


class PassageQuoter:
    """Turns passages into :class:`RetrievedPassage` rows, with the framework matrices'
    reference ids, text, line and codes (the same as
    :class:`~ketqual.core.framework_quotes.Quoter` gives them), context, memos and
    participants.

    Built for quoting a few passages of a big project at once: codings are grouped by
    document in one pass, and each document's lookup lists are made when one of its
    passages is first quoted.

    Args:
        codes: The codebook.
        cases: Focus groups (for reference ids and the case column).
        documents: Every document.
        texts: Texts of the documents whose passages are quoted.
        codings: The layer's codings as ``(document_id, start, end, code_id, ...)`` tuples
            (:class:`CodedSpan` or plain rows).
        labels: ``Theme/Subtheme`` label of every code.
    """

    def __init__(
        self,
        codes: Sequence[CodeRecord],
        cases: Sequence[CaseRecord],
        documents: Sequence[DocumentRecord],
        texts: Mapping[int, str],
        codings: Iterable[Sequence],
        labels: Mapping[int, str],
        *,
        memos: Mapping[str, str] | None = None,
        context: PassageContext | None = None,
        stars: Sequence[StarRecord] = (),
        width: int = DEFAULT_CONTEXT,
    ) -> None:
        order = codebook_order(codes)
        self.order = {c.id: i for i, c in enumerate(order)}
        self.rank_labels = [labels[c.id] for c in order]
        self.labels = labels
        self.texts = texts
        self.tags = document_tags(cases, documents)
        self.documents = {d.id: d for d in documents}
        self.cases = {c.id: c for c in cases}
        self.memos = memos or {}
        self.context = context
        self.width = width
        self.stars: dict[int, list[StarRecord]] = {}
        for star in stars:
            self.stars.setdefault(star.document_id, []).append(star)
        self._rows: dict[int, list[Sequence]] = {}
        for row in codings:  # one pass; each document's lists are made when first needed
            found = self._rows.get(row[0])
            if found is None:
                self._rows[row[0]] = [row]
            else:
                found.append(row)
        self._lookup: dict[int, tuple[list[int], list[int], list[int], int]] = {}
        self._newlines: dict[int, list[int]] = {}

    def _document(self, document_id: int) -> tuple[list[int], list[int], list[int], int]:
        """Starts, ends and codebook ranks of a document's codings (by start), and the
        longest coding."""
        found = self._lookup.get(document_id)
        if found is None:
            rank = self.order
            rows = sorted(
                (r[1], r[2], rank[r[3]]) for r in self._rows.get(document_id, ()) if r[3] in rank
            )
            found = (
                [s for s, _e, _r in rows],
                [e for _s, e, _r in rows],
                [r for _s, _e, r in rows],
                max((e - s for s, e, _r in rows), default=0),
            )
            self._lookup[document_id] = found
        return found

    def line_of(self, document_id: int, position: int) -> int:
        """Line number (from 1) of a position in a document."""
        newlines = self._newlines.get(document_id)
        if newlines is None:
            text = self.texts.get(document_id, "")
            newlines = [m.start() for m in _NEWLINE.finditer(text)]
            self._newlines[document_id] = newlines
        return bisect_left(newlines, position) + 1

    def codes_at(self, passage: Passage, own_code: int) -> tuple[str, ...]:
        """Labels of every code at a passage: its own first, then the others overlapping
        it, in codebook order."""
        own = self.order.get(own_code, -1)
        starts, ends, ranks, longest = self._document(passage.document_id)
        near = {
            ranks[i]
            for i in range(
                bisect_left(starts, passage.start - longest), bisect_left(starts, passage.end)
            )
            if ends[i] > passage.start
        }
        near.discard(own)
        first = self.rank_labels[own] if own >= 0 else "?"
        return (first, *(self.rank_labels[r] for r in sorted(near)))

    def primary_code(self, passage: Passage, chosen: Iterable[int]) -> int:
        """The code a passage is listed under: the first chosen code (in codebook order)
        with a coding in it, else the first of its codings."""
        wanted = set(chosen)
        here = sorted(
            {c.code_id for c in passage.codings}, key=lambda c: self.order.get(c, len(self.order))
        )
        for code_id in here:
            if code_id in wanted:
                return code_id
        return here[0] if here else next(iter(wanted), 0)

    def quote(self, passages: Iterable[Passage], chosen: Iterable[int]) -> list[RetrievedPassage]:
        """Quote passages chosen under the code ids ``chosen``."""
        chosen = frozenset(chosen)
        out = []
        for passage in passages:
            doc_id, start, end = passage.document_id, passage.start, passage.end
            code_id = self.primary_code(passage, chosen)
            doc = self.documents.get(doc_id)
            case = self.cases.get(doc.case_id) if doc and doc.case_id is not None else None
            text = self.texts.get(doc_id, "")
            before, after = context_around(text, start, end, self.width)
            memos = tuple(
                f"{self.labels.get(c.code_id, '?')}: {self.memos[c.uid]}"
                for c in passage.codings
                if self.memos.get(c.uid)
            )
            stars = self.stars.get(doc_id, ())
            out.append(
                RetrievedPassage(
                    ref=f"{self.tags.get(doc_id) or f'D{doc_id}-O'}-{start}-{end}",
                    document_id=doc_id,
                    document=doc.meta.title if doc else f"document {doc_id}",
                    case=case.name if case else "",
                    start=start,
                    end=end,
                    line=self.line_of(doc_id, start),
                    text=text[start:end].strip(),
                    before=before,
                    after=after,
                    code_id=code_id,
                    codes=self.codes_at(passage, code_id),
                    memos=memos,
                    participants=self.context.participants(passage) if self.context else (),
                    coding_uids=tuple(c.uid for c in passage.codings),
                    starred=any(star_matches(s, passage, chosen) for s in stars),
                )
            )
        return out


def resolve_code(codes: Sequence[CodeRecord], name: str | int) -> CodeRecord:
    """A code by id, ``Theme``, ``Theme/Subtheme`` or a subtheme's own name when no other
    code has it (case-insensitive).

    Raises:
        ValueError: A sentence naming the themes when nothing (or several codes) match.
    """
    by_id = {c.id: c for c in codes}
    text = str(name).strip()
    if text.isdigit() and int(text) in by_id:
        return by_id[int(text)]
    wanted = " ".join(text.split()).casefold()
    paths = {}
    for code in codes:
        parent = by_id.get(code.parent_id) if code.parent_id is not None else None
        path = code.name if parent is None else f"{parent.name}/{code.name}"
        paths[path.casefold()] = code
    if wanted in paths:
        return paths[wanted]
    if "/" in wanted:
        theme, sub = (part.strip() for part in wanted.split("/", 1))
        joined = f"{theme}/{sub}"
        if joined in paths:
            return paths[joined]
    named = [c for c in codes if c.name.casefold() == wanted]
    if len(named) == 1:
        return named[0]
    themes = ", ".join(c.name for c in codebook_order(codes) if c.parent_id is None)
    if len(named) > 1:
        raise ValueError(f"several codes are called '{name}'; write Theme/Subtheme")
    raise ValueError(f"no code called '{name}' (themes: {themes}; a subtheme is Theme/Subtheme)")


_REF = re.compile(r"(?P<tag>.+)-(?P<start>\d+)-(?P<end>\d+)")


def parse_ref(ref: str, tags: Mapping[int, str]) -> PassageKey:
    """A reference id such as ``S1G2-N-412-530`` back to ``(document id, start, end)``.

    Args:
        ref: The reference id.
        tags: Each document's tag (``framework_quotes.document_tags``).

    Raises:
        ValueError: When it does not read as a reference of this project.
    """
    m = _REF.fullmatch(ref.strip())
    if not m:
        raise ValueError(f"'{ref}' is not a reference id such as S1G2-N-412-530")
    start, end = int(m.group("start")), int(m.group("end"))
    documents = [d for d, tag in tags.items() if tag == m.group("tag")]
    if not documents and re.fullmatch(r"D\d+-O", m.group("tag")):
        documents = [int(m.group("tag")[1:-2])]
    if len(documents) != 1 or end <= start:
        raise ValueError(f"no document of this project has the reference '{ref}'")
    return (documents[0], start, end)


def describe_codes(codes: Sequence[CodeRecord], expanded: Iterable[int]) -> str:
    """The chosen codes in words: "Side-effects (with subthemes)", "Information
    (theme-level) or Cost", "Side-effects/Physical effects"."""
    chosen = set(expanded)
    ordered = codebook_order(codes)
    parts = []
    for theme in (c for c in ordered if c.parent_id is None):
        subs = [c for c in ordered if c.parent_id == theme.id]
        family = {theme.id, *(c.id for c in subs)}
        if subs and family <= chosen:
            parts.append(f"{theme.name} (with subthemes)")
            continue
        if theme.id in chosen:
            parts.append(f"{theme.name} (theme-level)" if subs else theme.name)
        parts += [f"{theme.name}/{c.name}" for c in subs if c.id in chosen]
    return " or ".join(parts) if parts else "no code"


class PassageRows(Sequence[RetrievedPassage]):
    """Passages quoted when first read (and then kept): listing 7,000 passages costs only
    the ones on screen; an export reads them all.

    Plain data (the texts and codings it quotes from are in memory), so it crosses from a
    worker thread to the window like any result.
    """

    def __init__(
        self, passages: Sequence[Passage], quoter: PassageQuoter, chosen: Iterable[int]
    ) -> None:
        self._passages = list(passages)
        self._quoter = quoter
        self._chosen = frozenset(chosen)
        self._rows: list[RetrievedPassage | None] = [None] * len(self._passages)

    def __len__(self) -> int:
        return len(self._passages)

    def _row(self, i: int) -> RetrievedPassage:
        row = self._rows[i]
        if row is None:
            [row] = self._quoter.quote([self._passages[i]], self._chosen)
            self._rows[i] = row
        return row

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)

    def keys(self) -> list[PassageKey]:
        """Where each passage is, without quoting any."""
        return [key(p) for p in self._passages]

    def replace(self, index: int, row: RetrievedPassage) -> None:
        """Put an updated row in place (a star given or taken)."""
        self._rows[index] = row
