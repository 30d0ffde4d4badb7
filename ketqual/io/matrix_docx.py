"""Framework matrices as a Word document (python-docx): landscape A4, the facts and the
legend first, then one table per theme on its own page (header row repeated on every
page), and the passages the summaries cite at the end.

Tables are written as WordprocessingML directly and handed to python-docx as one element
each: adding a big table cell by cell through python-docx's API takes seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor

from ketqual import __version__
from ketqual.core import framework_report as fr
from ketqual.core import framework_text as ft
from ketqual.core.framework import ThemeMatrix
from ketqual.core.framework_report import MatrixReport
from ketqual.core.names import printable

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_WIDTH = 15_138  # twips across A4 landscape with 1.5 cm margins
_ID_WIDTH = 1_900
# Paragraph styles of table text, added to the document by _add_styles: a style per
# paragraph keeps big tables small (no run properties repeated in every cell).
TEXT, SMALL, MUTED = "KetQualTableText", "KetQualTableSmall", "KetQualTableMuted"


def _line(text: str) -> str:
    """A run's text: reference ids with non-breaking hyphens, so an id never breaks
    across two lines of a narrow cell."""
    out = []
    for piece, is_reference in ft.reference_pieces(printable(text)):
        body = escape(piece)
        if is_reference:
            body = body.replace("-", '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">')
        out.append(body)
    return f'<w:t xml:space="preserve">{"".join(out)}</w:t>'


def _paragraphs(text: str, style: str = TEXT, *, bold: bool = False) -> str:
    """One paragraph per line of ``text`` (a cell needs at least one)."""
    head = f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>'
    head += "<w:rPr><w:b/></w:rPr>" if bold else ""
    return "".join(f"{head}{_line(line)}</w:r></w:p>" for line in text.split("\n"))


def _add_styles(document) -> None:
    """The table paragraph styles: 8.5 pt text, 7 pt grey notes, 8.5 pt grey italic."""
    for style_id, size, grey, italic in (
        (TEXT, 8.5, False, False),
        (SMALL, 7, True, False),
        (MUTED, 8.5, True, True),
    ):
        style = document.styles.add_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.hidden = style.quick_style = False
        style.font.size = Pt(size)
        style.font.italic = italic
        if grey:
            style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(2), 1.0


def _cell(width: int, content: str, *, header: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if header:
        props += (
            '<w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
            '</w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>'
        )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _table(
    widths: Sequence[int], header: Sequence[str] | None, rows: Sequence[Sequence[str]]
) -> str:
    """A table: ``rows`` hold cell contents already rendered as paragraphs; the header row
    (if any) repeats at the top of every page the table runs over, and no row is split
    across two pages."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = ""
    if header is not None:
        cells = "".join(
            _cell(w, _paragraphs(h, bold=True), header=True)
            for w, h in zip(widths, header, strict=True)
        )
        head = f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>"
    # A row is never split across two pages (unless it is taller than a page).
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(_cell(w, c) for w, c in zip(widths, row, strict=True))
        + "</w:tr>"
        for row in rows
    )
    rule = 'w:val="single" w:space="0" w:color="000000"'
    return (
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders><w:top {rule} w:sz="12"/><w:bottom {rule} w:sz="12"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="50" w:type="dxa"/>'
        '<w:left w:w="80" w:type="dxa"/><w:bottom w:w="30" w:type="dxa"/>'
        '<w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f"{head}{body}</w:tbl>"
    )


