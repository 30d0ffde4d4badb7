"""CLI verb ``agreement``: compare two coders' (or a coder's and the consensus) codings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ketqual.cli import privacy_commands
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
        help="inter-coder agreement (kappa, alpha, AC1 ...) between two layers of codings",
        description="Compare two coders, or a coder and the consensus layer. Without -o, "
        "print the pooled figures; with -o FILE write the full report (json, csv, xlsx or "
        "html, from --format or the file's suffix). The project must be unblinded.",
    )
    p.add_argument("project")
    p.add_argument(
        "--coders",
        nargs=2,
        metavar=("A", "B"),
        help="the two layers: coder names or 'consensus' (default: the project's two coders)",
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
        default="cohen_kappa",
        choices=list(explain.STATISTICS),
        metavar="NAME",
        help="statistic of the code x document matrices in xlsx and html: "
        f"{', '.join(explain.STATISTICS)} (default: cohen_kappa)",
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
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_agreement)


def _default_coders(project) -> list[str]:
    coders = [c.name for c in coder_ops.list_coders(project) if c.role == "coder"]
    if len(coders) != 2:
        raise OperationError(
            f"the project has {len(coders)} coders; say which two to compare with --coders A B"
        )
    return coders


def cmd_agreement(args: argparse.Namespace) -> int:
    if args.output is None and args.format == "xlsx":
        raise OperationError("an xlsx report needs a file: add -o FILE.xlsx")
    if args.output is not None:
        try:
            agreement_export.format_for(args.output, args.format)
        except ValueError as exc:  # before the computation, not after it
            raise OperationError(str(exc)) from None
    project = project_ops.open_project(args.project)
    try:
        coder_a, coder_b = args.coders or _default_coders(project)
        result = agreement_ops.compute_agreement(
            project,
            coder_a=coder_a,
            coder_b=coder_b,
            level=args.level,
            units=args.units or UNIT_KINDS,
            unit_min_share=args.min_share,
            n_replicates=args.replicates,
            seed=args.seed,
            actor=args.actor,
        )
        if args.output is not None:
            path = agreement_ops.export_agreement(
                result,
                args.output,
                fmt=args.format,
                statistic=args.statistic,
                project=project,
                check=privacy_commands.check_options(project, args),
                actor=args.actor,
            )
    finally:
        project.close()
    if args.output is not None:
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
