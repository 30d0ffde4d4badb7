"""Key files: round trip, a wrong passphrase, and every way the file can be wrong."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ketqual.core.privacy.keydata import KeyData
from ketqual.io import key_file, sealing


@pytest.fixture
def fast_kdf(monkeypatch):
    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)


def _key() -> KeyData:
    key = KeyData("project-uid", "Study")
    key.add("participant", ["Anna Smith"], ["Annie"])
    key.add("carer", ["Bob Jones"])
    return key


def test_round_trip_with_the_real_cost_and_nothing_readable(tmp_path: Path):
    path = key_file.write_key(tmp_path / "study.kqkey", _key(), "correct horse ✓")
    raw = path.read_bytes()
    assert raw.startswith(key_file.MAGIC) and key_file.is_key_file(path)
    assert b"Anna" not in raw and b"Bob" not in raw and b"P01" not in raw
    header, _prefix, _body = sealing.split(raw, key_file.MAGIC)
    assert header["kdf"]["n"] == 2**17 and header["cipher"]["name"] == "aes-256-gcm"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    back = key_file.read_key(path, "correct horse ✓")
    assert [(e.kind, e.names, e.token) for e in back.entries] == [
        ("participant", ("Anna Smith",), "[P01]"),
        ("carer", ("Bob Jones",), "[CARER-1]"),
    ]
    assert back.find("annie").display == "Anna Smith"
    assert key_file.project_of(path) == "project-uid"


def test_a_wrong_or_empty_passphrase_is_refused(tmp_path: Path, fast_kdf):
    path = key_file.write_key(tmp_path / "k.kqkey", _key(), "right")
    with pytest.raises(key_file.KeyFileError, match="wrong passphrase for k.kqkey"):
        key_file.read_key(path, "Right")
    with pytest.raises(key_file.KeyFileError, match="passphrase is empty"):
        key_file.read_key(path, "")
    with pytest.raises(key_file.KeyFileError, match="passphrase is empty"):
        key_file.write_key(tmp_path / "other.kqkey", _key(), "")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[:-7], "cut short"),
        (lambda raw: raw + b"x", "damaged"),
        (lambda raw: raw[:-3] + bytes([raw[-3] ^ 1]) + raw[-2:], "tampered"),
        (lambda raw: b"KETQUALPKG1\n" + raw[12:], "not a KetQual key file"),
        (lambda raw: raw[:20], "damaged|cut short"),
        (lambda raw: b"", "not a KetQual key file"),
    ],
)
def test_damaged_files_are_refused_in_one_sentence(tmp_path: Path, fast_kdf, damage, message):
    path = key_file.write_key(tmp_path / "k.kqkey", _key(), "right")
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(key_file.KeyFileError, match=message) as caught:
        key_file.read_key(path, "right")
    assert "\n" not in str(caught.value)


def test_header_changes_are_detected(tmp_path: Path, fast_kdf):
    path = key_file.write_key(tmp_path / "k.kqkey", _key(), "right")
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"project-uid", b"project-uix"))
    with pytest.raises(key_file.KeyFileError, match="tampered"):
        key_file.read_key(path, "right")


def test_links_folders_and_missing_files(tmp_path: Path, fast_kdf):
    path = key_file.write_key(tmp_path / "k.kqkey", _key(), "right")
    link = tmp_path / "link.kqkey"
    link.symlink_to(path)
    with pytest.raises(key_file.KeyFileError, match="symbolic link"):
        key_file.read_key(link, "right")
    with pytest.raises(key_file.KeyFileError, match="symbolic link"):
        key_file.write_key(link, _key(), "right")
    with pytest.raises(key_file.KeyFileError, match="not found"):
        key_file.read_key(tmp_path / "none.kqkey", "right")
    with pytest.raises(key_file.KeyFileError, match="folder"):
        key_file.read_key(tmp_path, "right")
