"""Codebook operations: add, rename, recolour, redefine, move, merge, retire, delete,
export and import. Each is one transaction, is written to the audit log and leaves a
codebook version snapshot behind, so the history of the framework can be traced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.core import codebook as cb
from ketqual.core import palette
from ketqual.core.records import CodeRecord, CodingRecord
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import NeedsConfirmation, OperationError
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

if TYPE_CHECKING:
    from ketqual.ops.privacy import outgoing

TEXT_FIELDS = ("definition", "include", "exclude", "example")
CODEBOOK = frozenset({Area.CODEBOOK})
CODEBOOK_AND_CODINGS = frozenset({Area.CODEBOOK, Area.CODINGS})


# ----- payloads: what undo needs to know -------------------------------------------------
@dataclass(frozen=True)
class CodeAdded:
    """Payload of :func:`add_code` and :func:`restore_codes`: the code now present."""

    code_id: int


@dataclass(frozen=True)
class CodeDeleted:
    """Payload of :func:`delete_code`: the codes (parent first) and codings removed."""

    codes: tuple[CodeRecord, ...]
    codings: tuple[CodingRecord, ...]


@dataclass(frozen=True)
class CodeRenamed:
    """Payload of :func:`rename_code`."""

    code_id: int
    old: str
    new: str


@dataclass(frozen=True)
class CodeRecoloured:
    """Payload of :func:`recolour_code`."""

    code_id: int
    old: str
    new: str


@dataclass(frozen=True)
class CodeEdited:
    """Payload of :func:`update_code`: the fields before and after (``shortcut`` too)."""

    code_id: int
    old: dict
    new: dict


@dataclass(frozen=True)
class CodeRetired:
    """Payload of :func:`retire_code`: ``retired`` False when it was brought back."""

    code_id: int
    retired: bool


@dataclass(frozen=True)
class CodeMoved:
    """Payload of :func:`move_code`: where the code was before."""

    code_id: int
    old_parent_id: int | None
    old_position: int
    old_shortcut: str | None


@dataclass(frozen=True)
class CodesMerged:
    """Payload of :func:`merge_codes`: what :func:`unmerge_codes` puts back."""

    source: CodeRecord
    target_id: int
    moved_ids: tuple[int, ...]
    children: tuple[CodeRecord, ...]


@dataclass(frozen=True)
class CodesUnmerged:
    """Payload of :func:`unmerge_codes`."""

    source_id: int
    target_id: int


def _get(tx: Tx, code_id: int) -> CodeRecord:
    code = tx.codes.get(code_id)
    if code is None:
        raise OperationError(f"there is no code with id {code_id}")
    return code


def code_path(codes: list[CodeRecord], code: CodeRecord) -> str:
    """``Theme/Subtheme`` path of a code."""
    if code.parent_id is None:
        return code.name
    parent = next(c for c in codes if c.id == code.parent_id)
    return f"{parent.name}/{code.name}"


def find_code(project: ProjectStore, path_or_id: str | int) -> CodeRecord:
    """A code by id or by ``Theme`` / ``Theme/Subtheme`` path (case-insensitive)."""
    with project.read() as tx:
        codes = tx.codes.list()
    if isinstance(path_or_id, int) or str(path_or_id).isdigit():
        for code in codes:
            if code.id == int(path_or_id):
                return code
    wanted = str(path_or_id).strip().casefold()
    for code in codes:
        if code_path(codes, code).casefold() == wanted:
            return code
    raise OperationError(f"no code called '{path_or_id}' (use Theme or Theme/Subtheme)")


def _check_sibling_name(
    tx: Tx, parent_id: int | None, name: str, exclude: int | None = None
) -> None:
    for code in tx.codes.list():
        if (
            code.parent_id == parent_id
            and code.id != exclude
            and code.name.casefold() == name.casefold()
        ):
            where = "a theme" if parent_id is None else "a subtheme of the same theme"
            raise OperationError(f"there is already {where} called '{code.name}'")


def _check_shortcut(tx: Tx, shortcut: str | None, exclude: int | None = None) -> None:
    if shortcut is None:
        return
    if shortcut not in cb.SHORTCUT_KEYS:
        raise OperationError("a shortcut must be one of the keys 1-9 or 0")
    for code in tx.codes.list():
        if code.shortcut == shortcut and code.id != exclude:
            raise OperationError(f"key {shortcut} is already the shortcut of '{code.name}'")


def _finish(tx: Tx, actor: str, action: str, summary: str, details: dict) -> None:
    tx.audit.record(actor, action, summary, details)
    name = tx.project.describe()["name"]
    snapshot = cb.dumps(cb.from_records(tx.codes.list(), name))
    tx.codebook_versions.add(actor, summary, snapshot)


def _clean(name: str) -> str:
    try:
        return cb.check_name(name)
    except cb.CodebookError as exc:
        raise OperationError(str(exc)) from None


def add_code(
    project: ProjectStore,
    name: str,
    *,
    parent_id: int | None = None,
    colour: str | None = None,
    shortcut: str | None = None,
    actor: str | None = None,
    **texts: str,
) -> Change:
    """Add a theme (no parent) or a subtheme; colour defaults from the palette."""
    actor = actor or default_actor()
    name = _clean(name)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        codes = tx.codes.list()
        if parent_id is not None:
            parent = _get(tx, parent_id)
            if parent.parent_id is not None:
                raise OperationError("subthemes cannot have subthemes (two levels at most)")
            if shortcut:
                raise OperationError("only themes get number-key shortcuts")
            siblings = [c for c in codes if c.parent_id == parent_id]
            colour = colour or palette.subtheme_colour(parent.colour, len(siblings))
        else:
            colour = colour or palette.theme_colour(len([c for c in codes if c.parent_id is None]))
        if not palette.is_colour(colour):
            raise OperationError(f"colour must look like #RRGGBB, got {colour!r}")
        _check_sibling_name(tx, parent_id, name)
        _check_shortcut(tx, shortcut)
        unknown = set(texts) - set(TEXT_FIELDS)
        if unknown:
            raise OperationError(f"unknown code fields: {', '.join(sorted(unknown))}")
        code = tx.codes.add(
            parent_id=parent_id, name=name, colour=colour.upper(), shortcut=shortcut, **texts
        )
        summary = f"Added code '{code_path(tx.codes.list(), code)}'"
        _finish(tx, actor, "code.add", summary, {"code_uid": code.uid})
    return Change(
        "code.add",
        summary,
        areas=CODEBOOK,
        codes=(code.id,),
        details={"code_id": code.id},
        payload=CodeAdded(code.id),
    )


def rename_code(
    project: ProjectStore, code_id: int, name: str, *, actor: str | None = None
) -> Change:
    """Rename a code."""
    actor = actor or default_actor()
    name = _clean(name)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        _check_sibling_name(tx, code.parent_id, name, exclude=code_id)
        tx.codes.update(code_id, name=name)
        summary = f"Renamed code '{code.name}' to '{name}'"
        _finish(
            tx, actor, "code.rename", summary, {"code_uid": code.uid, "old": code.name, "new": name}
        )
    return Change(
        "code.rename",
        summary,
        areas=CODEBOOK,
        codes=(code_id,),
        details={"code_id": code_id, "old": code.name, "new": name},
        payload=CodeRenamed(code_id, code.name, name),
    )


def recolour_code(
    project: ProjectStore, code_id: int, colour: str, *, actor: str | None = None
) -> Change:
    """Give a code a new colour (#RRGGBB)."""
    actor = actor or default_actor()
    if not palette.is_colour(colour):
        raise OperationError(f"colour must look like #RRGGBB, got {colour!r}")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        tx.codes.update(code_id, colour=colour.upper())
        summary = f"Recoloured code '{code.name}' to {colour.upper()}"
        _finish(tx, actor, "code.recolour", summary, {"code_uid": code.uid, "old": code.colour})
    return Change(
        "code.recolour",
        summary,
        areas=CODEBOOK,
        codes=(code_id,),
        details={"code_id": code_id, "old": code.colour, "new": colour.upper()},
        payload=CodeRecoloured(code_id, code.colour, colour.upper()),
    )


def update_code(
    project: ProjectStore,
    code_id: int,
    *,
    actor: str | None = None,
    shortcut: str | None | bool = False,
    **texts: str,
) -> Change:
    """Change a code's definition, include/exclude notes, example or shortcut.

    Pass ``shortcut=None`` to remove a shortcut; leave it out to keep it.
    """
    actor = actor or default_actor()
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise OperationError(f"unknown code fields: {', '.join(sorted(unknown))}")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        fields: dict = {k: v.strip() for k, v in texts.items()}
        if shortcut is not False:
            if shortcut and code.parent_id is not None:
                raise OperationError("only themes get number-key shortcuts")
            key = shortcut if isinstance(shortcut, str) and shortcut else None
            _check_shortcut(tx, key, exclude=code_id)
            fields["shortcut"] = key
        if not fields:
            raise OperationError("nothing to change")
        old = {key: getattr(code, key) for key in fields}
        tx.codes.update(code_id, **fields)
        summary = f"Edited {', '.join(sorted(fields))} of code '{code.name}'"
        _finish(tx, actor, "code.edit", summary, {"code_uid": code.uid, "fields": sorted(fields)})
    return Change(
        "code.edit",
        summary,
        areas=CODEBOOK,
        codes=(code_id,),
        details={"code_id": code_id, "old": old, "new": fields},
        payload=CodeEdited(code_id, dict(old), dict(fields)),
    )


def move_code(
    project: ProjectStore,
    code_id: int,
    *,
    parent_id: int | None,
    position: int | None = None,
    actor: str | None = None,
) -> Change:
    """Move a code under another theme (or to the top level), at ``position`` among siblings."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        codes = tx.codes.list()
        if parent_id is not None:
            parent = _get(tx, parent_id)
            if parent.parent_id is not None or parent_id == code_id:
                raise OperationError("a code can only be moved under a theme")
            if any(c.parent_id == code_id for c in codes):
                raise OperationError(f"'{code.name}' has subthemes, so it must stay a theme")
            if code.shortcut:
                tx.codes.update(code_id, shortcut=None)
        _check_sibling_name(tx, parent_id, code.name, exclude=code_id)
        old_siblings = [c for c in codes if c.parent_id == code.parent_id]
        old_position = [c.id for c in old_siblings].index(code_id)
        siblings = [c for c in codes if c.parent_id == parent_id and c.id != code_id]
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, code)
        tx.codes.update(code_id, parent_id=parent_id)
        for order, sibling in enumerate(siblings, start=1):
            tx.codes.update(sibling.id, sort_order=order)
        where = "the top level" if parent_id is None else f"'{_get(tx, parent_id).name}'"
        summary = f"Moved code '{code.name}' to {where}, position {index + 1}"
        _finish(tx, actor, "code.move", summary, {"code_uid": code.uid, "parent_id": parent_id})
    details = {
        "code_id": code_id,
        "old_parent_id": code.parent_id,
        "old_position": old_position,
        "old_shortcut": code.shortcut,
    }
    payload = CodeMoved(code_id, code.parent_id, old_position, code.shortcut)
    return Change(
        "code.move", summary, areas=CODEBOOK, codes=(code_id,), details=details, payload=payload
    )


def merge_codes(
    project: ProjectStore, source_id: int, target_id: int, *, actor: str | None = None
) -> Change:
    """Merge ``source`` into ``target``: its codings (and subthemes) follow; source goes."""
    actor = actor or default_actor()
    if source_id == target_id:
        raise OperationError("choose two different codes to merge")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        source, target = _get(tx, source_id), _get(tx, target_id)
        children = [c for c in tx.codes.list() if c.parent_id == source_id]
        if target.parent_id == source_id:
            raise OperationError("a theme cannot be merged into its own subtheme")
        if children and target.parent_id is not None:
            raise OperationError(
                f"'{source.name}' has subthemes; merge it into a theme, or move its subthemes first"
            )
        for child in children:
            _check_sibling_name(tx, target_id, child.name)
        moved_ids = [c.id for c in tx.codings.list(code_ids=[source_id])]
        moved = tx.codes.reassign_codings(source_id, target_id)
        tx.votes.move_links(source_id, target_id)  # voting questions follow their theme
        start = len([c for c in tx.codes.list() if c.parent_id == target_id])
        for offset, child in enumerate(children, start=1):
            tx.codes.update(child.id, parent_id=target_id, sort_order=start + offset)
        tx.codes.delete(source_id)
        summary = f"Merged code '{source.name}' into '{target.name}' ({moved} codings moved)"
        details = {"source_uid": source.uid, "target_uid": target.uid, "codings_moved": moved}
        _finish(tx, actor, "code.merge", summary, details)
    return Change(
        "code.merge",
        summary,
        areas=CODEBOOK_AND_CODINGS,
        codes=(target_id,),
        details=details,
        payload=CodesMerged(source, target_id, tuple(moved_ids), tuple(children)),
    )


def retire_code(
    project: ProjectStore, code_id: int, *, retired: bool = True, actor: str | None = None
) -> Change:
    """Retire a code (hidden from coding, codings kept) or bring it back."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        tx.codes.update(code_id, active=not retired)
        for child in [c for c in tx.codes.list() if c.parent_id == code_id]:
            tx.codes.update(child.id, active=not retired)
        verb = "Retired" if retired else "Restored"
        summary = f"{verb} code '{code.name}'"
        _finish(
            tx, actor, "code.retire" if retired else "code.restore", summary, {"code_uid": code.uid}
        )
    return Change(
        "code.retire" if retired else "code.restore",
        summary,
        areas=CODEBOOK,
        codes=(code_id,),
        details={"code_id": code_id, "retired": retired},
        payload=CodeRetired(code_id, retired),
    )


def delete_code(
    project: ProjectStore, code_id: int, *, confirm: bool = False, actor: str | None = None
) -> Change:
    """Delete a code and its subthemes.

    Raises:
        NeedsConfirmation: the code (or a subtheme) has codings and ``confirm`` is False.
    """
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        doomed = [code] + [c for c in tx.codes.list() if c.parent_id == code_id]
        counts = tx.codes.coding_counts()
        codings = sum(counts.get(c.id, 0) for c in doomed)
        if codings and not confirm:
            raise NeedsConfirmation(
                f"'{code.name}' has {codings} codings; retire it to keep them, "
                "or confirm to delete the code and its codings"
            )
        lost = tx.codings.list(code_ids=[c.id for c in doomed])
        removed = tx.codings.delete_for_codes([c.id for c in doomed])
        for victim in reversed(doomed):
            tx.codes.delete(victim.id)
        summary = f"Deleted code '{code.name}'" + (f" and {removed} codings" if removed else "")
        details = {"code_uid": code.uid, "codings_deleted": removed, "codes_deleted": len(doomed)}
        _finish(tx, actor, "code.delete", summary, details)
    return Change(
        "code.delete",
        summary,
        areas=CODEBOOK_AND_CODINGS if lost else CODEBOOK,
        codes=(code_id,),
        details=details,
        payload=CodeDeleted(tuple(doomed), tuple(lost)),
    )


def export_codebook(
    project: ProjectStore,
    path: Path,
    *,
    check: outgoing.CheckOptions | None = None,
    actor: str | None = None,
) -> Path:
    """Write the project's codebook as JSON (the exchange format), after checking its
    definitions and examples for identifiers (see :mod:`ketqual.ops.privacy.outgoing`).

    Raises:
        OperationError: the file cannot be written, or the check refused it.
    """
    from ketqual.ops.privacy import outgoing  # identifier checks load with the first export

    with project.read() as tx:
        book = cb.from_records(tx.codes.list(), tx.project.describe()["name"])
    outgoing.check_outgoing(
        project, what="codebook", destination=path, payload=book, options=check, actor=actor
    )
    try:
        Path(path).write_text(cb.dumps(book), encoding="utf-8")
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    return Path(path)


def read_codebook_file(path: Path) -> cb.Codebook:
    """Read and validate a codebook file, with user-facing errors."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise OperationError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > 5 * 1024 * 1024:
        raise OperationError("the codebook file is too large to be a codebook (over 5 MB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OperationError("the codebook file is not UTF-8 text") from None
    try:
        return cb.loads(text)
    except cb.CodebookError as exc:
        raise OperationError(str(exc)) from None


def apply_codebook(tx: Tx, book: cb.Codebook) -> dict[str, int]:
    """Merge a codebook into the project's codes inside ``tx``.

    Codes are matched by uid, then by name path; matched codes take the file's fields,
    unmatched ones are added. Codes the file does not mention are left alone.
    """
    stats = {"added": 0, "updated": 0}
    existing = tx.codes.list()
    by_uid = {c.uid: c for c in existing}
    used_keys = {c.shortcut: c.id for c in existing if c.shortcut}

    def match(spec: cb.CodeSpec, parent_id: int | None) -> CodeRecord | None:
        if spec.uid and spec.uid in by_uid:
            return by_uid[spec.uid]
        for code in tx.codes.list():
            if code.parent_id == parent_id and code.name.casefold() == spec.name.casefold():
                return code
        return None

    def put(spec: cb.CodeSpec, parent_id: int | None) -> int:
        fields = {k: getattr(spec, k) for k in TEXT_FIELDS}
        found = match(spec, parent_id)
        shortcut = spec.shortcut if parent_id is None else None
        if shortcut and used_keys.get(shortcut) not in (None, found.id if found else None):
            shortcut = None  # an existing code keeps its key; the newcomer goes without
        if found:
            tx.codes.update(
                found.id, name=spec.name, colour=spec.colour, shortcut=shortcut, **fields
            )
            stats["updated"] += 1
            code_id = found.id
        else:
            # a new code keeps the file's uid, so the same code matches on the next import
            uid = spec.uid if spec.uid and spec.uid not in by_uid else None
            added = tx.codes.add(
                parent_id=parent_id,
                name=spec.name,
                colour=spec.colour,
                shortcut=shortcut,
                uid=uid,
                **fields,
            )
            by_uid[added.uid] = added
            code_id = added.id
            stats["added"] += 1
        if shortcut:
            used_keys[shortcut] = code_id
        return code_id

    for theme in book.codes:
        theme_id = put(theme, None)
        for child in theme.children:
            put(child, theme_id)
    return stats


def import_codebook(project: ProjectStore, path: Path, *, actor: str | None = None) -> Change:
    """Merge a codebook JSON file into the project (see :func:`apply_codebook`)."""
    actor = actor or default_actor()
    book = read_codebook_file(path)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        stats = apply_codebook(tx, book)
        summary = (
            f"Imported codebook '{book.name}' from {Path(path).name}: "
            f"{stats['added']} codes added, {stats['updated']} updated"
        )
        _finish(tx, actor, "codebook.import", summary, {"file": Path(path).name, **stats})
    return Change("codebook.import", summary, areas=CODEBOOK, details=stats)


def restore_codes(
    project: ProjectStore,
    codes: Sequence[CodeRecord],
    codings: Sequence[CodingRecord],
    *,
    actor: str | None = None,
) -> Change:
    """Bring deleted codes (parents first) and their codings back exactly as they were.

    This is the inverse of :func:`delete_code`, used by undo.
    """
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        for code in codes:
            if tx.codes.get(code.id) is not None:
                raise OperationError(f"code '{code.name}' already exists")
            _check_sibling_name(tx, code.parent_id, code.name)
            tx.codes.restore(code)
        tx.codings.restore_many(codings)
        summary = f"Brought back code '{codes[0].name}'" + (
            f" and {len(codings)} codings" if codings else ""
        )
        _finish(tx, actor, "code.undelete", summary, {"code_uid": codes[0].uid})
    return Change(
        "code.undelete",
        summary,
        areas=CODEBOOK_AND_CODINGS if codings else CODEBOOK,
        codes=tuple(c.id for c in codes),
        details={"code_id": codes[0].id},
        payload=CodeAdded(codes[0].id),
    )


def unmerge_codes(
    project: ProjectStore,
    source: CodeRecord,
    target_id: int,
    moved_ids: Sequence[int],
    children: Sequence[CodeRecord],
    *,
    actor: str | None = None,
) -> Change:
    """Undo a merge: the source code returns with its codings and subthemes."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        _check_sibling_name(tx, source.parent_id, source.name)
        tx.codes.restore(source)
        for coding_id in moved_ids:
            tx.codings.update(coding_id, code_id=source.id)
        for child in children:
            tx.codes.update(child.id, parent_id=source.id, sort_order=child.sort_order)
        summary = f"Separated code '{source.name}' again ({len(moved_ids)} codings)"
        _finish(tx, actor, "code.unmerge", summary, {"source_uid": source.uid})
    return Change(
        "code.unmerge",
        summary,
        areas=CODEBOOK_AND_CODINGS,
        codes=(source.id, target_id),
        details={"source_id": source.id, "target_id": target_id},
        payload=CodesUnmerged(source.id, target_id),
    )


def split_code(
    project: ProjectStore,
    code_id: int,
    new_name: str,
    *,
    coding_ids: list[int] | tuple[int, ...] = (),
    definition: str = "",
    actor: str | None = None,
) -> Change:
    """Split a code: a new sibling named ``new_name`` takes the codings listed (from any
    layer); the rest stay where they are, to be recoded one by one if need be."""
    actor = actor or default_actor()
    new_name = _clean(new_name)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        code = _get(tx, code_id)
        _check_sibling_name(tx, code.parent_id, new_name)
        siblings = [c for c in tx.codes.list() if c.parent_id == code.parent_id]
        if code.parent_id is None:
            colour = palette.theme_colour(len(siblings))
        else:
            colour = palette.subtheme_colour(_get(tx, code.parent_id).colour, len(siblings))
        new = tx.codes.add(
            parent_id=code.parent_id,
            name=new_name,
            colour=colour,
            definition=definition.strip(),
        )
        moving = [c for c in tx.codings.get_many(coding_ids) if c.code_id == code_id]
        if len(moving) != len(set(coding_ids)):
            raise OperationError(f"only codings of '{code.name}' can move to the new code")
        for coding in moving:
            tx.codings.update(coding.id, code_id=new.id)
        summary = f"Split '{new_name}' off '{code.name}' ({len(moving)} codings moved)"
        details = {"code_uid": code.uid, "new_uid": new.uid, "codings_moved": len(moving)}
        _finish(tx, actor, "code.split", summary, details)
    return Change(
        "code.split",
        summary,
        areas=CODEBOOK_AND_CODINGS,
        codes=(code_id, new.id),
        details={**details, "new_id": new.id, "moved_ids": [c.id for c in moving]},
    )
