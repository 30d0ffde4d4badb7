"""Documents, their sentence/paragraph units, and cases (focus groups)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ketqual.core.model import DocumentDraft, DocumentMeta, Unit
from ketqual.core.records import CaseRecord, DocumentLabel, DocumentRecord
from ketqual.core.text import sha256_text
from ketqual.store.driver import fetch_tuples
from ketqual.store.models import (
    CaseRow,
    CodingRow,
    DocumentRow,
    SegmentRow,
    new_uid,
    table_of,
    utcnow,
)

EDITABLE_META = ("title", "kind", "session", "group", "notetaker", "date")


def _document_record(row) -> DocumentRecord:
    meta = DocumentMeta(
        title=row.title,
        kind=row.kind,
        session=row.session,
        group=row.group_no,
        notetaker=row.notetaker,
        date=row.date,
    )
    return DocumentRecord(
        id=row.id,
        uid=row.uid,
        meta=meta,
        source_name=row.source_name,
        source_format=row.source_format,
        source_sha256=row.source_sha256,
        encoding=row.encoding,
        imported_at=row.imported_at,
        text_sha256=row.text_sha256,
        char_count=row.char_count,
        case_id=row.case_id,
    )


# Everything but the text, so listing documents never loads megabytes of text.
_LIST_COLUMNS = [c for c in table_of(DocumentRow).columns if c.name != "text"]


class DocumentRepo:
    """Stored documents and their units."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        draft: DocumentDraft,
        units: Iterable[Unit],
        case_id: int | None,
        *,
        uid: str | None = None,
    ) -> DocumentRecord:
        """Store a document and its units (bulk insert: imports add thousands of units).

        ``uid`` keeps a stable id the document had elsewhere (another project, another
        tool's GUID); a new one is made otherwise.
        """
        order = self.session.execute(
            select(func.coalesce(func.max(DocumentRow.sort_order), 0))
        ).scalar_one()
        row = DocumentRow(
            title=draft.meta.title,
            kind=draft.meta.kind,
            session=draft.meta.session,
            group_no=draft.meta.group,
            notetaker=draft.meta.notetaker,
            date=draft.meta.date,
            source_name=draft.source_name,
            source_format=draft.source_format,
            source_sha256=draft.source_sha256,
            encoding=draft.encoding,
            text=draft.text,
            text_sha256=sha256_text(draft.text),
            char_count=len(draft.text),
            case_id=case_id,
            sort_order=order + 1,
        )
        if uid:
            row.uid = uid
        self.session.add(row)
        self.session.flush()
        rows = [(row.id, u.kind, u.start, u.end) for u in units]
        if rows:
            # A driver-level executemany: imports add hundreds of units per document, and
            # SQLAlchemy's per-row parameter building costs more than the insert itself.
            connection = self.session.connection()
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            connection.exec_driver_sql(
                f'INSERT INTO segment (document_id, kind, start, "end") '
                f"VALUES ({mark}, {mark}, {mark}, {mark})",
                rows,
            )
        return _document_record(row)

    def add_many(
        self, entries: Sequence[tuple[DocumentDraft, Sequence[Unit], int | None, str | None]]
    ) -> list[int]:
        """Store many documents with their units at once, as (draft, units, case id, uid),
        in order after the documents already there; returns their ids in input order.

        One insert for the documents and one for all their units: a 1,000-document import
        would otherwise pay a thousand flushes and round trips.
        """
        if not entries:
            return []
        order = self.session.execute(
            select(func.coalesce(func.max(DocumentRow.sort_order), 0))
        ).scalar_one()
        now = utcnow()
        rows = [
            {
                "uid": uid or new_uid(),
                "title": draft.meta.title,
                "kind": draft.meta.kind,
                "session": draft.meta.session,
                "group_no": draft.meta.group,
                "notetaker": draft.meta.notetaker,
                "date": draft.meta.date,
                "source_name": draft.source_name,
                "source_format": draft.source_format,
                "source_sha256": draft.source_sha256,
                "encoding": draft.encoding,
                "imported_at": now,
                "text": draft.text,
                "text_sha256": sha256_text(draft.text),
                "char_count": len(draft.text),
                "case_id": case_id,
                "sort_order": order + number,
            }
            for number, (draft, _units, case_id, uid) in enumerate(entries, start=1)
        ]
        result = self.session.execute(
            insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True), rows
        )
        ids = [row[0] for row in result]
        segments = [
            (doc_id, u.kind, u.start, u.end)
            for doc_id, (_draft, units, _case, _uid) in zip(ids, entries, strict=True)
            for u in units
        ]
        if segments:
            connection = self.session.connection()
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            connection.exec_driver_sql(
                f'INSERT INTO segment (document_id, kind, start, "end") '
                f"VALUES ({mark}, {mark}, {mark}, {mark})",
                segments,
            )
        return ids

    def get(self, document_id: int) -> DocumentRecord | None:
        """One document's record, or ``None``."""
        row = self.session.get(DocumentRow, document_id)
        return _document_record(row) if row else None

    def list(self) -> list[DocumentRecord]:
        """All documents in their display order."""
        query = select(*_LIST_COLUMNS).order_by(DocumentRow.sort_order, DocumentRow.id)
        # Result rows expose columns as attributes, just like a DocumentRow.
        return [_document_record(r) for r in self.session.execute(query)]

    def labels(self) -> builtins.list[DocumentLabel]:
        """Every document's label (id, uid, title, kind, session, group, case), in display
        order: what queues and filters need, a thousand in a few milliseconds."""
        query = select(
            DocumentRow.id,
            DocumentRow.uid,
            DocumentRow.title,
            DocumentRow.kind,
            DocumentRow.session,
            DocumentRow.group_no,
            DocumentRow.case_id,
        ).order_by(DocumentRow.sort_order, DocumentRow.id)
        return [DocumentLabel(*row) for row in self.session.execute(query)]

    def text(self, document_id: int) -> str:
        """The stored text of a document."""
        return self.session.execute(
            select(DocumentRow.text).where(DocumentRow.id == document_id)
        ).scalar_one()

    def texts(self) -> dict[int, str]:
        """Every document's stored text by id, in one query (exports read them all)."""
        return dict(self.session.execute(select(DocumentRow.id, DocumentRow.text)).all())

    def units(self, document_id: int, kind: str | None = None) -> builtins.list[Unit]:
        """Units of a document ordered by position."""
        query = select(SegmentRow.kind, SegmentRow.start, SegmentRow.end).where(
            SegmentRow.document_id == document_id
        )
        if kind:
            query = query.where(SegmentRow.kind == kind)
        query = query.order_by(SegmentRow.start, SegmentRow.kind)
        return [Unit(k, s, e) for k, s, e in self.session.execute(query)]

    def units_for_all(self, kind: str | None = None) -> dict[int, builtins.list[Unit]]:
        """Units of every document (of one kind, or all), by document id, in one query.

        Documents without units are absent. Agreement loads every document's units at
        once; one query per document would cost a round trip each on PostgreSQL.
        """
        query = select(SegmentRow.document_id, SegmentRow.kind, SegmentRow.start, SegmentRow.end)
        if kind:
            query = query.where(SegmentRow.kind == kind)
        query = query.order_by(SegmentRow.document_id, SegmentRow.start, SegmentRow.kind)
        out: dict[int, list[Unit]] = {}
        for doc_id, k, s, e in self.session.execute(query):
            out.setdefault(doc_id, []).append(Unit(k, s, e))
        return out

    def unit_spans(
        self, kinds: Iterable[str]
    ) -> dict[int, dict[str, builtins.list[tuple[int, int]]]]:
        """``(start, end)`` of the units of the given kinds, by document id and kind.

        Read at the driver level, one query per kind, and only the kinds asked for (no
        query at all for none): agreement at character level needs no units, at sentence
        level some eighty thousand. Within a document and kind the spans come in storage
        order, which is position order for units stored by an import; callers that need
        an order sort (the agreement engine does). Documents without such units are
        absent.
        """
        out: dict[int, dict[str, list[tuple[int, int]]]] = {}
        for kind in dict.fromkeys(kinds):
            rows = fetch_tuples(
                self.session,
                'SELECT document_id, start, "end" FROM segment WHERE kind = ?',
                (kind,),
            )
            for doc_id, start, end in rows:
                per_doc = out.get(doc_id)
                if per_doc is None:
                    per_doc = out[doc_id] = {}
                spans = per_doc.get(kind)
                if spans is None:
                    spans = per_doc[kind] = []
                spans.append((start, end))
        return out

    def unit_counts(self) -> dict[int, dict[str, int]]:
        """Per document, the number of units of each kind."""
        query = select(SegmentRow.document_id, SegmentRow.kind, func.count()).group_by(
            SegmentRow.document_id, SegmentRow.kind
        )
        out: dict[int, dict[str, int]] = {}
        for doc_id, kind, n in self.session.execute(query):
            out.setdefault(doc_id, {})[kind] = n
        return out

    def find_by_sha256(
        self, source_sha256: str, text_sha256: str | None = None
    ) -> builtins.list[DocumentRecord]:
        """Documents imported from a file with this SHA-256 (or holding exactly this text)."""
        condition = DocumentRow.source_sha256 == source_sha256
        if text_sha256:
            condition = condition | (DocumentRow.text_sha256 == text_sha256)
        rows = self.session.execute(select(DocumentRow).where(condition)).scalars()
        return [_document_record(r) for r in rows]

    def find_by_sha256_many(
        self, hashes: Iterable[str]
    ) -> dict[str, builtins.list[DocumentRecord]]:
        """Documents per source SHA-256, for a whole batch in one query."""
        wanted = sorted(set(hashes))
        found: dict[str, list[DocumentRecord]] = {}
        for chunk_start in range(0, len(wanted), 500):  # stay under bound-parameter limits
            chunk = wanted[chunk_start : chunk_start + 500]
            query = select(*_LIST_COLUMNS).where(DocumentRow.source_sha256.in_(chunk))
            for row in self.session.execute(query):
                found.setdefault(row.source_sha256, []).append(_document_record(row))
        return found

    def update_meta(self, document_id: int, **fields: object) -> DocumentRecord:
        """Change editable metadata fields (title, kind, session, group, notetaker, date)."""
        row = self.session.get(DocumentRow, document_id)
        if row is None:
            raise KeyError(document_id)
        for key, value in fields.items():
            if key not in EDITABLE_META:
                raise ValueError(f"{key} is not editable")
            setattr(row, "group_no" if key == "group" else key, value)
        self.session.flush()
        return _document_record(row)

    def set_case(self, document_id: int, case_id: int | None) -> None:
        """Attach a document to a case."""
        row = self.session.get(DocumentRow, document_id)
        if row is None:
            raise KeyError(document_id)
        row.case_id = case_id

    def coding_count(self, document_id: int) -> int:
        """Codings (any layer) on a document."""
        return self.session.execute(
            select(func.count(CodingRow.id)).where(CodingRow.document_id == document_id)
        ).scalar_one()

    def delete(self, document_id: int) -> None:
        """Remove a document with its units and codings."""
        self.session.execute(delete(SegmentRow).where(SegmentRow.document_id == document_id))
        self.session.execute(delete(CodingRow).where(CodingRow.document_id == document_id))
        self.session.execute(delete(DocumentRow).where(DocumentRow.id == document_id))


