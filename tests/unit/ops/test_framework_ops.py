"""Framework operations on a real project file: layers and blinding, summaries, counts,
drafts and exports."""

from __future__ import annotations

import openpyxl
import pytest

from ketqual.ops import project_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.framework import framework_ops
from ketqual.ops.team import coder_ops
from tests.factories import NOTES, add_coder, add_codings, add_document, make_project

SAFETY = "Monitoring/Safety review and where doses are taken"


@pytest.fixture
def study(tmp_path):
    """Two focus groups' notes, consensus and Coder A codings, a supervisor; blinded."""
    project = make_project(tmp_path)
    docs = [add_document(project, session=1, group=2), add_document(project, session=2, group=1)]
    safety = codebook_ops.find_code(project, SAFETY).id
    monitoring = codebook_ops.find_code(project, "Monitoring").id
    cost = codebook_ops.find_code(project, "Cost").id
    coder = add_coder(project, "Coder A")
    add_coder(project, "Boss", "supervisor")
    add_codings(project, docs[0], safety, None, [(40, 60), (55, 80)])
    add_codings(project, docs[0], monitoring, None, [(100, 120)])
    add_codings(project, docs[1], cost, None, [(40, 60)])
    add_codings(project, docs[0], safety, coder, [(10, 20)])
    yield project, {"docs": docs, "safety": safety, "monitoring": monitoring, "cost": cost}
    project.close()


def unblind(project) -> None:
    boss = coder_ops.find_coder(project, "Boss")
    coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="charting")


def case_of(project, label: str) -> int:
    report = framework_ops.build_report(project, themes=["Monitoring"])
    return next(r.case_id for r in report.matrices[0].rows if r.label == label)


def test_the_consensus_layer_waits_for_unblinding(study):
    project, _ = study
    with pytest.raises(OperationError, match="blinded.*unblind"):
        framework_ops.build_report(project)
    with pytest.raises(OperationError, match="blinded"):
        framework_ops.count_themes(project, layer="consensus")


def test_a_coder_charts_their_own_layer_while_blinded_without_summaries(study):
    project, ids = study
    report = framework_ops.build_report(project, layer="Coder A", viewer="Coder A")
    assert report.info.layer == "Coder A" and not report.info.summaries_included
    refs = [p.ref for m in report.matrices for p in m.passages()]
    assert refs == ["S1G2-N-10-20"]
    with pytest.raises(OperationError, match="blinded"):
        framework_ops.build_report(project, layer="Coder A", viewer="Boss")
    with pytest.raises(OperationError, match="no coder called 'Nobody'"):
        framework_ops.build_report(project, layer="Nobody")


def test_consensus_matrices_and_counts_once_unblinded(study):
    project, ids = study
    unblind(project)
    report = framework_ops.build_report(project, themes=["monitoring", str(ids["cost"])])
    assert [m.theme.name for m in report.matrices] == ["Monitoring", "Cost"]
    monitoring = report.matrices[0]
    assert [r.label for r in monitoring.rows] == ["S1 G2", "S2 G1"]
    safety_column = [c.code_id for c in monitoring.columns].index(ids["safety"])
    (passage,) = monitoring.cell(0, safety_column).passages
    assert (passage.ref, passage.text) == ("S1G2-N-40-80", NOTES[40:80].strip())
    assert report.info.summaries_included and report.info.layer == "Consensus"
    counts, names = framework_ops.count_themes(project)
    row = counts.of(ids["monitoring"])
    assert (row.passages, row.documents, row.cases, row.theme_level) == (2, 1, 1, 1)
    assert counts.of(ids["cost"]).cases == 1 and names[ids["cost"]] == "Cost"
    with pytest.raises(OperationError, match="no theme called 'Nope'"):
        framework_ops.build_report(project, themes=["Nope"])


def test_summaries_are_stored_replaced_cleared_and_audited(study):
    project, ids = study
    with pytest.raises(OperationError, match="blinded"):
        framework_ops.set_summary(project, case_id=1, code_id=ids["safety"], text="x")
    unblind(project)
    case = case_of(project, "S1 G2")
    change = framework_ops.set_summary(
        project,
        case_id=case,
        code_id=ids["safety"],
        text="  Wanted a safety check first [S1G2-N-40-80] ",
        refs=["u1"],
        actor="Boss",
    )
    stored = change.details["summary"]
    assert (stored.text, stored.refs, stored.author) == (
        "Wanted a safety check first [S1G2-N-40-80]",
        ("u1",),
        "Boss",
    )
    framework_ops.set_summary(
        project, case_id=case, code_id=ids["monitoring"], state="nothing_substantive", actor="Boss"
    )
    report = framework_ops.build_report(project, themes=["Monitoring"])
    matrix = report.matrices[0]
    columns = [c.code_id for c in matrix.columns]
    assert matrix.cell(0, columns.index(ids["safety"])).summary.text.startswith("Wanted")
    assert matrix.cell(0, columns.index(ids["monitoring"])).summary.state == "nothing_substantive"
    # an empty summary clears the cell; clearing again changes nothing and logs nothing
    cleared = framework_ops.set_summary(project, case_id=case, code_id=ids["safety"], text=" ")
    assert cleared.action == "matrix.clear" and cleared.details["removed"]
    again = framework_ops.clear_summary(project, case_id=case, code_id=ids["safety"])
    assert not again.details["removed"]
    with project.read() as tx:
        events = tx.audit.list()
        assert tx.summaries.get(case, ids["safety"]) is None
    mine = [e for e in events if e.action.startswith("matrix.")]
    assert [e.action for e in mine] == ["matrix.clear", "matrix.summary", "matrix.summary"]
    assert mine[1].actor == mine[2].actor == "Boss"
    assert mine[2].summary == f"Framework matrix: S1 G2 × {SAFETY}: summary"
    assert mine[2].details["refs"] == 1 and mine[1].details["state"] == "nothing_substantive"


