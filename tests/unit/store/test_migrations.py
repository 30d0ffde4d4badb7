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
        'INSERT INTO "case" (id, uid, name, session, group_no, attributes) '
        "VALUES (1, 'k1', 'S1 G1', 1, 1, '{}')",
    ],
    "0004": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        'INSERT INTO "case" (id, uid, name, session, group_no, attributes, kind) '
        "VALUES (1, 'k1', 'S1 G1', 1, 1, '{}', 'focus_group')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order, case_id) VALUES (1, 'd1', "
        "'Old notes', 'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', "
        "11, 1, 1)",
        "INSERT INTO code (id, uid, name, colour, definition, include_notes, exclude_notes, "
        "example, sort_order, active, created_at) VALUES (1, 'c1', 'Cost', '#882255', '', '', "
        "'', '', 1, 1, '2018-03-17')",
        "INSERT INTO participant (id, uid, label, created_at) VALUES (1, 'pp1', 'P1', '2018')",
        "INSERT INTO attribute (id, uid, target, name, type, choices, sort_order, created_at) "
        "VALUES (1, 'a1', 'participant', 'role', 'choice', '[\"patient\", \"carer\"]', 1, "
        "'2018')",
        "INSERT INTO attribute_value (attribute_id, participant_id, value, updated_at) "
        "VALUES (1, 1, 'patient', '2018')",
        'INSERT INTO passage_star (uid, document_id, code_id, start, "end", actor, at) '
        "VALUES ('s1', 1, 1, 2, 4, 'Sup', '2018')",
    ],
    "0005": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
        "INSERT INTO code (id, uid, name, colour, definition, include_notes, exclude_notes, "
        "example, sort_order, active, created_at) VALUES (1, 'k1', 'Monitoring', '#CC6677', '', "
        "'', '', '', 1, 1, '2018-03-17')",
        "INSERT INTO vote_question (id, uid, position, text, kind, shape, missing, respondents, "
        "source_name, imported_at) VALUES (1, 'q1', 1, 'Extra monitoring needed?', 'yesno', "
        "'participants', 0, NULL, 'votes.csv', '2018-03-17')",
        "INSERT INTO vote_option (id, question_id, position, text, tally) VALUES "
        "(1, 1, 0, 'Yes', NULL), (2, 1, 1, 'No', NULL), (3, 1, 2, 'Unsure', NULL)",
        "INSERT INTO vote_answer (question_id, participant, option_id) VALUES "
        "(1, 'P1', 1), (1, 'P2', 1), (1, 'P3', 3), (1, 'P4', NULL)",
        "INSERT INTO vote_theme (question_id, code_id) VALUES (1, 1)",
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
    "0007": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
    ],
    "0008": [
        "INSERT INTO project (id, application, uid, name, created_at, settings) "
        "VALUES (1, 'ketqual', 'p1', 'Old study', '2018-03-17T10:00:00', '{}')",
        "INSERT INTO document (id, uid, title, kind, source_name, source_format, source_sha256, "
        "imported_at, text, text_sha256, char_count, sort_order) VALUES (1, 'd1', 'Old notes', "
        "'scribe_notes', 'a.txt', 'txt', 'x', '2018-03-17', '- P1 spoke.', 'y', 11, 1)",
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


def test_a_file_from_before_the_votes_upgrades_and_takes_votes(tmp_path):
    """A 0003 project gains the vote tables empty and can store votes at once."""
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0003")
    project = lifecycle.open_project(path, backup=False)
    with project.transaction() as tx:
        assert tx.votes.list() == []
        question, replaced = tx.votes.store(
            text="NHS availability",
            kind="yesno",
            options=("Yes", "No", "Unsure"),
            shape="participants",
            answers={"P1": (0,), "P2": ()},
        )
        assert not replaced
    with project.read() as tx:
        [stored] = tx.votes.list()
        assert tx.votes.responses(stored).counts == (1, 0, 0)
        assert tx.votes.responses(stored).missing == 1
    project.close()


def test_votes_seeded_at_their_revision_survive_the_upgrade(tmp_path):
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0005")
    project = lifecycle.open_project(path, backup=False)
    with project.read() as tx:
        [question] = tx.votes.list()
        assert question.options == ("Yes", "No", "Unsure") and question.themes == (1,)
        responses = tx.votes.responses(question)
        assert responses.counts == (2, 0, 1) and responses.missing == 1
    project.close()


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


def test_head_revision_constant_matches_the_migration_scripts():
    """Opening checks a project against this constant without loading Alembic."""
    assert schema.head_revision() == schema.HEAD_REVISION, (
        "a new migration was added: set ketqual.store.schema.HEAD_REVISION to its revision id"
    )
    assert schema.is_current(schema.HEAD_REVISION)
    assert not schema.is_current(None)
    assert not any(schema.is_current(r) for r in schema.known_revisions()[:-1])


@pytest.mark.parametrize("revision", schema.known_revisions())
def test_current_revision_reads_what_alembic_reads(tmp_path, revision):
    from alembic.runtime.migration import MigrationContext

    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, revision)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        expected = MigrationContext.configure(connection).get_current_revision()
        assert schema.current_revision(connection) == expected == revision
    engine.dispose()
    with create_engine("sqlite://").connect() as empty:
        assert schema.current_revision(empty) is None


