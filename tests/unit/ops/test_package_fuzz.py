"""A damaged coder package is refused in one sentence, or merges exactly as the intact one.

Plain and encrypted returned packages are mutated (bit flips anywhere, truncation, and SQL
edits that leave a readable database with changed contents: a moved boundary, a coding
pointing at a missing document, a broken CHECK constraint, a missing table, a removed
checksum). Every case must end in an ``OperationError`` whose message is one line, or in a
merge whose result is identical to merging the undamaged package.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from ketqual.io import package_file
from ketqual.ops import project_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_merge, package_pack
from tests.factories import add_coder, add_codings, add_document, make_project

SEED = 20180317


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    """The supervisor's project, and Coder A's returned package, plain and encrypted."""
    folder = tmp_path_factory.mktemp("fuzz")
    project = make_project(folder, "study.ketqual")
    add_coder(project, "Supervisor", "supervisor")
    coder = add_coder(project, "Coder A")
    docs = [
        add_document(project, "- P1 slept better after the first dose.\n- P2 agreed.\n", group=1),
        add_document(project, "- P3: travel to the clinic takes 2 hrs.\n", group=2),
    ]
    with project.transaction() as tx:
        codes = [c.id for c in tx.codes.list()][:3]
    add_codings(project, docs[0], codes[0], coder, [(2, 20)])
    package_pack.pack(project, coder="Coder A", supervisor="Supervisor", output=folder / "a.kqpkg")
    project.close()
    work, _ = package_pack.unpack(folder / "a.kqpkg")
    opened = project_ops.open_project(work, backup=False)
    coding_ops.add_codings(
        opened,
        coder,
        [
            coding_ops.NewCoding(docs[0], codes[1], 24, 38),
            coding_ops.NewCoding(docs[1], codes[2], 2, 30),
        ],
    )
    opened.close()
    plain = package_pack.return_package(work, folder / "back.kqpkg")
    sealed = package_pack.return_package(work, folder / "back-sealed.kqpkg", passphrase="pw")
    return folder / "study.ketqual", plain, sealed


def _merge(project_file: Path, package: Path, scratch: Path, passphrase=None):
    """Merge into a fresh copy of the project; the coder's layer after, or the refusal."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "study.ketqual"
    shutil.copyfile(project_file, copy)
    project = project_ops.open_project(copy, backup=False)
    try:
        package_merge.merge_package(
            project, package, supervisor="Supervisor", passphrase=passphrase
        )
    except OperationError as exc:
        return None, str(exc)
    finally:
        project.close()
    db = sqlite3.connect(copy)
    try:
        layer = sorted(
            db.execute(
                'select c.uid, d.uid, k.uid, c.start, c."end", c.memo from coding c '
                "join document d on d.id = c.document_id join code k on k.id = c.code_id "
                "where c.coder_id is not null"
            )
        )
    finally:
        db.close()
    return layer, None


def _sql_edits() -> list[tuple[str, list[str]]]:
    return [
        ("moved boundary", ['UPDATE coding SET "end" = "end" + 1 WHERE id = (SELECT max(id) FROM coding)']),
        ("moved start", ["UPDATE coding SET start = start - 1 WHERE start > 0"]),
        ("coding on a missing document", ["UPDATE coding SET document_id = 999"]),
        ("missing document", ["PRAGMA foreign_keys = OFF", "DELETE FROM document WHERE id = 1"]),
        ("broken CHECK", ["PRAGMA ignore_check_constraints = ON", 'UPDATE coding SET "end" = start - 1']),
        ("missing table", ["DROP TABLE coding"]),
        ("changed text", ["UPDATE document SET text = replace(text, 'P1', 'P7')"]),
        ("other coder", ["UPDATE coder SET uid = 'someone-else'"]),
        ("checksum removed", ["UPDATE project SET settings = json_remove(settings, '$.package.content_sha256')"]),
        ("memo changed", ["UPDATE coding SET memo = 'new words'"]),
    ]  # fmt: skip


def _cases(plain: bytes, sealed: bytes) -> list[tuple[str, bytes, bool]]:
    rng = random.Random(SEED)
    cases = []
    for _ in range(40):
        position = rng.randrange(len(plain))
        flipped = bytearray(plain)
        flipped[position] ^= 1 << rng.randrange(8)
        cases.append((f"plain bit {position}", bytes(flipped), False))
    for length in (0, 50, 100, 4096, len(plain) // 2, len(plain) - 1):
        cases.append((f"plain cut at {length}", plain[:length], False))
    for _ in range(12):
        position = rng.randrange(len(sealed))
        flipped = bytearray(sealed)
        flipped[position] ^= 1 << rng.randrange(8)
        cases.append((f"sealed bit {position}", bytes(flipped), True))
    for length in (10, 40, len(sealed) - 16, len(sealed) - 1):
        cases.append((f"sealed cut at {length}", sealed[:length], True))
    return cases


def _check(outcome, reference, case: str) -> str:
    layer, refusal = outcome
    if refusal is not None:
        assert "\n" not in refusal and "Traceback" not in refusal and len(refusal) < 300, (
            case,
            refusal,
        )
        return "refused"
    assert layer == reference, case
    return "identical"


def test_damaged_packages_are_refused_or_merge_identically(returned, tmp_path):
    project_file, plain, sealed = returned
    reference, refusal = _merge(project_file, plain, tmp_path / "reference")
    assert refusal is None and len(reference) == 3
    assert _merge(project_file, sealed, tmp_path / "sealed-ref", "pw") == (reference, None)
    outcomes: dict[str, int] = {}
    for number, (case, data, encrypted) in enumerate(
        _cases(plain.read_bytes(), sealed.read_bytes())
    ):
        damaged = tmp_path / f"case{number}.kqpkg"
        damaged.write_bytes(data)
        result = _merge(project_file, damaged, tmp_path / f"m{number}", "pw" if encrypted else None)
        kind = _check(result, reference, case)
        outcomes[kind] = outcomes.get(kind, 0) + 1
    assert outcomes.get("refused", 0) >= 20  # most damage is caught, none slips through


@pytest.mark.parametrize("edit", _sql_edits(), ids=lambda e: e[0])
def test_sql_edits_to_a_plain_package_are_refused(returned, tmp_path, edit):
    project_file, plain, _sealed = returned
    name, statements = edit
    damaged = tmp_path / "edited.kqpkg"
    shutil.copyfile(plain, damaged)
    db = sqlite3.connect(damaged)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()
    layer, refusal = _merge(project_file, damaged, tmp_path / "m")
    assert layer is None, name
    assert "\n" not in refusal and ("damaged" in refusal or "checksum" in refusal), refusal


def test_unpacking_a_damaged_package_leaves_nothing(returned, tmp_path):
    _project, plain, _sealed = returned
    damaged = tmp_path / "a.kqpkg"
    raw = plain.read_bytes()
    shutil.copyfile(plain, damaged)
    db = sqlite3.connect(damaged)
    db.execute("UPDATE document SET text = text || ' '")
    db.commit()
    db.close()
    with pytest.raises(OperationError, match="checksum"):
        package_pack.unpack(damaged)
    assert not package_pack.default_work_path(damaged).exists()
    assert plain.read_bytes() == raw  # the intact package was not touched
