"""The charting window on the demo: models, cells, autosaved summaries, drafts,
references, passages opened in the main window, blinding and export."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from ketqual.core import framework_text as ft
from ketqual.gui.framework.framework_model import (
    CASE_ID_ROLE,
    CODE_ID_ROLE,
    PASSAGES_ROLE,
    STATUS_ROLE,
    MatrixModel,
    PassagesModel,
)
from ketqual.gui.framework.framework_window import FrameworkWindow
from ketqual.gui.runner import OperationRunner
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.framework import framework_ops
from ketqual.ops.team import coder_ops

WAIT = 20_000


@pytest.fixture(scope="module")
def agreed_master(demo_master, tmp_path_factory):
    """The demo unblinded, with Coder A's codings copied into the consensus layer."""
    path = tmp_path_factory.mktemp("charting") / "agreed.ketqual"
    shutil.copy(demo_master, path)
    with project_ops.open_project(path, backup=False) as project:
        boss = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
        coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
        with project.transaction() as tx:
            coder = tx.coders.by_name("Coder A")
            tx.codings.add_many(
                [
                    {"document_id": c.document_id, "code_id": c.code_id, "coder_id": None}
                    | {"start": c.start, "end": c.end}
                    for c in tx.codings.list(coder_id=coder.id)
                ]
            )
    return path


@pytest.fixture
def project(agreed_master, tmp_path):
    path = tmp_path / "agreed.ketqual"
    shutil.copy(agreed_master, path)
    project = project_ops.open_project(path, backup=False)
    yield project
    project.close()


@pytest.fixture
def window(qtbot, project):
    win = FrameworkWindow(OperationRunner(project), "Supervisor")
    qtbot.addWidget(win)
    win.show()
    return win


def choose(window, row: int, column: int) -> None:
    window.table.setCurrentIndex(window.model.index(row, column))


def first_cell(window, status: str) -> tuple[int, int]:
    model = window.model
    for row in range(model.rowCount()):
        for column in range(1, model.columnCount()):
            if model.index(row, column).data(STATUS_ROLE) == status:
                return row, column
    raise AssertionError(f"no {status} cell")


def test_matrix_model_passes_model_tester(qtmodeltester, project):
    report = framework_ops.build_report(project)
    for matrix in (*report.matrices[:3], report.matrices[-1], None):
        model = MatrixModel()
        model.set_matrix(matrix)
        qtmodeltester.check(model, force_py=True)
    passages = PassagesModel()
    passages.set_passages(report.matrices[0].passages()[:5])
    qtmodeltester.check(passages, force_py=True)
    assert passages.rowCount() == 5


def test_cells_show_summaries_states_and_passage_counts(project):
    case = framework_ops.build_report(project).matrices[0].rows[0].case_id
    code = framework_ops.build_report(project).matrices[0].columns[0].code_id
    framework_ops.set_summary(project, case_id=case, code_id=code, text="Wanted checks first")
    model = MatrixModel()
    model.set_matrix(framework_ops.build_report(project).matrices[0])
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Focus group"
    assert model.headerData(1, Qt.Orientation.Horizontal).startswith("Safety review")
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Other (theme-level)"
    label = model.index(0, 0)
    assert label.data() == "S1 G1\nscribe notes by scribe 1 (AH); feedback sheets"
    assert label.data(CASE_ID_ROLE) == case and "session 1, group 1" in label.data(3)
    summary = model.index(0, 1)
    assert summary.data() == "Wanted checks first\n(2 passages)"
    assert summary.data(CODE_ID_ROLE) == code and summary.data(PASSAGES_ROLE) == 2
    assert summary.data(Qt.ItemDataRole.FontRole) is None
    empty = model.index(0, 2)
    assert empty.data() == "–" and empty.data(STATUS_ROLE) == ft.NO_PASSAGES
    assert empty.data(Qt.ItemDataRole.FontRole).italic()


def test_window_lists_themes_and_opens_on_the_first_cell(window):
    assert window.theme_box.count() == 10 and window.layer() == "consensus"
    assert window.caption.text().startswith("Framework matrix: Monitoring (n = 95")
    assert window.table.currentIndex().row() == 0 and window.table.currentIndex().column() == 1
    assert window.panel.title.text().startswith("S1 G1 × Safety review")
    assert window.panel.passages_model.rowCount() == 2 and window.panel.editor.isEnabled()
    window.theme_box.setCurrentIndex(window.theme_box.findText("Cost"))
    assert [window.model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 1)] == [
        "Focus group",
        "Whole theme",
    ]


