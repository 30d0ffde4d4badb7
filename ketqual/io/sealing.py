"""Passphrase sealing shared by the files KetQual encrypts: coder packages and key files.

A sealed file is ``MAGIC`` + a 4-byte big-endian header length + a UTF-8 JSON header +
the AES-256-GCM ciphertext (with its tag). The key comes from the passphrase through scrypt
with a random salt; the magic, length and header are GCM's associated data, so a change
to any byte is detected. A short key check in the header (from the same scrypt output,
never from the passphrase directly) tells a wrong passphrase from a damaged body.

:func:`derive_key` and :func:`read_kdf` serve :mod:`ketqual.io.package_file`, which
streams large bodies; :func:`seal` and :func:`unseal` do the whole job for small ones
(:mod:`ketqual.io.key_file`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

SCRYPT_N = 2**17  # about 0.3 s and 128 MB on a laptop: guessing passphrases is slow
SCRYPT_R = 8
SCRYPT_P = 1
# A hostile header could otherwise ask for gigabytes of memory or hours of work before
# the passphrase is even checked.
N_RANGE = (2**14, 2**20)
MAX_HEADER = 64 * 1024


class SealError(Exception):
    """A sealed file cannot be opened or made; ``reason`` says why in a few words.

    ``reason`` is one of ``empty`` (no passphrase), ``foreign`` (not this kind of file),
    ``newer``, ``damaged``, ``short`` (cut short), ``passphrase`` (wrong passphrase) and
    ``tampered`` (fails its integrity check).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def b64(data: bytes) -> str:
    """Base64 text for a header."""
    return base64.b64encode(data).decode("ascii")


def derive_key(
    passphrase: str, salt: bytes, n: int, r: int, p: int, label: bytes
) -> tuple[bytes, str]:
    """The AES key and the key check (hex) for a passphrase.

    Raises:
        SealError: ``empty`` for an empty passphrase.
    """
    if not passphrase:
        raise SealError("empty")
    # imported when needed: opening an ordinary project never pays for the cipher library
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    material = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    check = hmac.new(material[32:], label, hashlib.sha256).hexdigest()[:32]
    return material[:32], check


def new_kdf(n: int = SCRYPT_N) -> dict:
    """A fresh ``kdf`` header entry (new random salt)."""
    return {"name": "scrypt", "n": n, "r": SCRYPT_R, "p": SCRYPT_P, "salt": b64(os.urandom(16))}


def read_kdf(header: dict) -> tuple[bytes, int, int, int]:
    """Salt and scrypt costs from a header, refusing values no KetQual writes.

    Raises:
        SealError: ``damaged``.
    """
    try:
        kdf = header["kdf"]
        if kdf["name"] != "scrypt":
            raise ValueError("unknown key derivation")
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        salt = base64.b64decode(kdf["salt"], validate=True)
    except (ValueError, KeyError, TypeError):
        raise SealError("damaged") from None
    sane = N_RANGE[0] <= n <= N_RANGE[1] and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4
    if not sane or len(salt) < 16:
        raise SealError("damaged")
    return salt, n, r, p


def seal(
    magic: bytes,
    body: bytes,
    passphrase: str,
    label: bytes,
    *,
    fields: dict | None = None,
    n: int = SCRYPT_N,
) -> bytes:
    """The sealed file's bytes for ``body`` (small enough to hold in memory).

    Args:
        magic: The file kind's first bytes.
        body: What to encrypt.
        passphrase: The passphrase.
        label: Domain separation for the key check (differs per file kind).
        fields: Extra header fields (authenticated, not secret).
        n: The scrypt cost.
    """
    kdf = new_kdf(n)
    salt, n, r, p = read_kdf({"kdf": kdf})
    nonce = os.urandom(12)
    key, check = derive_key(passphrase, salt, n, r, p, label)
    header = {
        **(fields or {}),
        "kdf": kdf,
        "cipher": {"name": "aes-256-gcm", "nonce": b64(nonce)},
        "stored": len(body) + 16,
        "check": check,
    }
    head = json.dumps(header, sort_keys=True).encode("utf-8")
    prefix = magic + len(head).to_bytes(4, "big") + head
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return prefix + AESGCM(key).encrypt(nonce, body, prefix)


def split(data: bytes, magic: bytes) -> tuple[dict, bytes, bytes]:
    """The header, the authenticated prefix and the sealed body of a sealed file's bytes.

    Raises:
        SealError: ``foreign``, ``damaged`` or ``short``.
    """
    if not data.startswith(magic):
        raise SealError("foreign")
    start = len(magic)
    raw = data[start : start + 4]
    length = int.from_bytes(raw, "big") if len(raw) == 4 else -1
    if not 0 < length <= MAX_HEADER:
        raise SealError("damaged" if len(raw) == 4 else "short")
    head = data[start + 4 : start + 4 + length]
    if len(head) != length:
        raise SealError("short")
    try:
        header = json.loads(head.decode("utf-8"))
        if not isinstance(header, dict):
            raise ValueError("not an object")
    except ValueError:
        raise SealError("damaged") from None
    return header, data[: start + 4 + length], data[start + 4 + length :]


def unseal(data: bytes, magic: bytes, passphrase: str, label: bytes) -> tuple[dict, bytes]:
    """The header and the body of a sealed file's bytes.

    Raises:
        SealError: ``foreign``, ``damaged``, ``short``, ``empty``, ``passphrase`` or
            ``tampered``.
    """
    header, prefix, sealed = split(data, magic)
    salt, n, r, p = read_kdf(header)
    try:
        cipher = header["cipher"]
        if cipher["name"] != "aes-256-gcm":
            raise ValueError("unknown cipher")
        nonce = base64.b64decode(cipher["nonce"], validate=True)
        stored, check = int(header["stored"]), str(header["check"])
    except (ValueError, KeyError, TypeError):
        raise SealError("damaged") from None
    if len(nonce) != 12:
        raise SealError("damaged")
    if len(sealed) < stored:
        raise SealError("short")
    if len(sealed) > stored:
        raise SealError("damaged")
    key, expected = derive_key(passphrase, salt, n, r, p, label)
    if not hmac.compare_digest(check, expected):
        raise SealError("passphrase")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return header, AESGCM(key).decrypt(nonce, sealed, prefix)
    except InvalidTag:
        raise SealError("tampered") from None
