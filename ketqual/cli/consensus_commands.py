"""CLI verbs for the consensus meeting: review, disagreements, resolve, decisions,
codebook-decision and negotiated.

Deciding needs a supervisor: ``--supervisor NAME``, or the project's only supervisor when
there is exactly one. Reading needs the project to be unblinded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.cli import consensus_output as out
from ketqual.cli import privacy_commands
from ketqual.core import disagreements as dis
from ketqual.io import csv_files
from ketqual.ops.errors import OperationError

if TYPE_CHECKING:
    from ketqual.ops.consensus.consensus_ops import Edit, ReviewState

TAKE = {
    "a": dis.TAKE_A,
    "b": dis.TAKE_B,
    "both": dis.BOTH,
    "neither": dis.NEITHER,
    "edit": dis.EDIT,
}
SPAN_HELP = "Theme/Subtheme:START-END, e.g. 'Cost:120-180' (repeat for several)"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the consensus verbs."""
    supervisor_help = "who decides (default: the project's only supervisor)"

    p = sub.add_parser(
        "review",
        help="start or refresh the consensus review of two coders",
        description="Compare two coders' layers, store every disagreement as a queue for the "
        "meeting and (unless --no-auto-accept) put their agreements into the consensus layer. "
        "Run it again after the coders or the codebook changed: decisions already made are kept.",
    )
    p.add_argument("project")
    _coders_and_unit(p, default_unit="sentence")
    p.add_argument(
        "--no-auto-accept",
        dest="auto_accept",
        action="store_false",
        help="leave agreements out of the consensus layer (a new review only)",
    )
    p.add_argument(
        "--reason-required",
        metavar="LIST",
        help="resolutions that need a reason, e.g. take_a,take_b,both,neither,edit,defer "
        "('' for none; default both,neither,edit; a new review only)",
    )
    p.add_argument("--supervisor", metavar="NAME", help=supervisor_help)
    p.set_defaults(handler=cmd_review)

    p = sub.add_parser(
        "disagreements",
        help="list the disagreements of a consensus review",
        description="List the queue of the newest review matching --coders and --unit; when "
        "there is none yet, start one (that needs a supervisor).",
    )
    p.add_argument("project")
    _coders_and_unit(p, default_unit=None)
    p.add_argument(
        "--status",
        metavar="LIST",
        default="open,deferred,resolved",
        help=f"statuses to list: {','.join(dis.STATUSES)} (default: all but obsolete)",
    )
    p.add_argument(
        "--format", choices=out.QUEUE_FORMATS, help="default: from the suffix of -o, else table"
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    p.add_argument("--supervisor", metavar="NAME", help="who starts the review if there is none")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_disagreements)

    p = sub.add_parser(
        "resolve",
        help="decide a disagreement (take A, B, both, neither, an edit), defer it or undo",
        description="Decide one disagreement of the queue (its id from 'ketqual disagreements'). "
        "The decision goes into the consensus layer and, with its reason, into the decision log.",
    )
    p.add_argument("project")
    p.add_argument("id", type=int, help="the disagreement's id")
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument("--take", choices=tuple(TAKE), help="what goes into the consensus")
    action.add_argument("--defer", action="store_true", help="put it aside for later")
    action.add_argument("--undo", action="store_true", help="take back the decision in force")
    p.add_argument("--span", action="append", default=[], metavar="SPAN", help=SPAN_HELP)
    p.add_argument("--reason", default="", help="why; kept in the decision log")
    p.add_argument("--dissent", default="", help="a dissenting view, kept with the decision")
    p.add_argument("--supervisor", metavar="NAME", help=supervisor_help)
    p.set_defaults(handler=cmd_resolve)

    p = sub.add_parser("decisions", help="the consensus decision log (table, or -o csv/xlsx)")
    p.add_argument("project")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write FILE.csv or FILE.xlsx")
    privacy_commands.add_check_options(p)
    p.set_defaults(handler=cmd_decisions)

    p = sub.add_parser(
        "codebook-decision",
        help="change the codebook as the meeting decided (merge, rename, split, redefine)",
        description="Codes are given as Theme or Theme/Subtheme. The change and its reason go "
        "into the decision log, and every review is refreshed against the new codebook.",
    )
    p.add_argument("project")
    p.add_argument("action", choices=dis.CODEBOOK_ACTIONS)
    p.add_argument("code", help="Theme or Theme/Subtheme")
    p.add_argument("--into", metavar="CODE", help="merge: the code to merge into")
    p.add_argument("--name", help="rename: the new name; split: the new code's name")
    p.add_argument("--definition", help="redefine: the new definition")
    p.add_argument(
        "--codings", metavar="IDS", help="split: ids of codings that move to the new code"
    )
    p.add_argument("--reason", default="", help="why; required, kept in the decision log")
    p.add_argument("--supervisor", metavar="NAME", help=supervisor_help)
    p.set_defaults(handler=cmd_codebook_decision)

    p = sub.add_parser(
        "negotiated", help="agreement before the consensus meeting and after it (negotiated)"
    )
    p.add_argument("project")
    _coders_and_unit(p, default_unit=None)
    p.set_defaults(handler=cmd_negotiated)


