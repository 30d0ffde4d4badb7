"""Key files: the pseudonymisation key, encrypted with a passphrase, kept apart from the project.

A key file (``.kqkey``) holds the roster (real names and the tokens that replace them) for
one project. It is sealed like an encrypted coder package (:mod:`ketqual.io.sealing`:
scrypt and AES-256-GCM, every byte authenticated) with its own magic bytes and key-check
label. The header, readable without the passphrase, names only the project's uid, so the
app can tell which project a key belongs to; everything else is inside the ciphertext.

The supervisor keeps the file on other media (a USB stick in a locked drawer, a
university share); the project file never holds the key.
"""

from __future__ import annotations

import os
from pathlib import Path

from ketqual.core.privacy.keydata import KeyData, KeyDataError
from ketqual.io import sealing
from ketqual.io.atomic import replacing

MAGIC = b"KETQUALKEY1\n"
SUFFIX = ".kqkey"
SCRYPT_N = sealing.SCRYPT_N
MAX_SIZE = 64 * 1024 * 1024
_LABEL = b"ketqual-key-file-check"


class KeyFileError(Exception):
    """A key file cannot be read or written; the message is one sentence for the user."""


_MESSAGES = {
    "empty": "the passphrase is empty",
    "foreign": "{name} is not a KetQual key file",
    "newer": "{name} was written by a newer KetQual; update KetQual to open it",
    "damaged": "{name} is damaged; use another copy of the key file",
    "short": "{name} is incomplete (cut short); use another copy of the key file",
    "passphrase": "wrong passphrase for {name}; nothing was opened",
    "tampered": "{name} is damaged or has been tampered with (it fails its integrity check)",
}


def _error(reason: str, path: Path) -> KeyFileError:
    return KeyFileError(_MESSAGES.get(reason, "{name} cannot be read").format(name=path.name))


def is_key_file(path: str | os.PathLike) -> bool:
    """True when ``path`` is a file that starts like a key file."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def project_of(path: str | os.PathLike) -> str | None:
    """The uid of the project a key file belongs to (read without the passphrase)."""
    path = Path(path)
    try:
        header, _prefix, _body = sealing.split(_read(path), MAGIC)
    except (sealing.SealError, KeyFileError):
        return None
    value = header.get("project_uid")
    return value if isinstance(value, str) else None


def _read(path: Path) -> bytes:
    try:
        if path.is_symlink():
            raise KeyFileError(f"{path.name} is a symbolic link; give the key file itself")
        if path.stat().st_size > MAX_SIZE:
            raise KeyFileError(f"{path.name} is far too large to be a KetQual key file")
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"the key file {path} was not found") from None
    except IsADirectoryError:
        raise KeyFileError(f"{path} is a folder, not a key file") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def read_key(path: str | os.PathLike, passphrase: str) -> KeyData:
    """Open a key file.

    Raises:
        KeyFileError: missing, foreign, damaged, tampered or newer file, or a wrong or
            empty passphrase.
    """
    path = Path(path)
    data = _read(path)
    try:
        header, body = sealing.unseal(data, MAGIC, passphrase, _LABEL)
    except sealing.SealError as exc:
        raise _error(exc.reason, path) from None
    if int(header.get("format", 0)) > 1:
        raise _error("newer", path)
    try:
        key = KeyData.from_json(body)
    except KeyDataError as exc:
        raise KeyFileError(f"{path.name}: {exc}") from None
    if key.project_uid != header.get("project_uid"):
        raise _error("tampered", path)
    return key


def write_key(path: str | os.PathLike, key: KeyData, passphrase: str) -> Path:
    """Write (or replace) a key file in one step, readable by its owner only.

    Raises:
        KeyFileError: an empty passphrase, or the file cannot be written.
    """
    path = Path(path)
    if path.is_symlink():
        raise KeyFileError(f"{path.name} is a symbolic link; choose the key file itself")
    fields = {"format": 1, "kind": "ketqual-key", "project_uid": key.project_uid}
    try:
        data = sealing.seal(MAGIC, key.to_json(), passphrase, _LABEL, fields=fields, n=SCRYPT_N)
    except sealing.SealError as exc:
        raise _error(exc.reason, path) from None
    try:
        with replacing(path) as temporary:
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o600)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise KeyFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
