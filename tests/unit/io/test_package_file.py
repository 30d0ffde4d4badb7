"""The passphrase-protected package format: round trip and every way a file can be wrong."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest

from ketqual.io import package_file as pf

PLAIN = (b"SQLite format 3\x00" + os.urandom(3000)) * 20


@pytest.fixture
def fast_kdf(monkeypatch):
    """The smallest scrypt cost the reader accepts, so the many refusals test quickly."""
    monkeypatch.setattr(pf, "SCRYPT_N", 2**14)


@pytest.fixture
def package(tmp_path: Path, fast_kdf) -> Path:
    source = tmp_path / "project.ketqual"
    source.write_bytes(PLAIN)
    target = tmp_path / "coder.kqpkg"
    pf.encrypt_file(source, target, "correct horse")
    return target


def _refused(package: Path, out: Path, passphrase: str = "correct horse") -> str:
    with pytest.raises(pf.PackageFileError) as caught:
        pf.decrypt_file(package, out, passphrase)
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]
    return str(caught.value)


def test_round_trip_with_the_real_kdf_cost(tmp_path: Path):
    source = tmp_path / "p.ketqual"
    source.write_bytes(PLAIN)
    size = pf.encrypt_file(source, tmp_path / "p.kqpkg", "pässphrase ✓")
    assert size == (tmp_path / "p.kqpkg").stat().st_size
    header, _prefix, _offset = pf.read_header(tmp_path / "p.kqpkg")
    assert header["kdf"]["n"] == 2**17 and header["cipher"]["name"] == "aes-256-gcm"
    assert pf.is_encrypted_package(tmp_path / "p.kqpkg")
    assert not pf.is_encrypted_package(source)
    pf.decrypt_file(tmp_path / "p.kqpkg", tmp_path / "back.ketqual", "pässphrase ✓")
    assert (tmp_path / "back.ketqual").read_bytes() == PLAIN
    # the plain bytes appear nowhere in the package
    assert PLAIN[16:80] not in (tmp_path / "p.kqpkg").read_bytes()


def test_wrong_passphrase(package: Path, tmp_path: Path):
    message = _refused(package, tmp_path / "out.ketqual", "Correct horse")
    assert "wrong passphrase" in message


def test_empty_passphrase_refused(package: Path, tmp_path: Path):
    assert "empty" in _refused(package, tmp_path / "out.ketqual", "")


@pytest.mark.parametrize("where", ["header", "body", "tag"])
def test_a_flipped_byte_is_refused(package: Path, tmp_path: Path, where: str):
    data = bytearray(package.read_bytes())
    _header, _prefix, offset = pf.read_header(package)
    position = {"header": offset - 20, "body": offset + 100, "tag": len(data) - 3}[where]
    data[position] ^= 0x01
    package.write_bytes(bytes(data))
    message = _refused(package, tmp_path / "out.ketqual")
    if where == "header":
        assert "damaged" in message or "wrong passphrase" in message
    else:
        assert "tampered" in message


def test_a_changed_header_value_fails_authentication(package: Path, tmp_path: Path):
    """An attacker who rewrites the header consistently (still valid JSON, same length)
    is caught because the header is associated data of the cipher."""
    header, _prefix, offset = pf.read_header(package)
    body = package.read_bytes()[offset:]
    header["compression"] = "zlib"  # unchanged, but re-serialised with another key order
    head = json.dumps(header, sort_keys=False, indent=1).encode()
    package.write_bytes(pf.MAGIC + len(head).to_bytes(4, "big") + head + body)
    assert "tampered" in _refused(package, tmp_path / "out.ketqual")


@pytest.mark.parametrize("keep", [5, 14, 40, -1])
def test_truncated(package: Path, tmp_path: Path, keep: int):
    data = package.read_bytes()
    package.write_bytes(data[:keep])
    message = _refused(package, tmp_path / "out.ketqual")
    assert "incomplete" in message or "damaged" in message or "not a" in message


def test_extra_bytes_refused(package: Path, tmp_path: Path):
    package.write_bytes(package.read_bytes() + b"x")
    assert "extra bytes" in _refused(package, tmp_path / "out.ketqual")


def test_not_a_package(tmp_path: Path):
    other = tmp_path / "notes.kqpkg"
    other.write_bytes(b"just some text that is long enough")
    assert "not a passphrase-protected" in _refused(other, tmp_path / "out.ketqual")
    sqlite = tmp_path / "project.ketqual"
    sqlite.write_bytes(PLAIN)
    assert "not a passphrase-protected" in _refused(sqlite, tmp_path / "o")
    assert "cannot read" in _refused(tmp_path / "missing.kqpkg", tmp_path / "o")


def test_newer_format_refused(package: Path, tmp_path: Path):
    header, _prefix, offset = pf.read_header(package)
    body = package.read_bytes()[offset:]
    header["format"] = pf.FORMAT + 1
    head = json.dumps(header).encode()
    package.write_bytes(pf.MAGIC + len(head).to_bytes(4, "big") + head + body)
    assert "newer version" in _refused(package, tmp_path / "out.ketqual")
    newer_magic = package.read_bytes().replace(b"KETQUALPKG1", b"KETQUALPKG2", 1)
    package.write_bytes(newer_magic)
    assert "newer version" in _refused(package, tmp_path / "out.ketqual")


def test_hostile_kdf_cost_refused_before_any_work(package: Path, tmp_path: Path):
    header, _prefix, offset = pf.read_header(package)
    header["kdf"]["n"] = 2**30
    head = json.dumps(header).encode()
    package.write_bytes(pf.MAGIC + len(head).to_bytes(4, "big") + head + b"x" * 100)
    assert "damaged" in _refused(package, tmp_path / "out.ketqual")


def test_inflation_beyond_the_announced_size_refused(tmp_path: Path, fast_kdf, monkeypatch):
    """A sealed body that inflates past its header's size (a zip bomb made by someone who
    knows the passphrase) stops after at most one chunk beyond the size."""
    source = tmp_path / "p.ketqual"
    source.write_bytes(b"\0" * (8 * 1024 * 1024))
    real_dumps = json.dumps

    def lying_dumps(obj, **kwargs):
        if isinstance(obj, dict) and "size" in obj:
            obj = {**obj, "size": 1000}
        return real_dumps(obj, **kwargs)

    monkeypatch.setattr(pf.json, "dumps", lying_dumps)
    pf.encrypt_file(source, tmp_path / "bomb.kqpkg", "pw")
    monkeypatch.undo()
    message = _refused(tmp_path / "bomb.kqpkg", tmp_path / "out.ketqual", "pw")
    assert "inflates beyond" in message
    assert len(zlib.compress(b"\0" * (8 * 1024 * 1024))) < 20_000  # it really is a bomb


def test_existing_destination_kept_when_refused(package: Path, tmp_path: Path):
    out = tmp_path / "out.ketqual"
    out.write_bytes(b"keep me")
    with pytest.raises(pf.PackageFileError):
        pf.decrypt_file(package, out, "wrong")
    assert out.read_bytes() == b"keep me"
