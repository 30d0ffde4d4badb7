"""Crosstabs of big projects with numpy: the counts of
:func:`ketqual.core.retrieval_crosstab.crosstab` (a test checks they agree), for cells
counting coded passages, and cases when a case is a focus group or a document.

Passages come from the theme-overlap network's own counting
(:class:`ketqual.core.network_counting.Layer`): every document on one global line, the
codings of a row merged in one sorted sweep. A passage's column comes from its document
(a document's or focus group's attribute) or from the participants it names: mentions and
paragraph units are placed on the same global line, each passage is widened to the
paragraphs it touches, and prefix sums count, per value, the mentions of participants with
that value inside it. The rule is :mod:`ketqual.core.participants`'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ketqual.core import network_counting as counting
from ketqual.core.attributes import order_values
from ketqual.core.participants import extra_regex, find_labels
from ketqual.core.records import DocumentRecord
from ketqual.core.retrieval import AttributeRef, PassageContext, PassageKey
from ketqual.core.retrieval_crosstab import (
    NO_VALUE,
    NOBODY,
    SEVERAL,
    Crosstab,
    CrosstabRow,
)


@dataclass(frozen=True)
class RowPassages:
    """One row's passages as arrays: document index (in the layer's order), start, end."""

    row: CrosstabRow
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray


class FastLayer:
    """A layer's codings placed for numpy, and each row's passages.

    Args:
        documents: Every document (their order is the layer's document index).
        codings: ``(document_id, start, end, code_id, ...)`` rows of one layer.
        theme_of: Each code id -> its theme id.
    """

    def __init__(
        self,
        documents: Sequence[DocumentRecord],
        codings: Sequence[Sequence],
        theme_of: Mapping[int, int],
    ) -> None:
        self.documents = list(documents)
        rows = [(r[0], r[3], r[1], r[2]) for r in codings if r[3] in theme_of]
        self.layer = counting.Layer(self.documents, rows, set(theme_of))
        self.row_theme = np.array([theme_of[c] for c in self.layer.code.tolist()], dtype=np.int64)

    def passages(self, row: CrosstabRow, mask: np.ndarray) -> RowPassages:
        """The merged passages of the codings selected by ``mask``."""
        starts, ends = self.layer.passages(mask)
        stride = self.layer.stride
        doc = starts // stride
        return RowPassages(row, doc, starts - doc * stride, ends - doc * stride)

    def theme(self, row: CrosstabRow) -> RowPassages:
        """A theme's passages (its own codings and its subthemes')."""
        return self.passages(row, self.row_theme == row.code_id)

    def code(self, row: CrosstabRow) -> RowPassages:
        """One code's own passages (a subtheme, or a theme's theme-level codings)."""
        return self.passages(row, self.layer.code == row.code_id)


class ParticipantColumns:
    """Which value column each passage falls in for a participant attribute."""

    def __init__(
        self,
        documents: Sequence[DocumentRecord],
        texts: Mapping[int, str],
        paragraphs: Mapping[int, Sequence[tuple[int, int]]],
        stride: int,
        label_value: Mapping[str, int],
        known: Sequence[str] = (),
    ) -> None:
        extra = extra_regex(known)
        spans_parts, position_parts, value_parts = [], [], []
        get = label_value.get
        for k, document in enumerate(documents):
            base = k * stride
            doc_spans = paragraphs.get(document.id)
            if doc_spans:
                spans_parts.append(np.asarray(doc_spans, dtype=np.int64).reshape(-1, 2) + base)
            found = find_labels(texts.get(document.id, ""), extra)
            if found:
                position_parts.append(
                    np.fromiter((p for p, _l in found), np.int64, len(found)) + base
                )
                value_parts.append(
                    np.fromiter((get(lab, -1) for _p, lab in found), np.int64, len(found))
                )
        spans = np.concatenate(spans_parts) if spans_parts else np.zeros((0, 2), dtype=np.int64)
        spans = spans[np.argsort(spans[:, 0], kind="stable")]
        self.p_start, self.p_end = spans[:, 0].copy(), spans[:, 1].copy()
        self.m_pos = np.concatenate(position_parts) if position_parts else np.zeros(0, np.int64)
        m_value = np.concatenate(value_parts) if value_parts else np.zeros(0, np.int64)
        self.n_values = max(label_value.values(), default=-1) + 1
        # per value: how many mentions of it up to each position (a leading 0)
        self.cumulative = np.zeros((self.n_values, self.m_pos.size + 1), dtype=np.int64)
        for v in range(self.n_values):
            self.cumulative[v, 1:] = np.cumsum(m_value == v)
        self.stride = stride

    def columns(self, rows: RowPassages) -> np.ndarray:
        """Per passage: a value index, or -1 several values, -2 no value, -3 nobody named."""
        base = rows.doc * self.stride
        start, end = base + rows.start, base + rows.end
        n = self.p_start.size
        first = np.searchsorted(self.p_end, start, side="right")
        last = np.searchsorted(self.p_start, end, side="left") - 1
        ok = (first <= last) & (first < n)
        first_c, last_c = np.clip(first, 0, max(n - 1, 0)), np.clip(last, 0, max(n - 1, 0))
        lo = np.where(ok, np.minimum(start, self.p_start[first_c] if n else start), start)
        hi = np.where(ok, np.maximum(end, self.p_end[last_c] if n else end), end)
        a = np.searchsorted(self.m_pos, lo, side="left")
        b = np.searchsorted(self.m_pos, hi, side="left")
        named = b > a
        counts = self.cumulative[:, b] - self.cumulative[:, a]  # values x passages
        present = counts > 0
        kinds = present.sum(axis=0)
        out = np.where(kinds == 1, present.argmax(axis=0), -1)
        out = np.where(kinds == 0, -2, out)
        return np.where(named, out, -3)


def passage_crosstab(
    rows: Sequence[RowPassages],
    ref: AttributeRef,
    context: PassageContext,
    documents: Sequence[DocumentRecord],
    *,
    participants: ParticipantColumns | None = None,
    values: Sequence[str] = (),
    owned: Mapping[int, bool] | None = None,
    cases_of_document: Sequence[int] | None = None,
) -> Crosstab:
    """A crosstab of passages (or, with ``cases_of_document``, of cases) by ``ref``.

    Args:
        rows: Each row's passages.
        ref: The attribute.
        context: Values and participants (passages in documents that belong to a
            participant as a whole are placed by it, one by one).
        documents: The documents in the layer's order.
        participants: For a participant attribute: the placed mentions.
        values: For a participant attribute: its values, by the index ``participants``
            uses.
        owned: Document index -> whether the document belongs to a participant.
        cases_of_document: Count cases: each document's case (in the layer's order;
            negative for none) instead of passages.
    """
    owned = owned or {}
    if ref.target == "participant":
        names = list(values)
    else:
        doc_values = [context.document_value(ref, d.id) for d in documents]
        names = list(dict.fromkeys(v for v in doc_values if v is not None))
        doc_column = np.array(
            [names.index(v) if v is not None else -2 for v in doc_values], dtype=np.int64
        )
    specials = {-1: SEVERAL, -2: NO_VALUE, -3: NOBODY}
    per_row: list[np.ndarray] = []
    for row in rows:
        if ref.target == "participant":
            column = (
                participants.columns(row) if participants is not None else np.full(row.doc.size, -3)
            )
            for i in np.flatnonzero([owned.get(int(d), False) for d in row.doc.tolist()]):
                key = (documents[int(row.doc[i])].id, int(row.start[i]), int(row.end[i]))
                found = context.values(ref, key)
                if not context.participants(key):
                    column[i] = -3
                elif not found:
                    column[i] = -2
                elif len(found) > 1:
                    column[i] = -1
                else:
                    column[i] = names.index(found[0]) if found[0] in names else -2
        else:
            column = doc_column[row.doc] if row.doc.size else np.zeros(0, dtype=np.int64)
        per_row.append(column)
    present = {int(c) for column in per_row for c in np.unique(column)}
    ordinary_names = [names[i] for i in sorted(c for c in present if c >= 0)]
    listed = ref.definition.choices if ref.definition is not None else ()
    ordered = order_values(ref.definition, [*listed, *ordinary_names])
    labels = tuple(ordered) + tuple(specials[c] for c in (-1, -2, -3) if c in present)
    position = {name: j for j, name in enumerate(labels)}
    # a lookup table from (value index + 3) to the column, specials at 0-2
    table = np.full(len(names) + 3, -1, dtype=np.int64)
    for v, name in enumerate(names):
        table[v + 3] = position.get(name, -1)
    for code, name in specials.items():
        if name in position:
            table[code + 3] = position[name]
    mapped_rows = [table[column + 3] for column in per_row]
    width = len(labels)
    if cases_of_document is None:
        cells = tuple(
            tuple(np.bincount(m, minlength=width).tolist()) if m.size else (0,) * width
            for m in mapped_rows
        )
        row_totals = tuple(sum(r) for r in cells)
        column_totals = tuple(sum(r[j] for r in cells) for j in range(width))
        total = sum(row_totals)
        notes: tuple[str, ...] = ()
    else:
        case_of = np.asarray(cases_of_document, dtype=np.int64)
        cell_sets, row_sets = [], []
        for row, m in zip(rows, mapped_rows, strict=True):
            cases = case_of[row.doc] if row.doc.size else np.zeros(0, dtype=np.int64)
            keep = cases >= 0
            pairs = {
                (int(c), int(k))
                for c, k in zip(m[keep].tolist(), cases[keep].tolist(), strict=True)
            }
            cell_sets.append([{k for c, k in pairs if c == j} for j in range(width)])
            row_sets.append({k for _c, k in pairs})
        cells = tuple(tuple(len(s) for s in sets) for sets in cell_sets)
        row_totals = tuple(len(s) for s in row_sets)
        column_totals = tuple(
            len(set().union(*(sets[j] for sets in cell_sets))) for j in range(width)
        )
        total = len(set().union(*row_sets))
        notes = (
            ("totals count each one once, so they can be less than the cells' sum",)
            if any(t < sum(r) for t, r in zip(row_totals, cells, strict=True))
            else ()
        )
    return Crosstab(
        rows=tuple(r.row for r in rows),
        columns=labels,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=total,
        count="passages" if cases_of_document is None else "cases",
        attribute=ref.label,
        members=CellMembers(rows, mapped_rows, documents, width),
        notes=notes,
    )


class CellMembers(Sequence):
    """The passages behind each cell, made into keys only when a cell is asked for:
    ``members[row][column]`` is a tuple of ``(document id, start, end)``."""

    def __init__(self, rows, columns, documents, width: int) -> None:
        self._rows = rows
        self._columns = columns
        self._ids = np.array([d.id for d in documents], dtype=np.int64)
        self._width = width

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def width(self) -> int:
        """How many columns each row has."""
        return self._width

    def __getitem__(self, row: int):  # type: ignore[override]
        return _RowMembers(self, row)

    def keys(self, row: int, column: int) -> tuple[PassageKey, ...]:
        """The passages of one cell."""
        found = self._rows[row]
        picked = self._columns[row] == column
        ids = self._ids[found.doc[picked]].tolist()
        return tuple(
            zip(ids, found.start[picked].tolist(), found.end[picked].tolist(), strict=True)
        )


class _RowMembers(Sequence):
    def __init__(self, members: CellMembers, row: int) -> None:
        self._members = members
        self._row = row

    def __len__(self) -> int:
        return self._members.width

    def __getitem__(self, column: int):  # type: ignore[override]
        if not 0 <= column < len(self):
            raise IndexError(column)
        return self._members.keys(self._row, column)


def placement_values(
    ref: AttributeRef, participant_values: Mapping[str, Mapping[str, str]]
) -> tuple[list[str], dict[str, int]]:
    """A participant attribute's values (in order) and each participant's value index."""
    found = {
        label: value
        for label, values in participant_values.items()
        if (value := values.get(ref.name.casefold()))
    }
    names = order_values(ref.definition, found.values())
    index = {v: i for i, v in enumerate(names)}
    return names, {label: index[v] for label, v in found.items()}
