"""CLI verbs for exchanging projects with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA):
``export-qdpx``, ``export-qdc``, ``import-qdpx`` and ``import-qdc``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.cli import output, privacy_commands
from ketqual.cli.lazy import lazy_module
from ketqual.core import positions
from ketqual.ops.errors import OperationError

# The operations load when a verb runs, not when the command line is built.
if TYPE_CHECKING:  # the real modules for the type checker; loaded on first use
    from ketqual.ops import project_ops
    from ketqual.ops.exchange import qdc_import, qdpx_export, qdpx_import
else:
    project_ops = lazy_module("ketqual.ops.project_ops")
    qdc_import = lazy_module("ketqual.ops.exchange.qdc_import")
    qdpx_export = lazy_module("ketqual.ops.exchange.qdpx_export")
    qdpx_import = lazy_module("ketqual.ops.exchange.qdpx_import")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the exchange verbs."""
    p = sub.add_parser(
        "export-qdpx", help="write the project as a REFI-QDA project (.qdpx) for other tools"
    )
    p.add_argument("project")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.qdpx")
    p.add_argument(
        "--layers",
        metavar="A,B,consensus",
        help="coders whose codings go out (and 'consensus'); default: all you may see",
    )
    p.add_argument(
        "--coder",
        metavar="NAME",
        help="who is exporting: while the project is blinded, only this coder's own "
        "codings and memos go out (default: the --as name)",
    )
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_export_qdpx)

    p = sub.add_parser("export-qdc", help="write the codebook as a REFI-QDA codebook (.qdc)")
    p.add_argument("project")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.qdc")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_export_qdc)

    p = sub.add_parser(
        "import-qdpx", help="make a new project from a REFI-QDA project (.qdpx or .qde)"
    )
    p.add_argument("file", type=Path, metavar="FILE.qdpx")
    p.add_argument("-o", "--output", required=True, metavar="NEW.ketqual", help="the new project")
    p.add_argument(
        "--positions",
        choices=(positions.AUTO, positions.CODEPOINTS, positions.UTF16),
        default="auto",
        help="how the other tool counted positions: auto (detect; default), codepoints "
        "(the standard), utf16 (NVivo)",
    )
    p.add_argument(
        "--yes",
        action="store_true",
        help="import even though the file holds things KetQual cannot bring in",
    )
    p.set_defaults(handler=cmd_import_qdpx)

    p = sub.add_parser(
        "import-qdc", help="merge a REFI-QDA codebook (.qdc, or a .qdpx's) into a project"
    )
    p.add_argument("project")
    p.add_argument("file", type=Path, metavar="FILE.qdc")
    p.set_defaults(handler=cmd_import_qdc)


def cmd_export_qdpx(args: argparse.Namespace) -> int:
    layers = (
        [name.strip() for name in args.layers.split(",") if name.strip()] if args.layers else None
    )
    with project_ops.open_project(args.project, backup=False) as project:
        report = qdpx_export.export_qdpx(
            project,
            args.output,
            layers=layers,
            viewer=args.coder or args.actor,
            actor=args.actor or args.coder,
            progress=output.progress_printer(),
            check=privacy_commands.check_options(project, args),
        )
    print(report.summary())
    if "Consensus" in report.layers:
        print("  the consensus layer goes out as the user 'Consensus'")
    return 0


def cmd_export_qdc(args: argparse.Namespace) -> int:
    with project_ops.open_project(args.project, backup=False) as project:
        path = qdpx_export.export_qdc(
            project,
            args.output,
            actor=args.actor,
            check=privacy_commands.check_options(project, args),
        )
    print(f"codebook written to {path}")
    return 0


def _confirm(summary) -> bool:
    """Ask on a terminal; elsewhere refuse (``--yes`` says go ahead)."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise OperationError(
            "the file holds things KetQual cannot bring in (listed above); "
            "add --yes to import the rest"
        )
    answer = input("Import the rest without them? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def cmd_import_qdpx(args: argparse.Namespace) -> int:
    plan = qdpx_import.read_qdpx(
        args.file, positions_unit=args.positions, progress=output.progress_printer()
    )
    for line in plan.summary.lines():
        print(line)
    if plan.summary.loses_data and not args.yes and not _confirm(plan.summary):
        print("nothing imported")
        return 2
    result = qdpx_import.store_plan(plan, args.output, actor=args.actor)
    print(result.line())
    return 0


def cmd_import_qdc(args: argparse.Namespace) -> int:
    with project_ops.open_project(args.project) as project:
        change = qdc_import.import_qdc(project, args.file, actor=args.actor)
    print(change.summary)
    for line in change.details.get("notes", []):
        print(f"  {line}")
    for line in change.details.get("lost", []):
        print(f"  not imported: {line}")
    return 0
