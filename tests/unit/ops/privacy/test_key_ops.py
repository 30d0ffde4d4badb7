"""The key file from the project's side: made, opened, moved out of old projects, used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ketqual.io import key_file
from ketqual.ops import audit_ops, project_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import key_ops
from ketqual.store import lifecycle, privacy_files
from tests.factories import make_project


def _bytes(project) -> bytes:
    path = Path(project.location)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_made_key_holds_the_roster_and_the_project_only_its_name(project, key, tmp_path):
    assert [e.token for e in key.entries] == ["[P01]", "[CARER-1]", "[STAFF-1]", "[PLACE-1]"]
    assert key_ops.key_status(project) == {
        "key_file": "study.kqkey",
        "key_created_at": key_ops.key_status(project)["key_created_at"],
        "legacy_names": 0,
    }
    [event] = audit_ops.audit_log(project, limit=1)
    assert event.action == "privacy.key.create" and "Anna" not in str(event.details)
    assert b"Anna" not in _bytes(project) and b"Bob Jones" not in _bytes(project)
    with pytest.raises(OperationError, match="exists already"):
        key_ops.create_key(project, key.path, "x")


def test_opening_checks_the_passphrase_and_the_project(project, key, tmp_path):
    with pytest.raises(OperationError, match="wrong passphrase"):
        key_ops.open_key(project, key.path, "wrong")
    again = key_ops.open_key(project, key.path, "pass phrase", actor="Supervisor")
    assert again.data.find("Annie").token == "[P01]"
    assert audit_ops.audit_log(project, limit=1)[0].action == "privacy.key.open"
    other = make_project(tmp_path, "other.ketqual")
    with pytest.raises(OperationError, match="key of another project"):
        key_ops.open_key(other, key.path, "pass phrase")
    other.close()


def test_adding_a_roster_keeps_tokens_and_numbering(project, key):
    key_ops.add_roster(project, key, "Anna Smith | Nan\nCara Dunn\n")
    assert key.data.find("Nan").token == "[P01]" and key.data.find("Cara Dunn").token == "[P02]"
    reread = key_file.read_key(key.path, "pass phrase")
    assert reread.find("Cara Dunn").token == "[P02]"


def test_reidentifying_needs_a_supervisor_and_a_reason_and_is_audited(project, key):
    with pytest.raises(OperationError, match="reason"):
        key_ops.reidentify(project, key, "P01", reason="  ")
    with pytest.raises(OperationError, match="not a supervisor"):
        key_ops.reidentify(project, key, "P01", reason="safeguarding", supervisor="Coder A")
    entry = key_ops.reidentify(project, key, "[P01]", reason="safeguarding concern")
    assert entry.display == "Anna Smith"
    [event] = audit_ops.audit_log(project, limit=1)
    assert event.action == "privacy.reidentify" and event.details["token"] == "[P01]"
    assert event.details["reason"] == "safeguarding concern" and "Anna" not in str(event.details)
    with pytest.raises(OperationError, match="does not know"):
        key_ops.reidentify(project, key, "P99", reason="x")


def _old_project(tmp_path: Path):
    """A project as older KetQual left it: names in its key table, backups holding them."""
    project = make_project(tmp_path, "old.ketqual")
    with project.transaction() as tx:
        tx.coders.add("Supervisor", "supervisor")
        tx.coders.add("Coder A", "coder")
    project.close()
    connection = sqlite3.connect(tmp_path / "old.ketqual")
    connection.executemany(
        "insert into pseudonym_key (real_name, pseudonym, created_at) values (?, ?, '2018')",
        [("Zelda Quist", "Person 1"), ("Ximena Vale", "Person 2")],
    )
    connection.commit()
    connection.close()
    return project_ops.open_project(tmp_path / "old.ketqual")  # takes a rotating backup


def test_moving_an_old_key_out(tmp_path):
    project = _old_project(tmp_path)
    assert key_ops.key_status(project)["legacy_names"] == 2
    [backup] = privacy_files.backup_files(project.location)
    assert privacy_files.legacy_key_rows(backup) == 2
    with pytest.raises(OperationError, match="not a supervisor"):
        key_ops.move_key_out(project, tmp_path / "k.kqkey", "pw", supervisor="Coder A")
    change = key_ops.move_key_out(project, tmp_path / "k.kqkey", "pw")
    assert change.details == {"names": 2, "backups_cleared": 1, "file": str(tmp_path / "k.kqkey")}
    key = key_file.read_key(tmp_path / "k.kqkey", "pw")
    assert key.find("Zelda Quist").token == "[Person 1]"
    assert key_ops.key_status(project)["legacy_names"] == 0
    assert privacy_files.legacy_key_rows(backup) == 0
    project.close()
    for path in [tmp_path / "old.ketqual", backup]:
        raw = path.read_bytes()
        assert b"Zelda" not in raw and b"Ximena" not in raw, path
    assert (
        not Path(f"{tmp_path / 'old.ketqual'}-wal").exists()
        or b"Zelda" not in Path(f"{tmp_path / 'old.ketqual'}-wal").read_bytes()
    )
    with pytest.raises(OperationError, match="no key table"):
        reopened = lifecycle.open_project(tmp_path / "old.ketqual", backup=False)
        try:
            key_ops.move_key_out(reopened, tmp_path / "k.kqkey", "pw")
        finally:
            reopened.close()


def test_moving_into_an_existing_key_file_merges(tmp_path):
    project = _old_project(tmp_path)
    key = key_ops.create_key(project, tmp_path / "k.kqkey", "pw", roster_text="Anna Smith\n")
    key_ops.move_key_out(project, tmp_path / "k.kqkey", "pw")
    merged = key_file.read_key(tmp_path / "k.kqkey", "pw")
    assert [e.token for e in merged.entries] == ["[P01]", "[Person 1]", "[Person 2]"]
    assert key.path == tmp_path / "k.kqkey"
    project.close()
