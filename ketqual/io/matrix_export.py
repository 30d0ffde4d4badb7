"""Writing framework matrices: the format from the path, and one entry point."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ketqual.io.atomic import write_atomically

if TYPE_CHECKING:  # the command line reads FORMATS from here: keep it light
    from ketqual.core.framework_report import MatrixReport

FORMATS = ("xlsx", "docx", "csv")


def format_for(path: Path, fmt: str | None = None) -> str:
    """``fmt`` if given, else ``xlsx`` / ``docx`` from the suffix, ``csv`` for a folder
    (an existing directory, or a path without a suffix).

    Raises:
        ValueError: For an unknown format or suffix.
    """
    if fmt is not None:
        chosen = fmt.lower()
        if chosen not in FORMATS:
            raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
        return chosen
    if path.is_dir() or not path.suffix:
        return "csv"
    chosen = path.suffix.lower().lstrip(".")
    if chosen not in ("xlsx", "docx"):
        raise ValueError(
            f"cannot tell the format of '{path.name}'; write FILE.xlsx, FILE.docx, or a "
            "folder for CSV files"
        )
    return chosen


def write(report: MatrixReport, path: Path, fmt: str) -> Path:
    """Write ``report`` to ``path`` as ``fmt`` (a folder for ``csv``) and return ``path``.

    Raises:
        OSError: When the file or folder cannot be written; nothing half-written is left.
    """
    if fmt == "csv":
        from ketqual.io import matrix_csv

        matrix_csv.write_folder(report, path)
        return path
    if fmt == "xlsx":
        from ketqual.io import matrix_xlsx

        return write_atomically(path, lambda p: matrix_xlsx.write_xlsx(report, p))
    if fmt == "docx":
        from ketqual.io import matrix_docx  # python-docx loads only when needed

        return write_atomically(path, lambda p: matrix_docx.write_docx(report, p))
    raise ValueError(f"unknown format '{fmt}'")
