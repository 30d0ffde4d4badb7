"""The cell styles of :mod:`ketqual.io.xlsx_writer`: a fixed table of fonts, fills and
borders, and the ``xl/styles.xml`` part that declares them."""

from __future__ import annotations

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_FONTS = (
    "<font><sz val='11'/><name val='Calibri'/><family val='2'/></font>",
    "<font><b/><sz val='11'/><name val='Calibri'/><family val='2'/></font>",
    "<font><b/><sz val='14'/><name val='Calibri'/><family val='2'/></font>",
    "<font><i/><sz val='11'/><color rgb='FF595959'/><name val='Calibri'/><family val='2'/></font>",
)
_FILLS = (
    "<fill><patternFill patternType='none'/></fill>",
    "<fill><patternFill patternType='gray125'/></fill>",
    "<fill><patternFill patternType='solid'><fgColor rgb='FFE8E8E8'/>"
    "<bgColor indexed='64'/></patternFill></fill>",
)
_BORDERS = (
    "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "<border><left/><right/><top/><bottom style='thin'><color rgb='FFBFBFBF'/></bottom>"
    "<diagonal/></border>",
)
# Line height in points of each font above (Calibri 11 and 14), for row heights.
LINE_POINTS = (14.0, 14.0, 18.75, 14.0)
# Style name -> (font, fill, border, wrap), indexes into the tables above; the order of
# the names is the order of the cell formats (the ``s`` of a cell).
STYLES: dict[str, tuple[int, int, int, bool]] = {
    "normal": (0, 0, 0, False),
    "wrap": (0, 0, 0, True),
    "header": (1, 2, 1, True),
    "title": (2, 0, 0, False),
    "bold": (1, 0, 0, False),
    "cell": (0, 0, 1, True),  # a matrix cell: wrapped, hairline rule below
    "id": (1, 0, 1, True),  # the row's name
    "muted": (3, 0, 1, True),  # a cell without a summary: what it amounts to
    "number": (0, 0, 1, False),
    "bold_number": (1, 0, 1, False),
    "centred": (0, 0, 1, False),  # short codes and numbers in a column of their own
}
_CENTRED = {"centred"}
# Style name -> (xf index, points per line, wraps): what appending a cell needs to know.
STYLE_INFO = {
    name: (i, LINE_POINTS[font], wrap)
    for i, (name, (font, _fill, _border, wrap)) in enumerate(STYLES.items())
}


def styles_xml() -> str:
    """The styles part: one cell format per entry of :data:`STYLES`, in order."""
    xfs = []
    for name, (font, fill, border, wrap) in STYLES.items():
        align = "<alignment vertical='top'" + (" wrapText='1'" if wrap else "")
        align += (" horizontal='center'" if name in _CENTRED else "") + "/>"
        xfs.append(
            f"<xf numFmtId='0' fontId='{font}' fillId='{fill}' borderId='{border}' "
            f"xfId='0' applyFont='1' applyFill='1' applyBorder='1' applyAlignment='1'>"
            f"{align}</xf>"
        )
    return (
        f"{_HEAD}<styleSheet xmlns='{_MAIN}'>"
        f"<fonts count='{len(_FONTS)}'>{''.join(_FONTS)}</fonts>"
        f"<fills count='{len(_FILLS)}'>{''.join(_FILLS)}</fills>"
        f"<borders count='{len(_BORDERS)}'>{''.join(_BORDERS)}</borders>"
        "<cellStyleXfs count='1'><xf numFmtId='0' fontId='0' fillId='0' borderId='0'/>"
        f"</cellStyleXfs><cellXfs count='{len(xfs)}'>{''.join(xfs)}</cellXfs>"
        "<cellStyles count='1'><cellStyle name='Normal' xfId='0' builtinId='0'/>"
        "</cellStyles></styleSheet>"
    )
