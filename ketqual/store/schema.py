"""Schema revisions: where the migrations live, what a database is at, upgrading it.

Opening a project that is already at the newest schema is the common case, and it needs
no migration machinery: :func:`current_revision` reads the ``alembic_version`` table with
plain SQL and :func:`is_current` compares it with :data:`HEAD_REVISION`. Alembic (and the
Mako templates it loads) is imported only to create, inspect or upgrade a schema, which
saves about a tenth of a second on every start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest migration's revision id. A test checks it against the migration scripts;
# a new migration must change it (until then projects still open, through Alembic).
HEAD_REVISION = "0008"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def script() -> ScriptDirectory:
    """The migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this version of KetQual knows (from the scripts)."""
    head = script().get_current_head()
    assert head is not None
    return head


def known_revisions() -> list[str]:
    """All revisions, oldest first."""
    return [rev.revision for rev in reversed(list(script().walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    """The revision a database is stamped with, or ``None`` when it has none.

    Reads ``alembic_version`` directly (what Alembic's ``MigrationContext`` does, without
    importing Alembic). A database with several heads would have several rows; KetQual's
    migrations are one straight line, so that is treated as unknown (``None``).
    """
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return rows[0][0] if len(rows) == 1 else None


def is_current(revision: str | None) -> bool:
    """Whether a database stamped ``revision`` needs nothing from the migrations."""
    return revision is not None and revision == HEAD_REVISION


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the database on ``connection`` to ``target`` within the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), target)