def test_cases_of_an_old_file_become_focus_groups_and_attributes_work(tmp_path):
    """A 0003 file upgrades with its cases kept as focus groups, and the new tables take
    participants, attributes and stars at once."""
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0003")
    project = lifecycle.open_project(path, backup=False)
    with project.transaction() as tx:
        [case] = tx.cases.list()
        assert (case.name, case.kind, case.subject) == ("S1 G1", "focus_group", None)
        participant = tx.participants.ensure("P1")
        attribute = tx.attributes.add("participant", "role", "choice", ["patient", "carer"])
        tx.attributes.set_value(attribute.id, "participant", participant.id, "carer")
        assert tx.attributes.values(attribute.id) == {participant.id: "carer"}
    project.close()


def test_values_of_a_0004_file_survive_reopening(tmp_path):
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0004")
    project = lifecycle.open_project(path, backup=False)
    with project.read() as tx:
        [attribute] = tx.attributes.list()
        assert (attribute.name, attribute.type, attribute.choices) == (
            "role",
            "choice",
            ("patient", "carer"),
        )
        assert tx.attributes.values(attribute.id) == {1: "patient"}
        [star] = tx.stars.list()
        assert (star.document_id, star.start, star.end) == (1, 2, 4)
    project.close()


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


def test_a_review_of_a_0006_file_keeps_its_queue_and_accepted_agreements(tmp_path):
    """0007: the queue index replaces the (review, status) one and the accepted keys move
    to a column of their own; an upgraded review lists the same items in the same order,
    keeps its accepted agreements and options, and counts by kind from the index alone."""
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0006")
    conn = sqlite3.connect(path)
    conn.executescript(
        "INSERT INTO coder (id, uid, name, role, colour, created_at) VALUES "
        "(1, 'c1', 'Coder A', 'coder', '#332288', '2018'), "
        "(2, 'c2', 'Coder B', 'coder', '#117733', '2018');"
        "INSERT INTO review (id, uid, coder_a_id, coder_b_id, unit, options, created_at, "
        "created_by) VALUES (1, 'r1', 1, 2, 'sentence', "
        '\'{"auto_accept": true, "accepted": ["k2", "k1"]}\', \'2018-03-19\', \'Sup\');'
    )
    kinds = ("a_only", "b_only", "boundary", "different_code")
    statuses = ("open", "resolved", "deferred", "open")
    for n in range(12):
        conn.execute(
            'INSERT INTO disagreement (uid, review_id, document_id, kind, start, "end", '
            "codings_a, codings_b, fingerprint, status, sort_order, updated_at) "
            "VALUES (?, 1, 1, ?, 0, 5, '[]', '[]', ?, ?, ?, '2018')",
            (f"d{n}", kinds[n % 4], f"f{n}", statuses[n % 4], 100 - n),
        )
    conn.commit()
    conn.close()
    project = lifecycle.open_project(path, backup=False)
    with project.read() as tx:
        items = tx.disagreements.items(1, statuses=("open", "deferred"))
        assert [i.sort_order for i in items] == sorted(i.sort_order for i in items)
        assert len(items) == 9
        # the accepted keys moved out of the options into their own column
        assert tx.reviews.accepted(1) == ["k2", "k1"]
        assert tx.reviews.get(1).options == {"auto_accept": True}
        assert tx.disagreements.kind_counts(1, statuses=("open", "deferred")) == {
            "a_only": 3,
            "boundary": 3,
            "different_code": 3,
        }
    project.close()
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_disagreement_queue" in indexes
    assert "ix_disagreement_review_status" not in indexes
    plan = " ".join(
        str(row)
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT kind, count(*) FROM disagreement "
            "WHERE review_id = 1 AND status IN ('open', 'deferred') GROUP BY kind"
        )
    )
    conn.close()
    assert "COVERING INDEX ix_disagreement_" in plan  # the queue's or the kinds' index


def test_a_0007_file_reads_review_counts_and_document_labels_from_indexes(tmp_path):
    """0008: counting a review's items by status and kind walks an index in that order (no
    temporary B-tree), while a page of the queue still comes from the queue index; the
    documents' labels come from an index, not from rows stored behind their texts."""
    path = tmp_path / "old.ketqual"
    make_file_at_revision(path, "0007")
    lifecycle.open_project(path, backup=False).close()
    conn = sqlite3.connect(path)

    def plan(sql: str) -> str:
        return " ".join(str(row) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))

    counts = plan(
        "SELECT status, kind, count(*) FROM disagreement WHERE review_id = 1 GROUP BY status, kind"
    )
    page = plan(
        "SELECT * FROM disagreement WHERE review_id = 1 AND status IN ('open', 'deferred') "
        "ORDER BY sort_order, id LIMIT 200"
    )
    labels = plan(
        "SELECT id, uid, title, kind, session, group_no, case_id FROM document "
        "ORDER BY sort_order, id"
    )
    conn.close()
    assert "COVERING INDEX ix_document_labels" in labels and "TEMP B-TREE" not in labels
    assert "COVERING INDEX ix_disagreement_kinds" in counts
    assert "TEMP B-TREE" not in counts
    assert "ix_disagreement_queue" in page
