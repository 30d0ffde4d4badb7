"""File › Export / Import › REFI-QDA in the app: layers asked, summary shown before import,
work off the GUI thread through the runner, the new project opened."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox

from ketqual.gui.exchange.exchange_dialogs import ExportDialog, ImportSummaryDialog
from ketqual.ops.exchange import qdpx_import
from ketqual.ops.team import coder_ops

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda" / "samples"


def _files(monkeypatch, *, save=None, open_=None):
    if save is not None:
        saves = list(save) if isinstance(save, list) else [save]
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saves.pop(0)), ""))
    if open_ is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(open_), ""))
    shown = {"warning": [], "information": []}
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown["warning"].append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown["information"].append(a[2]))
    return shown


def test_menus(window, demo_path):
    assert window.import_qdpx_action.isEnabled()
    assert not window.export_qdpx_action.isEnabled() and not window.import_qdc_action.isEnabled()
    assert window.open_project(demo_path, coder="Coder A")
    for name in ("export_qdpx_action", "export_qdc_action", "import_qdc_action"):
        assert getattr(window, name).isEnabled(), name


def test_blinded_coder_exports_only_their_layer(window, demo_path, tmp_path, qtbot, monkeypatch):
    assert window.open_project(demo_path, coder="Coder A")
    asked = []
    monkeypatch.setattr(
        window.exchange,
        "ask_layers",
        lambda layers, blinded: asked.append((layers, blinded)) or layers,
    )
    shown = _files(monkeypatch, save=tmp_path / "mine")
    window.export_qdpx_action.trigger()
    assert asked == [(["Coder A"], True)]
    qtbot.waitUntil(lambda: window.exchange.last_job.finished, timeout=60_000)
    assert shown["warning"] == []
    with zipfile.ZipFile(tmp_path / "mine.qdpx") as archive:
        xml = archive.read("project.qde").decode()
    assert "Coder B" not in xml and 'name="Coder A"' in xml
    assert "Wrote mine.qdpx" in window.statusBar().currentMessage()


def test_export_dialog_says_where_the_consensus_goes(qtbot):
    dialog = ExportDialog(["Coder A", "Coder B", "Consensus"], blinded=False)
    qtbot.addWidget(dialog)
    texts = [box.text() for box in dialog.boxes]
    assert texts[2] == "Consensus layer (goes out as a user named “Consensus”)"
    dialog.boxes[1].setChecked(False)
    assert dialog.layers() == ["Coder A", "Consensus"]


def test_import_shows_the_loss_first_then_opens_the_new_project(
    window, tmp_path, qtbot, monkeypatch
):
    sample = SAMPLES / "refi-spec-example3_atlasti-8-mac_TestProject.qdpx"
    summaries = []

    def decline(plan):
        summaries.append(plan.summary)
        return False, None

    monkeypatch.setattr(window.exchange, "ask_go_ahead", decline)
    _files(monkeypatch, open_=sample)
    window.import_qdpx_action.trigger()
    qtbot.waitUntil(lambda: window.exchange.last_job.finished, timeout=60_000)
    assert summaries and "2 videos" in summaries[0].lost
    assert window.project is None and list(tmp_path.iterdir()) == []

    answers = [(False, "utf16"), (True, None)]  # read again another way, then go ahead
    monkeypatch.setattr(window.exchange, "ask_go_ahead", lambda plan: answers.pop(0))
    monkeypatch.setattr(
        window.menus, "choose_coder", lambda runner, name: coder_ops.list_coders(runner.project)[0]
    )
    target = tmp_path / "imported.ketqual"
    _files(monkeypatch, open_=SAMPLES / "qc-1.3.2_demo.qdpx", save=target)
    window.import_qdpx_action.trigger()
    qtbot.waitUntil(lambda: window.project is not None, timeout=60_000)
    assert answers == []
    assert window.project.location == str(target)
    assert "205 codings" in window.statusBar().currentMessage()


def test_summary_dialog_fits_and_offers_another_reading(qtbot, tmp_path):
    plan = qdpx_import.read_qdpx(SAMPLES / "refi-spec-example3_atlasti-8-mac_TestProject.qdpx")
    dialog = ImportSummaryDialog(plan.summary)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 768
    assert dialog.grab().save(str(tmp_path / "summary.png"))
    dialog.positions.setCurrentIndex(2)
    dialog._read_again()
    assert dialog.reread == "utf16"


def test_codebook_import_into_the_open_project(window, demo_path, monkeypatch):
    assert window.open_project(demo_path, coder="Supervisor")
    shown = _files(monkeypatch, open_=SAMPLES / "taguette-1.4.1_codebook.qdc")
    window.import_qdc_action.trigger()
    assert shown["warning"] == []
    assert shown["information"][0].startswith("Imported the codebook of taguette")
    assert len(window.coding.codes) == 26


def test_export_dialog_ticks_only_layers_with_codings_and_claims_no_more(qtbot):
    codings = {"Coder A": 486, "Coder B": 504, "Consensus": 496}
    layers = ["Coder A", "Coder B", "Supervisor", "Consensus"]
    dialog = ExportDialog(layers, blinded=False, codings=codings)
    qtbot.addWidget(dialog)
    assert dialog.layers() == ["Coder A", "Coder B", "Consensus"]
    assert dialog.boxes[2].text() == "Supervisor (no codings)"
    intro = dialog.findChildren(QLabel)[0].text()
    assert "REFI-QDA exchange format that NVivo, ATLAS.ti, MAXQDA and QualCoder read" in intro
    assert "opens in" not in intro


def test_the_menu_ticks_the_layers_with_codings(window, demo_path, monkeypatch):
    from ketqual.ops import demo_ops

    path = demo_path.with_name("meeting.ketqual")
    project, _ = demo_ops.build_demo(path, meeting=True)
    project.close()
    assert window.open_project(path, coder="Supervisor")
    seen = []

    def look(dialog):
        seen.append({box.property("layer"): box.isChecked() for box in dialog.boxes})
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ExportDialog, "exec", look)
    window.export_qdpx_action.trigger()
    assert seen == [{"Coder A": True, "Coder B": True, "Supervisor": False, "Consensus": True}]
