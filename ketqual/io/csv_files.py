"""The one way KetQual writes CSV: text that stays text, one byte-order-mark rule.

Every CSV writer goes through :func:`cell` (or :class:`SafeWriter`, which applies it):

* **Formulas.** A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or
  ``@`` (and, in some, a tab or carriage return) as a formula, so a code renamed
  ``=cmd|' /C calc'!A0`` or a reason starting with "=" would run, or show ``Err:509``,
  when the file is opened. Following the OWASP guidance on CSV injection, such a text cell
  is written with an apostrophe in front (``'=cmd…``), which spreadsheets show as the text
  itself. A cell that is a plain number (``-0.25``, ``+3``, ``1e-5``) is a number, not a
  formula, and is left alone, as are real numbers.
* **Characters.** Control characters that no program can show are dropped and lone
  surrogates become U+FFFD (:func:`ketqual.core.names.printable`); tabs and line breaks
  inside a cell stay (the cell is quoted).
* **Byte-order mark.** Every CSV *file* is UTF-8 with a byte-order mark, so Excel reads
  accents and emoji correctly (pandas, R's readr and Python's ``utf-8-sig`` skip it);
  CSV printed to the terminal (standard output) has none, so pipes get plain UTF-8.
  Lines end in CRLF, as RFC 4180 has it.

:func:`uncell` undoes the apostrophe, for files KetQual reads back (codings CSV).
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from ketqual.core.names import printable
from ketqual.io.atomic import replacing

ENCODING = "utf-8-sig"  # files: UTF-8 with a byte-order mark (see the module docstring)
LINE_END = "\r\n"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _risky(text: str) -> bool:
    """Would a spreadsheet read ``text`` (apostrophes in front aside) as a formula?"""
    bare = text.lstrip("'")
    return bare[:1] in TRIGGERS and _NUMBER.fullmatch(bare) is None


def text_cell(text: str) -> str:
    """A text for a CSV cell: printable, and never read as a formula.

    An apostrophe goes in front of a text that starts with ``= + - @``, a tab or a carriage
    return (a plain number excepted), and also in front of one that already starts with
    apostrophes followed by such a character, so that :func:`uncell` gives back exactly
    the original.
    """
    text = printable(text)
    return "'" + text if _risky(text) else text


def cell(value: object) -> object:
    """A value ready for ``csv.writer``: ``None`` empty, numbers as numbers (a NaN or an
    infinity empty: undefined), text through :func:`text_cell`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return text_cell(value) if value else value
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else ""
    return text_cell(str(value))


def uncell(text: str) -> str:
    """The original text of a cell written by :func:`text_cell` (for reading files back)."""
    if text[:1] == "'" and _risky(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` with every cell passed through :func:`cell` (CRLF line ends)."""

    def __init__(self, handle: TextIO, line_end: str = LINE_END) -> None:
        self._writer = csv.writer(handle, lineterminator=line_end)

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row."""
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write many rows."""
        write = self._writer.writerow
        for row in rows:
            write([cell(v) for v in row])


def write_csv(path: Path, header: Sequence[object], rows: Iterable[Iterable[object]]) -> Path:
    """Write a CSV file whole (a temporary file renamed into place): UTF-8 with a
    byte-order mark, CRLF, every cell through :func:`cell`.

    Raises:
        OSError: When the file cannot be written; nothing half-written is left.
    """
    with replacing(path) as temporary, temporary.open("w", encoding=ENCODING, newline="") as out:
        writer = SafeWriter(out)
        writer.writerow(header)
        writer.writerows(rows)
    return Path(path)


def to_text(
    header: Sequence[object], rows: Iterable[Iterable[object]], line_end: str = LINE_END
) -> str:
    """The same cells as one string (for a file written elsewhere, or for the terminal
    with ``line_end="\\n"``)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, line_end)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
