"""Crosstab counting: passages land in exactly one column, cases and participants once."""

from __future__ import annotations

import pytest

from ketqual.core import retrieval as rv
from ketqual.core.attributes import AttributeDef
from ketqual.core.model import DocumentMeta
from ketqual.core.participants import ParticipantFinder
from ketqual.core.records import CaseRecord, DocumentRecord
from ketqual.core.retrieval_crosstab import (
    NO_VALUE,
    NOBODY,
    SEVERAL,
    CrosstabRow,
    cell_query,
    crosstab,
)
from ketqual.core.theme_counts import Passage

TEXT = "- P1 spoke.\n- P2 spoke.\n- P1 and P2 spoke.\n- nobody named.\n- P3 spoke.\n"
PARAGRAPHS = [(0, 11), (12, 23), (24, 42), (43, 58), (59, 70)]


def _context():
    docs = [
        DocumentRecord(
            1,
            "d1",
            DocumentMeta("S1 G1", "scribe_notes", 1, 1),
            "a",
            "txt",
            "x",
            None,
            "t",
            "y",
            71,
            10,
        ),
        DocumentRecord(
            2,
            "d2",
            DocumentMeta("S2 G1", "scribe_notes", 2, 1),
            "b",
            "txt",
            "x",
            None,
            "t",
            "y",
            71,
            20,
        ),
    ]
    cases = [CaseRecord(10, "k1", "S1 G1", 1, 1), CaseRecord(20, "k2", "S2 G1", 2, 1)]
    return rv.PassageContext(
        docs,
        cases,
        participant_values={"P1": {"role": "patient"}, "P2": {"role": "carer"}},
        finder=ParticipantFinder({1: TEXT, 2: TEXT}, {1: PARAGRAPHS, 2: PARAGRAPHS}),
    )


ROLE = rv.AttributeRef(
    "participant",
    "role",
    "role",
    AttributeDef(1, "u", "participant", "role", "choice", ("patient", "carer", "advocate")),
)
SESSION = rv.AttributeRef("document", "session", "Session")


def p(doc, start, end):
    return Passage(doc, start, end, ())


ROWS = [
    (
        CrosstabRow(1, "Cost"),
        [p(1, 2, 5), p(1, 14, 17), p(1, 26, 30), p(1, 45, 50), p(1, 61, 64), p(2, 2, 5)],
    ),
    (CrosstabRow(2, "Stigma"), [p(2, 14, 17)]),
]


def test_passages_land_in_one_column_so_rows_add_up_to_n():
    table = crosstab(ROWS, ROLE, _context(), "passages")
    assert table.columns == ("patient", "carer", "advocate", SEVERAL, NO_VALUE, NOBODY)
    assert table.cells[0] == (2, 1, 0, 1, 1, 1)
    assert table.row_totals == (6, 1) == tuple(sum(r) for r in table.cells)
    assert table.total == 7
    assert table.column_totals == (2, 2, 0, 1, 1, 1)
    assert table.row_percent(0, 0) == pytest.approx(100 * 2 / 6)
    assert table.column_percent(0, 1) == pytest.approx(50.0)
    # the passages behind a cell are exactly those counted there
    assert table.members[0][0] == ((1, 2, 5), (2, 2, 5))
    assert table.members[0][3] == ((1, 26, 30),)


def test_known_values_show_even_when_empty_and_documents_have_one_value():
    table = crosstab(ROWS, SESSION, _context(), "passages")
    assert table.columns == ("1", "2")
    assert table.cells == ((5, 1), (0, 1))


def test_cases_count_once_per_row_and_total():
    context = _context()
    table = crosstab(
        ROWS,
        SESSION,
        context,
        "cases",
        cases_of=lambda passage: (context.documents[passage[0]].case_id,),
    )
    assert table.cells == ((1, 1), (0, 1))
    assert table.row_totals == (2, 1)
    assert table.column_totals == (1, 1)
    assert table.total == 2
    by_role = crosstab(
        ROWS,
        ROLE,
        context,
        "cases",
        cases_of=lambda passage: (context.documents[passage[0]].case_id,),
    )
    patient = by_role.columns.index("patient")
    assert by_role.cells[0][patient] == 2  # both groups have a passage naming a patient
    assert by_role.row_totals[0] == 2  # but only two groups in all
    assert any("once" in note for note in by_role.notes)


def test_participants_count_each_person_in_their_own_column():
    table = crosstab(ROWS, ROLE, _context(), "participants")
    assert dict(zip(table.columns, table.cells[0], strict=True)) == {
        "patient": 1,
        "carer": 1,
        "advocate": 0,
        NO_VALUE: 1,  # P3 has no role
    }
    assert table.row_totals[0] == 3
    assert any("name no participant" in note for note in table.notes)


def test_cell_query_lists_exactly_the_cell():
    table = crosstab(ROWS, ROLE, _context(), "passages")
    query = cell_query(table, "consensus", 0, 0)
    assert query.only == frozenset({(1, 2, 5), (2, 2, 5)})
    assert query.codes == (1,) and query.include_subthemes
    assert cell_query(table, "consensus", 0, -1).only == frozenset(
        k for column in table.members[0] for k in column
    )
    with pytest.raises(IndexError):
        cell_query(table, "consensus", 5, 0)


def test_unknown_counts_are_refused():
    with pytest.raises(ValueError):
        crosstab(ROWS, ROLE, _context(), "documents")
    with pytest.raises(ValueError):
        crosstab(ROWS, ROLE, _context(), "cases")
