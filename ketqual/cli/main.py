"""The ``ketqual`` command line: argparse verbs that call operations and print results."""

from __future__ import annotations

import argparse
import gc
import os
import sys

from ketqual import __version__
from ketqual.cli import (
    agreement_commands,
    coding_commands,
    commands,
    consensus_commands,
    exchange_commands,
    framework_commands,
    network_commands,
    package_commands,
    privacy_commands,
    retrieval_commands,
    server_commands,
    votes_commands,
)
from ketqual.ops.errors import OperationError

GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every verb."""
    parser = argparse.ArgumentParser(
        prog="ketqual",
        description="KetQual: team qualitative analysis. Run without arguments to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"KetQual {__version__}")
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="your name for the audit log (default: your login)",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    commands.register(sub)
    coding_commands.register(sub)
    agreement_commands.register(sub)
    consensus_commands.register(sub)
    network_commands.register(sub)
    framework_commands.register(sub)
    server_commands.register(sub)
    package_commands.register(sub)
    retrieval_commands.register(sub)
    votes_commands.register(sub)
    exchange_commands.register(sub)
    privacy_commands.register(sub)
    return parser


def run_cli(argv: list[str]) -> int:
    """Run one CLI verb; returns the process exit code (0 ok, 1 partial failure, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    import logging  # after parsing: --help and a mistyped option need no logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    # A verb is one short run that builds many objects at once (the database layer's
    # imports, tens of thousands of rows): collecting cycles less often saves about a
    # tenth of its time, and garbage is still collected.
    gc.set_threshold(GC_THRESHOLD, 20, 20)
    try:
        return int(args.handler(args) or 0)
    except OperationError as exc:
        print(f"ketqual: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`ketqual info … | head`): stop quietly, like other tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(
            "ketqual: interrupted; the project is unchanged by the unfinished step", file=sys.stderr
        )
        return 130
