"""Packing a coder's share of a project, opening it to work, and what a package allows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ketqual.io import package_file
from ketqual.ops import project_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.importing import document_ops, import_ops
from ketqual.ops.team import coder_ops, package_guard, package_pack
from tests.unit.ops.package_setup import build_source, fresh_copy


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return build_source(tmp_path_factory.mktemp("source"))


@pytest.fixture
def project(source: Path, tmp_path: Path):
    project = fresh_copy(source, tmp_path / "supervisor")
    yield project
    project.close()


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)


def _rows(db: sqlite3.Connection, table: str) -> list[dict]:
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute(f'select * from "{table}"')]


def _inspect(package: Path, source: Path) -> None:
    """Every table of the package holds only what a package may hold."""
    src = sqlite3.connect(source)
    coder_a = src.execute("select id, uid from coder where name = 'Coder A'").fetchone()
    db = sqlite3.connect(package)
    tables = [r[0] for r in db.execute("select name from sqlite_master where type = 'table'")]
    assert {"coding", "document", "pseudonym_key", "decision", "memo"} <= set(tables)
    checked = set()

    def same_uids(table: str, where: str = "") -> None:
        ours = {r["uid"] for r in _rows(db, table)}
        theirs = {r[0] for r in src.execute(f'select uid from "{table}" {where}')}
        assert ours == theirs, table
        checked.add(table)

    for table in tables:
        rows = _rows(db, table)
        if table == "alembic_version":
            assert len(rows) == 1
        elif table == "project":
            (row,) = rows
            settings = json.loads(row["settings"])
            marker = settings["package"]
            assert (
                marker["source_project_uid"] == src.execute("select uid from project").fetchone()[0]
            )
            assert marker["coder_uid"] == coder_a[1] and marker["coder_name"] == "Coder A"
            assert marker["format"] == 2 and marker["created_by"] == "Supervisor"
            assert len(marker["content_sha256"]) == 64
            assert "unblinded" not in settings
        elif table == "coder":
            assert [(r["uid"], r["name"], r["role"]) for r in rows] == [
                (coder_a[1], "Coder A", "coder")
            ]
        elif table in ("code", "case", "document"):
            same_uids(table)
        elif table == "codebook_version":
            newest = src.execute("select max(id) from codebook_version").fetchone()[0]
            assert [r["id"] for r in rows] == [newest]
        elif table == "segment":
            assert len(rows) == src.execute("select count(*) from segment").fetchone()[0]
        elif table in ("coding", "memo"):
            assert rows and all(r["coder_id"] == coder_a[0] for r in rows)
            same_uids(table, f"where coder_id = {coder_a[0]}")
        elif table == "document_status":
            assert [r["coder_id"] for r in rows] == [coder_a[0]]
        elif table == "audit_event":
            assert [r["action"] for r in rows] == ["package.created"]
        else:
            # the pseudonymisation key, reviews, disagreements, decisions, summaries,
            # network edges, and any table added later: nothing of them travels
            assert rows == [], table
        checked.add(table)
    assert checked == set(tables)
    texts = {r[0] for r in src.execute("select text from document")}
    assert {r["text"] for r in _rows(db, "document")} == texts
    raw = package.read_bytes()
    assert b"Alice Real" not in raw and b"memo by Coder B" not in raw
    db.close()
    src.close()


def test_plain_package_holds_only_one_coders_share(project, source, tmp_path):
    out = tmp_path / "coder-a.kqpkg"
    result = package_pack.pack(project, coder="Coder A", supervisor="Supervisor", output=out)
    assert result.coder == "Coder A" and not result.encrypted
    assert result.counts["coding"] == 486
    _inspect(out, source)
    # a plain package is a valid project in its own right
    opened = project_ops.open_project(out, backup=False)
    info = project_ops.project_info(opened)
    opened.close()
    assert [c["name"] for c in info["coders"]] == ["Coder A"]
    assert info["consensus_codings"] == 0
    with project.read() as tx:
        assert tx.audit.list(limit=1)[0].action == "package.create"


def test_encrypted_package_round_trip(project, source, tmp_path):
    out = tmp_path / "coder-a.kqpkg"
    package_pack.pack(
        project, coder="Coder A", supervisor="Supervisor", output=out, passphrase="s3cret"
    )
    assert package_pack.needs_passphrase(out)
    assert b"SQLite format 3" not in out.read_bytes()
    with pytest.raises(OperationError, match="passphrase"):
        package_pack.unpack(out)
    with pytest.raises(OperationError, match="wrong passphrase"):
        package_pack.unpack(out, passphrase="nope")
    assert not package_pack.default_work_path(out).exists()
    work, made = package_pack.unpack(out, passphrase="s3cret")
    assert made and work == tmp_path / "coder-a-work.ketqual"
    _inspect(work, source)
    # opening it again keeps the coder's work instead of decrypting over it
    assert package_pack.unpack(out, passphrase="anything") == (work, False)


def test_only_a_supervisor_packs(project, tmp_path):
    with pytest.raises(OperationError, match="only a supervisor"):
        package_pack.pack(project, coder="Coder B", supervisor="Coder A", output=tmp_path / "x")
    with pytest.raises(OperationError, match="no coder called"):
        package_pack.pack(project, coder="Nobody", supervisor="Supervisor", output=tmp_path / "x")
    assert not (tmp_path / "x").exists()
    with pytest.raises(OperationError, match="replace the project"):
        package_pack.pack(
            project, coder="Coder A", supervisor="Supervisor", output=Path(project.location)
        )


def test_a_plain_project_is_not_a_package(project, tmp_path):
    with pytest.raises(OperationError, match="not a coder package"):
        package_pack.unpack(Path(project.location), work_path=tmp_path / "w.ketqual")
    assert not (tmp_path / "w.ketqual").exists()
    junk = tmp_path / "junk.kqpkg"
    junk.write_text("hello")
    with pytest.raises(OperationError, match="not a KetQual coder package"):
        package_pack.unpack(junk)


@pytest.fixture
def work(project, tmp_path):
    out = tmp_path / "coder-a.kqpkg"
    package_pack.pack(project, coder="Coder A", supervisor="Supervisor", output=out)
    path, _made = package_pack.unpack(out)
    opened = project_ops.open_project(path, backup=False)
    yield opened
    opened.close()


def test_documents_and_codebook_are_read_only_in_a_package(work, tmp_path):
    assert package_guard.is_package(work)
    with work.read() as tx:
        code = tx.codes.list()[0]
        doc = tx.documents.list()[0]
        coder = tx.coders.list()[0]
    book = codebook_ops.export_codebook(work, tmp_path / "book.json")  # reading is fine
    refusals = [
        lambda: codebook_ops.add_code(work, "New theme"),
        lambda: codebook_ops.rename_code(work, code.id, "Other"),
        lambda: codebook_ops.delete_code(work, code.id, confirm=True),
        lambda: codebook_ops.retire_code(work, code.id),
        lambda: codebook_ops.import_codebook(work, book),
        lambda: document_ops.update_document(work, doc.id, title="New"),
        lambda: document_ops.delete_document(work, doc.id, confirm=True),
        lambda: import_ops.import_files(work, [tmp_path / "x.txt"]),
        lambda: import_ops.add_pseudonyms(work, ["Bob"]),
        lambda: coder_ops.add_coder(work, "Boss", role="supervisor"),
        lambda: coder_ops.set_unblinded(work, by_coder_id=coder.id, unblinded=True, reason="x"),
    ]
    before = sqlite3.connect(work.location).execute("select count(*) from audit_event").fetchone()
    for attempt in refusals:
        with pytest.raises(OperationError, match="coder package"):
            attempt()
    after = sqlite3.connect(work.location).execute("select count(*) from audit_event").fetchone()
    assert before == after
    # coding and memos still work
    change = coding_ops.add_codings(work, coder.id, [coding_ops.NewCoding(doc.id, code.id, 0, 5)])
    assert change.action.startswith("coding.")
    package_pack.suggest_codebook_change(work, "Split this theme", code_id=code.id)
    assert package_pack.suggestions(work) == [(code.id, "Split this theme")]


def test_suggestions_only_in_packages(project):
    with pytest.raises(OperationError, match="for coder packages"):
        package_pack.suggest_codebook_change(project, "idea")


def test_return_writes_an_encrypted_package_of_the_work(work, tmp_path):
    work.close()
    out = tmp_path / "returned.kqpkg"
    package_pack.return_package(work.location, out, passphrase="back")
    assert package_file.is_encrypted_package(out)
    back, _made = package_pack.unpack(out, passphrase="back", work_path=tmp_path / "r.ketqual")
    db = sqlite3.connect(back)
    actions = [r[0] for r in db.execute("select action from audit_event order by id")]
    # the return's identifier check is in the work's audit log too
    assert actions == ["package.created", "privacy.export_check", "package.return"]
    with pytest.raises(OperationError, match="another file"):
        package_pack.return_package(work.location, work.location)


@pytest.mark.parametrize("passphrase", [None, "back"])
def test_return_while_the_work_is_still_open_keeps_the_latest_codings(work, tmp_path, passphrase):
    """The app returns the package with the project open, so its newest codings may still
    be in the -wal file; the returned package must hold them all the same."""
    with work.read() as tx:
        code = tx.codes.list()[0]
        doc = tx.documents.list()[0]
        coder = tx.coders.list()[0]
    before = coding_ops.coding_counts(work, coder.id)
    coding_ops.add_codings(work, coder.id, [coding_ops.NewCoding(doc.id, code.id, 1, 9)])
    with work.read() as tx:  # keep a connection busy so nothing is checkpointed
        tx.documents.list()
    out = tmp_path / "returned.kqpkg"
    package_pack.return_package(work.location, out, passphrase=passphrase)
    back, _made = package_pack.unpack(out, passphrase=passphrase, work_path=tmp_path / "r.ketqual")
    db = sqlite3.connect(back)
    spans = db.execute(
        'select start, "end" from coding where document_id = ? and code_id = ?', (doc.id, code.id)
    ).fetchall()
    db.close()
    assert (1, 9) in spans
    assert sum(before.values()) + 1 == len(
        sqlite3.connect(back).execute("select id from coding").fetchall()
    )


def test_plain_packages_travel_as_one_file(project, tmp_path):
    """A package sent by email is one file: no -wal or -shm beside it, before or after it
    is opened, worked in, returned and read."""
    out = tmp_path / "coder-a.kqpkg"
    package_pack.pack(project, coder="Coder A", supervisor="Supervisor", output=out)
    path, _made = package_pack.unpack(out)
    returned = tmp_path / "back.kqpkg"
    package_pack.return_package(path, returned)
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm")))
    assert leftovers == []
    for package, expected in ((out, "delete"), (returned, "delete"), (path, "wal")):
        db = sqlite3.connect(package)
        assert db.execute("pragma journal_mode").fetchone()[0] == expected
        db.close()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm")))
    assert leftovers == []
