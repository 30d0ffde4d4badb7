"""Crosstabs: codes (themes or subthemes) by the values of an attribute.

Rows are codes with their coded passages (see :mod:`ketqual.core.theme_counts`); columns
are the values of one attribute of the passages' documents, focus groups or participants.
What a cell counts is chosen:

``passages``
    Coded passages of the row's code with that value. Every passage lands in exactly one
    column, so a row adds up to the code's n: a passage whose participants have different
    values goes to "(several values)", one whose participants have none to "(no value)",
    and one naming no participant to "(no participant named)".
``cases``
    Cases (focus groups, documents or participants, as the project counts them) with at
    least one such passage. A case can count in several columns; the row total counts it
    once.
``participants``
    Participants with at least one such passage, each in the column of their own value
    (for a participant attribute) or of the passage's (for a document or focus-group
    attribute). Passages naming nobody add no one.

Totals of ``passages`` are sums. Totals of ``cases`` and ``participants`` count each case or
participant once (so they can be less than the sum of the cells). Every cell keeps the
passages behind it, so the app can list exactly those.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from ketqual.core.attributes import order_values
from ketqual.core.retrieval import AttributeRef, PassageContext, PassageKey, PassageQuery, key
from ketqual.core.theme_counts import Passage

COUNTS = ("passages", "cases", "participants")
CROSSTAB_ROWS = ("themes", "subthemes")  # what a crosstab's rows can be
COUNT_NOUNS = {
    "passages": ("coded passage", "coded passages"),
    "cases": ("case", "cases"),
    "participants": ("participant", "participants"),
}
SEVERAL = "(several values)"
NO_VALUE = "(no value)"
NOBODY = "(no participant named)"
SPECIAL = (SEVERAL, NO_VALUE, NOBODY)


@dataclass(frozen=True)
class CrosstabRow:
    """A row: a theme (with its subthemes), a subtheme, or a theme's own codings."""

    code_id: int
    label: str
    theme_level: bool = False


