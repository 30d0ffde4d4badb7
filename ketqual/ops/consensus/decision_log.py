"""The decision log as the study's audit trail: codebook decisions made in the meeting,
reading and exporting the log, and agreement before and after consensus.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ketqual import __version__
from ketqual.core import disagreements as dis
from ketqual.core.records import DecisionRecord
from ketqual.io import decisions_export
from ketqual.ops.changes import Area, Change
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.consensus import consensus_ops
from ketqual.ops.consensus.consensus_decisions import clean_note
from ketqual.ops.consensus.consensus_ops import RESOLUTION_LABELS, check_chair, check_reader
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore

CODEBOOK_ACTIONS = dis.CODEBOOK_ACTIONS
ACTION_LABELS = {
    **RESOLUTION_LABELS,
    "auto_accept": "Agreements accepted",
    "codebook.merge": "Codebook: merge",
    "codebook.rename": "Codebook: rename",
    "codebook.split": "Codebook: split",
    "codebook.redefine": "Codebook: redefine",
}


def codebook_decision(
    project: ProjectStore,
    action: str,
    *,
    supervisor: str | int,
    reason: str,
    code_id: int,
    target_id: int | None = None,
    name: str | None = None,
    definition: str | None = None,
    coding_ids: tuple[int, ...] = (),
    review_id: int | None = None,
) -> Change:
    """Change the codebook as the meeting decided, and log it with its reason.

    ``merge`` moves ``code_id`` into ``target_id`` (its codings in every layer follow);
    ``rename`` gives it ``name``; ``split`` creates a sibling ``name`` that takes
    ``coding_ids``; ``redefine`` sets its ``definition``. The codebook gets a new version;
    every review is then refreshed so the queue reflects the new codebook.
    """
    if action not in CODEBOOK_ACTIONS:
        raise OperationError(f"codebook decisions are {', '.join(CODEBOOK_ACTIONS)}")
    reason = clean_note(reason, "reason")
    if not reason:
        raise OperationError("give a reason for a codebook decision; it goes into the log")
    with project.read() as tx:  # refuse before anything changes
        chair = check_chair(tx, supervisor)
    actor = chair.name
    if action == "merge":
        if target_id is None:
            raise OperationError("a merge needs the code to merge into")
        change = codebook_ops.merge_codes(project, code_id, target_id, actor=actor)
    elif action == "rename":
        change = codebook_ops.rename_code(project, code_id, name or "", actor=actor)
    elif action == "split":
        change = codebook_ops.split_code(
            project, code_id, name or "", coding_ids=list(coding_ids), actor=actor
        )
    else:
        if definition is None:
            raise OperationError("a redefinition needs the new definition")
        change = codebook_ops.update_code(project, code_id, definition=definition, actor=actor)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        versions = tx.codebook_versions.list()
        version = versions[-1]["id"] if versions else None
        tx.decisions.add(
            actor,
            f"codebook.{action}",
            review_id=review_id,
            reason=reason,
            details={"summary": change.summary, "codebook_version": version},
        )
    for state in consensus_ops.reviews(project):
        consensus_ops.refresh_review(project, state.review.id, supervisor=chair.id)
    # The reviews were refreshed too: the queue (and with it the consensus) changed.
    return replace(change, areas=change.areas | {Area.CONSENSUS, Area.CODINGS})


def decisions(
    project: ProjectStore, *, viewer: str | int | None = None, review_id: int | None = None
) -> list[DecisionRecord]:
    """The decision log, oldest first (needs an unblinded project)."""
    with project.read() as tx:
        check_reader(tx, viewer)
        return tx.decisions.list(review_id=review_id)


def decision_rows(
    project: ProjectStore, *, viewer: str | int | None = None, passages: bool = True
) -> list[dict]:
    """The log as flat rows for people: when, who, what, on which passage, why.

    ``passages=False`` leaves the quoted passage out (it reads every document's text)."""
    with project.read() as tx:
        check_reader(tx, viewer)
        log = tx.decisions.list()
        documents = {d.uid: d for d in tx.documents.list()}
        texts: dict[str, str] = {}
        rows = []
        for d in log:
            document = documents.get(d.document_uid or "")
            passage = ""
            if passages and document and d.start is not None and d.end is not None:
                if document.uid not in texts:
                    texts[document.uid] = tx.documents.text(document.id)
                passage = texts[document.uid][d.start : d.end]
            rows.append(_row(d, document.meta.title if document else "", passage))
    return rows


def _row(d: DecisionRecord, title: str, passage: str) -> dict:
    details = d.details
    what = details.get("summary") or ", ".join(details.get("codes", ()))
    if d.action == "auto_accept":
        what = f"{details.get('agreements', 0)} agreements into the consensus layer"
    elif d.action == consensus_ops.UNDO:
        what = f"undid decision {d.undoes_id} ({details.get('undoes', '')})"
    added = "; ".join(f"{a['code']} {a['start']}-{a['end']}" for a in details.get("added", ()))
    return {
        "decision": d.id,
        "at": d.at,
        "by": d.actor,
        "action": ACTION_LABELS.get(d.action, d.action),
        "kind": dis.KIND_LABELS.get(details.get("kind", ""), ""),
        "disagreement": d.disagreement_id,
        "document": title,
        "document_uid": d.document_uid or "",
        "start": d.start,
        "end": d.end,
        "what": what,
        "consensus_added": added,
        "reason": d.reason,
        "dissent": d.dissent,
        "undoes": d.undoes_id,
        "passage": passage,
    }


def export_decisions(
    project: ProjectStore,
    path: Path,
    *,
    viewer: str | int | None = None,
    check: outgoing.CheckOptions | None = None,
    actor: str | None = None,
) -> Path:
    """Write the decision log to ``path`` (.csv or .xlsx), after checking it for
    identifiers (see :mod:`ketqual.ops.privacy.outgoing`)."""
    rows = decision_rows(project, viewer=viewer)
    with project.read() as tx:
        name = tx.project.describe()["name"]
    meta = {"project": name, "software": f"KetQual {__version__}"}
    outgoing.check_outgoing(
        project,
        what="decision log",
        destination=path,
        payload={"rows": rows, "meta": meta},
        options=check,
        actor=actor or (viewer if isinstance(viewer, str) else None),
    )
    try:
        return decisions_export.write(Path(path), rows, meta)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    except OSError as exc:
        raise OperationError(f"could not write {path}: {exc.strerror or exc}") from None


# --- Negotiated agreement ------------------------------------------------------------


@dataclass(frozen=True)
class AgreementFigure:
    """One pair of layers compared at the review's unit."""

    label: str
    percent_agreement: float | None
    cohen_kappa: float | None
    krippendorff_alpha: float | None


def negotiated_agreement(
    project: ProjectStore, review_id: int, *, viewer: str | int | None = None
) -> list[AgreementFigure]:
    """Agreement before the meeting (A with B) and after (each coder with the consensus),
    at the review's unit, over codes as they are (subtheme level), pooled over codes."""
    # The agreement engine (and numpy with it) loads when figures are asked for, not
    # with the review window: importing it cost the window's first opening 0.15 s.
    from ketqual.ops.agreement import agreement_ops

    state = consensus_ops.review_state(project, review_id, viewer=viewer)
    a, b = state.coder_a.name, state.coder_b.name
    pairs: list[tuple[str, str, str | None]] = [(f"{a} – {b} (before)", a, b)]
    pairs += [(f"{a} – consensus (after)", a, None), (f"{b} – consensus (after)", b, None)]
    figures = []
    for label, first, second in pairs:
        try:
            result = agreement_ops.compute_agreement(
                project,
                coder_a=first,
                coder_b=second,
                level="subtheme",
                units=(state.review.unit,),
                n_replicates=0,
                viewer=None,
                actor=state.review.created_by,
            )
        except OperationError:
            figures.append(AgreementFigure(label, None, None, None))  # an empty layer
            continue
        table = result.report.table(state.review.unit, "overall")
        values = {}
        for name in ("percent_agreement", "cohen_kappa", "krippendorff_alpha"):
            statistic = table.statistic(0, name)
            values[name] = statistic.value
        figures.append(AgreementFigure(label, **values))
    return figures
