"""CLI verb ``agreement``: compare two or more coders' (or the consensus layer's) codings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ketqual.core.agreement import explain
from ketqual.core.agreement.report_input import LEVELS, UNIT_KINDS
from ketqual.io import agreement_export
from ketqual.ops import project_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("give a share above 0 and at most 1, e.g. 0.5")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``agreement`` verb."""
    p = sub.add_parser(
        "agreement",
        help="inter-coder agreement (kappa, alpha, AC1 ...) between layers of codings",
        description="Compare two or more coders, or coders and the consensus layer. With "
        "three or more the report has Fleiss' and Light's kappa and every pair of coders. "
        "Without -o, print the pooled figures; with -o FILE write the full report (json, "
        "csv, xlsx or html, from --format or the file's suffix). The project must be "
        "unblinded.",
    )
    p.add_argument("project")
    p.add_argument(
        "--coders",
        nargs="+",
        metavar="NAME",
        help="the layers to compare: coder names or 'consensus', comma-separated "
        "(--coders A,B,C) or as separate words (--coders A B); default: every coder of "
        "the project",
    )
    p.add_argument("--level", choices=LEVELS, default="theme", help="default: theme")
    p.add_argument(
        "--unit",
        dest="units",
        action="append",
        choices=UNIT_KINDS,
        metavar="UNIT",
        help="character, sentence, paragraph or document; repeat for several (default: all four)",
    )
    p.add_argument(
        "--format",
        choices=agreement_export.FORMATS,
        help="default: from the suffix of -o; json, csv and html may also go to stdout",
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the full report")
    p.add_argument(
        "--statistic",
        choices=list(explain.STATISTICS),
        metavar="NAME",
        help="statistic of the code x document matrices in xlsx and html: "
        f"{', '.join(explain.STATISTICS)} (default: cohen_kappa for two coders, "
        "fleiss_kappa for more)",
    )
    p.add_argument(
        "--replicates", type=int, default=1000, metavar="N", help="bootstrap replicates (0: none)"
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="bootstrap seed (default: 0)")
    p.add_argument(
        "--min-share",
        type=_share,
        metavar="X",
        help="share of a sentence or paragraph that must be coded for it to count "
        "(default: any character)",
    )
    p.set_defaults(handler=cmd_agreement)


def _default_coders(project) -> list[str]:
    coders = [c.name for c in coder_ops.list_coders(project) if c.role == "coder"]
    if len(coders) < 2:
        raise OperationError(
            f"the project has {len(coders)} coder(s); agreement needs two or more "
            "(or a coder and the consensus: --coders NAME,consensus)"
        )
    return coders


def coder_list(words: list[str] | None) -> list[str] | None:
    """``["A,B", "C"]`` -> ``["A", "B", "C"]``; names keep their inner spaces.

    Raises:
        OperationError: For an empty name (two commas in a row) or fewer than two names.
    """
    if words is None:
        return None
    names = [part.strip() for word in words for part in word.split(",")]
    if any(not n for n in names):
        raise OperationError("--coders has an empty name; write --coders A,B or --coders A B")
    if len(names) < 2:
        raise OperationError("--coders needs at least two layers, e.g. --coders A,B")
    return names


def cmd_agreement(args: argparse.Namespace) -> int:
    if args.output is None and args.format == "xlsx":
        raise OperationError("an xlsx report needs a file: add -o FILE.xlsx")
    if args.output is not None:
        try:
            agreement_export.format_for(args.output, args.format)
        except ValueError as exc:  # before the computation, not after it
            raise OperationError(str(exc)) from None
    chosen = coder_list(args.coders)
    project = project_ops.open_project(args.project)
    try:
        result = agreement_ops.compute_agreement(
            project,
            coders=chosen or _default_coders(project),
            level=args.level,
            units=args.units or UNIT_KINDS,
            unit_min_share=args.min_share,
            n_replicates=args.replicates,
            seed=args.seed,
            actor=args.actor,
        )
    finally:
        project.close()
    if args.output is not None:
        path = agreement_ops.export_agreement(
            result, args.output, fmt=args.format, statistic=args.statistic
        )
        print(f"Wrote the agreement report to {path}")
    elif args.format:
        try:
            text = agreement_export.to_text(result, args.format, args.statistic)
        except ValueError as exc:
            raise OperationError(str(exc)) from None
        sys.stdout.write(text)
    else:
        sys.stdout.write(agreement_export.summary_text(result))
    return 0
