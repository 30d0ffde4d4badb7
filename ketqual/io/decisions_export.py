"""Write the consensus decision log (the study's audit trail) as CSV or Excel."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from ketqual.io.atomic import replacing

FORMATS = ("csv", "xlsx")
COLUMNS = (
    ("decision", "Decision", 9),
    ("at", "When (UTC)", 20),
    ("by", "By", 14),
    ("action", "Action", 16),
    ("kind", "Disagreement type", 16),
    ("disagreement", "Disagreement", 12),
    ("document", "Document", 24),
    ("start", "Start", 7),
    ("end", "End", 7),
    ("what", "Codes / change", 34),
    ("consensus_added", "Added to consensus", 28),
    ("reason", "Reason", 40),
    ("dissent", "Dissent", 30),
    ("undoes", "Undoes", 8),
    ("passage", "Passage", 60),
    ("document_uid", "Document uid", 34),
)


def write(path: Path, rows: Sequence[dict], meta: dict[str, str]) -> Path:
    """Write ``rows`` (from ``decision_log.decision_rows``) to ``path`` by its suffix.

    Raises:
        ValueError: For a suffix other than .csv or .xlsx.
        OSError: When the file cannot be written.
    """
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"write the decision log as .csv or .xlsx, not '{path.name}'")
    with replacing(path) as temporary:
        if fmt == "csv":
            _csv(temporary, rows)
        else:
            _xlsx(temporary, rows, meta)
    return path


def _csv(path: Path, rows: Sequence[dict]) -> None:
    # UTF-8 with a byte-order mark, so Excel opens accented names correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([key for key, _, _ in COLUMNS])
        for row in rows:
            writer.writerow(["" if row.get(k) is None else row[k] for k, _, _ in COLUMNS])


def _xlsx(path: Path, rows: Sequence[dict], meta: dict[str, str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Decision log"
    ws.append([label for _, label, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(k) for k, _, _ in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    about = wb.create_sheet("About")
    about.append(["Decision log of the consensus review"])
    about["A1"].font = Font(bold=True, size=13)
    for key, value in meta.items():
        about.append([key.capitalize(), value])
    about.append(["Rows", len(rows)])
    about.append(
        [
            "Note",
            "The log is append-only: a decision taken back appears as a later 'Undone' "
            "entry pointing at it, never as a deletion.",
        ]
    )
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 90
    wb.save(path)
