"""A small, fast writer of .xlsx workbooks (Office Open XML spreadsheets).

Why not openpyxl for writing: a matrices export of a big project holds a quotes sheet of
some 50,000 rows, and openpyxl needs over two seconds for that where building the XML
directly takes a fraction of a second. This writer does only what the exports need: text
and numbers (text stored inline), a fixed set of cell styles, column widths, frozen
panes, landscape page setup with repeated print titles, and document properties. Files
are read back with openpyxl in the tests and open in Excel and LibreOffice.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from ketqual.io import xlsx_styles
from ketqual.io.xlsx_styles import LINE_POINTS, STYLE_INFO

MAX_CELL_TEXT = 32_767  # Excel's limit per cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Calibri 11 fits about this many average characters per unit of column width; a little
# under the real figure, so estimated rows come out roomy rather than clipped.
_CHARS_PER_WIDTH = 1.15
DEFAULT_WIDTH = 8.43
MAX_ROW_POINTS = 409.0  # Excel's limit


def _escape(value: str) -> str:
    """Text as XML content: characters XML cannot hold dropped, ``&<>`` escaped."""
    if _SPECIAL.search(value) is None:  # most text: one fast scan and done
        return value
    value = _ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column_letter(index: int) -> str:
    """``0 -> A``, ``25 -> Z``, ``26 -> AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(i) for i in range(256)]


def _letter(index: int) -> str:
    return _LETTERS[index] if index < len(_LETTERS) else column_letter(index)


def quoteattr_text(value: str) -> str:
    """Text escaped for a double-quoted XML attribute."""
    return escape(clean_text(value), {'"': "&quot;"})


def clean_text(value: str) -> str:
    """Text fit for a cell: no characters XML forbids, at most Excel's 32,767."""
    value = _ILLEGAL.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - 1] + "…"
    return value


