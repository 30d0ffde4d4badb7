"""Passphrase-protected coder package files: the format, encryption and decryption.

A coder package travels by email or USB stick, so it can be locked with a passphrase.
The file is::

    b"KETQUALPKG1\\n"            magic (12 bytes)
    length                       4 bytes, big-endian: size of the JSON header
    header                       UTF-8 JSON: format, KDF and cipher parameters, salt, nonce,
                                 the compressed and uncompressed body sizes, a key check
    body                         AES-256-GCM ciphertext (with its 16-byte tag) of the
                                 zlib-compressed SQLite project file

The key comes from the passphrase through scrypt (random salt, n=2**17, r=8, p=1: about
0.3 s and 128 MB on a laptop, so guessing passphrases is slow). The magic, length and
header are authenticated as GCM's associated data, so changing any byte anywhere is
detected. A short key check in the header (derived from the same scrypt output, never
from the passphrase directly) tells a wrong passphrase apart from a damaged body. The
key derivation and its sanity limits are shared with key files (:mod:`ketqual.io.sealing`);
this module streams the large, compressed body itself.

An unencrypted package is simply a KetQual project file; this module is not involved.
Nothing here touches a database: the caller hands in and gets back a file path.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import zlib
from pathlib import Path

from ketqual.io import sealing
from ketqual.io.atomic import replacing

MAGIC = b"KETQUALPKG1\n"
FORMAT = 1
SUFFIX = ".kqpkg"
SCRYPT_N = sealing.SCRYPT_N
SCRYPT_R = sealing.SCRYPT_R
SCRYPT_P = sealing.SCRYPT_P
MAX_HEADER = sealing.MAX_HEADER
# A package is a project file; 2 GiB is far beyond any real study, and the cap stops a
# small file from inflating into a disk-filling one (a zip bomb).
MAX_BODY = 2 * 1024**3
_CHUNK = 1024 * 1024
_CHECK_LABEL = b"ketqual-package-key-check"


class PackageFileError(Exception):
    """A package file cannot be read or written; the message is meant for the user."""


def is_encrypted_package(path: str | os.PathLike) -> bool:
    """True when ``path`` is a file that starts like a passphrase-protected package."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, str]:
    """The AES key and the key check (hex) for a passphrase (see :mod:`ketqual.io.sealing`)."""
    try:
        return sealing.derive_key(passphrase, salt, n, r, p, _CHECK_LABEL)
    except sealing.SealError:
        raise PackageFileError("the passphrase is empty") from None


def encrypt_file(source: str | os.PathLike, destination: str | os.PathLike, passphrase: str) -> int:
    """Write ``source`` (a project file) as a passphrase-protected package.

    The destination is written to a temporary file beside it and renamed into place.

    Returns:
        The size of the package file in bytes.

    Raises:
        PackageFileError: the source is too large or cannot be read, or the destination
            cannot be written.
    """
    try:
        plain = Path(source).read_bytes()
    except OSError as exc:
        raise PackageFileError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(plain) > MAX_BODY:
        raise PackageFileError("the project is too large for a package (over 2 GB)")
    # level 1: a project file shrinks about as much as at 6, in a third of the time
    body = zlib.compress(plain, 1)
    salt, nonce = os.urandom(16), os.urandom(12)
    key, check = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    header = {
        "format": FORMAT,
        "kdf": {
            "name": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": sealing.b64(salt),
        },
        "cipher": {"name": "aes-256-gcm", "nonce": sealing.b64(nonce)},
        "compression": "zlib",
        "size": len(plain),
        "stored": len(body) + 16,
        "check": check,
    }
    head = json.dumps(header, sort_keys=True).encode("utf-8")
    prefix = MAGIC + len(head).to_bytes(4, "big") + head
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = AESGCM(key).encrypt(nonce, body, prefix)
    try:
        with replacing(destination) as temporary, open(temporary, "wb") as handle:
            handle.write(prefix)
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise PackageFileError(f"cannot write {destination}: {exc.strerror or exc}") from None
    return len(prefix) + len(sealed)


