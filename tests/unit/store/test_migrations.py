"""Every schema revision upgrades to head with its data intact (one fixture per revision)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine

from ketqual.store import lifecycle, schema

# Rows every revision can hold, written with plain SQL because the ORM speaks only head.
SEED_SQL = {
    "0001": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
        "INSERT INTO segment (document_id, kind, start, \"end\") VALUES (1, 'paragraph', 0, 11)",
    ],
    "0002": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
        "INSERT INTO coder (id, uid, name, role, colour, created_at) "
        "VALUES (1, 'c1', 'Coder A', 'coder', '#332288', '2018-03-17')",
        "INSERT INTO document_status (document_id, coder_id, done, updated_at) "
        "VALUES (1, 1, 1, '2018-03-18')",
    ],
    "0003": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
        "INSERT INTO coder (id, uid, name, role, colour, created_at) "
        "VALUES (1, 'c1', 'Coder A', 'coder', '#332288', '2018-03-17')",
        "INSERT INTO coder (id, uid, name, role, colour, created_at) "
        "VALUES (2, 'c2', 'Coder B', 'coder', '#117733', '2018-03-17')",
        "INSERT INTO review (id, uid, coder_a_id, coder_b_id, unit, options, created_at, "
        "created_by) VALUES (1, 'r1', 1, 2, 'sentence', '{}', '2018-03-19', 'Sup')",
        "INSERT INTO decision (uid, at, actor, action, review_id, reason, dissent, details) "
        "VALUES ('x1', '2018-03-19', 'Sup', 'take_a', 1, 'agreed', '', '{}')",
    ],
    "0006": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
        'INSERT INTO identifier_hit (uid, document_id, field, start, "end", kind, source, '
        "certain, reason, text, status, created_at) VALUES ('h1', 1, 'text', 2, 4, "
        "'participant', 'manual', 1, 'added by hand', 'P1', 'rejected', '2018-03-19')",
    ],
}


def make_file_at_revision(path, revision: str) -> None:
    """A project file as an older KetQual at ``revision`` would have written it."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id={lifecycle.SQLITE_APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        schema.upgrade(connection, revision)
    engine.dispose()
    conn = sqlite3.connect(path)
    for statement in SEED_SQL[revision]:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_every_revision_has_a_seed_fixture():
    assert sorted(SEED_SQL) == sorted(schema.known_revisions())


@pytest.mark.parametrize("revision", schema.known_revisions())
def test_old_file_upgrades_with_backup_and_keeps_data(tmp_path, revision):
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, revision)
    project = lifecycle.open_project(path, backup=False)
    with project.read() as tx:
        assert schema.current_revision(tx.session.connection()) == schema.head_revision()
        assert tx.project.describe()["name"] == "Old study"
        [doc] = tx.documents.list()
        assert tx.documents.text(doc.id) == "- P1 spoke."
    project.close()
    upgrade_backup = path.with_name(f"old.before-upgrade-from-{revision}.ketqual")
    assert upgrade_backup.exists() == (revision != schema.head_revision())


def test_migrations_match_the_models():
    """Autogenerate finds nothing to do: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from ketqual.store.models import Base

    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        schema.upgrade(connection)
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_upgrade_to_0006_keeps_the_old_key_table_until_a_supervisor_moves_it(tmp_path):
    """A project from before key files still has its names in pseudonym_key after the
    upgrade (moving them needs a passphrase, so it is a step of its own), and gains the
    identifier_hit table."""
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0003")
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO pseudonym_key (real_name, pseudonym, created_at) "
        "VALUES ('Anna Smith', 'Person 1', '2018-03-17')"
    )
    conn.commit()
    conn.close()
    project = lifecycle.open_project(path, backup=False)
    with project.read() as tx:
        assert tx.pseudonyms.key() == {"Anna Smith": "Person 1"}
        assert tx.identifiers.list() == []
        assert tx.identifiers.counts() == {}
    project.close()
