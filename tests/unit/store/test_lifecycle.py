"""Project file lifecycle: create, open, refuse, back up, upgrade; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ketqual.core.model import DocumentDraft, DocumentMeta, Unit
from ketqual.store import lifecycle, schema
from ketqual.store.lifecycle import ProjectOpenError


def _draft(text_: str = "- P1 said it helped.\n- P2 disagreed.") -> DocumentDraft:
    return DocumentDraft(
        DocumentMeta("Notes", "scribe_notes", 1, 2), text_, "n.txt", "ab" * 32, "txt"
    )


def test_create_then_open_round_trip(project_target):
    project = lifecycle.create_project(project_target, "Study")
    with project.transaction() as tx:
        doc = tx.documents.add(_draft(), [Unit("paragraph", 0, 20)], None)
    project.close()
    reopened = lifecycle.open_project(project_target)
    with reopened.read() as tx:
        assert tx.project.describe()["name"] == "Study"
        assert tx.documents.text(doc.id).startswith("- P1 said")
        assert tx.documents.units(doc.id) == [Unit("paragraph", 0, 20)]
        assert schema.current_revision(tx.session.connection()) == schema.head_revision()
    reopened.close()


def test_sqlite_file_is_marked_wal_and_enforces_foreign_keys(tmp_path):
    path = tmp_path / "p.ketqual"
    project = lifecycle.create_project(path)
    with project.read() as tx:
        conn = tx.session.connection()
        assert (
            conn.execute(text("PRAGMA application_id")).scalar() == lifecycle.SQLITE_APPLICATION_ID
        )
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(IntegrityError), project.transaction() as tx:
        tx.session.execute(
            text(
                "INSERT INTO segment (document_id, kind, start, \"end\") VALUES (999, 'sentence', 0, 3)"
            )
        )
    project.close()
    assert not list(tmp_path.glob(".p.ketqual.creating-*"))


def test_failed_transaction_leaves_nothing_behind(project_target):
    project = lifecycle.create_project(project_target)
    with pytest.raises(RuntimeError), project.transaction() as tx:
        tx.documents.add(_draft(), [Unit("sentence", 0, 5)], None)
        raise RuntimeError("crash in the middle of an action")
    with project.read() as tx:
        assert tx.documents.list() == []
        assert tx.documents.unit_counts() == {}
    project.close()


def test_audit_log_is_append_only_in_the_database(project_target):
    project = lifecycle.create_project(project_target)
    with project.transaction() as tx:
        tx.audit.record("ann", "test.event", "something happened")
    for statement in ("UPDATE audit_event SET summary = 'changed'", "DELETE FROM audit_event"):
        with pytest.raises(SQLAlchemyError, match="append-only"), project.transaction() as tx:
            tx.session.execute(text(statement))
    with project.read() as tx:
        assert [e.summary for e in tx.audit.list()] == ["something happened"]
    project.close()


def test_create_refuses_existing_file(tmp_path):
    path = tmp_path / "p.ketqual"
    path.write_text("keep me")
    with pytest.raises(ProjectOpenError, match="already exists"):
        lifecycle.create_project(path)
    assert path.read_text() == "keep me"


def test_create_refuses_non_empty_server_database(pg_url):
    lifecycle.create_project(pg_url).close()
    with pytest.raises(ProjectOpenError, match="not empty"):
        lifecycle.create_project(pg_url)


def test_open_refuses_empty_server_database(pg_url):
    with pytest.raises(ProjectOpenError, match="not a KetQual project"):
        lifecycle.open_project(pg_url)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "not a KetQual project"),
        (b"just some notes\n" * 20, "not a KetQual project"),
    ],
)
def test_open_refuses_files_that_are_not_databases(tmp_path, content, message):
    path = tmp_path / "notes.ketqual"
    path.write_bytes(content)
    with pytest.raises(ProjectOpenError, match=message):
        lifecycle.open_project(path)


def test_open_refuses_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectOpenError, match="was not found"):
        lifecycle.open_project(tmp_path / "nope.ketqual")
    with pytest.raises(ProjectOpenError, match="is a folder"):
        lifecycle.open_project(tmp_path)


def test_open_refuses_another_programs_database(tmp_path):
    path = tmp_path / "other.ketqual"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectOpenError, match="another program"):
        lifecycle.open_project(path)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_open_refuses_project_from_newer_version_and_leaves_it_alone(tmp_path):
    path = tmp_path / "future.ketqual"
    lifecycle.create_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(ProjectOpenError, match="newer version of KetQual"):
        lifecycle.open_project(path)
    assert _sha(path) == before
    assert not lifecycle.backup_dir(path).exists()


def test_rotating_backups_keep_the_newest(tmp_path):
    path = tmp_path / "p.ketqual"
    lifecycle.create_project(path).close()
    for _ in range(7):
        lifecycle.open_project(path, keep_backups=3).close()
    backups = sorted(lifecycle.backup_dir(path).iterdir())
    assert len(backups) == 3
    # A backup is itself a valid project.
    lifecycle.open_project(backups[-1], backup=False).close()


def test_backup_includes_work_still_in_the_wal(tmp_path):
    path = tmp_path / "p.ketqual"
    project = lifecycle.create_project(path)
    with project.transaction() as tx:
        tx.audit.record("ann", "x", "recent work")
    # The project is still open, so the event may live only in the -wal file.
    copy = lifecycle.backup_copy(path, tmp_path / "copy.ketqual")
    project.close()
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT summary FROM audit_event").fetchall() == [("recent work",)]
    conn.close()
