"""Item models pass Qt's model tester on real demo data."""

from __future__ import annotations

from ketqual.gui.codebook_model import CODE_ID_ROLE, CodebookModel
from ketqual.gui.documents_model import DOCUMENT_ID_ROLE, DocumentsModel
from ketqual.ops import project_ops, queries


def test_documents_model_passes_model_tester(qtmodeltester, demo_path):
    with project_ops.open_project(demo_path, backup=False) as project:
        model = DocumentsModel()
        model.set_documents(queries.list_documents(project))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 42
    first = model.index(0, 0)
    assert model.data(first) == "Session 1, Group 1 – scribe notes"
    assert model.data(first, DOCUMENT_ID_ROLE) == model.document_id(0)
    assert "S1_G1_scribe.txt" in model.data(first, 3)  # tooltip names the source file


def test_codebook_model_passes_model_tester(qtmodeltester, demo_path):
    with project_ops.open_project(demo_path, backup=False) as project:
        codes, counts = queries.list_codes(project)
    model = CodebookModel()
    model.set_codes(codes, counts)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 10
    monitoring = model.index(0, 0)
    assert model.data(monitoring) == "Monitoring"
    assert model.rowCount(monitoring) == 2
    child = model.index(0, 0, monitoring)
    assert model.parent(child) == monitoring
    assert model.code_at(child).parent_id == model.data(monitoring, CODE_ID_ROLE)
    assert model.data(model.index(0, 1)) == "1"
