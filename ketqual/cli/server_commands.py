"""CLI verbs for server projects: ``copy`` moves a project between SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``copy`` verb."""
    p = sub.add_parser(
        "copy",
        help="copy a project between a .ketqual file and a PostgreSQL database",
        description=(
            "Copy every table of SRC to DST, keeping ids and uids, and verify the copy "
            "(row counts and a checksum per table) before keeping it. DST is a new "
            ".ketqual file or an empty PostgreSQL database "
            "(postgresql+psycopg://user@host:port/database). Passwords come from the "
            "system keyring, PGPASSWORD or ~/.pgpass; never put one on the command line "
            "of a shared machine."
        ),
    )
    p.add_argument("source", metavar="SRC", help="project file or database URL to copy")
    p.add_argument("destination", metavar="DST", help="new project file or empty database URL")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    p.set_defaults(handler=cmd_copy)


def cmd_copy(args: argparse.Namespace) -> int:
    from ketqual.ops.team import server_ops

    def progress(table: str, rows: int) -> None:
        if not args.quiet:
            print(f"  {table:<18} {rows:>9} rows", file=sys.stderr)

    report = server_ops.copy_project(
        args.source, args.destination, actor=args.actor, progress=progress
    )
    print(
        f"Copied {report.total} rows in {len(report.rows)} tables from {report.source} "
        f"to {report.destination} in {report.seconds:.1f} s (verified)"
    )
    return 0
