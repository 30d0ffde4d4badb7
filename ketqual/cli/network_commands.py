"""CLI verbs ``network`` and ``cooccurrence``: the theme-overlap figure and its table."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.cli import privacy_commands
from ketqual.core.network import MEASURE_LABELS, MEASURES, UNIT_NOUNS, UNITS
from ketqual.core.network_figure import ThemeChoice, format_value
from ketqual.core.records import CONSENSUS_LAYER
from ketqual.io import cooccurrence_files, network_files

if TYPE_CHECKING:
    from ketqual.ops.network.network_view import NetworkView

# The formats `network -o` writes: pictures (painted by ketqual.render) and graph files.
PICTURE_FORMATS = ("svg", "pdf", "png")
NETWORK_FORMATS = (*PICTURE_FORMATS, *network_files.FORMATS)


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("give a number of at least 0, e.g. 0.1 or 5")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of themes of at least 1")
    return value


def theme_choice(args: argparse.Namespace) -> ThemeChoice:
    """The themes asked for with ``--themes``, ``--top`` or ``--theme``."""
    if getattr(args, "top", None):
        return ThemeChoice("top", top=args.top)
    if getattr(args, "theme", None):
        return ThemeChoice("names", names=tuple(args.theme))
    if getattr(args, "themes", "all") == "with-edges":
        return ThemeChoice("edges")
    return ThemeChoice()


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument(
        "--layer",
        default=CONSENSUS_LAYER,
        metavar="NAME",
        help="whose codings: 'consensus' (default) or a coder's name",
    )
    p.add_argument(
        "--unit",
        choices=UNITS,
        default="passage",
        help="what n counts and where themes co-occur: the same coded passage (default), "
        "sentence unit, paragraph, or case (focus group)",
    )
    p.add_argument(
        "--measure",
        choices=MEASURES,
        default="c",
        help="edge weight: count (n12), jaccard, c (c-coefficient n12/(n1+n2-n12), default) "
        "or overlap (n12/min(n1,n2))",
    )
    p.add_argument(
        "--min-weight",
        type=_weight,
        metavar="X",
        help="threshold for candidate edges (default: 5 for count, 0.2 for overlap, "
        "0.05 for jaccard and c)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``network`` and ``cooccurrence`` verbs."""
    p = sub.add_parser(
        "network",
        help="the theme-overlap network (like the study's Fig. 1) as a picture or graph file",
        description="Draw one box per theme with its n and subthemes, and edges between "
        "themes that overlap. Uses the edges the analyst accepted in the app, or else the "
        "computed candidates above the threshold. Without -o, print n and the edges. The "
        "project must be unblinded.",
    )
    _common(p)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write .svg, .pdf, .png (300 dpi), .graphml, .gexf or .csv (edge list)",
    )
    p.add_argument("--format", choices=NETWORK_FORMATS, help="default: from -o")
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--themes",
        choices=("all", "with-edges"),
        default="all",
        help="which themes get a box: all (default) or only those joined by an edge",
    )
    which.add_argument(
        "--top", type=_count, metavar="N", help="only the N themes with the largest n"
    )
    which.add_argument(
        "--theme",
        action="append",
        metavar="NAME",
        help="only this theme (repeat for several)",
    )
    p.add_argument("--title", help="the figure's title")
    p.add_argument("--no-labels", action="store_true", help="no values on the edges")
    p.add_argument(
        "--no-arrows", action="store_true", help="plain lines instead of double-headed arrows"
    )
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_network)

    p = sub.add_parser(
        "cooccurrence",
        help="theme x theme co-occurrence table (counts and a measure) as CSV or xlsx",
        description="Write n12 and the chosen measure for every pair of themes: CSV with "
        "one row per pair, or an Excel workbook with the matrices.",
    )
    _common(p)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", required=True, help=".csv or .xlsx")
    p.add_argument("--format", choices=cooccurrence_files.FORMATS, help="default: from -o")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_cooccurrence)


def _compute(args: argparse.Namespace, project, **extra) -> NetworkView:
    from ketqual.ops.network import network_ops

    return network_ops.compute_network(
        project,
        layer=args.layer,
        unit=args.unit,
        measure=args.measure,
        min_weight=args.min_weight,
        **extra,
    )


def cmd_network(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.network import network_ops

    if args.output is not None:  # refuse a bad file name before computing anything
        fmt = network_ops.format_for(args.output, args.format, network_ops.NETWORK_FORMATS)
    project = project_ops.open_project(args.project)
    try:
        view = _compute(
            args,
            project,
            title=args.title,
            labels=not args.no_labels,
            arrowheads=not args.no_arrows,
            themes=theme_choice(args),
        )
        if args.output is None:
            print_network(view)
            return 0
        note = writer = layout = None
        if fmt != "csv":
            # Qt only for a picture or a graph file with the figure's places: the other
            # verbs never load it.
            from ketqual.render.network.export import figure_note, figure_places, write_picture

            writer, layout = write_picture, figure_places
            if fmt in network_ops.PICTURE_FORMATS:
                note = figure_note(view.figure)
        path = network_ops.export_network(
            project,
            view,
            args.output,
            fmt=fmt,
            picture_writer=writer,
            layout=layout,
            actor=args.actor,
            check=privacy_commands.check_options(project, args),
        )
    finally:
        project.close()
    edges = "accepted edges" if view.basis == "accepted" else "candidate edges"
    themes = f"{len(view.themes)} of {len(view.result.themes)} themes"
    print(f"Wrote the network ({themes}, {len(view.shown)} {edges}, {view.layer_label}) to {path}")
    if note:
        print(f"ketqual: note: {note}", file=sys.stderr)
    return 0


def cmd_cooccurrence(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.network import network_ops

    fmt = network_ops.format_for(args.output, args.format, network_ops.TABLE_FORMATS)
    project = project_ops.open_project(args.project)
    try:
        view = _compute(args, project)
        path = network_ops.export_cooccurrence(
            project,
            view,
            args.output,
            fmt=fmt,
            actor=args.actor,
            check=privacy_commands.check_options(project, args),
        )
    finally:
        project.close()
    print(f"Wrote the co-occurrence table ({view.layer_label}, unit {view.unit}) to {path}")
    return 0


def print_network(view: NetworkView) -> None:
    """n per theme and subtheme, then the edges, as plain text."""
    print(f"{view.title}: {view.layer_label}, n = {UNIT_NOUNS[view.unit][1]}")
    shown = set(view.themes)
    for theme in view.result.themes:
        if theme.code_id not in shown:
            continue
        print(f"  {theme.n:>6}  {theme.name}")
        for sub in theme.subthemes:
            print(f"  {sub.n:>6}      {sub.name}")
    label = MEASURE_LABELS[view.measure]
    threshold = format_value(view.measure, view.min_weight)
    print(f"\nEdges ({label}, threshold {threshold}; * = drawn in the figure):")
    if not view.edges:
        print("  none above the threshold")
    drawn = {(e.source, e.target) for e in view.shown}
    for edge in view.edges:
        mark = "*" if (edge.source, edge.target) in drawn else " "
        value = format_value(view.measure, edge.value) or "-"
        arrow = "→" if edge.directed else "–"
        print(
            f"  {mark} {value:>6}  n12={edge.n12:<4} {view.name(edge.source)} {arrow} "
            f"{view.name(edge.target)}  [{edge.state}]"
        )
    for note in view.result.notes:
        print(f"note: {note}")
