"""The theme-overlap network: compute it from a layer, review its edges, lay it out, export it.

:func:`compute_network` reads one layer of codings (the consensus by default, or a
coder's for comparison), counts n per theme and co-occurrence at the chosen unit
(``ketqual.core.network`` defines every number), lists candidate edges above the
threshold together with the analyst's stored decisions, and describes the figure.

Edge decisions (``network_edge_ops``: accept, reject, draw, remove) are stored with their
provenance and written to the audit log. Box positions the analyst drags into place are
kept in the project settings (:func:`save_layout`); moving a box is cosmetic and not
audited, resetting the layout is. What :func:`compute_network` returns is a
:class:`~ketqual.ops.network.network_view.NetworkView`.

Pictures (SVG, PDF, PNG) need Qt, which operations never import: the caller passes a
``picture_writer`` (``ketqual.render.network.export.write_picture``) to :func:`export_network`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ketqual.core.network import (
    DEFAULT_MIN_WEIGHT,
    MEASURE_LABELS,
    MEASURES,
    UNITS,
    NetworkCode,
    NetworkDocument,
    cooccurrence,
)
from ketqual.core.network_figure import (
    LayoutReference,
    NetworkFigure,
    ThemeChoice,
    build_figure,
    choose_themes,
    edge_list,
    figure_edges,
)
from ketqual.io import cooccurrence_files, network_files
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.consensus import consensus_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.network.network_view import NetworkView
from ketqual.ops.privacy import outgoing
from ketqual.ops.project_ops import tree_order
from ketqual.ops.team import coder_ops
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

CONSENSUS = agreement_ops.CONSENSUS
LAYOUT_SETTING = "network_layout"
PICTURE_FORMATS = ("svg", "pdf", "png")
NETWORK_FORMATS = (*PICTURE_FORMATS, *network_files.FORMATS)
TABLE_FORMATS = cooccurrence_files.FORMATS
DEFAULT_TITLE = "Themes and their overlaps"
PictureWriter = Callable[[NetworkFigure, Path, str], Path]
# Where each box of a figure sits: theme uid -> (centre x, centre y, width, height) in the
# figure's pixels (96 dpi, y down); ``ketqual.render.network.export.figure_places``.
BoxPlaces = Mapping[str, tuple[float, float, float, float]]
LayoutProvider = Callable[[NetworkFigure], BoxPlaces]
BLINDED = (
    "the project is blinded; a supervisor must unblind it before a network is drawn "
    "from the consensus or another coder's layer"
)


def check_parameters(unit: str, measure: str, min_weight: float | None) -> float:
    """Validate unit, measure and threshold; returns the threshold (default per measure).

    Raises:
        OperationError: With the allowed values.
    """
    if unit not in UNITS:
        raise OperationError(f"unit must be one of {', '.join(UNITS)}, not '{unit}'")
    if measure not in MEASURES:
        raise OperationError(f"measure must be one of {', '.join(MEASURES)}, not '{measure}'")
    if min_weight is None:
        return DEFAULT_MIN_WEIGHT[measure]
    if not math.isfinite(min_weight) or min_weight < 0:
        raise OperationError("the minimum weight must be a number of at least 0")
    if measure != "count" and min_weight > 1:
        raise OperationError(f"the {MEASURE_LABELS[measure]} lies between 0 and 1; choose ≤ 1")
    return float(min_weight)


def _check_blinding(tx: Tx, coder_id: int | None, viewer: str | None) -> None:
    if not viewer:
        if not coder_ops.blinding_in(tx).unblinded:
            raise OperationError(BLINDED)
        return
    coder_ops.check_may_view(tx, coder_ops.coder_in(tx, viewer), [coder_id])


def _kept_codes(tx: Tx, coded: set[int]) -> list[NetworkCode]:
    """Active codes, and retired ones that still have codings in the layer."""
    codes = tree_order(tx.codes.list())
    kept = {c.id for c in codes if c.active or c.id in coded}
    kept |= {c.parent_id for c in codes if c.id in kept and c.parent_id is not None}
    return [NetworkCode(c.id, c.name, c.parent_id, c.colour, c.uid) for c in codes if c.id in kept]


def compute_network(
    project: ProjectStore,
    *,
    layer: str | None = CONSENSUS,
    unit: str = "passage",
    measure: str = "c",
    min_weight: float | None = None,
    title: str | None = None,
    viewer: str | None = None,
    labels: bool = True,
    arrowheads: bool = True,
    themes: ThemeChoice | None = None,
) -> NetworkView:
    """Compute the theme-overlap network of one layer.

    Args:
        project: The open project.
        layer: ``"consensus"`` (default) or a coder's name.
        unit: ``passage``, ``sentence``, ``paragraph`` or ``case``.
        measure: ``count``, ``jaccard``, ``c`` or ``overlap`` (see ``core.network``).
        min_weight: Threshold for candidate edges (default per measure).
        title: The figure's title.
        viewer: The coder asking (a blinded project shows a coder only their own layer);
            ``None`` for the command line, which needs an unblinded project.
        labels: Print the measure's value on each edge.
        arrowheads: Draw heads at both ends of undirected edges (else plain lines).
        themes: Which themes the figure shows (default: all).

    A coder's figure is laid out like the consensus figure of the same choices (when the
    consensus layer has codings and the viewer may see it), so the two compare side by
    side; boxes dragged into place in the app keep their place in every layer.

    Raises:
        OperationError: For bad parameters, an unknown layer, a blinded project, a layer
            without codings, or a theme name that is not a theme.
    """
    min_weight = check_parameters(unit, measure, min_weight)
    choice = themes or ThemeChoice()
    with project.read() as tx:
        coder_id, layer_name = agreement_ops.layer_in(tx, layer)
        _check_blinding(tx, coder_id, viewer)
        codings = tx.network.coded_spans(coder_id)
        if not codings:
            if coder_id is None:
                raise OperationError(
                    "the consensus layer has no codings yet; choose a coder's layer instead"
                )
            raise OperationError(f"{layer_name}'s layer has no codings yet")
        # A coder's figure follows the consensus layout, if the viewer may see that layer.
        consensus = []
        if coder_id is not None and coder_ops.blinding_in(tx).unblinded:
            consensus = tx.network.coded_spans(None)
        codes = _kept_codes(tx, {code_id for _d, code_id, _s, _e in codings})
        consensus_codes = _kept_codes(tx, {code_id for _d, code_id, _s, _e in consensus})
        units = tx.network.unit_spans(unit) if unit in ("sentence", "paragraph") else {}
        documents = [
            NetworkDocument(doc_id, case_id, {unit: units.get(doc_id, ())})
            for doc_id, case_id in tx.network.document_cases()
        ]
        decisions = tx.network.list()
        settings = tx.project.describe()
        caveat = consensus_ops.unfinished_review_note(tx) if coder_id is None else None
    parts = _Parts(measure, min_weight, decisions, choice, labels, arrowheads)
    result, edges, shown, basis, chosen = parts.compute(codes, documents, codings, unit)
    label = "consensus coding" if coder_id is None else f"coding of {layer_name}"
    title = (title or "").strip() or DEFAULT_TITLE
    positions = _layout(settings["settings"])
    reference = None
    kept = set(chosen)
    uids = {t.uid for t in result.themes if t.code_id in kept}
    if consensus and not uids & set(positions):
        reference = parts.reference(consensus_codes, documents, consensus, unit)
    figure = build_figure(
        result,
        shown,
        measure=measure,
        min_weight=min_weight,
        layer_label=label,
        basis=basis,
        title=title,
        positions=positions,
        labels=labels,
        arrowheads=arrowheads,
        themes=chosen,
        choice=choice,
        reference=reference,
        caveat=caveat,
    )
    return NetworkView(
        project_name=settings["name"],
        layer=CONSENSUS if coder_id is None else layer_name,
        layer_label=label,
        unit=unit,
        measure=measure,
        min_weight=min_weight,
        title=title,
        result=result,
        edges=tuple(edges),
        shown=tuple(e for e in shown if e.source in kept and e.target in kept),
        basis=basis,
        figure=figure,
        themes=tuple(chosen),
        choice=choice,
        caveat=caveat,
    )


@dataclass(frozen=True)
class _Parts:
    """The choices that turn one layer's codings into counts, edges and chosen themes."""

    measure: str
    min_weight: float
    decisions: list
    choice: ThemeChoice
    labels: bool
    arrowheads: bool

    def compute(self, codes, documents, codings, unit):
        try:
            result = cooccurrence(codes, documents, codings, unit)
        except ValueError as exc:  # inconsistent stored data: say what, not a traceback
            raise OperationError(f"cannot compute the network: {exc}") from None
        edges = edge_list(result, self.measure, self.min_weight, self.decisions)
        shown, basis = figure_edges(edges)
        try:
            chosen = choose_themes(result, shown, self.choice)
        except ValueError as exc:
            raise OperationError(str(exc)) from None
        return result, edges, shown, basis, chosen

    def reference(self, codes, documents, codings, unit) -> LayoutReference:
        """The consensus figure's boxes and edges, to lay a coder's figure out the same."""
        result, _edges, shown, basis, chosen = self.compute(codes, documents, codings, unit)
        figure = build_figure(
            result,
            shown,
            measure=self.measure,
            min_weight=self.min_weight,
            layer_label="consensus coding",
            basis=basis,
            title="",
            labels=self.labels,
            arrowheads=self.arrowheads,
            themes=chosen,
        )
        return LayoutReference(figure.boxes, figure.edges)


