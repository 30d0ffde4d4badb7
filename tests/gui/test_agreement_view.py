"""The agreement window on the demo: models, background work, clicks, export, blinding,
and three coders ticked at once."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ketqual.core.agreement import explain
from ketqual.gui.agreement.agreement_model import (
    CODE_ID_ROLE,
    DOCUMENT_ID_ROLE,
    HeatmapModel,
    PooledModel,
)
from ketqual.gui.agreement.agreement_window import AgreementWindow
from ketqual.gui.runner import OperationRunner
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.team import coder_ops

WAIT = 60_000


@pytest.fixture(scope="module")
def unblinded(demo_master, tmp_path_factory):
    """The demo, unblinded by its supervisor (the module's tests only read it)."""
    path = tmp_path_factory.mktemp("agreement-gui") / "unblinded.ketqual"
    shutil.copy(demo_master, path)
    with project_ops.open_project(path, backup=False) as project:
        boss = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
        coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
    return path


@pytest.fixture(scope="module")
def result(unblinded):
    with project_ops.open_project(unblinded, backup=False) as project:
        return agreement_ops.compute_agreement(
            project, coder_a="Coder A", coder_b="Coder B", level="subtheme", n_replicates=50
        )


def _runner(qtbot, path):
    project = project_ops.open_project(path, backup=False)
    runner = OperationRunner(project)
    yield runner
    qtbot.waitUntil(lambda: not runner.jobs, timeout=WAIT)  # let background work end
    project.close()


@pytest.fixture
def runner(qtbot, unblinded):
    yield from _runner(qtbot, unblinded)


@pytest.fixture
def window(qtbot, runner):
    win = AgreementWindow(runner, "Supervisor")
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.computed, timeout=WAIT):
        pass  # the computation started in the constructor; its result arrives here
    return win


