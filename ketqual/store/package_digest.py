"""A checksum of a coder package's contents, so a damaged package is refused whole.

A plain package is a SQLite file and carries no seal of its own: a flipped bit can leave
it readable with one coding's boundary moved. So every package (plain or encrypted)
carries the SHA-256 of its contents (every row of every table, in a fixed order, with
the value types) in ``project.settings["package"]["content_sha256"]``; the digest leaves
that one field out. Reading a package checks SQLite's own structure first
(``PRAGMA quick_check``), then the digest.

The checksum detects damage, not forgery: someone who edits a plain package on purpose
can recompute it. An encrypted package is authenticated as well (AES-GCM).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import cast

SETTING = "package"
FIELD = "content_sha256"


class PackageDamaged(Exception):
    """A package's contents are not what was packed; the message is one sentence."""


def _connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    mode = "rw" if write else "ro"
    connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
    connection.text_factory = lambda b: b.decode("utf-8", "surrogatepass")
    return connection


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [r[0] for r in rows]


def _feed(digest, value: object) -> None:
    if value is None:
        digest.update(b"N")
    elif isinstance(value, int):
        digest.update(b"I" + str(value).encode())
    elif isinstance(value, float):
        digest.update(b"F" + struct.pack(">d", value))
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        digest.update(b"S" + str(len(data)).encode() + b":" + data)
    else:
        data = bytes(cast("bytes | memoryview", value))  # a BLOB
        digest.update(b"B" + str(len(data)).encode() + b":" + data)


def _settings_without_digest(text: str | None) -> str | None:
    if text is None:
        return None
    settings = json.loads(text)
    package = settings.get(SETTING)
    if isinstance(package, dict):
        package = {k: v for k, v in package.items() if k != FIELD}
        settings[SETTING] = package
    return json.dumps(settings, sort_keys=True)


def _digest(connection: sqlite3.Connection) -> str:
    digest = hashlib.sha256()
    for table in _tables(connection):
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
        digest.update(b"T" + table.encode() + b"(" + ",".join(columns).encode() + b")")
        cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        for row in cursor:
            digest.update(b"R")
            for column, value in zip(columns, row, strict=True):
                if table == "project" and column == "settings":
                    value = _settings_without_digest(value)
                _feed(digest, value)
    return digest.hexdigest()


def content_digest(path: str | Path) -> str:
    """The checksum of a package file's contents (without the stored checksum itself)."""
    connection = _connect(Path(path))
    try:
        return _digest(connection)
    finally:
        connection.close()


def stamp(path: str | Path) -> str:
    """Compute the checksum of a package file and store it in the file; returns it."""
    connection = _connect(Path(path), write=True)
    try:
        digest = _digest(connection)
        (text,) = connection.execute("SELECT settings FROM project").fetchone()
        settings = json.loads(text)
        settings.setdefault(SETTING, {})[FIELD] = digest
        connection.execute("UPDATE project SET settings = ?", (json.dumps(settings),))
        connection.commit()
    finally:
        connection.close()
    return digest


def verify(path: str | Path, name: str) -> None:
    """Check a package file's structure and checksum.

    Args:
        path: The (decrypted) package file.
        name: The package's name for messages.

    Raises:
        PackageDamaged: the file is not a readable database, fails SQLite's check, has no
            checksum, or its contents differ from what was packed.
    """
    damaged = f"{name} is damaged (its contents fail their checksum); ask for it to be sent again"
    try:
        connection = _connect(Path(path))
    except sqlite3.Error:
        raise PackageDamaged(f"{name} is damaged (it is not a readable database)") from None
    try:
        try:
            checked = [r[0] for r in connection.execute("PRAGMA quick_check")]
            if checked != ["ok"]:
                raise PackageDamaged(damaged)
            rows = connection.execute("SELECT settings FROM project").fetchall()
            settings = json.loads(rows[0][0]) if len(rows) == 1 else None
            if not isinstance(settings, dict):
                raise PackageDamaged(damaged)
            package = settings.get(SETTING)
            if package is None:
                return  # not a package at all: the caller says so in its own words
            stored = package.get(FIELD) if isinstance(package, dict) else None
            if not isinstance(stored, str):
                raise PackageDamaged(
                    f"{name} has no checksum (made by an older KetQual, or damaged); "
                    "ask for it to be packed again"
                )
            if _digest(connection) != stored:
                raise PackageDamaged(damaged)
        except (sqlite3.Error, ValueError, TypeError, AttributeError, UnicodeError):
            raise PackageDamaged(damaged) from None
    finally:
        connection.close()


def copy_verified(source: str | Path, destination: str | Path, name: str) -> None:
    """Copy a plain package to ``destination`` as a working project file and check it.

    Raises:
        PackageDamaged: the source is not readable or fails its checks (nothing is left
            at ``destination``).
    """
    from ketqual.store import lifecycle

    destination = Path(destination)
    try:
        lifecycle.backup_copy(Path(source), destination, journal_mode="wal")
    except sqlite3.Error:
        for suffix in ("", "-wal", "-shm", ".part"):
            Path(f"{destination}{suffix}").unlink(missing_ok=True)
        raise PackageDamaged(f"{name} is damaged (it is not a readable database)") from None
    try:
        verify(destination, name)
    except PackageDamaged:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{destination}{suffix}").unlink()
        raise


# Columns that hold ids, hashes, colours, times and fixed vocabularies, never people's words.
_TECHNICAL = {"uid", "colour", "kind", "status", "role", "source_format", "encoding", "unit",
              "origin", "measure", "state", "field", "source", "action", "resolution",
              "target_type", "version_num", "application"}  # fmt: skip


def _technical(column: str) -> bool:
    return column in _TECHNICAL or column.endswith(("_uid", "_sha256", "_at", "fingerprint"))


def text_values(path: str | Path) -> Iterator[tuple[str, str]]:
    """Every text value in a package file that people wrote or imported, with where it is
    (``table.column #rowid``); ids, hashes, colours and times are left out."""
    connection = _connect(Path(path))
    try:
        for table in _tables(connection):
            columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
            columns = [c for c in columns if not _technical(c)]
            if not columns:
                continue
            names = ", ".join(f'"{c}"' for c in columns)
            for row in connection.execute(f'SELECT rowid, {names} FROM "{table}"'):
                for column, value in zip(columns, row[1:], strict=True):
                    if isinstance(value, str) and value:
                        yield f"{table}.{column} #{row[0]}", value
    finally:
        connection.close()
