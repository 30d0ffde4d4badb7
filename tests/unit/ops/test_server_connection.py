"""Dropped connections on a real PostgreSQL server: transparent when nothing was saved,
a clear message otherwise, never half a change, and the next action always works."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from ketqual.ops import project_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.team import server_ops
from ketqual.store.connection import ConnectionLost
from tests import factories
from tests.pg_server import PgServer, find_pg_bin

pytestmark = pytest.mark.postgres


def _terminate(pg_server, url: str) -> int:
    """End every session on the project's database, as an administrator would."""
    import psycopg

    database = url.rsplit("/", 1)[1]
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_server.port} user={pg_server.user} dbname=postgres",
        autocommit=True,
    ) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


@pytest.fixture
def coded(pg_url):
    project = project_ops.new_project(pg_url, actor="tester")
    document = factories.add_document(project)
    coder = factories.add_coder(project)
    code = next(c["id"] for c in project_ops.project_info(project)["codes"] if c["active"])
    yield project, document, coder, code
    project.close()


def _count(project, coder) -> int:
    return project_ops.project_info(project)["coders"][0]["codings"] if coder else 0


def test_connections_ended_between_actions_are_replaced_transparently(pg_server, pg_url, coded):
    project, document, coder, code = coded
    coding_ops.add_codings(project, coder, [NewCoding(document, code, 0, 5)])
    assert _terminate(pg_server, pg_url) >= 1  # the pooled connection is gone
    # no retry needed: the pool checks each connection before handing it out
    coding_ops.add_codings(project, coder, [NewCoding(document, code, 6, 9)])
    assert _count(project, coder) == 2


def test_a_failed_check_of_a_pooled_connection_takes_a_new_one(pg_url, coded, monkeypatch):
    """Checking a connection the server has just ended, psycopg can fail with "can't change
    'autocommit' now" instead of a disconnect (CI, at random): the pool must take a new
    connection rather than hand that error to the action."""
    import psycopg

    project, document, coder, code = coded
    dialect = type(project.engine.dialect)
    check = dialect.do_ping
    fails = [1]

    def failing_check(self, dbapi_connection):
        if fails:
            fails.pop()
            raise psycopg.ProgrammingError(
                "can't change 'autocommit' now: connection in transaction status ACTIVE"
            )
        return check(self, dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", failing_check)
    coding_ops.add_codings(project, coder, [NewCoding(document, code, 0, 5)])
    assert fails == [] and _count(project, coder) == 1


def _add_two_and_drop(project, pg_server, pg_url, document, code, coder, drops: list):
    """One action whose connection is ended half-way (on the first ``len(drops)`` tries)."""
    with project.transaction() as tx:
        tx.codings.add_many(
            [{"document_id": document, "code_id": code, "coder_id": coder, "start": 0, "end": 3}]
        )
        if drops:
            drops.pop()
            _terminate(pg_server, pg_url)
        tx.codings.add_many(
            [{"document_id": document, "code_id": code, "coder_id": coder, "start": 4, "end": 8}]
        )


def test_a_connection_ended_mid_transaction_saves_nothing_and_says_so(pg_server, pg_url, coded):
    project, document, coder, code = coded
    with pytest.raises(ConnectionLost) as caught:
        _add_two_and_drop(project, pg_server, pg_url, document, code, coder, [1])
    assert caught.value.saved is False and caught.value.retryable
    assert "was not saved" in str(caught.value)
    assert _count(project, coder) == 0  # not half of it
    coding_ops.add_codings(project, coder, [NewCoding(document, code, 0, 5)])  # next one works
    assert _count(project, coder) == 1


def test_run_repeats_an_action_that_was_not_saved(pg_server, pg_url, coded):
    project, document, coder, code = coded
    drops = [1, 1]  # the connection is ended on the first two attempts
    server_ops.run(
        project, "Code", _add_two_and_drop, project, pg_server, pg_url, document, code, coder, drops
    )
    assert drops == []
    assert _count(project, coder) == 2  # stored exactly once


def test_a_connection_lost_while_committing_is_not_repeated(pg_server, pg_url, coded):
    project, document, coder, code = coded
    calls = []

    def end_sessions(_session):
        calls.append(1)
        _terminate(pg_server, pg_url)

    event.listen(Session, "before_commit", end_sessions)
    try:
        with pytest.raises(OperationError) as caught:
            server_ops.run(
                project,
                "Code with Access",
                coding_ops.add_codings,
                project,
                coder,
                [NewCoding(document, code, 0, 5)],
            )
    finally:
        event.remove(Session, "before_commit", end_sessions)
    assert calls == [1]  # run() did not try again: the commit may have happened
    assert str(caught.value) == (
        "The connection to the server was lost; 'Code with Access' may not have been saved "
        "— KetQual has reconnected; check and repeat it"
    )
    coding_ops.add_codings(project, coder, [NewCoding(document, code, 6, 9)])
    assert _count(project, coder) == 1  # here the commit did not happen


def test_a_stopped_server_gives_a_clear_message_and_a_restart_recovers(tmp_path):
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed")
    server = PgServer(bin_dir)
    server.start()
    try:
        server.admin("CREATE DATABASE lonely")
        project = project_ops.new_project(server.url("lonely"), actor="tester")
        document = factories.add_document(project)
        coder = factories.add_coder(project)
        code = next(c["id"] for c in project_ops.project_info(project)["codes"])
        pg_ctl = str(server.bin_dir / "pg_ctl")
        server._run(
            pg_ctl,
            "-D",
            str(server.data),
            "-m",
            "fast",
            "-l",
            str(server.dir / "log"),
            "-w",
            "restart",
        )
        coding_ops.add_codings(project, coder, [NewCoding(document, code, 0, 5)])
        server._run(pg_ctl, "-D", str(server.data), "-m", "fast", "-w", "stop")
        with pytest.raises(OperationError) as caught:
            server_ops.run(
                project,
                "Code with Cost",
                coding_ops.add_codings,
                project,
                coder,
                [NewCoding(document, code, 6, 9)],
            )
        message = str(caught.value)
        assert message.startswith("The connection to the server was lost and KetQual could not")
        assert "'Code with Cost' was not saved" in message and "Traceback" not in message
        with pytest.raises(OperationError, match="could not reconnect"):
            project_ops.project_info(project)  # reading says the same, plainly
        server._run(pg_ctl, "-D", str(server.data), "-l", str(server.dir / "log"), "-w", "restart")
        coding_ops.add_codings(project, coder, [NewCoding(document, code, 6, 9)])
        assert _count(project, coder) == 2  # the same open project works again
        project.close()
    finally:
        server.stop()