@pytest.fixture
def window_main(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from ketqual.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    yield win
    win.close_project()


@pytest.fixture(scope="module")
def three_coders(tmp_path_factory):
    """The demo with Coder C, unblinded."""
    path = tmp_path_factory.mktemp("agreement-three") / "three.ketqual"
    project, _ = demo_ops.build_demo(path, meeting=False, third_coder=True)
    boss = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
    coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
    project.close()
    return path


VIEWS = [
    (unit, name)
    for unit in ("character", "sentence", "paragraph", "document")
    for name in ("cohen_kappa", "percent_agreement", "dice")
] + [("character", "alpha_u")]


@pytest.mark.parametrize(("unit", "name"), VIEWS)
def test_heatmap_model_passes_model_tester(qtmodeltester, result, unit, name):
    model = HeatmapModel()
    model.set_view(result, unit, name)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 24
    model.set_view(result, "sentence", "alpha_u")  # not computed for sentences: empty
    assert model.rowCount() == model.columnCount() == 0


@pytest.mark.parametrize("unit", ["character", "document", None])
def test_pooled_model_passes_model_tester(qtmodeltester, result, unit):
    model = PooledModel()
    model.set_view(result if unit else None, unit or "character")
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == (0 if unit is None else len(result.statistics(unit)))


def test_empty_heatmap_model_passes_model_tester(qtmodeltester):
    model = HeatmapModel()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0


def test_heatmap_cells_margins_colours_and_tooltips(result):
    model = HeatmapModel()
    model.set_view(result, "character", "cohen_kappa")
    assert model.rowCount() == 24 and model.columnCount() == 43
    matrix = result.matrix("character", "cohen_kappa")
    undefined = defined = 0
    for i in range(23):
        for j in range(42):
            index = model.index(i, j + 1)
            stat = matrix.cell(i, j)
            assert model.data(index, CODE_ID_ROLE) == matrix.code_ids[i]
            assert model.data(index, DOCUMENT_ID_ROLE) == matrix.document_ids[j]
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if stat.value is None:
                undefined += 1
                assert model.data(index) == "–"
                assert f"undefined: {stat.reason}" in tip
                assert model.data(index, Qt.ItemDataRole.BackgroundRole).name() == "#dddddd"
            else:
                defined += 1
                assert float(model.data(index)) == pytest.approx(stat.value, abs=0.005)
                assert "only Coder A" in tip and "Click to open" in tip
    assert undefined and defined
    corner = model.index(23, 0)
    assert model.data(corner, CODE_ID_ROLE) is None and model.data(corner, DOCUMENT_ID_ROLE) is None
    overall = result.pooled("character", "cohen_kappa")
    assert model.data(corner) == explain.cell_text(overall.value)
    assert "95% CI" in model.data(corner, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "All\ndocuments"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "S1 G1\nnotes"
    assert model.headerData(23, Qt.Orientation.Vertical) == "All codes"
    assert model.headerData(1, Qt.Orientation.Vertical).strip() == (
        "Safety review and where doses are taken"
    )


def test_window_shows_pooled_figures_and_explanation(window):
    assert window.heatmap_model.rowCount() == 11  # ten themes and "All codes"
    assert window.heatmap_model.columnCount() == 43
    assert window.controls.export_button.isEnabled()
    assert not window.message.isVisible()
    model = window.side.model
    row = model.row_of("cohen_kappa")
    stat = window.result.pooled("character", "cohen_kappa")
    assert model.data(model.index(row, 1)) == explain.format_value("cohen_kappa", stat.value)
    assert model.data(model.index(row, 2)) == explain.format_ci(stat)
    assert model.data(model.index(row, 3)) == explain.band(stat).label
    text = window.side.explanation.toPlainText()
    assert "Agreement beyond what two coders would reach by chance" in text
    assert "Landis" in text and "Characters as units" in text
    assert "42 documents · 10 codes" in window.status.text()


def test_unit_and_statistic_change_the_view_without_recomputing(window, qtbot):
    before = window.result
    window.controls.unit.setCurrentIndex(window.controls.unit.findData("document"))
    names = [
        window.controls.statistic.itemData(i) for i in range(window.controls.statistic.count())
    ]
    assert "alpha_u" not in names and window.controls.view()[1] == "cohen_kappa"
    window.controls.choose_statistic("gwet_ac1")
    matrix = window.result.matrix("document", "gwet_ac1")
    value = matrix.cell(0, 0).value
    shown = window.heatmap_model.data(window.heatmap_model.index(0, 1))
    assert shown == explain.cell_text(value)
    assert "Gwet's AC1" in window.side.explanation.toPlainText()
    # Clicking a pooled row chooses that statistic.
    pooled = window.side
    index = pooled.model.index(pooled.model.row_of("percent_agreement"), 0)
    qtbot.mouseClick(
        pooled.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=pooled.table.visualRect(index).center(),
    )
    assert window.controls.view()[1] == "percent_agreement"
    assert window.result is before


def test_clicking_a_cell_opens_that_document_at_that_code(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    model = window.heatmap_model
    index = model.index(1, 3)
    expected = [model.data(index, DOCUMENT_ID_ROLE), model.data(index, CODE_ID_ROLE)]
    with qtbot.waitSignal(window.openDocument) as blocker:
        qtbot.mouseClick(
            window.heatmap.viewport(),
            Qt.MouseButton.LeftButton,
            pos=window.heatmap.visualRect(index).center(),
        )
    assert blocker.args == expected
    margin = model.index(1, 0)
    with qtbot.assertNotEmitted(window.openDocument):
        qtbot.mouseClick(
            window.heatmap.viewport(),
            Qt.MouseButton.LeftButton,
            pos=window.heatmap.visualRect(margin).center(),
        )


def test_level_and_layers_recompute_in_the_worker(window, qtbot):
    with qtbot.waitSignal(window.computed, timeout=WAIT):
        window.controls.level.setCurrentIndex(window.controls.level.findData("subtheme"))
    assert window.heatmap_model.rowCount() == 24 and window.result.level == "subtheme"
    with qtbot.waitSignal(window.failed, timeout=WAIT) as blocker:
        window.controls.tick("Coder A", "consensus")
    assert "Consensus has no codings" in blocker.args[0]
    assert window.message.text().startswith("Consensus has no codings")
    assert window.heatmap_model.rowCount() == 0
    assert not window.controls.export_button.isEnabled()


def test_changes_while_computing_are_computed_afterwards(window, qtbot):
    with qtbot.waitSignal(window.computed, timeout=WAIT):
        window.controls.level.setCurrentIndex(1)  # starts a computation
        window.controls.tick("Coder B")  # one layer: refused at once, nothing computed
        window.controls.tick("Coder A", "Coder B")  # queued behind the running one
    assert window.result.layer_names == ("Coder A", "Coder B")
    assert window.result.level == "subtheme"


def test_fewer_than_two_layers_is_a_message(window, qtbot):
    with qtbot.waitSignal(window.failed) as blocker:
        window.controls.tick("Coder A")
    assert "at least two layers" in blocker.args[0]
    assert window.result is None and not window.controls.export_button.isEnabled()


@pytest.mark.parametrize("fmt", ["xlsx", "html", "json", "csv"])
def test_export_in_a_worker(window, qtbot, tmp_path, fmt):
    with qtbot.waitSignal(window.exported, timeout=WAIT) as blocker:
        window.export_to(str(tmp_path / "report"), fmt)
    path = tmp_path / f"report.{fmt}"
    assert blocker.args == [str(path)] and path.stat().st_size > 1000
    if fmt == "xlsx":
        assert "Characters" in openpyxl.load_workbook(path).sheetnames
    assert "Wrote" in window.status.text()


def test_export_button_asks_for_a_file(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "chosen.html"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *args: (str(target), "HTML report (*.html)"),
    )
    with qtbot.waitSignal(window.exported, timeout=WAIT):
        window.controls.export_button.click()
    assert "What the figures mean" in target.read_text(encoding="utf-8")


def test_a_typed_suffix_wins_over_the_chosen_filter(window, qtbot, tmp_path):
    with qtbot.waitSignal(window.exported, timeout=WAIT) as blocker:
        window.export_to(str(tmp_path / "mine.json"), "xlsx")
    assert blocker.args == [str(tmp_path / "mine.json")]
    assert json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))["context"]


def test_export_failure_is_shown(window, qtbot, tmp_path):
    with qtbot.waitSignal(window.failed, timeout=WAIT) as blocker:
        window.export_to(str(tmp_path / "missing-folder" / "r.html"))
    assert "cannot write" in blocker.args[0] and not window.message.isHidden()


def test_blinded_project_shows_a_message_and_computes_nothing(qtbot, demo_master):
    gen = _runner(qtbot, demo_master)
    win = AgreementWindow(next(gen), "Coder A")
    qtbot.addWidget(win)
    win.show()
    assert win.message.isVisible()
    assert "blinded; a supervisor must unblind it" in win.message.text()
    assert not win._jobs and win.heatmap_model.rowCount() == 0
    assert not win.controls.export_button.isEnabled()
    # Coder A, Coder B, Supervisor, Consensus; the two coders ticked
    assert [b.text() for b in win.controls.layer_boxes] == [
        "Coder A",
        "Coder B",
        "Supervisor",
        "Consensus",
    ]
    assert win.controls.chosen_layers() == ["Coder A", "Coder B"]
    assert "Cohen's kappa" in win.side.explanation.toPlainText()
    win.close()
    next(gen, None)


def test_closing_while_computing_drops_the_result(qtbot, runner):
    win = AgreementWindow(runner, "Supervisor")
    qtbot.addWidget(win)
    assert "compute" in win._jobs
    win.close()
    assert not win._jobs
    qtbot.waitUntil(lambda: not runner.jobs, timeout=WAIT)
    assert win.result is None


def test_three_coders_ticked(qtbot, three_coders, tmp_path):
    gen = _runner(qtbot, three_coders)
    win = AgreementWindow(next(gen), "Supervisor")
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.computed, timeout=WAIT):
        pass
    assert win.controls.chosen_layers() == ["Coder A", "Coder B", "Coder C"]
    result = win.result
    assert result.n_coders == 3 and result.layer_names == ("Coder A", "Coder B", "Coder C")
    names = [win.controls.statistic.itemData(i) for i in range(win.controls.statistic.count())]
    assert "fleiss_kappa" in names and "light_kappa" in names and "cohen_kappa" not in names
    assert win.controls.view()[1] == "fleiss_kappa"
    assert "Coder A, Coder B and Coder C" in win.status.text()
    text = win.side.explanation.toPlainText()
    assert "Coder pairs" in text and "mean kappa with the others" in text
    assert "Pooled kappa (De Vries et al. 2008)" in text
    model = win.heatmap_model
    tip = model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert "coded by 0 coders" in tip and "3 coders" in tip
    win.controls.unit.setCurrentIndex(win.controls.unit.findData("character"))
    win.controls.choose_statistic("u_alpha_nominal")
    assert model.rowCount() == 11
    code_row = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "compares all codes at once" in code_row
    with qtbot.waitSignal(win.exported, timeout=WAIT):
        win.export_to(str(tmp_path / "three.html"))
    page = (tmp_path / "three.html").read_text(encoding="utf-8")
    assert "Coder A, Coder B and Coder C" in page and "Coder pairs" in page
    # Untick Coder B: two coders, and Fleiss' kappa gives way to Cohen's.
    win.controls.choose_statistic("fleiss_kappa")
    with qtbot.waitSignal(win.computed, timeout=WAIT):
        win.controls.tick("Coder A", "Coder C")
    assert win.result.n_coders == 2 and win.controls.view()[1] == "cohen_kappa"
    win.close()
    next(gen, None)


