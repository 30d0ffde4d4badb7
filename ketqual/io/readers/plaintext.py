"""Plain-text files (.txt, .md, .text): bytes to text with explicit encoding detection.

The order of evidence is: a byte-order mark, then strict UTF-8 (which almost
never succeeds by accident), then statistical detection with
charset-normalizer.  A detected legacy encoding is always reported to the user
as a warning, never applied silently.  Notes typed on Windows are the common
case of legacy text, and charset-normalizer often names a neighbouring code
page (e.g. Windows-1250) for short Western text, so Windows-1252 is preferred
whenever it reads the bytes at least as cleanly as the detected encoding.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from ketqual.core.model import ExtractedText, ImportRefused
from ketqual.io.readers.normalise import normalise_text
from ketqual.io.safety import describe_content, read_bytes_capped

BINARY_REASON = "this looks like a binary file, not text"
EMPTY_REASON = "the file is empty"
UNDECODABLE_REASON = "cannot tell the text encoding; save it as UTF-8 and try again"

# Longest BOMs first: the UTF-32 LE mark begins with the UTF-16 LE mark.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_FRIENDLY_NAMES = {
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1252": "Windows-1252",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1258": "Windows-1258 (Vietnamese)",
    "cp932": "Shift-JIS (Japanese)",
    "shift_jis": "Shift-JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "gb2312": "GB2312 (Simplified Chinese)",
    "gbk": "GBK (Simplified Chinese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "cp949": "Windows-949 (Korean)",
    "euc_kr": "EUC-KR (Korean)",
    "koi8-r": "KOI8-R (Cyrillic)",
    "mac-roman": "Mac Roman",
    "iso8859-1": "Latin-1",
    "latin-1": "Latin-1",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}

# How much cleaner (in charset-normalizer's "mess" measure) another code page
# must read before it wins over Windows-1252.
_CP1252_TOLERANCE = 0.05
# Upper bound on mess for accepting Windows-1252 when detection finds nothing.
_CP1252_FALLBACK_MESS = 0.2
# Share of control characters above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.10
_SNIFF_BYTES = 64 * 1024
_MARKUP_SIGNATURES = (b"{\\rtf", b"%PDF-")


class DecodedText(NamedTuple):
    """Text decoded from bytes, with the encoding used and remarks for the user."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_text(data: bytes) -> DecodedText:
    """Decode the bytes of a text file, detecting the encoding.

    Args:
        data: The whole file content.

    Returns:
        The decoded (not yet normalised) text, the Python codec name used and any
        warnings (a legacy or guessed encoding is always mentioned).

    Raises:
        ImportRefused: The data is empty or blank, binary, or in no recognisable encoding.
    """
    if not data.strip():
        raise ImportRefused(EMPTY_REASON)
    decoded = _decode_with_bom(data) or _decode_without_bom(data)
    if not decoded.text.strip():
        raise ImportRefused(EMPTY_REASON)
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise ImportRefused(BINARY_REASON)
    return decoded


def read_plaintext(path: Path) -> ExtractedText:
    """Read a plain-text file.

    Args:
        path: A .txt, .md or .text file.

    Returns:
        The text with line endings normalised (nothing else changed); ``format`` is ``"md"`` for Markdown, else ``"txt"``.

    Raises:
        ImportRefused: See :func:`decode_text`; also when the file cannot be read.
    """
    data = read_bytes_capped(path)
    # RTF and PDF files decode as text but are markup; importing their codes
    # verbatim would be worse than refusing.
    head = data[:16].removeprefix(codecs.BOM_UTF8)
    if head.startswith(_MARKUP_SIGNATURES):
        what = describe_content(head)
        raise ImportRefused(f"this file is {what}, not plain text; give it its proper extension")
    decoded = decode_text(data)
    text = normalise_text(decoded.text)
    if not text.strip():
        raise ImportRefused(EMPTY_REASON)
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return ExtractedText(
        text=text, format=fmt, encoding=decoded.encoding, warnings=decoded.warnings
    )


def _decode_with_bom(data: bytes) -> DecodedText | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(codec), codec)
            except UnicodeDecodeError:
                if codec == "utf-8-sig":
                    # A UTF-8 mark in front of legacy bytes happens when an editor
                    # prepends it blindly; let detection have a go at the rest.
                    return None
                if codec == "utf-16":
                    raise ImportRefused(UNDECODABLE_REASON) from None
                # Not UTF-32 after all: FF FE 00 00 may be UTF-16 starting with NUL.
    return None


def _decode_without_bom(data: bytes) -> DecodedText:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        utf16 = _decode_bomless_utf16(data)
        if utf16 is None:
            raise ImportRefused(BINARY_REASON)
        return utf16
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _decode_bomless_utf16(data: bytes) -> DecodedText | None:
    """Recognise UTF-16 without a byte-order mark by its unmistakable NUL pattern.

    Text in Latin script stored as UTF-16 has a NUL in every other byte, always
    on the same side; binary files have NULs scattered anywhere.
    """
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    pairs = len(sample) // 2
    # A few NULs on the "wrong" side are code points such as U+0100 or U+4E00.
    if odd_nuls >= 0.3 * pairs and even_nuls <= 0.05 * odd_nuls:
        codec = "utf-16-le"
    elif even_nuls >= 0.3 * pairs and odd_nuls <= 0.05 * even_nuls:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return DecodedText(
        text, codec, (f"encoding detected as {_friendly(codec)} (no byte-order mark)",)
    )


def _decode_legacy(data: bytes) -> DecodedText:
    best = from_bytes(data).best()
    cp1252 = _try_cp1252(data)
    if cp1252 is not None:
        cp1252_mess = mess_ratio(cp1252[:_SNIFF_BYTES], 1.0)
        best_mess = best.chaos if best is not None else _CP1252_FALLBACK_MESS
        if cp1252_mess <= best_mess + _CP1252_TOLERANCE:
            return DecodedText(cp1252, "cp1252", (_detected("cp1252"),))
    if best is None:
        raise ImportRefused(UNDECODABLE_REASON)
    codec = codecs.lookup(best.encoding).name
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise ImportRefused(UNDECODABLE_REASON) from None
    return DecodedText(text, codec, (_detected(codec),))


def _try_cp1252(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _friendly(codec: str) -> str:
    return _FRIENDLY_NAMES.get(codec, codec.upper())


def _detected(codec: str) -> str:
    return f"encoding detected as {_friendly(codec)}"


def _control_share(text: str) -> float:
    sample = text[:_SNIFF_BYTES]
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f")
    return controls / len(sample)
