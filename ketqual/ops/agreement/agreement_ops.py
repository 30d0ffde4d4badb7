"""Inter-coder agreement between two or more layers of codings, and writing it to a file.

:func:`compute_agreement` loads plain data from the project (one query for documents, one
for units, one per layer of codings, so a thousand documents load in a fraction of a
second), runs the pure report builder and returns an
:class:`~ketqual.core.agreement.labelled.AgreementResult` with names and provenance.
Comparing layers shows each coder the other's work, so it needs an unblinded project.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ketqual import __version__
from ketqual.core.agreement import CodeInput, DocumentInput, build_report
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.core.agreement.report_input import LEVELS, SPAN_UNITS, UNIT_KINDS
from ketqual.core.agreement.report_multi import build_multi_report
from ketqual.core.records import DocumentRecord, short_document_title
from ketqual.io import agreement_export
from ketqual.ops.changes import default_actor
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.project_ops import tree_order
from ketqual.ops.team import coder_ops
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

CONSENSUS = "consensus"
CONSENSUS_LABEL = "Consensus"
BLINDED = "the project is blinded; a supervisor must unblind it before coders are compared"
Progress = Callable[[int, int, str], None]
_STEPS = 3


def layer_in(tx: Tx, name: str | None) -> tuple[int | None, str]:
    """``(coder id or None for consensus, display name)`` of a layer named by the user."""
    if name is None or name.strip().casefold() == CONSENSUS:
        return None, CONSENSUS_LABEL
    coder = tx.coders.by_name(name.strip())
    if coder is None:
        names = ", ".join(c.name for c in tx.coders.list()) or "none yet"
        raise OperationError(f"no coder called '{name}' (coders: {names}, or 'consensus')")
    return coder.id, coder.name


def _codings(tx: Tx, coder_id: int | None) -> list[tuple[int, int, int, int]]:
    """A layer's ``(document_id, code_id, start, end)``: plain tuples, as the engine takes."""
    if coder_id is None:
        return tx.codings.spans(consensus=True)
    return tx.codings.spans(coder_id=coder_id)


def short_title(document: DocumentRecord) -> str:
    """A compact column heading: ``S1 G2 notes`` when session and group are known."""
    meta = document.meta
    return short_document_title(meta.title, meta.kind, meta.session, meta.group, document.id)


def _check_parameters(
    level: str, units: Sequence[str], unit_min_share: float | None, n_replicates: int
) -> None:
    if level not in LEVELS:
        raise OperationError(f"level must be one of {', '.join(LEVELS)}, not '{level}'")
    unknown = [u for u in units if u not in UNIT_KINDS]
    if not units or unknown or len(set(units)) != len(units):
        raise OperationError(f"units must be distinct kinds from {', '.join(UNIT_KINDS)}")
    if unit_min_share is not None and not 0 < unit_min_share <= 1:
        raise OperationError("the minimum coded share of a unit must be above 0 and at most 1")
    if n_replicates < 0:
        raise OperationError("the number of bootstrap replicates cannot be negative")


