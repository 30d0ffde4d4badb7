"""Importing batches: per-file results, nothing partial, duplicates, splitting, names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument

from ketqual.ops import project_ops, queries
from ketqual.ops.errors import OperationError
from ketqual.ops.importing import document_ops, import_ops
from ketqual.store import repo_documents
from tests.factories import make_project

CP1252_NOTES = (
    "Session 1 – Group 4\r\nScribe: scribe 4 (JK)\r\nDate: 17/03/2018\r\n\r\n"
    "- P21 said the “café” near the clinic was where she waited – 2 hrs.\r\n"
    "- P22: ‘felt spaced out’ after the first dose.\r\n"
)

COMBINED = """All notes from session 3, typed up together.

Session 3 – Group 5
Scribe: scribe 5 (RB)
- P12 wants a named nurse to ring.
- Carer: who do I call at night?

Session 3 – Group 6
Scribe: scribe 6 (TN)
- P30 thinks cost will decide everything.

Session 3 – Group 7
Scribe: scribe 7 (LM)
- P40: "I'd pay for it if it kept me alive."
"""


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    yield project
    project.close()


def _docs(project):
    return [row.record for row in queries.list_documents(project)]


def test_cp1252_notes_are_detected_decoded_and_described(project, tmp_path):
    path = tmp_path / "S1_G4_scribe.txt"
    path.write_bytes(CP1252_NOTES.encode("cp1252"))
    report = import_ops.import_files(project, [path])
    assert report.summary() == "1 imported, 0 skipped, 0 failed"
    [doc] = _docs(project)
    text = queries.document_text(project, doc.id)
    assert "“café”" in text and "\r" not in text
    assert (doc.meta.kind, doc.meta.session, doc.meta.group) == ("scribe_notes", 1, 4)
    assert doc.meta.notetaker and "JK" in doc.meta.notetaker
    assert doc.meta.date == "2018-03-17"
    assert doc.encoding and "1252" in doc.encoding
    assert any("1252" in w for w in report.results[0].warnings)
    units = queries.document_units(project, doc.id)
    assert {u.kind for u in units} == {"sentence", "paragraph"}
    assert all(text[u.start : u.end].strip() == text[u.start : u.end] for u in units)


def test_combined_notes_split_into_one_document_per_group_with_cases(project, tmp_path):
    path = tmp_path / "S3_combined_scribe.txt"
    path.write_text(COMBINED, encoding="utf-8")
    report = import_ops.import_files(project, [path])
    assert len(report.results[0].document_ids) == 3
    # The preamble belongs to no group: the result says so rather than dropping it quietly.
    assert any(
        "outside the group sections" in w and "All notes from session 3" in w
        for w in report.results[0].warnings
    )
    docs = _docs(project)
    assert [(d.meta.session, d.meta.group) for d in docs] == [(3, 5), (3, 6), (3, 7)]
    assert [d.meta.notetaker for d in docs] == [n for n in (d.meta.notetaker for d in docs) if n]
    assert queries.document_text(project, docs[1].id).startswith("Session 3 – Group 6")
    info = project_ops.project_info(project)
    assert [c["name"] for c in info["cases"]] == ["S3 G5", "S3 G6", "S3 G7"]


def test_no_split_then_split_later(project, tmp_path):
    path = tmp_path / "S3_combined_scribe.txt"
    path.write_text(COMBINED, encoding="utf-8")
    import_ops.import_files(project, [path], import_ops.ImportOptions(split_combined=False))
    [doc] = _docs(project)
    change = document_ops.split_document(project, doc.id, actor="sup")
    assert len(change.documents) == 3
    assert [d.meta.group for d in _docs(project)] == [5, 6, 7]


def test_feedback_spreadsheet_becomes_one_document_per_group(project, tmp_path):
    path = tmp_path / "feedback.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Session", "Group", "Participant", "Question", "Answer"])
    sheet.append([1, 2, "P7", "What worries you most?", "Being judged by my GP."])
    sheet.append([1, 2, "P8", "What worries you most?", "My bladder."])
    sheet.append([2, 5, "P7", "What support would you want?", "A peer who has had it."])
    sheet.append([2, 5, "P9", "What support would you want?", None])
    book.save(path)
    report = import_ops.import_files(project, [path])
    assert report.count("imported") == 1
    docs = _docs(project)
    assert [(d.meta.kind, d.meta.session, d.meta.group) for d in docs] == [
        ("feedback_sheet", 1, 2),
        ("feedback_sheet", 2, 5),
    ]
    text = queries.document_text(project, docs[0].id)
    assert "P7: Being judged by my GP." in text and "P8: My bladder." in text


def test_spreadsheet_without_recognisable_columns_is_explained(project, tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("Colour,Votes\nred,3\n", encoding="utf-8")
    [result] = import_ops.import_files(project, [path]).results
    assert result.status == "failed" and "columns" in result.reason


def test_same_file_twice_is_skipped_unless_asked(project, tmp_path):
    path = tmp_path / "S1_G4_scribe.txt"
    path.write_bytes(CP1252_NOTES.encode("cp1252"))
    import_ops.import_files(project, [path])
    [again] = import_ops.import_files(project, [path]).results
    assert again.status == "skipped" and "already imported" in again.reason
    asked = []

    def ask(p, matches):
        asked.append((p.name, [m.meta.title for m in matches]))
        return True

    [forced] = import_ops.import_files(project, [path], on_duplicate=ask).results
    assert forced.status == "imported" and asked and asked[0][0] == "S1_G4_scribe.txt"
    assert len(_docs(project)) == 2


def _bad_files(folder: Path) -> dict[str, Path]:
    files = {}
    files["empty"] = folder / "empty.txt"
    files["empty"].write_bytes(b"")
    files["binary"] = folder / "photo.txt"
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    files["corrupt_docx"] = folder / "broken.docx"
    files["corrupt_docx"].write_bytes(b"PK\x03\x04 this is not really a zip")
    files["protected_docx"] = folder / "locked.docx"
    files["protected_docx"].write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600)
    files["bomb"] = folder / "bomb.docx"
    with zipfile.ZipFile(files["bomb"], "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(block)
    files["huge"] = folder / "huge.txt"
    with files["huge"].open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    files["unknown"] = folder / "notes.pages"
    files["unknown"].write_text("hello")
    files["scan"] = folder / "scan.pdf"
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(files["scan"]))
    files["folder"] = folder / "a_folder.txt"
    files["folder"].mkdir()
    return files


def test_every_bad_file_gets_one_line_and_the_batch_goes_on(project, tmp_path):
    bad = _bad_files(tmp_path)
    good = tmp_path / "S2_G1_scribe.txt"
    good.write_text("Session 2 – Group 1\n- P1 found it helped fast.\n", encoding="utf-8")
    vanishing = tmp_path / "S2_G2_scribe.txt"
    vanishing.write_text("- will be gone before it is read\n", encoding="utf-8")
    missing = tmp_path / "never-there.txt"
    files = [*bad.values(), vanishing, missing, good]

    def progress(done, total, name):
        if name == vanishing.name:
            vanishing.unlink()  # the file disappears just as its turn comes

    report = import_ops.import_files(project, files, progress=progress)
    by_name = {r.path.name: r for r in report.results}
    assert by_name[good.name].status == "imported"
    expected = {
        "empty.txt": "empty",
        "photo.txt": "binary",
        "broken.docx": "damaged",
        "locked.docx": "password-protected",
        "bomb.docx": "zip bomb",
        "huge.txt": "too large",
        "notes.pages": "unsupported file type",
        "scan.pdf": "no text layer",
        "a_folder.txt": "folder",
        vanishing.name: "not found",
        missing.name: "not found",
    }
    for name, words in expected.items():
        result = by_name[name]
        assert result.status == "failed", name
        assert words in result.reason, (name, result.reason)
        assert "\n" not in result.reason and "Traceback" not in result.reason
    assert report.count("failed") == len(expected)
    docs = _docs(project)
    assert len(docs) == 1
    with project.read() as tx:
        assert set(tx.documents.unit_counts()) == {docs[0].id}


def test_a_crash_while_storing_leaves_no_partial_document(project, tmp_path, monkeypatch):
    path = tmp_path / "S3_combined_scribe.txt"
    path.write_text(COMBINED, encoding="utf-8")
    real_add = repo_documents.DocumentRepo.add
    calls = []

    def flaky_add(self, draft, units, case_id):
        calls.append(draft.meta.group)
        if len(calls) == 2:
            raise RuntimeError("disk unplugged")
        return real_add(self, draft, units, case_id)

    monkeypatch.setattr(repo_documents.DocumentRepo, "add", flaky_add)
    [result] = import_ops.import_files(project, [path]).results
    assert result.status == "failed" and "nothing was stored" in result.reason
    assert _docs(project) == []
    with project.read() as tx:
        assert tx.documents.unit_counts() == {} and tx.cases.list() == []


def test_names_are_replaced_at_import_and_the_key_kept_apart(project, tmp_path, monkeypatch):
    from ketqual.io import key_file
    from ketqual.ops.privacy import key_ops

    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)
    path = tmp_path / "S1_G1_Tom_Baker.txt"
    path.write_text(
        "Scribe: Tom Baker\n- Anna Smith said Anna's sister drives her.\n"
        "- Tom agreed. Call 07700 900123.\n",
        encoding="utf-8",
    )
    with pytest.raises(OperationError, match="key file"):
        import_ops.import_files(project, [path], names=["Anna Smith"])
    key = key_ops.create_key(project, tmp_path / "study.kqkey", "pass phrase")
    report = import_ops.import_files(project, [path], names="Anna Smith\nstaff: Tom Baker", key=key)
    [doc] = _docs(project)
    text = queries.document_text(project, doc.id)
    assert "Anna" not in text and "Tom" not in text
    assert "[P01] said [P01]'s sister" in text and "- [STAFF-1] agreed" in text
    assert doc.meta.notetaker == "[STAFF-1]" and "Baker" not in doc.source_name
    assert any("replaced" in w for w in report.results[0].warnings)
    with project.read() as tx:
        assert tx.pseudonyms.count() == 0
        hits = tx.identifiers.list(document_ids=[doc.id])
    assert {h.status for h in hits} == {"applied", "pending"}
    [phone] = [h for h in hits if h.status == "pending"]
    assert phone.kind == "phone" and text[phone.start : phone.end] == "07700 900123"
    assert all(h.text.startswith("[") for h in hits if h.status == "applied")
    # A later roster continues the numbering in the key file, never in the project.
    import_ops.add_pseudonyms(project, ["Zoe Ward"], key=key)
    assert key.data.find("Zoe Ward").token == "[P02]"
    project.close()
    data = Path(project.location).read_bytes()
    assert b"Anna" not in data and b"Baker" not in data and b"Zoe" not in data


def test_overrides_win_and_cancel_stops_between_files(project, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("- one\n", encoding="utf-8")
    second.write_text("- two\n", encoding="utf-8")
    options = import_ops.ImportOptions(kind="other", session=2, group=3, notetaker="scribe 3")
    stop = iter([False, True])
    report = import_ops.import_files(
        project, [first, second], options, cancelled=lambda: next(stop)
    )
    assert report.cancelled and len(report.results) == 1
    [doc] = _docs(project)
    assert (doc.meta.kind, doc.meta.session, doc.meta.group, doc.meta.notetaker) == (
        "other",
        2,
        3,
        "scribe 3",
    )


def test_docx_with_table_and_bullets_keeps_reading_order(project, tmp_path):
    path = tmp_path / "S2_G2_scribe.docx"
    word = WordDocument()
    word.add_heading("Session 2 – Group 2", level=1)
    word.add_paragraph("P4 asked who checks the dose.", style="List Bullet")
    table = word.add_table(rows=2, cols=3)
    for row, cells in zip(
        table.rows, [("Point", "Agree", "Disagree"), ("Home dosing", "2", "5")], strict=True
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    word.add_paragraph("After the vote P6 changed her mind.")
    word.save(path)
    import_ops.import_files(project, [path])
    [doc] = _docs(project)
    text = queries.document_text(project, doc.id)
    assert text.index("who checks") < text.index("Home dosing") < text.index("After the vote")
    assert (doc.meta.session, doc.meta.group) == (2, 2)


def test_document_metadata_edits_are_validated_and_move_the_case(project, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("- something\n", encoding="utf-8")
    import_ops.import_files(project, [path])
    [doc] = _docs(project)
    document_ops.update_document(
        project, doc.id, session="2", group=6, date="17 March 2018", actor="sup"
    )
    [doc] = _docs(project)
    assert (doc.meta.session, doc.meta.group, doc.meta.date) == (2, 6, "2018-03-17")
    assert project_ops.project_info(project)["cases"][0]["name"] == "S2 G6"
    for bad, message in (
        ({"kind": "poem"}, "kind must be"),
        ({"group": "six"}, "whole number"),
        ({"date": "soon"}, "date must"),
        ({"title": " "}, "needs a title"),
        ({}, "nothing"),
    ):
        with pytest.raises(OperationError, match=message):
            document_ops.update_document(project, doc.id, **bad)


def test_a_named_pipe_is_refused_without_blocking(project, tmp_path):
    import os

    pipe = tmp_path / "S1_G1_scribe.txt"
    os.mkfifo(pipe)
    [result] = import_ops.import_files(project, [pipe]).results
    assert result.status == "failed" and "not a regular file" in result.reason


def test_a_cp1252_csv_says_which_encoding_it_was_read_in(project, tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_bytes("Session;Group;Answer\n1;2;Ketamine “worked” – mostly\n".encode("cp1252"))
    [result] = import_ops.import_files(project, [path]).results
    assert result.status == "imported"
    assert any("1252" in w for w in result.warnings)
    [doc] = _docs(project)
    assert "1252" in (doc.encoding or "")
    assert "“worked” – mostly" in queries.document_text(project, doc.id)


def _notes(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"S{i % 3 + 1}_G{i % 7 + 1}_scribe_{i}.txt"
        path.write_text(
            f"Session {i % 3 + 1} – Group {i % 7 + 1}\n- P{i} said dose {i} helped. Then it faded.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_worker_processes_give_the_same_documents_as_one_process(tmp_path):
    files = _notes(tmp_path, 6)
    files.append(tmp_path / "missing.txt")
    files.append(files[0])  # the same file twice in one batch
    serial = make_project(tmp_path, "serial.ketqual")
    parallel = make_project(tmp_path, "parallel.ketqual")
    one = import_ops.import_files(serial, files, workers=0)
    two = import_ops.import_files(parallel, files, workers=1)
    assert [(r.status, r.document_ids) for r in one.results] == [
        (r.status, r.document_ids) for r in two.results
    ]
    # One process has stored the first copy by then; the pipeline knows it from the batch.
    assert "already imported" in one.results[-1].reason
    assert "earlier in this batch" in two.results[-1].reason
    assert one.results[-2].status == "failed"

    def content(project):
        out = []
        for row in queries.list_documents(project):
            doc = row.record
            out.append((doc.meta, doc.text_sha256, queries.document_units(project, doc.id)))
        return out

    assert content(serial) == content(parallel)
    serial.close()
    parallel.close()


def test_cancel_stops_the_pipeline_and_keeps_what_was_stored(project, tmp_path):
    files = _notes(tmp_path, 5)
    calls = iter([False, False, True])
    report = import_ops.import_files(project, files, workers=1, cancelled=lambda: next(calls, True))
    assert report.cancelled and len(report.results) == 2
    assert len(_docs(project)) == 2


def test_small_batches_stay_in_one_process(tmp_path):
    assert import_ops._worker_count(_notes(tmp_path, 3)) == 0


def test_a_feedback_sheet_reports_names_replaced_before_those_to_review(
    project, tmp_path, monkeypatch
):
    from ketqual.io import key_file
    from ketqual.ops.privacy import key_ops

    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)
    path = tmp_path / "feedback.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Session", "Group", "Participant", "Question", "Answer"])
    sheet.append([1, 2, "P7", "What worries you most?", "Anna Smith says call 07700 900123."])
    sheet.append([1, 2, "P8", "What worries you most?", "Anna Smith and Anna Smith again."])
    sheet.append([2, 5, "P9", "What support would you want?", "Ring 07700 900124 or 07700 900125"])
    book.save(path)
    key = key_ops.create_key(project, tmp_path / "study.kqkey", "pass phrase")
    [result] = import_ops.import_files(project, [path], names="Anna Smith", key=key).results
    screening = [w for w in result.warnings if "replaced" in w or "to review" in w]
    # The file's totals over its two documents, in the order a note's are given.
    assert screening == ["3 names replaced", "3 possible identifiers to review"]
    notes = tmp_path / "S1_G1_scribe.txt"
    notes.write_text("- Anna Smith rang 07700 900126.\n", encoding="utf-8")
    [note] = import_ops.import_files(project, [notes], names="Anna Smith", key=key).results
    assert [w for w in note.warnings if "replaced" in w or "to review" in w] == [
        "1 name replaced",
        "1 possible identifier to review",
    ]
