"""Privacy from the app's own dialogs: names replaced at import with the key file and a
roster given in the import dialog, and a blocked export let through by a supervisor with
a reason (a coder cannot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketqual.core.retrieval import PassageQuery
from ketqual.gui import files
from ketqual.gui.importing import import_dialogs
from ketqual.gui.privacy import export_guard, key_dialogs
from ketqual.io import key_file
from ketqual.ops import audit_ops, queries
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.privacy import key_ops
from ketqual.ops.team import coder_ops
from ketqual.ops.votes import votes_ops
from tests.factories import add_coder, add_codings, add_document, make_project

NOTES = (
    "Session 1 – Group 3\n\n"
    "- Annie said the clinic felt far away; Bob Jones drove her.\n"
    "- The group talked about sleep.\n"
)
PHONE = "07700 900123"


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch):
    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)


@pytest.fixture
def study(tmp_path):
    """A small project with a supervisor, a coder, a key file and a note to import."""
    project = make_project(tmp_path)
    add_coder(project, "Supervisor", "supervisor")
    add_coder(project, "Coder A")
    key_ops.create_key(project, tmp_path / "study.kqkey", "pw")
    project.close()
    notes = tmp_path / "S1_G3_scribe.txt"
    notes.write_text(NOTES, encoding="utf-8")
    return tmp_path / "study.ketqual", tmp_path / "study.kqkey", notes


def _import_with(window, qtbot, monkeypatch, notes: Path, fill) -> list:
    """File › Import with the options dialog filled by ``fill(dialog)``; the results
    dialogs shown (none when nothing was imported)."""
    monkeypatch.setattr(files, "open_files", lambda *_a: [str(notes)])
    asked, shown = [], []

    def options(dialog):
        asked.append(dialog)
        fill(dialog)
        return dialog.result()

    monkeypatch.setattr(import_dialogs.ImportOptionsDialog, "exec", options)
    monkeypatch.setattr(
        import_dialogs.ImportResultsDialog, "exec", lambda dialog: shown.append(dialog) or False
    )
    window.import_dialog()
    assert asked, "the options dialog was not shown"
    if asked[0].result():
        qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    return shown


def test_names_given_in_the_import_dialog_are_replaced(window, study, qtbot, monkeypatch):
    path, key_path, notes = study
    assert window.open_project(path, coder="Supervisor")
    monkeypatch.setattr(key_dialogs, "choose_key_file", lambda *_a, **_k: key_path)
    monkeypatch.setattr(key_dialogs, "ask_passphrase", lambda *_a, **_k: "pw")
    roster = notes.with_name("roster.txt")
    roster.write_text("# the group\nAnnie Walsh | Annie\n", encoding="utf-8")

    def fill(dialog):
        assert "No key file open" in dialog.key_state.text()
        assert dialog.open_key() is not None
        assert "study.kqkey" in dialog.key_state.text()
        assert dialog.read_names(roster)  # from a file, and one more typed in
        dialog.names_box.appendPlainText("carer: Bob Jones | Bobby")
        dialog.import_button.click()

    [results] = _import_with(window, qtbot, monkeypatch, notes, fill)
    assert "1 imported" in results.summary.text()
    [document] = queries.list_documents(window.project)
    text = queries.document_text(window.project, document.record.id)
    assert "Annie" not in text and "Bob Jones" not in text
    assert "[P01] said" in text and "[CARER-1] drove her" in text
    # the names went to the key file, not the project; the session keeps the key open
    assert key_file.read_key(key_path, "pw").find("Annie Walsh") is not None
    assert window.runner.key is not None and window.runner.key.path == key_path


def test_a_wrong_passphrase_or_a_bad_line_imports_nothing(window, study, qtbot, monkeypatch):
    path, key_path, notes = study
    assert window.open_project(path, coder="Supervisor")
    monkeypatch.setattr(key_dialogs, "choose_key_file", lambda *_a, **_k: key_path)
    passphrases = ["wrong", "pw"]
    monkeypatch.setattr(key_dialogs, "ask_passphrase", lambda *_a, **_k: passphrases.pop(0))
    said = []

    def fill(dialog):
        assert dialog.open_key() is None
        said.append(dialog.message.text())
        dialog.names_box.setPlainText("Annie Walsh | Annie")
        dialog.import_button.click()  # names without a key file: refused in the dialog
        said.append(dialog.message.text())
        assert not dialog.read_names(notes.with_name("missing.txt"))
        said.append(dialog.message.text())
        assert dialog.open_key() is not None
        dialog.names_box.setPlainText("Annie Walsh\ndoctor: Who")
        dialog.import_button.click()  # a bad roster line
        said.append(dialog.message.text())

    assert _import_with(window, qtbot, monkeypatch, notes, fill) == []
    assert said[0].startswith("Wrong passphrase for study.kqkey")
    assert "open or make the key file first" in said[1]
    assert said[2] == "The names file missing.txt was not found"
    assert "line 2" in said[3] and "unknown kind 'doctor'" in said[3]
    assert queries.list_documents(window.project) == []
    assert window.imports.job is None
    assert key_file.read_key(key_path, "pw").entries == []  # nothing added either


def _phone_in_the_codebook(window) -> None:
    code = codebook_ops.find_code(window.project, 1)
    change = window.runner.run(
        lambda p: codebook_ops.update_code(p, code.id, definition=f"Rang {PHONE} about it")
    )
    assert change is not None


def test_a_supervisor_exports_anyway_with_a_reason(window, study, tmp_path, monkeypatch):
    path, _key, _notes = study
    assert window.open_project(path, coder="Supervisor")
    _phone_in_the_codebook(window)
    target = tmp_path / "codebook.json"
    monkeypatch.setattr(files, "save_file", lambda *_a: (str(target), ""))
    seen = []

    def give_reason(dialog):
        assert not dialog.ok.isEnabled()  # a reason is required
        dialog.text.setPlainText("   ")
        assert not dialog.ok.isEnabled()
        dialog.text.setPlainText("  P3 asked us\nto keep her number ")
        dialog.ok.click()
        return dialog.result()

    def blocked(dialog):
        seen.append(dialog)
        assert dialog.anyway.isEnabled()
        assert PHONE in dialog.findings.toPlainText()
        dialog.anyway.click()
        return dialog.result()

    monkeypatch.setattr(export_guard.ReasonDialog, "exec", give_reason)
    monkeypatch.setattr(export_guard.BlockedExportDialog, "exec", blocked)
    window.export_codebook()
    assert len(seen) == 1 and seen[0].reason == "P3 asked us to keep her number"
    assert PHONE in target.read_text(encoding="utf-8")
    [event] = audit_ops.audit_log(window.project, action="privacy.export_override")
    assert event.details["reason"] == "P3 asked us to keep her number"
    assert event.details["supervisor"] == "Supervisor" and event.actor == "Supervisor"
    assert event.details["kinds"] == ["phone"]
    assert PHONE not in event.summary and PHONE not in str(event.details)


def test_a_coder_cannot_let_a_blocked_export_through(window, study, tmp_path, qtbot, monkeypatch):
    path, _key, _notes = study
    assert window.open_project(path, coder="Supervisor")
    _phone_in_the_codebook(window)
    window.close_project()
    assert window.open_project(path, coder="Coder A")
    target = tmp_path / "codebook.json"
    seen, refused = [], []

    def blocked(dialog):
        seen.append(dialog)
        assert not dialog.anyway.isEnabled()
        assert "Only a supervisor" in dialog.anyway.toolTip()
        return 0

    monkeypatch.setattr(export_guard.BlockedExportDialog, "exec", blocked)
    # in the background, as the long exports run
    job = export_guard.run_export_in_background(
        window.runner,
        lambda p, _progress, check: codebook_ops.export_codebook(
            p, target, check=check, actor="Coder A"
        ),
        who="Coder A",
        parent=window,
        on_error=refused.append,
        show_progress=False,
    )
    qtbot.waitUntil(lambda: job.finished and bool(refused), timeout=30_000)
    assert len(seen) == 1 and "was not written" in refused[0] and PHONE in refused[0]
    assert not target.exists()
    assert audit_ops.audit_log(window.project, action="privacy.export_override") == []
    [event] = audit_ops.audit_log(window.project, action="privacy.export_check")
    assert event.details["outcome"] == "blocked"


def test_the_blocked_dialog_for_a_coder_says_who_can(qtbot):
    message = (
        "the codebook was not written: it holds 1 possible identifier; review them, or a "
        f"supervisor can let them through with a reason:\n  definition: “{PHONE}” – phone"
    )
    dialog = export_guard.BlockedExportDialog(message, may_override=False)
    qtbot.addWidget(dialog)
    assert not dialog.anyway.isEnabled() and "supervisor" in dialog.anyway.toolTip()
    assert dialog.findings.toPlainText() == f"definition: “{PHONE}” – phone"


@pytest.fixture
def coded(tmp_path):
    """Coder A's coding of a line that holds a phone number, unblinded."""
    project = make_project(tmp_path)
    boss = add_coder(project, "Supervisor", "supervisor")
    coder = add_coder(project, "Coder A")
    text = f"- P3 worries about the cost of calls; her number is {PHONE}.\n"
    doc = add_document(project, text)
    with project.read() as tx:
        cost = next(c.id for c in tx.codes.list() if c.name == "Cost")
    add_codings(project, doc, cost, coder, [(2, len(text) - 1)])
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="exports")
    project.close()
    return tmp_path / "study.ketqual"


