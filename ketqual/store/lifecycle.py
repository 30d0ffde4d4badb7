"""Creating, opening, backing up and upgrading project files (SQLite) and databases (PostgreSQL).

A new project is built in a temporary file next to its destination and renamed into place
only when complete, so a crash never leaves a half-made project. Opening checks that the
file really is a KetQual project of a schema this version understands, backs it up, and
upgrades it if it is older.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, make_url, select
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from ketqual.store import schema
from ketqual.store.database import ProjectStore
from ketqual.store.models import APPLICATION_MARKER, ProjectRow

# PRAGMA application_id marks a SQLite file as a KetQual project ("KQal" in ASCII).
SQLITE_APPLICATION_ID = 0x4B51616C
SQLITE_HEADER = b"SQLite format 3\x00"
PROJECT_SUFFIX = ".ketqual"
DEFAULT_BACKUPS = 5


class ProjectOpenError(Exception):
    """A project cannot be created or opened; the message is meant for the user."""


def is_url(target: str | os.PathLike) -> bool:
    """True when ``target`` is a database URL rather than a file path."""
    return "://" in str(target)


CACHE_KIB = 32 * 1024


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a committed action survives a power cut, not only an application crash.
    cursor.execute("PRAGMA synchronous=FULL")
    # Deleted content is overwritten with zeros, so a name replaced by a token (or a key
    # moved out into a key file) does not linger in the file's free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    # A 32 MiB page cache (SQLite's default is 2 MiB): a project's documents and queue
    # are read again and again (document labels sit behind each text's overflow pages;
    # a long consensus queue is 5 MB), and with the default they are read from the file
    # every time. Memory is taken only as pages are read.
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def public_location(url: str) -> str:
    """A database URL without its password: what may be shown, logged or remembered."""
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def make_engine(target: str | os.PathLike) -> Engine:
    """An engine for a project file path or a database URL, with KetQual's settings."""
    if is_url(target):
        url = str(target)
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "handle_error", _failed_check_means_lost)
        return engine
    engine = create_engine(f"sqlite:///{Path(target)}", connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _failed_check_means_lost(context: ExceptionContext) -> None:
    """A pooled server connection whose check before use fails is replaced, whatever the
    driver's error.

    psycopg, checking a connection the server has just ended, can fail with "can't change
    'autocommit' now" (raised while it restores the setting after the check) rather than
    with a disconnect; SQLAlchemy then handed that error to the action instead of taking a
    new connection (seen in CI, a session ended between two actions).
    """
    if context.is_pre_ping:
        context.is_disconnect = True


def create_project(target: str | os.PathLike, name: str | None = None) -> ProjectStore:
    """Create an empty project at the newest schema and return it open.

    Raises:
        ProjectOpenError: the destination exists or cannot be written.
    """
    if is_url(target):
        return _create_on_server(str(target), name)
    path = Path(target)
    if path.exists():
        raise ProjectOpenError(f"{path} already exists; choose another name or open it instead")
    if not path.parent.is_dir():
        raise ProjectOpenError(f"the folder {path.parent} does not exist")
    project_name = name or path.stem
    temp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    temp.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(temp)
        connection.execute(f"PRAGMA application_id={SQLITE_APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.close()
        engine = make_engine(temp)
        with engine.begin() as conn:
            schema.upgrade(conn)
            with Session(bind=conn) as session:
                session.add(ProjectRow(name=project_name, settings={}))
                session.flush()
        engine.dispose()
        os.replace(temp, path)
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        remove_sqlite_files(temp)
        raise ProjectOpenError(f"could not create {path}: {error_reason(exc)}") from None
    return ProjectStore(make_engine(path), str(path))


def _create_on_server(url: str, name: str | None) -> ProjectStore:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if inspect(conn).get_table_names():
                raise ProjectOpenError(
                    "that database is not empty; create KetQual projects in an empty database"
                )
            schema.upgrade(conn)
            with Session(bind=conn) as session:
                session.add(ProjectRow(name=name or "KetQual project", settings={}))
                session.flush()
    except OperationalError as exc:
        engine.dispose()
        raise ProjectOpenError(
            f"could not connect to the database server: {error_reason(exc)}"
        ) from None
    except BaseException:
        engine.dispose()  # never leave a pooled connection behind a refusal
        raise
    return ProjectStore(engine, public_location(url))


def open_project(
    target: str | os.PathLike, *, backup: bool = True, keep_backups: int = DEFAULT_BACKUPS
) -> ProjectStore:
    """Open a project, upgrading an older schema after backing the file up.

    Args:
        target: A ``.ketqual`` path or a database URL.
        backup: Take a rotating backup first (keep the newest ``keep_backups``).
        keep_backups: How many rotating backups to keep.

    Raises:
        ProjectOpenError: missing, foreign, damaged or newer-version project.
    """
    if is_url(target):
        engine = make_engine(str(target))
        location = public_location(str(target))
    else:
        path = Path(target)
        check_sqlite_file(path)
        engine = make_engine(path)
        location = str(path)
    try:
        _check_and_upgrade(engine, None if is_url(target) else Path(target))
        if backup and not is_url(target):
            rotate_backup(Path(target), keep_backups)
    except ProjectOpenError:
        engine.dispose()
        raise
    except (OSError, SQLAlchemyError, sqlite3.Error) as exc:
        engine.dispose()
        raise ProjectOpenError(f"could not open {location}: {error_reason(exc)}") from None
    return ProjectStore(engine, location)


def check_sqlite_file(path: Path) -> None:
    """Refuse, with a plain message, a path that is missing, a folder or no SQLite file.

    Raises:
        ProjectOpenError: what is wrong with it.
    """
    if not path.exists():
        raise ProjectOpenError(f"{path} was not found")
    if path.is_dir():
        raise ProjectOpenError(f"{path} is a folder, not a project file")
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise ProjectOpenError(f"{path.name} is not a KetQual project (it is not a database file)")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != SQLITE_APPLICATION_ID:
        raise ProjectOpenError(
            f"{path.name} is a database made by another program, not a KetQual project"
        )


def _check_and_upgrade(engine: Engine, path: Path | None) -> None:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables or "project" not in tables:
            raise ProjectOpenError("this database is not a KetQual project")
        revision = schema.current_revision(conn)
        marker = conn.execute(select(ProjectRow.application)).scalar()
    if marker != APPLICATION_MARKER:
        raise ProjectOpenError("this database is not a KetQual project")
    if schema.is_current(revision):
        return  # the usual case: no migration machinery needed
    known = schema.known_revisions()
    if revision not in known:
        raise ProjectOpenError(
            f"this project was saved by a newer version of KetQual (schema {revision}); "
            "update KetQual to open it. The file has not been changed."
        )
    if revision == known[-1]:
        return
    if path is not None:
        backup_copy(
            path, path.with_name(f"{path.stem}.before-upgrade-from-{revision}{path.suffix}")
        )
    with engine.begin() as conn:
        schema.upgrade(conn)


def backup_copy(source: Path, destination: Path, *, journal_mode: str | None = None) -> Path:
    """Copy a live SQLite project consistently (SQLite's backup API, WAL included).

    Args:
        source: The project file to copy.
        destination: The copy, written under a temporary name and renamed into place.
        journal_mode: ``"delete"`` makes the copy one self-contained file (for a file that
            travels, such as a coder package); ``"wal"`` makes it a working project again.
            ``None`` keeps the source's mode.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp = destination.with_name(destination.name + ".part")
    src = _connect_for_reading(source)
    try:
        dst = sqlite3.connect(temp)
        try:
            src.backup(dst)
            if journal_mode is not None:
                dst.execute(f"PRAGMA journal_mode={_JOURNAL_MODES[journal_mode]}")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(temp, destination)
    return destination


_JOURNAL_MODES = {"delete": "DELETE", "wal": "WAL"}


def _connect_for_reading(path: Path) -> sqlite3.Connection:
    # A read-write connection, when the file allows one, because the last connection to a
    # WAL file removes its -wal and -shm files on closing only if it may write; a read-only
    # one leaves them beside the file. Read-only media still get a read-only connection.
    try:
        return sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    except sqlite3.OperationalError:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def backup_dir(path: Path) -> Path:
    """Where rotating backups of a project file live: a folder beside it."""
    return path.with_name(f"{path.name}-backups")


def rotate_backup(path: Path, keep: int = DEFAULT_BACKUPS) -> Path | None:
    """Back ``path`` up into its backup folder and delete all but the newest ``keep``."""
    if keep <= 0:
        return None
    folder = backup_dir(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    made = backup_copy(path, folder / f"{path.stem}-{stamp}{path.suffix}")
    backups = sorted(folder.glob(f"{path.stem}-*{path.suffix}"))
    for old in backups[:-keep]:
        old.unlink(missing_ok=True)
    return made


def remove_sqlite_files(path: Path) -> None:
    """Delete a SQLite file and its -wal, -shm and -journal companions (if there)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def error_reason(exc: BaseException) -> str:
    """The first line of a driver error, for a message a person reads."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
