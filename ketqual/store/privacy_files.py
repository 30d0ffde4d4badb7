"""Making sure what was removed from a project file is gone from the disk too.

SQLite keeps old page images in the write-ahead log until it is checkpointed, and a
project's rotating backups are whole copies; after a key is moved out or names replaced,
these still hold the old words. ``secure_delete`` (set on every connection) zeroes freed
pages; the helpers here truncate the log and clear the key from KetQual's own backups.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from ketqual.store import lifecycle
from ketqual.store.database import ProjectStore


def checkpoint(project: ProjectStore) -> None:
    """Copy the write-ahead log into the file and truncate it (SQLite only)."""
    if project.backend != "sqlite":
        return
    with project.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def backup_files(location: str) -> list[Path]:
    """KetQual's own copies of a project file: rotating backups and pre-upgrade copies."""
    path = Path(location)
    found = sorted(lifecycle.backup_dir(path).glob(f"{path.stem}-*{path.suffix}"))
    found += sorted(path.parent.glob(f"{path.stem}.before-upgrade-from-*{path.suffix}"))
    return [p for p in found if p.is_file() and not p.is_symlink()]


def legacy_key_rows(path: Path) -> int:
    """How many names the old key table of a project file (or backup) holds; 0 if none."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return connection.execute("SELECT count(*) FROM pseudonym_key").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def clear_legacy_key(path: Path) -> bool:
    """Empty the old key table of a backup file and rewrite the file without free pages.

    Returns:
        True when the file held names and no longer does.
    """
    if not legacy_key_rows(path):
        return False
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("DELETE FROM pseudonym_key")
        connection.commit()
        connection.execute("VACUUM")
        with contextlib.suppress(sqlite3.Error):
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return legacy_key_rows(path) == 0
