"""The cell styles of :mod:`ketqual.io.xlsx_writer` and the ``xl/styles.xml`` part.

A style is a :class:`CellStyle` (font, fill, rule, alignment, number format). Every
workbook starts with the named styles of :data:`STYLES`; writers add their own with
``Workbook.style(...)`` (a heatmap colour, a number format), and the style book gives
each distinct style one cell format and each distinct font, fill and border one entry.
Every font is named (Calibri, family 2: Carlito in LibreOffice), never left to the
reader's default.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FONT = "Calibri"
FONT_SIZE = 11.0
RULE_COLOUR = "FFBFBFBF"
HEADER_FILL = "E8E8E8"


@dataclass(frozen=True)
class CellStyle:
    """How a cell looks.

    Attributes:
        bold, italic, size: The font (always :data:`FONT`).
        colour: Text colour as ``RRGGBB`` (``None``: black).
        fill: Background as ``RRGGBB`` (``None``: none).
        rule: A hairline rule under the cell (rows of a table).
        wrap: Wrap long text (rows get heights to match).
        align: ``"left"``, ``"center"`` or ``"right"`` (``None``: by type).
        rotate: Text rotation in degrees (90: reads bottom to top).
        number: A number format such as ``"0.000"`` or ``"0.0%"``.
    """

    bold: bool = False
    italic: bool = False
    size: float = FONT_SIZE
    colour: str | None = None
    fill: str | None = None
    rule: bool = False
    wrap: bool = False
    align: str | None = None
    rotate: int = 0
    number: str | None = None

    def derive(self, **changes: object) -> CellStyle:
        """This style with some properties changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def line_points(self) -> float:
        """The height of one line of text in points (Calibri: 1.27 times its size)."""
        return round(self.size * 1.2727, 2)


# Named styles every workbook has, in this order (the matrices rely on the names).
STYLES: dict[str, CellStyle] = {
    "normal": CellStyle(),
    "wrap": CellStyle(wrap=True),
    "header": CellStyle(bold=True, fill=HEADER_FILL, rule=True, wrap=True),
    "title": CellStyle(bold=True, size=14),
    "bold": CellStyle(bold=True),
    "cell": CellStyle(rule=True, wrap=True),  # a matrix cell: wrapped, hairline rule below
    "id": CellStyle(bold=True, rule=True, wrap=True),  # the row's name
    "muted": CellStyle(italic=True, colour="595959", rule=True, wrap=True),
    "number": CellStyle(rule=True),
    "bold_number": CellStyle(bold=True, rule=True),
    "centred": CellStyle(rule=True, align="center"),  # short codes and numbers
    "italic": CellStyle(italic=True, colour="595959"),
}


def _colour(rgb: str) -> str:
    """``#abc123`` or ``abc123`` as ``FFABC123``."""
    text = rgb.lstrip("#").upper()
    if len(text) != 6 or any(c not in "0123456789ABCDEF" for c in text):
        raise ValueError(f"a colour must be RRGGBB, not {rgb!r}")
    return "FF" + text


class StyleBook:
    """The styles of one workbook: name -> (cell format index, points per line, wraps)."""

    def __init__(self) -> None:
        self.info: dict[str, tuple[int, float, bool]] = {}
        self._styles: list[CellStyle] = []
        self._index: dict[CellStyle, int] = {}
        for name, style in STYLES.items():
            self.add(style, name)

    def add(self, style: CellStyle, name: str | None = None) -> str:
        """Register ``style`` (once) and return a name to use in ``Sheet.append``."""
        index = self._index.get(style)
        if index is None:
            index = len(self._styles)
            self._styles.append(style)
            self._index[style] = index
        key = name or f"style{index}"
        if key not in self.info:
            self.info[key] = (index, style.line_points, style.wrap)
        return key

    def xml(self) -> str:
        """The styles part."""
        fonts: dict[tuple, int] = {}
        fills: dict[str, int] = {}
        formats: dict[str, int] = {}
        xfs = []
        for style in self._styles:
            font_key = (style.bold, style.italic, style.size, style.colour)
            font = fonts.setdefault(font_key, len(fonts))
            fill = 0 if style.fill is None else fills.setdefault(style.fill, len(fills) + 2)
            number = (
                0 if style.number is None else formats.setdefault(style.number, 164 + len(formats))
            )
            align = "<alignment vertical='top'"
            align += " wrapText='1'" if style.wrap else ""
            align += f" horizontal='{style.align}'" if style.align else ""
            align += f" textRotation='{style.rotate}'" if style.rotate else ""
            xfs.append(
                f"<xf numFmtId='{number}' fontId='{font}' fillId='{fill}' "
                f"borderId='{int(style.rule)}' xfId='0' applyNumberFormat='1' applyFont='1' "
                f"applyFill='1' applyBorder='1' applyAlignment='1'>{align}/></xf>"
            )
        font_xml = "".join(
            "<font>"
            + ("<b/>" if bold else "")
            + ("<i/>" if italic else "")
            + f"<sz val='{size:g}'/>"
            + (f"<color rgb='{_colour(colour)}'/>" if colour else "")
            + f"<name val='{FONT}'/><family val='2'/><scheme val='none'/></font>"
            for (bold, italic, size, colour) in fonts
        )
        fill_xml = "<fill><patternFill patternType='none'/></fill>"
        fill_xml += "<fill><patternFill patternType='gray125'/></fill>"
        fill_xml += "".join(
            f"<fill><patternFill patternType='solid'><fgColor rgb='{_colour(rgb)}'/>"
            "<bgColor indexed='64'/></patternFill></fill>"
            for rgb in fills
        )
        border_xml = (
            "<border><left/><right/><top/><bottom/><diagonal/></border>"
            f"<border><left/><right/><top/><bottom style='thin'><color rgb='{RULE_COLOUR}'/>"
            "</bottom><diagonal/></border>"
        )
        from xml.sax.saxutils import quoteattr  # here: it imports urllib.request

        format_xml = "".join(
            f"<numFmt numFmtId='{i}' formatCode={quoteattr(code)}/>" for code, i in formats.items()
        )
        return (
            f"{_HEAD}<styleSheet xmlns='{_MAIN}'>"
            + (f"<numFmts count='{len(formats)}'>{format_xml}</numFmts>" if formats else "")
            + f"<fonts count='{len(fonts)}'>{font_xml}</fonts>"
            f"<fills count='{len(fills) + 2}'>{fill_xml}</fills>"
            f"<borders count='2'>{border_xml}</borders>"
            "<cellStyleXfs count='1'><xf numFmtId='0' fontId='0' fillId='0' borderId='0'/>"
            f"</cellStyleXfs><cellXfs count='{len(xfs)}'>{''.join(xfs)}</cellXfs>"
            "<cellStyles count='1'><cellStyle name='Normal' xfId='0' builtinId='0'/>"
            "</cellStyles></styleSheet>"
        )
