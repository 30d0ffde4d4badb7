"""Feedback sheets with several answer columns, three layouts, and every other column kept
as a participant attribute (never dropped silently, never a name)."""

from __future__ import annotations

import pytest

from ketqual.core import feedback
from ketqual.core.model import Table
from ketqual.core.retrieval import PassageQuery
from ketqual.ops import queries
from ketqual.ops.attributes import attribute_ops
from ketqual.ops.importing import import_ops
from ketqual.ops.retrieval import passage_ops
from ketqual.ops.team import coder_ops
from tests.factories import add_codings, make_project

WIDE = (
    "Session,Group,Participant,Age,Role,Name,What worried you most?,What support would you want?\n"
    "1,2,P7,34,carer,Ann Example,Being judged.,A peer.\n"
    "1,2,8,51,patient,Bob Example,My bladder.,\n"
    "1,3,P9,,patient,,,Someone to ring at night.\n"
    "1,3,P7,35,carer,,,\n"
)


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    yield project
    project.close()


def test_question_headers_are_answer_columns():
    headers = ("Participant", "Age", "What worried you most?", "What support would you want?")
    mapping = feedback.guess_mapping(headers)
    assert mapping.answer_columns == ("What worried you most?", "What support would you want?")
    assert mapping.participant == "Participant"


def test_columns_are_read_from_text_and_bad_ones_explained():
    mapping = feedback.parse_mapping(
        "participant=ID,answer=Q1,answer=Q2,layout=participant,keep=Age"
    )
    assert (mapping.answer_columns, mapping.layout, mapping.keep) == (
        ("Q1", "Q2"),
        "participant",
        ("Age",),
    )
    for bad, message in [
        ("participant=ID", "must name an answer column"),
        ("answer=A,colour=B", "cannot read 'colour=B'"),
        ("answer=A,layout=table", "layout is one of group, question, participant"),
        ("answer=A,layout=participant", "needs the participant column"),
    ]:
        with pytest.raises(ValueError, match=message):
            feedback.parse_mapping(bad)


def test_three_layouts_from_one_wide_sheet():
    rows = [tuple(line.split(",")) for line in WIDE.splitlines()]
    table = Table(rows[0], tuple(rows[1:]))
    base = feedback.guess_mapping(table.headers)
    by_group = feedback.feedback_sheet(table, base, source_name="f.csv", source_sha256="x")
    assert [d.meta.title for d in by_group.drafts] == [
        "Session 1, Group 2 – feedback sheets",
        "Session 1, Group 3 – feedback sheets",
    ]
    first = by_group.drafts[0].text
    assert "What worried you most?\nP7: Being judged.\nP8: My bladder." in first
    assert "What support would you want?\nP7: A peer." in first
    assert by_group.participant_attributes == {
        "P7": {"Age": "34", "Role": "carer"},
        "P8": {"Age": "51", "Role": "patient"},
        "P9": {"Role": "patient"},
    }
    assert any("Name" in w and "identify" in w for w in by_group.warnings)
    assert any("P7 has two values for 'Age'" in w for w in by_group.warnings)
    assert not any("Ann Example" in d.text for d in by_group.drafts)

    by_question = feedback.feedback_sheet(
        table,
        feedback.ColumnMapping(**{**base.__dict__, "layout": "question"}),
        source_name="f.csv",
        source_sha256="x",
    )
    assert len(by_question.drafts) == 3  # (group 2: two questions) + (group 3: one)
    assert by_question.drafts[0].meta.title.endswith("What worried you most?")

    by_person = feedback.feedback_sheet(
        table,
        feedback.ColumnMapping(**{**base.__dict__, "layout": "participant"}),
        source_name="f.csv",
        source_sha256="x",
    )
    assert by_person.owners == ["P7", "P8", "P9"]
    p7 = by_person.drafts[0]
    assert p7.meta.title == "P7 – feedback sheet" and (p7.meta.session, p7.meta.group) == (1, 2)
    assert (
        "What worried you most?\nBeing judged.\n\nWhat support would you want?\nA peer." in p7.text
    )


def test_without_a_participant_column_other_columns_are_reported_not_dropped_silently():
    table = Table(("Group", "Age", "Answer"), (("2", "40", "Fine."),))
    sheet = feedback.feedback_sheet(
        table, feedback.guess_mapping(table.headers), source_name="f", source_sha256="x"
    )
    assert sheet.participant_attributes == {}
    assert any("columns not kept (Age)" in w for w in sheet.warnings)


def test_importing_keeps_attributes_and_passages_follow_them(project, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(WIDE, encoding="utf-8")
    [result] = import_ops.import_files(project, [path]).results
    assert result.status == "imported", result.reason
    assert any("kept as participant attributes" in w for w in result.warnings)
    assert attribute_ops.participant_values(project, "age") == {"P7": 34, "P8": 51}
    assert attribute_ops.participant_values(project, "role") == {
        "P7": "carer",
        "P8": "patient",
        "P9": "patient",
    }
    [group_2, _group_3] = [row.record for row in queries.list_documents(project)]
    text = queries.document_text(project, group_2.id)
    start = text.index("My bladder.")
    with project.transaction() as tx:
        code = next(c.id for c in tx.codes.list() if c.name == "Side-effects")
        boss = tx.coders.add("Sup", "supervisor")
    add_codings(project, group_2.id, code, None, [(start, start + 11)])
    coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
    found = passage_ops.find_passages(
        project, PassageQuery(codes=("Side-effects",), where=(("role", "patient"),))
    )
    assert [p.participants for p in found.passages] == [("P8",)]


def test_one_document_per_participant_belongs_to_them(project, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(WIDE, encoding="utf-8")
    options = import_ops.ImportOptions(
        feedback_mapping=feedback.parse_mapping(
            "participant=Participant,session=Session,group=Group,answer=What worried you most?,"
            "answer=What support would you want?,layout=participant"
        )
    )
    [result] = import_ops.import_files(project, [path], options).results
    assert result.status == "imported", result.reason
    docs = [row.record for row in queries.list_documents(project)]
    assert [d.meta.title for d in docs] == [
        "P7 – feedback sheet",
        "P8 – feedback sheet",
        "P9 – feedback sheet",
    ]
    table = attribute_ops.attribute_table(project, "document")
    owner = next(a for a in table.attributes if a.name == "participant")
    assert [table.value(d.id, owner.id) for d in docs] == ["P7", "P8", "P9"]


def test_unmapped_sheets_say_how_to_map(project, tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("Colour,Votes\nred,3\n", encoding="utf-8")
    [result] = import_ops.import_files(project, [path]).results
    assert result.status == "failed"
    assert (
        "headers are: Colour, Votes" in result.reason and "--columns answer=HEADER" in result.reason
    )
    assert "Map columns" in result.reason
