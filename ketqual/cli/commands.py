"""The CLI verbs. Each handler parses nothing itself: argparse hands it ``args``.

Handlers import their operations when they run, so building the parser (``--help``, a
mistyped option) never loads the database layer; see docs/performance-startup.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketqual.cli import output, privacy_commands
from ketqual.core.model import DOCUMENT_KINDS
from ketqual.ops.errors import NeedsConfirmation, OperationError

if TYPE_CHECKING:
    from ketqual.core import feedback
    from ketqual.ops.importing import import_ops


def register(sub: argparse._SubParsersAction) -> None:
    """Add every verb to the parser."""
    p = sub.add_parser("gui", help="open the app (optionally on PROJECT)")
    p.add_argument("project", nargs="?")

    p = sub.add_parser("new", help="create a project with the study's codebook")
    p.add_argument("project", help="file.ketqual or postgresql+psycopg://user@host/db")
    p.add_argument("--name", help="display name")
    p.add_argument("--codebook", default="default", help="codebook JSON file, 'default' or 'none'")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("import", help="import scribe notes and feedback sheets")
    p.add_argument("project")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--kind", choices=DOCUMENT_KINDS, help="document kind for every file")
    p.add_argument("--session", type=int, help="session number for every file")
    p.add_argument("--group", type=int, help="group number for every file (also stops splitting)")
    p.add_argument("--notetaker", help="who took the notes")
    p.add_argument("--date", help="date of the notes (YYYY-MM-DD)")
    p.add_argument(
        "--no-split", action="store_true", help="do not split combined documents at group headings"
    )
    p.add_argument(
        "--on-duplicate",
        choices=("ask", "skip", "import"),
        default=None,
        help="a file already imported (same SHA-256): ask (default on a terminal), skip, import again",
    )
    p.add_argument(
        "--names",
        type=Path,
        metavar="FILE",
        help="roster of people (and places) to replace: one per line, nicknames after '|', "
        "a kind before ':' (carer:, staff:, place:), or 'Name = Pseudonym'; kept in --key",
    )
    p.add_argument(
        "--columns",
        metavar="MAP",
        help="feedback sheet columns, e.g. 'session=Sess,group=Grp,participant=ID,question=Q,"
        "answer=Text' (answer= may repeat, one per question column; layout=group|question|"
        "participant; keep=COLUMN names the columns kept as participant attributes, default "
        "every other column)",
    )
    privacy_commands.add_key_options(
        p, "key file (made if new): its roster's names are replaced on import; --names needs it"
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("info", help="documents, codes, coders and codings of a project")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("codebook", help="export or import the codebook as JSON, or list it")
    p.add_argument("project")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--export", type=Path, metavar="FILE")
    group.add_argument("--import", dest="import_file", type=Path, metavar="FILE")
    group.add_argument("--list", action="store_true")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_codebook)

    _register_code(sub)

    p = sub.add_parser("document", help="edit a document's metadata, split or delete it")
    p.add_argument("project")
    p.add_argument("document", type=int, help="document id (see 'ketqual info')")
    for field in ("title", "notetaker", "date"):
        p.add_argument(f"--{field}")
    p.add_argument("--kind", choices=DOCUMENT_KINDS)
    p.add_argument("--session", help="session number ('' to clear)")
    p.add_argument("--group", help="group number ('' to clear)")
    p.add_argument("--split", action="store_true", help="split at group headings")
    p.add_argument("--delete", action="store_true", help="delete the document")
    p.add_argument("--yes", action="store_true", help="confirm deleting codings")
    p.set_defaults(handler=cmd_document)

    p = sub.add_parser("demo", help="build the demo project from the bundled corpus")
    p.add_argument("project", type=Path)
    p.add_argument(
        "--before-meeting",
        action="store_true",
        help="stop after the two coders' codings: blinded, no consensus yet",
    )
    p.add_argument(
        "--third-coder",
        action="store_true",
        help="add a third coder, Coder C, for agreement among three coders",
    )
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("audit", help="show the audit log")
    p.add_argument("project")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit)


def _register_code(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "code",
        help="change the codebook: add, rename, recolour, define, move, merge, retire, delete",
    )
    p.add_argument("project")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="add a theme, or a subtheme with --parent")
    a.add_argument("name")
    a.add_argument("--parent", help="theme to add a subtheme to")
    a.add_argument("--colour")
    a.add_argument("--shortcut", help="number key 1-9 or 0 (themes only)")
    a.add_argument("--definition", default="")
    a = actions.add_parser("rename", help="give a code a new name")
    a.add_argument("code", help="Theme or Theme/Subtheme, or an id")
    a.add_argument("name")
    a = actions.add_parser("recolour", help="give a code a new colour")
    a.add_argument("code")
    a.add_argument("colour", help="#RRGGBB")
    a = actions.add_parser(
        "define", help="edit definition, include/exclude notes, example, shortcut"
    )
    a.add_argument("code")
    for field in ("definition", "include", "exclude", "example"):
        a.add_argument(f"--{field}")
    a.add_argument("--shortcut", help="number key, or '' to remove")
    a = actions.add_parser(
        "move", help="move a code under another theme (--parent) or to the top (--top)"
    )
    a.add_argument("code")
    where = a.add_mutually_exclusive_group(required=True)
    where.add_argument("--parent", help="theme to move under")
    where.add_argument("--top", action="store_true", help="make it a theme")
    a.add_argument("--position", type=int, help="1-based position among its new siblings")
    a = actions.add_parser("merge", help="merge SOURCE into TARGET (codings follow)")
    a.add_argument("source")
    a.add_argument("target")
    for name, what in (
        ("retire", "hide a code from coding; its codings are kept"),
        ("restore", "bring a retired code back"),
    ):
        a = actions.add_parser(name, help=what)
        a.add_argument("code")
    a = actions.add_parser(
        "delete", help="delete a code and its subthemes (with codings: --yes deletes those too)"
    )
    a.add_argument("code")
    a.add_argument("--yes", action="store_true", help="also delete its codings")
    p.set_defaults(handler=cmd_code)


def _open(args: argparse.Namespace, *, backup: bool = True):
    from ketqual.ops import project_ops

    return project_ops.open_project(args.project, backup=backup)


def cmd_new(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops

    codebook = None if args.codebook == "none" else args.codebook
    with project_ops.new_project(
        args.project, name=args.name, codebook=codebook, actor=args.actor
    ) as project:
        info = project_ops.project_info(project)
    print(f"created {info['location']} with {len(info['codes'])} codes")
    return 0


def _duplicate_policy(choice: str | None) -> import_ops.DuplicatePolicy:
    from ketqual.ops.importing import import_ops

    if choice is None:
        choice = "ask" if sys.stdin is not None and sys.stdin.isatty() else "skip"
    if choice == "import":
        return import_ops.import_duplicates
    if choice == "skip":
        return import_ops.skip_duplicates

    def ask(path: Path, matches: list) -> bool:
        titles = ", ".join(d.meta.title for d in matches[:3])
        answer = input(f"{path.name} was already imported ({titles}). Import it again? [y/N] ")
        return answer.strip().lower() in ("y", "yes")

    return ask


def _parse_columns(text: str | None) -> feedback.ColumnMapping | None:
    if not text:
        return None
    from ketqual.core import feedback

    try:
        return feedback.parse_mapping(text)
    except ValueError as exc:
        raise OperationError(str(exc)) from None


def cmd_import(args: argparse.Namespace) -> int:
    from ketqual.ops.importing import import_ops

    options = import_ops.ImportOptions(
        kind=args.kind,
        session=args.session,
        group=args.group,
        notetaker=args.notetaker,
        date=args.date,
        split_combined=not args.no_split,
        feedback_mapping=_parse_columns(args.columns),
    )
    names = None
    if args.names:
        try:
            names = args.names.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise OperationError(f"cannot read the names file {args.names}: {exc}") from None
        if args.key is None:
            raise OperationError(
                "names are kept in a key file, apart from the project: add --key FILE.kqkey "
                "(made if it does not exist) and a passphrase option"
            )
    policy = _duplicate_policy(args.on_duplicate)
    with _open(args) as project:
        key = privacy_commands.open_key(project, args, create=True)
        report = import_ops.import_files(
            project,
            args.files,
            options,
            on_duplicate=policy,
            names=names,
            key=key,
            progress=output.progress_printer(),
            actor=args.actor,
        )
    for result in report.results:
        print(result.line())
    print(report.summary())
    return 0 if not report.count("failed") else 1


def cmd_info(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops

    with _open(args, backup=False) as project:
        info = project_ops.project_info(project)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        output.print_info(info)
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.codebook import codebook_ops

    with _open(args, backup=not args.list and not args.export) as project:
        if args.export:
            path = codebook_ops.export_codebook(
                project,
                args.export,
                check=privacy_commands.check_options(project, args),
                actor=args.actor,
            )
            print(f"codebook written to {path}")
        elif args.import_file:
            print(codebook_ops.import_codebook(project, args.import_file, actor=args.actor).summary)
        else:
            output.print_codes(project_ops.project_info(project)["codes"])
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    from ketqual.ops.codebook import codebook_ops

    with _open(args) as project:
        find = lambda ref: codebook_ops.find_code(project, ref).id  # noqa: E731
        a, actor = args.action, args.actor
        if a == "add":
            parent = find(args.parent) if args.parent else None
            change = codebook_ops.add_code(
                project,
                args.name,
                parent_id=parent,
                colour=args.colour,
                shortcut=args.shortcut,
                definition=args.definition,
                actor=actor,
            )
        elif a == "rename":
            change = codebook_ops.rename_code(project, find(args.code), args.name, actor=actor)
        elif a == "recolour":
            change = codebook_ops.recolour_code(project, find(args.code), args.colour, actor=actor)
        elif a == "define":
            texts = {
                k: getattr(args, k)
                for k in codebook_ops.TEXT_FIELDS
                if getattr(args, k) is not None
            }
            extra: dict[str, Any] = (
                {} if args.shortcut is None else {"shortcut": args.shortcut or None}
            )
            change = codebook_ops.update_code(
                project, find(args.code), actor=actor, **extra, **texts
            )
        elif a == "move":
            parent = None if args.top else find(args.parent)
            position = args.position - 1 if args.position else None
            change = codebook_ops.move_code(
                project, find(args.code), parent_id=parent, position=position, actor=actor
            )
        elif a == "merge":
            change = codebook_ops.merge_codes(
                project, find(args.source), find(args.target), actor=actor
            )
        elif a in ("retire", "restore"):
            change = codebook_ops.retire_code(
                project, find(args.code), retired=a == "retire", actor=actor
            )
        else:
            try:
                change = codebook_ops.delete_code(
                    project, find(args.code), confirm=args.yes, actor=actor
                )
            except NeedsConfirmation as exc:
                raise OperationError(f"{exc} (add --yes)") from None
    print(change.summary)
    return 0


def cmd_document(args: argparse.Namespace) -> int:
    from ketqual.ops.importing import document_ops

    fields = {
        k: getattr(args, k)
        for k in ("title", "kind", "session", "group", "notetaker", "date")
        if getattr(args, k) is not None
    }
    with _open(args) as project:
        if args.delete:
            change = document_ops.delete_document(
                project, args.document, confirm=args.yes, actor=args.actor
            )
        elif args.split:
            change = document_ops.split_document(project, args.document, actor=args.actor)
        else:
            change = document_ops.update_document(
                project, args.document, actor=args.actor, **fields
            )
    print(change.summary)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ketqual.ops import demo_ops, project_ops
    from ketqual.ops.consensus import consensus_ops

    project, report = demo_ops.build_demo(
        args.project, meeting=not args.before_meeting, third_coder=args.third_coder
    )
    with project:
        info = project_ops.project_info(project)
        review = None if args.before_meeting else consensus_ops.find_review(project)
    print(
        f"demo project {info['location']}: {len(info['documents'])} documents from {len(report.results)} files, "
        f"{len(info['cases'])} focus groups, {len(info['codes'])} codes"
    )
    for coder in info["coders"]:
        print(f"  {coder['name']} ({coder['role']}): {output.plural(coder['codings'], 'coding')}")
    print(f"  consensus layer: {output.plural(info['consensus_codings'], 'coding')}")
    print(
        f"  {info['vote_questions']} voting questions from session 3, linked to their "
        "themes (see 'ketqual votes list')"
    )
    if review is None:
        print("  blinded: each coder sees only their own codings until the supervisor unblinds")
    else:
        print(
            f"  unblinded for a consensus meeting in progress: {review.progress_text()}, "
            f"{review.counts.get('open', 0)} still open (see 'ketqual disagreements')"
        )
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from ketqual.ops import audit_ops

    with _open(args, backup=False) as project:
        events = audit_ops.audit_log(project, limit=args.limit)
    if args.json:
        print(json.dumps([e.__dict__ for e in events], indent=2, ensure_ascii=False))
    else:
        for e in events:
            print(f"{e.at}  {e.actor:<12} {e.action:<16} {e.summary}")
    return 0
