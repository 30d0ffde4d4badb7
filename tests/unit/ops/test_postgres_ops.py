"""The same operations on a PostgreSQL project: codebook, import, split, edit, info."""

from __future__ import annotations

import pytest

from ketqual.ops import project_ops, queries
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.importing import document_ops, import_ops


@pytest.mark.postgres
def test_whole_foundation_flow_on_postgresql(pg_url, tmp_path):
    project = project_ops.new_project(pg_url, name="Server study", actor="sup")
    notes = tmp_path / "S3_combined_scribe.txt"
    notes.write_text(
        "Session 3 – Group 5\n- P12 wants a named nurse.\n\nSession 3 – Group 6\n- P30: cost 😟.\n",
        encoding="utf-8",
    )
    report = import_ops.import_files(
        project, [notes, notes], import_ops.ImportOptions(split_combined=False)
    )
    assert [r.status for r in report.results] == ["imported", "skipped"]
    [doc] = [row.record for row in queries.list_documents(project)]
    document_ops.split_document(project, doc.id)
    docs = [row.record for row in queries.list_documents(project)]
    assert [(d.meta.session, d.meta.group) for d in docs] == [(3, 5), (3, 6)]
    assert "😟" in queries.document_text(project, docs[1].id)
    source = codebook_ops.find_code(project, "Side-effects/Physical effects")
    target = codebook_ops.find_code(project, "Side-effects/Mental and cognitive effects")
    codebook_ops.merge_codes(project, source.id, target.id)
    info = project_ops.project_info(project)
    assert info["backend"] == "postgresql" and info["name"] == "Server study"
    assert len(info["codes"]) == 22 and len(info["cases"]) == 2
    assert info["location"] == pg_url  # no password in this URL, so nothing to hide
    project.close()
    reopened = project_ops.open_project(pg_url)
    assert len(queries.list_documents(reopened)) == 2
    reopened.close()


def test_passwords_never_appear_in_project_info():
    hidden = project_ops._hide_password("postgresql+psycopg://ann:s3cret@db.example/study")
    assert hidden == "postgresql+psycopg://ann:***@db.example/study"
    assert (
        project_ops._hide_password("postgresql+psycopg://ann@host/db")
        == "postgresql+psycopg://ann@host/db"
    )
