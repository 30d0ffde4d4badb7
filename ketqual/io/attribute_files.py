"""Attribute tables in files: one row per case, document or participant, one column per
attribute; read from and written to CSV or xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from ketqual.core.model import ImportRefused, Table
from ketqual.io import readers
from ketqual.io.atomic import write_atomically
from ketqual.io.xlsx_writer import Workbook

FORMATS = ("csv", "xlsx")


def format_for(path: Path, fmt: str | None) -> str:
    """The format from ``fmt`` or the suffix.

    Raises:
        ValueError: A sentence naming the formats.
    """
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ValueError(f"cannot use '{path.name}': choose a file ending in .csv or .xlsx")
    return chosen


def read_table(path: Path) -> Table:
    """The first sheet (or the CSV) holding data.

    Raises:
        ImportRefused: A file that cannot be read as a table, or one without rows.
    """
    read = readers.read_table_detailed(Path(path))
    tables = [t for t in read.tables if t.rows]
    if not tables:
        raise ImportRefused("the table has no rows of data")
    return tables[0]


def write_table(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]], fmt: str, sheet: str
) -> Path:
    """Write a header row and rows of text, atomically."""

    def write(temporary: Path) -> None:
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(headers)
            writer.writerows(rows)
            temporary.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
            return
        wb = Workbook(title=sheet)
        widths = {j: max(12.0, min(40.0, len(h) + 4.0)) for j, h in enumerate(headers)}
        ws = wb.add_sheet(sheet, widths=widths, freeze=(1, 1))
        ws.append(list(headers), "header")
        for row in rows:
            ws.append(list(row), "wrap")
        wb.save(temporary)

    return write_atomically(path, write)