@dataclass
class Sheet:
    """One worksheet being filled row by row.

    Attributes:
        name: Sheet name (already valid: at most 31 characters, none of ``[]:*?/\\``).
        widths: Column widths in characters, by column index from 0.
        freeze: ``(rows, columns)`` kept in view when scrolling, e.g. ``(1, 1)``.
        landscape: Print across the page.
        print_titles: ``(rows, columns)`` repeated on every printed page.
    """

    name: str
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] = (0, 0)
    landscape: bool = False
    print_titles: tuple[int, int] = (0, 0)
    _rows: list[str] = field(default_factory=list)
    _max_column: int = 0
    _fit_cache: list[int] | None = None

    @property
    def row_count(self) -> int:
        """Rows written so far."""
        return len(self._rows)

    def append(
        self, values: Sequence[object], style: str | Sequence[str | None] = "normal"
    ) -> None:
        """Add one row. ``None`` leaves a cell empty; ``style`` is one name for the whole
        row or one per cell.

        Spreadsheet programs do not all size rows to wrapped text when they open a file
        (LibreOffice keeps the default height), so the height is estimated here from the
        text and the column widths. This runs once per cell of a 50,000-row quotes sheet,
        hence the plain loops.
        """
        rs = str(len(self._rows) + 1)
        single = style if isinstance(style, str) else None
        cells = []
        height = 0.0
        fits = self._fits
        for j, value in enumerate(values):
            s, points, wrap = STYLE_INFO[single or style[j] or "normal"]  # type: ignore[index]
            ref = (_LETTERS[j] if j < 256 else column_letter(j)) + rs
            if value is None or value == "":
                if s:  # an empty cell keeps its style, so rules under a row run through
                    cells.append(f'<c r="{ref}" s="{s}"/>')
                continue
            if type(value) is not str:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cells.append(f'<c r="{ref}" s="{s}"><v>{value!r}</v></c>')
                    continue
                value = str(value)
            if len(value) > MAX_CELL_TEXT:
                value = value[: MAX_CELL_TEXT - 1] + "…"
            if wrap:
                fit = fits[j] if j < len(fits) else self._fit(j)
                if "\n" in value:
                    lines = sum([-(-len(part) // fit) or 1 for part in value.split("\n")])
                else:
                    lines = -(-len(value) // fit)
            else:
                lines = value.count("\n") + 1
            if lines * points > height:
                height = lines * points
            cells.append(
                f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_escape(value)}</t></is></c>"
            )
        if len(values) > self._max_column:
            self._max_column = len(values)
        if height > LINE_POINTS[0]:
            ht = MAX_ROW_POINTS if height + 4 > MAX_ROW_POINTS else height + 4
            self._rows.append(
                f'<row r="{rs}" ht="{ht:.2f}" customHeight="1">{"".join(cells)}</row>'
            )
        else:
            self._rows.append(f'<row r="{rs}">{"".join(cells)}</row>')

    def extend_text(self, rows: Iterable[Sequence[str]], styles: Sequence[str]) -> None:
        """Add many rows of text (``""`` for an empty cell) with one style per column.

        The same cells :meth:`append` writes, for long sheets: the per-column work is
        done once, not once per cell.
        """
        columns = []
        for j, name in enumerate(styles):
            s, points, wrap = STYLE_INFO[name]
            fit = self._fit(j) if wrap else 0
            head = f'<c r="{_LETTERS[j] if j < 256 else column_letter(j)}'
            columns.append(
                (
                    head,
                    f'" s="{s}" t="inlineStr"><is><t xml:space="preserve">',
                    f'" s="{s}"/>',
                    points,
                    fit,
                )
            )
        self._max_column = max(self._max_column, len(columns))
        out = self._rows
        base = LINE_POINTS[0]
        search = _SPECIAL.search
        for values in rows:
            rs = str(len(out) + 1)
            cells = []
            height = 0.0
            # One look at the whole row (a tab is neither special nor illegal in XML):
            # most rows need no escaping at all.
            plain = search("\t".join(values)) is None
            for (head, body, empty, points, fit), value in zip(columns, values, strict=True):
                if not value:
                    cells.append(head + rs + empty)
                    continue
                if len(value) > MAX_CELL_TEXT:
                    value = value[: MAX_CELL_TEXT - 1] + "…"
                if fit:
                    if "\n" in value:
                        lines = sum([-(-len(part) // fit) or 1 for part in value.split("\n")])
                    else:
                        lines = -(-len(value) // fit)
                    if lines * points > height:
                        height = lines * points
                text = value if plain else _escape(value)
                cells.append(head + rs + body + text + "</t></is></c>")
            if height > base:
                ht = MAX_ROW_POINTS if height + 4 > MAX_ROW_POINTS else height + 4
                out.append(f'<row r="{rs}" ht="{ht:.2f}" customHeight="1">{"".join(cells)}</row>')
            else:
                out.append(f'<row r="{rs}">{"".join(cells)}</row>')

    @property
    def _fits(self) -> list[int]:
        """Characters per wrapped line in each column with a width, less two for the half
        word that wrapping at spaces loses on each line."""
        if self._fit_cache is None:
            last = max(self.widths, default=-1)
            self._fit_cache = [self._fit(j) for j in range(last + 1)]
        return self._fit_cache

    def _fit(self, column: int) -> int:
        width = self.widths.get(column, DEFAULT_WIDTH)
        return max(1, int(width * _CHARS_PER_WIDTH) - 2)

    def xml(self, selected: bool) -> Iterator[str]:
        """The worksheet part, in pieces (a big sheet is never one 40 MB string)."""
        rows, columns = self.freeze
        last = f"{_letter(max(self._max_column, 1) - 1)}{max(len(self._rows), 1)}"
        tab = ' tabSelected="1"' if selected else ""
        view = f'<sheetView workbookViewId="0"{tab}>'
        if rows or columns:
            top_left = f"{_letter(columns)}{rows + 1}"
            pane = "bottomRight" if rows and columns else ("bottomLeft" if rows else "topRight")
            split = (f' xSplit="{columns}"' if columns else "") + (
                f' ySplit="{rows}"' if rows else ""
            )
            view += (
                f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
            )
        view += "</sheetView>"
        cols = "".join(
            f'<col min="{j + 1}" max="{j + 1}" width="{w:.1f}" customWidth="1"/>'
            for j, w in sorted(self.widths.items())
        )
        setup = (
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            if self.landscape
            else '<pageSetup paperSize="9" orientation="portrait"/>'
        )
        yield (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<sheetPr><pageSetUpPr fitToPage="{int(self.landscape)}"/></sheetPr>'
            f'<dimension ref="A1:{last}"/><sheetViews>{view}</sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>"
        )
        for first in range(0, len(self._rows), 2000):
            yield "".join(self._rows[first : first + 2000])
        yield (
            "</sheetData>"
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
            f'footer="0.3"/>{setup}'
            "<headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter>"
            "</headerFooter></worksheet>"
        )

    def print_title_ref(self) -> str | None:
        """The ``_xlnm.Print_Titles`` formula, or ``None``."""
        rows, columns = self.print_titles
        quoted = "'" + self.name.replace("'", "''") + "'"
        parts = []
        if columns:
            parts.append(f"{quoted}!$A:${_letter(columns - 1)}")
        if rows:
            parts.append(f"{quoted}!$1:${rows}")
        return ",".join(parts) or None


class Workbook:
    """Sheets in order; :meth:`save` writes the package."""

    def __init__(self, title: str = "", creator: str = "KetQual") -> None:
        self.title = title
        self.creator = creator
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, **options: object) -> Sheet:
        """A new sheet at the end (see :class:`Sheet` for the options)."""
        sheet = Sheet(name, **options)  # type: ignore[arg-type]
        self.sheets.append(sheet)
        return sheet

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name="{quoteattr_text(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(ref)}</definedName>'
            for i, s in enumerate(self.sheets)
            if (ref := s.print_title_ref())
        )
        return (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )

    def _parts(self) -> Iterator[tuple[str, Iterable[str]]]:
        n = len(self.sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        yield (
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.extended-properties+xml"/>{overrides}</Types>',
        )
        yield (
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>',
        )
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        yield (
            "docProps/core.xml",
            f"{_HEAD}<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/"
            "2006/metadata/core-properties' xmlns:dc='http://purl.org/dc/elements/1.1/' "
            "xmlns:dcterms='http://purl.org/dc/terms/' "
            "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>"
            f"<dc:title>{escape(clean_text(self.title))}</dc:title>"
            f"<dc:creator>{escape(clean_text(self.creator))}</dc:creator>"
            f"<dcterms:created xsi:type='dcterms:W3CDTF'>{now}</dcterms:created>"
            f"<dcterms:modified xsi:type='dcterms:W3CDTF'>{now}</dcterms:modified>"
            "</cp:coreProperties>",
        )
        yield (
            "docProps/app.xml",
            f"{_HEAD}<Properties xmlns='http://schemas.openxmlformats.org/officeDocument/2006/"
            "extended-properties'><Application>KetQual</Application></Properties>",
        )
        yield ("xl/workbook.xml", self._workbook_xml())
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        yield (
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        yield ("xl/styles.xml", xlsx_styles.styles_xml())
        for i, sheet in enumerate(self.sheets, start=1):
            yield (f"xl/worksheets/sheet{i}.xml", sheet.xml(selected=i == 1))

    def save(self, path: Path) -> None:
        """Write the workbook to ``path`` (at least one sheet is needed)."""
        if not self.sheets:
            raise ValueError("a workbook needs at least one sheet")
        # Level 1: big sheets compress nearly as well and several times faster.
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, content in self._parts():
                with archive.open(name, "w") as part:
                    for piece in [content] if isinstance(content, str) else content:
                        part.write(piece.encode("utf-8"))
