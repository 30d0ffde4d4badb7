"""The votes window and the votes beside the themes in the network window."""

from __future__ import annotations

import csv
import json

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from ketqual.core.votes_sheet import VoteColumns
from ketqual.gui.network.network_window import NetworkWindow
from ketqual.gui.runner import OperationRunner
from ketqual.gui.votes.vote_import_dialog import VoteImportDialog
from ketqual.gui.votes.votes_models import (
    ColumnRolesModel,
    QuestionsModel,
    SummaryModel,
    ThemeTicksModel,
)
from ketqual.gui.votes.votes_window import VotesWindow
from ketqual.ops import project_ops
from ketqual.ops.resources import demo_dir
from ketqual.ops.team import coder_ops
from ketqual.ops.votes import votes_ops
from tests.factories import make_project

DEMO = demo_dir() / "votes"


@pytest.fixture
def project(tmp_path):
    p = make_project(tmp_path)
    votes_ops.import_votes(p, DEMO / "session3_votes.csv", questions_file=DEMO / "questions.csv")
    yield p
    p.close()


@pytest.fixture
def win(qtbot, project):
    runner = OperationRunner(project)
    window = VotesWindow(runner)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    yield window
    runner.wait_all()


def choose(win, *numbers: int) -> None:
    view = win.question_view
    view.clearSelection()
    selection = view.selectionModel()
    for number in numbers:
        selection.select(
            win.questions.index(number - 1, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )


def cells(model, column: int) -> list:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, win):
    qtmodeltester.check(win.questions)
    qtmodeltester.check(win.summary)
    qtmodeltester.check(QuestionsModel())
    qtmodeltester.check(SummaryModel())
    roles = ColumnRolesModel()
    roles.set_columns(["ID", "NHS"], ["P1", "Yes"], ["participant", "question"], "participants")
    qtmodeltester.check(roles)
    qtmodeltester.check(ThemeTicksModel())


def test_window_lists_questions_and_draws_the_chosen_one(qtbot, win):
    assert win.questions.rowCount() == 8
    assert win.questions.index(2, 4).data() == "Monitoring"
    choose(win, 7)
    assert cells(win.summary, 1) == [8, 34, 4, 16, 5, 2]
    assert win.figure.geometry_ is not None and win.figure.geometry_.figure.title.startswith(
        "Which prescribing"
    )
    assert "more than 100 % (here 160 %)" in win.notes.text()
    win.denominator.setCurrentIndex(2)  # selections
    assert cells(win.summary, 2) == [69] * 6
    assert "n = 69 selections" in win.notes.text()


def test_several_one_answer_questions_stack_and_multiple_choice_is_explained(win):
    choose(win, 1, 2, 3)
    assert len(win.figure.geometry_.figure.rows) == 3
    assert win.summary.headerData(0, Qt.Orientation.Horizontal) == "Question"
    choose(win, 1, 7)
    assert win.figure.geometry_ is None and "multiple choice" in win.figure.message


def test_import_through_the_dialog_in_the_background(qtbot, win, tmp_path):
    sheet = tmp_path / "extra.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Who", "Room", "Would you come again?"])
        writer.writerow(["P1", "A", "Yes"])
        writer.writerow(["P2", "A", "No"])
    dialog = win.open_import_dialog(str(sheet))
    assert dialog is not None
    assert dialog.model.roles == ["participant", "question", "question"]
    dialog.model.setData(dialog.model.index(1, 1), "skip")
    choice = dialog.choice()
    assert choice["columns"] == VoteColumns(participant="Who", skip=("Room",))
    job = win.start_import(str(sheet), choice)
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    assert win.questions.rowCount() == 9
    assert "Imported 1 voting question from extra.csv (2 participants)." in win.status.text()
    dialog.close()


def test_import_dialog_refuses_roles_that_do_not_add_up(qtbot, tmp_path):
    preview = votes_ops.preview_sheet(DEMO / "session3_votes.csv")
    dialog = VoteImportDialog("x.csv", preview)
    qtbot.addWidget(dialog)
    dialog.model.setData(dialog.model.index(0, 1), "question")  # no participant column left
    with pytest.raises(ValueError, match="participant ids"):
        dialog.choice()
    dialog.shape.setCurrentIndex(1)  # a tally
    with pytest.raises(ValueError, match="question"):
        dialog.choice()


def test_a_refused_import_is_shown_and_changes_nothing(qtbot, win, tmp_path, monkeypatch):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "Participant,Is extra monitoring needed for people taking ketamine?\nP1,Maybe\n",
        encoding="utf-8",
    )
    shown = []
    monkeypatch.setattr(win.runner, "show_error", lambda message, **_: shown.append(message))
    job = win.start_import(str(sheet), {"columns": None})
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    assert "Row 2, column 'Is extra monitoring needed for people taking ketamine?'" in shown[0]
    assert win.questions.rowCount() == 8


