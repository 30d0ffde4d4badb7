"""The checksum of a package's contents: stamped, verified, and any change refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ketqual.store import package_digest
from tests.factories import add_document, make_project


@pytest.fixture
def package(tmp_path: Path) -> Path:
    project = make_project(tmp_path, "p.ketqual")
    add_document(project)
    with project.transaction() as tx:
        tx.project.set_setting("package", {"format": 2, "coder_name": "A"})
    project.close()
    path = tmp_path / "p.ketqual"
    package_digest.stamp(path)
    return path


def test_stamp_then_verify(package: Path):
    package_digest.verify(package, "p.kqpkg")
    settings = json.loads(
        sqlite3.connect(package).execute("select settings from project").fetchone()[0]
    )
    assert settings["package"]["content_sha256"] == package_digest.content_digest(package)


@pytest.mark.parametrize(
    "sql",
    [
        'UPDATE segment SET "end" = "end" + 1 WHERE id = 1',
        "UPDATE document SET text = text || ' '",
        "UPDATE project SET name = 'Other'",
        "DELETE FROM segment WHERE id = 2",
        "UPDATE code SET colour = '#000000' WHERE id = 1",
    ],
)
def test_any_change_to_the_contents_is_refused(package: Path, sql: str):
    connection = sqlite3.connect(package)
    connection.execute(sql)
    connection.commit()
    connection.close()
    with pytest.raises(package_digest.PackageDamaged, match="fail their checksum"):
        package_digest.verify(package, "p.kqpkg")


def test_a_package_without_a_checksum_is_refused(package: Path):
    connection = sqlite3.connect(package)
    connection.execute("UPDATE project SET settings = ?", (json.dumps({"package": {"format": 1}}),))
    connection.commit()
    connection.close()
    with pytest.raises(package_digest.PackageDamaged, match="no checksum"):
        package_digest.verify(package, "p.kqpkg")


def test_not_a_database(tmp_path: Path):
    junk = tmp_path / "junk.kqpkg"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(package_digest.PackageDamaged):
        package_digest.copy_verified(junk, tmp_path / "out.ketqual", "junk.kqpkg")
    assert not (tmp_path / "out.ketqual").exists()


def test_text_values_leave_ids_and_hashes_out(package: Path):
    values = dict(package_digest.text_values(package))
    assert any(k.startswith("document.text") for k in values)
    assert not any(k.split(" ")[0].endswith((".uid", "_sha256", ".colour")) for k in values)