def test_opened_from_the_main_window_shows_every_compared_layer(window_main, three_coders, qtbot):
    copy = three_coders.parent / "main.ketqual"
    shutil.copy(three_coders, copy)
    assert window_main.open_project(copy, coder="Supervisor")
    window_main.open_agreement()
    agreement = window_main.agreement
    with qtbot.waitSignal(agreement.computed, timeout=WAIT):
        pass
    seen = []
    window_main.show_layers = seen.append
    index = agreement.heatmap_model.index(0, 1)
    window_main.show_agreement_cell(
        agreement.heatmap_model.data(index, DOCUMENT_ID_ROLE),
        agreement.heatmap_model.data(index, CODE_ID_ROLE),
    )
    assert seen == [["Coder A", "Coder B", "Coder C"]]
    agreement.close()
    qtbot.waitUntil(lambda: not agreement.runner.jobs, timeout=WAIT)


def test_changed_codings_are_computed_again(qtbot, window, runner):
    """A coding made elsewhere (the main window) marks the figures stale; the window
    computes them again when it is next active."""
    from ketqual.ops.coding import coding_ops

    before = window.result
    coder = coder_ops.find_coder(runner.project, "Coder A")
    code, document = next(iter(before.codes)), next(iter(before.documents))
    runner.run(
        lambda p: coding_ops.add_codings(p, coder.id, [coding_ops.NewCoding(document, code, 0, 5)])
    )
    assert window._stale and window.result is before  # not active: it waits
    with qtbot.waitSignal(window.computed, timeout=WAIT):
        window.show()
        window.activateWindow()
    assert window.result is not before and not window._stale
