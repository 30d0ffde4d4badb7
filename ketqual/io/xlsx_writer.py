"""A small, fast writer of .xlsx workbooks (Office Open XML spreadsheets): every KetQual
workbook is written by it.

Why not openpyxl for writing: a matrices export of a big project holds a quotes sheet of
some 50,000 rows, and openpyxl needs over two seconds for that where building the XML
directly takes a fraction of a second; openpyxl also stores a text starting with "=" as a
formula. This writer does what the exports need, and makes sure any text survives:

* Text is always stored as text (inline strings), never as a formula; characters XML
  cannot hold are dropped (lone surrogates become U+FFFD), and a literal ``_x0041_`` is
  escaped so Excel does not read it as a character code.
* Numbers are numbers (numpy's too); NaN is written as Excel's ``#N/A`` and an infinity
  as ``#NUM!``, which every spreadsheet opens; ``True``/``False`` are booleans.
* A text over Excel's 32,767 characters per cell is cut with a note saying so in the cell
  (and in :attr:`Workbook.notes`), never left for Excel to refuse.
* Sheet names are made valid and unique (:func:`sheet_name`): at most 31 characters, none
  of ``[]:*?/\\``, not "History", no two alike ignoring case.
* Row heights are estimated for wrapped text (LibreOffice keeps the default height
  otherwise), fonts are named (:mod:`ketqual.io.xlsx_styles`), and every sheet prints
  landscape on A4, fitted to the page width, with repeated header rows and columns and
  frozen panes where the writer asks for them.

Files are read back with openpyxl in the tests and open in Excel and LibreOffice.
"""

from __future__ import annotations

import math
import numbers
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from ketqual.core.names import printable
from ketqual.io.xlsx_styles import STYLES, CellStyle, StyleBook

MAX_CELL_TEXT = 32_767  # Excel's limit per cell (in UTF-16 units)
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
SHEET_NAME_LIMIT = 31
RESERVED_SHEET_NAMES = {"history"}  # Excel keeps this name for itself
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Anything that needs more than a copy: XML's specials and characters XML cannot hold;
# and Excel's own escape for character codes (``_x0041_`` reads as "A" unless escaped),
# looked for apart (a plain substring search is much faster than one bigger pattern).
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Calibri 11 fits about this many average characters per unit of column width; a little
# under the real figure, so estimated rows come out roomy rather than clipped.
_CHARS_PER_WIDTH = 1.15
DEFAULT_WIDTH = 8.43
MAX_ROW_POINTS = 409.0  # Excel's limit
# A4 landscape less the half-inch margins, in points; and the smallest scale that keeps
# 11-point text at about 7 points when a wide sheet is fitted to the page width.
PRINTABLE_WIDTH_POINTS = (297 / 25.4 - 1.0) * 72
MIN_PRINT_SCALE = 0.65


def _column_points(width: float) -> float:
    """A column's printed width in points (Excel: 7 pixels a character plus 5 of padding)."""
    return (width * 7 + 5) * 0.75


