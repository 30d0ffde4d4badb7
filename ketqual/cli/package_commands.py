"""CLI verbs for coder packages: pack, unpack, pack-return, suggest and merge.

A passphrase is never an argument of its own (it would show in the shell history and the
process list): it comes from a file (``--passphrase-file``), an environment variable
(``--passphrase-env``) or the terminal (``--ask-passphrase``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from ketqual.cli import privacy_commands
from ketqual.cli.consensus_commands import chosen_supervisor
from ketqual.ops.errors import OperationError


def _passphrase_options(p: argparse.ArgumentParser, what: str) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--passphrase-file", type=Path, metavar="FILE", help=f"{what} (first line)")
    group.add_argument("--passphrase-env", metavar="VAR", help=f"{what} from this variable")
    group.add_argument("--ask-passphrase", action="store_true", help=f"{what}, typed in")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the package verbs."""
    p = sub.add_parser(
        "pack",
        help="make a coder package: documents, codebook and one coder's own codings",
        description="Write a package for one coder to code on another computer: the "
        "documents, their units, the codebook and that coder's codings, memos and progress, "
        "nothing else. With a passphrase option the package is encrypted.",
    )
    p.add_argument("project")
    p.add_argument("--coder", required=True, metavar="NAME", help="whose package it is")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.kqpkg")
    p.add_argument("--supervisor", metavar="NAME", help="who packs (default: the only one)")
    _passphrase_options(p, "encrypt with a passphrase")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_pack)

    p = sub.add_parser(
        "unpack",
        help="make the working project of a coder package (once; kept afterwards)",
        description="Decrypt (or copy) a package into a working project, NAME-work.ketqual "
        "beside it unless -o says otherwise. Other verbs (info, codings, ...) then work on "
        "that file. An existing working project is kept, never overwritten.",
    )
    p.add_argument("package")
    p.add_argument("-o", "--output", type=Path, metavar="WORK.ketqual")
    _passphrase_options(p, "the package's passphrase")
    p.set_defaults(handler=cmd_unpack)

    p = sub.add_parser(
        "pack-return",
        help="write a coder's working project as a package to send back",
    )
    p.add_argument("work", metavar="WORKFILE")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.kqpkg")
    _passphrase_options(p, "encrypt with a passphrase")
    p.set_defaults(handler=cmd_return)

    p = sub.add_parser(
        "suggest",
        help="in a coder package: leave a codebook suggestion for the supervisor",
    )
    p.add_argument("work", metavar="WORKFILE")
    p.add_argument("text")
    p.add_argument("--code", metavar="CODE", help="Theme or Theme/Subtheme it is about")
    p.set_defaults(handler=cmd_suggest)

    p = sub.add_parser(
        "merge",
        help="merge a returned coder package into the project",
        description="Bring a coder's work back: codings, memos and progress are matched by "
        "their ids and each document by the SHA-256 of its text. One transaction; merging "
        "the same package again changes nothing.",
    )
    p.add_argument("project")
    p.add_argument("package")
    p.add_argument("--supervisor", metavar="NAME", help="who merges (default: the only one)")
    p.add_argument(
        "--dry-run", action="store_true", help="report what would change, change nothing"
    )
    p.add_argument("--format", choices=("plain", "json"), default="plain")
    _passphrase_options(p, "the package's passphrase")
    p.set_defaults(handler=cmd_merge)


def read_passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str | None:
    """The passphrase the options name, or ``None`` when none was asked for."""
    if args.passphrase_file:
        try:
            lines = args.passphrase_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise OperationError(f"cannot read the passphrase file: {exc}") from None
        value = lines[0] if lines else ""
    elif args.passphrase_env:
        value = os.environ.get(args.passphrase_env)
        if value is None:
            raise OperationError(f"the environment variable {args.passphrase_env} is not set")
    elif args.ask_passphrase:
        value = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("Passphrase again: ") != value:
            raise OperationError("the two passphrases differ")
    else:
        return None
    if not value:
        raise OperationError("the passphrase is empty")
    return value


def cmd_pack(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.team import package_pack

    passphrase = read_passphrase(args, confirm=True)
    with project_ops.open_project(args.project, backup=False) as project:
        boss = chosen_supervisor(project, args.supervisor)
        result = package_pack.pack(
            project,
            coder=args.coder,
            supervisor=boss,
            output=args.output,
            passphrase=passphrase,
            actor=args.actor,
            check=privacy_commands.check_options(project, args),
        )
    kind = "encrypted package" if result.encrypted else "package (not encrypted)"
    print(
        f"{result.path}: {kind} for {result.coder}, {result.counts.get('document', 0)} documents, "
        f"{result.counts.get('code', 0)} codes, {result.counts.get('coding', 0)} codings "
        f"({result.size / 1024:.0f} KB)"
    )
    return 0


def cmd_unpack(args: argparse.Namespace) -> int:
    from ketqual.ops.team import package_pack

    package = Path(args.package)
    work = args.output or package_pack.default_work_path(package)
    passphrase = None
    if not work.exists() and package_pack.needs_passphrase(package):
        passphrase = read_passphrase(args)
        if passphrase is None:
            raise OperationError(
                f"{package.name} is protected by a passphrase: give --passphrase-file, "
                "--passphrase-env or --ask-passphrase"
            )
    path, made = package_pack.unpack(package, work_path=work, passphrase=passphrase)
    print(f"{path}: {'working project made' if made else 'working project already there, kept'}")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    from ketqual.ops.team import package_pack

    passphrase = read_passphrase(args, confirm=True)
    out = package_pack.return_package(
        args.work, args.output, passphrase=passphrase, actor=args.actor
    )
    print(f"{out}: ready to send back{' (encrypted)' if passphrase else ''}")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.codebook import codebook_ops
    from ketqual.ops.team import package_pack

    with project_ops.open_project(args.work, backup=False) as project:
        code_id = codebook_ops.find_code(project, args.code).id if args.code else None
        change = package_pack.suggest_codebook_change(
            project, args.text, code_id=code_id, actor=args.actor
        )
    print(change.summary)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.team import package_merge, package_pack

    passphrase = read_passphrase(args)
    package = Path(args.package)
    if passphrase is None and package_pack.needs_passphrase(package):
        raise OperationError(
            f"{package.name} is protected by a passphrase: give --passphrase-file, "
            "--passphrase-env or --ask-passphrase"
        )
    with project_ops.open_project(args.project) as project:
        boss = chosen_supervisor(project, args.supervisor)
        try:
            report = package_merge.merge_package(
                project,
                package,
                supervisor=boss,
                passphrase=passphrase,
                dry_run=args.dry_run,
                actor=args.actor,
            )
        except package_merge.MergeRefused as refused:
            if args.format == "json":
                print(json.dumps(refused.report.to_dict(), indent=2))
            print(f"ketqual: {refused}", file=sys.stderr)
            return 2
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print("\n".join(report.lines()))
    return 0
