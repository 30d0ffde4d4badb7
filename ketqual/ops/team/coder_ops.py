"""Who is coding: coder identities, roles, and the project's blinding.

A project starts blinded: each coder sees only their own layer of codings. A supervisor
may unblind it (with a reason, written to the audit log) so that every layer can be
viewed side by side for agreement and consensus, and may blind it again.

Blinding is a working agreement between honest colleagues, not access control: anyone
holding the project file can read it with other software. The README says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core import names
from ketqual.core.ids import utcnow
from ketqual.core.records import CODER_ROLES, CoderRecord
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

UNBLINDED_SETTING = "unblinded"
# Colours for coders' stripes when layers are compared; distinct from the theme palette.
CODER_COLOURS = ("#332288", "#117733", "#AA4499", "#882255", "#44AA99", "#999933")


@dataclass(frozen=True)
class CoderAdded:
    """Payload of :func:`add_coder`: the new coder or supervisor."""

    coder: CoderRecord


@dataclass(frozen=True)
class Blinding:
    """The project's blinding state."""

    unblinded: bool
    at: str | None = None
    by: str | None = None
    reason: str | None = None


def list_coders(project: ProjectStore) -> list[CoderRecord]:
    """Every coder and supervisor, by name."""
    with project.read() as tx:
        return tx.coders.list()


def find_coder(project: ProjectStore, name_or_id: str | int) -> CoderRecord:
    """A coder by id or by name (case-insensitive).

    Raises:
        OperationError: there is no such coder.
    """
    with project.read() as tx:
        return coder_in(tx, name_or_id)


def lookup_coder(project: ProjectStore, name: str) -> CoderRecord | None:
    """The coder called ``name`` (case-insensitive), or ``None``."""
    with project.read() as tx:
        return tx.coders.by_name(" ".join(name.split()))


def coder_in(tx: Tx, name_or_id: str | int) -> CoderRecord:
    """Like :func:`find_coder`, inside a transaction another operation holds."""
    if isinstance(name_or_id, int):
        found = tx.coders.get(name_or_id)
        if found is not None:
            return found
    else:
        named = tx.coders.by_name(name_or_id.strip())
        if named is not None:
            return named
    names = ", ".join(c.name for c in tx.coders.list()) or "none yet"
    raise OperationError(f"no coder called '{name_or_id}' (coders: {names})")


def add_coder(
    project: ProjectStore, name: str, *, role: str = "coder", actor: str | None = None
) -> Change:
    """Create a coder or supervisor identity."""
    actor = actor or default_actor()
    if not " ".join(name.split()):
        raise OperationError("a coder needs a name")
    try:
        name = names.check_name(name, what="a coder's name", max_length=120)
    except names.InvalidName as exc:
        raise OperationError(str(exc)) from None
    if role not in CODER_ROLES:
        raise OperationError(f"role must be one of {', '.join(CODER_ROLES)}")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        if tx.coders.by_name(name) is not None:
            raise OperationError(f"there is already a coder called '{name}'")
        colour = CODER_COLOURS[len(tx.coders.list()) % len(CODER_COLOURS)]
        coder = tx.coders.add(name, role, colour)
        summary = f"Added {role} '{name}'"
        tx.audit.record(actor, "coder.add", summary, {"coder_uid": coder.uid, "role": role})
    return Change(
        "coder.add",
        summary,
        areas={Area.PEOPLE},
        details={"coder_id": coder.id},
        payload=CoderAdded(coder),
    )


def blinding(project: ProjectStore) -> Blinding:
    """Whether the project is unblinded, and by whom, when and why."""
    with project.read() as tx:
        return blinding_in(tx)


def blinding_in(tx: Tx) -> Blinding:
    """Like :func:`blinding`, inside a transaction another operation holds."""
    state = tx.project.describe()["settings"].get(UNBLINDED_SETTING) or {}
    if not state:
        return Blinding(False)
    return Blinding(True, state.get("at"), state.get("by"), state.get("reason"))


def set_unblinded(
    project: ProjectStore,
    *,
    by_coder_id: int,
    unblinded: bool,
    reason: str,
    actor: str | None = None,
) -> Change:
    """Unblind (or blind again) the project. Only a supervisor may; a reason is required."""
    reason = reason.strip()
    if not reason:
        raise OperationError("give a reason; it is kept in the audit log")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        who = coder_in(tx, by_coder_id)
        if who.role != "supervisor":
            raise OperationError(f"only a supervisor can change blinding ('{who.name}' is a coder)")
        if blinding_in(tx).unblinded == unblinded:
            raise OperationError(
                "the project is already " + ("unblinded" if unblinded else "blinded")
            )
        state = {"at": utcnow(), "by": who.name, "reason": reason} if unblinded else {}
        tx.project.set_setting(UNBLINDED_SETTING, state)
        action = "project.unblind" if unblinded else "project.blind"
        verb = "Unblinded" if unblinded else "Blinded"
        summary = f"{verb} the project: {reason}"
        tx.audit.record(actor or who.name, action, summary, {"by": who.name, "reason": reason})
    # Who may see which layers changed: every window showing codings refreshes.
    return Change(action, summary, areas={Area.PROJECT, Area.CODINGS})


def visible_layers(project: ProjectStore, viewer_id: int) -> list[CoderRecord]:
    """The coders whose layers ``viewer_id`` may see: only their own while blinded."""
    with project.read() as tx:
        viewer = coder_in(tx, viewer_id)
        if blinding_in(tx).unblinded:
            return tx.coders.list()
        return [viewer]


def check_may_view(tx: Tx, viewer: CoderRecord | None, coder_ids: list[int | None]) -> None:
    """Refuse to show another coder's layer (or consensus) while the project is blinded."""
    if blinding_in(tx).unblinded:
        return
    others = [c for c in coder_ids if viewer is None or c != viewer.id]
    if others:
        who = viewer.name if viewer else "nobody"
        raise OperationError(
            f"the project is blinded, so {who} can see only their own codings; "
            "a supervisor can unblind it"
        )
