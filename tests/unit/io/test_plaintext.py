"""Plain-text decoding and the shared text normalisation."""

from __future__ import annotations

import codecs
import random
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.model import ImportRefused
from ketqual.io.readers.normalise import BlockWriter, normalise_text
from ketqual.io.readers.plaintext import (
    BINARY_REASON,
    EMPTY_REASON,
    UNDECODABLE_REASON,
    decode_text,
    read_plaintext,
)

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
SMART = "“Quoted” and ‘single’ – dash… café"


def write(tmp_path: Path, data: bytes, name: str = "notes.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings ---------------------------------------------------------------


def test_utf8_without_bom(tmp_path: Path) -> None:
    result = read_plaintext(write(tmp_path, "Zoë said: ça va — 日本".encode()))
    assert result.text == "Zoë said: ça va — 日本"
    assert result.encoding == "utf-8"
    assert result.warnings == ()
    assert result.format == "txt"


def test_utf8_with_bom_drops_the_mark(tmp_path: Path) -> None:
    result = read_plaintext(write(tmp_path, codecs.BOM_UTF8 + "Zoë".encode()))
    assert result.text == "Zoë"
    assert result.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    result = read_plaintext(write(tmp_path, bom + "Héllo 😀\r\nline two".encode(codec)))
    assert result.text == "Héllo 😀\nline two"
    assert result.encoding == "utf-16"
    assert result.warnings == ()


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE
    result = read_plaintext(write(tmp_path, bom + "Grüße".encode(codec)))
    assert result.text == "Grüße"
    assert result.encoding == "utf-32"


def test_utf16_without_bom_is_recognised_and_reported() -> None:
    decoded = decode_text("Participant 3 said it was fine.".encode("utf-16-le"))
    assert decoded.text == "Participant 3 said it was fine."
    assert decoded.encoding == "utf-16-le"
    assert decoded.warnings == ("encoding detected as UTF-16 (no byte-order mark)",)


def test_cp1252_smart_quotes_are_detected_and_reported(tmp_path: Path) -> None:
    result = read_plaintext(write(tmp_path, SMART.encode("cp1252")))
    assert result.text == SMART
    assert result.encoding == "cp1252"
    assert result.warnings == ("encoding detected as Windows-1252",)


def test_latin1_text_reads_as_cp1252(tmp_path: Path) -> None:
    # charset-normalizer alone calls this Windows-1250 and turns "è" into "č".
    text = "Crème brûlée à la française, naïve über"
    result = read_plaintext(write(tmp_path, text.encode("latin-1")))
    assert result.text == text
    assert result.encoding == "cp1252"
    assert result.warnings == ("encoding detected as Windows-1252",)


def test_single_accented_byte_is_cp1252() -> None:
    assert decode_text("é".encode("cp1252")).text == "é"


def test_non_western_legacy_encoding_is_not_forced_to_cp1252() -> None:
    text = "Привет, как дела? Это тестовый текст на русском языке."
    decoded = decode_text(text.encode("cp1251"))
    assert decoded.text == text
    assert decoded.encoding == "cp1251"
    assert decoded.warnings == ("encoding detected as Windows-1251 (Cyrillic)",)


def test_central_european_text_keeps_its_code_page() -> None:
    text = "Zażółć gęślą jaźń, to jest polski tekst próbny."
    decoded = decode_text(text.encode("cp1250"))
    assert decoded.text == text
    assert decoded.warnings == ("encoding detected as Windows-1250 (Central European)",)


def test_utf8_mark_in_front_of_cp1252_bytes() -> None:
    decoded = decode_text(codecs.BOM_UTF8 + SMART.encode("cp1252"))
    assert decoded.text == SMART
    assert decoded.encoding == "cp1252"


def test_crlf_and_lone_cr_become_lf(tmp_path: Path) -> None:
    result = read_plaintext(write(tmp_path, b"one\r\ntwo\rthree\n"))
    assert result.text == "one\ntwo\nthree\n"


def test_emoji(tmp_path: Path) -> None:
    assert read_plaintext(write(tmp_path, "Great 👍🏽 session 🎉".encode())).text == (
        "Great 👍🏽 session 🎉"
    )


def test_markdown_format_name(tmp_path: Path) -> None:
    assert read_plaintext(write(tmp_path, b"# Title", "notes.md")).format == "md"


# --- refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t \r\n",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE + "  \n ".encode("utf-16-le"),
        "\u3000\u00a0\n".encode(),
    ],
    ids=["empty", "whitespace", "utf8-bom-only", "utf16-blank", "unicode-spaces"],
)
def test_empty_or_blank_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ImportRefused, match=f"^{EMPTY_REASON}$"):
        read_plaintext(write(tmp_path, data))