def test_typing_saves_the_summary_after_a_pause(window, qtbot, project):
    row, column = first_cell(window, ft.TO_SUMMARISE)
    choose(window, row, column)
    passage = window.panel.passages[0]
    with qtbot.waitSignal(window.saved, timeout=WAIT) as saved:
        qtbot.keyClicks(window.panel.editor, f"Travel is the barrier [{passage.ref}]")
    assert "Framework matrix:" in saved.args[0]
    case = window.model.index(row, column).data(CASE_ID_ROLE)
    code = window.model.index(row, column).data(CODE_ID_ROLE)
    with project.read() as tx:
        stored = tx.summaries.get(case, code)
        event = tx.audit.list(limit=1)[0]
    assert stored.text == f"Travel is the barrier [{passage.ref}]"
    assert stored.refs == passage.coding_uids and stored.author == "Supervisor"
    assert (event.action, event.actor) == ("matrix.summary", "Supervisor")
    assert window.model.index(row, column).data(STATUS_ROLE) == ft.SUMMARY
    assert window.panel.saved_label.text().startswith("Saved ")
    # switching theme and back keeps what was saved without reading the project again
    window.theme_box.setCurrentIndex(1)
    window.theme_box.setCurrentIndex(0)
    assert window.model.index(row, column).data(STATUS_ROLE) == ft.SUMMARY


def test_fill_from_quotes_and_insert_reference(window, qtbot):
    row, column = first_cell(window, ft.TO_SUMMARISE)
    choose(window, row, column)
    panel = window.panel
    with qtbot.waitSignal(window.saved, timeout=WAIT):
        panel.fill_button.click()
    refs = [p.ref for p in panel.passages]
    assert all(f"[{ref}]" in panel.text() for ref in refs)
    assert panel.text().startswith("“")
    panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
    last = panel.passages_model.index(len(refs) - 1)
    panel.passage_list.selectionModel().select(last, QItemSelectionModel.SelectionFlag.Select)
    with qtbot.waitSignal(window.saved, timeout=WAIT):
        panel.insert_button.click()
    assert panel.text().endswith(f" [{refs[-1]}]")
    assert panel.notice.text() == ""
    with qtbot.waitSignal(window.saved, timeout=WAIT):
        qtbot.keyClicks(panel.editor, " [S9G9-N-1-2]")
    assert panel.notice.text() == "Not a passage of this cell: S9G9-N-1-2"


def test_choosing_a_state_saves_at_once(window, qtbot, project):
    row, column = first_cell(window, ft.NO_PASSAGES)
    choose(window, row, column)
    with qtbot.waitSignal(window.saved, timeout=1000):
        window.panel.state_group.button(2).click()  # Not discussed
    assert window.model.index(row, column).data(STATUS_ROLE) == ft.NOT_DISCUSSED
    assert window.model.index(row, column).data().startswith("Not discussed")
    with qtbot.waitSignal(window.saved, timeout=1000):
        window.panel.state_group.button(0).click()  # back to a summary, with no text: cleared
    assert window.model.index(row, column).data(STATUS_ROLE) == ft.NO_PASSAGES
    with project.read() as tx:
        assert tx.audit.list(limit=1)[0].action == "matrix.clear"


def test_leaving_a_cell_saves_at_once(window, qtbot, project):
    row, column = first_cell(window, ft.TO_SUMMARISE)
    choose(window, row, column)
    qtbot.keyClicks(window.panel.editor, "quick note")
    with qtbot.waitSignal(window.saved, timeout=200):  # no waiting for the pause
        choose(window, row, column + 1 if column + 1 < window.model.columnCount() else 1)
    case = window.model.index(row, column).data(CASE_ID_ROLE)
    code = window.model.index(row, column).data(CODE_ID_ROLE)
    with project.read() as tx:
        assert tx.summaries.get(case, code).text == "quick note"


@pytest.fixture
def main_window(qtbot, agreed_master, tmp_path):
    from ketqual.gui.main_window import MainWindow

    path = tmp_path / "main.ketqual"
    shutil.copy(agreed_master, path)
    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.open_project(path, coder="Supervisor")
    yield win
    win.close_project()