def _coders_and_unit(p: argparse.ArgumentParser, default_unit: str | None) -> None:
    p.add_argument(
        "--coders",
        metavar="A,B",
        help='the two coders, e.g. "Coder A,Coder B" (default: the project\'s two coders)',
    )
    p.add_argument(
        "--unit",
        choices=dis.UNITS,
        default=default_unit,
        help="compare sentence units or exact characters"
        + (f" (default: {default_unit})" if default_unit else " (default: any)"),
    )


# --- Helpers ---------------------------------------------------------------------------


def _pair(text: str | None) -> tuple[str, str] | None:
    """``"Coder A,Coder B"`` as two names."""
    if text is None:
        return None
    names = [n.strip() for n in text.split(",")]
    if len(names) != 2 or not all(names):
        raise OperationError(
            f"--coders: give two names separated by a comma, e.g. \"Coder A,Coder B\" (not '{text}')"
        )
    return names[0], names[1]


def _two_coders(project) -> tuple[str, str]:
    from ketqual.ops.team import coder_ops

    coders = [c.name for c in coder_ops.list_coders(project) if c.role == "coder"]
    if len(coders) != 2:
        raise OperationError(
            f'the project has {len(coders)} coders; say which two with --coders "A,B"'
        )
    return coders[0], coders[1]


def chosen_supervisor(project, given: str | None) -> str:
    """The supervisor named, else the project's only one (refused with none or several)."""
    if given:
        return given
    from ketqual.ops.team import coder_ops

    bosses = [c.name for c in coder_ops.list_coders(project) if c.role == "supervisor"]
    if len(bosses) == 1:
        return bosses[0]
    if not bosses:
        raise OperationError(
            "the project has no supervisor; add one with "
            "'ketqual coder add PROJECT NAME --role supervisor', then give --supervisor NAME"
        )
    raise OperationError(
        f"the project has {len(bosses)} supervisors ({', '.join(bosses)}); "
        "say who decides with --supervisor NAME"
    )