def _escape(value: str) -> str:
    """Text as XML content: unwritable characters dropped, ``&<>`` escaped, Excel's
    ``_xHHHH_`` escaped."""
    if _SPECIAL.search(value) is None and "_x" not in value:  # most text: done
        return value
    value = printable(value)
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def utf16_length(text: str) -> int:
    """Length as Excel counts it (characters beyond the Basic Multilingual Plane count 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fit_cell(text: str) -> tuple[str, bool]:
    """``(text, cut)``: ``text`` itself, or cut to fit one Excel cell with a note at the end
    saying how long it was."""
    if len(text) <= MAX_CELL_TEXT // 2 or utf16_length(text) <= MAX_CELL_TEXT:
        return text, False
    note = (
        f" […cut: this text has {len(text):,} characters and a spreadsheet cell holds "
        f"{MAX_CELL_TEXT:,}]"
    )
    room = MAX_CELL_TEXT - len(note)
    # Cut in UTF-16 units (emoji count twice); a half pair at the cut is dropped.
    units = text.encode("utf-16-le", "surrogatepass")[: 2 * room]
    return units.decode("utf-16-le", "ignore") + note, True


def sheet_name(name: str, taken: set[str], fallback: str = "Sheet") -> str:
    """A valid, unique sheet name: at most 31 characters, none of ``[]:*?/\\`` or control
    characters, not starting or ending with an apostrophe, not "History"; ``taken`` holds
    the casefolded names in use and gets the new one; ``fallback`` stands in for a name
    with nothing left."""
    clean = " ".join(_FORBIDDEN_IN_SHEET_NAMES.sub("-", str(name)).split()).strip("'")
    clean = _fit_name(clean or fallback, SHEET_NAME_LIMIT) or fallback
    candidate, n = clean, 1
    while candidate.casefold() in taken or candidate.casefold() in RESERVED_SHEET_NAMES:
        n += 1
        suffix = f" ({n})"
        candidate = _fit_name(clean, SHEET_NAME_LIMIT - len(suffix)) + suffix
    taken.add(candidate.casefold())
    return candidate


def _fit_name(name: str, limit: int) -> str:
    """At most ``limit`` UTF-16 units (Excel counts an emoji twice), no edge apostrophes."""
    name = name[:limit]
    while utf16_length(name) > limit:
        name = name[:-1]
    return name.rstrip().strip("'")


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


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """:func:`xml.sax.saxutils.escape`, imported on first use: it imports urllib.request
    (and with it e-mail, http and ssl), which every command line naming this module would
    otherwise pay for."""
    from xml.sax.saxutils import escape as sax_escape

    return sax_escape(data, entities or {})


def quoteattr_text(value: str) -> str:
    """Text escaped for a double-quoted XML attribute."""
    return escape(clean_text(value), {'"': "&quot;"})


def clean_text(value: str) -> str:
    """Text fit for XML (a property, a sheet name): no characters XML forbids."""
    return printable(value)


_BASE_POINTS = CellStyle().line_points


def _number(value: object) -> str | None:
    """The ``<v>`` of a number cell, or ``None`` for a value that is not a number."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        return repr(number) if math.isfinite(number) else None
    return None


_HALF_CELL = MAX_CELL_TEXT // 2  # shorter texts fit a cell whatever they hold


def _other_cell(value: object, ref: str, s: int) -> str | None:
    """A cell for a value that is neither text nor a plain finite number: booleans
    (numpy's too), numpy and decimal numbers, NaN and infinities (Excel's error values);
    ``None`` for anything else, which is written as its text."""
    if isinstance(value, bool) or type(value).__name__ in ("bool", "bool_"):
        return f'<c r="{ref}" s="{s}" t="b"><v>{int(value)}</v></c>'  # type: ignore[call-overload]
    number = _number(value)
    if number is not None:
        return f'<c r="{ref}" s="{s}"><v>{number}</v></c>'
    if isinstance(value, numbers.Real | Decimal):  # NaN or an infinity
        error = "#N/A" if value != value else "#NUM!"
        return f'<c r="{ref}" s="{s}" t="e"><v>{error}</v></c>'
    return None


