"""Importing a REFI-QDA codebook (``.qdc``, or the codebook of a ``.qdpx``) into a project.

The codes are merged into the project's codebook the way a KetQual codebook file is
(:func:`ketqual.ops.codebook.codebook_ops.apply_codebook`): matched by their GUID, then by
name under the same parent; matched codes take the file's colour and texts, new ones are
added, codes the file does not mention are left alone. Trees deeper than theme › subtheme
are flattened into subthemes named by their path, as a project import does.
"""

from __future__ import annotations

from pathlib import Path

from ketqual.core import codebook as cb
from ketqual.core.exchange import ImportSummary, plural
from ketqual.core.model import ImportRefused
from ketqual.io.formats import refi_qda_reader
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.exchange import qdpx_plan
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore


def read_qdc(path: str | Path) -> tuple[cb.Codebook, ImportSummary]:
    """The codebook in a ``.qdc`` (or ``.qdpx``/``.qde``) file, and what reading it noted.

    Raises:
        OperationError: The file is unsafe, not REFI-QDA, or holds no codes.
    """
    path = Path(path)
    try:
        with refi_qda_reader.open_file(path) as qda_file:
            project = qda_file.project
    except ImportRefused as exc:
        raise OperationError(f"cannot import {path.name}: {exc}") from None
    summary = ImportSummary(file_name=path.name, origin=project.origin)
    summary.counts = dict(project.counts)
    planned, _keys = qdpx_plan.plan_codes(project, {}, summary)
    if not planned:
        raise OperationError(f"{path.name} holds no codes")
    children: dict[str, list] = {}
    for code in planned:
        if code.parent is not None:
            children.setdefault(code.parent, []).append(code)

    def spec(code, kids=()) -> cb.CodeSpec:
        return cb.CodeSpec(
            name=code.name,
            colour=code.colour,
            definition=code.definition,
            include=code.include,
            exclude=code.exclude,
            example=code.example,
            shortcut=code.shortcut,
            uid=code.uid,
            children=tuple(kids),
        )

    themes = tuple(
        spec(code, [spec(child) for child in children.get(code.key, [])])
        for code in planned
        if code.parent is None
    )
    if project.counts.get("Set"):
        summary.lost.append(plural(project.counts["Set"], "set of codes", "sets of codes"))
    return cb.Codebook(project.name or path.stem, "", themes), summary


def import_qdc(project: ProjectStore, path: str | Path, *, actor: str | None = None) -> Change:
    """Merge the codebook of a REFI-QDA file into the project's codebook (one transaction,
    audited, leaving a codebook version)."""
    actor = actor or default_actor()
    path = Path(path)
    book, summary = read_qdc(path)
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        stats = codebook_ops.apply_codebook(tx, book)
        text = (
            f"Imported the codebook of {path.name}: {plural(stats['added'], 'code')} added, "
            f"{stats['updated']} updated"
        )
        details = {"file": path.name, "origin": summary.origin, **stats}
        details["notes"] = summary.notes
        details["lost"] = summary.lost
        tx.audit.record(actor, "codebook.import", text, details)
        name = tx.project.describe()["name"]
        tx.codebook_versions.add(actor, text, cb.dumps(cb.from_records(tx.codes.list(), name)))
    return Change(
        "codebook.import",
        text,
        details={**stats, "notes": summary.notes, "lost": summary.lost},
        areas=frozenset({Area.CODEBOOK}),
    )