def _layout(settings: Mapping) -> dict[str, tuple[float, float]]:
    raw = settings.get(LAYOUT_SETTING) or {}
    out = {}
    for uid, value in raw.items():
        try:
            x, y = (float(v) for v in value)
        except (TypeError, ValueError):
            continue  # a hand-edited setting; the box gets an automatic place instead
        if math.isfinite(x) and math.isfinite(y):
            out[str(uid)] = (x, y)
    return out


# -- layout --------------------------------------------------------------------------------


def save_layout(project: ProjectStore, positions: Mapping[str, tuple[float, float]]) -> Change:
    """Keep box centres (by theme uid) in the project; other saved boxes keep theirs."""
    with project.transaction() as tx:
        themes = {c.uid for c in tx.codes.list() if c.parent_id is None}
        unknown = set(positions) - themes
        if unknown:
            raise OperationError(f"no theme has the uid {sorted(unknown)[0]}")
        layout = _layout(tx.project.describe()["settings"])
        for uid, (x, y) in positions.items():
            if not (math.isfinite(x) and math.isfinite(y)):
                raise OperationError("a box position must be a finite number")
            layout[uid] = (round(float(x), 1), round(float(y), 1))
        tx.project.set_setting(LAYOUT_SETTING, {k: list(v) for k, v in layout.items()})
    summary = f"Moved {len(positions)} theme box(es)"
    return Change("network.layout.save", summary, areas={Area.OUTPUTS})