def _names(values: str, allowed: tuple[str, ...], option: str) -> list[str]:
    names = [v.strip() for v in values.split(",") if v.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise OperationError(
            f"{option}: unknown {', '.join(unknown)} (choose from {', '.join(allowed)})"
        )
    return names


def _describe(state: ReviewState) -> str:
    return (
        f"Review {state.review.id}: {state.coder_a.name} and {state.coder_b.name}, "
        f"{state.review.unit} units"
    )


def _counts(state: ReviewState) -> str:
    return ", ".join(
        f"{n} {s}" for s in dis.STATUSES if (n := state.counts.get(s, 0)) or s == "open"
    )


def _find(project, args: argparse.Namespace) -> ReviewState | None:
    from ketqual.ops.consensus import consensus_ops

    coders = _pair(args.coders)
    return consensus_ops.find_review(
        project,
        coder_a=coders[0] if coders else None,
        coder_b=coders[1] if coders else None,
        unit=args.unit,
    )


def _write(path: Path, text: str, *, bom: bool = False) -> None:
    try:
        from ketqual.io.atomic import replacing

        with replacing(path) as temporary:
            encoding = csv_files.ENCODING if bom else "utf-8"
            temporary.write_text(text, encoding=encoding, newline="")
    except OSError as exc:
        raise OperationError(f"could not write {path}: {exc.strerror or exc}") from None


# --- Verbs -----------------------------------------------------------------------------


def cmd_review(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.consensus import consensus_ops

    required = None
    if args.reason_required is not None:
        allowed = (*dis.RESOLUTIONS, consensus_ops.DEFER)
        required = _names(args.reason_required, allowed, "--reason-required")
    with project_ops.open_project(args.project) as project:
        coder_a, coder_b = _pair(args.coders) or _two_coders(project)
        chair = chosen_supervisor(project, args.supervisor)
        existed = consensus_ops.find_review(
            project, coder_a=coder_a, coder_b=coder_b, unit=args.unit
        )
        change = consensus_ops.start_review(
            project,
            supervisor=chair,
            coder_a=coder_a,
            coder_b=coder_b,
            unit=args.unit,
            auto_accept=args.auto_accept,
            reason_required=required,
        )
        state = consensus_ops.review_state(project, change.details["review_id"])
    if existed is not None and (required is not None or not args.auto_accept):
        print(
            "ketqual: this review already existed, so its options stay as they were "
            "(--no-auto-accept and --reason-required apply to a new review)",
            file=sys.stderr,
        )
    d = change.details
    print(_describe(state) + (" (refreshed)" if existed else " (started)"))
    print(
        f"  {d['added']} new disagreements, {d['obsolete']} no longer differ, "
        f"{d['accepted']} agreements accepted into the consensus layer"
    )
    print(f"  progress: {state.progress_text()}; {_counts(state)}")
    return 0


def cmd_disagreements(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.consensus import disagreement_rows

    statuses = _names(args.status, dis.STATUSES, "--status")
    if not statuses:
        raise OperationError(f"--status: name at least one of {', '.join(dis.STATUSES)}")
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = {".json": "json", ".csv": "csv"}.get(args.output.suffix.lower(), "table")
    fmt = fmt or "table"
    project = project_ops.open_project(args.project, backup=False)
    try:
        state = _find(project, args)
        if state is None:
            # Starting a review writes to the project: take the usual backup first.
            project.close()
            project = project_ops.open_project(args.project)
            state = _start_for_listing(project, args)
        rows = disagreement_rows.queue_rows(project, state.review.id, statuses=statuses)
    finally:
        project.close()
    if fmt == "json":
        review = {
            "id": state.review.id,
            "coder_a": state.coder_a.name,
            "coder_b": state.coder_b.name,
            "unit": state.review.unit,
            "progress": state.progress_text(),
            "counts": {s: state.counts.get(s, 0) for s in dis.STATUSES},
        }
        text = out.queue_json(rows, review) + "\n"
    elif fmt == "csv":
        text = out.queue_csv(rows, "\n" if args.output is None else csv_files.LINE_END)
    else:
        text = out.queue_table(rows, f"{_describe(state)} · {state.progress_text()}")
    if args.output is None:
        sys.stdout.write(text)
    else:
        privacy_commands.check(
            args, what="disagreements", payload={"rows": rows}, destination=args.output
        )
        _write(args.output, text, bom=fmt == "csv")
        print(f"Wrote {len(rows)} disagreements to {args.output}")
    return 0


def _start_for_listing(project, args: argparse.Namespace) -> ReviewState:
    """No review matches: start one, and say so on stderr (stdout stays the listing)."""
    from ketqual.ops.consensus import consensus_ops

    coder_a, coder_b = _pair(args.coders) or _two_coders(project)
    chair = chosen_supervisor(project, args.supervisor)
    change = consensus_ops.start_review(
        project,
        supervisor=chair,
        coder_a=coder_a,
        coder_b=coder_b,
        unit=args.unit or "sentence",
    )
    state = consensus_ops.review_state(project, change.details["review_id"])
    print(
        f"ketqual: started {_describe(state).lower()} as {chair}: "
        f"{change.details['added']} disagreements; {change.details['accepted']} agreements "
        "went into the consensus layer",
        file=sys.stderr,
    )
    return state


def _edits(project, spans: list[str]) -> list[Edit]:
    """``--span`` values (``Theme/Subtheme:START-END``) as edits."""
    from ketqual.ops.codebook import codebook_ops
    from ketqual.ops.consensus.consensus_ops import Edit

    edits = []
    for text in spans:
        path, _, where = text.rpartition(":")
        start, dash, end = (part.strip() for part in where.partition("-"))
        if not path.strip() or not dash or not start.isdigit() or not end.isdigit():
            raise OperationError(
                f"--span: cannot read '{text}' (use Theme/Subtheme:START-END, e.g. 'Cost:120-180')"
            )
        code = codebook_ops.find_code(project, path.strip())
        edits.append(Edit(code.id, int(start), int(end)))
    return edits


def cmd_resolve(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.consensus import consensus_decisions, consensus_ops

    if args.span and args.take != "edit":
        raise OperationError("--span goes with --take edit")
    with project_ops.open_project(args.project) as project:
        chair = chosen_supervisor(project, args.supervisor)
        if args.undo:
            change = consensus_decisions.undo_decision(
                project, args.id, supervisor=chair, reason=args.reason
            )
        elif args.defer:
            change = consensus_decisions.defer(
                project, args.id, supervisor=chair, reason=args.reason
            )
        else:
            change = consensus_decisions.resolve(
                project,
                args.id,
                TAKE[args.take],
                supervisor=chair,
                reason=args.reason,
                dissent=args.dissent,
                edits=_edits(project, args.span),
            )
        item = consensus_ops.disagreement(project, args.id)
        state = consensus_ops.review_state(project, item.review_id)
    print(f"{change.summary} (decision {change.details['decision_id']}, by {chair})")
    print(f"  {_describe(state)}: {state.progress_text()}")
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.consensus import decision_log

    with project_ops.open_project(args.project, backup=False) as project:
        if args.output is not None:
            path = decision_log.export_decisions(
                project,
                args.output,
                check=privacy_commands.check_options(project, args),
                actor=args.actor,
            )
            count = len(decision_log.decisions(project))
            print(f"Wrote the decision log ({count} entries) to {path}")
            return 0
        rows = decision_log.decision_rows(project)
    sys.stdout.write(out.decisions_table(rows))
    return 0


def cmd_codebook_decision(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.codebook import codebook_ops
    from ketqual.ops.consensus import consensus_ops, decision_log

    coding_ids: tuple[int, ...] = ()
    if args.codings:
        try:
            coding_ids = tuple(int(v) for v in args.codings.split(",") if v.strip())
        except ValueError:
            raise OperationError(
                f"--codings: give coding ids like 12,15 (not '{args.codings}')"
            ) from None
    with project_ops.open_project(args.project) as project:
        chair = chosen_supervisor(project, args.supervisor)
        code = codebook_ops.find_code(project, args.code)
        target = codebook_ops.find_code(project, args.into).id if args.into else None
        change = decision_log.codebook_decision(
            project,
            args.action,
            supervisor=chair,
            reason=args.reason,
            code_id=code.id,
            target_id=target,
            name=args.name,
            definition=args.definition,
            coding_ids=coding_ids,
        )
        states = consensus_ops.reviews(project)
    print(f"{change.summary} (logged with its reason, by {chair})")
    for state in states:
        print(f"  {_describe(state)} refreshed: {state.progress_text()}")
    return 0


def cmd_negotiated(args: argparse.Namespace) -> int:
    from ketqual.ops import project_ops
    from ketqual.ops.consensus import decision_log

    with project_ops.open_project(args.project, backup=False) as project:
        state = _find(project, args)
        if state is None:
            raise OperationError(
                "no consensus review matches; start one with 'ketqual review PROJECT'"
            )
        figures = decision_log.negotiated_agreement(project, state.review.id)
    heading = (
        f"Negotiated agreement · {_describe(state)} · {state.progress_text()}\n"
        "Codes as they are (subthemes apart), pooled over codes; 'after' compares each "
        "coder with the consensus layer."
    )
    sys.stdout.write(out.negotiated_table(figures, heading))
    return 0
