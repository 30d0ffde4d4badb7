"""Framework matrices (the Framework Method's charting step), built from plain data.

One matrix per theme: rows are cases (focus groups) sorted by session then group, with
one "No case" row at the end for documents that belong to no case; columns are the
theme's subthemes in codebook order plus an "Other (theme-level)" column for codings at
the theme itself. Each cell holds its coded passages (see :mod:`ketqual.core.theme_counts`
for what a passage is), each with a readable reference id, and the analyst's summary.

How passages are quoted, and what their reference ids mean: :mod:`ketqual.core.framework_quotes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from ketqual.core.framework_quotes import QuotedPassage, Quoter
from ketqual.core.records import CaseRecord, CodeRecord, CodingRecord, DocumentRecord
from ketqual.core.theme_counts import (
    CodedSpan,
    Passage,
    PassageIndex,
    as_spans,
    codebook_order,
    index_passages,
    theme_of,
)

STATES = ("summary", "not_discussed", "nothing_substantive")
OTHER_LABEL = "Other (theme-level)"
WHOLE_THEME_LABEL = "Whole theme"  # the only column of a theme without subthemes
NO_CASE_LABEL = "No case"
KIND_LABELS = {"scribe_notes": "scribe notes", "feedback_sheet": "feedback sheets"}


@dataclass(frozen=True)
class CellSummary:
    """The analyst's words for one cell, as stored.

    Attributes:
        case_id: The row's case.
        code_id: The column's subtheme, or the theme for the theme-level column.
        state: ``summary``, ``not_discussed`` or ``nothing_substantive``.
        text: The summary (may cite passages by reference id).
        refs: Uids of the codings the summary rests on.
        author: Who wrote it last.
        updated_at: When (ISO 8601, UTC).
    """

    case_id: int
    code_id: int
    state: str
    text: str
    refs: tuple[str, ...] = ()
    author: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class FrameworkData:
    """Everything a matrix is built from, loaded from one layer of a project.

    By default the rows are the focus groups (``cases``, the documents' own cases). When the
    project counts documents or participants as its cases, ``unit_cases`` are the rows and
    ``cases_of`` says which of them a passage ``(document, start, end)`` belongs to; a
    passage belonging to none goes to a last row labelled ``no_case_label``.
    """

    codes: Sequence[CodeRecord]
    cases: Sequence[CaseRecord]
    documents: Sequence[DocumentRecord]
    texts: Mapping[int, str]
    codings: Sequence[CodingRecord | CodedSpan]
    summaries: Sequence[CellSummary] = ()
    unit_cases: Sequence[CaseRecord] | None = None
    cases_of: Callable[[int, int, int], Sequence[Hashable]] | None = None
    no_case_label: str = NO_CASE_LABEL


@dataclass(frozen=True)
class MatrixRow:
    """A case (focus group), or the "No case" row (``case_id`` None)."""

    case_id: int | None
    label: str
    session: int | None
    group: int | None
    sources: str
    document_ids: tuple[int, ...]


@dataclass(frozen=True)
class MatrixColumn:
    """A subtheme, or the theme-level column (``code_id`` is the theme's)."""

    code_id: int
    label: str
    theme_level: bool = False


@dataclass(frozen=True)
class MatrixCell:
    """Passages and summary of one row x column."""

    passages: tuple[QuotedPassage, ...] = ()
    summary: CellSummary | None = None


@dataclass(frozen=True)
class ThemeMatrix:
    """The framework matrix of one theme; ``cells[row][column]``."""

    theme: CodeRecord
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    cells: tuple[tuple[MatrixCell, ...], ...]
    documents: Mapping[int, DocumentRecord] = field(default_factory=dict)

    def cell(self, row: int, column: int) -> MatrixCell:
        """One cell by position."""
        return self.cells[row][column]

    def passages(self) -> list[QuotedPassage]:
        """Every passage in the matrix, row by row, column by column."""
        return [p for row in self.cells for cell in row for p in cell.passages]


def code_labels(codes: Iterable[CodeRecord]) -> dict[int, str]:
    """``Theme/Subtheme`` labels of every code (a theme's label is its name)."""
    codes = list(codes)
    names = {c.id: c.name for c in codes}
    return {
        c.id: c.name if c.parent_id is None else f"{names.get(c.parent_id, '?')}/{c.name}"
        for c in codes
    }


def _sources(documents: Sequence[DocumentRecord]) -> str:
    parts = []
    for doc in documents:
        kind = KIND_LABELS.get(doc.meta.kind, doc.meta.title)
        parts.append(f"{kind} by {doc.meta.notetaker}" if doc.meta.notetaker else kind)
    return "; ".join(parts)


def matrix_rows(
    cases: Iterable[CaseRecord],
    documents: Sequence[DocumentRecord],
    keep_cases: Iterable[int] = (),
) -> list[MatrixRow]:
    """Rows: cases with documents (or in ``keep_cases``) by session and group, then one
    "No case" row when some documents have no case."""
    docs_of: dict[int | None, list[DocumentRecord]] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        docs_of.setdefault(doc.case_id, []).append(doc)
    wanted = set(keep_cases)
    big = float("inf")
    ordered = sorted(
        (c for c in cases if c.id in docs_of or c.id in wanted),
        key=lambda c: (
            big if c.session is None else c.session,
            big if c.group is None else c.group,
            c.id,
        ),
    )
    rows = [
        MatrixRow(
            c.id,
            c.name,
            c.session,
            c.group,
            _sources(docs_of.get(c.id, [])),
            tuple(d.id for d in docs_of.get(c.id, [])),
        )
        for c in ordered
    ]
    known = {c.id for c in ordered}
    orphans = [d for case_id, docs in docs_of.items() if case_id not in known for d in docs]
    if orphans:
        orphans.sort(key=lambda d: d.id)
        rows.append(
            MatrixRow(
                None, NO_CASE_LABEL, None, None, _sources(orphans), tuple(d.id for d in orphans)
            )
        )
    return rows


def unit_rows(cases: Iterable[CaseRecord], no_case_label: str) -> list[MatrixRow]:
    """Rows when documents or participants are the cases: one per case by name (``P2``
    before ``P10``), then one for passages belonging to no case."""
    ordered = sorted(cases, key=lambda c: (_natural(c.name), c.id))
    rows = [MatrixRow(c.id, c.name, c.session, c.group, "", ()) for c in ordered]
    return [*rows, MatrixRow(None, no_case_label, None, None, "", ())]


def _natural(text: str) -> tuple:
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def matrix_columns(
    theme: CodeRecord, codes: Iterable[CodeRecord], keep: Iterable[int] = ()
) -> list[MatrixColumn]:
    """The subthemes of ``theme`` in codebook order (retired ones only when in ``keep``),
    then the theme-level column."""
    wanted = set(keep)
    subs = [
        c for c in codebook_order(codes) if c.parent_id == theme.id and (c.active or c.id in wanted)
    ]
    columns = [MatrixColumn(c.id, c.name) for c in subs]
    label = OTHER_LABEL if columns else WHOLE_THEME_LABEL
    return [*columns, MatrixColumn(theme.id, label, theme_level=True)]


def matrix_themes(data: FrameworkData, index: PassageIndex) -> list[CodeRecord]:
    """Themes that get a matrix: active ones, and retired ones still holding passages
    or summaries."""
    summarised = {s.code_id for s in data.summaries}
    tops = theme_of(data.codes)
    used = {tops[c] for c in summarised if c in tops}
    return [
        c
        for c in codebook_order(data.codes)
        if c.parent_id is None and (c.active or index.of(c.id) or c.id in used)
    ]


class MatrixBuilder:
    """Builds the matrices of one layer; passages are merged once for every theme."""

    def __init__(self, data: FrameworkData) -> None:
        self.data = data
        self.labels = code_labels(data.codes)
        spans = sorted(as_spans(data.codings))  # sorting again later is then nearly free
        self.index = index_passages(data.codes, spans)
        self.quoter = Quoter(
            codes=data.codes,
            cases=data.cases,
            documents=data.documents,
            texts=data.texts,
            spans=spans,
            labels=self.labels,
        )
        self.summaries = {(s.case_id, s.code_id): s for s in data.summaries}
        self.documents = {d.id: d for d in data.documents}
        if data.cases_of is None:
            self.rows = matrix_rows(data.cases, data.documents, {s.case_id for s in data.summaries})
            self.row_of_document = {
                d: i for i, row in enumerate(self.rows) for d in row.document_ids
            }
            self.row_of_case: dict[Hashable, int] = {}
        else:
            self.rows = unit_rows(data.unit_cases or (), data.no_case_label)
            self.row_of_document = {}
            self.row_of_case = {row.case_id: i for i, row in enumerate(self.rows) if row.case_id}
        # Retired subthemes keep their column while they hold codings or summaries.
        self.used_codes = {c.code_id for c in spans} | {k[1] for k in self.summaries}

    def rows_of(self, passage: Passage) -> list[int]:
        """Rows of the cases a passage belongs to (the last row when none)."""
        cases = self.data.cases_of(passage.document_id, passage.start, passage.end)  # type: ignore[misc]
        rows = sorted({self.row_of_case[c] for c in cases if c in self.row_of_case})
        return rows or [len(self.rows) - 1]

    def themes(self) -> list[CodeRecord]:
        """Themes that get a matrix, in codebook order."""
        return matrix_themes(self.data, self.index)

    def select(self, theme_ids: Iterable[int] | None = None) -> list[CodeRecord]:
        """Themes by id in codebook order (``None``: :meth:`themes`).

        Raises:
            ValueError: When an id is not a theme of the codebook.
        """
        if theme_ids is None:
            return self.themes()
        wanted = set(theme_ids)
        themes = [c for c in codebook_order(self.data.codes) if c.parent_id is None]
        missing = wanted - {c.id for c in themes}
        if missing:
            raise ValueError(f"code {min(missing)} is not a theme")
        return [c for c in themes if c.id in wanted]

    def build(self, theme: CodeRecord) -> ThemeMatrix:
        """The matrix of one theme."""
        columns = matrix_columns(theme, self.data.codes, self.used_codes)
        grid: list[list[list[QuotedPassage]]] = [[[] for _ in columns] for _ in self.rows]
        for j, column in enumerate(columns):
            found = (
                self.index.at_theme(column.code_id)
                if column.theme_level
                else self.index.of(column.code_id)
            )
            if self.data.cases_of is not None:
                for passage in found:
                    for i in self.rows_of(passage):
                        grid[i][j].extend(self.quoter.quote([passage], column.code_id))
                continue
            for doc, passages in groupby(found, key=lambda p: p.document_id):
                row_i = self.row_of_document.get(doc)
                if row_i is not None:
                    grid[row_i][j].extend(self.quoter.quote(passages, column.code_id))
        cells = tuple(
            tuple(
                MatrixCell(
                    tuple(grid[i][j]),  # already by document and start, as passages come
                    self.summaries.get((row.case_id, column.code_id))
                    if row.case_id is not None
                    else None,
                )
                for j, column in enumerate(columns)
            )
            for i, row in enumerate(self.rows)
        )
        return ThemeMatrix(theme, tuple(columns), tuple(self.rows), cells, self.documents)


def build_matrices(
    data: FrameworkData, theme_ids: Iterable[int] | None = None
) -> list[ThemeMatrix]:
    """The matrices of the given themes (default: every theme that gets one), in codebook
    order.

    Raises:
        ValueError: When a theme id is not a theme of the codebook.
    """
    builder = MatrixBuilder(data)
    return [builder.build(theme) for theme in builder.select(theme_ids)]