@dataclass
class Sheet:
    """One worksheet being filled row by row (make it with :meth:`Workbook.add_sheet`).

    Attributes:
        name: Sheet name (valid and unique: :func:`sheet_name`).
        widths: Column widths in characters, by column index from 0.
        freeze: ``(rows, columns)`` kept in view when scrolling, e.g. ``(1, 1)``.
        landscape: Print across the page (the default; always fitted to the page width).
        print_titles: ``(rows, columns)`` repeated on every printed page: ``rows`` is a
            number of rows from the top or a ``(first, last)`` pair (1-based).
        autofilter: Filter buttons on the first row (a table with one header row).
        notes: What had to be changed to fit Excel (cells cut to 32,767 characters).
    """

    name: str
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] = (0, 0)
    landscape: bool = True
    print_titles: tuple[int | tuple[int, int], int] = (0, 0)
    autofilter: bool = False
    notes: list[str] = field(default_factory=list)
    _styles: dict[str, tuple[int, float, bool]] = field(default_factory=lambda: StyleBook().info)
    _rows: list[str] = field(default_factory=list)
    _max_column: int = 0
    _fit_cache: list[int] | None = None

    @property
    def row_count(self) -> int:
        """Rows written so far."""
        return len(self._rows)

    def _check_size(self, columns: int) -> None:
        if len(self._rows) >= MAX_ROWS:
            raise ValueError(
                f"the sheet '{self.name}' would have more than {MAX_ROWS:,} rows, the most a "
                "spreadsheet holds; export less at a time (fewer themes or documents)"
            )
        if columns > MAX_COLUMNS:
            raise ValueError(
                f"the sheet '{self.name}' would have {columns:,} columns; a spreadsheet holds "
                f"at most {MAX_COLUMNS:,}"
            )

    def _text(self, value: str, ref: str) -> str:
        """``value`` cut to fit a cell if it must be (and a note saying so)."""
        if len(value) > _HALF_CELL:
            value, cut = fit_cell(value)
            if cut:
                self.notes.append(
                    f"cell {ref} of the sheet '{self.name}' was cut to {MAX_CELL_TEXT:,} "
                    "characters (the most a spreadsheet cell holds)"
                )
        return value

    def append(
        self,
        values: Sequence[object],
        style: str | Sequence[str | None] = "normal",
        *,
        height: float | None = None,
    ) -> None:
        """Add one row. ``None`` leaves a cell empty; ``style`` is one name for the whole
        row or one per cell (a name from :data:`ketqual.io.xlsx_styles.STYLES` or one
        :meth:`Workbook.style` gave); ``height`` in points overrides the estimate.

        Spreadsheet programs do not all size rows to wrapped text when they open a file
        (LibreOffice keeps the default height), so the height is estimated here from the
        text and the column widths. This runs once per cell of a 50,000-row quotes sheet,
        hence the plain loops.
        """
        self._check_size(len(values))
        rs = str(len(self._rows) + 1)
        single = style if isinstance(style, str) else None
        info = self._styles
        cells = []
        lines_height = 0.0
        fits = self._fits
        for j, value in enumerate(values):
            s, points, wrap = info[single or style[j] or "normal"]  # type: ignore[index]
            ref = (_LETTERS[j] if j < 256 else column_letter(j)) + rs
            if value is None or value == "":
                if s:  # an empty cell keeps its style, so rules under a row run through
                    cells.append(f'<c r="{ref}" s="{s}"/>')
                continue
            kind = type(value)
            if kind is not str:
                if kind is int or (kind is float and value - value == 0):  # finite: plain
                    cells.append(f'<c r="{ref}" s="{s}"><v>{value!r}</v></c>')
                    continue
                cell = _other_cell(value, ref, s)
                if cell is not None:
                    cells.append(cell)
                    continue
                value = value.isoformat() if isinstance(value, datetime | date) else str(value)
            if len(value) > _HALF_CELL:
                value = self._text(value, ref)
            if wrap:
                fit = fits[j] if j < len(fits) else self._fit(j)
                if "\n" in value:
                    lines = sum([-(-len(part) // fit) or 1 for part in value.split("\n")])
                else:
                    lines = -(-len(value) // fit)
            else:
                lines = value.count("\n") + 1
            if lines * points > lines_height:
                lines_height = lines * points
            cells.append(
                f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_escape(value)}</t></is></c>"
            )
        if len(values) > self._max_column:
            self._max_column = len(values)
        self._add_row(rs, cells, lines_height, height)

    def _add_row(self, rs: str, cells: list[str], lines_height: float, height: float | None):
        if height is None and lines_height > _BASE_POINTS:
            height = lines_height + 4
        if height is not None:
            ht = min(MAX_ROW_POINTS, height)
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
        self._check_size(len(styles))
        columns = []
        for j, name in enumerate(styles):
            s, points, wrap = self._styles[name]
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
        base = _BASE_POINTS
        search = _SPECIAL.search
        for values in rows:
            if len(out) >= MAX_ROWS:
                self._check_size(len(columns))
            rs = str(len(out) + 1)
            cells = []
            height = 0.0
            # One look at the whole row (a tab is neither special nor illegal in XML):
            # most rows need no escaping at all.
            joined = "\t".join(values)
            plain = search(joined) is None and "_x" not in joined
            for (head, body, empty, points, fit), value in zip(columns, values, strict=True):
                if not value:
                    cells.append(head + rs + empty)
                    continue
                if len(value) > _HALF_CELL:
                    value = self._text(value, head[6:] + rs)
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
        orientation = "landscape" if self.landscape else "portrait"
        # Fitted to the page width (or to as few as keep the text legible: pages_wide), as
        # many pages down as it takes (fitToHeight 0).
        setup = (
            f'<pageSetup paperSize="9" orientation="{orientation}" '
            f'fitToWidth="{self.pages_wide()}" fitToHeight="0"/>'
        )
        yield (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{last}"/><sheetViews>{view}</sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>"
        )
        for first in range(0, len(self._rows), 2000):
            yield "".join(self._rows[first : first + 2000])
        yield (
            "</sheetData>"
            + (f'<autoFilter ref="{self.filter_ref()}"/>' if self.autofilter else "")
            + '<printOptions gridLines="0"/>'
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
            f'footer="0.3"/>{setup}'
            "<headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter>"
            "</headerFooter></worksheet>"
        )

    def filter_ref(self) -> str:
        """The range under the filter buttons: the header row down to the last row."""
        return f"A1:{_letter(max(self._max_column, 1) - 1)}{max(len(self._rows), 1)}"

    def print_title_ref(self) -> str | None:
        """The ``_xlnm.Print_Titles`` formula, or ``None``."""
        rows, columns = self.print_titles
        quoted = _quoted(self.name)
        parts = []
        if columns:
            parts.append(f"{quoted}!$A:${_letter(columns - 1)}")
        if rows:
            first, last = rows if isinstance(rows, tuple) else (1, rows)
            parts.append(f"{quoted}!${first}:${last}")
        return ",".join(parts) or None

    def pages_wide(self) -> int:
        """How many page widths the sheet prints on: one, unless fitting it to one would
        shrink its text below about 7 points; then as few as keep it at that size or more,
        with the title columns repeated on each."""
        last = max(self._max_column, max(self.widths, default=-1) + 1)
        points = [_column_points(self.widths.get(j, DEFAULT_WIDTH)) for j in range(last)]
        total = sum(points)
        paper = PRINTABLE_WIDTH_POINTS if self.landscape else (210 / 25.4 - 1.0) * 72
        room = paper / MIN_PRINT_SCALE
        if total <= room:
            return 1
        titles = sum(points[: self.print_titles[1]])
        return max(1, math.ceil((total - titles) / max(room - titles, room / 4)))


def _quoted(name: str) -> str:
    """A sheet name as formulas quote it."""
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """``A1:P9`` as ``$A$1:$P$9``."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


class Workbook:
    """Sheets in order; :meth:`save` writes the package.

    Args:
        title: The document title (file properties).
        creator: The author in the file properties (the project, say).
    """

    def __init__(self, title: str = "", creator: str = "KetQual") -> None:
        self.title = title
        self.creator = creator
        self.sheets: list[Sheet] = []
        self.styles = StyleBook()
        self._taken: set[str] = set()

    def add_sheet(self, name: str, **options: object) -> Sheet:
        """A new sheet at the end (see :class:`Sheet` for the options). ``name`` is made
        valid and unique (:func:`sheet_name`); the sheet's ``name`` is the one used."""
        sheet = Sheet(sheet_name(name, self._taken), **options)  # type: ignore[arg-type]
        sheet._styles = self.styles.info
        self.sheets.append(sheet)
        return sheet

    def style(self, base: str = "normal", **changes: object) -> str:
        """A style name for ``base`` with ``changes`` (see
        :class:`~ketqual.io.xlsx_styles.CellStyle`), e.g. ``style("number", fill="FFE0E0",
        number="0.000")``; the same arguments give the same name."""
        return self.styles.add(STYLES[base].derive(**changes))

    @property
    def notes(self) -> list[str]:
        """What was changed to fit Excel, over every sheet."""
        return [note for sheet in self.sheets for note in sheet.notes]

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
        names += "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quoted(s.name))}!{_absolute(s.filter_ref())}</definedName>"
            for i, s in enumerate(self.sheets)
            if s.autofilter
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
        yield ("xl/styles.xml", self.styles.xml())
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
