"""The server dialog: fields to URL, keyring on or off, Test connection, plain errors in
the dialog, and reopening a server project from the recent list."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import text

from ketqual.gui.team import server_dialog
from ketqual.gui.team.server_dialog import ServerDialog
from ketqual.ops import project_ops
from ketqual.ops.team import coder_ops, server_ops
from ketqual.store import lifecycle
from tests.unit.ops.test_server_credentials import MemoryKeyring


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def failing_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _fill(dialog: ServerDialog, url: str, password: str = "") -> None:
    dialog.set_url(url)
    dialog.password.setText(password)


def test_without_a_keyring_the_box_is_off_and_says_why(qtbot, failing_keyring):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.keyring_note.text() == server_ops.NO_KEYRING
    _fill(dialog, "postgresql+psycopg://ann@db.example:6000/study", "s3cret")
    assert dialog.url() == "postgresql+psycopg://ann:s3cret@db.example:6000/study"


def test_missing_fields_and_a_refused_connection_are_plain_sentences(qtbot, memory_keyring):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.remember.isEnabled()
    dialog.test_connection()
    assert dialog.status.text() == "Fill in the database and user."
    _fill(dialog, "postgresql+psycopg://ann@127.0.0.1:1/study", "s3cret")
    dialog.test_button.click()
    message = dialog.status.text()
    assert message.startswith("Nothing answered at that address and port")
    assert "s3cret" not in message and "Traceback" not in message
    dialog.accept()  # Open: the same refusal, and the dialog stays open
    assert dialog.project is None and dialog.result() == 0
    assert "s3cret" not in dialog.status.text()


@pytest.mark.postgres
def test_test_connection_says_what_is_there(qtbot, pg_server, pg_url, memory_keyring):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, pg_url)
    dialog.test_connection()
    assert "empty" in dialog.status.text()
    dialog.accept()  # opening an empty database is refused in the dialog
    assert "not a KetQual project" in dialog.status.text() and dialog.project is None
    project_ops.new_project(pg_url, name="Team study").close()
    dialog.test_connection()
    assert dialog.status.text().startswith("Connected. KetQual project 'Team study'")
    _fill(dialog, pg_url.rsplit("/", 1)[0] + "/no_such_db")
    dialog.test_connection()
    assert dialog.status.text().startswith("There is no such database")


@pytest.mark.postgres
def test_a_project_from_a_newer_ketqual_is_refused_clearly(qtbot, pg_url, memory_keyring):
    project_ops.new_project(pg_url, name="Future").close()
    engine = lifecycle.make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    dialog = ServerDialog(url=pg_url)
    qtbot.addWidget(dialog)
    dialog.test_connection()
    assert "newer version of KetQual (schema 9999)" in dialog.status.text()
    dialog.accept()
    assert "newer version of KetQual" in dialog.status.text() and dialog.project is None


@pytest.mark.postgres
def test_create_remember_and_reopen_from_recent(qtbot, window, pg_url, memory_keyring, monkeypatch):
    window.interactive = False
    # The test server trusts every login, so any password works; it must be kept, not shown.

    def fill_and_create(parent, *, create=False, url=None, message=""):
        dialog = ServerDialog(parent, create=create, url=url, message=message)
        qtbot.addWidget(dialog)
        _fill(dialog, pg_url, "pa:ss@word")
        dialog.name.setText("Team study")
        assert dialog.remember.isChecked()
        dialog.accept()
        coder_ops.add_coder(dialog.project, "Ann")  # who codes (the coder dialog asks this)
        return dialog.project

    monkeypatch.setattr(server_dialog, "ask", fill_and_create)
    assert server_dialog.open_or_create(window, create=True)
    address, _ = server_ops.parse_url(pg_url)
    assert memory_keyring.kept == {("KetQual", address.key): "pa:ss@word"}
    recent = window.settings.value("recent")
    assert recent[0] == address.url() and "pa" not in recent[0].split("@")[0].split("//")[1]
    assert "ss@word" not in window.statusBar().currentMessage()
    ini = window.settings.fileName()
    window.settings.sync()
    stored = Path(ini).read_text(encoding="utf-8")
    assert "ss%40word" not in stored and "ss@word" not in stored and address.key in stored
    window.close_project()

    looked_up = []
    real_load = server_ops.load_password
    monkeypatch.setattr(server_ops, "load_password", lambda a: looked_up.append(a) or real_load(a))
    monkeypatch.setattr(server_dialog, "ask", lambda *a, **k: pytest.fail("should not ask"))
    assert window.open_project(recent[0])  # from the recent list
    assert looked_up and looked_up[0] == address
    assert window.windowTitle().startswith("Team study")


@pytest.mark.postgres
def test_reopening_asks_when_it_cannot_connect(qtbot, window, pg_url, monkeypatch):
    window.interactive = True
    asked = []
    monkeypatch.setattr(server_dialog, "ask", lambda *a, **k: asked.append(k) or None)
    assert not window.open_project(pg_url)  # an empty database: not a project
    assert asked and "not a KetQual project" in asked[0]["message"]
    assert asked[0]["url"] == server_ops.url_without_password(pg_url)
