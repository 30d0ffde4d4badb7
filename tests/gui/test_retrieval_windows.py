"""The coded-passages, crosstab and attributes windows on the demo: models, searching off
the GUI thread, stars, a crosstab cell opening exactly its passages, editing attributes."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from ketqual.core.retrieval import PassageQuery
from ketqual.gui.attributes.attributes_model import AttributeTableModel
from ketqual.gui.attributes.attributes_window import AttributesWindow
from ketqual.gui.retrieval.crosstab_window import CrosstabModel, CrosstabWindow
from ketqual.gui.retrieval.passages_models import CodeChoiceModel, PassagesModel
from ketqual.gui.retrieval.passages_window import PassagesWindow
from ketqual.gui.runner import OperationRunner
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.attributes import attribute_ops, case_ops
from ketqual.ops.network import network_ops
from ketqual.ops.retrieval import crosstab_ops, passage_ops

WAIT = 30_000


@pytest.fixture(scope="module")
def meeting_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("retrieval-gui") / "demo.ketqual"
    project, _ = demo_ops.build_demo(path)
    project.close()
    return path


@pytest.fixture
def project(meeting_master, tmp_path):
    path = tmp_path / "demo.ketqual"
    shutil.copy(meeting_master, path)
    project = project_ops.open_project(path, backup=False)
    yield project
    project.close()


@pytest.fixture
def runner(qtbot, project):
    runner = OperationRunner(project)
    yield runner
    runner.wait_all()


@pytest.fixture
def refusals(monkeypatch):
    seen = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: seen.append(text))
    return seen


def wait_idle(qtbot, runner):
    qtbot.waitUntil(lambda: not runner.jobs, timeout=WAIT)


def theme_n(project, name):
    view = network_ops.compute_network(project)
    return next(t.n for t in view.result.themes if t.name == name)


def test_models_pass_the_model_tester(qtmodeltester, project):
    options = passage_ops.search_options(project, viewer="Supervisor")
    codes = CodeChoiceModel()
    codes.set_codes(options.codes)
    codes.tick([options.codes[0].id])
    qtmodeltester.check(codes)
    result = passage_ops.find_passages(project, PassageQuery(codes=("Cost",)))
    passages = PassagesModel()
    passages.set_passages(result.passages)
    qtmodeltester.check(passages)
    table = CrosstabModel()
    table.set_view(crosstab_ops.compute_crosstab(project, columns="role"))
    qtmodeltester.check(table)
    attributes = AttributeTableModel()
    attributes.set_table(attribute_ops.attribute_table(project, "participant"))
    qtmodeltester.check(attributes)


def test_ticking_a_theme_ticks_its_subthemes(project):
    options = passage_ops.search_options(project)
    model = CodeChoiceModel()
    model.set_codes(options.codes)
    theme = next(i for i, t in enumerate(model.themes) if t.name == "Side-effects")
    index = model.index(theme, 0)
    model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert len(model.chosen()) == 4
    model.setData(
        model.index(0, 0, index), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert len(model.chosen()) == 3
    model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked  # partial → full
    model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.chosen() == []


def test_passages_window_finds_stars_opens_and_exports(qtbot, project, runner, tmp_path):
    window = PassagesWindow(runner, "Supervisor")
    qtbot.addWidget(window)
    window.show()
    cost = next(t.id for t in window.codes.themes if t.name == "Cost")
    window.codes.tick([cost])
    with qtbot.waitSignal(window.found, timeout=WAIT):
        window.search()
    assert window.model.rowCount() == theme_n(project, "Cost") == 22
    assert "22 coded passages of Cost" in window.title.text()
    assert window.detail.toPlainText().startswith(window.model.passages[0].ref)
    window.toggle_star()
    assert window.model.passages[0].starred
    stored = passage_ops.find_passages(project, PassageQuery(codes=("Cost",)))
    assert stored.passages[0].starred
    with qtbot.waitSignal(window.openPassage) as opened:
        window._open_index(window.model.index(0, 1))
    first = window.model.passages[0]
    assert opened.args == [first.document_id, first.start, first.end, "consensus"]
    job = window.export_to(str(tmp_path / "cost"), "xlsx")
    job.wait()
    wait_idle(qtbot, runner)
    assert (tmp_path / "cost.xlsx").stat().st_size > 0
    # a filter that matches nothing says so
    window.filter_boxes["session"].addItem("9")
    window.filter_boxes["session"].setCurrentText("9")
    with qtbot.waitSignal(window.found, timeout=WAIT):
        window.search()
    assert window.model.rowCount() == 0
    assert window.message.isVisibleTo(window) and "None of the 22" in window.message.text()


def test_a_coder_cannot_star(qtbot, project, runner):
    window = PassagesWindow(runner, "Coder A")
    qtbot.addWidget(window)
    window.codes.tick([next(t.id for t in window.codes.themes if t.name == "Stigma")])
    with qtbot.waitSignal(window.found, timeout=WAIT):
        window.search()
    window.table.selectRow(0)
    assert not window.star_button.isEnabled()
    window.toggle_star()
    assert not window.model.passages[0].starred
    assert "Only a supervisor" in window.message.text()


def test_a_crosstab_cell_opens_exactly_its_passages(qtbot, project, runner):
    window = CrosstabWindow(runner, "Supervisor")
    qtbot.addWidget(window)
    window.show()
    window.choose(columns="participant.role")
    qtbot.waitUntil(
        lambda: window.view is not None and window.view.table.attribute == "role", timeout=WAIT
    )
    wait_idle(qtbot, runner)
    table = window.view.table
    row = next(i for i, r in enumerate(table.rows) if r.label == "Appropriate support")
    column = table.columns.index("carer")
    assert window.model.index(row, column).data() == str(table.cells[row][column])
    assert window.model.index(row, column).data(Qt.ItemDataRole.BackgroundRole) is not None
    with qtbot.waitSignal(window.openCell) as cell:
        window.open_cell(window.model.index(row, column))
    query, title = cell.args
    assert "Appropriate support × role = carer" in title
    passages = PassagesWindow(runner, "Supervisor")
    qtbot.addWidget(passages)
    with qtbot.waitSignal(passages.found, timeout=WAIT):
        passages.show_query(query, title)
    assert passages.model.rowCount() == table.cells[row][column] == 25
    assert passages.show_all_button.isVisibleTo(passages)
    window.show_box.setCurrentIndex(1)  # row %
    assert window.model.index(row, column).data() == f"{table.row_percent(row, column):.1f}"


def test_attributes_window_edits_values_and_the_case_unit(qtbot, project, runner, refusals):
    window = AttributesWindow(runner, "Supervisor")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.panes["participant"].model.rowCount() == 44, timeout=WAIT)
    pane = window.panes["participant"]
    role_column = next(
        j
        for j in range(pane.model.columnCount())
        if pane.model.headerData(j, Qt.Orientation.Horizontal) == "role"
    )
    index = pane.model.index(13, role_column)
    assert pane.model.index(13, 0).data() == "P14"
    assert pane.model.setData(index, "carer")
    assert attribute_ops.participant_values(project, "role")["P14"] == "carer"
    assert not pane.model.setData(index, "astronaut")
    assert refusals and "takes one of" in refusals[-1]
    assert index.data() == "carer"
    pane.define("age", "number", [])
    qtbot.waitUntil(lambda: pane.model.columnCount() == role_column + 3, timeout=WAIT)
    window.show_mentions("P14")
    qtbot.waitUntil(lambda: "P14 paying privately" in pane.mentions.toPlainText(), timeout=WAIT)
    window.unit_box.setCurrentIndex(window.unit_box.findData("participant"))
    window._unit_chosen(0)
    assert case_ops.case_unit(project) == "participant"


def test_windows_fit_a_small_laptop_screen(qtbot, runner):
    for window_class in (PassagesWindow, CrosstabWindow, AttributesWindow):
        window = window_class(runner, "Supervisor")
        qtbot.addWidget(window)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 740, window_class.__name__
        assert window.width() <= 1366 and window.height() <= 740
        wait_idle(qtbot, runner)


def test_the_main_window_opens_them_on_one_runner(qtbot, meeting_master, tmp_path):
    from ketqual.gui.main_window import MainWindow

    path = tmp_path / "demo.ketqual"
    shutil.copy(meeting_master, path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(settings)
    qtbot.addWidget(main)
    assert main.open_project(path, coder="Supervisor")
    crosstab = main.open_crosstab()
    qtbot.waitUntil(lambda: crosstab.view is not None, timeout=WAIT)
    passages = main.open_passages(PassageQuery(codes=("Cost",)), "Cost")
    assert passages.runner is crosstab.runner is main.runner
    qtbot.waitUntil(lambda: passages.result is not None, timeout=WAIT)
    first = passages.model.passages[0]
    passages._open_index(passages.model.index(0, 0))
    assert main.text_view.textCursor().hasSelection()
    report = tmp_path / "report.html"
    job = main.export_theme_report(str(report))
    job.wait()
    qtbot.waitUntil(lambda: report.exists(), timeout=WAIT)
    assert first.document in report.read_text(encoding="utf-8") or report.stat().st_size > 0
    main.runner.wait_all()
    main.close_project()


def test_times_named_and_places_are_told_apart(qtbot, project, runner):
    window = AttributesWindow(runner, "Supervisor")
    qtbot.addWidget(window)
    window.show()
    pane = window.panes["participant"]
    qtbot.waitUntil(lambda: pane.model.rowCount() == 44, timeout=WAIT)
    assert pane.model.index(13, 0).data() == "P14"
    # One paragraph names P14 twice: 15 times, 14 places; each count says what it counts.
    assert pane.model.index(13, 1).data() == "named 15 times in the documents"
    window.show_mentions("P14")
    qtbot.waitUntil(lambda: "P14 paying privately" in pane.mentions.toPlainText(), timeout=WAIT)
    text = pane.mentions.toPlainText()
    assert "P14: 14 places, each a paragraph naming P14" in text
    assert "one place however often the paragraph names them" in text


def test_a_maximised_crosstab_uses_the_width(qtbot, project, runner):
    window = CrosstabWindow(runner, "Supervisor")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.view is not None, timeout=WAIT)
    wait_idle(qtbot, runner)
    table = window.table
    for width in (1366, 900):  # maximised, then narrower again
        window.resize(width, 720)
        qtbot.wait(20)
        room = table.viewport().width()
        used = sum(table.columnWidth(c) for c in range(window.model.columnCount()))
        assert 0.9 * room <= used <= room, (width, used, room)
