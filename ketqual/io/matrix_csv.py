"""Framework matrices as CSV files in a folder: one per theme, plus the quotes, the counts
and a short README, each UTF-8 with a byte-order mark so Excel reads accents, and every
text kept as text (``ketqual.io.csv_files``)."""

from __future__ import annotations

import re
from pathlib import Path

from ketqual.core import framework_report as fr
from ketqual.core import framework_text as ft
from ketqual.core.framework import ThemeMatrix
from ketqual.core.framework_report import MatrixReport
from ketqual.io import csv_files
from ketqual.io.atomic import write_atomically

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
COUNT_COLUMNS = (
    "theme",
    "subtheme",
    "level",
    "passages",
    "theme_level_passages",
    "documents",
    "cases",
)


def file_stem(name: str, limit: int = 80) -> str:
    """A file name from a theme name that every operating system accepts."""
    clean = " ".join(_UNSAFE.sub("-", name).split()).strip(" .")
    return clean[:limit].rstrip(" .") or "theme"


def _csv(rows: list[list[object]]) -> str:
    """Header and rows as CSV text: texts never read as formulas (``csv_files``)."""
    return csv_files.to_text(rows[0], rows[1:])


def theme_csv(matrix: ThemeMatrix) -> str:
    """One theme's matrix: a header row, then one row per focus group."""
    rows: list[list[object]] = [
        ["Focus group", "Session", "Group", "Sources", *(c.label for c in matrix.columns)]
    ]
    for row, cells in zip(matrix.rows, matrix.cells, strict=True):
        rows.append(
            [
                row.label,
                "" if row.session is None else row.session,
                "" if row.group is None else row.group,
                row.sources,
                *(ft.cell_text(cell) for cell in cells),
            ]
        )
    return _csv(rows)


def quotes_csv(report: MatrixReport) -> str:
    """Every passage once, by reference id."""
    rows: list[list[object]] = [list(fr.quotes_header())]
    for q in report.quote_rows():
        rows.append(
            [
                q.ref,
                q.case,
                q.document,
                q.location,
                q.text,
                "; ".join(q.codes),
                "; ".join(q.cited_in),
            ]
        )
    return _csv(rows)


def counts_csv(report: MatrixReport) -> str:
    """The counts per theme and subtheme (unit: coded passages)."""
    rows: list[list[object]] = [list(COUNT_COLUMNS)]
    for r in report.count_rows():
        rows.append(["" if r[k] is None else r[k] for k in COUNT_COLUMNS])
    return _csv(rows)


def readme_text(report: MatrixReport, files: list[str]) -> str:
    """What the folder holds and where the matrices come from."""
    lines = [f"Framework matrices: {report.info.project_name}", ""]
    lines += [f"{label}: {text}" for label, text in fr.readme_rows(report)]
    lines += ["", "Legend"]
    lines += [f"  {label}: {text}" for label, text in fr.legend_rows()]
    lines += ["", "Files"] + [f"  {name}" for name in files]
    return "\r\n".join(lines) + "\r\n"


def write_folder(report: MatrixReport, folder: Path) -> list[Path]:
    """Write the CSV files into ``folder`` (created if missing; its parent must exist).

    Everything is rendered before anything is written, and each file is replaced in one
    step, so a failure never leaves a half-written file.
    """
    contents: dict[str, str] = {}
    for i, matrix in enumerate(report.matrices, start=1):
        contents[f"{i:02d} {file_stem(matrix.theme.name)}.csv"] = theme_csv(matrix)
    contents["quotes.csv"] = quotes_csv(report)
    contents["counts.csv"] = counts_csv(report)
    contents["README.txt"] = readme_text(report, list(contents))
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in contents.items():
        data = text.encode(csv_files.ENCODING)  # the README too, so Notepad reads accents
        written.append(write_atomically(folder / name, lambda p, d=data: p.write_bytes(d)))
    return written
