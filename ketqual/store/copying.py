"""Copying a whole project between SQLite and PostgreSQL (either way, or alike to alike).

The destination is built at the newest schema by the same migrations as a new project,
without the seed project row, then every table is copied in foreign-key order with its
ids and uids unchanged, in chunks through SQLAlchemy Core. Before anything is committed
the copy is verified: every table must have the same number of rows and the same content
checksum as the source. Everything happens in one destination transaction; a file
destination is built under a temporary name and renamed into place only when verified,
so a failure leaves no half-made project behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ketqual.store import lifecycle, schema
from ketqual.store.models import AuditRow, Base

CHUNK = 5000
Progress = Callable[[str, int], None]


class CopyError(Exception):
    """The copy was refused or failed; nothing was left at the destination."""


@dataclass
class CopyReport:
    """What was copied: rows per table, and how long it took."""

    source: str
    destination: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        """Rows copied in all tables."""
        return sum(self.rows.values())


def tables() -> list[Table]:
    """Every project table, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def copy_project(
    source: str | os.PathLike,
    destination: str | os.PathLike,
    *,
    actor: str,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy the project at ``source`` to ``destination`` (a new file or an empty database).

    Args:
        source: A ``.ketqual`` path or a database URL; opened as ``open`` does (an older
            schema is backed up and upgraded first).
        destination: A path that does not exist yet, or the URL of an empty database.
        actor: Who copies, for the destination's audit log.
        progress: Called as ``progress(table, rows)`` after each table.

    Raises:
        CopyError: refused (destination not empty, source not a project) or failed; the
            message is for the user and holds no password.
    """
    started = time.perf_counter()
    try:
        store = lifecycle.open_project(source, backup=False)
    except lifecycle.ProjectOpenError as exc:
        raise CopyError(str(exc)) from None
    report = CopyReport(store.location, _shown(destination))
    try:
        with store.engine.connect() as src:
            if store.backend == "postgresql":
                # One snapshot of the source, even while others keep coding.
                src = src.execution_options(isolation_level="REPEATABLE READ")
            with src.begin():
                if lifecycle.is_url(destination):
                    _copy_to_server(src, str(destination), report, actor, progress)
                else:
                    _copy_to_file(src, Path(destination), report, actor, progress)
    finally:
        store.close()
    report.seconds = time.perf_counter() - started
    return report


def _shown(target: str | os.PathLike) -> str:
    return lifecycle.public_location(str(target)) if lifecycle.is_url(target) else str(target)


def _copy_to_file(
    src: Connection, path: Path, report: CopyReport, actor: str, progress: Progress | None
) -> None:
    if path.exists():
        raise CopyError(f"{path} already exists; copy to a new file name")
    if not path.parent.is_dir():
        raise CopyError(f"the folder {path.parent} does not exist")
    temp = path.with_name(f".{path.name}.copying-{os.getpid()}")
    lifecycle.remove_sqlite_files(temp)
    try:
        connection = sqlite3.connect(temp)
        connection.execute(f"PRAGMA application_id={lifecycle.SQLITE_APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.close()
        engine = lifecycle.make_engine(temp)
        try:
            with engine.begin() as dst:
                _fill(src, dst, report, actor, progress)
        finally:
            engine.dispose()
        os.replace(temp, path)
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        lifecycle.remove_sqlite_files(temp)
        raise CopyError(f"could not copy to {path}: {lifecycle.error_reason(exc)}") from None
    except BaseException:
        lifecycle.remove_sqlite_files(temp)
        raise


def _copy_to_server(
    src: Connection, url: str, report: CopyReport, actor: str, progress: Progress | None
) -> None:
    engine = lifecycle.make_engine(url)
    try:
        with engine.begin() as dst:  # one transaction: any failure rolls everything back
            if inspect(dst).get_table_names():
                raise CopyError(
                    "the destination database is not empty; copy into a new, empty database"
                )
            _fill(src, dst, report, actor, progress)
    except SQLAlchemyError as exc:
        raise CopyError(
            f"could not copy to {report.destination}: {lifecycle.error_reason(exc)}"
        ) from None
    finally:
        engine.dispose()


def _fill(
    src: Connection, dst: Connection, report: CopyReport, actor: str, progress: Progress | None
) -> None:
    schema.upgrade(dst)  # creates every table and stamps the newest revision; no rows yet
    for table in tables():
        rows, source_sum = _copy_table(src, dst, table)
        copied, copied_sum = _checksum(dst, table)
        if (copied, copied_sum) != (rows, source_sum):
            raise CopyError(
                f"the copy of table '{table.name}' does not match the source "
                f"({copied} of {rows} rows, checksums {'equal' if copied_sum == source_sum else 'differ'}); "
                "nothing was kept"
            )
        report.rows[table.name] = rows
        if progress:
            progress(table.name, rows)
    if dst.dialect.name == "postgresql":
        _reset_sequences(dst)
    with Session(bind=dst) as session:
        session.add(
            AuditRow(
                actor=actor,
                action="project.copy",
                summary=f"Copied from {report.source}",
                details={"source": report.source, "rows": dict(report.rows)},
            )
        )
        session.flush()


def _copy_table(src: Connection, dst: Connection, table: Table) -> tuple[int, str]:
    """Copy every row; returns the row count and the source's checksum (in id order)."""
    digest, count = hashlib.sha256(), 0
    result = src.execution_options(stream_results=True).execute(
        select(table).order_by(*table.primary_key.columns)
    )
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    chunks: Iterable = result.partitions(CHUNK)
    if self_refs:  # small tables (the codebook): reorder in memory
        rows = [row for chunk in chunks for row in chunk]
        for row in rows:
            _digest_row(digest, row)
        ordered = _parent_first(table, rows, self_refs)
        chunks = (ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK))
    for chunk in chunks:
        if not self_refs:
            for row in chunk:
                _digest_row(digest, row)
        dst.execute(table.insert(), [dict(row._mapping) for row in chunk])
        count += len(chunk)
    return count, digest.hexdigest()


