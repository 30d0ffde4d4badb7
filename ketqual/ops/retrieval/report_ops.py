"""The theme report (``ketqual report``, Outputs › Theme report): per theme, its definition,
n, the groups and sessions that raised it, its subthemes with their n, the themes it
overlaps with and the quotes the supervisor starred. docx or HTML.

n, the subthemes' n and the overlaps come from the theme-overlap network itself
(:func:`ketqual.ops.network.network_ops.compute_network` at passage unit), so the report
and the figure can never disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ketqual.core import network
from ketqual.core.framework_quotes import document_tags
from ketqual.core.network_figure import format_value
from ketqual.core.retrieval import star_matches
from ketqual.core.theme_counts import UNIT_DEFINITION, codebook_order, index_passages
from ketqual.core.theme_report import (
    Overlap,
    StarredQuote,
    ThemeReport,
    ThemeSection,
    groups_and_sessions,
    quote_text,
    section_lines,
)
from ketqual.io import theme_report_files
from ketqual.ops.changes import NOTHING, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.network import network_ops
from ketqual.ops.privacy import outgoing
from ketqual.ops.retrieval import retrieval_data
from ketqual.store.database import ProjectStore

FORMATS = theme_report_files.FORMATS
MEASURE = "c"


def build_theme_report(
    project: ProjectStore,
    *,
    layer: str | None = retrieval_data.CONSENSUS,
    viewer: str | None = None,
) -> ThemeReport:
    """The report's material for one layer (the consensus by default).

    Raises:
        OperationError: An unknown or blinded layer, or one without codings.
    """
    with project.read() as tx:
        chosen = retrieval_data.resolve_layer(tx, layer, viewer)
    view = network_ops.compute_network(
        project, layer=chosen.name, unit="passage", measure=MEASURE, viewer=viewer
    )
    with project.read() as tx:
        ws = retrieval_data.load(tx, chosen)
        starred_docs = {s.document_id for s in ws.stars}
        index = index_passages(ws.codes, ws.spans)
        ws.need_texts(starred_docs)
        context = ws.context()
        name = tx.project.describe()["name"]
    documents = {d.id: d for d in ws.documents}
    cases = {c.id: c for c in ws.cases}
    tags = document_tags(ws.cases, ws.documents)
    names = {t.code_id: t.name for t in view.result.themes}
    order = {c.id: i for i, c in enumerate(codebook_order(ws.codes))}
    by_theme = {c.id: c for c in ws.codes}
    sections = []
    no_case = 0
    for theme in view.result.themes:
        family = {theme.code_id} | {s.code_id for s in theme.subthemes}
        passages = index.of(theme.code_id)
        groups, sessions, without = groups_and_sessions(passages, documents, cases)
        no_case += without
        overlaps = []
        for edge in view.shown:
            if theme.code_id not in (edge.source, edge.target):
                continue
            other = edge.target if edge.source == theme.code_id else edge.source
            overlaps.append(
                Overlap(
                    names.get(other, "?"),
                    edge.n12,
                    f"{network.MEASURE_LABELS[view.measure]} "
                    + format_value(view.measure, edge.value),
                    edge.state,
                )
            )
        quotes = []
        stars = sorted(
            (s for s in ws.stars if s.code_id in family),
            key=lambda s: (s.document_id, s.start, order.get(s.code_id, 0)),
        )
        for star in stars:
            doc = documents.get(star.document_id)
            case = cases.get(doc.case_id) if doc and doc.case_id is not None else None
            quotes.append(
                StarredQuote(
                    ref=f"{tags.get(star.document_id, f'D{star.document_id}-O')}-{star.start}-{star.end}",
                    text=quote_text(ws.texts.get(star.document_id, ""), star.start, star.end),
                    case=case.name if case else "",
                    document=doc.meta.title if doc else "",
                    code=ws.labels.get(star.code_id, "?"),
                    participants=context.participants((star.document_id, star.start, star.end)),
                    starred_by=star.actor,
                    still_coded=any(star_matches(star, p, family) for p in passages),
                )
            )
        sections.append(
            ThemeSection(
                code_id=theme.code_id,
                name=theme.name,
                definition=by_theme[theme.code_id].definition if theme.code_id in by_theme else "",
                n=theme.n,
                groups=groups,
                sessions=sessions,
                subthemes=tuple((s.name, s.n) for s in theme.subthemes),
                overlaps=tuple(overlaps),
                quotes=tuple(quotes),
            )
        )
    basis = (
        "the overlaps the analyst accepted or drew in the theme-overlap network"
        if view.basis == "accepted"
        else (
            "computed overlaps at or above the network's threshold "
            f"({network.MEASURE_LABELS[view.measure]} ≥ "
            f"{format_value(view.measure, view.min_weight)}); none reviewed yet"
        )
    )
    return ThemeReport(
        project_name=name,
        layer=chosen.label,
        unit=UNIT_DEFINITION,
        overlap_basis=basis,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sections=tuple(sections),
        no_case=no_case,
    )


def report_contents(report: ThemeReport) -> dict:
    """What a theme report file holds, as plain data for the identifier check: the header,
    each theme's facts, and its starred quotes with the words beside them."""
    return {
        "header": dict(theme_report_files.header_lines(report)),
        "sections": [
            {
                "name": section.name,
                "facts": dict(section_lines(section)),
                "quotes": [
                    {
                        "text": quote.text,
                        "ref": quote.ref,
                        "case": quote.case,
                        "document": quote.document,
                        "code": quote.code,
                        "participants": list(quote.participants),
                    }
                    for quote in section.quotes
                ],
            }
            for section in report.sections
        ],
    }


def export_theme_report(
    project: ProjectStore,
    path: str | Path,
    *,
    fmt: str | None = None,
    layer: str | None = retrieval_data.CONSENSUS,
    viewer: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Change:
    """Write the theme report as docx or HTML (by ``fmt`` or the suffix), after checking
    what it holds for identifiers.

    Args:
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: An unknown format, a layer that cannot be shown, a report that
            holds identifiers (nothing is written), or a file that cannot be written
            (nothing half-written is left).
    """
    path = Path(path)
    try:
        chosen = theme_report_files.format_for(path, fmt)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    report = build_theme_report(project, layer=layer, viewer=viewer)
    outgoing.check_outgoing(
        project,
        what="theme report",
        destination=path,
        payload=report_contents(report),
        options=check,
        actor=actor or viewer,
    )
    try:
        written = theme_report_files.write(report, path, chosen)
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    stars = sum(len(s.quotes) for s in report.sections)
    summary = f"Wrote the theme report ({report.layer}, {chosen}) to {path.name}"
    with project.transaction() as tx:
        tx.audit.record(
            actor or viewer or default_actor(),
            "retrieval.report",
            summary,
            {"file": str(path), "format": chosen, "themes": len(report.sections), "quotes": stars},
        )
    return Change(
        "retrieval.report",
        summary,
        details={"path": written, "format": chosen, "themes": len(report.sections)},
        areas=NOTHING,
    )
