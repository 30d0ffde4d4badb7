"""The network window on the demo: models, dragging boxes, deciding edges, exporting."""

from __future__ import annotations

import shutil

import networkx as nx
import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from ketqual.gui.network.network_models import CooccurrenceModel, EdgeListModel
from ketqual.gui.network.network_window import NetworkWindow
from ketqual.gui.runner import OperationRunner
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.network import network_ops
from ketqual.ops.team import coder_ops


def _copy_coder_a_to_consensus(project) -> None:
    with project.transaction() as tx:
        coder = tx.coders.by_name("Coder A")
        tx.codings.add_many(
            [
                {
                    "document_id": c.document_id,
                    "code_id": c.code_id,
                    "coder_id": None,
                    "start": c.start,
                    "end": c.end,
                }
                for c in tx.codings.list(coder_id=coder.id)
            ]
        )


@pytest.fixture(scope="module")
def consensus_master(demo_master, tmp_path_factory):
    """The demo unblinded, with Coder A's codings as a stand-in consensus layer."""
    path = tmp_path_factory.mktemp("network-gui") / "consensus.ketqual"
    shutil.copy(demo_master, path)
    with project_ops.open_project(path, backup=False) as project:
        boss = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
        coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
        _copy_coder_a_to_consensus(project)
    return path


@pytest.fixture
def project_path(consensus_master, tmp_path):
    path = tmp_path / "consensus.ketqual"
    shutil.copy(consensus_master, path)
    return path


@pytest.fixture
def runners():
    """Runners over projects opened by a test, closed after it."""
    made: list[OperationRunner] = []

    def runner_of(path) -> OperationRunner:
        made.append(OperationRunner(project_ops.open_project(path, backup=False)))
        return made[-1]

    yield runner_of
    for runner in made:
        runner.close()


@pytest.fixture
def net(qtbot, project_path, runners):
    win = NetworkWindow(runners(project_path), demo_ops.DEMO_SUPERVISOR)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _view(path, **kw):
    with project_ops.open_project(path, backup=False) as project:
        return network_ops.compute_network(project, **kw)


@pytest.mark.parametrize("show", ["count", "measure"])
def test_models_pass_the_model_tester(qtmodeltester, project_path, show):
    view = _view(project_path)
    edges = EdgeListModel()
    edges.set_view(view)
    qtmodeltester.check(edges, force_py=True)
    assert edges.rowCount() == len(view.edges) > 0
    table = CooccurrenceModel()
    table.set_view(view, show)
    qtmodeltester.check(table, force_py=True)
    assert table.rowCount() == table.columnCount() == 10
    for model in (edges, table):
        model.set_view(None)
        qtmodeltester.check(model, force_py=True)
        assert model.rowCount() == 0


def test_opens_on_the_consensus_with_every_theme_and_the_shown_edges(net, project_path):
    assert net.controls.layer.currentData() == "consensus"
    view = net.view
    assert view is not None and view.layer == "consensus"
    assert len(net.scene.boxes) == 10
    assert len(net.scene.edges) == len(view.shown) > 0
    assert net.table_model.rowCount() == 10
    assert "Consensus coding: 10 of 10 themes" in net.status.text()


def test_changing_the_unit_and_measure_recomputes(net, qtbot):
    with qtbot.waitSignal(net.computed):
        net.controls.unit.setCurrentIndex(net.controls.unit.findData("case"))
    assert net.view.unit == "case"
    with qtbot.waitSignal(net.computed):
        net.controls.measure.setCurrentIndex(net.controls.measure.findData("count"))
    assert net.view.measure == "count" and net.controls.threshold.value() == 5


