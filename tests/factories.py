"""Factories for tests: projects with codebooks, documents and codings, made quickly."""

from __future__ import annotations

from pathlib import Path

from ketqual.core.model import DocumentDraft, DocumentMeta
from ketqual.core.text import sha256_text
from ketqual.core.units import segment
from ketqual.ops import project_ops

NOTES = (
    "Session 1 – Group 2\nScribe: scribe 2 (AB)\n\n"
    "- P3 said the first infusion “lifted the fog” within hours.\n"
    "- Carer worried about driving home after a dose. Needs a lift.\n"
    "- P5: bladder problems are the big fear 😟 for long-term use.\n"
)


def make_project(tmp_path: Path, name: str = "study.ketqual", codebook: str | None = "default"):
    """A new SQLite project with the study's codebook."""
    return project_ops.new_project(tmp_path / name, codebook=codebook, actor="tester")


def add_document(
    project, text: str = NOTES, *, session: int | None = 1, group: int | None = 2
) -> int:
    """Store a document directly (bypassing file readers) and return its id."""
    draft = DocumentDraft(
        DocumentMeta(f"S{session} G{group}", "scribe_notes", session, group),
        text,
        f"S{session}_G{group}.txt",
        sha256_text(text),
        "txt",
    )
    with project.transaction() as tx:
        case = tx.cases.ensure(session, group)
        return tx.documents.add(draft, segment(text), case.id if case else None).id


def add_coder(project, name: str = "Coder A", role: str = "coder") -> int:
    """Create a coder and return the id."""
    with project.transaction() as tx:
        return tx.coders.add(name, role).id


def add_codings(
    project, document_id: int, code_id: int, coder_id: int | None, spans: list[tuple[int, int]]
) -> None:
    """Store codings of one code by one coder (``None`` = consensus layer)."""
    with project.transaction() as tx:
        tx.codings.add_many(
            [
                {
                    "document_id": document_id,
                    "code_id": code_id,
                    "coder_id": coder_id,
                    "start": s,
                    "end": e,
                }
                for s, e in spans
            ]
        )
