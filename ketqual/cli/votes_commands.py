"""CLI verb ``votes``: import voting sheets, list and edit questions, link them to themes,
and write their tables and figures."""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.cli import privacy_commands
from ketqual.cli.lazy import lazy_module
from ketqual.core import votes, votes_figure
from ketqual.core.votes import GroupSummary, QuestionSummary
from ketqual.core.votes_sheet import VoteColumns
from ketqual.io import votes_files
from ketqual.ops.errors import OperationError

PICTURE_FORMATS = ("svg", "pdf", "png")  # what `votes figure -o` writes

# The operations load when a verb runs, not when the command line is built.
if TYPE_CHECKING:  # the real modules for the type checker; loaded on first use
    from ketqual.ops import project_ops
    from ketqual.ops.votes import votes_ops
else:
    project_ops = lazy_module("ketqual.ops.project_ops")
    votes_ops = lazy_module("ketqual.ops.votes.votes_ops")

COLUMN_FIELDS = ("participant", "question", "option", "count", "skip")
TABLE_FORMATS = ("table", "csv", "json", "xlsx")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``votes`` verb and its sub-verbs."""
    p = sub.add_parser(
        "votes",
        help="voting questions beside the themes: import, tables, figures, links",
        description="Votes from the consultation day (yes/no/unsure, single or multiple "
        "choice, rating 1-5): import a voting sheet, link questions to themes, and write "
        "their counts, percentages (with the denominator stated) and Wilson 95 % "
        "intervals, or a figure.",  # a description is not %-formatted, unlike a help
    )
    verbs = p.add_subparsers(dest="votes_verb", metavar="ACTION")

    v = verbs.add_parser(
        "import",
        help="import a voting sheet (csv/xlsx)",
        description="Import votes in either shape: one row per participant (a column per "
        "question; multiple choice as 'Question [Option]' columns with ticks, or one cell "
        "listing the options separated by ';'), or a tally (question, option, count; "
        "'(no answer)' and '(respondents)' rows optional). A sheet named Questions (or "
        "--questions FILE) gives each question's type, options in order and themes. The "
        "whole sheet is checked first: any bad vote is named by row and column and nothing "
        "is imported. Re-importing a question replaces its answers.",
    )
    v.add_argument("project")
    v.add_argument("file", type=Path, metavar="FILE")
    v.add_argument(
        "--columns",
        metavar="MAP",
        help="which columns hold what, e.g. 'participant=ID,skip=Group,skip=Role' or "
        "'question=Q,option=Answer,count=Votes' (fields: participant, question, option, "
        "count, skip)",
    )
    v.add_argument(
        "--multi",
        action="extend",
        nargs="+",
        default=[],
        metavar="QUESTION",
        help="questions that are multiple choice (a column, or the shared start of several "
        "'QUESTION: option' columns)",
    )
    v.add_argument("--separator", default=";", help="between answers in one cell (default ';')")
    v.add_argument("--questions", type=Path, metavar="FILE", help="a question list (csv/xlsx)")
    v.add_argument("--sheet", metavar="NAME", help="the worksheet holding the votes")
    v.set_defaults(handler=cmd_import)

    v = verbs.add_parser("list", help="the questions with their types, options and themes")
    v.add_argument("project")
    v.add_argument("--json", action="store_true")
    v.set_defaults(handler=cmd_list)

    v = verbs.add_parser(
        "table",
        help="counts, percentages and Wilson 95 %% intervals per question",
        description="One row per option of each question: count, the denominator (its "
        "number and which one), percent, Wilson 95 % interval and the missing answers. "
        "With --by, a breakdown by a participant attribute read from --participants FILE.",
    )
    v.add_argument("project")
    v.add_argument("questions", nargs="*", metavar="QUESTION", help="number or text (default: all)")
    _denominator(v)
    v.add_argument("--format", choices=TABLE_FORMATS, default="table", help="default: table")
    v.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (xlsx needs it)"
    )
    v.add_argument("--by", metavar="COLUMN", help="break down by this participant attribute")
    v.add_argument(
        "--participants",
        type=Path,
        metavar="FILE",
        help="csv/xlsx with one row per participant: an id column and the --by column",
    )
    privacy_commands.add_check_options(v)
    v.set_defaults(handler=cmd_table)

    v = verbs.add_parser(
        "figure",
        help="a bar chart (one question) or stacked bars (yes/no/unsure questions)",
        description="Draw a horizontal bar chart of one question (option texts wrapped beside "
        "the bars, counts at their ends, n in the caption), or stacked bars of one or more "
        "one-answer questions, as SVG, PDF (fonts embedded) or 300-dpi PNG.",
    )
    v.add_argument("project")
    v.add_argument("questions", nargs="+", metavar="QUESTION", help="number or text")
    v.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help=".svg, .pdf or .png"
    )
    _denominator(v)
    v.add_argument(
        "--style",
        choices=votes_figure.STYLES,
        default="auto",
        help="auto (default): stacked for yes/no/unsure and several questions, else bars",
    )
    v.add_argument("--title", help="the figure's title (default: the question)")
    privacy_commands.add_check_options(v)
    v.set_defaults(handler=cmd_figure)

    v = verbs.add_parser("link", help="link a question to themes (or --unlink)")
    v.add_argument("project")
    v.add_argument("question", metavar="QUESTION")
    v.add_argument(
        "--theme",
        action="append",
        required=True,
        metavar="NAME",
        help="a theme; repeat for several",
    )
    v.add_argument("--unlink", action="store_true", help="remove the links instead")
    v.set_defaults(handler=cmd_link)

    v = verbs.add_parser(
        "question", help="rename, retype, reorder options, move or delete a question"
    )
    v.add_argument("project")
    v.add_argument("question", metavar="QUESTION")
    v.add_argument("--text", help="a new text")
    v.add_argument("--type", dest="kind", choices=votes.KINDS, help="a new type")
    v.add_argument("--order", metavar="'A;B;C'", help="every option, in the new order")
    v.add_argument(
        "--rename-option", action="append", default=[], metavar="OLD=NEW", help="rename an option"
    )
    v.add_argument("--position", type=int, metavar="N", help="move it to place N in the list")
    v.add_argument("--delete", action="store_true", help="delete it with its answers")
    v.set_defaults(handler=cmd_question)

    p.set_defaults(handler=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _denominator(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--denominator",
        choices=votes.DENOMINATORS,
        default="answered",
        help="percent of respondents who answered (default), respondents present, or "
        "selections (multiple choice)",
    )


def parse_columns(text: str | None) -> VoteColumns | None:
    """``participant=ID,skip=Group`` -> a :class:`VoteColumns` (``None`` when not given).

    A comma only separates two entries when a field name and ``=`` follow it, so headers
    may hold commas.
    """
    if not text:
        return None
    fields: dict[str, str] = {}
    skip: list[str] = []
    names = "|".join(COLUMN_FIELDS)
    for part in re.split(rf",\s*(?=(?:{names})\s*=)", text):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in COLUMN_FIELDS or not value.strip():
            raise OperationError(
                f"--columns: cannot read '{part}' (use field=Header; fields: "
                f"{', '.join(COLUMN_FIELDS)})"
            )
        if key == "skip":
            skip.append(value.strip())
        else:
            fields[key] = value.strip()
    tally = [f for f in ("question", "option", "count") if f in fields]
    if tally and len(tally) < 3:
        raise OperationError("--columns: a tally needs question=, option= and count=")
    if tally and "participant" in fields:
        raise OperationError(
            "--columns: give participant= (one row per participant) or a tally, not both"
        )
    if not tally and "participant" not in fields:
        raise OperationError("--columns must name participant= or question=, option= and count=")
    return VoteColumns(
        participant=fields.get("participant"),
        question=fields.get("question"),
        option=fields.get("option"),
        count=fields.get("count"),
        skip=tuple(skip),
    )


def cmd_import(args: argparse.Namespace) -> int:
    columns = parse_columns(args.columns)
    project = project_ops.open_project(args.project)
    try:
        change = votes_ops.import_votes(
            project,
            args.file,
            columns=columns,
            multi=args.multi,
            separator=args.separator,
            questions_file=args.questions,
            sheet=args.sheet,
            actor=args.actor,
        )
    finally:
        project.close()
    for line in change.details["lines"]:
        print(line)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    project = project_ops.open_project(args.project, backup=False)
    try:
        rows = votes_ops.question_rows(project)
    finally:
        project.close()
    if args.json:
        data = [
            {
                "number": r.number,
                "question": r.question.text,
                "kind": r.question.kind,
                "options": list(r.question.options),
                "shape": r.question.shape,
                "themes": list(r.themes),
                "answered": r.answered,
                "missing": r.missing,
            }
            for r in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("No voting questions yet (ketqual votes import PROJECT FILE).")
    for r in rows:
        q = r.question
        answered = "unknown" if r.answered is None else r.answered
        linked = ", ".join(r.themes) or "no theme"
        print(f"{r.number:>3}. {q.text}  [{q.kind_label}; {answered} answered; {linked}]")
        print(f"       options: {'; '.join(q.options)}")
    return 0


def _groups(args, project) -> list[GroupSummary] | None:
    if not args.by:
        if args.participants:
            raise OperationError("--participants goes with --by COLUMN")
        return None
    if args.participants is None:
        raise OperationError(
            "--by needs --participants FILE (a csv/xlsx with one row per participant)"
        )
    values = votes_ops.read_participant_values(args.participants, args.by)
    chosen = args.questions or [
        str(i)
        for i, q in enumerate(votes_ops.list_questions(project), start=1)
        if q.shape != "tally"
    ]
    out: list[GroupSummary] = []
    for ref in chosen:
        out += votes_ops.breakdown_question(project, ref, values, denominator=args.denominator)
    return out


def cmd_table(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.output is None:
        raise OperationError("--format xlsx needs -o FILE.xlsx")
    project = project_ops.open_project(args.project, backup=False)
    try:
        groups = _groups(args, project)
        summaries = votes_ops.summarise_questions(
            project, args.questions or None, denominator=args.denominator
        )
        if not summaries:
            raise OperationError(
                "the project has no voting questions yet (import a voting sheet first)"
            )
        if args.output is not None and args.format != "table":
            about = [("Broken down by", args.by)] if args.by else []
            path = votes_ops.export_table(
                project,
                args.output,
                fmt=args.format,
                denominator=args.denominator,
                questions=args.questions or None,
                groups=groups,
                about=about,
                actor=args.actor,
                check=privacy_commands.check_options(project, args),
            )
            print(f"Wrote the votes table ({votes.DENOMINATOR_TEXT[args.denominator]}) to {path}")
            return 0
        if args.output is not None:  # the plain-text table, written to a file
            privacy_commands.check_in(
                project,
                args,
                what="votes table",
                payload=votes_files.contents(summaries, groups=groups),
                destination=args.output,
            )
    finally:
        project.close()
    rows = votes_files.rows_of(summaries, groups)
    if args.format == "json":
        text = votes_files.json_text(rows)
    elif args.format == "csv":
        text = votes_files.csv_text(rows)
    elif groups is not None:
        text = "\n".join(
            format_summary(g.summary, heading=f"{g.summary.question.text} — {args.by}: {g.value}")
            for g in groups
        )
    else:
        text = "\n".join(format_summary(s) for s in summaries)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote the votes table to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def format_summary(s: QuestionSummary, heading: str | None = None) -> str:
    """One question as an aligned plain-text table with its notes under it."""
    width = max([len(r.option) for r in s.rows] + [6])
    width = min(width, 48)
    lines = [
        f"{heading or s.question.text} ({s.question.kind_label})",
        f"  {s.caption()}",
        f"  {'Option':<{width}}  {'Count':>5}  {'n':>4}  {'%':>6}  95 % CI (Wilson)",
    ]
    for r in s.rows:
        option = r.option if len(r.option) <= width else r.option[: width - 1] + "…"
        n = "" if r.denominator is None else r.denominator
        pct = votes.percent_text(r.percent, 1).replace("\u00a0", " ")
        ci = votes.interval_text(r, 1).replace("\u00a0", " ")
        lines.append(f"  {option:<{width}}  {r.count:>5}  {n:>4}  {pct:>6}  {ci}")
    if s.missing:
        lines.append(f"  {'(no answer)':<{width}}  {s.missing:>5}")
    if s.mean is not None:
        lines.append(f"  Mean rating {s.mean:.2f}")
    for note in s.notes:
        lines += textwrap.wrap(
            note.replace("\u00a0", " "), 92, initial_indent="  Note: ", subsequent_indent="        "
        )
    return "\n".join(lines) + "\n"


def cmd_figure(args: argparse.Namespace) -> int:
    fmt = votes_ops.format_for(args.output, None, PICTURE_FORMATS)
    project = project_ops.open_project(args.project, backup=False)
    try:
        # Qt only when a picture is drawn: the other verbs never load it.
        from ketqual.render.votes.export import write_picture

        path = votes_ops.export_figure(
            project,
            args.questions,
            args.output,
            fmt=fmt,
            denominator=args.denominator,
            style=args.style,
            title=args.title,
            picture_writer=write_picture,
            actor=args.actor,
            check=privacy_commands.check_options(project, args),
        )
    finally:
        project.close()
    print(f"Wrote the figure to {path}")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    project = project_ops.open_project(args.project)
    try:
        for theme in args.theme:
            change = votes_ops.link_question(
                project, args.question, theme, unlink=args.unlink, actor=args.actor
            )
            print(change.summary)
    finally:
        project.close()
    return 0


def cmd_question(args: argparse.Namespace) -> int:
    project = project_ops.open_project(args.project)
    try:
        if args.delete:
            change = votes_ops.delete_question(project, args.question, actor=args.actor)
        else:
            rename = {}
            for pair in args.rename_option:
                old, sep, new = pair.partition("=")
                if not sep:
                    raise OperationError(f"--rename-option: use OLD=NEW, not '{pair}'")
                rename[old.strip()] = new.strip()
            order = [o.strip() for o in args.order.split(";") if o.strip()] if args.order else None
            if not any((args.text, args.kind, order, rename, args.position)):
                raise OperationError(
                    "say what to change: --text, --type, --order, --rename-option, --position or --delete"
                )
            change = votes_ops.edit_question(
                project,
                args.question,
                text=args.text,
                kind=args.kind,
                order=order,
                rename=rename,
                position=args.position,
                actor=args.actor,
            )
    finally:
        project.close()
    print(change.summary)
    return 0
