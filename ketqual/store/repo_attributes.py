"""Participants (by pseudonymised label) and typed attributes of cases, documents and
participants, with their values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ketqual.core.attributes import AttributeDef
from ketqual.store.models import AttributeRow, AttributeValueRow, ParticipantRow, utcnow

# The column of attribute_value that holds each target's subject. The columns are
# nullable, but never NULL on a value of an attribute of that target: typed as int.
_SUBJECT = cast(
    "dict[str, InstrumentedAttribute[int]]",
    {
        "case": AttributeValueRow.case_id,
        "document": AttributeValueRow.document_id,
        "participant": AttributeValueRow.participant_id,
    },
)


def _definition(row: AttributeRow) -> AttributeDef:
    return AttributeDef(
        id=row.id,
        uid=row.uid,
        target=row.target,
        name=row.name,
        type=row.type,
        choices=tuple(row.choices or ()),
        sort_order=row.sort_order,
    )


class ParticipantRepo:
    """Participants: one row per label."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[tuple[int, str]]:
        """``(id, label)`` of every participant, by id."""
        query = select(ParticipantRow.id, ParticipantRow.label).order_by(ParticipantRow.id)
        return [(i, label) for i, label in self.session.execute(query)]

    def ensure(self, label: str) -> ParticipantRow:
        """The participant with this label, created when new."""
        row = self.session.execute(
            select(ParticipantRow).where(ParticipantRow.label == label)
        ).scalar_one_or_none()
        if row is None:
            row = ParticipantRow(label=label)
            self.session.add(row)
            self.session.flush()
        return row

    def ensure_many(self, labels: Iterable[str]) -> dict[str, int]:
        """Ids of the given labels, creating the missing ones (one query to look up)."""
        wanted = sorted(set(labels))
        known = dict((label, i) for i, label in self.list())
        for label in wanted:
            if label not in known:
                row = ParticipantRow(label=label)
                self.session.add(row)
                self.session.flush()
                known[label] = row.id
        return {label: known[label] for label in wanted}

    def remove(self, participant_id: int) -> bool:
        """Forget a participant and their values; returns whether there was one."""
        result = self.session.execute(
            delete(ParticipantRow).where(ParticipantRow.id == participant_id)
        )
        return bool(cast(CursorResult, result).rowcount)


class AttributeRepo:
    """Attribute definitions and their values."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, target: str | None = None) -> list[AttributeDef]:
        """Definitions (of one target, or all), by target then position."""
        query = select(AttributeRow).order_by(
            AttributeRow.target, AttributeRow.sort_order, AttributeRow.id
        )
        if target:
            query = query.where(AttributeRow.target == target)
        return [_definition(r) for r in self.session.execute(query).scalars()]

    def get(self, attribute_id: int) -> AttributeDef | None:
        """One definition, or ``None``."""
        row = self.session.get(AttributeRow, attribute_id)
        return _definition(row) if row else None

    def by_name(self, target: str, name: str) -> AttributeDef | None:
        """A definition by target and name (case-insensitive), or ``None``."""
        query = select(AttributeRow).where(
            AttributeRow.target == target, func.lower(AttributeRow.name) == name.lower()
        )
        row = self.session.execute(query).scalar_one_or_none()
        return _definition(row) if row else None

    def add(
        self, target: str, name: str, kind: str = "text", choices: Sequence[str] = ()
    ) -> AttributeDef:
        """Define a new attribute at the end of its target's list."""
        order = self.session.execute(
            select(func.coalesce(func.max(AttributeRow.sort_order), 0)).where(
                AttributeRow.target == target
            )
        ).scalar_one()
        row = AttributeRow(
            target=target, name=name, type=kind, choices=list(choices), sort_order=order + 1
        )
        self.session.add(row)
        self.session.flush()
        return _definition(row)

    def update(self, attribute_id: int, **fields: object) -> AttributeDef:
        """Change ``name``, ``type`` or ``choices`` of a definition."""
        row = self.session.get(AttributeRow, attribute_id)
        if row is None:
            raise KeyError(attribute_id)
        for key, value in fields.items():
            if key not in ("name", "type", "choices"):
                raise ValueError(f"{key} cannot be changed")
            setattr(row, key, list(cast(Iterable[str], value)) if key == "choices" else value)
        self.session.flush()
        return _definition(row)

    def remove(self, attribute_id: int) -> bool:
        """Delete a definition with all its values."""
        self.session.execute(
            delete(AttributeValueRow).where(AttributeValueRow.attribute_id == attribute_id)
        )
        result = self.session.execute(delete(AttributeRow).where(AttributeRow.id == attribute_id))
        return bool(cast(CursorResult, result).rowcount)

    def values(self, attribute_id: int) -> dict[int, str]:
        """Subject id -> stored value of one attribute."""
        row = self.session.get(AttributeRow, attribute_id)
        if row is None:
            return {}
        column = _SUBJECT[row.target]
        query = select(column, AttributeValueRow.value).where(
            AttributeValueRow.attribute_id == attribute_id
        )
        return {subject: value for subject, value in self.session.execute(query)}

    def all_values(self, target: str) -> dict[int, dict[int, str]]:
        """Attribute id -> {subject id -> value} for every attribute of a target (one query)."""
        column = _SUBJECT[target]
        query = (
            select(AttributeValueRow.attribute_id, column, AttributeValueRow.value)
            .join(AttributeRow, AttributeRow.id == AttributeValueRow.attribute_id)
            .where(AttributeRow.target == target)
        )
        out: dict[int, dict[int, str]] = {}
        for attribute_id, subject, value in self.session.execute(query):
            out.setdefault(attribute_id, {})[subject] = value
        return out

    def set_value(
        self, attribute_id: int, target: str, subject_id: int, value: str | None
    ) -> str | None:
        """Store (or with ``None`` clear) one value; returns the value it had before."""
        column = _SUBJECT[target]
        row = self.session.execute(
            select(AttributeValueRow).where(
                AttributeValueRow.attribute_id == attribute_id, column == subject_id
            )
        ).scalar_one_or_none()
        before = row.value if row is not None else None
        if value is None:
            if row is not None:
                self.session.delete(row)
                self.session.flush()
            return before
        if row is None:
            row = AttributeValueRow(attribute_id=attribute_id, value=value)
            setattr(row, column.key, subject_id)
            self.session.add(row)
        else:
            row.value, row.updated_at = value, utcnow()
        self.session.flush()
        return before
