"""Where a project stands in the workflow, for the Getting started guide (read-only)."""

from __future__ import annotations

from ketqual.core import guide
from ketqual.ops.consensus.consensus_ops import OBSOLETE, RESOLVED
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops, package_guard


def workflow_state(project: Project) -> guide.ProjectState:
    """Counts only (never another coder's content), so it is safe while blinded."""
    blinding = coder_ops.blinding(project)
    with project.read() as tx:
        documents = len(tx.documents.list())
        people = tx.coders.list()
        layers = tx.codings.count_by_layer()
        done = tx.status.done()
        reviews = tx.reviews.list()
        total = resolved = 0
        for review in reviews:
            counts = tx.disagreements.status_counts(review.id)
            total += sum(n for status, n in counts.items() if status != OBSOLETE)
            resolved += counts.get(RESOLVED, 0)
        in_package = package_guard.package_info(tx) is not None
    coders = tuple(
        guide.CoderProgress(
            c.name, layers.get(c.id, 0), sum(1 for _doc, coder in done if coder == c.id)
        )
        for c in people
        if c.role == "coder"
    )
    return guide.ProjectState(
        documents=documents,
        coders=coders,
        supervisors=sum(1 for c in people if c.role == "supervisor"),
        blinded=not blinding.unblinded,
        reviews=len(reviews),
        review_total=total,
        review_resolved=resolved,
        consensus_codings=layers.get(None, 0),
        in_package=in_package,
    )
