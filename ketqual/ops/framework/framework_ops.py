"""Framework matrices: building them from a layer, the analyst's cell summaries, counts
per theme, and export to xlsx, docx or CSV.

Matrices are charted from the consensus layer by default; another coder's layer or the
consensus may be shown only when the project is unblinded, as for agreement. Summaries are
the team's shared framework (they may rest on anyone's work), so they are shown and edited
only in an unblinded project; while blinded, a coder may chart their own layer without them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ketqual import __version__
from ketqual.core import framework_text, theme_counts
from ketqual.core.collection import collection_paused
from ketqual.core.framework import (
    STATES,
    CellSummary,
    FrameworkData,
    MatrixBuilder,
    ThemeMatrix,
    code_labels,
)
from ketqual.core.framework_report import MatrixReport, ReportInfo
from ketqual.core.records import CoderRecord
from ketqual.core.theme_counts import ThemeCounts
from ketqual.io import matrix_export
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.attributes import case_ops
from ketqual.ops.changes import NOTHING, Area, Change, default_actor
from ketqual.ops.consensus import consensus_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.team import coder_ops
from ketqual.ops.votes import votes_ops
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

CONSENSUS = agreement_ops.CONSENSUS
BLINDED_CONSENSUS = (
    "the project is blinded; a supervisor must unblind it before the consensus layer can be charted"
)
BLINDED_SUMMARIES = (
    "the project is blinded; summaries are the whole team's, so they can be written once a "
    "supervisor unblinds it"
)


@dataclass(frozen=True)
class SummaryStored:
    """Payload of :func:`set_summary` and :func:`clear_summary`: one cell's summary now
    (``None`` once cleared)."""

    case_id: int
    code_id: int
    summary: CellSummary | None


@dataclass(frozen=True)
class Layer:
    """The layer being charted: coder id (``None`` = consensus) and display name."""

    coder_id: int | None
    label: str
    summaries: bool  # whether summaries may be shown with it


def _viewer(tx: Tx, viewer: str | None) -> CoderRecord | None:
    if not viewer:
        return None
    coder = tx.coders.by_name(viewer.strip())
    if coder is None:
        names = ", ".join(c.name for c in tx.coders.list()) or "none yet"
        raise OperationError(f"no coder called '{viewer}' (coders: {names})")
    return coder


def _layer(tx: Tx, layer: str | None, viewer: str | None) -> Layer:
    """Resolve and authorise a layer for ``viewer`` (a coder's name, or None)."""
    coder_id, label = agreement_ops.layer_in(tx, layer)
    unblinded = coder_ops.blinding_in(tx).unblinded
    if not unblinded:  # who asks matters only while the project is blinded
        if coder_id is None:
            raise OperationError(BLINDED_CONSENSUS)
        coder_ops.check_may_view(tx, _viewer(tx, viewer), [coder_id])
    return Layer(coder_id, label, unblinded)


def _load(tx: Tx, layer: Layer) -> FrameworkData:
    spans = tx.summaries.layer_spans(layer.coder_id)
    documents = tx.documents.list()
    coded = {s.document_id for s in spans}
    # Rows follow what the project counts as a case (focus groups unless it says otherwise).
    unit = case_ops.matrix_cases(tx, documents, coded)
    data = FrameworkData(
        codes=tx.codes.list(),
        cases=tx.cases.list(),
        documents=documents,
        texts=tx.summaries.document_texts(coded),
        codings=spans,
        summaries=tx.summaries.list() if layer.summaries else (),
    )
    if unit is None:
        return data
    return replace(
        data,
        unit_cases=unit.unit_cases,
        cases_of=unit.cases_of,
        no_case_label=unit.no_case_label,
    )


def _counts(data: FrameworkData, index=None) -> ThemeCounts:
    case_of = {d.id: d.case_id for d in data.documents}
    if data.cases_of is None:
        return theme_counts.count_themes(data.codes, data.codings, case_of, index=index)
    cases_of = data.cases_of
    counts = theme_counts.count_themes(
        data.codes,
        data.codings,
        case_of,
        index=index,
        cases_of=lambda p: cases_of(p.document_id, p.start, p.end),
        all_cases=[c.id for c in data.unit_cases or ()],
    )
    kinds = {c.kind for c in data.unit_cases or ()}
    noun = case_ops.UNIT_PLURALS.get(next(iter(kinds), ""), "cases")
    return replace(counts, cases_label=noun)


def _themes(data: FrameworkData, themes: Iterable[str | int] | None) -> list[int] | None:
    """Theme ids from names or ids given by a user (``None``: every theme)."""
    if themes is None:
        return None
    by_name = {c.name.casefold(): c.id for c in data.codes if c.parent_id is None}
    ids = set(by_name.values())
    out = []
    for theme in themes:
        key = str(theme).strip()
        if key.isdigit() and int(key) in ids:
            out.append(int(key))
        elif key.casefold() in by_name:
            out.append(by_name[key.casefold()])
        else:
            names = ", ".join(c.name for c in data.codes if c.parent_id is None)
            raise OperationError(f"no theme called '{theme}' (themes: {names})")
    return out


def _info(tx: Tx, layer: Layer, actor: str) -> ReportInfo:
    versions = tx.codebook_versions.list()
    latest = versions[-1] if versions else None
    return ReportInfo(
        project_name=tx.project.describe()["name"],
        layer=layer.label,
        exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        exported_by=actor,
        software=f"KetQual {__version__}",
        codebook_version=latest["id"] if latest else None,
        codebook_date=latest["created_at"] if latest else None,
        # Whether names were replaced (the key itself is in a key file, not here).
        pseudonymised=bool(tx.identifiers.counts().get("applied") or tx.pseudonyms.count()),
        summaries_included=layer.summaries,
        caveat=consensus_ops.unfinished_review_note(tx) if layer.coder_id is None else None,
    )


def build_report(
    project: ProjectStore,
    *,
    layer: str | None = CONSENSUS,
    themes: Iterable[str | int] | None = None,
    viewer: str | None = None,
    actor: str | None = None,
) -> MatrixReport:
    """The matrices of a layer with counts, quotes and the facts of the export.

    Args:
        project: The open project.
        layer: ``"consensus"`` (default) or a coder's name.
        themes: Theme names or ids to include (default: every theme).
        viewer: Who asks (a coder's name); while blinded only their own layer is allowed.
        actor: Who is named as exporting (default: the viewer, else the login name).

    Raises:
        OperationError: For an unknown layer or theme, or a layer the viewer may not see.
    """
    with collection_paused():
        with project.read() as tx:
            chosen = _layer(tx, layer, viewer)
            data = _load(tx, chosen)
            info = _info(tx, chosen, actor or viewer or default_actor())
            theme_votes = votes_ops.theme_votes_in(tx)
        wanted = _themes(data, themes)
        builder = MatrixBuilder(data)
        matrices = tuple(builder.build(theme) for theme in builder.select(wanted))
        counts = _counts(data, builder.index)
    charted = {m.theme.id for m in matrices}
    return MatrixReport(
        info=info,
        matrices=matrices,
        counts=counts,
        codes=tuple(theme_counts.codebook_order(data.codes)),
        labels=builder.labels,
        votes=tuple(t for t in theme_votes if t.theme_id in charted),
    )


def theme_matrix(
    project: ProjectStore,
    theme_id: int,
    *,
    layer: str | None = CONSENSUS,
    viewer: str | None = None,
) -> ThemeMatrix:
    """The matrix of one theme (what the charting screen shows)."""
    report = build_report(project, layer=layer, themes=[theme_id], viewer=viewer)
    return report.matrices[0]


def count_themes(
    project: ProjectStore, *, layer: str | None = CONSENSUS, viewer: str | None = None
) -> tuple[ThemeCounts, dict[int, str]]:
    """Passages, documents and cases per theme and subtheme of a layer, with code names."""
    with project.read() as tx:
        chosen = _layer(tx, layer, viewer)
        codes = tx.codes.list()
        codings = tx.summaries.layer_spans(chosen.coder_id)
        documents = tx.documents.list()
        unit = case_ops.matrix_cases(tx, documents, {s.document_id for s in codings})
    data = FrameworkData(
        codes=codes,
        cases=(),
        documents=documents,
        texts={},
        codings=codings,
        unit_cases=unit.unit_cases if unit else None,
        cases_of=unit.cases_of if unit else None,
    )
    return _counts(data), {c.id: c.name for c in codes}


def _cell_names(tx: Tx, case_id: int, code_id: int) -> tuple[str, str, str]:
    """Case name, code label and code uid; refuses unknown cases and codes."""
    case = tx.cases.get(case_id)  # a focus group, or a document's or participant's case
    if case is None:
        raise OperationError(f"there is no focus group (case) with id {case_id}")
    codes = tx.codes.list()
    code = next((c for c in codes if c.id == code_id), None)
    if code is None:
        raise OperationError(f"there is no code with id {code_id}")
    return case.name, code_labels(codes)[code_id], code.uid


def set_summary(
    project: ProjectStore,
    *,
    case_id: int,
    code_id: int,
    state: str = "summary",
    text: str = "",
    refs: Sequence[str] = (),
    actor: str | None = None,
) -> Change:
    """Store the analyst's summary of one cell (a summary with no text clears the cell).

    Args:
        project: The open project.
        case_id: The row's case (focus group).
        code_id: The column's subtheme, or the theme for its theme-level column.
        state: ``summary``, ``not_discussed`` or ``nothing_substantive``.
        text: The summary in the analyst's words (a note for the other two states).
        refs: Uids of the codings it rests on.
        actor: Who writes it (kept with the summary and in the audit log).

    Returns:
        A change whose ``details["summary"]`` is the stored
        :class:`~ketqual.core.framework.CellSummary`, or ``None`` when cleared.

    Raises:
        OperationError: While blinded, for an unknown state, case or code.
    """
    if state not in STATES:
        raise OperationError(f"state must be one of {', '.join(STATES)}, not '{state}'")
    text = text.strip()
    if state == framework_text.SUMMARY and not text:
        return clear_summary(project, case_id=case_id, code_id=code_id, actor=actor)
    actor = actor or default_actor()
    with project.transaction() as tx:
        if not coder_ops.blinding_in(tx).unblinded:
            raise OperationError(BLINDED_SUMMARIES)
        case, code, code_uid = _cell_names(tx, case_id, code_id)
        stored = tx.summaries.put(
            case_id, code_id, state=state, text=text, refs=tuple(refs), author=actor
        )
        what = framework_text.STATE_LABELS[state].lower()
        summary = f"Framework matrix: {case} × {code}: {what}"
        tx.audit.record(
            actor,
            "matrix.summary",
            summary,
            {
                "case": case,
                "code_uid": code_uid,
                "state": state,
                "characters": len(text),
                "refs": len(stored.refs),
            },
        )
    return Change(
        "matrix.summary",
        summary,
        areas={Area.OUTPUTS},
        codes=(code_id,),
        details={"summary": stored},
        payload=SummaryStored(case_id, code_id, stored),
    )


def clear_summary(
    project: ProjectStore, *, case_id: int, code_id: int, actor: str | None = None
) -> Change:
    """Remove the summary of one cell (audited); clearing an empty cell changes nothing."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        if not coder_ops.blinding_in(tx).unblinded:
            raise OperationError(BLINDED_SUMMARIES)
        case, code, code_uid = _cell_names(tx, case_id, code_id)
        removed = tx.summaries.delete(case_id, code_id)
        summary = f"Framework matrix: {case} × {code}: summary cleared"
        if removed:
            tx.audit.record(actor, "matrix.clear", summary, {"case": case, "code_uid": code_uid})
    return Change(
        "matrix.clear",
        summary,
        areas={Area.OUTPUTS} if removed else NOTHING,
        codes=(code_id,),
        details={"summary": None, "removed": removed},
        payload=SummaryStored(case_id, code_id, None),
    )


def fill_from_quotes(
    project: ProjectStore,
    *,
    case_id: int,
    code_id: int,
    layer: str | None = CONSENSUS,
    viewer: str | None = None,
) -> tuple[str, tuple[str, ...]]:
    """A draft of one cell from its passages (short quotes with reference ids), not
    stored: the analyst edits it first.

    Returns:
        ``(text, refs)``: the draft and the uids of the codings it cites.
    """
    with project.read() as tx:
        code = tx.codes.get(code_id)
    if code is None:
        raise OperationError(f"there is no code with id {code_id}")
    matrix = theme_matrix(project, code.parent_id or code.id, layer=layer, viewer=viewer)
    row = next((i for i, r in enumerate(matrix.rows) if r.case_id == case_id), None)
    column = next(
        (
            j
            for j, c in enumerate(matrix.columns)
            if c.code_id == code_id and c.theme_level == (code.parent_id is None)
        ),
        None,
    )
    if row is None or column is None:
        raise OperationError("that focus group or code has no cell in the framework matrix")
    return framework_text.draft_from_quotes(matrix.cell(row, column).passages)


def export_matrices(
    project: ProjectStore,
    path: str | Path,
    *,
    fmt: str | None = None,
    layer: str | None = CONSENSUS,
    themes: Iterable[str | int] | None = None,
    viewer: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Change:
    """Write the framework matrices as an xlsx workbook, a docx document or a folder of
    CSV files (one per theme), by ``fmt`` or the path's suffix (none: a folder).

    Returns:
        A change whose details hold the ``path`` written, the ``format`` and the number
        of ``passages`` in the matrices (0 when the layer has no codings yet).

    Raises:
        OperationError: For an unknown format, a layer the viewer may not see, an unknown
            theme, or when the file cannot be written (nothing half-written is left).
    """
    path = Path(path)
    try:
        chosen = matrix_export.format_for(path, fmt)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    actor = actor or viewer or default_actor()
    # Build and write with the collector held back throughout, and let go of the report
    # before it runs again: otherwise it walks half a million live objects on the way.
    with collection_paused():
        report = build_report(project, layer=layer, themes=themes, viewer=viewer, actor=actor)
        outgoing.check_outgoing(
            project,
            what="framework matrices",
            destination=path,
            payload=report,
            options=check,
            actor=actor,
        )
        try:
            written = matrix_export.write(report, path, chosen)
        except OSError as exc:
            raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
        passages = sum(len(m.passages()) for m in report.matrices)
        details = {
            "layer": report.info.layer,
            "format": chosen,
            "themes": [m.theme.name for m in report.matrices],
            "summaries": report.info.summaries_included,
        }
        del report
    summary = f"Exported framework matrices ({details['layer']}, {chosen}) to {written}"
    with project.transaction() as tx:
        tx.audit.record(actor, "matrix.export", summary, details)
    return Change(
        "matrix.export",
        summary,
        areas=NOTHING,
        details={"path": written, "format": chosen, "passages": passages},
    )