def test_coded_passages_are_checked_and_a_supervisor_exports_anyway(
    window, coded, tmp_path, qtbot, monkeypatch
):
    assert window.open_project(coded, coder="Supervisor")
    passages = window.open_passages(PassageQuery(codes=("Cost",), layer="Coder A"), "Cost")
    qtbot.waitUntil(lambda: passages.result is not None, timeout=30_000)
    assert len(passages.result.passages) == 1
    seen = []

    def blocked(dialog):
        seen.append(dialog.findings.toPlainText())
        assert dialog.anyway.isEnabled()
        dialog.anyway.click()
        return dialog.result()

    def give_reason(dialog):
        dialog.text.setPlainText("P3 asked us to keep her number")
        dialog.ok.click()
        return dialog.result()

    monkeypatch.setattr(export_guard.BlockedExportDialog, "exec", blocked)
    monkeypatch.setattr(export_guard.ReasonDialog, "exec", give_reason)
    target = tmp_path / "cost.docx"
    passages.export_to(str(target), "docx")
    qtbot.waitUntil(lambda: target.exists() and not window.runner.jobs, timeout=30_000)
    assert len(seen) == 1 and f"passages[0].text: “{PHONE}”" in seen[0]
    [check] = audit_ops.audit_log(window.project, action="privacy.export_check")
    assert check.details["export"] == "list of coded passages"
    assert check.details["outcome"] == "blocked"
    [event] = audit_ops.audit_log(window.project, action="privacy.export_override")
    assert event.details["reason"] == "P3 asked us to keep her number"
    assert event.details["supervisor"] == "Supervisor" and event.actor == "Supervisor"
    assert PHONE not in str(event.details) and PHONE not in event.summary


def test_a_coder_cannot_let_a_blocked_votes_table_through(
    window, study, tmp_path, qtbot, monkeypatch
):
    path, _key, _notes = study
    sheet = tmp_path / "votes.csv"
    sheet.write_text("Participant,Did Dr Singh explain the dose?\nP1,Yes\nP2,No\n", "utf-8")
    assert window.open_project(path, coder="Coder A")
    assert window.runner.run(lambda p: votes_ops.import_votes(p, sheet)) is not None
    window.open_votes()
    seen = []

    def blocked(dialog):
        seen.append(dialog)
        assert not dialog.anyway.isEnabled()
        return 0

    monkeypatch.setattr(export_guard.BlockedExportDialog, "exec", blocked)
    target = tmp_path / "votes.xlsx"
    job = window.votes_window.export_table(str(target))
    qtbot.waitUntil(lambda: job.finished and bool(seen), timeout=30_000)
    assert "Dr Singh" in seen[0].findings.toPlainText() and not target.exists()
    [event] = audit_ops.audit_log(window.project, action="privacy.export_check")
    assert event.details["export"] == "votes table" and event.actor == "Coder A"
