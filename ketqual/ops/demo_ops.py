"""Building the demo project from the bundled, fictional consultation-day corpus."""

from __future__ import annotations

from pathlib import Path

from ketqual.core import demo_meeting
from ketqual.core.demo_coding import plan_demo_codings
from ketqual.core.demo_third_coder import third_coder_codings
from ketqual.io import readers
from ketqual.ops import project_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.consensus import consensus_decisions, consensus_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.importing import import_ops
from ketqual.ops.resources import demo_dir
from ketqual.ops.team import coder_ops
from ketqual.store.database import ProjectStore


def demo_files() -> list[Path]:
    """The demo corpus files in import order (notes first, then feedback sheets)."""
    folder = demo_dir()
    importable = readers.SUPPORTED_DOCUMENT_EXTENSIONS + readers.SUPPORTED_TABLE_EXTENSIONS
    files = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() in importable and p.name.lower() != "readme.md"
    ]
    if not files:
        raise OperationError(f"the demo corpus is missing from {folder}")
    tables = [p for p in files if p.suffix.lower() in readers.SUPPORTED_TABLE_EXTENSIONS]
    return [p for p in files if p not in tables] + tables


def build_demo(
    target: str | Path, *, actor: str = "demo", meeting: bool = True, third_coder: bool = False
) -> tuple[ProjectStore, import_ops.ImportReport]:
    """Create a project at ``target`` with the default codebook, the demo corpus imported
    and two coders' codings; with ``meeting`` (the default) also a consensus meeting in
    progress (see :func:`hold_demo_meeting`), else the project stays blinded as the coders
    left it. With ``third_coder`` a third coder, "Coder C", codes the corpus too
    (:mod:`ketqual.core.demo_third_coder`); the meeting is still between A and B."""
    project = project_ops.new_project(target, name="Ketamine consultation day (demo)", actor=actor)
    report = import_ops.import_files(project, demo_files(), actor=actor)
    failed = [r for r in report.results if r.status != "imported"]
    if failed:
        raise OperationError(
            "the demo corpus did not import cleanly: " + "; ".join(r.line() for r in failed)
        )
    add_demo_coders(project, actor=actor, third_coder=third_coder)
    if meeting:
        hold_demo_meeting(project, actor=actor)
    return project, report


DEMO_SUPERVISOR = "Supervisor"


def add_demo_coders(
    project: ProjectStore, *, actor: str = "demo", third_coder: bool = False
) -> dict[str, int]:
    """Give the demo its coders' independent codings (and a supervisor to unblind).

    The codings come from ``resources/demo/codings.json``: one careful reading of the
    corpus, with each coder's believable departures from it written down; with
    ``third_coder`` also Coder C's, derived from the same reading with departures drawn
    deterministically. Returns the number of codings per coder name.
    """
    with project.read() as tx:
        documents = tx.documents.list()
        texts = {
            (d.meta.session, d.meta.group, d.meta.kind): tx.documents.text(d.id)
            for d in documents
            if d.meta.session is not None and d.meta.group is not None
        }
        ids = {(d.meta.session, d.meta.group, d.meta.kind): d.id for d in documents}
        codes = tx.codes.list()
    by_path = {codebook_ops.code_path(codes, c): c.id for c in codes}
    plan_file = demo_dir() / "codings.json"
    try:
        plan_json = plan_file.read_text(encoding="utf-8")
        planned = plan_demo_codings(plan_json, texts)
        if third_coder:
            planned += third_coder_codings(plan_json, texts, by_path)
    except (OSError, ValueError) as exc:
        raise OperationError(f"the demo codings in {plan_file} cannot be used: {exc}") from None
    counts: dict[str, int] = {}
    for name in sorted({p.coder for p in planned}):
        coder_id = coder_ops.add_coder(project, name, actor=actor).details["coder_id"]
        mine = [
            NewCoding(
                ids[(p.session, p.group, p.kind)], by_path[p.code_path], p.start, p.end, p.memo
            )
            for p in planned
            if p.coder == name
        ]
        change = coding_ops.add_codings(project, coder_id, mine, actor=actor)
        counts[name] = len(change.details["added"])
    coder_ops.add_coder(project, DEMO_SUPERVISOR, role="supervisor", actor=actor)
    return counts


DEMO_MEETING_REASON = (
    "Both coders have finished the first pass; unblinded for the consensus meeting."
)


def hold_demo_meeting(project: ProjectStore, *, actor: str = "demo") -> dict[str, int]:
    """Give the demo a consensus meeting in progress.

    The supervisor unblinds the project, starts the sentence-unit review of Coder A and
    Coder B (agreements go straight into the consensus layer) and decides most of the queue
    as :func:`ketqual.core.demo_meeting.plan_meeting` says: a few items deferred, the last
    ones left open for whoever tries the review screen. Returns the queue's status counts.
    """
    boss = coder_ops.find_coder(project, DEMO_SUPERVISOR)
    coder_ops.set_unblinded(
        project, by_coder_id=boss.id, unblinded=True, reason=DEMO_MEETING_REASON, actor=actor
    )
    change = consensus_ops.start_review(
        project, supervisor=boss.id, coder_a="Coder A", coder_b="Coder B", unit="sentence"
    )
    review_id = change.details["review_id"]
    items = consensus_ops.queue(project, review_id, statuses=(consensus_ops.OPEN,))
    with project.read() as tx:
        codes = tx.codes.list()
        consensus = tx.codings.list(consensus=True)
    steps = demo_meeting.plan_meeting(
        items,
        parents={c.id: c.parent_id for c in codes},
        names={c.id: c.name for c in codes},
        consensus=consensus,
    )
    for step in steps:
        if step.action == demo_meeting.DEFER:
            consensus_decisions.defer(
                project, step.disagreement_id, supervisor=boss.id, reason=step.reason
            )
        else:
            consensus_decisions.resolve(
                project,
                step.disagreement_id,
                step.action,
                supervisor=boss.id,
                reason=step.reason,
                dissent=step.dissent,
            )
    return consensus_ops.review_state(project, review_id).counts
