from dataclasses import FrozenInstanceError

import pytest

from ketqual.core.feedback import (
    ColumnMapping,
    feedback_documents,
    guess_mapping,
    parse_label_number,
)
from ketqual.core.model import DocumentMeta, Table
from ketqual.core.units import paragraph_units, sentence_units

HEADERS = ("Session", "Grp", "Participant code", "Question", "Response")
MAPPING = ColumnMapping(
    answer="Response",
    question="Question",
    session="Session",
    group="Grp",
    participant="Participant code",
)


def make_docs(rows, mapping=MAPPING, headers=HEADERS):
    table = Table(headers=headers, rows=tuple(tuple(r) for r in rows))
    return feedback_documents(table, mapping, source_name="Feedback.XLSX", source_sha256="ab" * 32)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (HEADERS, MAPPING),
        (
            ("session no.", "Group no.", "Participant ID", "Q", "Answer"),
            ColumnMapping("Answer", "Q", "session no.", "Group no.", "Participant ID"),
        ),
        (("Comment",), ColumnMapping("Comment")),
        (
            ("  GROUP ", "Your comments", "Question asked"),
            ColumnMapping("Your comments", "Question asked", None, "  GROUP ", None),
        ),
        (("Focus group", "Feedback"), ColumnMapping("Feedback", group="Focus group")),
        (("Session", "Group"), None),
        ((), None),
    ],
)
def test_guess_mapping(headers, expected):
    assert guess_mapping(headers) == expected


def test_exact_header_beats_a_word_match():
    # "Answer" is the exact answer column even though "Feedback comments" mentions one
    assert guess_mapping(("Feedback comments", "Answer")).answer == "Answer"


def test_parse_label_number():
    for value, number in [
        ("2", 2),
        ("S2", 2),
        ("Session 2", 2),
        ("2.0", 2),
        (" g5 ", 5),
        ("Group #3", 3),
        ("Grp 4", 4),
    ]:
        assert parse_label_number(value) == number
    for value in ("", "  ", "Morning", "2.5", "Session 2 Group 1", "-1"):
        assert parse_label_number(value) is None


def test_one_document_per_session_and_group():
    rows = [
        ("S1", "3", "P3", "What worked well?", "The maps"),
        ("1", "Group 3", "P4", "What should change?", "Longer breaks"),
        ("1.0", "3.0", "", "What worked well?", "Meeting others"),
        ("Session 2", "1", "P1", "What worked well?", "Lunch"),
        ("1", "3", "P5", "What worked well?", "   "),
    ]
    docs = make_docs(rows)
    assert [(d.meta.session, d.meta.group) for d in docs] == [(1, 3), (2, 1)]
    first = docs[0]
    assert first.meta == DocumentMeta(
        title="Session 1, Group 3 – feedback sheets", kind="feedback_sheet", session=1, group=3
    )
    assert first.text == (
        "Session 1, Group 3 – feedback sheets\n\n"
        "What worked well?\nP3: The maps\n- Meeting others\n\n"
        "What should change?\nP4: Longer breaks\n"
    )
    assert (first.source_name, first.source_sha256, first.source_format) == (
        "Feedback.XLSX",
        "ab" * 32,
        "xlsx",
    )
    assert first.warnings == ()
    assert docs[1].meta.title == "Session 2, Group 1 – feedback sheets"


def test_each_answer_is_its_own_unit():
    rows = [
        ("1", "1", code, "Q1", f"answer {i}")
        for i, code in enumerate(["P1", "", "3", "Anna", "R07"])
    ]
    doc = make_docs(rows)[0]
    lines = doc.text.splitlines()
    assert lines[3:] == [
        "P1: answer 0",
        "- answer 1",
        "P3: answer 2",
        "- Anna: answer 3",
        "R07: answer 4",
    ]
    paragraphs = [doc.text[u.start : u.end] for u in paragraph_units(doc.text)]
    assert paragraphs[2:] == lines[3:]
    assert len(sentence_units(doc.text)) == len(paragraphs)


def test_rows_without_numbers_and_unparsed_values():
    rows = [
        ("", "", "P1", "Q", "a"),
        ("Morning", "2", "P2", "Q", "b"),
        ("1", "", "P3", "Q", "c"),
    ]
    docs = make_docs(rows)
    assert [(d.meta.session, d.meta.group, d.meta.title) for d in docs] == [
        (1, None, "Session 1 – feedback sheets"),
        (None, 2, "Group 2 – feedback sheets"),
        (None, None, "Feedback sheets"),
    ]
    assert docs[1].warnings == ("Row 3: session 'Morning' not understood; left blank.",)
    assert docs[2].warnings == ()


def test_minimal_mapping_ragged_rows_and_multiline_cells():
    headers = ("Comment", "Other")
    rows = [("Too\nhot\n\n in the hall",), ("", "x"), ("Fine",)]
    docs = make_docs(rows, ColumnMapping(answer="Comment"), headers)
    assert len(docs) == 1
    assert docs[0].text == "Feedback sheets\n\n- Too hot in the hall\n- Fine\n"


def test_header_matching_tolerates_case_and_spaces():
    docs = make_docs([("x", "y")], ColumnMapping(answer=" answer "), ("Answer", "Other"))
    assert docs[0].text.endswith("- x\n")


def test_missing_header_raises_plain_message():
    with pytest.raises(ValueError, match="no column 'Reply'"):
        make_docs([], ColumnMapping(answer="Reply"))


def test_empty_table_gives_no_documents():
    assert make_docs([]) == []
    assert make_docs([("1", "1", "P1", "Q", "")]) == []


def test_source_format_fallbacks():
    table = Table(headers=("Answer",), rows=(("x",),))
    mapping = ColumnMapping("Answer")
    assert (
        feedback_documents(table, mapping, source_name="sheet", source_sha256="0")[0].source_format
        == "table"
    )
    docs = feedback_documents(
        table, mapping, source_name="a.csv", source_sha256="0", source_format="ods"
    )
    assert docs[0].source_format == "ods"


def test_mapping_is_frozen():
    with pytest.raises(FrozenInstanceError):
        MAPPING.answer = "x"  # type: ignore[misc]
