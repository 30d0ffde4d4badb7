"""The theme x theme co-occurrence table as CSV (one row per pair) or an Excel workbook.

CSV is tidy, for R and pandas: one row per pair of themes with both n, n12 and the
chosen measure. The workbook has the matrices people read: *Counts* (n12, with each
theme's n on the diagonal), one sheet for the chosen measure, *Pairs* (the CSV's rows)
and *About* (layer, unit, measure and what they mean). An undefined measure is an empty
cell, never 0. Both keep theme names as text, whatever they start with.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ketqual.core.network import MEASURE_LABELS, Cooccurrence
from ketqual.io import csv_files
from ketqual.io.atomic import replacing
from ketqual.io.xlsx_writer import Workbook

FORMATS = ("csv", "xlsx")


def pair_rows(result: Cooccurrence, measure: str) -> list[list[object]]:
    """One row per pair of themes in codebook order: names, n1, n2, n12, measure."""
    rows: list[list[object]] = []
    themes = result.themes
    for i, a in enumerate(themes):
        for b in themes[i + 1 :]:
            value = result.value(a.code_id, b.code_id, measure)
            rows.append([a.name, b.name, a.n, b.n, result.pair(a.code_id, b.code_id).n12, value])
    return rows


def _header(measure: str) -> list[str]:
    return ["theme_a", "theme_b", "n_a", "n_b", "n12", measure]


def write(
    result: Cooccurrence,
    path: Path,
    *,
    fmt: str,
    measure: str,
    about: Mapping[str, str],
) -> Path:
    """Write the table as ``csv`` or ``xlsx`` (the file is replaced whole).

    Raises:
        ValueError: For an unknown format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"the table can be written as {', '.join(FORMATS)}, not '{fmt}'")
    if fmt == "csv":
        return csv_files.write_csv(path, _header(measure), pair_rows(result, measure))
    with replacing(path) as temporary:
        _workbook(result, measure, about).save(temporary)
    return path


def _workbook(result: Cooccurrence, measure: str, about: Mapping[str, str]) -> Workbook:
    book = Workbook(title="Theme co-occurrence", creator=str(about.get("project", "")))
    _matrix(book, "Counts", result, "count", "n12 (diagonal: each theme's n)")
    if measure != "count":
        label = MEASURE_LABELS[measure]
        _matrix(book, label, result, measure, label)
    pairs = book.add_sheet(
        "Pairs",
        widths={0: 28, 1: 28, 2: 10, 3: 10, 4: 10, 5: 12},
        freeze=(1, 0),
        print_titles=(1, 0),
        autofilter=True,
    )
    pairs.append(_header(measure), "header")
    number = book.style("number", number="0" if measure == "count" else "0.000")
    whole = book.style("number", number="0")
    for row in pair_rows(result, measure):
        pairs.append(row, ["cell", "cell", whole, whole, whole, number])
    info = book.add_sheet("About", widths={0: 18, 1: 100})
    for key, value in about.items():
        info.append([key, value], ["bold", "wrap"])
    for note in result.notes:
        info.append(["note", note], ["bold", "wrap"])
    return book


def _matrix(book: Workbook, name: str, result: Cooccurrence, measure: str, caption: str) -> None:
    """A theme x theme sheet: names down the side and across the top (turned on their side
    when there are many themes), the diagonal shaded."""
    themes = result.themes
    many = len(themes) > 10
    width = 7.0 if many else 13.0
    sheet = book.add_sheet(
        name,
        widths={0: 30} | {j + 1: width for j in range(len(themes))},
        freeze=(1, 1),
        print_titles=(1, 1),
    )
    across = book.style("header", rotate=90) if many else "header"
    longest = max((len(t.name) for t in themes), default=10)
    sheet.append(
        [caption, *[t.name for t in themes]],
        ["header", *([across] * len(themes))],
        height=min(200.0, max(40.0, longest * 6.0)) if many else None,
    )
    fmt = "0" if measure == "count" else "0.000"
    plain = book.style("number", number=fmt)
    diagonal = book.style("number", number="0", fill="F4F4F4")
    for i, (theme, values) in enumerate(zip(themes, result.matrix(measure), strict=True)):
        styles = [diagonal if i == j else plain for j in range(len(themes))]
        sheet.append([theme.name, *values], ["id", *styles])
