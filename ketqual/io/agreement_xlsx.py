"""The agreement result as an Excel workbook (KetQual's own xlsx writer).

Sheets: *Summary* (pooled figures with intervals, benchmark bands, cautions, sources),
one sheet per unit kind with the code x document matrix of the chosen statistic (pooled
margins included), and *Parameters* (everything needed to reproduce the numbers).
Undefined cells hold the text "undefined: <reason>" on grey, never a number. Every sheet
prints landscape with its header rows (and a matrix's code column) on every page.
"""

from __future__ import annotations

from pathlib import Path

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.core.agreement.result import Statistic
from ketqual.io import agreement_sections
from ketqual.io.xlsx_writer import Sheet, Workbook

# Pooled table columns of the Summary sheet.
SUMMARY_HEADER = ["Unit", "Statistic", "Value", "CI low", "CI high", "SE", "Band", "Benchmark"]
HEAT_WIDTH = 6.5  # a document's column in a matrix: "0.87" at 9 pt


def _number_format(name: str) -> str:
    return "0.0%" if name == "percent_agreement" else "0.000"


class _Cells:
    """The styles a workbook of figures needs, made once per workbook."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.undefined = wb.style("number", fill=explain.UNDEFINED_COLOUR)
        # In a narrow heatmap cell the reason is clipped at the cell's edge ("fill"), never
        # spilled over the cells beside it; it is all there when the cell is selected.
        self.undefined_heat = wb.style(
            "number", fill=explain.UNDEFINED_COLOUR, colour="595959", size=8, align="fill"
        )

    def number(self, name: str) -> str:
        return self.wb.style("number", number=_number_format(name))

    def heat(self, name: str, value: float) -> str:
        background = explain.heat_colour(value)
        return self.wb.style(
            "number",
            fill=background,
            colour=explain.text_colour(background),
            number=_number_format(name),
            align="center",
            size=9,
        )

    def statistic(self, stat: Statistic, colour: bool) -> tuple[object, str]:
        """One figure and its style: a number, or "undefined: <reason>" as text."""
        if stat.value is None:
            return f"{explain.UNDEFINED}: {stat.reason}", (
                self.undefined_heat if colour else self.undefined
            )
        if colour:
            return stat.value, self.heat(stat.name, stat.value)
        return stat.value, self.number(stat.name)


def _ci_text(stat: Statistic) -> str:
    return explain.format_ci(stat) or ("" if stat.value is None else "no interval")


def _summary(wb: Workbook, cells: _Cells, result: AgreementResult) -> None:
    ws = wb.add_sheet("Summary", widths={0: 16, 1: 26, 2: 12, 3: 10, 4: 10, 5: 10, 6: 16, 7: 70})
    ws.append([f"Inter-coder agreement: {result.who()}"], "title")
    facts = [
        ("Project", result.project_name),
        ("Level", result.level),
        ("Documents", len(result.documents)),
        ("Codes analysed", len(result.code_ids())),
        ("Computed", f"{result.computed_at} with KetQual {result.version}"),
    ]
    for key, value in facts:
        ws.append([key, value], ["bold", "normal"])
    ws.append([])
    ws.append(["Pooled over all codes and documents"], "bold")
    ws.append(SUMMARY_HEADER, "header")
    for unit in result.units:
        for name in result.statistics(unit):
            stat = result.pooled(unit, name)
            value, style = cells.statistic(stat, colour=False)
            row: list[object] = [explain.UNIT_LABELS[unit], explain.label(name), value]
            styles = ["cell", "cell", style]
            number = cells.number(name)
            for x in (stat.ci_low, stat.ci_high, stat.se):
                row.append(x)
                styles.append(number)
            band = explain.band(stat)
            row += [band.label, explain.BAND_SHORT[band.scheme]] if band else [None, None]
            styles += ["cell", "cell"]
            ws.append(row, styles)
    ws.append([])
    _note(ws, explain.BOOTSTRAP_NOTE)
    cautions = result.cautions()
    if cautions:
        ws.append([])
        ws.append([f"Cautions ({len(cautions)})"], "bold")
        ws.append(["Unit", "Code", "Caution"], "header")
        for unit, where, text in cautions:
            # The caution runs across the columns to its right (kept in column C).
            ws.append([unit, where, text], ["cell", "cell", "normal"])
    ws.append([])
    ws.append(["Sources"], "bold")
    for citation in explain.citations(result.all_statistics()):
        _note(ws, citation)


def _note(ws: Sheet, text: str) -> None:
    """A sentence in column A that runs across the empty cells beside it."""
    ws.append([text])


def _matrix_sheet(wb: Workbook, cells: _Cells, result: AgreementResult, unit: str, statistic: str):
    if statistic not in result.statistics(unit):
        ws = wb.add_sheet(explain.UNIT_LABELS[unit], widths={0: 60})
        ws.append([f"{explain.label(statistic)} is not computed for {unit}s."])
        return
    matrix = result.matrix(unit, statistic)
    n_docs = len(matrix.document_ids)
    head = 5  # the header row: title, explanation, colour note, blank line above it
    widths = {0: 48, 1: 11, 2: 16} | {3 + j: HEAT_WIDTH for j in range(n_docs)}
    ws = wb.add_sheet(
        explain.UNIT_LABELS[unit],
        widths=widths,
        freeze=(head, 3),
        print_titles=((head, head), 3),
    )
    ws.append([f"{explain.label(statistic)} per code and document: {unit}s"], "title")
    ws.append([explain.UNIT_EXPLANATIONS[unit]])
    ws.append(["Colour: low agreement red, high blue. Grey: undefined, with the reason."])
    ws.append([])
    turned = wb.style("header", rotate=90, size=9)
    longest = max((len(result.document_label(d)) for d in matrix.document_ids), default=10)
    ws.append(
        [
            "Code",
            "All documents",
            "95% CI",
            *(result.document_label(d) for d in matrix.document_ids),
        ],
        ["header", "header", "header", *([turned] * n_docs)],
        height=min(150.0, max(60.0, longest * 5.5)),
    )
    per_code = result.per_code(unit, statistic)
    for i, (code_id, pooled) in enumerate(per_code):
        row: list[object] = [result.code_label(code_id)]
        styles = ["id"]
        value, style = cells.statistic(pooled, colour=True)
        row += [value, _ci_text(pooled)]
        styles += [style, "cell"]
        for j in range(n_docs):
            value, style = cells.statistic(matrix.cell(i, j), colour=True)
            row.append(value)
            styles.append(style)
        ws.append(row, styles)
    overall = result.pooled(unit, statistic)
    value, style = cells.statistic(overall, colour=True)
    row = ["All codes", value, _ci_text(overall)]
    styles = ["id", style, "cell"]
    for _doc, stat in result.per_document(unit, statistic):
        value, style = cells.statistic(stat, colour=True)
        row.append(value)
        styles.append(style)
    ws.append(row, styles)


def _put_rows(ws: Sheet, cells: _Cells, rows: list[list[object]]) -> None:
    """Header + rows; figures as numbers (or "undefined: reason")."""
    ws.append([str(h) for h in rows[0]], "header")
    for values in rows[1:]:
        row: list[object] = []
        styles: list[str] = []
        for x in values:
            if isinstance(x, Statistic):
                value, style = cells.statistic(x, colour=True)
                row.append(value)
                styles.append(style)
            else:
                row.append(x)
                styles.append("cell")
        ws.append(row, styles)


def _across_sheet(wb: Workbook, cells: _Cells, result: AgreementResult) -> None:
    """Overall kappas three ways, the alphas across codes, and (m >= 3) coder pairs."""
    widths = {0: 36} | {i: 16 for i in range(1, 13)}
    ws = wb.add_sheet("Across codes", widths=widths)
    ws.append(["Overall kappa over all codes, three ways"], "title")
    _note(ws, agreement_sections.OVERALL_KAPPA_NOTE)
    ws.append([])
    _put_rows(ws, cells, agreement_sections.overall_kappa_rows(result))
    ws.append([])
    across = agreement_sections.across_rows(result)
    if across:
        ws.append(["Unitizing alphas across codes (characters)"], "title")
        _note(ws, agreement_sections.ACROSS_NOTE)
        ws.append([])
        flipped = [list(col) for col in zip(*across, strict=True)]
        flipped[0][0] = "Codes compared"
        _put_rows(ws, cells, flipped)
        for line in agreement_sections.overlap_lines(result):
            _note(ws, line)
        ws.append([])
    if result.n_coders > 2:
        ws.append(["Coder pairs"], "title")
        _note(ws, agreement_sections.PAIRS_NOTE)
        for unit in result.units:
            ws.append([])
            ws.append([explain.UNIT_LABELS[unit]], "bold")
            _put_rows(ws, cells, agreement_sections.pair_rows(result, unit))
            for line in agreement_sections.departure_lines(result, unit):
                _note(ws, line)


def _parameters(wb: Workbook, result: AgreementResult) -> None:
    ws = wb.add_sheet("Parameters", widths={0: 30, 1: 100}, freeze=(0, 1))
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
    for key, value in rows:
        if value is not None and not isinstance(value, str | int | float):
            value = str(value)
        ws.append([key, value], ["id", "cell"])
    ws.append([])
    ws.append(["Document id", "Title"], "header")
    for doc_id, title in result.documents.items():
        ws.append([doc_id, title], ["cell", "cell"])


def write_xlsx(result: AgreementResult, path: Path, statistic: str) -> None:
    """Write the workbook to ``path``."""
    wb = Workbook(
        title=f"Inter-coder agreement: {result.who()}",
        creator=result.project_name,
    )
    cells = _Cells(wb)
    _summary(wb, cells, result)
    for unit in result.units:
        _matrix_sheet(wb, cells, result, unit, statistic)
    _across_sheet(wb, cells, result)
    _parameters(wb, result)
    wb.save(path)
