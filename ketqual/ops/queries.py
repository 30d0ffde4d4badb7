"""Read-only questions the app and exports ask of a project."""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core.model import Unit
from ketqual.core.records import CaseRecord, CodeRecord, DocumentLabel, DocumentRecord
from ketqual.store.database import ProjectStore


@dataclass(frozen=True)
class DocumentRow:
    """A document as listed in the documents pane."""

    record: DocumentRecord
    sentences: int
    paragraphs: int


def list_documents(project: ProjectStore) -> list[DocumentRow]:
    """Every document with its unit counts."""
    with project.read() as tx:
        counts = tx.documents.unit_counts()
        return [
            DocumentRow(
                d, counts.get(d.id, {}).get("sentence", 0), counts.get(d.id, {}).get("paragraph", 0)
            )
            for d in tx.documents.list()
        ]


def document_labels(project: ProjectStore) -> list[DocumentLabel]:
    """Every document's label (what queues and filters show), in display order."""
    with project.read() as tx:
        return tx.documents.labels()


def document_text(project: ProjectStore, document_id: int) -> str:
    """The stored text of one document."""
    with project.read() as tx:
        return tx.documents.text(document_id)


def document_units(project: ProjectStore, document_id: int, kind: str | None = None) -> list[Unit]:
    """Sentence and/or paragraph units of a document."""
    with project.read() as tx:
        return tx.documents.units(document_id, kind)


def list_codes(project: ProjectStore) -> tuple[list[CodeRecord], dict[int, int]]:
    """The codebook and the number of codings (all layers) of each code."""
    with project.read() as tx:
        return tx.codes.list(), tx.codes.coding_counts()


def code_records(project: ProjectStore) -> list[CodeRecord]:
    """The codebook (without counting codings: quicker than :func:`list_codes`)."""
    with project.read() as tx:
        return tx.codes.list()


def project_name(project: ProjectStore) -> str:
    """The project's display name."""
    with project.read() as tx:
        return tx.project.describe()["name"]


def project_uid(project: ProjectStore) -> str:
    """The project's stable identifier (the same in every copy of the file)."""
    with project.read() as tx:
        return tx.project.describe()["uid"]


def list_cases(project: ProjectStore) -> list[CaseRecord]:
    """Every case (focus group)."""
    with project.read() as tx:
        return tx.cases.list()
