"""Identifier suggestions and decisions, and rewriting a document after review."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from ketqual.core.model import Unit
from ketqual.core.privacy.hits import Hit, StoredHit
from ketqual.core.text import sha256_text
from ketqual.store.models import DocumentRow, IdentifierHitRow, SegmentRow, utcnow

_META_COLUMNS = {"title": "title", "notetaker": "notetaker", "source_name": "source_name"}


def _record(row: IdentifierHitRow) -> StoredHit:
    return StoredHit(
        row.id,
        row.uid,
        row.document_id,
        row.field,
        row.start,
        row.end,
        row.kind,
        row.source,
        bool(row.certain),
        row.reason,
        row.entry_uid,
        row.token,
        row.text,
        row.status,
        row.decided_by,
        row.decided_at,
    )


class IdentifierRepo:
    """Suggested identifiers per document (table ``identifier_hit``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        document_id: int,
        hits: Iterable[Hit],
        *,
        status: str = "pending",
        actor: str | None = None,
    ) -> list[StoredHit]:
        """Store suggestions for a document (``status`` applied: ``text`` is the token)."""
        rows = []
        now = utcnow()
        for hit in hits:
            row = IdentifierHitRow(
                document_id=document_id,
                field=hit.field,
                start=hit.start,
                end=hit.end,
                kind=hit.kind,
                source=hit.source,
                certain=hit.certain,
                reason=hit.reason,
                entry_uid=hit.entry_uid,
                token=hit.token,
                text=hit.text,
                status=status,
                decided_by=actor if status != "pending" else None,
                decided_at=now if status != "pending" else None,
            )
            self.session.add(row)
            rows.append(row)
        self.session.flush()
        return [_record(r) for r in rows]

    def get(self, hit_id: int) -> StoredHit | None:
        """One suggestion, or ``None``."""
        row = self.session.get(IdentifierHitRow, hit_id)
        return _record(row) if row else None

    def list(
        self,
        *,
        document_ids: Sequence[int] | None = None,
        statuses: Sequence[str] | None = None,
    ) -> list[StoredHit]:
        """Suggestions in document and text order."""
        query = select(IdentifierHitRow)
        if document_ids is not None:
            query = query.where(IdentifierHitRow.document_id.in_(list(document_ids)))
        if statuses is not None:
            query = query.where(IdentifierHitRow.status.in_(list(statuses)))
        query = query.order_by(
            IdentifierHitRow.document_id, IdentifierHitRow.field, IdentifierHitRow.start
        )
        return [_record(r) for r in self.session.execute(query).scalars()]

    def counts(self) -> dict[str, int]:
        """How many suggestions have each status."""
        query = select(IdentifierHitRow.status, func.count()).group_by(IdentifierHitRow.status)
        return dict(self.session.execute(query).all())

    def counts_by_document(self) -> dict[int, dict[str, int]]:
        """Per document, how many suggestions have each status."""
        query = select(
            IdentifierHitRow.document_id, IdentifierHitRow.status, func.count()
        ).group_by(IdentifierHitRow.document_id, IdentifierHitRow.status)
        out: dict[int, dict[str, int]] = {}
        for doc, status, n in self.session.execute(query):
            out.setdefault(doc, {})[status] = n
        return out

    def texts(self, statuses: Sequence[str]) -> set[str]:
        """The distinct words of suggestions with these statuses."""
        query = select(IdentifierHitRow.text).where(IdentifierHitRow.status.in_(list(statuses)))
        return set(self.session.execute(query.distinct()).scalars())

    def decide(self, hit_ids: Sequence[int], status: str, actor: str) -> int:
        """Set the status of suggestions; returns how many changed."""
        if not hit_ids:
            return 0
        result = self.session.execute(
            update(IdentifierHitRow)
            .where(IdentifierHitRow.id.in_(list(hit_ids)))
            .where(IdentifierHitRow.status != status)
            .values(status=status, decided_by=actor, decided_at=utcnow())
        )
        return cast(CursorResult, result).rowcount or 0

    def change(self, hit_id: int, **fields: object) -> StoredHit:
        """Change a suggestion's span, kind, entry, token, text or status."""
        row = self.session.get(IdentifierHitRow, hit_id)
        if row is None:
            raise KeyError(hit_id)
        for key, value in fields.items():
            if key not in (
                "start", "end", "kind", "entry_uid", "token", "text", "status", "reason",
                "decided_by", "decided_at", "certain", "source",
            ):  # fmt: skip
                raise ValueError(f"{key} cannot be changed")
            setattr(row, key, value)
        self.session.flush()
        return _record(row)

    def remove(self, hit_ids: Sequence[int]) -> int:
        """Forget suggestions (covered by a replacement made over them)."""
        if not hit_ids:
            return 0
        result = self.session.execute(
            delete(IdentifierHitRow).where(IdentifierHitRow.id.in_(list(hit_ids)))
        )
        return cast(CursorResult, result).rowcount or 0

    def remove_undecided(self, document_ids: Sequence[int]) -> int:
        """Forget pending suggestions of documents (before detecting again)."""
        result = self.session.execute(
            delete(IdentifierHitRow)
            .where(IdentifierHitRow.document_id.in_(list(document_ids)))
            .where(IdentifierHitRow.status == "pending")
        )
        return cast(CursorResult, result).rowcount or 0

    def rewrite_document(
        self,
        document_id: int,
        text: str | None,
        units: Iterable[Unit] | None,
        meta: dict[str, str | None],
    ) -> None:
        """Give a document new metadata values and (when it has no codings) new text with
        its new units; ``text`` None keeps the text and its units."""
        row = self.session.get(DocumentRow, document_id)
        if row is None:
            raise KeyError(document_id)
        for field, value in meta.items():
            setattr(row, _META_COLUMNS[field], value)
        if text is None:
            self.session.flush()
            return
        row.text = text
        row.text_sha256 = sha256_text(text)
        row.char_count = len(text)
        self.session.execute(delete(SegmentRow).where(SegmentRow.document_id == document_id))
        self.session.flush()
        self.session.add_all(
            SegmentRow(document_id=document_id, kind=u.kind, start=u.start, end=u.end)
            for u in units or ()
        )
        self.session.flush()

    def document_values(self, document_id: int) -> dict[str, str | None]:
        """A document's text and the metadata values identifiers may sit in."""
        row = self.session.get(DocumentRow, document_id)
        if row is None:
            raise KeyError(document_id)
        return {
            "text": row.text,
            "title": row.title,
            "notetaker": row.notetaker,
            "source_name": row.source_name,
        }
