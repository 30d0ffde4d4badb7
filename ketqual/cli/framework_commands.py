"""CLI verbs ``matrix`` (framework matrices to xlsx, docx or CSV) and ``counts`` (coded
passages per theme and subtheme)."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from ketqual.core.framework_report import count_rows, layer_phrase
from ketqual.io import csv_files, matrix_export
from ketqual.ops import project_ops
from ketqual.ops.framework import framework_ops

COUNT_FORMATS = ("table", "csv", "json")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``matrix`` and ``counts`` verbs."""
    p = sub.add_parser(
        "matrix",
        help="framework matrices (one per theme) as xlsx, docx or a folder of CSV files",
        description="Write the framework matrices: rows are focus groups, columns a theme's "
        "subthemes plus its theme-level codings, cells the analyst's summaries (or the "
        "passages still to summarise). FILE.xlsx gets README, codebook, quotes and counts "
        "sheets; FILE.docx a landscape table per theme; a folder one CSV per theme. "
        "The consensus layer needs an unblinded project.",
    )
    p.add_argument("project")
    p.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE|DIR", help="where to write"
    )
    _layer_option(p)
    p.add_argument(
        "--theme",
        dest="themes",
        action="append",
        metavar="NAME",
        help="only this theme (name or id); repeat for several (default: every theme)",
    )
    p.add_argument(
        "--format",
        choices=matrix_export.FORMATS,
        help="default: from the suffix of -o (none: a folder of CSV files)",
    )
    p.set_defaults(handler=cmd_matrix)

    p = sub.add_parser(
        "counts",
        help="coded passages, documents and focus groups per theme and subtheme",
        description="Count coded passages (maximal runs of text coded at a code; overlapping "
        "or touching codings count once; a theme includes its subthemes) per theme and "
        "subtheme, with the documents and focus groups they occur in.",
    )
    p.add_argument("project")
    _layer_option(p)
    p.add_argument("--format", choices=COUNT_FORMATS, default="table", help="default: table")
    p.set_defaults(handler=cmd_counts)


def _layer_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--layer",
        default=framework_ops.CONSENSUS,
        metavar="NAME",
        help="a coder's name or 'consensus' (default: consensus)",
    )


def _viewer(args: argparse.Namespace) -> str | None:
    """Who asks: --as, else the coder whose layer it is (as for `codings export`)."""
    if args.actor:
        return args.actor
    return None if args.layer.strip().casefold() == framework_ops.CONSENSUS else args.layer


def cmd_matrix(args: argparse.Namespace) -> int:
    project = project_ops.open_project(args.project)
    try:
        change = framework_ops.export_matrices(
            project,
            args.output,
            fmt=args.format,
            layer=args.layer,
            themes=args.themes,
            viewer=_viewer(args),
            actor=args.actor,
        )
    finally:
        project.close()
    print(f"Wrote the framework matrices to {change.details['path']}")
    if not change.details["passages"]:
        print(f"ketqual: note: the {args.layer} layer has no codings yet", file=sys.stderr)
    return 0


def cmd_counts(args: argparse.Namespace) -> int:
    project = project_ops.open_project(args.project)
    try:
        counts, names = framework_ops.count_themes(project, layer=args.layer, viewer=_viewer(args))
    finally:
        project.close()
    rows = count_rows(counts, names)
    if not any(r.passages for r in counts.rows):
        print(f"ketqual: note: the {args.layer} layer has no codings yet", file=sys.stderr)
    layer = "consensus" if args.layer.strip().casefold() == "consensus" else args.layer
    if args.format == "json":
        data = {
            "layer": layer,
            "unit": counts.unit,
            "definition": counts.definition,
            "total_documents": counts.total_documents,
            "total_cases": counts.total_cases,
            "rows": rows,
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        columns = ["unit", *rows[0]] if rows else ["unit"]
        writer = csv_files.SafeWriter(sys.stdout, "\n")  # the terminal: no BOM
        writer.writerow(columns)
        for row in rows:
            writer.writerow([counts.unit, *("" if v is None else v for v in row.values())])
    else:
        sys.stdout.write(_table(rows, counts, layer))
    return 0


def _table(rows: list[dict], counts, layer: str) -> str:
    """The counts as an aligned plain-text table."""
    lines = [
        f"Counts from {layer_phrase(layer)}; unit: {counts.unit}",
        "",
        f"{'Theme / subtheme':<48} {'Passages':>8} {'Theme-level':>11} "
        f"{'Documents':>11} {'Focus groups':>13}",
    ]
    for r in rows:
        name = r["theme"] if r["level"] == "theme" else "  " + r["subtheme"]
        name = name if len(name) <= 48 else name[:47] + "…"
        at_theme = "" if r["theme_level_passages"] is None else r["theme_level_passages"]
        lines.append(
            f"{name:<48} {r['passages']:>8} {at_theme:>11} "
            f"{str(r['documents']) + ' of ' + str(counts.total_documents):>11} "
            f"{str(r['cases']) + ' of ' + str(counts.total_cases):>13}"
        )
    lines += ["", *textwrap.wrap(counts.definition, 92)]
    lines.append("Theme-level: passages coded at the theme itself (its matrix's 'Other' column).")
    return "\n".join(lines) + "\n"
