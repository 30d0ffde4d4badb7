"""Attributes of participants, documents and focus groups; files in and out; case units.
Run on a file and on a throw-away PostgreSQL server alike."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from ketqual.core.retrieval import PassageQuery
from ketqual.ops import project_ops
from ketqual.ops.attributes import attribute_ops, case_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.retrieval import crosstab_ops, passage_ops, report_ops, star_ops
from ketqual.ops.team import coder_ops
from tests.factories import add_codings, add_document

NOTES_1 = "- P1 worried about cost.\n- P2 (carer) drives her home.\n- P1 and P2 agreed.\n"
NOTES_2 = "- P3 said therapy helps.\n- nobody named here, cost again.\n"


@pytest.fixture
def project(project_target):
    project = project_ops.new_project(project_target, actor="tester")
    d1 = add_document(project, NOTES_1, session=1, group=1)
    d2 = add_document(project, NOTES_2, session=1, group=2)
    with project.transaction() as tx:
        codes = {c.name: c.id for c in tx.codes.list()}
        boss = tx.coders.add("Sup", "supervisor")
    cost, therapy = codes["Cost"], codes["Therapy"]
    add_codings(project, d1, cost, None, [(2, 23), (46, 64)])
    add_codings(project, d2, cost, None, [(48, 58)])
    add_codings(project, d2, therapy, None, [(2, 23)])
    coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
    project.ids = {"d1": d1, "d2": d2, "cost": cost, "therapy": therapy}
    yield project
    project.close()


def test_define_set_and_read_typed_values(project):
    role = attribute_ops.define_attribute(
        project, "participant", "role", "choice", ["patient", "carer"]
    ).details["attribute"]
    age = attribute_ops.define_attribute(project, "participant", "age", "number").details[
        "attribute"
    ]
    seen = attribute_ops.define_attribute(project, "participant", "first seen", "date").details[
        "attribute"
    ]
    attribute_ops.set_value(project, role.id, "p1", "Patient")
    attribute_ops.set_value(project, role.id, "P2", "carer")
    attribute_ops.set_value(project, age.id, "P2", "54")
    attribute_ops.set_value(project, seen.id, "P1", "17/03/2018")
    assert attribute_ops.participant_values(project, "role") == {"P1": "patient", "P2": "carer"}
    assert attribute_ops.participant_values(project, "age") == {"P2": 54}
    assert attribute_ops.participant_values(project, "first seen") == {"P1": date(2018, 3, 17)}
    with pytest.raises(OperationError, match="'role' takes one of: patient, carer"):
        attribute_ops.set_value(project, role.id, "P3", "nurse")
    with pytest.raises(OperationError, match="already have an attribute"):
        attribute_ops.define_attribute(project, "participant", "Role")
    with pytest.raises(OperationError, match="no participant attribute called 'colour'"):
        attribute_ops.participant_values(project, "colour")
    cleared = attribute_ops.set_value(project, age.id, "P2", "")
    assert cleared.details == {"before": "54", "after": None, "changed": True, "subject": "P2"}
    table = attribute_ops.attribute_table(project, "participant")
    labels = [s.label for s in table.subjects]
    assert labels == ["P1", "P2", "P3"]  # P3 is named in the notes only
    assert [s.stored for s in table.subjects] == [True, True, False]


def test_changing_a_type_converts_or_refuses(project):
    made = attribute_ops.define_attribute(project, "participant", "group size").details["attribute"]
    attribute_ops.set_value(project, made.id, "P1", "7")
    attribute_ops.set_value(project, made.id, "P2", "six")
    with pytest.raises(OperationError, match="takes a number, not 'six'"):
        attribute_ops.change_attribute(project, made.id, kind="number")
    attribute_ops.set_value(project, made.id, "P2", "6")
    attribute_ops.change_attribute(project, made.id, kind="number", name="size")
    assert attribute_ops.participant_values(project, "size") == {"P1": 7, "P2": 6}
    listed = attribute_ops.change_attribute(project, made.id, kind="choice").details["attribute"]
    assert listed.choices == ("6", "7")
    attribute_ops.remove_attribute(project, made.id)
    assert attribute_ops.list_attributes(project, "participant") == []


def test_import_export_round_trip_and_all_or_nothing(project, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text(
        "Participant,Role,Age,Consent\n1,carer,40,yes\np2,patient,55,no\nP7,carer,,yes\n",
        encoding="utf-8",
    )
    change = attribute_ops.import_attributes(project, "participant", source)
    assert change.details["rows"] == 3
    assert sorted(change.details["created"]) == [
        "Age (number)",
        "Consent (yes/no)",
        "Role (fixed list)",
    ]
    assert attribute_ops.participant_values(project, "age") == {"P1": 40, "P2": 55}
    assert attribute_ops.participant_values(project, "consent") == {
        "P1": True,
        "P2": False,
        "P7": True,
    }
    out = tmp_path / "out.csv"
    attribute_ops.export_attributes(project, "participant", out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["participant", "Role", "Age", "Consent"]
    assert ["P1", "carer", "40", "yes"] in rows and ["P3", "", "", ""] in rows
    xlsx = tmp_path / "out.xlsx"
    attribute_ops.export_attributes(project, "participant", xlsx)
    again = attribute_ops.import_attributes(project, "participant", xlsx)
    assert again.details["changed"] == 0  # reading back what was written changes nothing
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "participant,Age,Role\nP1,41,carer\nP2,old,carer\nP3,30,astronaut\n", encoding="utf-8"
    )
    with pytest.raises(OperationError) as refused:
        attribute_ops.import_attributes(project, "participant", bad)
    assert "row 3: 'Age' takes a number, not 'old'" in str(refused.value)
    assert "row 4" in str(refused.value)
    assert attribute_ops.participant_values(project, "age")["P1"] == 40  # nothing changed


def test_document_and_focus_group_attributes(project, tmp_path):
    docs = tmp_path / "docs.csv"
    attribute_ops.export_attributes(project, "document", docs)
    text = docs.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["document_uid", "document", "session", "group", "kind"]
    rows[0].append("setting")
    rows[1].append("clinic")
    rows[2].append("online")
    docs.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    attribute_ops.import_attributes(project, "document", docs)
    groups = tmp_path / "groups.csv"
    groups.write_text("focus group,venue\nS1 G1,hall\nS1 G2,library\n", encoding="utf-8")
    attribute_ops.import_attributes(project, "case", groups)
    by_setting = crosstab_ops.compute_crosstab(project, columns="setting")
    assert by_setting.table.columns == ("clinic", "online")
    by_venue = crosstab_ops.compute_crosstab(project, columns="venue")
    assert by_venue.table.columns == ("hall", "library")
    nowhere = tmp_path / "nowhere.csv"
    nowhere.write_text("focus group,venue\nS9 G9,moon\n", encoding="utf-8")
    with pytest.raises(OperationError, match="no focus group called 'S9 G9'"):
        attribute_ops.import_attributes(project, "case", nowhere)


def test_participant_attributes_reach_passages_crosstabs_and_mentions(project):
    role = attribute_ops.define_attribute(
        project, "participant", "role", "choice", ["patient", "carer"]
    ).details["attribute"]
    attribute_ops.set_value(project, role.id, "P1", "patient")
    attribute_ops.set_value(project, role.id, "P2", "carer")
    found = passage_ops.find_passages(
        project, PassageQuery(codes=("Cost",), where=(("role", "carer"),))
    )
    assert [p.participants for p in found.passages] == [("P1", "P2")]
    view = crosstab_ops.compute_crosstab(project, columns="role")
    cost = view.table.rows.index(next(r for r in view.table.rows if r.label == "Cost"))
    assert dict(zip(view.table.columns, view.table.cells[cost], strict=True)) == {
        "patient": 1,
        "carer": 0,
        "(several values)": 1,
        "(no value)": 0,  # P3 (no role) is in the Therapy row
        "(no participant named)": 1,
    }
    assert view.table.row_totals[cost] == 3
    mentions = attribute_ops.participant_mentions(project, "p2")
    assert [m.text for m in mentions] == ["- P2 (carer) drives her home.", "- P1 and P2 agreed."]


def test_the_case_unit_decides_what_cases_count(project):
    focus = crosstab_ops.compute_crosstab(project, columns="session", count="cases")
    assert (
        focus.table.row_totals[
            focus.table.rows.index(next(r for r in focus.table.rows if r.label == "Cost"))
        ]
        == 2
    )
    change = case_ops.set_case_unit(project, "participant")
    assert change.details["cases"] == 3  # P1, P2, P3 named in the notes
    people = crosstab_ops.compute_crosstab(project, columns="session", count="cases")
    row = next(i for i, r in enumerate(people.table.rows) if r.label == "Cost")
    assert people.table.row_totals[row] == 2  # P1 and P2 (the third Cost passage names nobody)
    assert "participants" in people.header
    case_ops.set_case_unit(project, "document")
    assert case_ops.case_unit(project) == "document"
    with pytest.raises(OperationError, match="a case is one of"):
        case_ops.set_case_unit(project, "household")


def test_stars_and_report_on_either_backend(project, tmp_path):
    found = passage_ops.find_passages(project, PassageQuery(codes=("Therapy",)))
    [quote] = found.passages
    star_ops.star_refs(project, [quote.ref], "Therapy")
    report = report_ops.build_theme_report(project)
    therapy = next(s for s in report.sections if s.name == "Therapy")
    assert therapy.n == 1 and therapy.quotes[0].participants == ("P3",)
    assert therapy.groups == (("S1 G2", 1),) and therapy.sessions == (("Session 1", 1, 1),)
    report_ops.export_theme_report(project, tmp_path / "report.html")
    assert "P3 said therapy helps" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_framework_matrices_and_counts_follow_the_case_unit(project):
    from ketqual.ops.framework import framework_ops

    focus = framework_ops.build_report(project, themes=["Cost"]).matrices[0]
    assert [r.label for r in focus.rows] == ["S1 G1", "S1 G2"]
    case_ops.set_case_unit(project, "document")
    by_document = framework_ops.build_report(project, themes=["Cost"])
    matrix = by_document.matrices[0]
    assert [r.label for r in matrix.rows] == ["S1 G1", "S1 G2", "No document case"]
    assert by_document.counts.cases_label == "documents"
    case_ops.set_case_unit(project, "participant")
    report = framework_ops.build_report(project, themes=["Cost"])
    matrix = report.matrices[0]
    assert [r.label for r in matrix.rows] == ["P1", "P2", "P3", "No participant named"]
    column = next(j for j, c in enumerate(matrix.columns) if c.theme_level)
    per_row = [len(row[column].passages) for row in matrix.cells]
    assert per_row == [2, 1, 0, 1]  # "P1 and P2 agreed" belongs to both
    # a participant's cell takes a summary like a focus group's
    p2 = matrix.rows[1]
    framework_ops.set_summary(
        project,
        case_id=p2.case_id,
        code_id=matrix.columns[column].code_id,
        text="Drives her home; agreed on cost.",
    )
    again = framework_ops.build_report(project, themes=["Cost"]).matrices[0]
    assert again.cells[1][column].summary.text == "Drives her home; agreed on cost."
    counts, _names = framework_ops.count_themes(project)
    cost = counts.of(project.ids["cost"])
    assert (cost.cases, counts.total_cases, counts.cases_label) == (2, 3, "participants")
    # references stay the focus groups' whatever a case is
    assert all(q.ref.startswith("S1G") for row in matrix.cells for q in row[column].passages)


def test_attributes_and_stars_travel_with_a_copied_project(project, tmp_path):
    from ketqual.ops.team import server_ops

    role = attribute_ops.define_attribute(project, "participant", "role", "choice", ["carer"])
    attribute_ops.set_value(project, role.details["attribute"].id, "P2", "carer")
    [quote] = passage_ops.find_passages(project, PassageQuery(codes=("Therapy",))).passages
    star_ops.star_refs(project, [quote.ref], "Therapy")
    case_ops.set_case_unit(project, "participant")
    copy = tmp_path / "copy.ketqual"
    server_ops.copy_project(project.location, str(copy), actor="tester")
    with project_ops.open_project(copy, backup=False) as copied:
        assert attribute_ops.participant_values(copied, "role") == {"P2": "carer"}
        assert case_ops.case_unit(copied) == "participant"
        assert (
            passage_ops.find_passages(copied, PassageQuery(codes=("Therapy",))).passages[0].starred
        )


def test_a_deleted_documents_case_is_no_row(project):
    from ketqual.ops.framework import framework_ops
    from ketqual.ops.importing import document_ops

    case_ops.set_case_unit(project, "document")
    document_ops.delete_document(project, project.ids["d2"], confirm=True)
    matrix = framework_ops.build_report(project, themes=["Cost"]).matrices[0]
    assert [r.label for r in matrix.rows] == ["S1 G1", "No document case"]