def compute_agreement(
    project: ProjectStore,
    *,
    coder_a: str | None = None,
    coder_b: str | None = None,
    coders: Sequence[str | None] | None = None,
    level: str = "theme",
    units: Sequence[str] = UNIT_KINDS,
    unit_min_share: float | None = None,
    n_replicates: int = 1000,
    seed: int = 0,
    viewer: str | None = None,
    document_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    actor: str | None = None,
) -> AgreementResult:
    """Compare two or more layers of codings and record that it was done.

    Args:
        project: The open project.
        coder_a: Name of the first coder, or ``"consensus"`` for the consensus layer.
        coder_b: Name of the second coder; ``None`` or ``"consensus"`` for the consensus
            layer.
        coders: Instead of ``coder_a``/``coder_b``: every layer to compare (two or more
            coder names, ``"consensus"`` or ``None`` for the consensus layer). With three
            or more the report is the m-coder one (Fleiss' kappa, Light's kappa, the
            pairwise table ...).
        level: ``"theme"`` (subtheme codings count for their theme) or ``"subtheme"``.
        units: Unit kinds to compute (character, sentence, paragraph, document).
        unit_min_share: Minimum coded share for a sentence or paragraph to count as coded;
            ``None`` means any coded character.
        n_replicates: Bootstrap replicates over documents (0 for no intervals).
        seed: Seed of the bootstrap, so a report can be reproduced exactly.
        viewer: Who asks (a coder's name), recorded in the result and the audit log.
        document_ids: Only these documents (default: all).
        progress: Called as ``progress(done, total, step)`` between steps.
        actor: Name for the audit log (default: the viewer, else the login name).

    Returns:
        The :class:`~ketqual.core.agreement.labelled.AgreementResult`.

    Raises:
        OperationError: While the project is blinded, for unknown coders or documents,
            the same layer twice, fewer than two layers, a layer without codings, or
            invalid parameters.
    """
    units = tuple(units)
    wanted_layers = list(coders) if coders is not None else [coder_a, coder_b]
    if len(wanted_layers) < 2:
        raise OperationError("choose at least two layers to compare")
    _check_parameters(level, units, unit_min_share, n_replicates)
    step = progress or (lambda done, total, name: None)
    step(0, _STEPS, "Loading codings")
    if not coder_ops.blinding(project).unblinded:
        raise OperationError(BLINDED)
    asker = coder_ops.find_coder(project, viewer).name if viewer else None
    # One snapshot: documents, units and every layer as they were at one moment.
    with project.read(snapshot=True) as tx:
        layers = [layer_in(tx, name) for name in wanted_layers]
        seen: dict[int | None, str] = {}
        for layer_id, layer_name in layers:
            if layer_id in seen:
                raise OperationError(
                    f"choose two different layers to compare ({layer_name} is chosen twice)"
                )
            seen[layer_id] = layer_name
        names = [name for _, name in layers]
        documents = tx.documents.list()
        codes = tree_order(tx.codes.list())
        # Units only for the unit kinds asked for: characters and documents need none.
        all_units = tx.documents.unit_spans(k for k in SPAN_UNITS if k in units)
        codings = [_codings(tx, layer_id) for layer_id, _ in layers]
        project_name = tx.project.describe()["name"]
    if document_ids is not None:
        wanted = set(document_ids)
        missing = wanted - {d.id for d in documents}
        if missing:
            raise OperationError(f"there is no document with id {min(missing)}")
        documents = [d for d in documents if d.id in wanted]
    if not documents or not codes:
        raise OperationError("agreement needs at least one document and one code")
    kept = {d.id for d in documents}
    rows = [
        layer if document_ids is None else [c for c in layer if c[0] in kept] for layer in codings
    ]
    for name, layer in zip(names, rows, strict=True):
        if not layer:
            raise OperationError(f"{name} has no codings in these documents; nothing to compare")
    inputs = [
        DocumentInput(
            d.id,
            d.char_count,
            {kind: all_units.get(d.id, {}).get(kind, []) for kind in SPAN_UNITS},
        )
        for d in documents
    ]
    code_inputs = [CodeInput(c.id, c.name, c.parent_id) for c in codes]
    step(1, _STEPS, "Computing agreement")
    settings: dict[str, Any] = {
        "level": level,
        "units": units,
        "unit_min_share": unit_min_share,
        "n_replicates": n_replicates,
        "seed": seed,
    }
    try:
        if len(rows) == 2:
            report = build_report(inputs, code_inputs, rows[0], rows[1], **settings)
        else:
            report = build_multi_report(inputs, code_inputs, rows, names=names, **settings)
    except ValueError as exc:  # inconsistent stored data; say what, not a traceback
        raise OperationError(f"cannot compute agreement: {exc}") from None
    step(2, _STEPS, "Recording")
    actor = actor or asker or default_actor()
    who = ", ".join(names[:-1]) + " and " + names[-1]
    summary = (
        f"Computed agreement of {who} ({level} level, "
        f"{len(documents)} documents, {n_replicates} bootstrap replicates, seed {seed})"
    )
    with project.transaction() as tx:
        tx.audit.record(
            actor,
            "agreement.compute",
            summary,
            {
                "coder_a": names[0],
                "coder_b": names[1],
                "coders": names,
                "level": level,
                "units": list(units),
                "unit_min_share": unit_min_share,
                "n_replicates": n_replicates,
                "seed": seed,
                "documents": len(documents),
                "version": __version__,
            },
        )
    step(_STEPS, _STEPS, "Done")
    return AgreementResult(
        report=report,
        project_name=project_name,
        coder_a=names[0],
        coder_b=names[1],
        coders=tuple(names) if len(names) > 2 else (),
        documents={d.id: d.meta.title for d in documents},
        document_labels={d.id: short_title(d) for d in documents},
        codes={c.id: codebook_ops.code_path(codes, c) for c in codes},
        version=__version__,
        computed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        computed_by=actor,
        extra={"document_selection": "all" if document_ids is None else "chosen"},
    )


def export_agreement(
    result: AgreementResult,
    path: str | Path,
    *,
    fmt: str | None = None,
    statistic: str | None = None,
    project: ProjectStore | None = None,
    check: outgoing.CheckOptions | None = None,
    actor: str | None = None,
) -> Path:
    """Write a result as json, csv, xlsx or html (by ``fmt`` or the file's suffix), after
    checking it for identifiers (see :mod:`ketqual.ops.privacy.outgoing`).

    Args:
        result: What :func:`compute_agreement` returned.
        path: File to write.
        fmt: ``"json"``, ``"csv"``, ``"xlsx"`` or ``"html"``; default from the suffix.
        statistic: The statistic of the code x document matrices (xlsx and html);
            default the report's kappa.
        project: The project the result came from: its review decisions inform the check,
            which is recorded in its audit log (without it the check still runs).
        check: Override and key for the check.
        actor: Who exports (for the audit log).

    Returns:
        The path written.

    Raises:
        OperationError: For an unknown format or statistic, or when the file cannot be
            written.
    """
    path = Path(path)
    outgoing.check_outgoing(
        project,
        what="agreement report",
        destination=path,
        payload=result,
        options=check,
        actor=actor or result.computed_by,
    )
    try:
        return agreement_export.write(result, path, fmt=fmt, statistic=statistic)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
