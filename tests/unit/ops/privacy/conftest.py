"""Fixtures for the privacy operations: a small project, a key file, quick key derivation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketqual.io import key_file, package_file
from ketqual.ops.privacy import key_ops
from tests.factories import add_coder, make_project

ROSTER = "Anna Smith | Annie\ncarer: Bob Jones\nstaff: Tom Baker\nplace: Elm Clinic\n"
NOTES = (
    "Session 1 – Group 2\nScribe: Tom Baker\n\n"
    "- Annie said the Elm Clinic rang her on 07700 900123 about bladder pain.\n"
    "- Carer (Bob Jones) worried about driving home after a dose.\n"
    "- Dr Singh told P3 to keep a mood diary.\n"
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    """The smallest scrypt cost the readers accept, so tests run quickly."""
    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)


@pytest.fixture
def project(tmp_path: Path):
    project = make_project(tmp_path)
    add_coder(project, "Supervisor", "supervisor")
    add_coder(project, "Coder A")
    yield project
    project.close()


@pytest.fixture
def key(project, tmp_path: Path) -> key_ops.KeySession:
    return key_ops.create_key(
        project, tmp_path / "keys" / "study.kqkey", "pass phrase", roster_text=ROSTER
    )


@pytest.fixture(autouse=True)
def key_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir()
    return folder