def test_png_bytes_are_binary(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=f"^{BINARY_REASON}$"):
        read_plaintext(write(tmp_path, PNG_BYTES))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (rb"{\rtf1\ansi Hello\par}", "an RTF document"),
        (codecs.BOM_UTF8 + rb"{\rtf1 Hello}", "an RTF document"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "a PDF document"),
    ],
)
def test_markup_saved_as_txt_is_refused(tmp_path: Path, data: bytes, what: str) -> None:
    with pytest.raises(ImportRefused) as info:
        read_plaintext(write(tmp_path, data))
    assert str(info.value) == f"this file is {what}, not plain text; give it its proper extension"


def test_nul_in_text_is_binary() -> None:
    with pytest.raises(ImportRefused, match=BINARY_REASON):
        decode_text(b"hello\x00world, this is not UTF-16 text at all")


def test_mostly_control_characters_is_binary() -> None:
    with pytest.raises(ImportRefused, match=BINARY_REASON):
        decode_text(bytes(range(1, 32)) * 20 + b"abc")


def test_undecodable_bytes_are_refused() -> None:
    # Random bytes (no NUL) fit no encoding; note that random *high* bytes do
    # fit some single-byte code page, so detection cannot refuse those.
    junk = random.Random(7).randbytes(4000).replace(b"\x00", b"\x80")
    with pytest.raises(ImportRefused, match=f"^{UNDECODABLE_REASON}$"):
        decode_text(junk)


# --- round trip --------------------------------------------------------------

_PRINTABLE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"
    ),
    min_size=1,
).filter(lambda text: text.strip() != "")


@given(_PRINTABLE_TEXT)
def test_any_utf8_text_decodes_unchanged(text: str) -> None:
    decoded = decode_text(text.encode())
    assert decoded.text == text
    assert decoded.encoding == "utf-8"


# --- normalise_text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        ("a\u2028b\u2029c\x0cd\x0be\x85f", "a\nb\nc\nd\ne\nf"),
        # the source's text stays: controls, BOMs, spaces at line ends, blank lines
        ("a\x07c\x1bd\x7fe\ufefff", "a\x07c\x1bd\x7fe\ufefff"),
        ("a\x00b", "a\ufffdb"),  # NUL cannot be stored: replaced one for one
        ("keep\ttabs  \nand trailing\t \n", "keep\ttabs  \nand trailing\t \n"),
        ("one\n\n\n\n\ntwo\n\nthree", "one\n\n\n\n\ntwo\n\nthree"),
        ("  \n\n  indented first\n", "  \n\n  indented first\n"),
        ("\ud83d\ude00 and \ud800 alone", "😀 and \ufffd alone"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@given(st.text())
def test_normalise_text_properties(raw: str) -> None:
    text = normalise_text(raw)
    assert normalise_text(text) == text
    assert "\r" not in text
    assert "\x00" not in text
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    # only CRLF pairs and split surrogate pairs shorten a text
    assert len(text) == len(raw) - raw.count("\r\n") or any(
        "\ud800" <= ch <= "\udfff" for ch in raw
    )


def test_block_writer_layout() -> None:
    writer = BlockWriter()
    writer.paragraph("Heading")
    writer.paragraph("   ")
    writer.list_item("one")
    writer.list_item("two")
    writer.list_continuation("more about two")
    writer.paragraph("Text")
    writer.table_row("a | b")
    writer.table_row("c | d")
    writer.end_group()
    writer.table_row("e | f")
    assert writer.text() == (
        "Heading\n\n- one\n- two\n  more about two\n\nText\n\na | b\nc | d\n\ne | f"
    )


def test_ascii_letters_are_plain_utf8() -> None:
    assert decode_text(string.ascii_letters.encode()).encoding == "utf-8"
