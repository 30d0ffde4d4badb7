"""CLI verbs for privacy: the key file (``key``), identifier review (``identifiers``),
re-identification (``reidentify``), and the options every export verb takes for its
identifier check (``--allow-identifiers REASON``, ``--key FILE``).

Passphrases are never arguments of their own (they would show in the shell history):
``--key-passphrase-file``, ``--key-passphrase-env`` or ``--ask-key-passphrase``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.cli.lazy import lazy_module
from ketqual.core.privacy import kinds
from ketqual.core.privacy.hits import FIELDS, STATUSES
from ketqual.ops.errors import OperationError

if TYPE_CHECKING:
    from ketqual.ops.privacy.key_ops import KeySession

# The operations load when a verb runs, not when the command line is built.
if TYPE_CHECKING:  # the real modules for the type checker; loaded on first use
    from ketqual.ops import project_ops
    from ketqual.ops.privacy import key_ops, outgoing, review_ops
else:
    project_ops = lazy_module("ketqual.ops.project_ops")
    key_ops = lazy_module("ketqual.ops.privacy.key_ops")
    outgoing = lazy_module("ketqual.ops.privacy.outgoing")
    review_ops = lazy_module("ketqual.ops.privacy.review_ops")


# ----- options other verbs take ----------------------------------------------------------
def add_key_options(p: argparse.ArgumentParser, what: str = "the project's key file") -> None:
    """``--key FILE`` and the ways to give its passphrase."""
    p.add_argument("--key", type=Path, metavar="FILE.kqkey", help=what)
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--key-passphrase-file", type=Path, metavar="FILE", help="key passphrase (first line)"
    )
    group.add_argument("--key-passphrase-env", metavar="VAR", help="key passphrase from VAR")
    group.add_argument("--ask-key-passphrase", action="store_true", help="type the passphrase")


def add_check_options(p: argparse.ArgumentParser) -> None:
    """The identifier check's options for an export verb."""
    p.add_argument(
        "--allow-identifiers",
        metavar="REASON",
        help="a supervisor lets possible identifiers through (the reason is audited)",
    )
    if not any(a.dest == "key" for a in p._actions):  # noqa: SLF001 - argparse has no API
        add_key_options(p, "key file, so that roster names are looked for too")


def read_key_passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """The key passphrase the options name (asked for on a terminal when none is named)."""
    if getattr(args, "key_passphrase_file", None):
        try:
            lines = args.key_passphrase_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise OperationError(f"cannot read the passphrase file: {exc}") from None
        value = lines[0] if lines else ""
    elif getattr(args, "key_passphrase_env", None):
        value = os.environ.get(args.key_passphrase_env)
        if value is None:
            raise OperationError(f"the environment variable {args.key_passphrase_env} is not set")
    elif getattr(args, "ask_key_passphrase", False) or (sys.stdin and sys.stdin.isatty()):
        value = getpass.getpass("Key file passphrase: ")
        if confirm and getpass.getpass("Passphrase again: ") != value:
            raise OperationError("the two passphrases differ")
    else:
        raise OperationError(
            "the key file needs its passphrase: give --key-passphrase-file, "
            "--key-passphrase-env or --ask-key-passphrase"
        )
    if not value:
        raise OperationError("the passphrase is empty")
    return value


def open_key(project, args: argparse.Namespace, *, create: bool = False) -> KeySession | None:
    """The key file named by ``--key``, opened (or made, with ``create``); None without one."""
    path = getattr(args, "key", None)
    if path is None:
        return None
    made = create and not Path(path).exists()
    passphrase = read_key_passphrase(args, confirm=made)
    if made:
        return key_ops.create_key(project, path, passphrase, actor=args.actor)
    return key_ops.open_key(project, path, passphrase, actor=args.actor)


def check_options(project, args: argparse.Namespace) -> outgoing.CheckOptions:
    """The identifier check's options from an export verb's arguments."""
    return outgoing.CheckOptions(
        allow_reason=getattr(args, "allow_identifiers", None),
        supervisor=getattr(args, "supervisor", None) or getattr(args, "actor", None),
        key=open_key(project, args),
    )


def check(args: argparse.Namespace, *, what: str, payload: object, destination=None) -> None:
    """Check output the CLI itself writes (counts, disagreements) before writing it."""
    with project_ops.open_project(args.project, backup=False) as project:
        check_in(project, args, what=what, payload=payload, destination=destination)


def check_in(
    project, args: argparse.Namespace, *, what: str, payload: object, destination=None
) -> None:
    """As :func:`check`, in a project the verb already has open."""
    outgoing.check_outgoing(
        project,
        what=what,
        destination=destination,
        payload=payload,
        options=check_options(project, args),
        actor=args.actor,
    )


