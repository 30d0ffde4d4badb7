"""CLI verbs for retrieval and attributes: ``passages``, ``crosstab``, ``report``, ``star``,
``attributes`` and ``cases``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.cli import privacy_commands
from ketqual.cli.lazy import lazy_module
from ketqual.core.attributes import TYPES
from ketqual.core.records import CASE_UNITS
from ketqual.core.records import CONSENSUS_LAYER as CONSENSUS
from ketqual.core.retrieval_crosstab import COUNTS, CROSSTAB_ROWS
from ketqual.io import crosstab_export, passages_export
from ketqual.ops.errors import OperationError

# The operations load when a verb runs, not when the command line is built.
if TYPE_CHECKING:  # the real modules for the type checker; loaded on first use
    from ketqual.ops import project_ops, queries
    from ketqual.ops.attributes import attribute_ops, case_ops
    from ketqual.ops.retrieval import crosstab_ops, passage_ops, report_ops, star_ops
else:
    project_ops = lazy_module("ketqual.ops.project_ops")
    queries = lazy_module("ketqual.ops.queries")
    attribute_ops = lazy_module("ketqual.ops.attributes.attribute_ops")
    case_ops = lazy_module("ketqual.ops.attributes.case_ops")
    crosstab_ops = lazy_module("ketqual.ops.retrieval.crosstab_ops")
    passage_ops = lazy_module("ketqual.ops.retrieval.passage_ops")
    report_ops = lazy_module("ketqual.ops.retrieval.report_ops")
    star_ops = lazy_module("ketqual.ops.retrieval.star_ops")

PASSAGE_FORMATS = ("table", *passages_export.FORMATS)
CROSSTAB_FORMATS = ("table", *crosstab_export.FORMATS)
# What users type for the targets of attributes.
TARGET_WORDS = {
    "participants": "participant",
    "participant": "participant",
    "documents": "document",
    "document": "document",
    "focus-groups": "case",
    "focus_groups": "case",
    "groups": "case",
    "cases": "case",
    "case": "case",
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the retrieval and attribute verbs."""
    p = sub.add_parser(
        "passages",
        help="every coded passage of one or more codes, combined and filtered",
        description="List coded passages: maximal runs of text coded at the chosen codes "
        "(a theme brings its subthemes), as the theme-overlap network counts them. "
        "Combine with --and (overlapping B), --not (never overlapping B) or --near (B within "
        "N sentences); filter with --where ATTRIBUTE=VALUE (session, group, kind, document, "
        "case, or any attribute; repeat to narrow) and --contains TEXT.",
    )
    p.add_argument("project")
    p.add_argument(
        "--code",
        dest="codes",
        action="append",
        required=True,
        metavar="CODE",
        help="Theme or Theme/Subtheme (repeat for several: their passages merge)",
    )
    p.add_argument(
        "--without-subthemes",
        action="store_true",
        help="a theme counts only codings at the theme itself",
    )
    _layer_option(p)
    combine = p.add_mutually_exclusive_group()
    combine.add_argument(
        "--and",
        dest="and_codes",
        action="append",
        metavar="CODE",
        help="only passages also coded CODE (overlapping)",
    )
    combine.add_argument(
        "--not",
        dest="not_codes",
        action="append",
        metavar="CODE",
        help="only passages not overlapping CODE",
    )
    combine.add_argument(
        "--near",
        dest="near_codes",
        action="append",
        metavar="CODE",
        help="only passages with CODE within --within sentences",
    )
    p.add_argument(
        "--within",
        type=int,
        default=1,
        metavar="N",
        help="sentences apart for --near (default 1; 0 = the same sentence)",
    )
    _where_option(p)
    p.add_argument("--contains", default="", metavar="TEXT", help="only passages containing TEXT")
    p.add_argument(
        "--context",
        type=int,
        default=160,
        metavar="CHARS",
        help="characters of context either side (default 160)",
    )
    p.add_argument("--format", choices=PASSAGE_FORMATS, default="table", help="default: table")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (needed for xlsx and docx; else standard output)",
    )
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_passages)

    p = sub.add_parser(
        "crosstab",
        help="themes or subthemes by the values of an attribute",
        description="Count coded passages, cases or participants per theme (or subtheme) and "
        "value of an attribute: session, group, kind, document, case, or any attribute of "
        "focus groups, documents or participants (write participant.role if names clash).",
    )
    p.add_argument("project")
    p.add_argument("--rows", choices=CROSSTAB_ROWS, default="themes", help="default: themes")
    p.add_argument("--columns", required=True, metavar="ATTRIBUTE", help="the attribute")
    p.add_argument("--count", choices=COUNTS, default="passages", help="default: passages")
    _layer_option(p)
    _where_option(p)
    p.add_argument("--format", choices=CROSSTAB_FORMATS, default="table", help="default: table")
    p.add_argument(
        "--percent",
        choices=("row", "column"),
        help="with --format table: show row or column percentages",
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_crosstab)

    p = sub.add_parser(
        "report",
        help="the theme report (docx or HTML): n, groups, subthemes, overlaps, starred quotes",
        description="Per theme in codebook order: definition, n (as the network figure), the "
        "sessions and focus groups that raised it, subthemes with n, overlapping themes and "
        "the quotes a supervisor starred. Structured material, no generated prose.",
    )
    p.add_argument("project")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.docx|FILE.html")
    _layer_option(p)
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("star", help="star quotes for the theme report (by reference id)")
    p.add_argument("project")
    p.add_argument("refs", nargs="+", metavar="REF", help="reference ids such as S1G2-N-412-530")
    p.add_argument("--code", required=True, help="the theme or subtheme the quote illustrates")
    p.add_argument("--remove", action="store_true", help="take the stars away")
    p.add_argument("--supervisor", help="who stars (default: the project's only supervisor)")
    p.set_defaults(handler=cmd_star)

    p = sub.add_parser(
        "attributes",
        help="attributes of participants, documents and focus groups",
        description="Typed attributes (text, number, date, yes/no, a fixed list). A "
        "participant's attributes apply to the passages that name them (see 'mentions').",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="the attributes and every value")
    q.add_argument("project")
    _of_option(q)
    q.add_argument("--json", action="store_true", help="as JSON")
    q.set_defaults(handler=cmd_attributes)
    q = actions.add_parser("define", help="add an attribute")
    q.add_argument("project")
    q.add_argument("name")
    _of_option(q)
    q.add_argument("--type", choices=TYPES, default="text", help="default: text")
    q.add_argument("--choices", default="", help="the values of a fixed list, comma-separated")
    q.set_defaults(handler=cmd_attributes)
    q = actions.add_parser("set", help="set values: SUBJECT NAME=VALUE ... (empty clears)")
    q.add_argument("project")
    q.add_argument("subject", help="a participant label (P14), document id or focus group name")
    q.add_argument("values", nargs="+", metavar="NAME=VALUE")
    _of_option(q)
    q.set_defaults(handler=cmd_attributes)
    q = actions.add_parser("import", help="read a CSV or xlsx table (one row per subject)")
    q.add_argument("project")
    q.add_argument("file", type=Path)
    _of_option(q)
    q.set_defaults(handler=cmd_attributes)
    q = actions.add_parser("export", help="write a CSV or xlsx table (one row per subject)")
    q.add_argument("project")
    q.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    _of_option(q)
    privacy_commands.add_check_options(q)
    q.set_defaults(handler=cmd_attributes)
    q = actions.add_parser("mentions", help="the paragraphs that belong to a participant")
    q.add_argument("project")
    q.add_argument("participant")
    q.set_defaults(handler=cmd_attributes)

    p = sub.add_parser(
        "cases",
        help="show or choose what a case is: focus group, document or participant",
        description="Framework-matrix rows, crosstab case counts and per-theme case counts "
        "follow the choice.",
    )
    p.add_argument("project")
    p.add_argument("--unit", choices=CASE_UNITS, help="make this the case unit")
    p.set_defaults(handler=cmd_cases)