def _parent_first(table: Table, rows: list, self_refs: list[str]) -> list:
    """Rows in an order that inserts a referenced row (say a theme) before the rows that
    refer to it in the same table (its subthemes), whatever their ids."""
    key = table.primary_key.columns.values()[0].name
    placed: set = set()
    ordered: list = []
    pending = rows
    while pending:
        ready = [r for r in pending if all(r._mapping[c] in (None, *placed) for c in self_refs)]
        if not ready:  # a cycle cannot be inserted row by row; keep the original order
            ready = pending
        placed.update(r._mapping[key] for r in ready)
        ordered += ready
        pending = [r for r in pending if r._mapping[key] not in placed]
    return ordered


def _checksum(conn: Connection, table: Table) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    result = conn.execute(select(table).order_by(*table.primary_key.columns))
    for row in result:
        _digest_row(digest, row)
        count += 1
    return count, digest.hexdigest()


def _digest_row(digest, row) -> None:
    # The same value reads back as the same Python value on both backends (SQLAlchemy's
    # types convert booleans and JSON), so one canonical text per row compares them.
    digest.update(json.dumps(list(row), sort_keys=True, default=str).encode())
    digest.update(b"\n")


def _reset_sequences(dst: Connection) -> None:
    """Point each table's id sequence past the copied ids, so new rows get fresh ids."""
    for table in tables():
        key = table.primary_key.columns.values()[0]
        quoted = dst.dialect.identifier_preparer.format_table(table)
        sequence = dst.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quoted, "column": key.name},
        ).scalar()
        if sequence is None:
            continue
        highest = dst.execute(select(func.max(key))).scalar()
        dst.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": highest or 1, "called": highest is not None},
        )
