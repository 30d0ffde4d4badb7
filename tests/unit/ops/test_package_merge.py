"""Merging a returned coder package: matching by uid and text hash, idempotence, refusals,
and a codebook that changed while the coder was away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ketqual.io import package_file
from ketqual.ops import project_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_merge, package_pack
from tests.unit.ops.package_setup import build_source, fresh_copy


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return build_source(tmp_path_factory.mktemp("source"))


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)


@pytest.fixture
def project(source: Path, tmp_path: Path):
    project = fresh_copy(source, tmp_path / "supervisor")
    yield project
    project.close()


def _dump(project) -> str:
    db = sqlite3.connect(project.location)
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def _layer(location: str, coder: str) -> set[tuple]:
    db = sqlite3.connect(location)
    try:
        return set(
            db.execute(
                'select c.uid, d.uid, k.uid, c.start, c."end", c.memo from coding c'
                " join document d on d.id = c.document_id join code k on k.id = c.code_id"
                " join coder p on p.id = c.coder_id where p.name = ?",
                (coder,),
            )
        )
    finally:
        db.close()


class Round:
    """A package packed for Coder A and the coder's work on it."""

    def __init__(self, project, folder: Path, passphrase: str | None = None) -> None:
        folder.mkdir(exist_ok=True)
        self.sent = folder / "coder-a.kqpkg"
        package_pack.pack(
            project,
            coder="Coder A",
            supervisor="Supervisor",
            output=self.sent,
            passphrase=passphrase,
        )
        path, _made = package_pack.unpack(self.sent, passphrase=passphrase)
        self.work = project_ops.open_project(path, backup=False)
        with self.work.read() as tx:
            self.coder = tx.coders.list()[0].id
            self.codes = {c.name: c for c in tx.codes.list()}
            self.docs = [d.id for d in tx.documents.list()]
            self.codings = tx.codings.list(coder_id=self.coder)
        self.passphrase = passphrase

    def give_back(self, name: str = "returned.kqpkg") -> Path:
        self.work.close()
        out = self.sent.with_name(name)
        package_pack.return_package(self.work.location, out, passphrase=self.passphrase)
        self.work = project_ops.open_project(self.work.location, backup=False)
        return out


def _code_some(r: Round) -> dict:
    """Add, recode, re-memo and remove codings; mark a document done; suggest a change."""
    doc = r.docs[3]
    theme = next(c for c in r.codes.values() if c.parent_id is None)
    coding_ops.add_codings(r.work, r.coder, [coding_ops.NewCoding(doc, theme.id, 0, 7)])
    first, second, third = r.codings[0], r.codings[1], r.codings[2]
    coding_ops.recode_codings(r.work, {first.id: theme.id if first.code_id != theme.id else 2})
    coding_ops.set_memo(r.work, second.id, "changed my mind")
    coding_ops.remove_codings(r.work, [third.id])
    coding_ops.set_done(r.work, doc, r.coder, True)
    package_pack.suggest_codebook_change(r.work, "Merge these two", code_id=theme.id)
    return {"removed_uid": third.uid}


def test_merge_applies_the_coders_layer_and_nothing_else(project, tmp_path):
    r = Round(project, tmp_path / "mail", passphrase="pw")
    _code_some(r)
    returned = r.give_back()
    others_before = _layer(project.location, "Coder B")
    consensus_before = (
        sqlite3.connect(project.location)
        .execute("select count(*) from coding where coder_id is null")
        .fetchone()
    )
    with pytest.raises(OperationError, match="passphrase"):
        package_merge.merge_package(project, returned, supervisor="Supervisor")
    report = package_merge.merge_package(
        project, returned, supervisor="Supervisor", passphrase="pw"
    )
    assert (report.codings_added, report.codings_changed, report.codings_removed) == (1, 2, 1)
    assert report.codings_unchanged == 486 - 3
    assert report.memos_added == 1 and report.memos_removed == 0
    assert report.status_changed == 1
    assert report.suggestions and "Merge these two" in report.suggestions[0]
    assert report.changed and not report.unmatched
    assert _layer(project.location, "Coder A") == _layer(r.work.location, "Coder A")
    assert _layer(project.location, "Coder B") == others_before
    assert (
        sqlite3.connect(project.location)
        .execute("select count(*) from coding where coder_id is null")
        .fetchone()
        == consensus_before
    )
    with project.read() as tx:
        event = tx.audit.list(limit=1)[0]
    assert event.action == "merge_package" and event.details["codings_added"] == 1
    assert event.details["coder"] == "Coder A"
    # merging the same package again changes nothing at all
    before = _dump(project)
    again = package_merge.merge_package(project, returned, supervisor="Supervisor", passphrase="pw")
    assert not again.changed and "Nothing changed" in "\n".join(again.lines())
    assert _dump(project) == before
    r.work.close()


def test_dry_run_reports_without_writing(project, tmp_path):
    r = Round(project, tmp_path / "mail")
    _code_some(r)
    returned = r.give_back()
    before = _dump(project)
    report = package_merge.merge_package(project, returned, supervisor="Supervisor", dry_run=True)
    assert report.dry_run and report.codings_added == 1 and report.lines()[0].startswith("Would")
    assert _dump(project) == before
    r.work.close()


