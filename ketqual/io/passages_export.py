"""Coded passages to files: a Word document of quotes with their references (ready to paste
into a Results section), an xlsx workbook, CSV, or JSON for scripts.

Reference ids are the framework matrices' (``S1G2-N-412-530``), so a quote pasted from here
can be found in the matrices and back in the document. Every file is written to a
temporary name and renamed, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ketqual.core.retrieval import PassageList, RetrievedPassage
from ketqual.io.atomic import write_atomically
from ketqual.io.xlsx_writer import Workbook, clean_text

FORMATS = ("csv", "json", "xlsx", "docx")
CSV_COLUMNS = (
    "ref",
    "document",
    "document_id",
    "case",
    "start",
    "end",
    "line",
    "code",
    "text",
    "before",
    "after",
    "other_codes",
    "memos",
    "participants",
    "starred",
    "layer",
)


def format_for(path: Path, fmt: str | None) -> str:
    """The format from ``fmt`` or the file's suffix.

    Raises:
        ValueError: A sentence naming the formats.
    """
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ValueError(
            f"cannot write '{path.name}': choose a file ending in "
            + ", ".join(f".{f}" for f in FORMATS)
        )
    return chosen


def objects(passages: Sequence[RetrievedPassage], layer: str) -> list[dict]:
    """One JSON object per passage."""
    return [
        {
            "ref": p.ref,
            "document": p.document,
            "document_id": p.document_id,
            "case": p.case,
            "start": p.start,
            "end": p.end,
            "line": p.line,
            "text": p.text,
            "before": p.before,
            "after": p.after,
            "code": p.codes[0] if p.codes else "",
            "codes": list(p.codes),
            "memos": list(p.memos),
            "participants": list(p.participants),
            "starred": p.starred,
            "layer": layer,
        }
        for p in passages
    ]


def row_values(p: RetrievedPassage, layer: str) -> list[str]:
    """One passage as the CSV columns."""
    return [
        p.ref,
        p.document,
        str(p.document_id),
        p.case,
        str(p.start),
        str(p.end),
        str(p.line),
        p.codes[0] if p.codes else "",
        p.text,
        p.before,
        p.after,
        "; ".join(p.other_codes),
        "; ".join(p.memos),
        ", ".join(p.participants),
        "yes" if p.starred else "",
        layer,
    ]


def about_rows(result: PassageList) -> list[tuple[str, str]]:
    """What an export holds, for its first lines or sheet."""
    return [
        ("Project", result.project_name),
        ("Coded passages of", result.description),
        ("Layer", result.layer_label),
        ("Filters", "; ".join(result.conditions) or "none"),
        ("Passages", str(len(result.passages))),
        ("Exported", datetime.now(UTC).isoformat(timespec="seconds")),
        (
            "References",
            "S1G2-N-412-530 = session 1, group 2, scribe Notes (F feedback sheets, O other), "
            "characters 412 to 530 of that document: the framework matrices' reference ids.",
        ),
    ]


def _write_csv(result: PassageList, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in result.passages:
        writer.writerow(row_values(p, result.layer))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def _write_json(result: PassageList, path: Path) -> None:
    text = json.dumps(objects(result.passages, result.layer), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


def _write_xlsx(result: PassageList, path: Path) -> None:
    wb = Workbook(title=f"Coded passages: {result.description}")
    widths = {0: 18, 1: 22, 2: 8, 3: 10, 4: 8, 5: 8, 6: 6, 7: 26, 8: 70, 9: 30, 10: 30}
    widths |= {11: 26, 12: 30, 13: 14, 14: 8, 15: 12}
    sheet = wb.add_sheet("Passages", widths=widths, freeze=(1, 1), landscape=True)
    sheet.print_titles = (1, 0)
    sheet.append(list(CSV_COLUMNS), "header")
    styles = ["id", "cell", "number", "cell", "number", "number", "number", "cell", "cell"]
    styles += ["muted", "muted", "cell", "cell", "cell", "centred", "cell"]
    for p in result.passages:
        values: list[object] = row_values(p, result.layer)
        for j in (2, 4, 5, 6):
            values[j] = int(values[j])  # type: ignore[arg-type]
        sheet.append(values, styles)
    about = wb.add_sheet("About", widths={0: 20, 1: 100})
    for label, text in about_rows(result):
        about.append([label, text], ["bold", "wrap"])
    wb.save(path)


def _write_docx(result: PassageList, path: Path) -> None:
    from docx import Document  # python-docx loads only when a Word file is written
    from docx.shared import Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"].font
    normal.name, normal.size = "Calibri", Pt(11)
    document.core_properties.title = clean_text(f"Coded passages: {result.description}")
    document.add_heading(clean_text(f"Coded passages: {result.description}"), level=1)
    facts = document.add_paragraph()
    for label, text in about_rows(result)[:-2]:
        facts.add_run(f"{label}: ").bold = True
        facts.add_run(clean_text(text) + "\n")
    if not result.passages:
        document.add_paragraph(result.message or "No passage matches.")
    for p in result.passages:
        quote = document.add_paragraph(style="Quote")
        quote.add_run(clean_text(f"“{p.text}”"))
        quote.add_run(f" [{p.ref}]").bold = True
        where = [p.case or p.document]
        if p.participants:
            where.append(", ".join(p.participants))
        where.append("; ".join(p.codes))
        note = document.add_paragraph()
        run = note.add_run(clean_text(" · ".join(w for w in where if w)))
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        if p.starred:
            note.add_run("  ★ starred").font.size = Pt(8.5)
    document.save(str(path))


WRITERS = {"csv": _write_csv, "json": _write_json, "xlsx": _write_xlsx, "docx": _write_docx}


def write(result: PassageList, path: Path, fmt: str) -> Path:
    """Write passages in ``fmt`` (one of :data:`FORMATS`) to ``path``, atomically."""
    return write_atomically(path, lambda temporary: WRITERS[fmt](result, temporary))