# ----- verbs -------------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    """Add ``key``, ``identifiers`` and ``reidentify``."""
    p = sub.add_parser(
        "key",
        help="the key file: make it, add a roster, list it, move an old key out of a project",
        description="The key file links tokens such as [P07] to real names. It is "
        "encrypted with a passphrase and kept apart from the project (never inside it).",
    )
    p.add_argument("project")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("new", help="make a key file for the project")
    a.add_argument("keyfile", type=Path, metavar="FILE.kqkey")
    a.add_argument("--roster", type=Path, metavar="FILE", help="people and places to add")
    _passphrase(a)
    a = actions.add_parser("add", help="add people and places from a roster file")
    a.add_argument("keyfile", type=Path, metavar="FILE.kqkey")
    a.add_argument("--roster", type=Path, metavar="FILE", required=True)
    _passphrase(a)
    a = actions.add_parser("list", help="print the roster with its tokens (audited)")
    a.add_argument("keyfile", type=Path, metavar="FILE.kqkey")
    _passphrase(a)
    a = actions.add_parser(
        "move-out", help="move an old project's key table into a key file and empty the table"
    )
    a.add_argument("keyfile", type=Path, metavar="FILE.kqkey")
    a.add_argument("--supervisor", metavar="NAME", help="who moves it (default: the only one)")
    _passphrase(a)
    actions.add_parser("status", help="say whether the project still holds an old key table")
    p.set_defaults(handler=cmd_key)

    p = sub.add_parser(
        "reidentify",
        help="say who a token stands for (needs the key file, a supervisor and a reason)",
    )
    p.add_argument("project")
    p.add_argument("token", help="e.g. P07 or [CARER-2]")
    p.add_argument("--reason", required=True, help="why (goes into the audit log)")
    p.add_argument("--supervisor", metavar="NAME")
    add_key_options(p)
    p.set_defaults(handler=cmd_reidentify)

    p = sub.add_parser(
        "identifiers",
        help="find, review and replace identifiers (names, contact details, places)",
        description="Suggestions are found at import and on demand (documents without "
        "codings); review them, then apply: accepted ones are replaced by tokens.",
    )
    p.add_argument("project")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("detect", help="look for identifiers in documents without codings")
    a.add_argument("--documents", metavar="IDS", help="comma-separated document ids")
    a.add_argument("--model", metavar="NAME", help="a trained spaCy pipeline you installed")
    add_key_options(a, "key file, so that the roster's names are looked for too")
    a = actions.add_parser("list", help="list suggestions")
    a.add_argument("--status", default="pending,accepted", help=f"of {', '.join(STATUSES)}")
    a.add_argument("--documents", metavar="IDS")
    a.add_argument("--format", choices=("table", "json"), default="table")
    for name in ("accept", "reject", "undecide"):
        a = actions.add_parser(name, help=f"{name} suggestions")
        a.add_argument("ids", help="comma-separated suggestion ids")
    a = actions.add_parser("accept-like", help="accept every pending suggestion of the same name")
    a.add_argument("id", type=int)
    a = actions.add_parser("edit", help="change a suggestion's span or kind (and accept it)")
    a.add_argument("id", type=int)
    a.add_argument("--start", type=int)
    a.add_argument("--end", type=int)
    a.add_argument("--kind", choices=tuple(kinds.KINDS))
    a = actions.add_parser("add", help="add an identifier the detector missed")
    a.add_argument("document", type=int)
    a.add_argument("start", type=int)
    a.add_argument("end", type=int)
    a.add_argument("--kind", choices=tuple(kinds.KINDS), required=True)
    a.add_argument("--field", choices=FIELDS, default="text")
    a = actions.add_parser("apply", help="replace accepted suggestions by their tokens")
    a.add_argument("--documents", metavar="IDS")
    add_key_options(a)
    p.set_defaults(handler=cmd_identifiers)


