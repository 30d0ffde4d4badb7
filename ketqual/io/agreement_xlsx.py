"""The agreement result as an Excel workbook (openpyxl).

Sheets: *Summary* (pooled figures with intervals, benchmark bands, warnings, sources),
one sheet per unit kind with the code x document matrix of the chosen statistic (pooled
margins included), and *Parameters* (everything needed to reproduce the numbers).
Undefined cells hold the text "undefined: <reason>" on grey, never a number.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.core.agreement.result import Statistic
from ketqual.io import agreement_sections

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
WRAP = Alignment(wrap_text=True, vertical="top")


@cache
def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


@cache
def _font(colour: str, bold: bool = False) -> Font:
    return Font(color=colour.lstrip("#").upper(), bold=bold)


def _number_format(name: str) -> str:
    return "0.0%" if name == "percent_agreement" else "0.000"


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.font = BOLD
        cell.fill = HEADER_FILL


def _put_statistic(ws: Worksheet, row: int, col: int, stat: Statistic, colour: bool) -> None:
    """One figure: a number, or "undefined: <reason>" as text."""
    if stat.value is None:
        cell = ws.cell(row, col, f"{explain.UNDEFINED}: {stat.reason}")
        cell.fill = _fill(explain.UNDEFINED_COLOUR)
        return
    cell = ws.cell(row, col, stat.value)
    cell.number_format = _number_format(stat.name)
    if colour:
        background = explain.heat_colour(stat.value)
        cell.fill = _fill(background)
        cell.font = _font(explain.text_colour(background))


def _ci_text(stat: Statistic) -> str:
    return explain.format_ci(stat) or ("" if stat.value is None else "no interval")


def _summary(ws: Worksheet, result: AgreementResult) -> None:
    ws.title = "Summary"
    ws.cell(1, 1, f"Inter-coder agreement: {result.who()}").font = TITLE
    facts = [
        ("Project", result.project_name),
        ("Level", result.level),
        ("Documents", len(result.documents)),
        ("Codes analysed", len(result.code_ids())),
        ("Computed", f"{result.computed_at} with KetQual {result.version}"),
    ]
    for i, (key, value) in enumerate(facts, start=2):
        ws.cell(i, 1, key).font = BOLD
        ws.cell(i, 2, value)
    row = len(facts) + 3
    ws.cell(row, 1, "Pooled over all codes and documents").font = BOLD
    row += 1
    _header(ws, row, ["Unit", "Statistic", "Value", "CI low", "CI high", "SE", "Band", "Benchmark"])
    for unit in result.units:
        for name in result.statistics(unit):
            row += 1
            stat = result.pooled(unit, name)
            ws.cell(row, 1, explain.UNIT_LABELS[unit])
            ws.cell(row, 2, explain.label(name))
            _put_statistic(ws, row, 3, stat, colour=False)
            for col, x in ((4, stat.ci_low), (5, stat.ci_high), (6, stat.se)):
                if x is not None:
                    ws.cell(row, col, x).number_format = _number_format(name)
            band = explain.band(stat)
            if band is not None:
                ws.cell(row, 7, band.label)
                ws.cell(row, 8, explain.BAND_SHORT[band.scheme])
    row += 2
    ws.cell(row, 1, explain.BOOTSTRAP_NOTE)
    cautions = result.cautions()
    if cautions:
        row += 2
        ws.cell(row, 1, "Cautions").font = BOLD
        for unit, where, text in cautions:
            row += 1
            ws.cell(row, 1, unit)
            ws.cell(row, 2, where)
            ws.cell(row, 3, text)
    row += 2
    ws.cell(row, 1, "Sources").font = BOLD
    for citation in explain.citations(result.all_statistics()):
        row += 1
        ws.cell(row, 1, citation)
    for col, width in zip("ABCDEFGH", (14, 26, 12, 10, 10, 10, 16, 20), strict=True):
        ws.column_dimensions[col].width = width


def _matrix_sheet(wb: Workbook, result: AgreementResult, unit: str, statistic: str) -> None:
    ws = wb.create_sheet(explain.UNIT_LABELS[unit])
    if statistic not in result.statistics(unit):
        ws.cell(1, 1, f"{explain.label(statistic)} is not computed for {unit}s.")
        return
    matrix = result.matrix(unit, statistic)
    title = f"{explain.label(statistic)} per code and document: {unit}s"
    ws.cell(1, 1, title).font = TITLE
    ws.cell(2, 1, explain.UNIT_EXPLANATIONS[unit])
    ws.cell(3, 1, "Colour: low agreement red, high blue. Grey: undefined, with the reason.")
    head = 5
    _header(ws, head, ["Code", "All documents", "95% CI"])
    for j, doc in enumerate(matrix.document_ids):
        cell = ws.cell(head, 4 + j, result.document_label(doc))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(text_rotation=90, wrap_text=True, vertical="bottom")
    ws.row_dimensions[head].height = 150
    per_code = result.per_code(unit, statistic)
    for i, (code_id, pooled) in enumerate(per_code):
        row = head + 1 + i
        ws.cell(row, 1, result.code_label(code_id))
        _put_statistic(ws, row, 2, pooled, colour=True)
        ws.cell(row, 3, _ci_text(pooled))
        for j in range(len(matrix.document_ids)):
            _put_statistic(ws, row, 4 + j, matrix.cell(i, j), colour=True)
    row = head + 1 + len(per_code)
    ws.cell(row, 1, "All codes").font = BOLD
    overall = result.pooled(unit, statistic)
    _put_statistic(ws, row, 2, overall, colour=True)
    ws.cell(row, 3, _ci_text(overall))
    for j, (_doc, stat) in enumerate(result.per_document(unit, statistic)):
        _put_statistic(ws, row, 4 + j, stat, colour=True)
    ws.freeze_panes = ws.cell(head + 1, 4)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 13
    ws.column_dimensions["C"].width = 16
    for j in range(len(matrix.document_ids)):
        ws.column_dimensions[get_column_letter(4 + j)].width = 9


def _put_rows(ws: Worksheet, row: int, rows: list[list[object]]) -> int:
    """Write header + rows at ``row``; figures as numbers (or "undefined: reason")."""
    _header(ws, row, [str(h) for h in rows[0]])
    for values in rows[1:]:
        row += 1
        for col, x in enumerate(values, start=1):
            if isinstance(x, Statistic):
                _put_statistic(ws, row, col, x, colour=True)
            else:
                ws.cell(row, col, x)
    return row


def _across_sheet(wb: Workbook, result: AgreementResult) -> None:
    """Overall kappas three ways, the alphas across codes, and (m >= 3) coder pairs."""
    ws = wb.create_sheet("Across codes")
    ws.cell(1, 1, "Overall kappa over all codes, three ways").font = TITLE
    ws.cell(2, 1, agreement_sections.OVERALL_KAPPA_NOTE)
    row = _put_rows(ws, 4, agreement_sections.overall_kappa_rows(result)) + 2
    across = agreement_sections.across_rows(result)
    if across:
        ws.cell(row, 1, "Unitizing alphas across codes (characters)").font = TITLE
        ws.cell(row + 1, 1, agreement_sections.ACROSS_NOTE)
        flipped = [list(col) for col in zip(*across, strict=True)]
        flipped[0][0] = "Codes compared"
        row = _put_rows(ws, row + 3, flipped) + 1
        for line in agreement_sections.overlap_lines(result):
            row += 1
            ws.cell(row, 1, line)
        row += 2
    if result.n_coders > 2:
        ws.cell(row, 1, "Coder pairs").font = TITLE
        ws.cell(row + 1, 1, agreement_sections.PAIRS_NOTE)
        row += 2
        for unit in result.units:
            row += 1
            ws.cell(row, 1, explain.UNIT_LABELS[unit]).font = BOLD
            row = _put_rows(ws, row + 1, agreement_sections.pair_rows(result, unit))
            for line in agreement_sections.departure_lines(result, unit):
                row += 1
                ws.cell(row, 1, line)
            row += 1
    ws.column_dimensions["A"].width = 36
    for col in "BCDEFGHIJKLM":
        ws.column_dimensions[col].width = 16


def _parameters(wb: Workbook, result: AgreementResult) -> None:
    ws = wb.create_sheet("Parameters")
    p = result.parameters
    share = p["unit_min_share"]
    rows: list[tuple[str, object]] = [
        ("Project", result.project_name),
        ("Layers compared", result.who()),
        ("Level", p["level"]),
        ("Units", ", ".join(result.units)),
        ("Coded share threshold", "any coded character" if share is None else share),
        (
            "Segment matching overlap",
            "not computed for three or more coders"
            if p["segment_min_overlap"] is None
            else p["segment_min_overlap"],
        ),
        ("Bootstrap replicates", p["n_replicates"]),
        ("Bootstrap seed", p["seed"]),
        ("Confidence level", p["confidence"]),
        ("Software", f"KetQual {result.version}"),
        ("Computed at (UTC)", result.computed_at),
        ("Computed by", result.computed_by or ""),
        ("Documents", p["n_documents"]),
        ("Codes analysed", p["n_codes"]),
    ]
    rows += [(f"Unit: {k}", v) for k, v in dict(p["unit_definitions"]).items()]
    rows += [(f"Method: {k}", v) for k, v in dict(p["methods"]).items()]
    for i, (key, value) in enumerate(rows, start=1):
        ws.cell(i, 1, key).font = BOLD
        ws.cell(i, 2, value).alignment = WRAP
    row = len(rows) + 2
    _header(ws, row, ["Document id", "Title"])
    for doc_id, title in result.documents.items():
        row += 1
        ws.cell(row, 1, doc_id)
        ws.cell(row, 2, title)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100


def write_xlsx(result: AgreementResult, path: Path, statistic: str) -> None:
    """Write the workbook to ``path``."""
    wb = Workbook()
    _summary(wb.active, result)
    for unit in result.units:
        _matrix_sheet(wb, result, unit, statistic)
    _across_sheet(wb, result)
    _parameters(wb, result)
    wb.save(path)
