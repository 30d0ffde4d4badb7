"""The coding screen driven as a coder would: keys, double-click, drop, menus, undo."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from ketqual.gui.coding import coding_menus
from ketqual.ops import queries
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.team import coder_ops
from tests.factories import add_document


def my_codings(window):
    return coding_ops.document_codings(
        window.project,
        window.document_id,
        viewer_id=window.coding.coder.id,
        layers=[window.coding.coder.id],
    )


def select_words(window, words: str) -> tuple[int, int]:
    start = window.text_view.text.index(words)
    window.text_view.select_span(start, start + len(words))
    return start, start + len(words)


def highlight_colours(window) -> set[str]:
    return {
        s.format.background().color().name().upper()
        for s in window.text_view.extraSelections()
        if s.format.background().style() != Qt.BrushStyle.NoBrush
    }


def test_code_by_number_key_highlights_counts_and_saves(window, demo_path, qtbot):
    window.open_project(demo_path, coder="Tester")
    span = select_words(window, "Topic")
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_1)
    [coding] = my_codings(window)
    monitoring = codebook_ops.find_code(window.project, "Monitoring")
    assert (coding.start, coding.end, coding.code_id) == (*span, monitoring.id)
    assert monitoring.colour.upper() in highlight_colours(window)
    assert (
        window.codebook.model.data(window.codebook.model.index_of(monitoring.id).siblingAtColumn(2))
        == "1 + 0"  # the theme's own codings + its subthemes'
    )
    assert window.documents_model.progress_text(window.document_id, window.coding.coder.id) == "1"
    assert window.text_view.stripe_rects(), "a stripe is drawn in the margin"


def test_mid_word_selection_snaps_to_whole_words(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    start = window.text_view.text.index("experiences")
    window.text_view.select_span(start + 3, start + 7)
    assert window.text_view.selected_span() == (start, start + len("experiences"))
    window.snap_action.trigger()  # off
    assert window.text_view.selected_span() == (start + 3, start + 7)


def test_code_by_double_click_and_by_drop(window, demo_path, qtbot):
    window.open_project(demo_path, coder="Tester")
    window.show()
    qtbot.waitExposed(window)
    cost = codebook_ops.find_code(window.project, "Cost")
    stigma = codebook_ops.find_code(window.project, "Stigma")
    select_words(window, "Session 1")
    index = window.codebook.model.index_of(cost.id)
    rect = window.codebook_view.visualRect(index)
    # Item views need the press before the double-click, as a real mouse sends it.
    qtbot.mouseClick(window.codebook_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.codebook_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    select_words(window, "Scribe")
    mime = QMimeData()
    mime.setText("Scribe")
    target = window.codebook_view.visualRect(window.codebook.model.index_of(stigma.id)).center()

    class FromTheText(QDropEvent):
        def source(self):
            return window.text_view

    drop = FromTheText(
        target,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.codebook_view.dropEvent(drop)
    assert sorted(c.code_id for c in my_codings(window)) == sorted([cost.id, stigma.id])


def test_click_selects_a_whole_sentence_when_asked(window, demo_path, qtbot):
    window.open_project(demo_path, coder="Tester")
    window.unit_click_action.trigger()
    units = queries.document_units(window.project, window.document_id, "sentence")
    unit = units[3]
    cursor = window.text_view.textCursor()
    cursor.setPosition(window.text_view.offsets.to_qt(unit.start + 2))
    point = window.text_view.cursorRect(cursor).center()
    qtbot.mouseClick(window.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.text_view.selected_span() is not None
    cursor = window.text_view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (
        window.text_view.offsets.to_qt(unit.start),
        window.text_view.offsets.to_qt(unit.end),
    )


def test_undo_and_redo_across_documents(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    first = window.document_id
    select_words(window, "Topic")
    window.code_with_key("1")
    second = window.documents_model.document_id(1)
    window.select_document(second)
    select_words(window, "Topic")
    window.code_with_key("2")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert window.document_id == second and my_codings(window) == []
    window.undo_action.trigger()
    assert window.document_id == first and my_codings(window) == []
    window.redo_action.trigger()
    assert window.document_id == first and len(my_codings(window)) == 1
    assert window.redo_action.shortcuts()[0].toString() == "Ctrl+Shift+Z"


def test_memo_recode_and_remove_from_a_coding(window, demo_path, monkeypatch):
    window.open_project(demo_path, coder="Tester")
    select_words(window, "Topic")
    window.code_with_key("1")
    [coding] = my_codings(window)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Unsure here", True))
    window.menus.memo(coding.id)
    [coding] = my_codings(window)
    assert coding.memo == "Unsure here"
    shown = window.text_view.codings_at(coding.start)
    assert "Unsure here" in window.text_view.describe(shown)
    assert "Tester" in window.text_view.describe(shown)
    cost = codebook_ops.find_code(window.project, "Cost")
    window.coding.recode([coding.id], cost.id)
    assert my_codings(window)[0].code_id == cost.id
    window.coding.remove([coding.id])
    assert my_codings(window) == []
    window.undo_action.trigger()
    [back] = my_codings(window)
    assert (back.code_id, back.memo) == (cost.id, "Unsure here")


def test_context_menu_offers_coding_actions(window, demo_path, qtbot, monkeypatch):
    window.open_project(demo_path, coder="Tester")
    span = select_words(window, "Topic")
    window.code_with_key("1")
    menus = []

    class RecordingMenu(QMenu):
        def exec(self, *args):
            menus.append(self)

    monkeypatch.setattr(coding_menus, "QMenu", RecordingMenu)
    window.menus.text_menu(span[0], QPoint(0, 0))
    labels = [a.text() for a in menus[0].actions()]
    assert any("Monitoring · Tester" in label for label in labels)
    window.menus.coding_menu([my_codings(window)[0].id], QPoint(0, 0))
    sub = menus[1].actions()[0].menu()
    assert [a.text() for a in sub.actions()][-1] == "Remove coding"
    sub.actions()[-1].trigger()
    assert my_codings(window) == []


def test_blinded_coder_sees_only_own_codings_until_unblinded(window, demo_path, monkeypatch):
    window.open_project(demo_path, coder="Sam")
    project = window.project
    b = coder_ops.find_coder(project, "Coder B").id
    doc = window.document_id
    coding_ops.add_codings(
        project, b, [NewCoding(doc, codebook_ops.find_code(project, "Cost").id, 0, 7)]
    )
    window.select_document(doc)
    assert window.coding.shown == {}  # the demo coders' codings stay hidden
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    window.show_layers(["Coder B"])
    assert warnings and "blinded" in warnings[0]
    assert window.coding.shown == {}
    assert "blinded" in window.coder_label.text()

    coder_ops.add_coder(project, "Boss", role="supervisor")
    boss = coder_ops.find_coder(project, "Boss")
    window.coding.start(window.runner, boss)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("consensus meeting", True))
    window.menus.toggle_blinding()
    assert coder_ops.blinding(project).unblinded
    window.show_layers(["Boss", "Coder B"])
    assert {c.coder_id for c in window.coding.shown.values()} == {b}
    assert "Coder B's codings" in " ".join(
        window.documents_model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for i in range(window.documents_model.columnCount())
    )
    window.show_layers(["Coder A", "Coder B"])
    groups = window.text_view.layer_groups()
    assert set(groups) == {"Coder A", "Coder B"}  # side by side, each block labelled
    assert groups["Coder A"][1] < groups["Coder B"][0]
    with project.read() as tx:
        [event] = tx.audit.list(action="project.unblind")
    assert event.actor == "Boss" and "consensus meeting" in event.summary


def test_emoji_offsets_are_stored_as_code_points(window, tmp_path):
    from tests.factories import make_project

    project = make_project(tmp_path)
    text = "P1 😟😟 said e\u0301 then \r\n“lifted the fog” quickly"
    doc = add_document(project, text.replace("\r\n", "\n"))
    project.close()
    window.open_project(tmp_path / "study.ketqual", coder="Tester")
    window.select_document(doc)
    select_words(window, "lifted the fog")
    window.code_with_key("6")
    [coding] = my_codings(window)
    stored = queries.document_text(window.project, doc)
    assert stored[coding.start : coding.end] == "lifted the fog"
    assert window.text_view.offsets.to_qt(coding.start) == coding.start + 2  # two emoji


def test_search_and_code_all_hits_is_one_undo_step(window, demo_path, qtbot):
    window.open_project(demo_path, coder="Tester")
    window.find_action.trigger()
    assert window.search_dock.isVisible() or not window.isVisible()
    window.search.query.setText("bladder")
    window.search.scope.setCurrentIndex(1)
    with qtbot.waitSignal(window.search.model.modelReset, timeout=10_000):
        window.search.find_button.click()
    hits = window.search.model.hits()
    assert len({h.document_id for h in hits}) > 1
    cost = codebook_ops.find_code(window.project, "Side-effects/Physical effects")
    index = window.search.code_choice.findData(cost.id)
    window.search.code_choice.setCurrentIndex(index)
    before = window.coding.undo_stack.count()
    window.search.code_all.click()
    assert window.coding.undo_stack.count() == before + 1
    counts = coding_ops.coding_counts(window.project, window.coding.coder.id)
    assert counts[cost.id] == len(hits)
    with window.project.read() as tx:
        assert tx.audit.list(action="coding.bulk_add")
    window.undo_action.trigger()
    assert coding_ops.coding_counts(window.project, window.coding.coder.id) == {}


def test_bad_regex_is_explained_not_raised(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    window.search.regex.setChecked(True)
    window.search.query.setText("(")
    window.search.find_button.click()
    assert "regular expression" in window.search.status.text()


def test_codebook_edits_from_the_pane_are_undoable(window, demo_path, monkeypatch):
    window.open_project(demo_path, coder="Tester")
    cost = codebook_ops.find_code(window.project, "Cost")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Money", True))
    window.codebook.rename(cost)
    assert codebook_ops.find_code(window.project, "Money").id == cost.id
    assert window.codebook.model.index_of(cost.id).data() == "Money"
    window.undo_action.trigger()
    assert codebook_ops.find_code(window.project, "Cost").id == cost.id
    window.codebook.add_theme()
    assert codebook_ops.find_code(window.project, "Money").parent_id is None
    window.undo_action.trigger()
    assert all(c.name != "Money" for c in queries.list_codes(window.project)[0])


def test_mark_done_shows_in_progress_column(window, demo_path):
    window.open_project(demo_path, coder="Tester")
    window.done_action.trigger()
    me = window.coding.coder.id
    assert window.documents_model.progress_text(window.document_id, me).startswith("✓")
    assert window.done_action.isChecked()
    window.undo_action.trigger()
    assert not window.documents_model.progress_text(window.document_id, me)


def test_coder_is_remembered_per_project(window, demo_path, monkeypatch):
    window.open_project(demo_path, coder="Tester")
    window.close_project()
    from ketqual.gui.team import coder_dialog

    monkeypatch.setattr(coder_dialog.CoderDialog, "exec", lambda self: 0)
    assert window.open_project(demo_path)
    assert window.coding.coder.name == "Tester"


def test_coder_dialog_creates_or_picks_an_identity(demo_path, qtbot, monkeypatch):
    from ketqual.gui.runner import OperationRunner
    from ketqual.gui.team.coder_dialog import NEW_ROW, CoderDialog
    from ketqual.ops import project_ops

    project = project_ops.open_project(demo_path, backup=False)
    runner = OperationRunner(project)
    try:
        dialog = CoderDialog(runner)
        qtbot.addWidget(dialog)
        names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert names[:2] == ["Coder A  (coder)", "Coder B  (coder)"] and names[-1] == NEW_ROW
        dialog.list.setCurrentRow(dialog.list.count() - 1)
        assert dialog.name.isEnabled()
        dialog.name.setText("Priya")
        dialog.role.setCurrentText("supervisor")
        dialog.accept()
        assert dialog.chosen.name == "Priya" and dialog.chosen.role == "supervisor"

        again = CoderDialog(runner)
        qtbot.addWidget(again)
        again.list.setCurrentRow(again.list.count() - 1)
        again.name.setText("priya")  # same person, different case: refused, not duplicated
        warnings = []
        monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
        again.accept()
        assert again.chosen is None and "already" in warnings[0]
        again.list.setCurrentRow(1)
        again.accept()
        assert again.chosen.name == "Coder B"
    finally:
        project.close()


def test_agreement_window_opens_from_the_menu_and_a_cell_opens_the_document(
    window, demo_path, qtbot
):
    from ketqual.ops import project_ops

    project = project_ops.open_project(demo_path, backup=False)
    boss = coder_ops.find_coder(project, "Supervisor").id
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="agreement")
    project.close()
    window.open_project(demo_path, coder="Supervisor")
    with qtbot.waitSignal(window.agreement_action.triggered, timeout=1000):
        window.agreement_action.trigger()
    agreement = window.agreement
    qtbot.waitUntil(lambda: agreement.result is not None, timeout=30_000)
    doc = window.documents_model.document_id(5)
    code = codebook_ops.find_code(window.project, "Monitoring").id
    agreement.openDocument.emit(doc, code)
    assert window.document_id == doc
    assert window.codebook.current_code().id == code
    shown_layers = {window.coding.layer_name(c.coder_id) for c in window.coding.shown.values()}
    assert shown_layers == {"Coder A", "Coder B"}
    window.close_project()
    assert window.agreement is None