def _passphrase(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--key-passphrase-file", type=Path, metavar="FILE")
    group.add_argument("--key-passphrase-env", metavar="VAR")
    group.add_argument("--ask-key-passphrase", action="store_true")


def _ids(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise OperationError(
            f"ids must be whole numbers separated by commas, not '{text}'"
        ) from None


def _read_roster(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise OperationError(f"cannot read the roster {path}: {exc}") from None


def cmd_key(args: argparse.Namespace) -> int:
    action = args.action
    with project_ops.open_project(
        args.project, backup=action in ("new", "add", "move-out")
    ) as project:
        if action == "status":
            status = key_ops.key_status(project)
            print(f"key file: {status['key_file'] or 'none made yet'}")
            if status["legacy_names"]:
                print(
                    f"this project still holds {status['legacy_names']} names in its old key "
                    "table: move them out with 'ketqual key PROJECT move-out FILE.kqkey'"
                )
            return 0
        if action == "new":
            passphrase = read_key_passphrase(args, confirm=True)
            key = key_ops.create_key(
                project, args.keyfile, passphrase, roster_text=_read_roster(args.roster),
                actor=args.actor,
            )  # fmt: skip
            print(f"{key.path}: key file made with {len(key.entries)} entries")
        elif action == "add":
            key = key_ops.open_key(
                project, args.keyfile, read_key_passphrase(args), actor=args.actor
            )
            roster_text = _read_roster(args.roster)
            assert roster_text is not None  # --roster is required for add
            print(key_ops.add_roster(project, key, roster_text, actor=args.actor).summary)
        elif action == "list":
            key = key_ops.open_key(
                project, args.keyfile, read_key_passphrase(args), actor=args.actor
            )
            for entry in key.entries:
                nicks = f"  ({', '.join(entry.nicknames)})" if entry.nicknames else ""
                print(f"{entry.token:<14} {entry.kind:<12} {' | '.join(entry.names)}{nicks}")
        else:
            made = not args.keyfile.exists()
            change = key_ops.move_key_out(
                project, args.keyfile, read_key_passphrase(args, confirm=made),
                supervisor=args.supervisor, actor=args.actor,
            )  # fmt: skip
            print(change.summary)
    return 0


def cmd_reidentify(args: argparse.Namespace) -> int:
    if args.key is None:
        raise OperationError("re-identifying needs the key file: give --key FILE.kqkey")
    with project_ops.open_project(args.project, backup=False) as project:
        key = open_key(project, args)
        assert key is not None  # args.key was checked above
        entry = key_ops.reidentify(
            project, key, args.token, reason=args.reason, supervisor=args.supervisor,
            actor=args.actor,
        )  # fmt: skip
    print(f"{entry.token} is {' | '.join(entry.all_names())} ({kinds.label(entry.kind)})")
    return 0


def cmd_identifiers(args: argparse.Namespace) -> int:
    action = args.action
    with project_ops.open_project(args.project, backup=action not in ("list",)) as project:
        if action == "list":
            statuses = [s.strip() for s in args.status.split(",") if s.strip()]
            unknown = [s for s in statuses if s not in STATUSES]
            if unknown:
                raise OperationError(f"--status: unknown {', '.join(unknown)}")
            rows = review_ops.review_rows(
                project, statuses=statuses, document_ids=_ids(args.documents)
            )
            _print_rows(rows, args.format)
            return 0
        if action == "detect":
            from ketqual.core.privacy.detector import DetectorOptions

            change = review_ops.detect_identifiers(
                project,
                key=open_key(project, args),
                document_ids=_ids(args.documents),
                options=DetectorOptions(model=args.model),
                actor=args.actor,
            )
        elif action in ("accept", "reject", "undecide"):
            change = review_ops.decide(project, _ids(args.ids) or [], action, actor=args.actor)
        elif action == "accept-like":
            change = review_ops.accept_all_like(project, args.id, actor=args.actor)
        elif action == "edit":
            change = review_ops.edit_hit(
                project, args.id, start=args.start, end=args.end, kind=args.kind, actor=args.actor
            )
        elif action == "add":
            change = review_ops.add_hit(
                project, args.document, args.start, args.end, args.kind, field=args.field,
                actor=args.actor,
            )  # fmt: skip
        else:
            if args.key is None:
                raise OperationError("replacing needs the key file for its tokens: give --key")
            key = open_key(project, args)
            assert key is not None  # args.key was checked above
            change = review_ops.apply_replacements(
                project, key, document_ids=_ids(args.documents), actor=args.actor
            )
    print(change.summary)
    return 0


def _print_rows(rows: list, fmt: str) -> None:
    if fmt == "json":
        data = [
            {
                "id": r.hit.id,
                "status": r.hit.status,
                "document_id": r.hit.document_id,
                "document": r.document,
                "field": r.hit.field,
                "start": r.hit.start,
                "end": r.hit.end,
                "kind": r.hit.kind,
                "sure": r.hit.certain,
                "reason": r.hit.reason,
                "words": r.words,
                "token": r.hit.token,
                "context": f"{r.before}[{r.words}]{r.after}",
                "document_has_codings": r.coded,
            }
            for r in rows
        ]
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return
    if not rows:
        print("no suggestions")
        return
    for r in rows:
        sure = "sure" if r.hit.certain else "review"
        where = r.hit.field if r.hit.field != "text" else f"{r.hit.start}-{r.hit.end}"
        context = " ".join(f"{r.before}»{r.words}«{r.after}".split())
        print(
            f"#{r.hit.id:<5} {r.hit.status:<8} doc {r.hit.document_id:<4} {where:<12} "
            f"{kinds.label(r.hit.kind):<16} {sure:<6} {context}  ({r.hit.reason})"
        )
