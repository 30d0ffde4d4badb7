"""Content fingerprints used to recognise a source file or a document text seen before."""

from __future__ import annotations

import hashlib


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 digest of raw bytes.

    Args:
        data: The bytes to hash, e.g. a source file's content.

    Returns:
        64 lowercase hexadecimal characters.
    """
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 digest of a text's UTF-8 encoding.

    UTF-8 is fixed (rather than the platform encoding) so the same text hashes the same on
    every machine of a team. ``surrogatepass`` keeps lone surrogates, which can survive
    from broken sources, hashable instead of raising.

    Args:
        text: The text to hash.

    Returns:
        64 lowercase hexadecimal characters.
    """
    return sha256_bytes(text.encode("utf-8", "surrogatepass"))
