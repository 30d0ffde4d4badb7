"""Schema revisions: where the migrations live, what a database is at, upgrading it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def script() -> ScriptDirectory:
    """The migration scripts."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this version of KetQual knows."""
    head = script().get_current_head()
    assert head is not None
    return head


def known_revisions() -> list[str]:
    """All revisions, oldest first."""
    return [rev.revision for rev in reversed(list(script().walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    """The revision a database is stamped with, or ``None`` when it has none."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the database on ``connection`` to ``target`` within the caller's transaction."""
    command.upgrade(alembic_config(connection), target)