def _case_record(row: CaseRow) -> CaseRecord:
    return CaseRecord(
        row.id,
        row.uid,
        row.name,
        row.session,
        row.group_no,
        row.kind or FOCUS_GROUP,
        row.subject,
        dict(row.attributes or {}),
    )


FOCUS_GROUP = "focus_group"


def case_name(session: int | None, group: int | None) -> str:
    """The display name of a focus group, e.g. ``S2 G5``."""
    parts = []
    if session is not None:
        parts.append(f"S{session}")
    if group is not None:
        parts.append(f"G{group}")
    return " ".join(parts) or "Unassigned"


class CaseRepo:
    """Cases (focus groups)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure(self, session_no: int | None, group: int | None) -> CaseRecord | None:
        """The case for a session + group, created if new; ``None`` without a group."""
        if group is None:
            return None
        query = select(CaseRow).where(CaseRow.group_no == group, CaseRow.kind == FOCUS_GROUP)
        query = query.where(
            CaseRow.session.is_(None) if session_no is None else CaseRow.session == session_no
        )
        row = self.session.execute(query).scalar_one_or_none()
        if row is None:
            row = CaseRow(name=case_name(session_no, group), session=session_no, group_no=group)
            self.session.add(row)
            self.session.flush()
        return _case_record(row)

    def add(
        self,
        name: str,
        *,
        session_no: int | None = None,
        group: int | None = None,
        attributes: dict | None = None,
        uid: str | None = None,
    ) -> CaseRecord:
        """Create a case as given (imports from other tools: a name, maybe no group)."""
        row = CaseRow(
            name=name, session=session_no, group_no=group, attributes=dict(attributes or {})
        )
        if uid:
            row.uid = uid
        self.session.add(row)
        self.session.flush()
        return _case_record(row)

    def list(self, kind: str = FOCUS_GROUP) -> list[CaseRecord]:
        """Cases of one kind (focus groups unless asked otherwise), by session and group,
        then name."""
        query = (
            select(CaseRow)
            .where(CaseRow.kind == kind)
            .order_by(CaseRow.session, CaseRow.group_no, CaseRow.name, CaseRow.id)
        )
        return [_case_record(r) for r in self.session.execute(query).scalars()]

    def get(self, case_id: int) -> CaseRecord | None:
        """One case of any kind, or ``None``."""
        row = self.session.get(CaseRow, case_id)
        return _case_record(row) if row else None

    def ensure_subjects(self, kind: str, subjects: dict[str, str]) -> dict[str, int]:
        """Cases standing for documents or participants (``kind`` ``document`` or
        ``participant``): ``subjects`` maps each subject (document uid, participant label)
        to its display name. Missing cases are created and names kept up to date.

        Returns:
            Subject -> case id.
        """
        rows = {
            r.subject: r
            for r in self.session.execute(select(CaseRow).where(CaseRow.kind == kind)).scalars()
        }
        out: dict[str, int] = {}
        for subject, name in subjects.items():
            row = rows.get(subject)
            if row is None:
                row = CaseRow(name=name[:120], kind=kind, subject=subject)
                self.session.add(row)
                self.session.flush()
            elif row.name != name[:120]:
                row.name = name[:120]
            out[subject] = row.id
        return out