def test_summary_input_is_checked(study):
    project, ids = study
    unblind(project)
    case = case_of(project, "S1 G2")
    with pytest.raises(OperationError, match="state must be one of"):
        framework_ops.set_summary(project, case_id=case, code_id=ids["safety"], state="maybe")
    with pytest.raises(OperationError, match="no focus group"):
        framework_ops.set_summary(project, case_id=999, code_id=ids["safety"], text="x")
    with pytest.raises(OperationError, match="no code with id 999"):
        framework_ops.set_summary(project, case_id=case, code_id=999, text="x")


def test_fill_from_quotes_drafts_without_storing(study):
    project, ids = study
    unblind(project)
    case = case_of(project, "S1 G2")
    text, refs = framework_ops.fill_from_quotes(project, case_id=case, code_id=ids["safety"])
    assert text.endswith("[S1G2-N-40-80]") and text.startswith("“")
    assert len(refs) == 2  # both consensus codings of the merged passage
    other, _ = framework_ops.fill_from_quotes(project, case_id=case, code_id=ids["monitoring"])
    assert other.endswith("[S1G2-N-100-120]")
    with project.read() as tx:
        assert tx.summaries.list() == []


def test_export_writes_the_chosen_format_and_records_it(study, tmp_path):
    project, _ = study
    unblind(project)
    change = framework_ops.export_matrices(project, tmp_path / "m.xlsx", actor="Boss")
    assert change.details == {"path": tmp_path / "m.xlsx", "format": "xlsx", "passages": 3}
    assert "Monitoring" in openpyxl.load_workbook(tmp_path / "m.xlsx").sheetnames
    framework_ops.export_matrices(project, tmp_path / "m.docx")
    framework_ops.export_matrices(project, tmp_path / "csv", themes=["Cost"])
    folder = tmp_path / "csv"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01 Cost.csv",
        "README.txt",
        "counts.csv",
        "quotes.csv",
    ]
    with project.read() as tx:
        exports = tx.audit.list(action="matrix.export")
    assert [e.details["format"] for e in exports] == ["csv", "docx", "xlsx"]
    assert exports[-1].actor == "Boss" and exports[0].details["themes"] == ["Cost"]


def test_failed_or_unknown_exports_leave_nothing_behind(study, tmp_path):
    project, _ = study
    unblind(project)
    with pytest.raises(OperationError, match="cannot tell the format"):
        framework_ops.export_matrices(project, tmp_path / "m.pdf")
    with pytest.raises(OperationError, match="cannot write"):
        framework_ops.export_matrices(project, tmp_path / "missing" / "m.xlsx")
    with pytest.raises(OperationError, match="cannot write"):
        framework_ops.export_matrices(project, tmp_path / "missing" / "deeper")
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(OperationError, match="no theme"):
        framework_ops.export_matrices(project, target, themes=["Nope"])
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))
    assert not (tmp_path / "missing").exists() and not (tmp_path / "m.pdf").exists()


def test_matrices_and_summaries_on_every_backend(project_target):
    """The driver-level read of a layer works on SQLite and PostgreSQL alike."""
    project = project_ops.new_project(project_target, actor="tester")
    try:
        doc = add_document(project, session=3, group=4)
        safety = codebook_ops.find_code(project, SAFETY).id
        coder = add_coder(project, "Coder A")
        add_coder(project, "Boss", "supervisor")
        add_codings(project, doc, safety, None, [(40, 60)])
        add_codings(project, doc, safety, coder, [(10, 20)])
        unblind(project)
        mine = framework_ops.build_report(project, layer="Coder A", themes=["Monitoring"])
        assert [p.ref for p in mine.matrices[0].passages()] == ["S3G4-N-10-20"]
        report = framework_ops.build_report(project, themes=["Monitoring"])
        (passage,) = report.matrices[0].passages()
        case = report.matrices[0].rows[0].case_id
        framework_ops.set_summary(
            project, case_id=case, code_id=safety, text=f"[{passage.ref}]", refs=["x"]
        )
        with project.read() as tx:
            assert tx.summaries.list()[0].refs == ("x",)
    finally:
        project.close()
