"""The ``ketqual`` command line: argparse verbs that call operations and print results."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from ketqual import __version__
from ketqual.ops.errors import OperationError

GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation


#: The modules that register the verbs, in the order ``--help`` lists them.
VERB_MODULES = (
    "commands",
    "coding_commands",
    "agreement_commands",
    "consensus_commands",
    "network_commands",
    "framework_commands",
    "server_commands",
    "package_commands",
    "retrieval_commands",
    "votes_commands",
    "exchange_commands",
    "privacy_commands",
)

#: Which module registers a verb, so a command line naming a verb loads only its module
#: (each module imports what its options need). A verb missing here still works: the
#: parser is then built with every module. tests/e2e/test_startup_imports.py checks it.
MODULE_OF_VERB = {
    **dict.fromkeys(
        ("audit", "code", "codebook", "demo", "document", "gui", "import", "info", "new"),
        "commands",
    ),
    **dict.fromkeys(("blind", "coder", "codings", "unblind"), "coding_commands"),
    "agreement": "agreement_commands",
    **dict.fromkeys(
        ("codebook-decision", "decisions", "disagreements", "negotiated", "resolve", "review"),
        "consensus_commands",
    ),
    **dict.fromkeys(("cooccurrence", "network"), "network_commands"),
    **dict.fromkeys(("counts", "matrix"), "framework_commands"),
    "copy": "server_commands",
    **dict.fromkeys(("merge", "pack", "pack-return", "suggest", "unpack"), "package_commands"),
    **dict.fromkeys(
        ("attributes", "cases", "crosstab", "passages", "report", "star"), "retrieval_commands"
    ),
    "votes": "votes_commands",
    **dict.fromkeys(
        ("export-qdc", "export-qdpx", "import-qdc", "import-qdpx"), "exchange_commands"
    ),
    **dict.fromkeys(("identifiers", "key", "reidentify"), "privacy_commands"),
}


def named_verb(argv: list[str]) -> str | None:
    """The verb ``argv`` names, if that is certain before parsing (after ``--as NAME``
    only); None for ``--help``, ``--version`` or anything else before a verb."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--as":
            skip = True
        elif arg.startswith("--as="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every verb, or only with ``verb`` (and the verbs its module
    registers) when ``verb`` is one of :data:`MODULE_OF_VERB`."""
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
    only = MODULE_OF_VERB.get(verb) if verb is not None else None
    for name in (only,) if only else VERB_MODULES:
        importlib.import_module(f"ketqual.cli.{name}").register(sub)
    return parser


def run_cli(argv: list[str]) -> int:
    """Run one CLI verb; returns the process exit code (0 ok, 1 partial failure, 2 error)."""
    parser = build_parser(named_verb(argv))
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