def test_choosing_themes_redraws_only_those(net, qtbot, monkeypatch, tmp_path):
    controls = net.controls
    with qtbot.waitSignal(net.computed):
        controls.themes.setCurrentIndex(controls.themes.findData("top"))
    assert controls.top.isEnabled() and not controls.pick_button.isEnabled()
    with qtbot.waitSignal(net.computed):
        controls.top.setValue(3)
    assert len(net.scene.boxes) == 3 and len(net.view.themes) == 3
    assert "3 of 10 themes" in net.status.text()
    biggest = sorted(net.view.result.themes, key=lambda t: -t.n)[:3]
    assert {t.code_id for t in biggest} == set(net.view.themes)
    with qtbot.waitSignal(net.computed):
        controls.themes.setCurrentIndex(controls.themes.findData("edges"))
    linked = {e.source for e in net.view.shown} | {e.target for e in net.view.shown}
    assert set(net.view.themes) == linked

    from ketqual.gui.network import network_panels

    def pick(dialog):
        dialog._set_all(Qt.CheckState.Unchecked)
        dialog.model.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.model.item(2).setCheckState(Qt.CheckState.Checked)
        return network_panels.QDialog.DialogCode.Accepted

    monkeypatch.setattr(network_panels.ThemePickerDialog, "exec", pick)
    with qtbot.waitSignal(net.computed):
        controls.themes.setCurrentIndex(controls.themes.findData("names"))
    names = [net.view.name(i) for i in net.view.themes]
    assert names == [controls.theme_names[0], controls.theme_names[2]]
    path = tmp_path / "two.graphml"
    assert net.export_to(str(path))
    graph = nx.read_graphml(path)
    assert sorted(d["label"] for _n, d in graph.nodes(data=True)) == sorted(names)
    assert all("x" in d and "width" in d for _n, d in graph.nodes(data=True))
    net.resize(1366, 768)
    assert net.minimumSizeHint().width() <= 1366


def test_dragging_a_box_saves_the_layout(net, qtbot, project_path):
    item = next(iter(net.scene.boxes.values()))
    before = item.pos()
    start = net.canvas.mapFromScene(item.pos())
    end = start + QPoint(60, 40)
    viewport = net.canvas.viewport()
    with qtbot.waitSignal(net.scene.boxesMoved):
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        QTest.mouseMove(viewport, start + QPoint(10, 10))
        QTest.mouseMove(viewport, end)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert item.pos() != before
    where, uid = (item.pos().x(), item.pos().y()), item.uid
    saved = _view(project_path).figure.positions
    assert len(saved) == 10
    assert saved[uid] == pytest.approx(where, abs=0.1)
    # The next computation keeps the box where it was put.
    with qtbot.waitSignal(net.computed):
        net.controls.unit.setCurrentIndex(net.controls.unit.findData("sentence"))
    moved = next(b for b in net.scene.boxes.values() if b.uid == uid)
    assert (moved.pos().x(), moved.pos().y()) == pytest.approx(where, abs=0.1)
    net.reset_layout()
    assert _view(project_path).figure.positions == {}


def test_accepting_and_drawing_edges(net, qtbot, project_path):
    first = net.edges.model.edge(0)
    net.edges.table.selectRow(0)
    before = net.scene.positions()
    button_at = net.edges.accept_button.mapTo(net, net.edges.accept_button.rect().topLeft())
    with qtbot.waitSignal(net.computed):
        qtbot.mouseClick(net.edges.accept_button, Qt.MouseButton.LeftButton)
    # Deciding an edge keeps every box where it was, and the buttons under the pointer.
    assert net.scene.positions() == before
    assert net.edges.accept_button.mapTo(net, net.edges.accept_button.rect().topLeft()) == (
        button_at
    )
    view = net.view
    assert view.basis == "accepted"
    assert [(e.source, e.target) for e in view.shown] == [(first.source, first.target)]
    assert view.shown[0].decision.actor == demo_ops.DEMO_SUPERVISOR
    assert len(net.scene.edges) == 1
    assert "accepted and drawn edges" in net.edges.note.text()

    panel = net.edges
    panel.first.setCurrentIndex(panel.first.findText("Cost"))
    panel.second.setCurrentIndex(panel.second.findText("Therapy"))
    panel.directed.setChecked(True)
    with qtbot.waitSignal(net.computed):
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    drawn = [e for e in net.view.shown if e.state == "drawn"]
    assert [(net.view.name(e.source), net.view.name(e.target)) for e in drawn] == [
        ("Cost", "Therapy")
    ]
    assert drawn[0].directed and len(net.scene.edges) == 2

    row = next(r for r in range(panel.model.rowCount()) if panel.model.edge(r).state == "drawn")
    panel.table.selectRow(row)
    with qtbot.waitSignal(net.computed):
        qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert [e.state for e in net.view.shown] == ["accepted"]


def test_deciding_without_a_selection_says_so(net, qtbot):
    net.edges.table.clearSelection()
    with qtbot.waitSignal(net.failed) as signal:
        qtbot.mouseClick(net.edges.reject_button, Qt.MouseButton.LeftButton)
    assert "select one or more edges" in signal.args[0]


def test_selecting_an_edge_highlights_it(net):
    net.edges.table.selectRow(0)
    highlighted = [e for e in net.scene.edges if e.highlighted]
    edge = net.edges.model.edge(0)
    assert [(e.edge.source, e.edge.target) for e in highlighted] == [(edge.source, edge.target)]