def _layer_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--layer",
        default=CONSENSUS,
        metavar="NAME",
        help="a coder's name or 'consensus' (default: consensus)",
    )


def _where_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="ATTR=VALUE",
        help="keep passages with this value (repeat; one attribute's values are alternatives)",
    )


def _of_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--of",
        default="participants",
        choices=sorted(TARGET_WORDS),
        metavar="participants|documents|focus-groups",
        help="whose attributes (default: participants)",
    )


def _viewer(args: argparse.Namespace) -> str | None:
    """Who asks: --as, else the coder whose layer it is."""
    if args.actor:
        return args.actor
    return None if args.layer.strip().casefold() == CONSENSUS else args.layer


def _note(message: str) -> None:
    print(f"ketqual: note: {message}", file=sys.stderr)


def cmd_passages(args: argparse.Namespace) -> int:
    operator, other = None, ()
    for name in ("and", "not", "near"):
        codes = getattr(args, f"{name}_codes")
        if codes:
            operator, other = name, tuple(codes)
    query = passage_ops.PassageQuery(
        codes=tuple(args.codes),
        include_subthemes=not args.without_subthemes,
        layer=args.layer,
        operator=operator,
        other=other,
        within=args.within,
        where=passage_ops.parse_where(args.where),
        contains=args.contains,
        context=args.context,
    )
    if args.format in ("xlsx", "docx") and args.output is None:
        raise OperationError(f"--format {args.format} needs -o FILE")
    with project_ops.open_project(args.project, backup=False) as project:
        result = passage_ops.find_passages(project, query, viewer=_viewer(args))
        if args.output is not None and args.format != "table":
            change = passage_ops.export_passages(
                project,
                result,
                args.output,
                fmt=args.format,
                actor=args.actor or _viewer(args),
                check=privacy_commands.check_options(project, args),
            )
            print(f"Wrote {len(result.passages)} coded passages to {change.details['path']}")
            if result.message:
                _note(result.message)
            return 0
        if args.output is not None:  # the plain-text listing, written to a file
            privacy_commands.check_in(
                project,
                args,
                what="list of coded passages",
                payload=passage_ops.export_contents(result),
                destination=args.output,
            )
    if result.message:
        _note(result.message)
    if args.format == "json":
        text = passage_ops.json_text(result)
    elif args.format == "csv":
        text = _csv_text(result)
    elif args.format == "table":
        text = _passage_table(result)
    else:
        raise OperationError(f"--format {args.format} needs -o FILE")
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {len(result.passages)} coded passages to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _csv_text(result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(passages_export.CSV_COLUMNS)
    for p in result.passages:
        writer.writerow(passages_export.row_values(p, result.layer))
    return buffer.getvalue()


def _passage_table(result) -> str:
    lines = [result.title(), ""]
    for p in result.passages:
        star = " ★" if p.starred else ""
        people = f"  [{', '.join(p.participants)}]" if p.participants else ""
        lines.append(f"{p.ref}  {p.case or p.document}{people}{star}")
        lines.append(f"  codes: {'; '.join(p.codes)}")
        lines += textwrap.wrap(
            " ".join(p.text.split()), 92, initial_indent="  “", subsequent_indent="   "
        )
        lines[-1] += "”"
        for memo in p.memos:
            lines += textwrap.wrap(
                memo, 92, initial_indent="  memo: ", subsequent_indent="        "
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def cmd_crosstab(args: argparse.Namespace) -> int:
    with project_ops.open_project(args.project, backup=False) as project:
        view = crosstab_ops.compute_crosstab(
            project,
            rows=args.rows,
            columns=args.columns,
            count=args.count,
            layer=args.layer,
            viewer=_viewer(args),
            where=passage_ops.parse_where(args.where),
        )
        if args.output is not None and args.format != "table":
            change = crosstab_ops.export_crosstab(
                project,
                view,
                args.output,
                fmt=args.format,
                actor=args.actor or _viewer(args),
                check=privacy_commands.check_options(project, args),
            )
            print(f"Wrote the crosstab to {change.details['path']}")
            return 0
        if args.output is not None:  # the plain-text table, written to a file
            privacy_commands.check_in(
                project, args, what="crosstab", payload=view.data(), destination=args.output
            )
    if not view.table.total:
        _note("no coded passage matches; every cell is 0")
    if args.format == "json":
        text = json.dumps(view.data(), ensure_ascii=False, indent=1) + "\n"
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(crosstab_export.CSV_COLUMNS)
        for row in crosstab_export.tidy_rows(view.table):
            writer.writerow(["" if v is None else v for v in row])
        text = buffer.getvalue()
    elif args.format == "table":
        text = _crosstab_table(view, args.percent)
    else:
        raise OperationError("--format xlsx needs -o FILE")
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote the crosstab to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _crosstab_table(view, percent: str | None) -> str:
    table = view.table
    width = max([len(r.label) for r in table.rows] + [20])
    width = min(width, 48)
    heads = [*table.columns, "Total"]
    cols = [max(7, min(len(h), 18)) for h in heads]
    lines = [view.header + (f" ({percent} %)" if percent else "") + f"; layer: {view.layer_label}"]
    if view.conditions:
        lines.append("Filters: " + "; ".join(view.conditions))
    lines.append("")
    lines.append(
        " " * width + "  " + "  ".join(h[:c].rjust(c) for h, c in zip(heads, cols, strict=True))
    )
    for i, row in enumerate(table.rows):
        cells = []
        for j in range(len(table.columns)):
            if percent == "row":
                value = table.row_percent(i, j)
            elif percent == "column":
                value = table.column_percent(i, j)
            else:
                value = table.cells[i][j]
            cells.append("" if value is None else (f"{value:.1f}" if percent else str(value)))
        cells.append(str(table.row_totals[i]))
        label = row.label if len(row.label) <= width else row.label[: width - 1] + "…"
        lines.append(
            label.ljust(width)
            + "  "
            + "  ".join(v.rjust(c) for v, c in zip(cells, cols, strict=True))
        )
    totals = [str(v) for v in table.column_totals] + [str(table.total)]
    lines.append(
        "Total".ljust(width)
        + "  "
        + "  ".join(v.rjust(c) for v, c in zip(totals, cols, strict=True))
    )
    for note in table.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines) + "\n"


def cmd_report(args: argparse.Namespace) -> int:
    with project_ops.open_project(args.project, backup=False) as project:
        change = report_ops.export_theme_report(
            project,
            args.output,
            layer=args.layer,
            viewer=_viewer(args),
            actor=args.actor,
            check=privacy_commands.check_options(project, args),
        )
    print(f"Wrote the theme report to {change.details['path']}")
    return 0


def cmd_star(args: argparse.Namespace) -> int:
    with project_ops.open_project(args.project, backup=False) as project:
        changes = star_ops.star_refs(
            project, args.refs, args.code, starred=not args.remove, by=args.supervisor
        )
    for change in changes:
        print(change.summary)
    return 0


def _target(args: argparse.Namespace) -> str:
    return TARGET_WORDS[args.of]


def cmd_attributes(args: argparse.Namespace) -> int:
    with project_ops.open_project(
        args.project, backup=args.action in ("import", "set", "define")
    ) as project:
        if args.action == "list":
            return _list_attributes(project, _target(args), args.json)
        if args.action == "define":
            choices = [c.strip() for c in args.choices.split(",") if c.strip()]
            change = attribute_ops.define_attribute(
                project, _target(args), args.name, args.type, choices, actor=args.actor
            )
        elif args.action == "set":
            _set_values(project, _target(args), args.subject, args.values, args.actor)
            return 0
        elif args.action == "import":
            change = attribute_ops.import_attributes(
                project, _target(args), args.file, actor=args.actor
            )
        elif args.action == "export":
            change = attribute_ops.export_attributes(
                project,
                _target(args),
                args.output,
                actor=args.actor,
                check=privacy_commands.check_options(project, args),
            )
        else:
            mentions = attribute_ops.participant_mentions(project, args.participant)
            if not mentions:
                _note(f"no document names {args.participant}")
            for m in mentions:
                print(f"{m.ref}  {m.document}")
                print(textwrap.fill(m.text, 92, initial_indent="  ", subsequent_indent="  "))
            return 0
    print(change.summary)
    return 0


def _list_attributes(project, target: str, as_json: bool) -> int:
    table = attribute_ops.attribute_table(project, target)
    if as_json:
        data = {
            "target": target,
            "attributes": [
                {"name": a.name, "type": a.type, "choices": list(a.choices)}
                for a in table.attributes
            ],
            "subjects": [
                {
                    "subject": s.label,
                    "values": {a.name: table.value(s.key, a.id) for a in table.attributes},
                }
                for s in table.subjects
            ],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return 0
    for a in table.attributes:
        extra = f": {', '.join(a.choices)}" if a.choices else ""
        print(f"{a.name} ({a.type_label}{extra})")
    if not table.attributes:
        print("no attributes yet")
    print()
    for s in table.subjects:
        values = "; ".join(
            f"{a.name} = {table.value(s.key, a.id)}"
            for a in table.attributes
            if table.value(s.key, a.id)
        )
        print(f"{s.label:<24} {values}")
    return 0


def _set_values(project, target: str, subject: str, pairs: list[str], actor) -> None:
    if target == "document":
        if not subject.isdigit():
            raise OperationError("a document is named by its id (see 'ketqual info')")
        key: int | str = int(subject)
    elif target == "case":
        found = [c for c in queries.list_cases(project) if c.name.casefold() == subject.casefold()]
        if not found:
            raise OperationError(f"no focus group called '{subject}'")
        key = found[0].id
    else:
        key = subject
    by_name = {a.name.casefold(): a for a in attribute_ops.list_attributes(project, target)}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise OperationError(f"write NAME=VALUE (an empty VALUE clears it), not '{pair}'")
        definition = by_name.get(" ".join(name.split()).casefold())
        if definition is None:
            raise OperationError(
                f"no attribute called '{name.strip()}' (define it first: ketqual attributes define)"
            )
        change = attribute_ops.set_value(project, definition.id, key, value, actor=actor)
        print(change.summary)


def cmd_cases(args: argparse.Namespace) -> int:
    with project_ops.open_project(args.project, backup=args.unit is not None) as project:
        if args.unit:
            change = case_ops.set_case_unit(project, args.unit, actor=args.actor)
            print(change.summary)
            return 0
        unit = case_ops.case_unit(project)
    print(f"A case is a {case_ops.UNIT_LABELS[unit]}.")
    return 0
