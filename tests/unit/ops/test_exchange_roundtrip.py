"""KetQual → .qdpx → KetQual keeps everything exactly, and the .qdpx is valid REFI-QDA."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import xmlschema

from ketqual.ops import demo_ops, project_ops
from ketqual.ops.exchange import qdpx_export, qdpx_import
from ketqual.ops.team import coder_ops
from tests.exchange_compare import snapshot
from tests.factories import add_coder, add_codings, add_document, make_project

DATA = Path(__file__).resolve().parents[2] / "data" / "refi-qda"


@pytest.fixture(scope="module")
def project_schema():
    return xmlschema.XMLSchema(str(DATA / "Project-mrt2019.xsd"))


@pytest.fixture(scope="module")
def codebook_schema():
    return xmlschema.XMLSchema(str(DATA / "Codebook-mrt2019.xsd"))


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.ketqual"
    project, _report = demo_ops.build_demo(path, meeting=True)  # unblinded, with consensus
    project.close()
    return path


def _qde(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde").decode("utf-8")


def test_demo_round_trip_is_exact_and_valid(demo_master, tmp_path, project_schema):
    path = tmp_path / "demo.ketqual"
    shutil.copy(demo_master, path)
    project = project_ops.open_project(path, backup=False)
    before = snapshot(project)
    report = qdpx_export.export_qdpx(project, tmp_path / "demo.qdpx", actor="tester")
    project.close()
    assert report.layers == ("Coder A", "Coder B", "Supervisor", "Consensus")
    project_schema.validate(_qde(tmp_path / "demo.qdpx"))

    result = qdpx_import.import_qdpx(tmp_path / "demo.qdpx", tmp_path / "back.ketqual")
    assert result is not None and not result.summary.lost
    back = project_ops.open_project(tmp_path / "back.ketqual", backup=False)
    after = snapshot(back)
    events = back.read
    with events() as tx:
        audit = tx.audit.list(action="exchange.import")
    back.close()
    for table in before:
        assert after[table] == before[table], table
    assert len(before["codings"]) > 1000 and len(before["documents"]) == 42
    assert audit and audit[0].details["summary"][0].startswith("demo.qdpx")


def test_everything_a_project_holds_survives(tmp_path, project_schema):
    """Memos of every kind, case attributes, retired codes, texts with emoji, combining marks,
    spaces at line ends and blank lines, several codings on one span."""
    project = make_project(tmp_path)
    text = "\n\n  First line with spaces   \n\n\n😀 café\u0301 — “quoted”\tend\n"
    doc = add_document(project, text)
    other = add_document(project, "Second 𝒜 document.\n", session=2, group=3)
    ann = add_coder(project, "Ann")
    boss = add_coder(project, "Boss", role="supervisor")
    with project.transaction() as tx:
        codes = tx.codes.list()
        theme = next(c for c in codes if c.parent_id is None)
        sub = next(c for c in codes if c.parent_id == theme.id)
        tx.codes.update(sub.id, active=False, definition="Line one\n\nline two")
        case = tx.cases.list()[0]
    with project.transaction() as tx:
        from ketqual.store.models import CaseRow  # test set-up only

        row = tx.session.get(CaseRow, case.id)
        row.attributes = {"venue": "Room 2", "size": 7, "online": False, "score": 2.5}
    start = text.index("😀")
    add_codings(project, doc, theme.id, ann, [(start, start + 1), (start, len(text) - 1)])
    add_codings(project, doc, sub.id, ann, [(start, start + 1)])
    add_codings(project, doc, theme.id, None, [(2, 27)])
    add_codings(project, other, sub.id, boss, [(0, 6)])
    with project.transaction() as tx:
        first = tx.codings.list(coder_id=ann)[0]
        tx.codings.update(first.id, memo="why: the emoji\nsays it")
        tx.memos.add_many(
            [
                {"coder_id": ann, "target_type": "document", "target_id": doc, "text": "doc memo"},
                {"coder_id": ann, "target_type": "document", "target_id": doc, "text": "second"},
                {"coder_id": boss, "target_type": "code", "target_id": theme.id, "text": "code"},
                {"coder_id": None, "target_type": "project", "target_id": None, "text": "all"},
                {"coder_id": boss, "target_type": "case", "target_id": case.id, "text": "case"},
                {"coder_id": ann, "target_type": "suggestion", "target_id": sub.id, "text": "s"},
                {"coder_id": ann, "target_type": "coding", "target_id": first.id, "text": "c"},
            ]
        )
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="export")
    before = snapshot(project)
    qdpx_export.export_qdpx(project, tmp_path / "all.qdpx")
    project.close()
    project_schema.validate(_qde(tmp_path / "all.qdpx"))
    with zipfile.ZipFile(tmp_path / "all.qdpx") as archive:
        texts = [n for n in archive.namelist() if n.startswith("sources/")]
        assert archive.read(texts[0]).decode("utf-8") in (text, "Second 𝒜 document.\n")
    qdpx_import.import_qdpx(tmp_path / "all.qdpx", tmp_path / "back.ketqual")
    back = project_ops.open_project(tmp_path / "back.ketqual", backup=False)
    after = snapshot(back)
    back.close()
    for table in before:
        assert after[table] == before[table], table


def test_blinded_export_holds_only_the_exporters_layer(tmp_path, project_schema):
    project = make_project(tmp_path)
    doc = add_document(project)
    ann, ben = add_coder(project, "Ann"), add_coder(project, "Benedikt")
    with project.read() as tx:
        code = tx.codes.list()[0].id
    add_codings(project, doc, code, ann, [(0, 7)])
    add_codings(project, doc, code, ben, [(8, 15)])
    add_codings(project, doc, code, None, [(0, 7)])
    with project.transaction() as tx:
        tx.memos.add_many(
            [
                {
                    "coder_id": ben,
                    "target_type": "document",
                    "target_id": doc,
                    "text": "MEMO-OF-BENEDIKT",
                },
                {
                    "coder_id": None,
                    "target_type": "project",
                    "target_id": None,
                    "text": "MEMO-OF-NOBODY",
                },
            ]
        )
    with pytest.raises(Exception, match="blinded"):
        qdpx_export.export_qdpx(project, tmp_path / "x.qdpx")
    with pytest.raises(Exception, match="blinded"):
        qdpx_export.export_qdpx(project, tmp_path / "x.qdpx", viewer="Ann", layers=["Benedikt"])
    assert not (tmp_path / "x.qdpx").exists()
    report = qdpx_export.export_qdpx(project, tmp_path / "ann.qdpx", viewer="Ann")
    project.close()
    assert report.layers == ("Ann",) and report.codings == 1
    xml = _qde(tmp_path / "ann.qdpx")
    project_schema.validate(xml)
    for hidden in ("Benedikt", "Consensus", "MEMO-OF-BENEDIKT", "MEMO-OF-NOBODY"):
        assert hidden not in xml


def test_codebook_exports_as_valid_qdc(tmp_path, codebook_schema):
    project = make_project(tmp_path)
    qdpx_export.export_qdc(project, tmp_path / "book.qdc")
    project.close()
    xml = (tmp_path / "book.qdc").read_text(encoding="utf-8")
    codebook_schema.validate(xml)
    assert xml.count("<Code ") == 23 and "When not to use: " in xml


def test_failed_export_leaves_nothing(tmp_path):
    project = make_project(tmp_path)
    add_document(project)
    with pytest.raises(Exception, match="cannot write"):
        qdpx_export.export_qdpx(project, tmp_path / "missing" / "x.qdpx", viewer=None, layers=[])
    project.close()
    assert not (tmp_path / "missing").exists()


def test_a_coder_called_consensus_stays_a_coder(tmp_path):
    project = make_project(tmp_path)
    doc = add_document(project)
    named = add_coder(project, "Consensus")
    boss = add_coder(project, "Boss", role="supervisor")
    with project.read() as tx:
        code = tx.codes.list()[0].id
    add_codings(project, doc, code, named, [(0, 7)])
    add_codings(project, doc, code, None, [(8, 15)])
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="export")
    before = snapshot(project)
    for layers, name in ((None, "both"), (["Consensus"], "coder-only")):
        qdpx_export.export_qdpx(project, tmp_path / f"{name}.qdpx", layers=layers)
    project.close()
    assert 'name="Consensus (2)"' in _qde(tmp_path / "both.qdpx")
    qdpx_import.import_qdpx(tmp_path / "both.qdpx", tmp_path / "both.ketqual")
    back = project_ops.open_project(tmp_path / "both.ketqual", backup=False)
    assert snapshot(back)["codings"] == before["codings"]
    back.close()
    # "Consensus" in --layers is the consensus layer; the coder of that name goes by layers=None
    qdpx_import.import_qdpx(tmp_path / "coder-only.qdpx", tmp_path / "only.ketqual")
    only = project_ops.open_project(tmp_path / "only.ketqual", backup=False)
    info = project_ops.project_info(only)
    only.close()
    assert info["consensus_codings"] == 1 and all(c["codings"] == 0 for c in info["coders"])
