"""Copying projects between SQLite and PostgreSQL: every table equal, ids and uids kept,
sequences moved on, and a failed copy leaves nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from ketqual.ops import audit_ops, demo_ops, project_ops, queries
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.framework import framework_ops
from ketqual.ops.network import network_edge_ops
from ketqual.ops.team import server_ops
from ketqual.store import copying, lifecycle


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo (consensus, decisions) plus a drawn network edge and a matrix summary."""
    path = tmp_path_factory.mktemp("demo") / "demo.ketqual"
    project, _ = demo_ops.build_demo(path)
    codes = {c["path"]: c["id"] for c in project_ops.project_info(project)["codes"]}
    themes = [i for p, i in codes.items() if "/" not in p]
    network_edge_ops.draw_edge(project, themes[0], themes[1], directed=True, actor="sup")
    case = project_ops.project_info(project)["cases"][0]["id"]
    framework_ops.set_summary(project, case_id=case, code_id=themes[0], text="Access matters")
    project.close()
    return path


def _snapshot(target: str) -> dict[str, tuple[int, str]]:
    """Rows and checksum of every table."""
    engine = lifecycle.make_engine(target)
    try:
        with engine.connect() as conn:
            return {t.name: copying._checksum(conn, t) for t in copying.tables()}
    finally:
        engine.dispose()


def _without_copy_event(snapshot: dict) -> dict:
    return {name: value for name, value in snapshot.items() if name != "audit_event"}


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_keeps_every_table(demo_file, pg_url, tmp_path):
    original = _snapshot(str(demo_file))
    assert all(original[t][0] > 0 for t in ("decision", "network_edge", "matrix_summary"))
    report = server_ops.copy_project(demo_file, pg_url, actor="sup")
    assert report.rows["coding"] == original["coding"][0] and report.total > 2000
    on_server = _snapshot(pg_url)
    assert _without_copy_event(on_server) == _without_copy_event(original)
    assert on_server["audit_event"][0] == original["audit_event"][0] + 1
    back = tmp_path / "back"  # .ketqual is added
    server_ops.copy_project(pg_url, back, actor="sup")
    returned = _snapshot(str(tmp_path / "back.ketqual"))
    assert _without_copy_event(returned) == _without_copy_event(original)
    project = project_ops.open_project(tmp_path / "back.ketqual")
    [latest, previous] = audit_ops.audit_log(project, limit=2)
    assert latest.summary == f"Copied from {lifecycle.public_location(pg_url)}"
    assert previous.summary == f"Copied from {demo_file}"
    project.close()


@pytest.mark.postgres
def test_new_rows_on_the_copied_server_get_fresh_ids(demo_file, pg_url):
    server_ops.copy_project(demo_file, pg_url, actor="sup")
    project = project_ops.open_project(pg_url)
    coder = next(c["id"] for c in project_ops.project_info(project)["coders"])
    document = queries.list_documents(project)[0].record.id
    code = next(c["id"] for c in project_ops.project_info(project)["codes"])
    change = coding_ops.add_codings(project, coder, [NewCoding(document, code, 0, 1)])
    [added] = change.details["added"]
    assert added.id == _snapshot(pg_url)["coding"][0]  # the next id after the copied ones
    project.close()


@pytest.mark.postgres
def test_postgresql_to_postgresql(demo_file, pg_server, pg_url):
    server_ops.copy_project(demo_file, pg_url, actor="sup")
    pg_server.admin("CREATE DATABASE ketqual_copy_target")
    try:
        other = pg_server.url("ketqual_copy_target")
        server_ops.copy_project(pg_url, other, actor="sup")
        assert _without_copy_event(_snapshot(other)) == _without_copy_event(_snapshot(pg_url))
    finally:
        pg_server.admin("DROP DATABASE ketqual_copy_target WITH (FORCE)")


def test_sqlite_to_sqlite_and_refusals(demo_file, tmp_path):
    target = tmp_path / "copy.ketqual"
    server_ops.copy_project(demo_file, target, actor="sup")
    assert _without_copy_event(_snapshot(str(target))) == _without_copy_event(
        _snapshot(str(demo_file))
    )
    with pytest.raises(OperationError, match="already exists"):
        server_ops.copy_project(demo_file, target, actor="sup")
    with pytest.raises(OperationError, match="was not found"):
        server_ops.copy_project(tmp_path / "missing.ketqual", tmp_path / "x", actor="sup")
    assert not (tmp_path / "x.ketqual").exists()


@pytest.mark.postgres
def test_a_non_empty_database_is_refused_and_left_alone(demo_file, pg_url):
    project_ops.new_project(pg_url, actor="sup").close()
    before = _snapshot(pg_url)
    with pytest.raises(OperationError, match="not empty"):
        server_ops.copy_project(demo_file, pg_url, actor="sup")
    assert _snapshot(pg_url) == before


@pytest.fixture
def broken_verification(monkeypatch):
    """Make the check of the 'coding' table fail, as a copy gone wrong would."""
    real = copying._checksum

    def wrong(conn, table):
        rows, digest = real(conn, table)
        return (rows, "0" * 64) if table.name == "coding" else (rows, digest)

    monkeypatch.setattr(copying, "_checksum", wrong)


def test_a_failed_copy_to_a_file_leaves_nothing(demo_file, tmp_path, broken_verification):
    with pytest.raises(OperationError, match="table 'coding' does not match"):
        server_ops.copy_project(demo_file, tmp_path / "copy.ketqual", actor="sup")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_failed_copy_to_a_server_rolls_back(demo_file, pg_url, broken_verification):
    with pytest.raises(OperationError, match="table 'coding' does not match"):
        server_ops.copy_project(demo_file, pg_url, actor="sup")
    engine = lifecycle.make_engine(pg_url)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []  # not even the schema stayed
    engine.dispose()
