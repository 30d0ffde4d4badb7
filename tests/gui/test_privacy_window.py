"""The identifier review window and the offer to move an old key out of a project."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor

from ketqual.io import key_file
from ketqual.ops import project_ops, queries
from ketqual.ops.importing import import_ops
from ketqual.ops.privacy import key_ops, review_ops
from tests.factories import add_coder, make_project

NOTES = (
    "Session 1 – Group 3\nScribe: Tom Baker\n\n"
    "- Annie said the Elm Clinic rang her on 07700 900123 about bladder pain.\n"
    "- Carer Bob Jones worried about driving home; Annie agreed with Bob.\n"
    "- Dr Singh told P3 to keep a mood diary; Hal from Cromer joined late.\n"
)


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch):
    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)


@pytest.fixture
def reviewed(tmp_path):
    project = make_project(tmp_path)
    add_coder(project, "Supervisor", "supervisor")
    key = key_ops.create_key(
        project,
        tmp_path / "study.kqkey",
        "pw",
        roster_text="Annie Walsh | Annie\ncarer: Bob Jones\nstaff: Tom Baker\n",
    )
    notes = tmp_path / "S1_G3_scribe.txt"
    notes.write_text(NOTES, encoding="utf-8")
    import_ops.import_files(project, [notes], key=key)
    yield project, key
    project.close()


@pytest.fixture
def privacy_window(qtbot, reviewed):
    from ketqual.gui.privacy.privacy_window import PrivacyWindow
    from ketqual.gui.runner import OperationRunner

    project, _key = reviewed
    runner = OperationRunner(project)
    window = PrivacyWindow(runner, "Supervisor")
    qtbot.addWidget(window)
    window.show()
    return window


def test_review_decide_add_and_replace(privacy_window, reviewed, tmp_path):
    window = privacy_window
    project, key = reviewed
    words = [r.words for r in window.model.rows]
    assert words == ["Elm Clinic", "07700 900123", "Dr Singh"]
    assert window.table.selectionModel().currentIndex().row() == 0
    if os.environ.get("KETQUAL_SCREENSHOTS"):  # the picture in docs/privacy.md
        window.key = key
        window.filter.setCurrentIndex(4)
        window._step_to(6)
        window.resize(1280, 720)
        window.grab().save(str(Path(os.environ["KETQUAL_SCREENSHOTS"]) / "privacy-review.png"))
        window.key = None
        window.filter.setCurrentIndex(0)
        window._step_to(0)
    # the document is shown with the suggestion highlighted and the tokens marked
    assert "[P01] said" in window.text.toPlainText()
    assert len(window.text.extraSelections()) >= 6
    window.decide("accept")
    assert [r.words for r in window.model.rows] == ["07700 900123", "Dr Singh"]
    window.filter.setCurrentIndex(4)  # all
    assert {r.hit.status for r in window.model.rows} == {"applied", "accepted", "pending"}
    window.filter.setCurrentIndex(0)
    window._step_to(0)
    window.kind.setCurrentIndex(window.kind.findData("phone"))
    window.set_kind()  # the number: accepted as a phone number
    window.decide("reject")  # Dr Singh: a public figure in these notes, say
    assert window.model.rows == []
    # a name the detector missed: select it in the document and add it
    text = window.text.toPlainText()
    cursor = window.text.textCursor()
    start = text.index("Hal")
    cursor.setPosition(start)
    cursor.setPosition(start + 3, QTextCursor.MoveMode.KeepAnchor)
    window.text.setTextCursor(cursor)
    window.kind.setCurrentIndex(window.kind.findData("person"))
    window.add_selection()
    window.key = key
    window.apply()
    new = queries.document_text(project, window.document_id)
    assert "[PHONE-1]" in new and "[PLACE-1]" in new and "[PERSON-1] from Cromer" in new
    assert "Dr Singh" in new  # rejected: kept
    assert "Replaced 3 identifiers" in window.message.text()


def test_window_fits_a_small_screen(privacy_window):
    hint = privacy_window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    privacy_window.resize(1366, 740)
    grabbed = privacy_window.grab()
    assert not grabbed.isNull()


def test_accept_all_of_a_name(qtbot, tmp_path):
    from ketqual.gui.privacy.privacy_window import PrivacyWindow
    from ketqual.gui.runner import OperationRunner

    project = make_project(tmp_path)
    from tests.factories import add_document

    add_document(project, "- Dr Singh came. Later Dr Singh left. Dr Patel stayed.\n")
    review_ops.detect_identifiers(project)
    window = PrivacyWindow(OperationRunner(project), "Supervisor")
    qtbot.addWidget(window)
    assert [r.words for r in window.model.rows] == ["Dr Singh", "Dr Singh", "Dr Patel"]
    window.accept_alike()
    assert [r.words for r in window.model.rows] == ["Dr Patel"]
    project.close()


def test_a_supervisor_is_offered_to_move_an_old_key_out(window, tmp_path, monkeypatch):
    from ketqual.gui.privacy import key_dialogs

    project = make_project(tmp_path, "old.ketqual")
    add_coder(project, "Supervisor", "supervisor")
    project.close()
    db = sqlite3.connect(tmp_path / "old.ketqual")
    db.execute(
        "insert into pseudonym_key (real_name, pseudonym, created_at) "
        "values ('Ottoline Brack', 'Person 1', '2018')"
    )
    db.commit()
    db.close()
    asked = []
    monkeypatch.setattr(key_dialogs, "confirm_key_move", lambda _w, n: asked.append(n) or True)
    monkeypatch.setattr(key_dialogs, "choose_key_file", lambda *_a, **_k: tmp_path / "old.kqkey")
    monkeypatch.setattr(key_dialogs, "ask_passphrase", lambda *_a, **_k: "pw")
    assert window.open_project(tmp_path / "old.ketqual", coder="Supervisor")
    assert asked == [1]
    assert key_file.read_key(tmp_path / "old.kqkey", "pw").find("Ottoline Brack")
    reopened = project_ops.open_project(tmp_path / "old.ketqual", backup=False)
    assert key_ops.key_status(reopened)["legacy_names"] == 0
    reopened.close()
    # a coder is not asked
    window.close_project()
    asked.clear()
    project = project_ops.open_project(tmp_path / "old.ketqual", backup=False)
    add_coder(project, "Coder A")
    project.close()
    assert window.open_project(tmp_path / "old.ketqual", coder="Coder A")
    assert asked == []


def test_the_menu_opens_the_window(window, demo_path):
    assert window.open_project(demo_path, coder="Coder A")
    window.privacy_action.trigger()
    assert window.privacy is not None and window.privacy.isVisible()
    assert window.privacy.model.rows == []  # the demo holds no identifiers
    window.close_project()
    assert window.privacy is None


def test_the_document_column_shows_the_short_title_and_why_is_whole(privacy_window, qtbot):
    from PySide6.QtCore import Qt

    window = privacy_window
    window.resize(1280, 720)
    qtbot.wait(20)
    model, table = window.model, window.table
    document = model.index(0, 1)
    assert document.data() == "S1 G3 notes"
    assert document.data(Qt.ItemDataRole.ToolTipRole) == "Session 1, Group 3 – scribe notes"
    header = table.horizontalHeader()
    for column in (1, 5):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), column
