"""Item models pass Qt's model tester on real demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ketqual.gui.codebook.codebook_model import CODE_ID_ROLE, CodebookModel
from ketqual.gui.coding.documents_model import DOCUMENT_ID_ROLE, DocumentsModel
from ketqual.ops import project_ops, queries


def test_documents_model_passes_model_tester(qtmodeltester, demo_path):
    with project_ops.open_project(demo_path, backup=False) as project:
        model = DocumentsModel()
        model.set_documents(queries.list_documents(project))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 42
    first = model.index(0, 0)
    assert model.data(first) == "S1 G1 notes"  # the full title is in the tooltip
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


def test_documents_model_with_progress_columns(qtmodeltester, demo_path):
    from ketqual.core.records import CoderRecord

    with project_ops.open_project(demo_path, backup=False) as project:
        rows = queries.list_documents(project)
    model = DocumentsModel()
    model.set_documents(rows)
    a = CoderRecord(1, "a", "Coder A", "coder", "#332288")
    b = CoderRecord(2, "b", "Coder B", "coder", "#117733")
    first = rows[0].record.id
    model.set_progress([a, b], {(first, 1)}, {(first, 1): 5, (first, 2): 3})
    qtmodeltester.check(model, force_py=True)
    assert model.columnCount() == 7
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Coder A"  # names, elided by the view
    first_title = model.data(model.index(0, 0))
    assert len(first_title) < len(rows[0].record.meta.title)
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole).startswith(
        rows[0].record.meta.title
    )
    assert model.data(model.index(0, 5)) == "✓ 5"
    assert model.data(model.index(0, 6)) == "3"
    assert model.data(model.index(1, 5)) == ""
    model.set_progress([a], set(), {})
    qtmodeltester.check(model, force_py=True)
    assert model.columnCount() == 6


def test_search_results_model_passes_model_tester(qtmodeltester):
    from ketqual.core.search import Hit
    from ketqual.gui.coding.search_panel import HIT_ROLE, SearchResultsModel

    model = SearchResultsModel()
    model.set_hits([(Hit(1, 0, 3), "Doc: [abc] def"), (Hit(2, 4, 7), "Other: x [def]")])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    assert model.data(model.index(1, 0), HIT_ROLE) == Hit(2, 4, 7)
    assert model.hits() == [Hit(1, 0, 3), Hit(2, 4, 7)]


def test_a_choice_combo_takes_a_thousand_entries_and_answers_like_add_item(qtmodeltester, qtbot):
    from ketqual.gui.widgets import Choices, choice_combo, set_choices

    combo = choice_combo()
    qtbot.addWidget(combo)
    changes: list[int] = []
    combo.currentIndexChanged.connect(changes.append)
    entries = [("Any document", None), *((f"Notes {n:04d}", n) for n in range(1, 1001))]
    set_choices(combo, entries)
    assert combo.count() == 1001 and combo.currentIndex() == 0
    assert combo.currentData() is None and combo.currentText() == "Any document"
    assert changes == []  # refilling is the caller's doing, not the user's choice
    combo.setCurrentIndex(combo.findData(512))
    assert (combo.currentText(), combo.currentData()) == ("Notes 0512", 512)
    assert combo.findText("Notes 1000") == 1000 and combo.itemData(3) == 3
    assert changes == [512]
    # sized by characters, not by asking every entry for its width
    policy = combo.sizeAdjustPolicy()
    assert policy == combo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
    set_choices(combo, [])
    assert combo.count() == 0 and combo.currentIndex() == -1
    assert isinstance(combo.model(), Choices)
    model = Choices()
    model.set_entries(entries[:50])
    qtmodeltester.check(model, force_py=True)