def read_header(path: str | os.PathLike) -> tuple[dict, bytes, int]:
    """The parsed header, the authenticated prefix bytes and where the body starts.

    Raises:
        PackageFileError: not a package, damaged header, or a newer format.
    """
    name = Path(path).name
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(MAGIC))
            if magic != MAGIC:
                if magic.startswith(MAGIC[:10]):
                    raise PackageFileError(
                        f"{name} is a coder package from a newer version of KetQual; "
                        "update KetQual to open it"
                    )
                raise PackageFileError(f"{name} is not a passphrase-protected KetQual package")
            raw_length = handle.read(4)
            length = int.from_bytes(raw_length, "big") if len(raw_length) == 4 else -1
            if not 0 < length <= MAX_HEADER:
                raise PackageFileError(f"{name} is damaged (its header is unreadable)")
            head = handle.read(length)
    except OSError as exc:
        raise PackageFileError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(head) != length:
        raise PackageFileError(f"{name} is incomplete (cut short); ask for it to be sent again")
    try:
        header = json.loads(head.decode("utf-8"))
        version = int(header["format"])
    except (ValueError, KeyError, TypeError):
        raise PackageFileError(f"{name} is damaged (its header is unreadable)") from None
    if version > FORMAT:
        raise PackageFileError(
            f"{name} was made by a newer version of KetQual (package format {version}); "
            "update KetQual to open it"
        )
    return header, MAGIC + raw_length + head, len(MAGIC) + 4 + length


def _parameters(header: dict, name: str) -> tuple[bytes, int, int, int, bytes, int, int, str]:
    try:
        salt, n, r, p = sealing.read_kdf(header)  # refuses costs no KetQual writes
        cipher = header["cipher"]
        if cipher["name"] != "aes-256-gcm":
            raise ValueError("unknown algorithm")
        if header.get("compression") != "zlib":
            raise ValueError("unknown compression")
        nonce = base64.b64decode(cipher["nonce"], validate=True)
        size, stored, check = int(header["size"]), int(header["stored"]), str(header["check"])
    except (ValueError, KeyError, TypeError, sealing.SealError):
        raise PackageFileError(f"{name} is damaged (its header is unreadable)") from None
    sane = len(nonce) == 12 and 0 <= size <= MAX_BODY and 16 <= stored <= MAX_BODY + 16
    if not sane:
        raise PackageFileError(f"{name} is damaged (its header is unreadable)")
    return salt, n, r, p, nonce, size, stored, check


def decrypt_file(
    source: str | os.PathLike, destination: str | os.PathLike, passphrase: str
) -> Path:
    """Decrypt a package into ``destination`` (a temporary file beside it, then renamed).

    Nothing is written unless the whole package decrypts, authenticates and inflates to
    the size its header states.

    Raises:
        PackageFileError: wrong passphrase, damaged, tampered, truncated or newer package,
            or a destination that cannot be written.
    """
    name = Path(source).name
    header, prefix, offset = read_header(source)
    salt, n, r, p, nonce, size, stored, check = _parameters(header, name)
    try:
        actual = os.path.getsize(source) - offset
    except OSError as exc:
        raise PackageFileError(f"cannot read {name}: {exc.strerror or exc}") from None
    if actual < stored:
        raise PackageFileError(f"{name} is incomplete (cut short); ask for it to be sent again")
    if actual > stored:
        raise PackageFileError(f"{name} is damaged (it has extra bytes at the end)")
    key, expected = _derive(passphrase, salt, n, r, p)
    if not hmac.compare_digest(check, expected):
        raise PackageFileError(
            f"wrong passphrase for {name} (or its header is damaged); nothing was opened"
        )
    try:
        with open(source, "rb") as handle:
            handle.seek(offset)
            sealed = handle.read()
    except OSError as exc:
        raise PackageFileError(f"cannot read {name}: {exc.strerror or exc}") from None
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        body = AESGCM(key).decrypt(nonce, sealed, prefix)
    except InvalidTag:
        raise PackageFileError(
            f"{name} is damaged or has been tampered with (it fails its integrity check); "
            "ask for it to be sent again"
        ) from None
    del sealed
    try:
        with replacing(destination) as temporary:
            _inflate(body, temporary, size, name)
    except OSError as exc:
        raise PackageFileError(f"cannot write {destination}: {exc.strerror or exc}") from None
    return Path(destination)


def _inflate(body: bytes, target: Path, size: int, name: str) -> None:
    """Decompress in bounded steps, refusing anything larger than the header announced."""
    inflater = zlib.decompressobj()
    written = 0
    with open(target, "wb") as handle:
        data = body
        try:
            while True:
                chunk = inflater.decompress(data, _CHUNK)
                written += len(chunk)
                if written > size:
                    raise PackageFileError(f"{name} is damaged (it inflates beyond its size)")
                handle.write(chunk)
                data = inflater.unconsumed_tail
                if not data and not chunk:
                    break
            tail = inflater.flush()
        except zlib.error:
            raise PackageFileError(f"{name} is damaged (its content cannot be unpacked)") from None
        written += len(tail)
        handle.write(tail)
        if written != size or not inflater.eof:
            raise PackageFileError(f"{name} is damaged (its content has the wrong size)")
        handle.flush()
        os.fsync(handle.fileno())
