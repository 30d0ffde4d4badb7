"""The ``ketqual`` command line: argparse verbs that call operations and print results."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from ketqual import __version__
from ketqual.cli.verbs import MODULE_OF_VERB, SUMMARY_OF_VERB, VERB_MODULES

GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation


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


def top_parser() -> argparse.ArgumentParser:
    """The parser's own options, with no verbs yet."""
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
    return parser


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every verb, or only with ``verb`` (and the verbs its module
    registers) when ``verb`` is one of :data:`MODULE_OF_VERB`."""
    parser = top_parser()
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    only = MODULE_OF_VERB.get(verb) if verb is not None else None
    for name in (only,) if only else VERB_MODULES:
        importlib.import_module(f"ketqual.cli.{name}").register(sub)
    return parser


class AnyArguments:
    """A verb's sub-parser in :func:`listing_parser`: it takes whatever follows the verb and
    leaves it all for the verb's real parser. argparse only asks a sub-parser to
    ``parse_known_args`` what follows its verb, and this costs a tenth of building 44 empty
    ``ArgumentParser`` objects (about 4 ms of a 50 ms ``--help``)."""

    def __init__(self, **kwargs: object) -> None:
        pass

    def parse_known_args(
        self, args: list[str], namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        return namespace or argparse.Namespace(), list(args)


def listing_parser() -> argparse.ArgumentParser:
    """The parser's own options and every verb with its summary (:mod:`ketqual.cli.verbs`)
    but none of the verbs' options: it prints the same ``--help``, ``--version`` and
    mistyped-verb error as :func:`build_parser` without importing any verb's module.
    ``parse_known_args`` with it finds the verb; the verb's real parser reads the rest.
    """
    parser = top_parser()
    # Typeshed wants an ArgumentParser class here (and importing typing for a cast costs 3 ms).
    sub = parser.add_subparsers(
        dest="verb",
        metavar="VERB",
        parser_class=AnyArguments,  # type: ignore[type-var]
    )
    for verb, summary in SUMMARY_OF_VERB.items():
        sub.add_parser(verb, help=summary)
    return parser


def run_cli(argv: list[str]) -> int:
    """Run one CLI verb; returns the process exit code (0 ok, 1 partial failure, 2 error)."""
    verb = named_verb(argv)
    if verb not in MODULE_OF_VERB:
        # `--help`, `--version`, no verb or a mistyped one (or an option before the verb
        # that named_verb cannot skip): the listing answers these as the whole parser would.
        listing = listing_parser()
        verb = listing.parse_known_args(argv)[0].verb
        if verb is None:
            listing.parse_args(argv)  # exits if an option is not known, as the whole one did
            listing.print_help()
            return 2
    parser = build_parser(verb)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):  # `ketqual --as NAME gui`: all verbs, not gui's
        listing_parser().print_help()
        return 2
    import logging  # after parsing: --help and a mistyped option need no logging

    from ketqual.ops.errors import OperationError

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
