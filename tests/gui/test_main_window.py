"""The main window driven as a user would: open, browse, filter, edit, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QMessageBox

from ketqual.gui.coding.document_dialog import DocumentDialog
from ketqual.gui.importing import import_dialogs
from ketqual.ops import queries
from ketqual.ops.importing import document_ops, import_ops


def test_real_fonts_are_installed(qapp):
    families = QFontDatabase.families()
    assert families, "no fonts: every glyph would be a box"


def test_welcome_screen_without_a_project(window):
    assert window.centre.currentIndex() == 0
    assert "Create a new project" in window.welcome.toPlainText()
    assert not window.import_action.isEnabled()


def test_open_demo_and_browse_documents(window, demo_path, qtbot):
    assert window.open_project(demo_path, coder="Tester")
    assert window.centre.currentIndex() == 1
    assert window.documents_proxy.rowCount() == 42
    assert "Session 1 – Group 1" in window.text_view.toPlainText()
    window.documents_view.selectRow(3)
    assert "Session 1 – Group 4" in window.text_view.toPlainText()
    assert "Session 1, Group 4" in window.document_header.text()
    window.filter_edit.setText("feedback")
    assert window.documents_proxy.rowCount() == 21
    window.filter_edit.clear()
    assert "42 documents" in window.statusBar().currentMessage()


def test_codebook_pane_shows_definitions(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    index = window.codebook_model.index(3, 0)  # Side-effects
    window.codebook_view.setCurrentIndex(index)
    html = window.code_details.toPlainText()
    assert "Side-effects" in html and "Definition" in html and "Do not use when" in html


def test_sentence_units_can_be_shown(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    assert window.text_view.extraSelections() == []
    window.units_action.trigger()
    selections = window.text_view.extraSelections()
    units = queries.document_units(window.project, window.document_id, "sentence")
    lo, hi = window.text_view.visible_range()
    on_screen = [i for i, u in enumerate(units) if u.start < hi and u.end > lo]
    # Alternate units are shaded so neighbours can be told apart; only those on screen.
    assert len(selections) == len([i for i in on_screen if i % 2 == 0]) > 3


def test_edit_document_details_through_the_dialog(window, demo_path, monkeypatch):
    window.open_project(demo_path, coder="Tester")
    window.documents_view.selectRow(0)

    def fake_exec(dialog: DocumentDialog) -> bool:
        dialog.notetaker.setText("scribe 1 (AB)")
        dialog.group.setValue(2)
        return True

    monkeypatch.setattr(DocumentDialog, "exec", fake_exec)
    window.edit_document()
    record = window.current_record()
    assert record.meta.notetaker == "scribe 1 (AB)" and record.meta.group == 2
    assert "Edited" in window.statusBar().currentMessage()


def test_refused_edit_shows_a_message_and_changes_nothing(window, demo_path, monkeypatch):
    window.open_project(demo_path, coder="Tester")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    before = window.current_record()
    change = window.runner.run(
        lambda p: document_ops.update_document(p, window.document_id, kind="poem"), parent=window
    )
    assert change is None
    assert warnings and "Kind must be" in warnings[0]  # one sentence, capitalised
    assert window.current_record() == before


def _import(window, qtbot, monkeypatch, files: list[Path]):
    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        return False

    monkeypatch.setattr(import_dialogs.ImportResultsDialog, "exec", fake_exec)
    window.start_import(files, import_ops.ImportOptions())
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    return shown[0]


def test_import_runs_in_a_worker_and_reports_each_file(
    window, demo_path, qtbot, monkeypatch, tmp_path
):
    window.open_project(demo_path, coder="Tester")
    good = tmp_path / "S3_G8_scribe.txt"
    good.write_text("Session 3 – Group 8\n- P50 had no side-effects at all.\n", encoding="utf-8")
    bad = tmp_path / "blank.txt"
    bad.write_text("   \n")
    dialog = _import(window, qtbot, monkeypatch, [good, bad])
    assert "1 imported, 0 skipped, 1 failed" in dialog.summary.text()
    assert window.documents_model.rowCount() == 43
    assert "P50" in window.text_view.toPlainText()
    assert window.runner.jobs == [] and window.imports.job is None


def test_duplicates_are_offered_for_reimport(window, demo_path, qtbot, monkeypatch, tmp_path):
    window.open_project(demo_path, coder="Tester")
    again = tmp_path / "S1_G1_scribe.txt"
    again.write_bytes(
        (Path(__file__).parents[2] / "ketqual/resources/demo/S1_G1_scribe.txt").read_bytes()
    )
    dialog = _import(window, qtbot, monkeypatch, [again])
    assert dialog.duplicates == [again]
    assert dialog.reimport_button is not None
    assert window.documents_model.rowCount() == 42


def test_font_size_changes_with_zoom(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    before = window.text_view.font().pointSize()
    window.change_font(+2)
    assert window.text_view.font().pointSize() == before + 2


def test_open_refuses_a_foreign_file_with_a_message(window, tmp_path, monkeypatch):
    fake = tmp_path / "x.ketqual"
    fake.write_text("hello")
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: messages.append(args[2]))
    assert not window.open_project(fake)
    assert messages and "not a KetQual project" in messages[0]
    assert window.project is None


@pytest.mark.parametrize("document", [None, 5])
def test_screenshot_is_not_blank(window, demo_path, qtbot, document):
    window.open_project(demo_path, coder="Tester")
    if document:
        window.select_document(document)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    image = window.grab().toImage()
    assert image.width() == 1280
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 20, "the window painted almost nothing"
    assert window.documents_view.isVisible() and window.text_view.toPlainText()


def test_an_import_cut_short_by_closing_does_not_block_the_next(
    window, demo_path, qtbot, monkeypatch, tmp_path
):
    window.open_project(demo_path, coder="Tester")
    note = tmp_path / "S3_G9_scribe.txt"
    note.write_text("Session 3 – Group 9\n- P60 spoke about travel.\n", encoding="utf-8")
    monkeypatch.setattr(import_dialogs.ImportResultsDialog, "exec", lambda dialog: False)
    window.start_import([note], import_ops.ImportOptions())
    window.close_project()  # the import is cancelled (or already done) with the project
    assert window.runner is None
    window.open_project(demo_path, coder="Tester")
    dialog = _import(window, qtbot, monkeypatch, [note])
    assert dialog.summary.text()  # this import ran: the old job did not hold it back


def test_recent_projects_survive_an_ini_file_with_one_path(window):
    # An INI settings file hands a one-path list back as a plain string.
    window.settings.setValue("recent", "/studies/pilot.ketqual")
    window.settings.sync()
    window.remember("/studies/main.ketqual")
    assert window.recent_projects() == ["/studies/main.ketqual", "/studies/pilot.ketqual"]
    assert [a.text() for a in window.recent_menu.actions()] == window.recent_projects()
