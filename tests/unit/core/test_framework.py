"""Building framework matrices from plain records: rows, columns, cells, reference ids."""

from __future__ import annotations

import pytest

from ketqual.core import framework, framework_quotes
from tests.unit.core.framework_data import (
    CASES,
    CODES,
    DOCUMENTS,
    TEXT,
    case,
    code,
    coding,
    data,
    doc,
    summary,
)


def monitoring(codings, summaries=()):
    return framework.build_matrices(data(codings, summaries), [1])[0]


def test_rows_are_cases_by_session_then_group_with_no_case_last():
    matrix = monitoring([])
    assert [r.label for r in matrix.rows] == ["S1 G1", "S1 G3", "S2 G1", "G4", "No case"]
    assert [r.case_id for r in matrix.rows] == [6, 4, 5, 9, None]
    assert matrix.rows[0].document_ids == (12, 13)
    assert matrix.rows[1].sources == "scribe notes by scribe 3; feedback sheets"
    assert matrix.rows[-1].document_ids == (15,)
    assert (matrix.rows[1].session, matrix.rows[1].group) == (1, 3)


def test_a_case_without_documents_gets_a_row_only_when_it_has_a_summary():
    matrix = monitoring([], [summary(8, 11, "kept")])
    assert [r.label for r in matrix.rows] == ["S1 G1", "S1 G3", "S2 G1", "S3 G3", "G4", "No case"]


def test_columns_are_subthemes_in_codebook_order_then_theme_level():
    matrix = monitoring([])
    assert [(c.code_id, c.label, c.theme_level) for c in matrix.columns] == [
        (12, "National system", False),
        (11, "Safety review", False),
        (1, "Other (theme-level)", True),
    ]
    cost = framework.build_matrices(data([]), [2])[0]
    assert [(c.code_id, c.label) for c in cost.columns] == [(2, "Whole theme")]


def test_retired_codes_appear_only_while_they_hold_codings():
    matrices = framework.build_matrices(data([]))
    assert [m.theme.name for m in matrices] == ["Monitoring", "Cost"]  # Stigma is retired
    with_old = framework.build_matrices(data([coding(10, 13, 0, 5), coding(10, 3, 0, 5)]))
    assert [m.theme.name for m in with_old] == ["Monitoring", "Cost", "Stigma"]
    assert "Old idea" in [c.label for c in with_old[0].columns]


def test_cells_hold_their_passages_with_text_line_codes_and_reference():
    safety = [coding(10, 11, 60, 80), coding(10, 11, 75, 106)]  # one passage
    theme_level = [coding(10, 1, 100, 161)]
    cost = [coding(10, 2, 90, 120)]
    matrix = monitoring(safety + theme_level + cost + [coding(15, 12, 2, 20)])
    s1g3 = matrix.rows.index(next(r for r in matrix.rows if r.label == "S1 G3"))
    (passage,) = matrix.cell(s1g3, 1).passages
    assert passage.ref == "S1G3-N-60-106"
    assert passage.text == TEXT[60:106].strip()
    assert passage.line == 2
    assert passage.coding_uids == tuple(c.uid for c in safety)
    assert passage.codes == ("Monitoring/Safety review", "Monitoring", "Cost")
    assert passage.other_codes == ("Monitoring", "Cost")
    (other,) = matrix.cell(s1g3, 2).passages
    assert (other.ref, other.line) == ("S1G3-N-100-161", 2)
    assert other.codes == ("Monitoring", "Monitoring/Safety review", "Cost")
    assert matrix.cell(s1g3, 0).passages == ()
    (orphan,) = matrix.cell(len(matrix.rows) - 1, 0).passages
    assert orphan.ref == "D15-N-2-20" and orphan.text == TEXT[2:20].strip()
    assert [p.ref for p in matrix.passages()] == [
        "S1G3-N-60-106",
        "S1G3-N-100-161",
        "D15-N-2-20",
    ]


def test_passages_of_a_row_come_by_document_then_position():
    matrix = monitoring([coding(13, 11, 0, 10), coding(12, 11, 58, 70), coding(12, 11, 0, 5)])
    refs = [p.ref for p in matrix.cell(0, 1).passages]
    assert refs == ["S1G1-N-0-5", "S1G1-N-58-70", "S1G1-N2-0-10"]


def test_summaries_sit_in_their_cells_and_never_in_the_no_case_row():
    stored = summary(6, 1, "theme-level talk")
    matrix = monitoring([], [stored, summary(4, 2, "cost, other matrix")])
    assert matrix.cell(0, 2).summary == stored
    assert all(c.summary is None for row in matrix.cells[1:] for c in row)


def test_reference_ids_name_case_kind_and_position():
    tags = framework_quotes.document_tags(CASES, DOCUMENTS)
    assert tags == {
        10: "S1G3-N",
        11: "S1G3-F",
        12: "S1G1-N",
        13: "S1G1-N2",
        14: "S2G1-O",
        15: "D15-N",
        16: "G4-N",
    }


def test_a_reference_id_stays_when_other_codings_come_and_go():
    first = monitoring([coding(10, 11, 60, 106)])
    later = monitoring([coding(10, 11, 60, 106), coding(10, 12, 60, 80), coding(11, 11, 0, 9)])
    assert first.cell(1, 1).passages[0].ref == later.cell(1, 1).passages[0].ref
    assert later.cell(1, 0).passages[0].ref == "S1G3-N-60-80"  # same start, its own id


def test_choosing_themes_keeps_codebook_order_and_refuses_a_subtheme():
    assert [m.theme.id for m in framework.build_matrices(data([]), [2, 1])] == [1, 2]
    with pytest.raises(ValueError, match="not a theme"):
        framework.build_matrices(data([]), [11])


def test_code_labels_are_theme_slash_subtheme():
    labels = framework.code_labels(CODES)
    assert labels[1] == "Monitoring" and labels[11] == "Monitoring/Safety review"


def test_offsets_are_code_points_so_emoji_count_once():
    text = "😟 first line\nsecond “line” é\n"
    d = framework.FrameworkData(
        [code(1, None, "T", 1)], [case(1, 1, 1)], [doc(1, 1)], {1: text}, [coding(1, 1, 13, 28)]
    )
    (p,) = framework.build_matrices(d)[0].cell(0, 0).passages
    assert (p.text, p.line, p.ref) == ("second “line” é", 2, "S1G1-N-13-28")
