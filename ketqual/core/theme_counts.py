"""Coded passages, and how many there are per theme and subtheme.

The unit of every count here is the **coded passage**: a maximal run of text in one
document covered by codings at a code. For a theme that means codings at the theme itself
or at any of its subthemes; for a subtheme, codings at that subtheme only. Overlapping or
touching codings merge into one passage, so a point that two overlapping codings mark
counts once. This is the "n = number of times the discussion focused on the theme" of a
framework diagram, and the framework matrices and the theme-overlap network share it.

Plain data in (code records, and coding records or the lighter :class:`CodedSpan`), plain
data out; no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ketqual.core.records import CodeRecord, CodingRecord

UNIT = "coded passages"
UNIT_DEFINITION = (
    "A coded passage is a maximal run of text in one document covered by codings at the "
    "code; for a theme, by codings at the theme or at any of its subthemes. Overlapping or "
    "touching codings form one passage. Codings at a theme itself count for the theme only."
)


class CodedSpan(NamedTuple):
    """A coding as passages need it. The field order makes plain sorting go by document,
    then position, so a whole layer sorts without a key function (it is fast)."""

    document_id: int
    start: int
    end: int
    code_id: int
    uid: str
    id: int


def as_spans(codings: Iterable[CodingRecord | CodedSpan]) -> list[CodedSpan]:
    """Codings as :class:`CodedSpan` (records are converted, spans kept as they are)."""
    return [
        c
        if isinstance(c, CodedSpan)
        else CodedSpan(c.document_id, c.start, c.end, c.code_id, c.uid, c.id)
        for c in codings
    ]


class Passage(NamedTuple):
    """A maximal run ``[start, end)`` of one document covered by the given codings."""

    document_id: int
    start: int
    end: int
    codings: tuple[CodedSpan, ...]

    @property
    def coding_uids(self) -> tuple[str, ...]:
        """Uids of the codings that make up the passage, in text order."""
        return tuple(c.uid for c in self.codings)


@dataclass(frozen=True)
class CodeCount:
    """Counts of one theme or subtheme.

    Attributes:
        code_id: The theme or subtheme.
        theme_id: Its theme (itself for a theme).
        passages: Coded passages (for a theme, including its subthemes' codings).
        documents: Documents with at least one such passage.
        cases: Cases (focus groups) with at least one such passage; documents without a
            case add to ``documents`` only.
        theme_level: For a theme, the passages coded at the theme itself (the "other"
            column of its framework matrix); ``None`` for a subtheme.
    """

    code_id: int
    theme_id: int
    passages: int
    documents: int
    cases: int
    theme_level: int | None = None

    @property
    def is_theme(self) -> bool:
        """Whether this row is a theme (not a subtheme)."""
        return self.code_id == self.theme_id


@dataclass(frozen=True)
class ThemeCounts:
    """Counts of every theme and subtheme, in codebook order, with the denominators."""

    rows: tuple[CodeCount, ...]
    total_documents: int
    total_cases: int
    unit: str = UNIT
    definition: str = UNIT_DEFINITION
    cases_label: str = "focus groups"  # what a case is in this project, in the plural

    def of(self, code_id: int) -> CodeCount | None:
        """The row of one code, or ``None`` when it is not counted."""
        return next((r for r in self.rows if r.code_id == code_id), None)


def codebook_order(codes: Iterable[CodeRecord]) -> list[CodeRecord]:
    """Codes as the codebook tree shows them: each theme followed by its subthemes.

    Themes and siblings go by ``sort_order`` then id; a code whose parent is missing is
    left out (it cannot be placed).
    """
    ordered = sorted(codes, key=lambda c: (c.sort_order, c.id))
    children: dict[int | None, list[CodeRecord]] = {}
    for code in ordered:
        children.setdefault(code.parent_id, []).append(code)
    out: list[CodeRecord] = []

    def visit(parent: int | None) -> None:
        for code in children.get(parent, ()):
            out.append(code)
            visit(code.id)

    visit(None)
    return out


def theme_of(codes: Iterable[CodeRecord]) -> dict[int, int]:
    """For every code id, the id of its theme (the top of its branch)."""
    parents = {c.id: c.parent_id for c in codes}
    out: dict[int, int] = {}
    for code_id in parents:
        top, seen = code_id, set()
        while parents.get(top) is not None and top not in seen:
            seen.add(top)
            top = parents[top]  # type: ignore[assignment]
        out[code_id] = top
    return out


def merge_passages(codings: Iterable[CodingRecord | CodedSpan]) -> list[Passage]:
    """Merge codings into passages, document by document.

    Codings of any codes are merged together, so pass only the codings that count for one
    code. Empty codings (``end <= start``) are ignored.

    Returns:
        Passages sorted by document id and start; each holds its codings in text order.
    """
    return _merge_sorted(sorted(as_spans(codings)))


def _merge_sorted(spans: Sequence[CodedSpan]) -> list[Passage]:
    """:func:`merge_passages` for spans already sorted by document and start."""
    out: list[Passage] = []
    members: list[CodedSpan] = []
    doc, start, reach = -1, 0, 0
    for c in spans:
        if c.end <= c.start:
            continue
        # ``<=`` joins touching codings: the same code on adjacent text is one stretch.
        if members and c.document_id == doc and c.start <= reach:
            members.append(c)
            if c.end > reach:
                reach = c.end
            continue
        if members:
            out.append(Passage(doc, start, reach, tuple(members)))
        members, doc, start, reach = [c], c.document_id, c.start, c.end
    if members:
        out.append(Passage(doc, start, reach, tuple(members)))
    return out


@dataclass(frozen=True)
class PassageIndex:
    """Every code's passages, computed once for a layer of codings.

    Attributes:
        by_code: For a subtheme, passages of codings at it; for a theme, passages of
            codings at the theme or any of its subthemes.
        theme_level: For a theme, passages of codings at the theme itself only.
    """

    by_code: Mapping[int, Sequence[Passage]]
    theme_level: Mapping[int, Sequence[Passage]]

    def of(self, code_id: int) -> Sequence[Passage]:
        """Passages of a code (empty when it has none)."""
        return self.by_code.get(code_id, ())

    def at_theme(self, theme_id: int) -> Sequence[Passage]:
        """Passages coded at the theme itself (empty when none)."""
        return self.theme_level.get(theme_id, ())


def index_passages(
    codes: Iterable[CodeRecord], codings: Iterable[CodingRecord | CodedSpan]
) -> PassageIndex:
    """Passages of every code in ``codes`` (codings at unknown codes are ignored)."""
    tops = theme_of(codes)
    per_code: dict[int, list[CodedSpan]] = {}
    per_theme: dict[int, list[CodedSpan]] = {}
    # One sort for the whole layer; splitting it by code keeps each part in order.
    for span in sorted(as_spans(codings)):
        theme = tops.get(span.code_id)
        if theme is None:
            continue
        per_code.setdefault(span.code_id, []).append(span)
        per_theme.setdefault(theme, []).append(span)
    by_code: dict[int, list[Passage]] = {}
    theme_level: dict[int, list[Passage]] = {}
    for code_id, own in per_code.items():
        if tops[code_id] == code_id:
            theme_level[code_id] = _merge_sorted(own)
        else:
            by_code[code_id] = _merge_sorted(own)
    for theme_id, all_spans in per_theme.items():
        by_code[theme_id] = _merge_sorted(all_spans)
    return PassageIndex(by_code, theme_level)


def count_themes(
    codes: Iterable[CodeRecord],
    codings: Iterable[CodingRecord | CodedSpan],
    case_of: Mapping[int, int | None],
    *,
    index: PassageIndex | None = None,
    cases_of: Callable[[Passage], Iterable[Hashable]] | None = None,
    all_cases: Iterable[Hashable] | None = None,
) -> ThemeCounts:
    """Passages, documents and cases per theme and subtheme.

    Args:
        codes: The codebook (themes have ``parent_id`` None).
        codings: One layer of codings.
        case_of: Case id (or ``None``) of every document in the project; its size and
            distinct cases are the denominators.
        index: Passages already computed for these codes and codings (saves merging twice).
        cases_of: When the project's cases are not its focus groups: the cases a passage
            belongs to (documents, participants), instead of its document's case.
        all_cases: With ``cases_of``: every case, for the denominator.

    Returns:
        Every code in codebook order, including codes with no passages (all zeros).
    """
    codes = list(codes)
    passages = index or index_passages(codes, codings)
    tops = theme_of(codes)
    rows = []
    for code in codebook_order(codes):
        found = passages.of(code.id)
        documents = {p.document_id for p in found}
        if cases_of is None:
            n_cases = len({case_of.get(d) for d in documents} - {None})
        else:
            n_cases = len({c for p in found for c in cases_of(p)})
        is_theme = tops[code.id] == code.id
        rows.append(
            CodeCount(
                code.id,
                tops[code.id],
                len(found),
                len(documents),
                n_cases,
                len(passages.at_theme(code.id)) if is_theme else None,
            )
        )
    if cases_of is None or all_cases is None:
        all_cases = {c for c in case_of.values() if c is not None}
    return ThemeCounts(tuple(rows), len(case_of), len(set(all_cases)))