def test_double_clicking_a_passage_shows_it_in_the_main_window(main_window, qtbot):
    main = main_window
    menus = [a.text() for a in main.menuBar().actions()]
    assert menus.index("&Outputs") == menus.index("&Project") + 1
    main.charting_action.trigger()
    charting = main.charting
    qtbot.addWidget(charting)
    passage = charting.panel.passages[0]
    with qtbot.waitSignal(charting.openPassage, timeout=1000) as opened:
        charting.panel.passage_list.activated.emit(charting.panel.passages_model.index(0))
    assert opened.args == [passage.document_id, passage.start, passage.end]
    assert main.document_id == passage.document_id
    assert main.text_view.selected_span() is not None
    start, end = main.text_view.selected_span()
    assert start <= passage.start and end >= passage.end
    main.charting_action.trigger()  # a second time: the same window comes forward
    assert main.charting is charting


def test_blinded_project_charts_a_coders_own_layer_without_summaries(qtbot, demo_path):
    with project_ops.open_project(demo_path, backup=False) as project:
        win = FrameworkWindow(OperationRunner(project), "Coder A")
        qtbot.addWidget(win)
        assert win.layer() == "Coder A" and win.report is not None
        assert not win.panel.editor.isEnabled()
        assert "summaries are the whole team's" in win.panel.notice.text()
        with qtbot.waitSignal(win.failed, timeout=1000) as refused:
            win.layer_box.setCurrentIndex(win.layer_box.findData("consensus"))
        assert "blinded" in refused.args[0] and not win.message.isHidden()
        assert win.model.rowCount() == 0 and not win.export_button.isEnabled()


def test_export_in_a_worker(window, qtbot, tmp_path, monkeypatch):
    with qtbot.waitSignal(window.exported, timeout=WAIT) as done:
        window.export_to(str(tmp_path / "matrices"), "xlsx")
    assert done.args == [str(tmp_path / "matrices.xlsx")]
    assert "Monitoring" in openpyxl.load_workbook(tmp_path / "matrices.xlsx").sheetnames
    target = tmp_path / "chosen.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), "x"))
    with qtbot.waitSignal(window.exported, timeout=WAIT):
        window.export_button.click()
    assert target.stat().st_size > 5000
    with qtbot.waitSignal(window.failed, timeout=WAIT) as failed:
        window.export_to(str(tmp_path / "missing" / "m.xlsx"))
    assert "cannot write" in failed.args[0]


def test_documents_without_a_focus_group_get_a_row_that_takes_no_summary(qtbot, project):
    from tests.factories import add_codings, add_document

    doc = add_document(project, "Loose notes about cost and travel.\n", session=None, group=None)
    cost = next(c for c in framework_ops.build_report(project).codes if c.name == "Cost")
    add_codings(project, doc, cost.id, None, [(21, 25)])
    win = FrameworkWindow(OperationRunner(project), "Supervisor")
    qtbot.addWidget(win)
    win.theme_box.setCurrentIndex(win.theme_box.findText("Cost"))
    last = win.model.rowCount() - 1
    assert win.model.index(last, 0).data() == "No case\nscribe notes"
    choose(win, last, 1)
    assert [p.ref for p in win.panel.passages] == [f"D{doc}-N-21-25"]
    assert not win.panel.editor.isEnabled() and not win.panel.fill_button.isEnabled()
    assert "belong to no focus group" in win.panel.notice.text()


def test_f5_reads_codings_made_since_the_window_opened(window, qtbot, project):
    from tests.factories import add_codings

    matrix = window.model.matrix
    column = window.model.columnCount() - 1  # Monitoring's theme-level column
    before = window.model.index(0, column).data(PASSAGES_ROLE)
    add_codings(project, matrix.rows[0].document_ids[0], matrix.theme.id, None, [(0, 5)])
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.model.index(0, column).data(PASSAGES_ROLE) == before + 1


def test_focus_groups_stay_in_view_scrolled_right(window, qtbot):
    window.resize(1280, 744)
    qtbot.wait(20)
    table = window.table
    last = window.model.columnCount() - 1
    choose(window, 5, last)
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() // 2)
    assert table.columnViewportPosition(0) < 0  # the table itself has scrolled past it
    frozen = table.frozen
    assert frozen.isVisible() and frozen.width() == table.columnWidth(0)
    assert frozen.verticalScrollBar().value() == table.verticalScrollBar().value()
    # Each row's name sits beside its cells.
    for y in (40, 200, 400):
        row = table.rowAt(y)
        point = table.viewport().mapToGlobal(QPoint(0, y))
        name = frozen.indexAt(frozen.viewport().mapFromGlobal(point))
        assert name.isValid() and name.column() == 0 and name.row() == row
    # The chosen cell is not hidden under the frozen column.
    assert table.columnViewportPosition(last) >= table.columnWidth(0)