@dataclass(frozen=True)
class Crosstab:
    """Counts of codes by attribute values.

    Attributes:
        rows: The codes, in codebook order.
        columns: The attribute's values in order, then the special columns that occur.
        cells: ``cells[row][column]`` counts.
        row_totals: Each row's total (see the module notes).
        column_totals: Each column's total.
        total: The grand total.
        count: What a cell counts (one of :data:`COUNTS`).
        attribute: The attribute's label.
        members: ``members[row][column]``: the passages behind each cell.
        notes: Facts a reader of the table should know.
    """

    rows: tuple[CrosstabRow, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    count: str
    attribute: str
    members: Sequence[Sequence[tuple[PassageKey, ...]]]
    notes: tuple[str, ...] = ()

    @property
    def noun(self) -> str:
        """What the cells count, in words ("coded passages")."""
        return COUNT_NOUNS[self.count][1]

    def row_percent(self, row: int, column: int) -> float | None:
        """The cell as a share of its row total (``None`` when the row is empty)."""
        total = self.row_totals[row]
        return 100.0 * self.cells[row][column] / total if total else None

    def column_percent(self, row: int, column: int) -> float | None:
        """The cell as a share of its column total (``None`` when the column is empty)."""
        total = self.column_totals[column]
        return 100.0 * self.cells[row][column] / total if total else None

    def maximum(self) -> int:
        """The largest cell (for heatmap shading)."""
        return max((v for row in self.cells for v in row), default=0)


def passage_column(ref: AttributeRef, context: PassageContext, passage: Passage) -> str:
    """The one column a passage counts in when cells count passages."""
    if ref.target == "participant":
        people = context.participants(passage)
        if not people:
            return NOBODY
    values = context.values(ref, passage)
    if not values:
        return NO_VALUE
    return values[0] if len(values) == 1 else SEVERAL


def _participant_values(
    ref: AttributeRef, context: PassageContext, passage: Passage
) -> list[tuple[str, str]]:
    """``(participant, column)`` for each participant a passage belongs to."""
    people = context.participants(passage)
    if ref.target == "participant":
        return [(p, context.participant_value(ref, p) or NO_VALUE) for p in people]
    value = context.document_value(ref, passage.document_id) or NO_VALUE
    return [(p, value) for p in people]


def crosstab(
    rows: Sequence[tuple[CrosstabRow, Sequence[Passage]]],
    ref: AttributeRef,
    context: PassageContext,
    count: str,
    *,
    cases_of: Callable[[Passage], Iterable[Hashable]] | None = None,
    known_values: Iterable[str] = (),
) -> Crosstab:
    """Count the rows' passages by the values of ``ref`` (see the module notes).

    Args:
        rows: Each row with its coded passages.
        ref: The attribute whose values make the columns.
        context: Documents, focus groups, participants and their values.
        count: ``passages``, ``cases`` or ``participants``.
        cases_of: The cases a passage belongs to (needed to count cases).
        known_values: Values to show even when no passage has them (a fixed list's own
            values always show).

    Raises:
        ValueError: For an unknown count, or counting cases without ``cases_of``.
    """
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)}, not '{count}'")
    if count == "cases" and cases_of is None:
        raise ValueError("counting cases needs to know each passage's cases")
    # Per row: column -> (set of counted things, list of passages behind the cell)
    tallies: list[dict[str, tuple[set, list[PassageKey]]]] = []
    notes: list[str] = []
    nobody = 0
    for _row, passages in rows:
        tally: dict[str, tuple[set, list[PassageKey]]] = {}
        for passage in passages:
            if count == "passages":
                column = passage_column(ref, context, passage)
                things, behind = tally.setdefault(column, (set(), []))
                things.add(key(passage))
                behind.append(key(passage))
            elif count == "cases":
                if ref.target == "participant":
                    people = context.participants(passage)
                    passage_columns = (
                        {c for _p, c in _participant_values(ref, context, passage)}
                        if people
                        else {NOBODY}
                    )
                else:
                    passage_columns = {context.document_value(ref, passage.document_id) or NO_VALUE}
                cases = set(cases_of(passage))  # type: ignore[misc]
                for column in passage_columns:
                    things, behind = tally.setdefault(column, (set(), []))
                    things |= cases
                    if cases:
                        behind.append(key(passage))
            else:
                pairs = _participant_values(ref, context, passage)
                if not pairs:
                    nobody += 1
                for person, column in pairs:
                    things, behind = tally.setdefault(column, (set(), []))
                    things.add(person)
                    if not behind or behind[-1] != key(passage):
                        behind.append(key(passage))
        tallies.append(tally)
    if count == "participants" and nobody:
        notes.append(f"{nobody} passage(s) name no participant and add no one")
    if count == "cases" and ref.target == "participant":
        notes.append("a case counts in every column one of its participants falls in")

    present = {c for tally in tallies for c in tally}
    listed = ref.definition.choices if ref.definition is not None else ()
    ordinary = order_values(ref.definition, [*listed, *known_values, *(present - set(SPECIAL))])
    columns = tuple(ordinary) + tuple(c for c in SPECIAL if c in present)
    cells = tuple(
        tuple(len(tally[c][0]) if c in tally else 0 for c in columns) for tally in tallies
    )
    members = tuple(
        tuple(tuple(tally[c][1]) if c in tally else () for c in columns) for tally in tallies
    )
    if count == "passages":
        row_totals = tuple(sum(r) for r in cells)
        column_totals = tuple(sum(r[j] for r in cells) for j in range(len(columns)))
        total = sum(row_totals)
    else:
        row_totals = tuple(len(set().union(*(t[0] for t in tally.values()))) for tally in tallies)
        column_totals = tuple(
            len(set().union(*(tally[c][0] for tally in tallies if c in tally))) for c in columns
        )
        total = len(set().union(*(t[0] for tally in tallies for t in tally.values())))
        if any(rt < sum(r) for rt, r in zip(row_totals, cells, strict=True)):
            notes.append("totals count each one once, so they can be less than the cells' sum")
    return Crosstab(
        rows=tuple(r for r, _p in rows),
        columns=columns,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=total,
        count=count,
        attribute=ref.label,
        members=members,
        notes=tuple(notes),
    )


def cell_query(table: Crosstab, layer: str, row: int, column: int) -> PassageQuery:
    """The coded-passages query listing exactly the passages behind one cell (``column``
    -1: the whole row).

    Raises:
        IndexError: For a cell outside the table.
    """
    if not 0 <= row < len(table.rows) or not -1 <= column < len(table.columns):
        raise IndexError("no such cell")
    columns = range(len(table.columns)) if column < 0 else [column]
    keys = frozenset(k for j in columns for k in table.members[row][j])
    code = table.rows[row]
    return PassageQuery(
        codes=(code.code_id,),
        include_subthemes=not code.theme_level,
        layer=layer,
        only=keys,
    )
