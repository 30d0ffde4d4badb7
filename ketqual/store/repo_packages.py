"""Bulk reads and writes for coder packages (``tx.packages``): filling a package from a
project, reading a returned package, and applying one coder's layer to a project.

A package is a normal project database holding a subset of a project's rows. Filling it
copies rows table by table with Core executemany (keeping integer ids, so foreign keys
stay valid without remapping); everything a merge needs comes back as plain tuples keyed
by uid, because integer ids differ between a project and its packages. Tables are named
by the words operations use ("coding", "memo", "document", "case", "code"), never by row
classes: operations do not see SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from ketqual.store.models import (
    AuditRow,
    CaseRow,
    CodebookVersionRow,
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    DocumentStatusRow,
    MemoRow,
    ProjectRow,
    SegmentRow,
    table_of,
)

_BATCH = 5000
#: The tables a merge matches rows of by uid, by the names operations use.
TABLES: dict[str, Any] = {
    "document": DocumentRow,
    "code": CodeRow,
    "case": CaseRow,
    "coding": CodingRow,
    "memo": MemoRow,
}
# Memo targets that name another row; the merge maps them by that row's uid.
MEMO_TARGETS: dict[str, Any] = {
    "document": DocumentRow,
    "code": CodeRow,
    "codebook_suggestion": CodeRow,
    "case": CaseRow,
    "coding": CodingRow,
}


def _chunks(items: Sequence, size: int = _BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _copy(source: Session, dest: Session, query, table) -> int:
    """Copy the rows ``query`` selects from ``source`` into ``table`` of ``dest``."""
    count = 0
    connection = dest.connection()
    columns = [c.name for c in query.selected_columns]
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    # A driver-level executemany of plain tuples: SQLAlchemy's per-row parameter building
    # costs more than the insert itself for a hundred thousand units.
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join([mark] * len(columns))})'
    processors = [_bind_json if c.type.__class__.__name__ == "JSON" else None for c in table.c]
    result = source.execute(query.execution_options(yield_per=_BATCH))
    for rows in result.partitions(_BATCH):
        values = [
            tuple(p(v) if p else v for p, v in zip(processors, row, strict=True)) for row in rows
        ]
        connection.exec_driver_sql(sql, values)
        count += len(rows)
    return count


def _bind_json(value: object) -> str | None:
    return None if value is None else json.dumps(value)


class PackageRepo:
    """Bulk reads and writes of whole layers, for packing and merging."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def fill_from(self, source: PackageRepo, coder_id: int) -> dict[str, int]:
        """Copy into this (fresh) package the documents, units, cases, codebook (with its
        newest version) and the one coder with their codings, memos and done-status from
        ``source`` (the project's repository, in its own read transaction).

        This project must be fresh. Nothing else is copied: no other coder, no
        consensus layer, reviews, decisions, summaries, network edges or pseudonymisation key.

        Returns:
            Row counts per table copied.
        """
        source_session, dest = source.session, self.session
        counts: dict[str, int] = {}
        coder = table_of(CoderRow)
        counts["coder"] = _copy(
            source_session, dest, select(coder).where(coder.c.id == coder_id), coder
        )  # the role is set to coder below: in a package nobody supervises
        dest.connection().execute(update(coder).values(role="coder"))
        code = table_of(CodeRow)
        # themes before subthemes: the parent must exist when its child arrives
        ordered = select(code).order_by(code.c.parent_id.is_not(None), code.c.id)
        counts["code"] = _copy(source_session, dest, ordered, code)
        version = table_of(CodebookVersionRow)
        newest = select(version).order_by(version.c.id.desc()).limit(1)
        counts["codebook_version"] = _copy(source_session, dest, newest, version)
        counts["case"] = _copy(source_session, dest, select(table_of(CaseRow)), table_of(CaseRow))
        document = table_of(DocumentRow)
        counts["document"] = _copy(source_session, dest, select(document), document)
        segment = table_of(SegmentRow)
        counts["segment"] = _copy(source_session, dest, select(segment), segment)
        for row_class in (CodingRow, DocumentStatusRow, MemoRow):
            table = table_of(row_class)
            query = select(table).where(table.c.coder_id == coder_id)
            counts[table.name] = _copy(source_session, dest, query, table)
        return counts

    def newest_codebook_version(self) -> int | None:
        """The id of the newest codebook version snapshot, or ``None``."""
        return self.session.execute(
            select(CodebookVersionRow.id).order_by(CodebookVersionRow.id.desc()).limit(1)
        ).scalar()

    def set_project_name(self, name: str) -> None:
        """Give the project row a name (a package carries its source project's name)."""
        self.session.execute(update(ProjectRow).values(name=name))

    # ----- reading a package ---------------------------------------------------------------------
    def documents(self) -> list[tuple[int, str, str, str]]:
        """(id, uid, title, text SHA-256) of every document."""
        query = select(DocumentRow.id, DocumentRow.uid, DocumentRow.title, DocumentRow.text_sha256)
        return list(self.session.execute(query.order_by(DocumentRow.id)).all())

    def codes(self) -> list[tuple[int, str, int | None, str]]:
        """(id, uid, parent id, name) of every code."""
        query = select(CodeRow.id, CodeRow.uid, CodeRow.parent_id, CodeRow.name)
        return list(self.session.execute(query.order_by(CodeRow.id)).all())

    def cases(self) -> list[tuple[int, str]]:
        """(id, uid) of every case."""
        return list(self.session.execute(select(CaseRow.id, CaseRow.uid)).all())

    def layer(self, coder_id: int, document_ids: Iterable[int] | None = None) -> list:
        """A coder's codings as (id, uid, document id, code id, start, end, memo, created,
        updated), optionally only on some documents."""
        query = select(
            CodingRow.id,
            CodingRow.uid,
            CodingRow.document_id,
            CodingRow.code_id,
            CodingRow.start,
            CodingRow.end,
            CodingRow.memo,
            CodingRow.created_at,
            CodingRow.updated_at,
        ).where(CodingRow.coder_id == coder_id)
        rows = [tuple(r) for r in self.session.execute(query.order_by(CodingRow.id))]
        if document_ids is None:
            return rows
        wanted = set(document_ids)
        return [r for r in rows if r[2] in wanted]

    def memos(self, coder_id: int) -> list[tuple]:
        """A coder's memos as (id, uid, target type, target id, text, created, updated)."""
        query = select(
            MemoRow.id,
            MemoRow.uid,
            MemoRow.target_type,
            MemoRow.target_id,
            MemoRow.text,
            MemoRow.created_at,
            MemoRow.updated_at,
        ).where(MemoRow.coder_id == coder_id)
        return [tuple(r) for r in self.session.execute(query.order_by(MemoRow.id))]

    def statuses(self, coder_id: int) -> dict[int, tuple[bool, str]]:
        """Per document id, a coder's done flag and when it was set."""
        query = select(
            DocumentStatusRow.document_id, DocumentStatusRow.done, DocumentStatusRow.updated_at
        ).where(DocumentStatusRow.coder_id == coder_id)
        return {d: (bool(done), at) for d, done, at in self.session.execute(query)}

    def uids_in_use(self, table: str, uids: Sequence[str]) -> set[str]:
        """Which of ``uids`` already exist in a table (named as in :data:`TABLES`)."""
        row_class = TABLES[table]
        found: set[str] = set()
        for chunk in _chunks(list(uids), 500):
            query = select(row_class.uid).where(row_class.uid.in_(chunk))
            found.update(self.session.execute(query).scalars())
        return found

    def audit_details(self, action: str) -> list[dict]:
        """The details of every audit event of one action, oldest first."""
        query = select(AuditRow.details).where(AuditRow.action == action).order_by(AuditRow.id)
        return [dict(d or {}) for d in self.session.execute(query).scalars()]

    # ----- applying a coder's layer ---------------------------------------------------------------
    def insert_codings(self, rows: Sequence[dict]) -> None:
        """Insert codings given with every column but ``id`` (uids and times kept)."""
        connection = self.session.connection()
        for chunk in _chunks(rows):
            connection.execute(table_of(CodingRow).insert(), list(chunk))

    def update_codings(self, rows: Sequence[dict]) -> None:
        """Set code, span, memo and times of codings by id (keys ``b_id`` and the columns)."""
        if not rows:
            return
        table = table_of(CodingRow)
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                code_id=bindparam("code_id"),
                start=bindparam("start"),
                end=bindparam("end"),
                memo=bindparam("memo"),
                updated_at=bindparam("updated_at"),
            )
        )
        connection = self.session.connection()
        for chunk in _chunks(rows):
            connection.execute(statement, list(chunk))

    def delete_rows(self, table: str, ids: Sequence[int]) -> None:
        """Delete rows of a table (named as in :data:`TABLES`) by id, in chunks under
        bound-parameter limits."""
        row_class = TABLES[table]
        for chunk in _chunks(list(ids), 500):
            self.session.execute(delete(row_class).where(row_class.id.in_(chunk)))

    def insert_memos(self, rows: Sequence[dict]) -> None:
        """Insert memos (uid, coder id, target, text and times)."""
        if rows:
            self.session.connection().execute(table_of(MemoRow).insert(), list(rows))

    def update_memo(self, memo_id: int, **fields: object) -> None:
        """Change a memo's target or text."""
        self.session.execute(update(MemoRow).where(MemoRow.id == memo_id).values(**fields))

    def set_status(self, document_id: int, coder_id: int, done: bool, at: str) -> None:
        """Set a coder's done flag on a document (creating the row if there is none)."""
        row = self.session.execute(
            select(DocumentStatusRow).where(
                DocumentStatusRow.document_id == document_id, DocumentStatusRow.coder_id == coder_id
            )
        ).scalar_one_or_none()
        if row is None:
            self.session.add(
                DocumentStatusRow(
                    document_id=document_id, coder_id=coder_id, done=done, updated_at=at
                )
            )
        else:
            row.done, row.updated_at = done, at
        self.session.flush()

    def memo_target_uids(self, memo_rows: Sequence[tuple]) -> dict[tuple[str, int], str]:
        """For memos (as from :func:`memos`), the uid of each (target type, target id)."""
        wanted: dict[str, set[int]] = {}
        for row in memo_rows:
            if row[2] in MEMO_TARGETS and row[3] is not None:
                wanted.setdefault(row[2], set()).add(row[3])
        out: dict[tuple[str, int], str] = {}
        for kind, ids in wanted.items():
            row_class = MEMO_TARGETS[kind]
            for chunk in _chunks(sorted(ids), 500):
                query = select(row_class.id, row_class.uid).where(row_class.id.in_(chunk))
                out.update({(kind, i): u for i, u in self.session.execute(query)})
        return out

    def ids_by_uid(self, table: str, uids: Iterable[str]) -> dict[str, int]:
        """Integer ids of rows of a table (named as in :data:`TABLES`), by uid (unknown
        uids are left out)."""
        row_class = TABLES[table]
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(uids)), 500):
            query = select(row_class.uid, row_class.id).where(row_class.uid.in_(chunk))
            out.update(dict(self.session.execute(query).all()))
        return out
