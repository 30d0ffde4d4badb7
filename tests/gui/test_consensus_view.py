"""The consensus review window on the demo: a walk through the queue by keyboard, roles,
filters, edits, the log, and opening a passage in the main window."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHeaderView

from ketqual.gui.consensus import consensus_model, consensus_window
from ketqual.gui.consensus.consensus_model import DecisionLogModel, QueueModel
from ketqual.gui.consensus.consensus_window import ConsensusWindow
from ketqual.gui.runner import OperationRunner
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.consensus import consensus_ops, decision_log
from ketqual.ops.team import coder_ops

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(scope="module")
def reviewed(demo_master, tmp_path_factory):
    """The demo, unblinded, with a sentence-unit review of Coder A and Coder B."""
    path = tmp_path_factory.mktemp("consensus-gui") / "reviewed.ketqual"
    shutil.copy(demo_master, path)
    with project_ops.open_project(path, backup=False) as project:
        boss = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
        if not coder_ops.blinding(project).unblinded:
            coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=True, reason="tests")
        consensus_ops.start_review(
            project, supervisor=boss.id, coder_a="Coder A", coder_b="Coder B"
        )
    return path


@pytest.fixture
def project(reviewed, tmp_path):
    path = tmp_path / "copy.ketqual"
    shutil.copy(reviewed, path)
    store = project_ops.open_project(path, backup=False)
    yield store
    store.close()


def _open(qtbot, project, name=demo_ops.DEMO_SUPERVISOR) -> ConsensusWindow:
    win = ConsensusWindow(OperationRunner(project), coder_ops.find_coder(project, name))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # window shortcuts fire only in the active window
    return win


def _finish(qtbot, job) -> None:
    """Wait for background work the window started (through the runner)."""
    assert job is not None
    qtbot.waitUntil(lambda: job.finished, timeout=60_000)


def _only_open(win: ConsensusWindow) -> None:
    win.status_filter.setCurrentIndex(win.status_filter.findText("Open"))


def test_models_pass_the_model_tester(qtbot, qtmodeltester, project):
    win = _open(qtbot, project)
    assert win.log.rowCount() == 0  # read only when its tab is shown
    win.tabs.setCurrentIndex(1)
    assert win.queue.rowCount() > 0 and win.log.rowCount() > 0
    qtmodeltester.check(win.queue)
    qtmodeltester.check(win.log)
    qtmodeltester.check(QueueModel())
    qtmodeltester.check(DecisionLogModel())


def test_the_queue_answers_only_the_roles_it_draws_and_redraws_a_decided_row(qtbot, project):
    win = _open(qtbot, project)
    _only_open(win)
    queue = win.queue
    first = queue.index(0, 1)
    assert queue.data(first) == "Open"
    assert queue.data(first, Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert queue.data(first, Qt.ItemDataRole.DecorationRole) is None
    assert queue.data(first, Qt.ItemDataRole.ToolTipRole) is None  # status has none
    item = queue.item(0)
    title = queue.documents[item.document_id].title
    assert queue.data(queue.index(0, 3), Qt.ItemDataRole.ToolTipRole) == title
    assert queue.data(queue.index(0, 4), Qt.ItemDataRole.ToolTipRole) == queue.text(0, 4)
    assert queue.data(queue.index(0, 0), consensus_model.ITEM_ID_ROLE) == item.id
    queue.set_status(item.id, "resolved", "take_a")  # the row's texts are made again
    assert queue.data(first) == "Take A" and queue.text(0, 1) == "Take A"
    assert queue.data(first, Qt.ItemDataRole.ForegroundRole).color().name() == "#1b6e20"


def test_supervisor_walks_the_queue_by_keyboard(qtbot, project):
    win = _open(qtbot, project)
    _only_open(win)
    review_id = win.state.review.id
    resolved_before = win.state.resolved
    first = win.current_item()
    assert first is not None and first.status == "open"
    assert win.pane_a.browser.toPlainText() and win.pane_b.browser.toPlainText()

    # Take A with a reason typed first; the next open item comes up, the field is cleared.
    qtbot.keyClicks(win.reason, "A's reading matches the definition")
    qtbot.keyClick(win.reason, Qt.Key.Key_1, CTRL)
    assert consensus_ops.disagreement(project, first.id).resolution == "take_a"
    second = win.current_item()
    assert second.id != first.id and win.reason.text() == ""
    assert win.progress_label.text().startswith(f"{resolved_before + 1} of ")
    last = decision_log.decisions(project, review_id=review_id)[-1]
    assert (last.action, last.reason) == ("take_a", "A's reading matches the definition")

    # "Both" overrides both coders, so it needs a reason: refused and said, nothing logged.
    count = len(decision_log.decisions(project))
    qtbot.keyClick(win.reason, Qt.Key.Key_3, CTRL)
    assert (
        "Give a reason" in win.message.text()
    )  # a sentence: capital first and win.message.isVisible()
    assert len(decision_log.decisions(project)) == count
    qtbot.keyClicks(win.reason, "both readings are in the notes")
    qtbot.keyClicks(win.dissent, "Coder B would keep only the subtheme")
    qtbot.keyClick(win.reason, Qt.Key.Key_3, CTRL)
    decided = consensus_ops.disagreement(project, second.id)
    assert decided.resolution == "both"
    assert decision_log.decisions(project)[-1].dissent == "Coder B would keep only the subtheme"

    # Defer the third, step back to the second: Ctrl+Z (typed in the Reason field) undoes
    # the last decision made (the deferral), not the item selected; a second Ctrl+Z then
    # undoes the "both" decision.
    third = win.current_item()
    qtbot.keyClick(win.table, Qt.Key.Key_D, CTRL)
    assert consensus_ops.disagreement(project, third.id).status == "deferred"
    win.select_row(win.queue.row_of(second.id))
    assert win.current_item().id == second.id
    win.reason.setFocus()
    qtbot.keyClicks(win.reason, "typed")
    qtbot.keyClick(win.reason, Qt.Key.Key_Z, CTRL)
    assert consensus_ops.disagreement(project, third.id).status == "open"
    assert consensus_ops.disagreement(project, second.id).resolution == "both"
    qtbot.keyClick(win.reason, Qt.Key.Key_Z, CTRL)
    assert consensus_ops.disagreement(project, second.id).status == "open"
    assert decision_log.decisions(project)[-1].action == "undo"
    assert win.current_item().id == second.id

    # Alt+Down / Alt+Up move through the queue.
    row = win.table.currentIndex().row()
    qtbot.keyClick(win.table, Qt.Key.Key_Down, ALT)
    assert win.table.currentIndex().row() == row + 1
    qtbot.keyClick(win.table, Qt.Key.Key_Up, ALT)
    assert win.table.currentIndex().row() == row

    win.tabs.setCurrentIndex(1)
    assert win.log.rowCount() == len(decision_log.decisions(project))
    last = win.log.index(win.log.rowCount() - 1, 4)
    assert last.data() == "Undone"
    # The log's item numbers are the queue's numbers.
    assert win.log.index(win.log.rowCount() - 1, 1).data() == str(second.id)
    with qtbot.waitSignal(win.openPassage) as opened:
        win.log_view.doubleClicked.emit(last)
    assert opened.args == [second.document_id, second.start, second.end]


def test_a_coder_follows_read_only(qtbot, project):
    win = _open(qtbot, project, "Coder A")
    assert win.read_only.isVisible()
    assert not any(b.isEnabled() for b in win.decision_buttons.values())
    assert not win.new_button.isEnabled() and not win.codebook_button.isEnabled()
    item = win.current_item()
    qtbot.keyClick(win.table, Qt.Key.Key_1, CTRL)
    assert consensus_ops.disagreement(project, item.id).status == item.status


def test_filters_narrow_the_queue(qtbot, project):
    win = _open(qtbot, project)
    win.status_filter.setCurrentIndex(win.status_filter.findText("All"))
    everything = win.queue.rowCount()
    win.kind_filter.setCurrentIndex(win.kind_filter.findData("boundary"))
    assert win.kind_filter.currentText().startswith("Boundary shift (")
    kinds = {win.queue.item(r).kind for r in range(win.queue.rowCount())}
    assert kinds == {"boundary"} and win.queue.rowCount() < everything
    win.kind_filter.setCurrentIndex(0)
    win.theme_filter.setCurrentIndex(win.theme_filter.findText("Side-effects"))
    theme = win.theme_filter.currentData()
    assert 0 < win.queue.rowCount() < everything
    for row in range(win.queue.rowCount()):
        codes = win.queue.item(row).code_ids
        assert any(c == theme or win.queue.codes[c].parent_id == theme for c in codes)
    win.theme_filter.setCurrentIndex(0)
    win.case_filter.setCurrentIndex(1)
    case_id = win.case_filter.currentData()
    for row in range(win.queue.rowCount()):
        assert win.queue.documents[win.queue.item(row).document_id].case_id == case_id


def test_edit_sets_the_consensus_by_hand(qtbot, project, monkeypatch):
    win = _open(qtbot, project)
    _only_open(win)
    item = win.current_item()

    def accept(dialog):
        dialog.table.cellWidget(0, 2).setValue(dialog.table.cellWidget(0, 1).value() + 4)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(consensus_window.EditDialog, "exec", accept)
    qtbot.keyClicks(win.reason, "only the first words carry the code")
    win.reason.setFocus()
    qtbot.keyClick(win.reason, Qt.Key.Key_E, CTRL)  # from the Reason field: the window's Edit
    entry = decision_log.decisions(project)[-1]
    assert entry.action == "edit" and entry.disagreement_id == item.id
    [added] = entry.details["added"]
    assert added["end"] - added["start"] == 4


def test_export_log_and_negotiated_agreement(qtbot, project, tmp_path):
    win = _open(qtbot, project)
    written = win.export_log(str(tmp_path / "log.xlsx"))
    sheet = load_workbook(written)["Decision log"]
    assert sheet.max_row == len(decision_log.decisions(project)) + 1
    _finish(qtbot, win.compute_agreement())
    text = win.agreement_table.text()
    assert "before" in text and "consensus (after)" in text and "undefined" not in text


def test_codebook_decision_from_the_window(qtbot, project, monkeypatch):
    win = _open(qtbot, project)
    target = next(c for c in win._codes.values() if c.name == "Therapy")

    def accept(dialog):
        dialog.action.setCurrentIndex(dialog.action.findData("redefine"))
        dialog.code.setCurrentIndex(dialog.code.findData(target.id))
        dialog.definition.setPlainText("Talking therapy offered with or after ketamine.")
        dialog.reason.setText("the meeting wanted talking therapy only")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(consensus_window.CodebookDecisionDialog, "exec", accept)
    _finish(qtbot, win.codebook_decision())
    entry = [d for d in decision_log.decisions(project) if d.action.startswith("codebook")][-1]
    assert entry.action == "codebook.redefine"
    assert entry.reason == "the meeting wanted talking therapy only"


def test_a_blinded_project_is_refused_with_a_message(qtbot, project):
    boss = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
    coder_ops.set_unblinded(project, by_coder_id=boss.id, unblinded=False, reason="pause")
    win = _open(qtbot, project)
    assert "blinded" in win.message.text()
    assert not any(b.isEnabled() for b in win.decision_buttons.values())


def test_main_window_opens_the_review_and_a_passage(qtbot, window, project):
    path = project.location
    project.close()
    window.interactive = False
    window.open_project(path, coder=demo_ops.DEMO_SUPERVISOR)
    window.consensus_action.trigger()
    review = window.consensus
    assert review is not None and review.queue.rowCount() > 0
    qtbot.addWidget(review)
    item = review.current_item()
    review._open_in_main(review.table.currentIndex())
    assert window.document_id == item.document_id
    cursor = window.text_view.textCursor()
    assert cursor.hasSelection()
    window.close_project()
    assert window.consensus is None


def test_new_review_from_the_window(qtbot, project, monkeypatch):
    win = _open(qtbot, project)

    def accept(dialog):
        dialog.unit.setCurrentIndex(dialog.unit.findData("character"))
        dialog.reason_always.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(consensus_window.NewReviewDialog, "exec", accept)
    _finish(qtbot, win.new_review())
    assert win.reviews.count() == 2 and "characters" in win.reviews.currentText()
    assert win.state.review.unit == "character"
    assert "take a" in win.reason.placeholderText().lower()
    _only_open(win)
    qtbot.keyClick(win.reason, Qt.Key.Key_1, CTRL)
    assert "Give a reason" in win.message.text()  # a sentence: capital first


def test_edit_dialog_sets_a_span_by_selecting_words(qtbot, project):
    from PySide6.QtGui import QTextCursor

    from ketqual.gui.consensus.consensus_dialogs import EditDialog
    from ketqual.ops import queries

    win = _open(qtbot, project)
    _only_open(win)
    item = win.current_item()
    text = queries.document_text(project, item.document_id)
    codes, _counts = queries.list_codes(project)
    dialog = EditDialog(item, text, codes, {c.id: c.name for c in codes}.get, win)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 1
    dialog.table.setCurrentCell(0, 0)
    # The current coding's words are shown selected in the note.
    shown = dialog.note_view.textCursor().selectedText()
    assert shown == text[dialog.edits()[0].start : dialog.edits()[0].end].replace("\n", "\u2029")
    # Selecting the passage's first word makes it the coding's span.
    words = text[item.start : item.end].split()
    first = text.index(words[0], item.start)
    cursor = dialog.note_view.textCursor()
    cursor.setPosition(dialog.offsets.to_qt(first - dialog.context_start))
    cursor.setPosition(
        dialog.offsets.to_qt(first + len(words[0]) - dialog.context_start),
        QTextCursor.MoveMode.KeepAnchor,
    )
    dialog.note_view.setTextCursor(cursor)
    edit = dialog.edits()[0]
    assert (edit.start, edit.end) == (first, first + len(words[0]))
    assert words[0] in dialog.preview.text()


def test_passage_titles_and_the_queue_columns_fit(qtbot, project):
    from ketqual.gui.consensus.consensus_passages import side_title

    win = _open(qtbot, project)
    win.resize(1342, 744)  # a 1366×768 laptop's screen, less the window's margin
    qtbot.wait(50)
    # The demo's coders are called "Coder A" and "Coder B": named once, not "Coder A: Coder A".
    assert win.pane_a.title.text() == "<b>Coder A</b>"
    assert win.pane_b.title.text() == "<b>Coder B</b>"
    assert side_title("Coder A", "Hana") == "Coder A: Hana"
    header = win.table.horizontalHeader()
    room = win.table.viewport().width()
    for column in range(win.queue.columnCount()):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= room, f"{win.queue.headerData(column, Qt.Orientation.Horizontal)}"
    assert header.sectionSize(5) >= 80  # Coder B's codes: some of them legible


def test_the_queue_columns_show_their_texts_whole_measured_once(qtbot, project):
    """#, status, type and document are as wide as their texts; the widths are measured
    once a filter, not by Qt's fit-to-contents (which asks every row for every role on
    every change and made a 17,000-item queue open in a quarter of a second)."""
    win = _open(qtbot, project)
    header = win.table.horizontalHeader()
    metrics = win.table.fontMetrics()
    rows = range(min(20, len(win.queue.items)))
    assert len(rows) > 3
    for column in range(4):
        assert header.sectionResizeMode(column) != QHeaderView.ResizeMode.ResizeToContents
        widest = max(metrics.horizontalAdvance(win.queue.text(r, column)) for r in rows)
        assert header.sectionSize(column) >= widest, column
    assert win.queue.text(len(win.queue.items) + 5, 0) == ""