def reset_layout(project: ProjectStore, *, actor: str | None = None) -> Change:
    """Forget the hand-made layout; the next drawing is laid out automatically."""
    actor = actor or default_actor()
    summary = "Reset the network layout to the automatic one"
    with project.transaction() as tx:
        tx.project.set_setting(LAYOUT_SETTING, {})
        tx.audit.record(actor, "network.layout.reset", summary, {})
    return Change("network.layout.reset", summary, areas={Area.OUTPUTS})


# -- export --------------------------------------------------------------------------------


def format_for(path: str | Path, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """The format from ``fmt`` or the file's suffix.

    Raises:
        OperationError: When it is not one of ``allowed``.
    """
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in allowed:
        raise OperationError(
            f"cannot write '{Path(path).name}': choose a file ending in "
            + ", ".join(f".{f}" for f in allowed)
        )
    return chosen


def export_network(
    project: ProjectStore,
    view: NetworkView,
    path: str | Path,
    *,
    fmt: str | None = None,
    picture_writer: PictureWriter | None = None,
    layout: LayoutProvider | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Path:
    """Write the network as a picture (svg, pdf, png) or data (graphml, gexf, csv edges).

    Args:
        project: The project (the export is recorded in its audit log).
        view: What :func:`compute_network` returned.
        path: File to write (replaced whole; a failure leaves no half-written file).
        fmt: The format; default from the suffix.
        picture_writer: Draws pictures (``ketqual.render.network.export.write_picture``).
        layout: Where the figure's boxes go (``ketqual.render.network.export.figure_places``),
            so GraphML and GEXF carry the figure's positions, sizes and colours; without
            it only the boxes placed by hand have a position.
        actor: Name for the audit log.
        check: Override and key for the identifier check (see
            :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: For an unknown format, when what would be written holds
            identifiers, or when the file cannot be written.
    """
    path = Path(path)
    fmt = format_for(path, fmt, NETWORK_FORMATS)
    outgoing.check_outgoing(
        project,
        what="theme-overlap network",
        destination=path,
        payload=view,
        options=check,
        actor=actor,
    )
    try:
        if fmt in PICTURE_FORMATS:
            if picture_writer is None:
                raise OperationError(f"{fmt} pictures need the drawing module (Qt)")
            picture_writer(view.figure, path, fmt)
        else:
            places: BoxPlaces = {}
            if layout is not None and fmt != "csv":
                places = layout(view.figure)
            elif fmt != "csv":
                places = {u: (x, y, 0.0, 0.0) for u, (x, y) in view.figure.positions.items()}
            network_files.write(
                view.result,
                view.shown,
                path,
                fmt=fmt,
                measure=view.measure,
                about=view.about(),
                places=places,
                themes=view.themes or None,
            )
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    _record_export(project, view, path, fmt, "network.export", actor)
    return path


def export_cooccurrence(
    project: ProjectStore,
    view: NetworkView,
    path: str | Path,
    *,
    fmt: str | None = None,
    actor: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Path:
    """Write the theme x theme co-occurrence table as csv (tidy pairs) or xlsx (matrices),
    after checking it for identifiers."""
    path = Path(path)
    fmt = format_for(path, fmt, TABLE_FORMATS)
    outgoing.check_outgoing(
        project,
        what="co-occurrence table",
        destination=path,
        payload=view,
        options=check,
        actor=actor,
    )
    try:
        cooccurrence_files.write(
            view.result, path, fmt=fmt, measure=view.measure, about=view.about()
        )
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    _record_export(project, view, path, fmt, "network.table.export", actor)
    return path


def _record_export(project, view: NetworkView, path: Path, fmt: str, action: str, actor) -> None:
    what = "co-occurrence table" if action == "network.table.export" else "theme-overlap network"
    summary = f"Exported the {what} of the {view.layer_label} as {fmt} ({path.name})"
    with project.transaction() as tx:
        tx.audit.record(
            actor or default_actor(),
            action,
            summary,
            {
                "file": str(path),
                "format": fmt,
                "layer": view.layer,
                "unit": view.unit,
                "measure": view.measure,
                "min_weight": view.min_weight,
                "edges": len(view.shown),
                "basis": view.basis,
            },
        )
