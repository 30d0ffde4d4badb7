"""Tables: .csv/.tsv (one table) and .xlsx (one table per non-empty worksheet).

Every cell becomes a string: numbers lose a spurious ``.0``, dates and times
are written in ISO 8601, empty cells are ``""``.  The first non-empty row is
the header; fully empty rows are dropped; rows are padded with ``""`` to the
width of the widest row so every row has one cell per header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import openpyxl

from ketqual.core.model import ImportRefused, Table
from ketqual.io.readers.normalise import normalise_text
from ketqual.io.readers.plaintext import EMPTY_REASON, decode_text
from ketqual.io.safety import open_office_package, read_bytes_capped

MAX_TABLE_CELLS = 2_000_000
"""Largest number of cells (in kept rows) one file may hold; far above any feedback sheet."""

XLSX_PROTECTED_REASON = (
    "this spreadsheet is password-protected or in the old .xls format; "
    "save it as an unprotected .xlsx"
)
XLSX_DAMAGED_REASON = (
    "the .xlsx file is damaged or is not really that kind of file (it cannot be opened as one)"
)

# Candidate delimiters, most specific first: with equally consistent results
# the earlier one wins, so "3,5;4,2" (decimal commas) splits on ";".
_DELIMITERS = ("\t", ";", ",")
_SNIFF_CHARS = 64 * 1024
_SNIFF_ROWS = 50
# Integral floats up to this size are shown without ".0" (beyond it floats
# are no longer exact integers and repr is the honest rendering).
_MAX_EXACT_FLOAT = 2**53


class TableRead(NamedTuple):
    """Tables read from one file, with the text encoding (CSV only) and warnings."""

    tables: list[Table]
    encoding: str | None = None
    warnings: tuple[str, ...] = ()


def read_csv(path: Path) -> TableRead:
    """Read a .csv or .tsv file as one table.

    The encoding is detected like a plain-text file's.  A .tsv file is split on
    tabs; for a .csv file the delimiter (comma, semicolon or tab) is the one
    that splits the first rows into the most consistent number of fields.

    Args:
        path: The .csv or .tsv file.

    Returns:
        One table (``sheet`` is ``None``), the detected encoding and its warnings.

    Raises:
        ImportRefused: The file is empty, binary, undecodable or malformed.
    """
    decoded = decode_text(read_bytes_capped(path))
    text = decoded.text
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text[:_SNIFF_CHARS])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _build_table(reader, sheet=None)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            raise ImportRefused(
                f"the CSV file has a cell longer than {limit:,} characters (line {reader.line_num})"
            ) from None
        raise ImportRefused(
            f"the CSV file could not be read (line {reader.line_num}: {exc})"
        ) from None
    if table is None:
        raise ImportRefused(EMPTY_REASON)
    return TableRead([table], decoded.encoding, decoded.warnings)


def sniff_delimiter(sample: str) -> str:
    """Choose the delimiter among tab, semicolon and comma for a CSV sample.

    ``csv.Sniffer`` is easily fooled by punctuation in free text, so each
    candidate is tried with the real CSV parser (which respects quotes) and
    the one giving the most rows with the same number (two or more) of
    fields wins.

    Args:
        sample: The beginning of the decoded file.

    Returns:
        The delimiter; ``","`` when none splits the rows.
    """
    lines = sample.splitlines(keepends=True)
    if len(sample) >= _SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line short
    sample = "".join(lines)
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        rows = islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), _SNIFF_ROWS)
        try:
            counts = [len(row) for row in rows if any(cell.strip() for cell in row)]
        except csv.Error:
            continue
        if not counts:
            continue
        fields, agreeing = Counter(counts).most_common(1)[0]
        if fields < 2:
            continue
        score = (agreeing / len(counts), len(counts))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_xlsx(path: Path) -> TableRead:
    """Read every non-empty worksheet of an Excel .xlsx workbook.

    Formulas give their last computed value (what Excel shows); a formula
    never computed (e.g. in a file written by a script) reads as empty.

    Args:
        path: The .xlsx file.

    Returns:
        One table per non-empty worksheet, ``sheet`` set to the worksheet name.

    Raises:
        ImportRefused: The workbook is protected, old-format, damaged, unsafe,
            too large, or has no data at all.
    """
    open_office_package(
        path,
        kind=".xlsx",
        what="an .xlsx workbook",
        main_member="xl/workbook.xml",
        protected_reason=XLSX_PROTECTED_REASON,
        damaged_reason=XLSX_DAMAGED_REASON,
    )
    tables: list[Table] = []
    with _quiet_openpyxl():
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # any parser failure means the same to the user
            raise ImportRefused("the .xlsx file is damaged (it could not be opened)") from None
        try:
            budget = MAX_TABLE_CELLS
            for sheet in workbook.worksheets:
                # The stored dimensions may claim a million rows; ignoring them
                # makes openpyxl yield only the rows that exist.
                sheet.reset_dimensions()
                rows = (
                    [cell_to_text(value) for value in row]
                    for row in sheet.iter_rows(values_only=True)
                )
                table = _build_table(rows, sheet=sheet.title, budget=budget)
                if table is not None:
                    tables.append(table)
                    budget -= _cell_count(table)
        except ImportRefused:
            raise
        except Exception:  # damage is often only found while reading the rows
            raise ImportRefused(
                "the .xlsx file is damaged (its sheets could not be read)"
            ) from None
        finally:
            workbook.close()
    if not tables:
        raise ImportRefused("the workbook is empty (no sheet contains data)")
    return TableRead(tables)


def cell_to_text(value: object) -> str:
    """Render one spreadsheet value as the string stored for it.

    Args:
        value: A value as openpyxl returns it.

    Returns:
        ``""`` for empty cells, ``"3"`` for 3.0, ISO 8601 for dates and times,
        ``"TRUE"``/``"FALSE"`` for booleans, else the value's text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) <= _MAX_EXACT_FLOAT:
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        value = _round_to_second(value)
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _round_to_second(value: dt.datetime) -> dt.datetime:
    # Excel stores times as fractions of a day; the float often lands a few
    # microseconds off (14:29:59.999998), which is noise, not data.
    if not value.microsecond:
        return value
    rounded = value.replace(microsecond=0)
    if value.microsecond >= 500_000:
        rounded += dt.timedelta(seconds=1)
    return rounded


def _clean_cell(cell: str) -> str:
    # Most cells are a short plain string; skip the regex work for them.
    if cell.isprintable() and not cell.startswith(" ") and not cell.endswith(" "):
        return cell
    return normalise_text(cell)


def _build_table(
    rows: Iterable[Iterable[str]], *, sheet: str | None, budget: int = MAX_TABLE_CELLS
) -> Table | None:
    header: list[str] | None = None
    body: list[list[str]] = []
    cells = 0
    for raw in rows:
        row = [_clean_cell(cell) for cell in raw]
        while row and not row[-1]:
            row.pop()
        if not row:
            continue
        cells += len(row)
        if cells > budget:
            raise ImportRefused(
                f"the table is too large to import (more than {MAX_TABLE_CELLS:,} cells)"
            )
        if header is None:
            header = row
        else:
            body.append(row)
    if header is None:
        return None
    width = max(len(row) for row in (header, *body))
    return Table(
        headers=tuple(_padded(header, width)),
        rows=tuple(tuple(_padded(row, width)) for row in body),
        sheet=sheet,
    )


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _cell_count(table: Table) -> int:
    return len(table.headers) * (len(table.rows) + 1)


@contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """Silence openpyxl's notes about features it drops (validation, extensions...).

    They concern editing a workbook, which KetQual never does.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        yield
