"""PDF files: the text layer extracted with pypdf, one page after another.

Only the embedded text is read; scanned pages have none and need OCR first.
pypdf reports every repair it makes on a sloppy PDF through logging and
``warnings``; those remarks mean nothing to a user (and the test suite turns
warnings into errors), so they are silenced for the duration of a read.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ketqual.core.model import ExtractedText, ImportRefused
from ketqual.io.readers.normalise import normalise_text
from ketqual.io.safety import read_bytes_capped, wrong_content

PROTECTED_REASON = "the PDF is password-protected"
NO_TEXT_REASON = (
    "the PDF has no text layer (probably a scan); run OCR first or import a text version"
)
# Extracted text beyond this is not a set of notes; it would only exhaust memory.
MAX_TEXT_CHARS = 20_000_000
_REASON_CHARS = 80
# pypdf looks for the header in the first kilobyte, as PDF readers do.
_HEADER_WINDOW = 1024
_DAMAGE_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    ZeroDivisionError,
    RecursionError,
    OverflowError,
)


def read_pdf(path: Path) -> ExtractedText:
    """Read the text layer of a PDF.

    Args:
        path: The .pdf file.

    Returns:
        The text of all pages, pages separated by a blank line; a warning lists
        pages without text when only some of them have it.

    Raises:
        ImportRefused: The file is not a PDF, is damaged, password-protected or has no text.
    """
    data = read_bytes_capped(path)
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise wrong_content(data[:16], "a PDF document") or ImportRefused(
            "this is not a PDF document (the PDF header is missing)"
        )
    with _quiet_pypdf():
        pages = _extract_pages(data)
    texts = [normalise_text(page) if page is not None else "" for page in pages]
    if all(page is None for page in pages):
        raise ImportRefused("the PDF file is damaged: no page could be read")
    if not any(text.strip() for text in texts):
        raise ImportRefused(NO_TEXT_REASON)
    warnings_: list[str] = []
    broken = [number for number, page in enumerate(pages, start=1) if page is None]
    empty = [
        number
        for number, (page, text) in enumerate(zip(pages, texts, strict=True), start=1)
        if page is not None and not text.strip()
    ]
    if broken:
        warnings_.append(f"{_page_list(broken)} of {len(pages)} could not be read")
    if empty:
        verb = "has" if len(empty) == 1 else "have"
        warnings_.append(f"{_page_list(empty)} of {len(pages)} {verb} no text (scanned?)")
    text = "\n\n".join(text for text in texts if text.strip())
    return ExtractedText(text=normalise_text(text), format="pdf", warnings=tuple(warnings_))


def _extract_pages(data: bytes) -> list[str | None]:
    """Return each page's raw text, or ``None`` for a page that could not be read."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            # Many PDFs are "encrypted" only to restrict printing, with an empty
            # user password; those open fine.  Anything else needs the password.
            raise ImportRefused(PROTECTED_REASON)
        page_list = list(reader.pages)
    except ImportRefused:
        raise
    except FileNotDecryptedError:
        raise ImportRefused(PROTECTED_REASON) from None
    except DependencyError:
        # AES encryption needs the optional "cryptography" package.
        raise ImportRefused(
            "the PDF is encrypted in a way KetQual cannot open; save an unencrypted copy"
        ) from None
    except PyPdfError as exc:
        raise ImportRefused(f"the PDF file is damaged: {_short_reason(exc)}") from None
    except _DAMAGE_ERRORS:
        # pypdf signals much damage with plain Python exceptions; their text is no help.
        raise ImportRefused("the PDF file is damaged: its internal structure is broken") from None
    if not page_list:
        raise ImportRefused("the PDF file is damaged: it has no pages")
    pages: list[str | None] = []
    total = 0
    for page in page_list:
        try:
            text = page.extract_text() or ""
        except (PyPdfError, *_DAMAGE_ERRORS):
            pages.append(None)
            continue
        total += len(text)
        if total > MAX_TEXT_CHARS:
            raise ImportRefused("the PDF contains more text than KetQual can import at once")
        pages.append(text)
    return pages


def _page_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    shown = ", ".join(str(n) for n in numbers[:10])
    more = ", …" if len(numbers) > 10 else ""
    return f"{len(numbers)} pages ({shown}{more})"


def _short_reason(exc: BaseException) -> str:
    """Condense a pypdf error into a few words a user can act on."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    lowered = reason.lower()
    if "ended unexpectedly" in lowered or re.search(r"\beof\b", lowered):
        return "it is incomplete (cut off while saving or copying?)"
    if "empty" in lowered:
        return "it is empty"
    reason = reason[0].lower() + reason[1:]
    if len(reason) > _REASON_CHARS:
        reason = reason[: _REASON_CHARS - 1].rstrip() + "…"
    return reason


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's repair notes (logging and warnings) while reading one file."""
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"pypdf(\.|$)")
            yield
    finally:
        logger.setLevel(previous)
