"""Framework matrices as an Excel workbook.

Sheets: *README* (project, codebook version, date, layer, pseudonymisation, legend),
*Codebook*, one sheet per theme (caption, then a header row; header and focus-group
column frozen; wrapped text; no merged cells), *Quotes* (every passage once, by reference
id) and *Counts* (passages, documents and focus groups per theme and subtheme).
"""

from __future__ import annotations

import re
from pathlib import Path

from ketqual.core import framework_report as fr
from ketqual.core import framework_text as ft
from ketqual.core.framework import ThemeMatrix
from ketqual.core.framework_report import MatrixReport
from ketqual.io import xlsx_writer
from ketqual.io.xlsx_writer import Workbook

FIXED_SHEETS = ("README", "Codebook", "Quotes", "Counts")
ATTRIBUTE_HEADERS = ("Focus group", "Session", "Group", "Sources")


def sheet_name(name: str, taken: set[str]) -> str:
    """A theme's sheet name (valid and unique, see :func:`ketqual.io.xlsx_writer.sheet_name`);
    ``taken`` holds the casefolded names in use and gets the new one."""
    return xlsx_writer.sheet_name(name, taken, fallback="Theme")


def _readme(wb: Workbook, report: MatrixReport, theme_sheets: list[tuple[str, str]]) -> None:
    ws = wb.add_sheet("README", widths={0: 26, 1: 100}, landscape=True)
    ws.append([f"Framework matrices: {report.info.project_name}"], "title")
    ws.append([])
    for label, text in fr.readme_rows(report):
        ws.append([label, text], ["bold", "wrap"])
    ws.append([])
    ws.append(["Legend", "What a cell can show"], "header")
    for label, text in fr.legend_rows():
        ws.append([label, text], ["bold", "wrap"])
    ws.append([])
    ws.append(["Sheet", "What it holds"], "header")
    ws.append(["Codebook", "The codes with their definitions."], ["bold", "wrap"])
    for name, theme in theme_sheets:
        ws.append([name, f"The framework matrix of the theme {theme}."], ["bold", "wrap"])
    ws.append(
        ["Quotes", "Every coded passage in the matrices once, by reference id."], ["bold", "wrap"]
    )
    ws.append(
        ["Counts", f"{report.counts.unit.capitalize()}, documents and focus groups per code."],
        ["bold", "wrap"],
    )


def _codebook(wb: Workbook, report: MatrixReport) -> None:
    ws = wb.add_sheet(
        "Codebook",
        widths={0: 26, 1: 34, 2: 60, 3: 40, 4: 40, 5: 40, 6: 10},
        freeze=(1, 2),
        landscape=True,
        print_titles=(1, 0),
    )
    ws.append(
        ["Theme", "Subtheme", "Definition", "Include", "Exclude", "Example", "Status"], "header"
    )
    names = {c.id: c.name for c in report.codes}
    for code in report.codes:
        is_theme = code.parent_id is None
        ws.append(
            [
                code.name if is_theme else names.get(code.parent_id, ""),
                "" if is_theme else code.name,
                code.definition,
                code.include,
                code.exclude,
                code.example,
                "active" if code.active else "retired",
            ],
            ["id" if is_theme else "cell", "cell", "cell", "cell", "cell", "cell", "cell"],
        )


def _theme(wb: Workbook, name: str, matrix: ThemeMatrix, report: MatrixReport) -> None:
    n = len(matrix.columns)
    widths = {0: 10, 1: 8, 2: 7, 3: 20} | {4 + j: 38 for j in range(n)}
    ws = wb.add_sheet(name, widths=widths, freeze=(2, 1), landscape=True, print_titles=(2, 1))
    ws.append([fr.theme_caption(matrix, report.counts)], "title")
    ws.append([*ATTRIBUTE_HEADERS, *(c.label for c in matrix.columns)], "header")
    for row, cells in zip(matrix.rows, matrix.cells, strict=True):
        texts = [ft.cell_text(cell) for cell in cells]
        styles = ["cell" if ft.status(cell) == ft.SUMMARY else "muted" for cell in cells]
        ws.append(
            [row.label, row.session, row.group, row.sources, *texts],
            ["id", "centred", "centred", "cell", *styles],
        )


def _quotes(wb: Workbook, report: MatrixReport) -> None:
    rows = [
        (
            q.ref,
            q.case,
            q.document,
            q.location,
            q.text,
            "; ".join(q.codes),
            "; ".join(q.cited_in),
        )
        for q in report.quote_rows()
    ]
    # Reference ids on one line (a wrapped cell would break them at their hyphens).
    longest = max((len(r[0]) for r in rows), default=0)
    ws = wb.add_sheet(
        "Quotes",
        widths={0: max(19.0, longest * 1.05 + 2), 1: 11, 2: 30, 3: 27, 4: 70, 5: 42, 6: 32},
        freeze=(1, 1),
        print_titles=(1, 1),
    )
    ws.append(list(fr.quotes_header()), "header")
    ws.extend_text(
        rows, (wb.style("id", wrap=False), "cell", "cell", "cell", "cell", "cell", "cell")
    )


def _counts(wb: Workbook, report: MatrixReport) -> None:
    counts = report.counts
    ws = wb.add_sheet(
        "Counts",
        widths={0: 26, 1: 42, 2: 12, 3: 14, 4: 13, 5: 13},
        freeze=(1, 2),
        landscape=True,
        print_titles=(1, 0),
    )
    ws.append(
        [
            "Theme",
            "Subtheme",
            "Passages (n)",
            "Passages at the theme itself",
            f"Documents (of {counts.total_documents})",
            f"Focus groups (of {counts.total_cases})",
        ],
        "header",
    )
    for r in report.count_rows():
        theme = r["level"] == "theme"
        number = "bold_number" if theme else "number"
        ws.append(
            [
                r["theme"],
                r["subtheme"],
                r["passages"],
                r["theme_level_passages"],
                r["documents"],
                r["cases"],
            ],
            ["id" if theme else "cell", "cell", number, number, number, number],
        )
    ws.append([])
    # Notes one sentence per row, unwrapped, so they run across the empty cells beside.
    ws.append([f"Unit: {counts.unit}, from {fr.layer_phrase(report.info.layer)}."], "bold")
    for sentence in re.split(r"(?<=\.) ", counts.definition):
        ws.append([sentence])


def write_xlsx(report: MatrixReport, path: Path) -> None:
    """Write the workbook to ``path`` (overwritten)."""
    wb = Workbook(
        title=f"Framework matrices: {report.info.project_name}", creator=report.info.project_name
    )
    taken = {name.casefold() for name in FIXED_SHEETS}
    names = [sheet_name(m.theme.name, taken) for m in report.matrices]
    _readme(wb, report, [(n, m.theme.name) for n, m in zip(names, report.matrices, strict=True)])
    _codebook(wb, report)
    for name, matrix in zip(names, report.matrices, strict=True):
        _theme(wb, name, matrix, report)
    _quotes(wb, report)
    _counts(wb, report)
    wb.save(path)
