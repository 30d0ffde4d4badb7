"""Codes (the codebook tree) and codebook version snapshots."""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from ketqual.core.records import CodeRecord
from ketqual.store.models import CodebookVersionRow, CodeRow, CodingRow

_FIELDS = {
    "name": "name",
    "colour": "colour",
    "definition": "definition",
    "include": "include_notes",
    "exclude": "exclude_notes",
    "example": "example",
    "shortcut": "shortcut",
    "sort_order": "sort_order",
    "active": "active",
    "parent_id": "parent_id",
}


def _record(row: CodeRow) -> CodeRecord:
    return CodeRecord(
        id=row.id,
        uid=row.uid,
        parent_id=row.parent_id,
        name=row.name,
        colour=row.colour,
        definition=row.definition,
        include=row.include_notes,
        exclude=row.exclude_notes,
        example=row.example,
        shortcut=row.shortcut,
        sort_order=row.sort_order,
        active=row.active,
    )


class CodeRepo:
    """The codebook tree."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, include_retired: bool = True) -> list[CodeRecord]:
        """Every code ordered by parent, then sort order."""
        query = select(CodeRow).order_by(CodeRow.sort_order, CodeRow.id)
        if not include_retired:
            query = query.where(CodeRow.active.is_(True))
        return [_record(r) for r in self.session.execute(query).scalars()]

    def get(self, code_id: int) -> CodeRecord | None:
        """One code, or ``None``."""
        row = self.session.get(CodeRow, code_id)
        return _record(row) if row else None

    def add(
        self,
        *,
        parent_id: int | None,
        name: str,
        colour: str,
        uid: str | None = None,
        **fields: object,
    ) -> CodeRecord:
        """Add a code at the end of its siblings (``uid`` keeps a stable id from elsewhere)."""
        siblings = select(func.coalesce(func.max(CodeRow.sort_order), 0)).where(
            CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id
        )
        order = self.session.execute(siblings).scalar_one() + 1
        row = CodeRow(parent_id=parent_id, name=name, colour=colour, sort_order=order)
        if uid:
            row.uid = uid
        for key, value in fields.items():
            setattr(row, _FIELDS[key], value)
        self.session.add(row)
        self.session.flush()
        return _record(row)

    def restore(self, code: CodeRecord) -> CodeRecord:
        """Insert a code exactly as recorded (same id and uid), to undo a delete or merge."""
        row = CodeRow(id=code.id, uid=code.uid, parent_id=code.parent_id, name=code.name)
        for key in (
            "colour",
            "definition",
            "include",
            "exclude",
            "example",
            "shortcut",
            "sort_order",
            "active",
        ):
            setattr(row, _FIELDS[key], getattr(code, key))
        self.session.add(row)
        self.session.flush()
        return _record(row)

    def update(self, code_id: int, **fields: object) -> CodeRecord:
        """Change fields of a code (names as in :class:`CodeRecord`)."""
        row = self.session.get(CodeRow, code_id)
        if row is None:
            raise KeyError(code_id)
        for key, value in fields.items():
            setattr(row, _FIELDS[key], value)
        self.session.flush()
        return _record(row)

    def coding_counts(self) -> dict[int, int]:
        """Codings (all layers) per code id."""
        query = select(CodingRow.code_id, func.count()).group_by(CodingRow.code_id)
        return dict(self.session.execute(query).all())

    def reassign_codings(self, from_code: int, to_code: int) -> int:
        """Move every coding of one code to another; returns how many moved."""
        result = self.session.execute(
            update(CodingRow).where(CodingRow.code_id == from_code).values(code_id=to_code)
        )
        return cast(CursorResult, result).rowcount or 0

    def delete(self, code_id: int) -> None:
        """Delete a code row (the caller has dealt with codings and children)."""
        row = self.session.get(CodeRow, code_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()


class CodebookVersionRepo:
    """Snapshots of the codebook, one per change, with the reason."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, actor: str, reason: str, snapshot: str) -> int:
        """Store a snapshot (codebook JSON) and return its version number."""
        row = CodebookVersionRow(actor=actor, reason=reason, snapshot=snapshot)
        self.session.add(row)
        self.session.flush()
        return row.id

    def list(self) -> list[dict]:
        """Versions oldest first (without snapshots)."""
        query = select(
            CodebookVersionRow.id,
            CodebookVersionRow.created_at,
            CodebookVersionRow.actor,
            CodebookVersionRow.reason,
        ).order_by(CodebookVersionRow.id)
        return [dict(r._mapping) for r in self.session.execute(query)]

    def snapshot(self, version: int) -> str:
        """The codebook JSON of one version."""
        return self.session.execute(
            select(CodebookVersionRow.snapshot).where(CodebookVersionRow.id == version)
        ).scalar_one()
