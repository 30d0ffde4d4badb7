"""The theme x theme co-occurrence table as CSV (one row per pair) or an Excel workbook.

CSV is tidy, for R and pandas: one row per pair of themes with both n, n12 and the
chosen measure. The workbook has the matrices people read: *Counts* (n12, with each
theme's n on the diagonal), one sheet for the chosen measure, *Pairs* (the CSV's rows)
and *About* (layer, unit, measure and what they mean). An undefined measure is an empty
cell, never 0.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from ketqual.core.network import MEASURE_LABELS, Cooccurrence
from ketqual.io.atomic import replacing

FORMATS = ("csv", "xlsx")


def pair_rows(result: Cooccurrence, measure: str) -> list[list[object]]:
    """One row per pair of themes in codebook order: names, n1, n2, n12, measure."""
    rows: list[list[object]] = []
    themes = result.themes
    for i, a in enumerate(themes):
        for b in themes[i + 1 :]:
            value = result.value(a.code_id, b.code_id, measure)
            rows.append([a.name, b.name, a.n, b.n, result.pair(a.code_id, b.code_id).n12, value])
    return rows


def _header(measure: str) -> list[str]:
    return ["theme_a", "theme_b", "n_a", "n_b", "n12", measure]


def write(
    result: Cooccurrence,
    path: Path,
    *,
    fmt: str,
    measure: str,
    about: Mapping[str, str],
) -> Path:
    """Write the table as ``csv`` or ``xlsx`` (the file is replaced whole).

    Raises:
        ValueError: For an unknown format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"the table can be written as {', '.join(FORMATS)}, not '{fmt}'")
    with replacing(path) as temporary:
        if fmt == "csv":
            with open(temporary, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(_header(measure))
                for row in pair_rows(result, measure):
                    writer.writerow(["" if v is None else v for v in row])
        else:
            _workbook(result, measure, about).save(temporary)
    return path


def _workbook(result: Cooccurrence, measure: str, about: Mapping[str, str]):
    # openpyxl takes a fifth of a second to import: only when a workbook is written.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, header = Font(bold=True), PatternFill("solid", fgColor="E8E8E8")
    book = Workbook()
    counts = book.active
    counts.title = "Counts"
    _matrix(counts, result, "count", "n12 (diagonal: each theme's n)")
    if measure != "count":
        label = MEASURE_LABELS[measure]
        _matrix(book.create_sheet(label[:31]), result, measure, label)
    pairs = book.create_sheet("Pairs")
    pairs.append(_header(measure))
    for cell in pairs[1]:
        cell.font, cell.fill = bold, header
    for row in pair_rows(result, measure):
        pairs.append(row)
    for column in range(1, 7):
        pairs.column_dimensions[get_column_letter(column)].width = 28 if column < 3 else 10
    info = book.create_sheet("About")
    for key, value in about.items():
        info.append([key, value])
    for note in result.notes:
        info.append(["note", note])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    return book


def _matrix(sheet, result: Cooccurrence, measure: str, caption: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header, diagonal = (
        PatternFill("solid", fgColor="E8E8E8"),
        PatternFill("solid", fgColor="F4F4F4"),
    )
    themes = result.themes
    sheet.append([caption, *[t.name for t in themes]])
    sheet["A1"].font = bold
    for cell in sheet[1][1:]:
        cell.font, cell.fill = bold, header
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    table = result.matrix(measure)
    for theme, values in zip(themes, table, strict=True):
        sheet.append([theme.name, *values])
    number = "0" if measure == "count" else "0.000"
    for i in range(len(themes)):
        sheet.cell(row=i + 2, column=1).font = bold
        for j in range(len(themes)):
            cell = sheet.cell(row=i + 2, column=j + 2)
            cell.number_format = "0" if i == j else number
            if i == j:
                cell.fill = diagonal
    sheet.column_dimensions["A"].width = 26
    for column in range(2, len(themes) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.freeze_panes = "B2"
