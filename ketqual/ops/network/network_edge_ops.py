"""The analyst's decisions on edges of the theme-overlap network, audited with who and when.

Accepting or rejecting a computed edge keeps what the analyst saw (layer, unit, measure,
value); an edge drawn by hand is marked as drawn. Undeciding forgets the decision.
"""

from __future__ import annotations

from ketqual.core.ids import utcnow
from ketqual.core.network import MEASURE_LABELS
from ketqual.core.network_figure import EdgeDecision, format_value
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.network.network_view import NetworkView
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx


def _themes(tx: Tx, source: int, target: int) -> tuple[str, str]:
    names = []
    for code_id in (source, target):
        code = tx.codes.get(code_id)
        if code is None:
            raise OperationError(f"there is no code with id {code_id}")
        if code.parent_id is not None:
            raise OperationError(f"'{code.name}' is a subtheme; edges join themes")
        names.append(code.name)
    if source == target:
        raise OperationError("an edge joins two different themes")
    return names[0], names[1]


def decide_edge(
    project: ProjectStore,
    view: NetworkView,
    source: int,
    target: int,
    status: str,
    *,
    actor: str | None = None,
) -> Change:
    """Accept or reject a computed edge, keeping the layer, unit, measure and value seen."""
    if status not in ("accepted", "rejected"):
        raise OperationError("an edge is either accepted or rejected")
    actor = actor or default_actor()
    pair = view.result.pair(source, target) if _known(view, source, target) else None
    value = view.result.value(source, target, view.measure) if pair else None
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        name_a, name_b = _themes(tx, source, target)
        decision = EdgeDecision(
            source,
            target,
            "computed",
            status,
            False,
            view.layer,
            view.unit,
            view.measure,
            value,
            actor,
            utcnow(),
        )
        tx.network.put(decision)
        verb = "Accepted" if status == "accepted" else "Rejected"
        shown = format_value(view.measure, value) or "undefined"
        summary = (
            f"{verb} the edge {name_a} – {name_b} ({MEASURE_LABELS[view.measure]} {shown}, "
            f"{view.layer_label}, unit {view.unit})"
        )
        tx.audit.record(actor, f"network.edge.{status[:-2]}", summary, _details(decision))
    return Change(
        f"network.edge.{status[:-2]}", summary, areas={Area.OUTPUTS}, codes=(source, target)
    )


def _known(view: NetworkView, source: int, target: int) -> bool:
    ids = {t.code_id for t in view.result.themes}
    return source in ids and target in ids and source != target


def _details(decision: EdgeDecision) -> dict:
    return {
        "source_code_id": decision.source,
        "target_code_id": decision.target,
        "origin": decision.origin,
        "status": decision.status,
        "directed": decision.directed,
        "layer": decision.layer,
        "unit": decision.unit,
        "measure": decision.measure,
        "value": decision.value,
    }


def draw_edge(
    project: ProjectStore,
    source: int,
    target: int,
    *,
    directed: bool = False,
    layer: str | None = None,
    actor: str | None = None,
) -> Change:
    """Add an edge by hand (an arrow from ``source`` to ``target`` when ``directed``)."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        name_a, name_b = _themes(tx, source, target)
        decision = EdgeDecision(
            source, target, "drawn", "accepted", directed, layer, None, None, None, actor, utcnow()
        )
        tx.network.put(decision)
        arrow = "→" if directed else "–"
        summary = f"Drew an edge {name_a} {arrow} {name_b} by hand"
        tx.audit.record(actor, "network.edge.draw", summary, _details(decision))
    return Change("network.edge.draw", summary, areas={Area.OUTPUTS}, codes=(source, target))


def remove_edge(
    project: ProjectStore, source: int, target: int, *, actor: str | None = None
) -> Change:
    """Forget the decision on a pair (a drawn edge disappears, a computed one is undecided)."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        name_a, name_b = _themes(tx, source, target)
        gone = tx.network.remove(source, target)
        if gone is None:
            raise OperationError(f"there is no decision on {name_a} – {name_b} to undo")
        summary = f"Removed the {gone.origin} edge {name_a} – {name_b} ({gone.status})"
        tx.audit.record(actor, "network.edge.remove", summary, _details(gone))
    return Change("network.edge.remove", summary, areas={Area.OUTPUTS}, codes=(source, target))
