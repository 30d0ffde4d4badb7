"""Write the consensus decision log (the study's audit trail) as CSV or Excel.

Both keep every text as text (a reason starting with "=" is a reason, not a formula);
the workbook has a frozen, repeated header row and rows as tall as their reasons and
passages, and prints landscape fitted to the page width.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ketqual.io import csv_files
from ketqual.io.atomic import replacing
from ketqual.io.xlsx_writer import Workbook

FORMATS = ("csv", "xlsx")
COLUMNS = (  # key (the CSV header), label (the workbook's), width in the workbook
    ("decision", "Decision", 9),
    ("at", "When (UTC)", 17),
    ("by", "By", 12),
    ("action", "Action", 14),
    ("kind", "Disagreement type", 14),
    ("disagreement", "Disagreement", 10),
    ("document", "Document", 20),
    ("start", "Start", 6),
    ("end", "End", 6),
    ("what", "Codes / change", 30),
    ("consensus_added", "Added to consensus", 22),
    ("reason", "Reason", 36),
    ("dissent", "Dissent", 24),
    ("undoes", "Undoes", 7),
    ("passage", "Passage", 50),
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
    # UTF-8 with a byte-order mark, texts never read as formulas (io/csv_files).
    with path.open("w", encoding=csv_files.ENCODING, newline="") as handle:
        writer = csv_files.SafeWriter(handle)
        writer.writerow([key for key, _, _ in COLUMNS])
        writer.writerows([row.get(k) for k, _, _ in COLUMNS] for row in rows)


def _xlsx(path: Path, rows: Sequence[dict], meta: dict[str, str]) -> None:
    wb = Workbook(title="Decision log of the consensus review", creator=meta.get("project", ""))
    ws = wb.add_sheet(
        "Decision log",
        widths={i: width for i, (_, _, width) in enumerate(COLUMNS)},
        freeze=(1, 1),
        print_titles=(1, 1),
        autofilter=True,
    )
    ws.append([label for _, label, _ in COLUMNS], "header")
    numeric = {"decision", "disagreement", "start", "end", "undoes"}
    styles = [
        "id" if k == "decision" else "number" if k in numeric else "cell" for k, _, _ in COLUMNS
    ]
    for row in rows:
        ws.append([row.get(k) for k, _, _ in COLUMNS], styles)
    about = wb.add_sheet("About", widths={0: 14, 1: 90})
    about.append(["Decision log of the consensus review"], "title")
    for key, value in meta.items():
        about.append([key.capitalize(), value], ["bold", "wrap"])
    about.append(["Rows", len(rows)], ["bold", "normal"])
    about.append(
        [
            "Note",
            "The log is append-only: a decision taken back appears as a later 'Undone' "
            "entry pointing at it, never as a deletion.",
        ],
        ["bold", "wrap"],
    )
    wb.save(path)