def test_zoom_keys_and_fit(net, qtbot):
    scale = net.canvas.transform().m11()
    net.canvas.setFocus()
    QTest.keyClick(net.canvas, Qt.Key.Key_Plus)
    assert net.canvas.transform().m11() == pytest.approx(scale * 1.2)
    QTest.keyClick(net.canvas, Qt.Key.Key_Minus)
    assert net.canvas.transform().m11() == pytest.approx(scale)
    net.canvas.zoom(100)
    assert net.canvas.transform().m11() == pytest.approx(5.0)


def test_export_every_kind(net, tmp_path):
    assert net.export_to(str(tmp_path / "figure"), "pdf")
    assert len(PdfReader(tmp_path / "figure.pdf").pages) == 1
    assert net.export_to(str(tmp_path / "figure.svg"), "pdf")  # the typed suffix wins
    assert (tmp_path / "figure.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert net.export_to(str(tmp_path / "graph.graphml"))
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() == 10
    assert net.export_to(str(tmp_path / "table"), "xlsx", "table")
    assert openpyxl.load_workbook(tmp_path / "table.xlsx").sheetnames[0] == "Counts"
    assert not net.export_to(str(tmp_path / "missing" / "f.png"))
    assert net.message.isVisible() and "Cannot write" in net.message.text()


def test_a_blinded_coder_sees_only_their_own_layer(qtbot, demo_path, runners):
    runner = runners(demo_path)
    win = NetworkWindow(runner, "Coder A")
    qtbot.addWidget(win)
    assert [win.controls.layer.itemData(i) for i in range(win.controls.layer.count())] == [
        "Coder A"
    ]
    assert win.view is not None and win.view.layer == "Coder A"
    boss = NetworkWindow(runner, demo_ops.DEMO_SUPERVISOR)
    qtbot.addWidget(boss)
    assert boss.view is None and boss.controls.layer.count() == 0
    assert "blinded" in boss.message.text()


def test_main_window_opens_the_network_from_the_outputs_menu(window, project_path, qtbot):
    window.open_project(project_path, coder=demo_ops.DEMO_SUPERVISOR)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Outputs") == menus.index("&Project") + 1
    assert window.network_action.isEnabled()
    window.network_action.trigger()
    net = window.network
    assert net is not None and net.isVisible() and net.view is not None
    assert net.view.layer == "consensus"
    window.close_project()
    assert window.network is None and not net.isVisible()


def test_fitted_top_themes_leave_a_margin_and_no_scroll_bars(net, qtbot):
    net.resize(1280, 744)
    controls = net.controls
    with qtbot.waitSignal(net.computed):
        controls.themes.setCurrentIndex(controls.themes.findData("top"))
    with qtbot.waitSignal(net.computed):
        controls.top.setValue(6)
    controls.fit_button.click()
    canvas = net.canvas
    assert not canvas.horizontalScrollBar().isVisible()
    assert not canvas.verticalScrollBar().isVisible()
    room = canvas.viewport().rect()
    for box in net.scene.boxes.values():
        shown = canvas.mapFromScene(box.sceneBoundingRect()).boundingRect()
        assert room.adjusted(6, 6, -6, -6).contains(shown), "a box touches the edge"
    # Zooming gives the whole scene back to scroll over.
    canvas.zoom(1.2)
    assert canvas.sceneRect() == net.scene.sceneRect()


def test_the_edge_list_lists_the_edges_between_the_themes_shown(net, qtbot):
    controls = net.controls
    with qtbot.waitSignal(net.computed):
        controls.themes.setCurrentIndex(controls.themes.findData("top"))
    with qtbot.waitSignal(net.computed):
        controls.top.setValue(6)
    view, model = net.view, net.edges.model
    shown = set(view.themes)
    listed = [model.edge(row) for row in range(model.rowCount())]
    assert listed and all(e.source in shown and e.target in shown for e in listed)
    assert len(view.edges) > len(listed)  # edges to hidden themes are left out
    candidates = [e for e in listed if e.state == "candidate"]
    assert f"{len(candidates)} candidate edges shown" in net.status.text()
    assert "between the 6 themes shown" in net.edges.heading.text()


def test_the_decision_column_of_the_edge_list_is_in_view(net, qtbot):
    net.resize(1280, 744)
    qtbot.wait(20)
    table = net.edges.table
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(4) + header.sectionSize(4)
    assert right <= table.viewport().width()
    assert header.sectionSize(4) >= table.sizeHintForColumn(4)  # "candidate" whole