def _matrix_table(matrix: ThemeMatrix) -> str:
    n = len(matrix.columns)
    rest = _TEXT_WIDTH - _ID_WIDTH
    widths = [_ID_WIDTH] + [rest // n] * n
    rows = []
    for row, cells in zip(matrix.rows, matrix.cells, strict=True):
        first = _paragraphs(row.label, bold=True)
        if row.sources:
            first += _paragraphs(row.sources, SMALL)
        rendered = [first]
        for cell in cells:
            muted = ft.status(cell) != ft.SUMMARY
            text = ft.cell_text(cell)
            rendered.append(_paragraphs(text, MUTED if muted else TEXT))
        rows.append(rendered)
    return _table(widths, ["Focus group", *(c.label for c in matrix.columns)], rows)


def _cited_table(report: MatrixReport) -> str | None:
    cited = report.quote_rows(cited_only=True)
    if not cited:
        return None
    widths = [2_300, 1_100, 2_600, 2_500, _TEXT_WIDTH - 8_500]
    rows = [
        [
            _paragraphs(q.ref, bold=True),
            _paragraphs(q.case),
            _paragraphs(q.document),
            _paragraphs(q.location),
            _paragraphs(q.text),
        ]
        for q in cited
    ]
    return _table(widths, ["Reference", "Focus group", "Document", "Location", "Text"], rows)


def _facts_table(pairs: Sequence[tuple[str, str]]) -> str:
    rows = [[_paragraphs(a, bold=True), _paragraphs(b)] for a, b in pairs]
    return _table([3_000, _TEXT_WIDTH - 3_000], None, rows)


def _one_line(text: str) -> str:
    """A name for a heading or a footer: printable, on one line."""
    return printable(text, one_line=True)


def _properties(document, report: MatrixReport) -> None:
    """The file's properties say what it is and whose (none of the template's: no 2013
    dates, no "python-docx", no blank thumbnail)."""
    project = printable(report.info.project_name, one_line=True)
    now = datetime.now(UTC).replace(microsecond=0)
    props = document.core_properties
    props.title = f"Framework matrices: {project}"
    props.author = project
    props.subject = f"Framework matrices (layer: {_one_line(report.info.layer)})"
    props.last_modified_by = printable(report.info.exported_by or project, one_line=True)
    props.comments = f"Exported by KetQual {__version__}"
    props.keywords = "framework method; framework matrices; KetQual"
    props.created = props.modified = now
    props.revision = 1
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)


def write_docx(report: MatrixReport, path: Path) -> None:
    """Write the document to ``path`` (overwritten)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = section.top_margin = Cm(1.5)
    section.bottom_margin, section.footer_distance = Cm(2.0), Cm(0.8)
    normal = document.styles["Normal"].font
    normal.name, normal.size = "Calibri", Pt(10)
    _add_styles(document)
    footer = section.footer.paragraphs[0]
    project, layer = _one_line(report.info.project_name), _one_line(report.info.layer)
    footer.text = f"Framework matrices: {project} · {layer} · page "
    footer._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{_W}" w:instr="PAGE"><w:r><w:rPr><w:sz w:val="16"/>'
            "</w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
        )
    )
    for run in footer.runs:
        run.font.size = Pt(8)
    _properties(document, report)
    body = document.element.body

    document.add_heading(f"Framework matrices: {project}", level=0)
    body._insert_tbl(parse_xml(_facts_table(fr.readme_rows(report))))
    document.add_heading("Legend", level=2)
    body._insert_tbl(parse_xml(_facts_table(fr.legend_rows())))

    for number, matrix in enumerate(report.matrices, start=1):
        heading = document.add_heading(_one_line(matrix.theme.name), level=1)
        heading.paragraph_format.page_break_before = True
        caption = document.add_paragraph()
        caption.add_run(f"Table {number}. ").bold = True
        caption.add_run(_one_line(fr.theme_caption(matrix, report.counts)))
        body._insert_tbl(parse_xml(_matrix_table(matrix)))

    cited = _cited_table(report)
    heading = document.add_heading("Passages cited in the summaries", level=1)
    heading.paragraph_format.page_break_before = True
    if cited is None:
        document.add_paragraph("No summary cites a passage yet.")
    else:
        document.add_paragraph(
            "Every passage a summary cites, by reference id. All coded passages are in the "
            "Quotes sheet of the xlsx export."
        )
        body._insert_tbl(parse_xml(cited))
    document.save(str(path))
