"""Rich Text Format (.rtf) files, converted with striprtf."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from ketqual.core.model import ExtractedText, ImportRefused
from ketqual.io.readers.normalise import normalise_text
from ketqual.io.safety import read_bytes_capped, wrong_content

_ANSI_CODEPAGE = re.compile(rb"\\ansicpg(\d{1,5})")


def read_rtf(path: Path) -> ExtractedText:
    """Read an RTF document.

    Args:
        path: The .rtf file.

    Returns:
        The document text; ``encoding`` is the code page used for 8-bit characters.

    Raises:
        ImportRefused: The file does not start like RTF or cannot be converted.
    """
    data = read_bytes_capped(path)
    # Tolerate a UTF-8 mark or blank lines some tools put before "{\rtf".
    start = data.removeprefix(codecs.BOM_UTF8).lstrip()
    if not start.startswith(b"{\\rtf"):
        raise wrong_content(start[:16], "an RTF document") or ImportRefused(
            "this is not an RTF document (it does not start with {\\rtf)"
        )
    codepage = _codepage(start)
    # RTF is 7-bit ASCII in principle; raw 8-bit bytes, if any, are in the
    # document's ANSI code page, which is also what striprtf uses for \'xx escapes.
    source = start.decode(codepage, errors="replace")
    warnings: tuple[str, ...] = ()
    try:
        text = rtf_to_text(source, encoding=codepage, errors="replace")
    except (ValueError, IndexError, LookupError, RecursionError):
        raise ImportRefused("the RTF file is damaged (it could not be converted)") from None
    if "\ufffd" in text:
        warnings = ("some characters could not be decoded and were replaced by \ufffd",)
    return ExtractedText(
        text=normalise_text(text), format="rtf", encoding=codepage, warnings=warnings
    )


def _codepage(data: bytes) -> str:
    """Return the Python codec for the document's ``\\ansicpgN``, defaulting to cp1252."""
    match = _ANSI_CODEPAGE.search(data[:4096])
    if match:
        codec = f"cp{int(match.group(1))}"
        try:
            return codecs.lookup(codec).name
        except LookupError:
            pass
    return "cp1252"
