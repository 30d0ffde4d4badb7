"""RTF reader."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ketqual.core.model import ImportRefused
from ketqual.io.readers.rtf import read_rtf

HEADER = rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helvetica;}}"


def write(tmp_path: Path, data: bytes, name: str = "notes.rtf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_paragraphs_escapes_and_unicode(tmp_path: Path) -> None:
    body = (
        rb"\f0\fs24 Caf\'e9 \ldblquote notes\rdblquote\par "
        rb"Second\tab line\line broken\par\par\par\par "
        rb"Emoji \u-10179?\u-8704? and \u8364? euro\par}"
    )
    result = read_rtf(write(tmp_path, HEADER + body))
    assert result.format == "rtf"
    assert result.encoding == "cp1252"
    assert result.warnings == ()
    # every \\par is a line break of the text, blank lines and the last one included
    assert result.text == "Café “notes”\nSecond\tline\nbroken\n\n\n\nEmoji 😀 and € euro\n"


def test_code_page_from_header(tmp_path: Path) -> None:
    data = rb"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2\par}"
    result = read_rtf(write(tmp_path, data))
    assert result.text == "Привет\n"
    assert result.encoding == "cp1251"


def test_leading_bom_and_blank_lines_are_tolerated(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + b"\r\n" + rb"{\rtf1\ansi Hello\par}"
    assert read_rtf(write(tmp_path, data)).text == "Hello\n"


def test_text_that_is_not_rtf(tmp_path: Path) -> None:
    with pytest.raises(
        ImportRefused, match=r"^this is not an RTF document \(it does not start with \{\\rtf\)$"
    ):
        read_rtf(write(tmp_path, b"Just typed notes, saved with the wrong name."))


def test_png_renamed_rtf(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="^this file is a PNG image, not an RTF document$"):
        read_rtf(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


def test_undecodable_escape_is_replaced_and_reported(tmp_path: Path) -> None:
    # 0x81 is unassigned in Windows-1252.
    result = read_rtf(write(tmp_path, rb"{\rtf1\ansi odd \'81 byte\par}"))
    assert result.text == "odd \ufffd byte\n"
    assert result.warnings == ("some characters could not be decoded and were replaced by \ufffd",)
