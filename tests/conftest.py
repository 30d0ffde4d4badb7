"""Test-wide settings and fixtures.

Qt runs offscreen and its settings go to a throw-away folder, so tests need no display and
never touch the user's real configuration.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ketqual-test-config-")

import pytest  # noqa: E402

from tests.pg_server import PgServer, find_pg_bin  # noqa: E402

_db_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for the whole run; skipped when PostgreSQL is not installed,
    unless KETQUAL_REQUIRE_PG=1 (CI sets it) turns that into a failure."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if os.environ.get("KETQUAL_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL is required (KETQUAL_REQUIRE_PG=1) but initdb was not found")
        pytest.skip("PostgreSQL is not installed")
    server = PgServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """URL of a fresh, empty database, dropped after the test."""
    name = f"ketqual_test_{next(_db_numbers)}"
    pg_server.admin(f"CREATE DATABASE {name}")
    yield pg_server.url(name)
    pg_server.admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def project_target(request, tmp_path: Path) -> str:
    """Where to create a project: a .ketqual file, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "study.ketqual")
    return request.getfixturevalue("pg_url")


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_main_thread():
    """Once a GUI test has turned automatic collection off (ketqual.gui.collector, as the
    app does), collect after each test too: tests without an event loop never run its timer."""
    yield
    import sys

    if "ketqual.gui.collector" in sys.modules:
        from ketqual.gui import collector

        found = collector.installed()
        if found is not None:
            found.check()
