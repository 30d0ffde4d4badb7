"""Re-make the demo files that are not plain UTF-8 text.

The demo corpus is fictional and was written for KetQual. Most of it is plain UTF-8 text that
is kept as it is. Four files carry a "messy reality" that is awkward to edit by hand, so they
are generated here from UTF-8 sources in ``src/``:

    src/note_cp1252_crlf.txt  ->  S1_G4_scribe.txt      Windows-1252, CRLF line endings
    src/note_bom_crlf.txt     ->  S1_G6_scribe.txt      UTF-8 with BOM, CRLF line endings
    src/note_docx.txt         ->  S2_G2_scribe.docx     Word: heading, bullets, a table
    src/feedback_sheets.tsv   ->  feedback_sheets.xlsx  one sheet "Feedback"

Run from anywhere with the project's virtual environment (needs python-docx and openpyxl):

    .venv/bin/python ketqual/resources/demo/make_binary_files.py

The output is byte-for-byte reproducible: document properties carry fixed dates and the
zip entries inside the .docx/.xlsx get a fixed timestamp.

Markup understood in ``src/note_docx.txt`` (one paragraph per line):
``# text`` heading 1, ``## text`` heading 2, ``- text`` bullet (Word's "List Bullet" style),
``| a | b | c |`` table rows (first row is the header), other lines plain paragraphs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

# Fixed metadata so re-running gives identical files.
WRITTEN = dt.datetime(2018, 3, 17, 17, 30, 0)  # the consultation day, after the last session
TYPED_UP = dt.datetime(2018, 3, 19, 10, 0, 0)  # notes typed up on the Monday
ZIP_TIME = (2018, 3, 19, 10, 0, 0)

QUESTIONS = {
    "W": "What worries you most about ketamine as a treatment?",
    "S": "What support would you want alongside treatment?",
    "I": "What would be your ideal prescribing solution?",
}

# Who sat in which group (participant number -> group), per session. Session 1 groups stayed
# together; sessions 2 and 3 were reshuffled. Used to check the feedback sheet rows.
_S1_SIZES = (6, 6, 7, 6, 6, 7, 6)
SESSION_GROUPS = {
    1: dict(enumerate((g for g, n in enumerate(_S1_SIZES, 1) for _ in range(n)), start=1)),
    2: {p: (p - 1) % 7 + 1 for p in range(1, 45)},
    3: {p: (3 * p + (p - 1) // 7) % 7 + 1 for p in range(1, 45)},
}


def read_source(name: str) -> str:
    text = (SRC / name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n")


def write_text(path: Path, text: str, encoding: str, crlf: bool, bom: bool = False) -> None:
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding, errors="strict")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry timestamps and fixed core-property dates."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    fixed_modified = TYPED_UP.strftime("%Y-%m-%dT%H:%M:%SZ")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{fixed_modified}\g<2>",
                    text,
                )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


def make_cp1252() -> Path:
    out = HERE / "S1_G4_scribe.txt"
    write_text(out, read_source("note_cp1252_crlf.txt"), "cp1252", crlf=True)
    return out


def make_bom() -> Path:
    out = HERE / "S1_G6_scribe.txt"
    write_text(out, read_source("note_bom_crlf.txt"), "utf-8", crlf=True, bom=True)
    return out


def make_docx() -> Path:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties
    props.author = "scribe 2 (MT)"
    props.last_modified_by = "scribe 2 (MT)"
    props.title = "Session 2 – Group 2 notes"
    props.subject = ""
    props.keywords = ""
    props.comments = ""
    props.created = WRITTEN
    props.modified = TYPED_UP
    props.last_printed = WRITTEN
    props.revision = 1
    doc.styles["Normal"].font.size = Pt(11)

    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        table = doc.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        table.style = "Table Grid"
        for r, cells in enumerate(table_rows):
            for c, value in enumerate(cells):
                cell = table.cell(r, c)
                cell.text = value
                if r == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        table_rows.clear()

    for line in read_source("note_docx.txt").split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            table_rows.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        flush_table()
        if not stripped:
            continue
        if stripped.startswith("## "):
            doc.add_heading(stripped[3:], level=2)
        elif stripped.startswith("# "):
            doc.add_heading(stripped[2:], level=1)
        elif stripped.startswith("- "):
            doc.add_paragraph(stripped[2:], style="List Bullet")
        else:
            doc.add_paragraph(stripped)
    flush_table()

    out = HERE / "S2_G2_scribe.docx"
    doc.save(out)
    normalise_zip(out)
    return out


def make_xlsx() -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with open(SRC / "feedback_sheets.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))

    wb = Workbook()
    ws = wb.active
    ws.title = "Feedback"
    ws.append(["Session", "Group", "Participant", "Question", "Answer"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, start=2):
        session, group = int(row["Session"]), int(row["Group"])
        participant = row["Participant"].strip()
        expected = SESSION_GROUPS[session][int(participant.lstrip("P"))]
        if expected != group:
            sys.exit(
                f"feedback row {n}: {participant} sat in group {expected} "
                f"in session {session}, not {group}"
            )
        answer = row["Answer"].strip() or None
        ws.append([session, group, participant, QUESTIONS[row["Q"]], answer])
    for col, width in zip("ABCDE", (9, 7, 11, 52, 90), strict=True):
        ws.column_dimensions[col].width = width
    for (cell,) in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"

    wb.properties.creator = "consultation day team"
    wb.properties.lastModifiedBy = "consultation day team"
    wb.properties.title = "Feedback sheets (typed up)"
    wb.properties.created = WRITTEN
    wb.properties.modified = TYPED_UP

    out = HERE / "feedback_sheets.xlsx"
    wb.save(out)
    normalise_zip(out)
    return out


def main() -> None:
    for make in (make_cp1252, make_bom, make_docx, make_xlsx):
        out = make()
        print(f"wrote {out.relative_to(HERE)} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
