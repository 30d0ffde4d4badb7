"""Coder packages in the app: create, open with a passphrase, work read-only, return, merge."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from ketqual.io import package_file
from ketqual.ops.coding import coding_ops
from ketqual.ops.team import package_pack


def _dialogs(monkeypatch, *, save=None, open_=None, text=None, item=None, multiline=None):
    shown: dict[str, list] = {"warning": [], "information": []}
    if save is not None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(save), ""))
    if open_ is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(open_), ""))
    if text is not None:
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (text, True))
    if item is not None:
        monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (item, True))
    if multiline is not None:
        monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: (multiline, True))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown["warning"].append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown["information"].append(a[2]))
    return shown


def _finish(qtbot, window) -> None:
    """Packing, returning and merging run in the background: wait for them."""
    qtbot.waitUntil(lambda: not window.runner.jobs, timeout=60_000)


def test_package_round_trip_in_the_app(window, demo_path, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)
    sent = tmp_path / "mail" / "Coder A.kqpkg"
    sent.parent.mkdir()

    # the supervisor creates an encrypted package for Coder A
    assert window.open_project(demo_path, coder="Supervisor")
    assert window.create_package_action.isEnabled() and window.merge_package_action.isEnabled()
    assert not window.return_package_action.isEnabled() and not window.suggest_action.isEnabled()
    shown = _dialogs(monkeypatch, save=sent, text="pw", item="Coder A")
    window.create_package_action.trigger()
    _finish(qtbot, window)
    assert shown["warning"] == []
    assert package_file.is_encrypted_package(sent)
    window.close_project()

    # Coder A opens it (asked for the passphrase) and works in a copy beside it
    assert window.open_project(sent, coder="Coder A")
    assert window.project.location == str(sent.with_name("Coder A-work.ketqual"))
    for name in (
        "import_action",
        "add_theme_action",
        "import_codebook_action",
        "edit_action",
        "split_action",
        "delete_action",
        "blinding_action",
        "consensus_action",
        "create_package_action",
        "merge_package_action",
    ):
        assert not getattr(window, name).isEnabled(), name
    assert window.return_package_action.isEnabled() and window.suggest_action.isEnabled()
    assert window.find_action.isEnabled() and window.done_action.isEnabled()
    assert "(coder package)" in window.windowTitle()
    assert "read-only" in window.statusBar().currentMessage()
    coder = window.coding.coder
    doc = window.document_id
    code_id = next(iter(window.coding.codes))
    coding_ops.add_codings(window.project, coder.id, [coding_ops.NewCoding(doc, code_id, 0, 9)])
    _dialogs(monkeypatch, multiline="Please define Cost more clearly")
    window.suggest_action.trigger()
    assert package_pack.suggestions(window.project)[0][1] == "Please define Cost more clearly"
    back = tmp_path / "mail" / "returned.kqpkg"
    shown = _dialogs(monkeypatch, save=back, text="")  # no passphrase this time
    window.return_package_action.trigger()
    _finish(qtbot, window)
    assert shown["warning"] == [] and back.exists()
    assert not package_file.is_encrypted_package(back)
    window.close_project()

    # the supervisor merges it and sees the report
    assert window.open_project(demo_path, coder="Supervisor")
    shown = _dialogs(monkeypatch, open_=back)
    window.merge_package_action.trigger()
    _finish(qtbot, window)
    assert shown["warning"] == []
    (report,) = shown["information"]
    assert "1 added" in report and "Please define Cost more clearly" in report


def test_wrong_passphrase_opens_nothing(window, demo_path, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)
    sent = tmp_path / "a.kqpkg"
    assert window.open_project(demo_path, coder="Supervisor")
    _dialogs(monkeypatch, save=sent, text="right", item="Coder B")
    window.create_package_action.trigger()
    _finish(qtbot, window)
    window.close_project()
    shown = _dialogs(monkeypatch, text="wrong")
    assert not window.open_project(sent, coder="Coder B")
    assert "Wrong passphrase" in shown["warning"][0]  # one sentence, capitalised
    assert window.project is None and not Path(tmp_path / "a-work.ketqual").exists()


def test_a_coder_cannot_pack(window, demo_path, tmp_path, monkeypatch):
    assert window.open_project(demo_path, coder="Coder A")
    shown = _dialogs(monkeypatch, save=tmp_path / "x.kqpkg", text="", item="Coder B")
    window.create_package_action.trigger()
    assert "Only a supervisor" in shown["warning"][0]
    assert not (tmp_path / "x.kqpkg").exists()
