"""File readers: turn a user's file into text or tables, safely.

The registry picks a reader by the file's (lower-cased) extension, after
checking that the path is an existing regular file within
:data:`MAX_FILE_BYTES`.  Every failure is an
:class:`~ketqual.core.model.ImportRefused` whose message is a one-line reason
for the user.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ketqual.core.model import ExtractedText, ImportRefused, Table
from ketqual.io.readers.normalise import normalise_text
from ketqual.io.readers.plaintext import EMPTY_REASON
from ketqual.io.safety import MAX_FILE_BYTES, check_file

if TYPE_CHECKING:
    from ketqual.io.readers.tabular import TableRead

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_DOCUMENT_EXTENSIONS",
    "SUPPORTED_TABLE_EXTENSIONS",
    "TableRead",
    "normalise_text",
    "read_document",
    "read_table",
    "read_table_detailed",
]

# MAX_FILE_BYTES (50 MB) lives in ketqual.io.safety so that the readers' own
# capped reads and this registry's up-front check share one value.

# Extension -> (module, function). Format modules load on first use: pypdf, openpyxl and
# python-docx together cost a quarter of a second, which the app's start should not pay.
_DOCUMENT_READERS: dict[str, tuple[str, str] | Callable] = {
    ".txt": ("plaintext", "read_plaintext"),
    ".md": ("plaintext", "read_plaintext"),
    ".text": ("plaintext", "read_plaintext"),
    ".docx": ("docx", "read_docx"),
    ".odt": ("odt", "read_odt"),
    ".rtf": ("rtf", "read_rtf"),
    ".pdf": ("pdf", "read_pdf"),
}
_TABLE_READERS: dict[str, tuple[str, str] | Callable] = {
    ".csv": ("tabular", "read_csv"),
    ".tsv": ("tabular", "read_csv"),
    ".xlsx": ("tabular", "read_xlsx"),
}


def __getattr__(name: str):
    # ``readers.TableRead`` without importing openpyxl until someone asks for it.
    if name == "TableRead":
        from ketqual.io.readers.tabular import TableRead

        return TableRead
    raise AttributeError(name)


_R = TypeVar("_R")
log = logging.getLogger(__name__)

SUPPORTED_DOCUMENT_EXTENSIONS: tuple[str, ...] = tuple(_DOCUMENT_READERS)
SUPPORTED_TABLE_EXTENSIONS: tuple[str, ...] = tuple(_TABLE_READERS)


def read_document(path: Path) -> ExtractedText:
    """Extract the text of a document file.

    Args:
        path: A .txt, .md, .text, .docx, .odt, .rtf or .pdf file.

    Returns:
        The text (line endings normalised, nothing else changed), the format name (``txt``, ``md``, ``docx``, ``odt``,
        ``rtf`` or ``pdf``), the encoding for text formats and any warnings.

    Raises:
        ImportRefused: The file is missing, a folder, too large, of an
            unsupported type, unreadable, unsafe or empty.
    """
    path = Path(path)
    result = _run(_pick(path, _DOCUMENT_READERS), path)
    # Readers normalise already; doing it here too guarantees the contract
    # for every format, present and future.
    text = normalise_text(result.text)
    if not text.strip():
        raise ImportRefused(EMPTY_REASON)
    if text != result.text:
        result = ExtractedText(text, result.format, result.encoding, result.warnings)
    return result


def read_table(path: Path) -> list[Table]:
    """Read the tables of a spreadsheet file.

    Args:
        path: A .csv, .tsv or .xlsx file.

    Returns:
        One table for .csv/.tsv; one per non-empty worksheet for .xlsx.

    Raises:
        ImportRefused: As for :func:`read_document`; also when no table has data.
    """
    return read_table_detailed(path).tables


def read_table_detailed(path: Path) -> TableRead:
    """Like :func:`read_table`, but also return the detected encoding and warnings.

    :class:`~ketqual.core.model.Table` has no room for warnings, yet a CSV file
    in a guessed legacy encoding must not be imported silently; callers that
    can show warnings should use this function.

    Args:
        path: A .csv, .tsv or .xlsx file.

    Returns:
        The tables, the encoding (CSV only) and warnings for the user.

    Raises:
        ImportRefused: See :func:`read_table`.
    """
    path = Path(path)
    result = _run(_pick(path, _TABLE_READERS), path)
    if not result.tables:
        raise ImportRefused(EMPTY_REASON)
    return result


def _pick(path: Path, readers: dict[str, tuple[str, str] | Callable]) -> Callable[[Path], _R]:
    """Check the file itself, then choose the reader for its extension."""
    # Existence, folder and size first: a vanished or huge file gets the
    # reason that actually applies, whatever its name.
    check_file(path, MAX_FILE_BYTES)
    extension = path.suffix.lower()
    reader = readers.get(extension)
    if reader is None:
        supported = ", ".join(readers)
        if not extension:
            raise ImportRefused(
                f"the file has no extension, so its type is unknown (supported: {supported})"
            )
        raise ImportRefused(f"unsupported file type '{extension}' (supported: {supported})")
    if callable(reader):  # a reader registered as a function (plug-ins, tests)
        return reader
    module, function = reader
    return getattr(importlib.import_module(f"ketqual.io.readers.{module}"), function)


def _run(reader: Callable[[Path], _R], path: Path) -> _R:
    """Call a reader, turning an unforeseen failure into a refusal (logged in full)."""
    try:
        return reader(path)
    except ImportRefused:
        raise
    except MemoryError:
        raise ImportRefused("the file is too large or complex to read (out of memory)") from None
    except Exception:
        # A parser tripping over a file nobody anticipated must not crash an
        # import batch; the traceback goes to the log for the developers.
        log.exception("reader failed on %s", path)
        raise ImportRefused(
            f"the {path.suffix.lower()} file could not be read "
            "(unexpected problem; details are in the log)"
        ) from None
