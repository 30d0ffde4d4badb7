"""Crosstabs: themes or subthemes by the values of an attribute (session, group, document
kind, a focus group's, a document's or a participant's attribute), counting coded
passages, cases or participants. See :mod:`ketqual.core.retrieval_crosstab`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ketqual.core import retrieval_fast
from ketqual.core.retrieval import filter_passages
from ketqual.core.retrieval_crosstab import COUNTS, CROSSTAB_ROWS, Crosstab, CrosstabRow, crosstab
from ketqual.core.theme_counts import Passage, codebook_order, index_passages, theme_of
from ketqual.io import crosstab_export
from ketqual.ops.attributes import case_ops
from ketqual.ops.changes import NOTHING, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.retrieval import passage_ops, retrieval_data
from ketqual.ops.retrieval.retrieval_data import Workspace
from ketqual.store.database import ProjectStore

ROWS = CROSSTAB_ROWS
FORMATS = crosstab_export.FORMATS
THEME_LEVEL = "(theme-level)"


@dataclass(frozen=True)
class CrosstabView:
    """A computed crosstab and what it was asked for.

    Attributes:
        table: The counts and the passages behind each cell.
        layer: ``consensus`` or a coder's name.
        layer_label: How to show the layer.
        rows: ``themes`` or ``subthemes``.
        case_unit: What a case is (``focus_group``, ``document``, ``participant``).
        header: What the cells count, in words, for the window and every export.
        conditions: Filters applied first, in words.
        project_name: The project's name.
    """

    table: Crosstab
    layer: str
    layer_label: str
    rows: str
    case_unit: str
    header: str
    conditions: tuple[str, ...] = ()
    project_name: str = ""

    def data(self) -> dict:
        """Plain data for JSON: ``rows``, ``columns`` and the ``cells`` matrix of counts."""
        return crosstab_export.objects(self.table, self.about())

    def about(self) -> dict[str, str]:
        """What the table is, for exports."""
        return {
            "project": self.project_name,
            "layer": self.layer_label,
            "rows": self.rows,
            "columns": self.table.attribute,
            "count": self.table.count,
            "cells": self.header,
            "filters": "; ".join(self.conditions) or "none",
        }


def check(rows: str, count: str) -> None:
    """Refuse unknown rows or counts.

    Raises:
        OperationError: Naming the allowed values.
    """
    if rows not in ROWS:
        raise OperationError(f"rows are one of {', '.join(ROWS)}, not '{rows}'")
    if count not in COUNTS:
        raise OperationError(f"cells count one of {', '.join(COUNTS)}, not '{count}'")


def crosstab_rows(ws: Workspace, rows: str) -> list[CrosstabRow]:
    """Rows in codebook order: themes; or each theme's subthemes and, when it has codings
    of its own (or no subthemes), "Theme (theme-level)"."""
    coded = {r[3] for r in ws.rows}
    ordered = [c for c in codebook_order(ws.codes) if c.active or c.id in coded]
    out: list[CrosstabRow] = []
    for theme in (c for c in ordered if c.parent_id is None):
        if rows == "themes":
            out.append(CrosstabRow(theme.id, theme.name))
            continue
        subs = [c for c in ordered if c.parent_id == theme.id]
        out += [CrosstabRow(sub.id, ws.labels[sub.id]) for sub in subs]
        if theme.id in coded or not subs:
            label = f"{theme.name} {THEME_LEVEL}" if subs else theme.name
            out.append(CrosstabRow(theme.id, label, theme_level=True))
    return out


def row_passages(ws: Workspace, rows: str) -> list[tuple[CrosstabRow, list[Passage]]]:
    """Rows with their passages (the theme-overlap network's n for a theme; a subtheme's
    own; a theme's own codings as "Theme (theme-level)")."""
    index = index_passages(ws.codes, ws.spans)
    out = []
    for row in crosstab_rows(ws, rows):
        if row.theme_level:
            out.append((row, list(index.at_theme(row.code_id))))
        else:
            out.append((row, list(index.of(row.code_id))))
    return out


def fast_table(tx, ws: Workspace, rows: str, ref, count: str, unit: str):
    """The crosstab with numpy (see ``ketqual.core.retrieval_fast``), or ``None`` when the
    choice needs the passage-by-passage count (participants, or cases that are
    participants or counted by a participant attribute)."""
    if count == "participants" or (
        count == "cases" and (ref.target == "participant" or unit == case_ops.PARTICIPANT)
    ):
        return None
    fast = retrieval_fast.FastLayer(ws.documents, ws.rows, theme_of(ws.codes))
    themes = {c.id for c in ws.codes if c.parent_id is None}
    placed = [
        fast.code(row) if row.theme_level or row.code_id not in themes else fast.theme(row)
        for row in crosstab_rows(ws, rows)
    ]
    context = ws.context()
    options: dict = {}
    if ref.target == "participant":
        ws.need_texts({d for d, *_rest in ws.rows})
        values, label_value = retrieval_fast.placement_values(ref, ws.participant_values)
        owners = ws.owners()
        options = {
            "participants": retrieval_fast.ParticipantColumns(
                ws.documents,
                ws.texts,
                ws.paragraphs,
                fast.layer.stride,
                label_value,
                list(ws.participant_ids),
            ),
            "values": values,
            "owned": {k: d.id in owners for k, d in enumerate(ws.documents)},
        }
    if count == "cases":
        if unit == case_ops.DOCUMENT:
            by_uid = {c.subject: c.id for c in tx.cases.list(case_ops.DOCUMENT)}
            case_of = [by_uid.get(d.uid, -1 - k) for k, d in enumerate(ws.documents)]
            # a document without its case row yet still counts as one case
            case_of = [c if c >= 0 else 10**9 + k for k, c in enumerate(case_of)]
        else:
            case_of = [d.case_id if d.case_id is not None else -1 for d in ws.documents]
        options["cases_of_document"] = case_of
    return retrieval_fast.passage_crosstab(placed, ref, context, ws.documents, **options)


def header_text(count: str, ref_label: str, scheme_noun: str) -> str:
    """What the cells count, in words."""
    if count == "passages":
        return f"Cells count coded passages, by {ref_label}"
    if count == "cases":
        return f"Cells count cases ({scheme_noun}) with at least one coded passage, by {ref_label}"
    return f"Cells count participants named in at least one coded passage, by {ref_label}"


def compute_crosstab(
    project: ProjectStore,
    *,
    rows: str = "themes",
    columns: str = "session",
    count: str = "passages",
    layer: str | None = retrieval_data.CONSENSUS,
    viewer: str | None = None,
    where: tuple[tuple[str, str], ...] = (),
) -> CrosstabView:
    """Themes or subthemes by an attribute's values.

    Args:
        project: The open project.
        rows: ``themes`` or ``subthemes``.
        columns: The attribute: ``session``, ``group``, ``kind``, ``document``, ``case``,
            or a defined attribute (``role``, or ``participant.role`` when names clash).
        count: ``passages``, ``cases`` or ``participants``.
        layer: ``consensus`` or a coder's name.
        viewer: Who asks; while blinded only their own layer is allowed.
        where: Filters (``attribute``, ``value``) applied to the passages first.

    Raises:
        OperationError: Unknown rows, counts, attributes or layers; a blinded layer.
    """
    check(rows, count)
    with project.read() as tx:
        layer_chosen = retrieval_data.resolve_layer(tx, layer, viewer)
        ws = retrieval_data.load(tx, layer_chosen)
        ref = ws.find_ref(columns)
        wanted = passage_ops.conditions(ws, where)
        unit = case_ops.unit_of(ws.settings)
        name = tx.project.describe()["name"]
        noun = case_ops.UNIT_PLURALS[unit]
        # Big projects are counted with numpy; filters, and counts of participants, go
        # passage by passage (the two agree: a test checks it).
        table = None if wanted else fast_table(tx, ws, rows, ref, count, unit)
        if table is None:
            table_rows = row_passages(ws, rows)
            needs_people = (
                ref.target == "participant"
                or count == "participants"
                or (count == "cases" and unit == case_ops.PARTICIPANT)
                or any(c.ref.target == "participant" for c in wanted)
            )
            if needs_people:
                ws.need_texts({p.document_id for _r, found in table_rows for p in found})
            context = ws.context()
            if wanted:
                table_rows = [
                    (r, filter_passages(found, context, wanted)) for r, found in table_rows
                ]
            cases = case_ops.scheme(tx, ws.documents, context.participants)
            noun = cases.noun
            # The scheme reads a passage as (document id, start, end), which a Passage
            # begins with; context.participants takes either.
            cases_of = cast("Callable[[Passage], tuple[Hashable, ...]]", cases.cases_of)
            try:
                table = crosstab(table_rows, ref, context, count, cases_of=cases_of)
            except ValueError as exc:
                raise OperationError(str(exc)) from None
    words = tuple(f"{c.ref.label} = {' or '.join(sorted(c.values))}" for c in wanted)
    return CrosstabView(
        table=table,
        layer=layer_chosen.name,
        layer_label=layer_chosen.label,
        rows=rows,
        case_unit=unit,
        header=header_text(count, ref.label, noun),
        conditions=words,
        project_name=name,
    )


def export_crosstab(
    project: ProjectStore,
    view: CrosstabView,
    path: str | Path,
    *,
    fmt: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Change:
    """Write a crosstab as CSV, JSON or xlsx (counts, row and column %, totals), after
    checking its labels (themes, the attribute's values, filters) for identifiers.

    Args:
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: An unknown format, a table that holds identifiers (nothing is
            written), or the file cannot be written.
    """
    path = Path(path)
    try:
        chosen = crosstab_export.format_for(path, fmt)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    outgoing.check_outgoing(
        project,
        what="crosstab",
        destination=path,
        payload=view.data(),
        options=check,
        actor=actor,
    )
    try:
        written = crosstab_export.write(view.table, view.about(), path, chosen)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    summary = f"Exported a crosstab of {view.rows} by {view.table.attribute} to {path.name}"
    with project.transaction() as tx:
        tx.audit.record(
            actor or default_actor(),
            "retrieval.crosstab.export",
            summary,
            {"file": str(path), "format": chosen, "count": view.table.count},
        )
    return Change("retrieval.crosstab.export", summary, details={"path": written}, areas=NOTHING)
