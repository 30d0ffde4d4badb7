"""CLI verbs for people and their codings: coders, blinding, codings CSV in and out."""

from __future__ import annotations

import argparse
from pathlib import Path

from ketqual.cli import privacy_commands
from ketqual.core.records import CODER_ROLES
from ketqual.ops.errors import OperationError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``coder``, ``codings``, ``unblind`` and ``blind`` verbs."""
    p = sub.add_parser("coder", help="list coders or add a coder / supervisor")
    p.add_argument("action", choices=("list", "add"))
    p.add_argument("project")
    p.add_argument("name", nargs="?", help="name of the coder to add")
    p.add_argument("--role", choices=CODER_ROLES, default="coder")
    p.set_defaults(handler=cmd_coder)

    p = sub.add_parser("codings", help="export or import one coder's codings as CSV")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("export", help="write a coder's codings to CSV")
    q.add_argument("project")
    q.add_argument("--coder", required=True, help="whose codings")
    q.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")
    privacy_commands.add_check_options(q)
    q.set_defaults(handler=cmd_codings)
    q = actions.add_parser("import", help="add codings from CSV to a coder's layer")
    q.add_argument("project")
    q.add_argument("file", type=Path, help="CSV file (columns as written by export)")
    q.add_argument("--coder", required=True, help="whose layer to add them to")
    q.set_defaults(handler=cmd_codings)

    for verb, unblinded in (("unblind", True), ("blind", False)):
        p = sub.add_parser(
            verb,
            help="let everyone see every coder's codings"
            if unblinded
            else "hide coders' codings from each other again",
        )
        p.add_argument("project")
        p.add_argument("--supervisor", required=True, help="the supervisor doing it")
        p.add_argument("--reason", required=True, help="kept in the audit log")
        p.set_defaults(handler=cmd_blinding, unblinded=unblinded)


def cmd_coder(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.team import coder_ops

    project = project_ops.open_project(args.project)
    try:
        if args.action == "add":
            if not args.name:
                raise OperationError("give the new coder's name")
            print(coder_ops.add_coder(project, args.name, role=args.role, actor=args.actor).summary)
            return 0
        state = coder_ops.blinding(project)
        for coder in coder_ops.list_coders(project):
            print(f"{coder.id:>4}  {coder.name}  ({coder.role})")
        if state.unblinded:
            print(f"unblinded by {state.by} at {state.at}: {state.reason}")
        else:
            print("blinded: each coder sees only their own codings")
        return 0
    finally:
        project.close()


def cmd_codings(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.coding import codings_io

    project = project_ops.open_project(args.project)
    try:
        if args.action == "export":
            change = codings_io.export_codings(
                project,
                args.coder,
                args.output,
                viewer=args.actor or args.coder,
                check=privacy_commands.check_options(project, args),
            )
        else:
            change = codings_io.import_codings(project, args.coder, args.file, actor=args.actor)
        print(change.summary)
        return 0
    finally:
        project.close()


def cmd_blinding(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.team import coder_ops

    project = project_ops.open_project(args.project)
    try:
        supervisor = coder_ops.find_coder(project, args.supervisor)
        change = coder_ops.set_unblinded(
            project,
            by_coder_id=supervisor.id,
            unblinded=args.unblinded,
            reason=args.reason,
            actor=args.actor,
        )
        print(change.summary)
        return 0
    finally:
        project.close()