def test_theme_links_through_the_runner(win, project):
    choose(win, 8)
    with project.read() as tx:
        stigma = next(c.id for c in tx.codes.list() if c.name == "Stigma")
    win.runner.run(lambda p: votes_ops.set_links(p, "8", [stigma]), initiator=win)
    assert win.questions.index(7, 4).data() == "Stigma"  # refreshed by the change


def test_exports_in_the_background(qtbot, win, tmp_path):
    choose(win, 7)
    job = win.export_figure(str(tmp_path / "fig"), "pdf")
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    assert "Specialist clinics only" in PdfReader(tmp_path / "fig.pdf").pages[
        0
    ].extract_text().replace("\t", " ")
    job = win.export_table(str(tmp_path / "t.json"))
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    rows = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert len(rows) == 6 * 3 + 6 + 5


def test_breakdown_by_a_participants_file(win, tmp_path):
    roles = tmp_path / "roles.csv"
    roles.write_text(
        "Participant,Role\nP27,patient\nP7,carer\nP38,carer\nP18,patient\n", encoding="utf-8"
    )
    choose(win, 1)
    assert win.load_breakdown(str(roles), "Role")
    assert win.summary.headerData(0, Qt.Orientation.Horizontal) == "Group"
    assert cells(win.summary, 0)[:3] == ["patient"] * 3
    assert "Broken down by Role" in win.notes.text()
    win.set_breakdown(None, "")
    assert win.summary.headerData(0, Qt.Orientation.Horizontal) == "Option"


def test_network_side_panel_shows_a_themes_votes(qtbot, project):
    boss = coder_ops.add_coder(project, "Boss", role="supervisor").details["coder_id"]
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="tests")
    runner = OperationRunner(project)
    net = NetworkWindow(runner, "Boss")
    qtbot.addWidget(net)
    with project.read() as tx:
        monitoring = next(c.id for c in tx.codes.list() if c.name == "Monitoring")
        cost = next(c.id for c in tx.codes.list() if c.name == "Cost")
    assert net.votes.show_theme(monitoring) and net.votes.figure_count() == 4
    # Laid out for the panel, not the page shrunk into it: the smallest text is 12 px.
    from ketqual.gui.votes.figure_view import panel_geometry

    figure = net.votes.data[net.votes.theme.currentIndex()].figures[0]
    geometry = panel_geometry(figure, 380)
    style = geometry.style
    assert min(style.tick_px, style.caption_px, style.label_px, style.value_px) >= 9
    picture = net.votes.pictures[0].pixmap()
    assert picture.width() == round(geometry.size().width()) == 380  # unscaled
    assert net.votes.show_theme(cost) and net.votes.figure_count() == 2
    runner.run(lambda p: votes_ops.link_question(p, 3, "Cost"))
    assert net.votes.show_theme(cost) and net.votes.figure_count() == 3


def test_votes_window_opens_from_the_outputs_menu(qtbot, window, tmp_path):
    path = tmp_path / "study.ketqual"
    project = project_ops.new_project(path, actor="t")
    votes_ops.import_votes(
        project, DEMO / "session3_votes.csv", questions_file=DEMO / "questions.csv"
    )
    coder_ops.add_coder(project, "Boss", role="supervisor")
    project.close()
    assert window.open_project(path, coder="Boss")
    window.votes_action.trigger()
    assert window.votes_window.isVisible() and window.votes_window.questions.rowCount() == 8
    window.votes_window.close()


def test_every_option_row_shows_and_the_notes_read_cleanly(qtbot, win):
    win.resize(1342, 720)  # a 1366×768 laptop, less the task bar
    qtbot.wait(20)
    choose(win, 7)  # six options
    table = win.table
    assert win.summary.rowCount() == 6
    for row in range(6):
        assert table.rowViewportPosition(row) + table.rowHeight(row) <= table.viewport().height()
    notes = win.notes.text()
    assert not any(line.startswith(" ") for line in notes.splitlines())
    assert notes.count("did not answer") == 1
    assert "1 of 44 present did not answer" in notes
    # The Answered column lines its counts up on the left, with or without blanks.
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    alignments = {win.questions.index(r, 3).data(Qt.ItemDataRole.TextAlignmentRole) for r in (0, 1)}
    assert alignments == {left}
    assert [win.questions.index(r, 3).data() for r in (0, 1)] == ["44", "43 (+1 blank)"]
