"""Crosstabs to files: JSON (``rows``, ``columns`` and a ``cells`` matrix of counts, with
totals), a tidy CSV (one line per cell, totals included, with row and column
percentages) and an xlsx workbook (counts, row %, column % and an About sheet)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

from ketqual.core.retrieval_crosstab import Crosstab
from ketqual.io.atomic import write_atomically
from ketqual.io.xlsx_writer import Workbook

FORMATS = ("csv", "json", "xlsx")
TOTAL = "Total"
CSV_COLUMNS = ("row", "column", "count", "row_percent", "column_percent")


def format_for(path: Path, fmt: str | None) -> str:
    """The format from ``fmt`` or the suffix.

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


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def objects(table: Crosstab, about: Mapping[str, str]) -> dict:
    """The crosstab as plain data."""
    return {
        "rows": [r.label for r in table.rows],
        "row_code_ids": [r.code_id for r in table.rows],
        "columns": list(table.columns),
        "cells": [list(r) for r in table.cells],
        "row_totals": list(table.row_totals),
        "column_totals": list(table.column_totals),
        "total": table.total,
        "count": table.count,
        "attribute": table.attribute,
        "notes": list(table.notes),
        "about": dict(about),
    }


def tidy_rows(table: Crosstab) -> list[tuple[str, str, int, float | None, float | None]]:
    """One line per cell and per total: row, column, count, row %, column %."""
    out = []
    for i, row in enumerate(table.rows):
        for j, column in enumerate(table.columns):
            value = table.cells[i][j]
            out.append(
                (
                    row.label,
                    column,
                    value,
                    _percent(value, table.row_totals[i]),
                    _percent(value, table.column_totals[j]),
                )
            )
        out.append((row.label, TOTAL, table.row_totals[i], None, None))
    for j, column in enumerate(table.columns):
        out.append((TOTAL, column, table.column_totals[j], None, None))
    out.append((TOTAL, TOTAL, table.total, None, None))
    return out


def _csv(table: Crosstab, about: Mapping[str, str], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row, column, value, row_pct, col_pct in tidy_rows(table):
        writer.writerow(
            [
                row,
                column,
                value,
                "" if row_pct is None else row_pct,
                "" if col_pct is None else col_pct,
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def _json(table: Crosstab, about: Mapping[str, str], path: Path) -> None:
    text = json.dumps(objects(table, about), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


def _matrix_sheet(wb: Workbook, name: str, table: Crosstab, about: Mapping[str, str], mode: str):
    widths = {0: 40} | {j + 1: 14 for j in range(len(table.columns) + 1)}
    sheet = wb.add_sheet(name, widths=widths, freeze=(2, 1), landscape=True)
    sheet.append([about.get("cells", "")], "bold")
    sheet.append(["Code", *table.columns, TOTAL], "header")
    for i, row in enumerate(table.rows):
        values: list[object] = [row.label]
        for j in range(len(table.columns)):
            if mode == "count":
                values.append(table.cells[i][j])
            else:
                pct = table.row_percent(i, j) if mode == "row" else table.column_percent(i, j)
                values.append(None if pct is None else round(pct, 1))
        values.append(
            table.row_totals[i]
            if mode == "count"
            else (100.0 if mode == "row" and table.row_totals[i] else None)
        )
        sheet.append(values, ["id", *["number"] * (len(table.columns) + 1)])
    if mode != "row":
        totals: list[object] = [TOTAL]
        for j in range(len(table.columns)):
            total = table.column_totals[j]
            totals.append(total if mode == "count" else (100.0 if total else None))
        totals.append(table.total if mode == "count" else None)
        sheet.append(totals, ["id", *["bold_number"] * (len(table.columns) + 1)])


def _xlsx(table: Crosstab, about: Mapping[str, str], path: Path) -> None:
    wb = Workbook(title=f"Crosstab: {about.get('rows', '')} by {table.attribute}")
    _matrix_sheet(wb, "Counts", table, about, "count")
    _matrix_sheet(wb, "Row %", table, about, "row")
    _matrix_sheet(wb, "Column %", table, about, "column")
    sheet = wb.add_sheet("About", widths={0: 20, 1: 100})
    for label, text in about.items():
        sheet.append([label.capitalize(), text], ["bold", "wrap"])
    for note in table.notes:
        sheet.append(["Note", note], ["bold", "wrap"])
    wb.save(path)


WRITERS = {"csv": _csv, "json": _json, "xlsx": _xlsx}


def write(table: Crosstab, about: Mapping[str, str], path: Path, fmt: str) -> Path:
    """Write the crosstab in ``fmt`` to ``path`` atomically."""
    return write_atomically(path, lambda temporary: WRITERS[fmt](table, about, temporary))
