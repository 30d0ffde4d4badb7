"""Editing document metadata and splitting a combined document after import."""

from __future__ import annotations

import re

from ketqual.core import metadata, names, splitting, units
from ketqual.core.model import DOCUMENT_KINDS, DocumentDraft
from ketqual.ops.changes import Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_guard
from ketqual.store.database import ProjectStore

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _validate(fields: dict) -> dict:
    clean: dict = {}
    for key, value in fields.items():
        if key == "title":
            if not " ".join(str(value).split()):
                raise OperationError("a document needs a title")
            try:
                value = names.check_name(value, what="a document title")
            except names.InvalidName as exc:
                raise OperationError(str(exc)) from None
        elif key == "kind":
            if value not in DOCUMENT_KINDS:
                raise OperationError(f"kind must be one of: {', '.join(DOCUMENT_KINDS)}")
        elif key in ("session", "group"):
            if value in ("", None):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise OperationError(f"{key} must be a whole number") from None
                if value < 1:
                    raise OperationError(f"{key} must be 1 or more")
        elif key == "date":
            if value in ("", None):
                value = None
            else:
                value = metadata.parse_date(str(value)) or str(value)
                if not _ISO_DATE.match(value):
                    raise OperationError("date must look like 2018-03-17")
        elif key == "notetaker":
            value = " ".join(str(value).split()) or None if value is not None else None
        else:
            raise OperationError(f"{key} cannot be edited")
        clean[key] = value
    return clean


def update_document(
    project: ProjectStore, document_id: int, *, actor: str | None = None, **fields: object
) -> Change:
    """Edit a document's metadata; a changed session/group moves it to that focus group's case."""
    actor = actor or default_actor()
    clean = _validate(fields)
    if not clean:
        raise OperationError("nothing to change")
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        before = tx.documents.get(document_id)
        if before is None:
            raise OperationError(f"there is no document with id {document_id}")
        after = tx.documents.update_meta(document_id, **clean)
        if "session" in clean or "group" in clean:
            case = tx.cases.ensure(after.meta.session, after.meta.group)
            tx.documents.set_case(document_id, case.id if case else None)
        old = {k: getattr(before.meta, k) for k in clean}
        summary = f"Edited {', '.join(sorted(clean))} of document '{after.meta.title}'"
        tx.audit.record(
            actor, "document.edit", summary, {"document_uid": before.uid, "old": old, "new": clean}
        )
    return Change("document.edit", summary, areas={Area.DOCUMENTS}, documents=(document_id,))


def split_document(project: ProjectStore, document_id: int, *, actor: str | None = None) -> Change:
    """Split a combined document at its group headings into one document per group.

    Refused when the document already has codings (their offsets would be lost).
    """
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        doc = tx.documents.get(document_id)
        if doc is None:
            raise OperationError(f"there is no document with id {document_id}")
        if tx.documents.coding_count(document_id):
            raise OperationError("this document already has codings; split it before coding starts")
        text = tx.documents.text(document_id)
        sections = splitting.find_group_sections(text, default_session=doc.meta.session)
        if not sections:
            raise OperationError(
                "no group headings found (need two or more lines like 'Session 3 – Group 5')"
            )
        new_ids = []
        for section in sections:
            part = text[section.start : section.end]
            meta = splitting.section_meta(doc.meta, section, text)
            draft = DocumentDraft(
                meta, part, doc.source_name, doc.source_sha256, doc.source_format, doc.encoding
            )
            case = tx.cases.ensure(meta.session, meta.group)
            new_ids.append(
                tx.documents.add(draft, units.segment(part), case.id if case else None).id
            )
        tx.documents.delete(document_id)
        summary = f"Split '{doc.meta.title}' into {len(new_ids)} group documents"
        tx.audit.record(
            actor, "document.split", summary, {"document_uid": doc.uid, "new_ids": new_ids}
        )
    return Change("document.split", summary, areas={Area.DOCUMENTS}, documents=tuple(new_ids))


def delete_document(
    project: ProjectStore, document_id: int, *, confirm: bool = False, actor: str | None = None
) -> Change:
    """Remove a document; refused without ``confirm`` when it has codings."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        package_guard.refuse_in_package(tx)
        doc = tx.documents.get(document_id)
        if doc is None:
            raise OperationError(f"there is no document with id {document_id}")
        n = tx.documents.coding_count(document_id)
        if n and not confirm:
            raise OperationError(f"'{doc.meta.title}' has {n} codings; confirm to delete them too")
        tx.documents.delete(document_id)
        summary = f"Deleted document '{doc.meta.title}'" + (f" and its {n} codings" if n else "")
        tx.audit.record(
            actor, "document.delete", summary, {"document_uid": doc.uid, "sha256": doc.text_sha256}
        )
    return Change(
        "document.delete", summary, areas={Area.DOCUMENTS, Area.CODINGS}, documents=(document_id,)
    )