def test_merge_into_a_changed_codebook(project, tmp_path):
    r = Round(project, tmp_path / "mail")
    with project.read() as tx:
        codes = tx.codes.list()
        coder_a = tx.coders.by_name("Coder A").id
        mine = tx.codings.list(coder_id=coder_a)
    used = {c.code_id for c in mine}
    subs = [c for c in codes if c.parent_id is not None and c.id in used]
    renamed, merged_away, deleted = subs[0], subs[1], subs[2]
    into = next(c for c in codes if c.parent_id == merged_away.parent_id and c != merged_away)
    # the coder adds one coding of each of those codes while away
    doc = r.docs[5]
    coding_ops.add_codings(
        r.work,
        r.coder,
        [coding_ops.NewCoding(doc, c.id, 10, 20) for c in (renamed, merged_away, deleted)],
    )
    returned = r.give_back()
    # meanwhile the supervisor changes the codebook
    codebook_ops.rename_code(project, renamed.id, "Renamed meanwhile", actor="Supervisor")
    codebook_ops.merge_codes(project, merged_away.id, into.id, actor="Supervisor")
    codebook_ops.delete_code(project, deleted.id, confirm=True, actor="Supervisor")
    report = package_merge.merge_package(project, returned, supervisor="Supervisor")
    n_deleted = sum(1 for c in mine if c.code_id == deleted.id) + 1
    n_followed = sum(1 for c in mine if c.code_id == merged_away.id) + 1
    assert len(report.unmatched) == n_deleted
    assert {u.reason for u in report.unmatched} == {"deleted in the project"}
    assert {u.code_uid for u in report.unmatched} == {deleted.uid}
    assert report.codings_followed == n_followed
    assert report.codings_added == 2  # renamed and followed; the deleted code's is left out
    with project.read() as tx:
        new = [c for c in tx.codings.list(coder_id=coder_a, document_id=doc) if c.start == 10]
        event = tx.audit.list(limit=1)[0]
    assert sorted(c.code_id for c in new) == sorted([renamed.id, into.id])
    listed = event.details["unmatched"]
    assert len(listed) == n_deleted
    assert {u["code_path"] for u in listed} == {
        f"{next(c.name for c in codes if c.id == deleted.parent_id)}/{deleted.name}"
    }
    assert all({"document", "start", "end", "document_uid"} <= set(u) for u in listed)
    r.work.close()


def test_document_text_differs_refused_and_nothing_changes(project, tmp_path):
    r = Round(project, tmp_path / "mail")
    _code_some(r)
    returned = r.give_back()
    with project.read() as tx:
        docs = tx.documents.list()
    db = sqlite3.connect(project.location)
    with db:
        db.execute(
            "update document set text = text || ' edited', text_sha256 = 'x' where id = ?",
            (docs[0].id,),
        )
        db.execute("pragma foreign_keys = on")
    db.execute("delete from segment where document_id = ?", (docs[1].id,))
    db.execute("delete from coding where document_id = ?", (docs[1].id,))
    db.execute("delete from document_status where document_id = ?", (docs[1].id,))
    db.execute("delete from disagreement where document_id = ?", (docs[1].id,))
    db.execute("delete from document where id = ?", (docs[1].id,))
    db.commit()
    db.close()
    before = _dump(project)
    with pytest.raises(package_merge.MergeRefused) as refused:
        package_merge.merge_package(project, returned, supervisor="Supervisor")
    reasons = {d.title: d.reason for d in refused.value.report.refused}
    assert reasons == {
        docs[0].meta.title: "its text differs from the project's",
        docs[1].meta.title: "not in the project",
    }
    assert "nothing was changed" in str(refused.value)
    assert _dump(project) == before
    r.work.close()


def test_refusals_before_anything_happens(project, source, tmp_path):
    r = Round(project, tmp_path / "mail")
    returned = r.give_back()
    before = _dump(project)
    with pytest.raises(OperationError, match="only a supervisor"):
        package_merge.merge_package(project, returned, supervisor="Coder B")
    other = fresh_copy(source, tmp_path / "elsewhere")
    other.close()
    db = sqlite3.connect(other.location)
    with db:
        db.execute("update project set uid = 'feedfeedfeedfeedfeedfeedfeedfeed'")
    db.close()
    other = project_ops.open_project(other.location, backup=False)
    with pytest.raises(OperationError, match="another project"):
        package_merge.merge_package(other, returned, supervisor="Supervisor")
    other.close()
    with pytest.raises(OperationError, match="not a coder package"):
        package_merge.merge_package(project, source, supervisor="Supervisor")
    with pytest.raises(OperationError, match="coder package"):
        package_merge.merge_package(r.work, returned, supervisor="Supervisor")
    assert _dump(project) == before
    db = sqlite3.connect(project.location)
    with db:
        db.execute(
            "update coder set uid = 'abababababababababababababababab' where name = 'Coder A'"
        )
    db.close()
    with pytest.raises(OperationError, match="is not in this project"):
        package_merge.merge_package(project, returned, supervisor="Supervisor")
    r.work.close()
