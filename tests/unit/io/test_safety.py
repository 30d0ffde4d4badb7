"""Shared guards: file checks, zip bombs, hostile XML."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from ketqual.core.model import ImportRefused
from ketqual.io.readers.docx import read_docx
from ketqual.io.safety import (
    MAX_FILE_BYTES,
    check_file,
    check_zip,
    describe_content,
    parse_xml,
    read_bytes_capped,
)

MIB = 1024 * 1024
BOMB_REASON = "the file looks like a zip bomb (expands to more than 200 MB)"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


# --- building archives byte by byte ----------------------------------------


def deflated_zeros(mib: int) -> bytes:
    """A raw deflate stream of ``mib`` MiB of zeros, built in milliseconds.

    After a full flush the compressor starts afresh, so every flushed 1 MiB
    block is byte-identical and can simply be repeated.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * mib + compressor.flush()


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def zeros_crc(mib: int) -> int:
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(bytes(MIB), crc)
    return crc


def member(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    """An honest deflated member."""
    return name, deflated(data), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]], flags: int = 0) -> Path:
    """Write a zip whose headers say exactly what we like.

    Each member is ``(name, stored bytes, method, crc, claimed uncompressed size)``.
    """
    body = bytearray()
    directory = bytearray()
    for name, payload, method, crc, size in members:
        encoded = name.encode()
        offset = len(body)
        common = (method, 0, 0x21, crc, len(payload), size, len(encoded))
        body += struct.pack("<4sHH" + "HHHIIIH" + "H", b"PK\x03\x04", 20, flags, *common, 0)
        body += encoded + payload
        directory += struct.pack(
            "<4sHHH" + "HHHIIIH" + "HHHHII",
            b"PK\x01\x02",
            20,
            20,
            flags,
            *common,
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
    return path


def docx_like(
    extra: list[tuple[str, bytes, int, int, int]],
) -> list[tuple[str, bytes, int, int, int]]:
    return [
        member("[Content_Types].xml", CONTENT_TYPES),
        member("word/document.xml", b"<w:document/>"),
        *extra,
    ]


# --- zip bombs ---------------------------------------------------------------


def test_plain_zip_passes_and_lists_members(tmp_path: Path) -> None:
    path = tmp_path / "ok.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", "<a>hello</a>")
        archive.writestr("dir/", "")
        archive.writestr("b.bin", os.urandom(5000), compress_type=zipfile.ZIP_STORED)
    assert check_zip(path) == ["a.xml", "dir/", "b.bin"]


def test_zip_bomb_disguised_as_docx(tmp_path: Path) -> None:
    bomb = ("word/media/image1.png", deflated_zeros(500), zipfile.ZIP_DEFLATED, 0, 500 * MIB)
    path = raw_zip(tmp_path / "bomb.docx", docx_like([bomb]))
    assert path.stat().st_size < MIB
    with pytest.raises(ImportRefused) as info:
        read_docx(path)
    assert str(info.value) == BOMB_REASON


def test_zip_bomb_whose_header_lies_about_its_size(tmp_path: Path) -> None:
    # Claims 1 kB; really inflates to 500 MiB.  zipfile would stop at 1 kB and
    # report a checksum error; the guard inflates the raw stream itself.
    bomb = ("word/media/image1.png", deflated_zeros(500), zipfile.ZIP_DEFLATED, 0, 1000)
    path = raw_zip(tmp_path / "liar.docx", docx_like([bomb]))
    with pytest.raises(ImportRefused) as info:
        read_docx(path)
    assert str(info.value) == (
        "the file looks like a zip bomb (a part is larger than it claims to be)"
    )


def test_extreme_compression_ratio(tmp_path: Path) -> None:
    bomb = ("xl/big.xml", deflated_zeros(20), zipfile.ZIP_DEFLATED, zeros_crc(20), 20 * MIB)
    path = raw_zip(tmp_path / "ratio.xlsx", [bomb])
    with pytest.raises(ImportRefused) as info:
        check_zip(path, kind=".xlsx")
    assert str(info.value) == "the file looks like a zip bomb (a part expands more than 100 times)"


def test_total_budget_is_configurable(tmp_path: Path) -> None:
    parts = [
        member(f"part{i}.xml", b"<a>" + os.urandom(300_000).hex().encode() + b"</a>")
        for i in range(3)
    ]
    path = raw_zip(tmp_path / "many.zip", parts)
    check_zip(path)
    with pytest.raises(
        ImportRefused, match=r"^the file looks like a zip bomb \(expands to more than 1 MB\)$"
    ):
        check_zip(path, max_total_uncompressed=MIB)


def test_too_many_members(tmp_path: Path) -> None:
    path = raw_zip(tmp_path / "swarm.zip", [member(f"{i}.txt", b"x") for i in range(6)])
    with pytest.raises(ImportRefused) as info:
        check_zip(path, max_members=5)
    assert str(info.value) == "the file looks like a zip bomb (it contains more than 5 parts)"


def test_directory_larger_than_its_claimed_count(tmp_path: Path) -> None:
    # The end record says 1 entry; zipfile would still build all 40.
    path = raw_zip(tmp_path / "hidden.zip", [member(f"{i}.txt", b"x") for i in range(40)])
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 1, 1)
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match=r"\(it contains more than 5 parts\)$"):
        check_zip(path, max_members=5)


def test_zip64_directory_is_measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 0)  # force ZIP64 end records
    path = tmp_path / "z64.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(40):
            archive.writestr(f"{i}.txt", "x")
    assert b"PK\x06\x06" in path.read_bytes()
    assert len(check_zip(path)) == 40
    with pytest.raises(ImportRefused, match=r"\(it contains more than 5 parts\)$"):
        check_zip(path, max_members=5)


def test_corrupt_member_fails_its_checksum(tmp_path: Path) -> None:
    name, payload, method, crc, size = member("word/document.xml", b"<w:document>x</w:document>")
    path = raw_zip(tmp_path / "crc.docx", [(name, payload, method, crc ^ 1, size)])
    with pytest.raises(ImportRefused) as info:
        check_zip(path, kind=".docx")
    assert str(info.value) == "the .docx file is damaged (a part is incomplete or corrupt)"


def test_encrypted_member(tmp_path: Path) -> None:
    path = raw_zip(tmp_path / "enc.docx", [member("a.xml", b"<a/>")], flags=0x1)
    with pytest.raises(ImportRefused) as info:
        check_zip(path, kind=".docx")
    assert str(info.value) == "the .docx file has encrypted parts and cannot be read"


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"hello there")
    with pytest.raises(ImportRefused) as info:
        check_zip(path)
    assert (
        str(info.value)
        == "the file is damaged or is not really that kind of file (it cannot be opened as one)"
    )


# --- DTDs inside archives ----------------------------------------------------


def billion_laughs() -> str:
    entities = '<!ENTITY lol0 "lol">'
    for level in range(1, 10):
        references = f"&lol{level - 1};" * 10
        entities += f'<!ENTITY lol{level} "{references}">'
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'


BILLION_LAUGHS = billion_laughs()


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (BILLION_LAUGHS.encode(), "entity declarations"),
        (BILLION_LAUGHS.encode("utf-16"), "entity declarations"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x/>',
            "a document type declaration",
        ),
        (b'<?xml version="1.0" encoding="UTF-7"?><x>+ADw-</x>', "unusual text encoding 'UTF-7'"),
    ],
    ids=["billion-laughs", "utf16-entities", "external-dtd", "utf7"],
)
def test_unsafe_xml_member(tmp_path: Path, xml: bytes, reason: str) -> None:
    path = raw_zip(tmp_path / "evil.docx", docx_like([member("word/styles.xml", xml)]))
    with pytest.raises(ImportRefused) as info:
        check_zip(path, kind=".docx")
    assert str(info.value) == f"the document contains unsafe XML ({reason})"


def test_marker_split_across_chunks_is_found(tmp_path: Path) -> None:
    # The guard inflates in 64 KiB steps; put the marker across a boundary.
    xml = b"<x>" + b" " * (64 * 1024 - 7) + b"<!ENTITY a 'b'></x>"
    path = raw_zip(tmp_path / "split.docx", [member("word/document.xml", xml)])
    with pytest.raises(ImportRefused, match=r"\(entity declarations\)$"):
        check_zip(path)


def test_svg_pictures_may_carry_a_doctype(tmp_path: Path) -> None:
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    path = raw_zip(tmp_path / "pic.docx", docx_like([member("word/media/image1.svg", svg)]))
    assert "word/media/image1.svg" in check_zip(path)


# --- parse_xml ---------------------------------------------------------------


def test_parse_xml_accepts_plain_xml() -> None:
    assert parse_xml(b"<a><b>text</b></a>").find("b").text == "text"


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (BILLION_LAUGHS.encode(), "entity declarations"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "entity declarations",
        ),
        (b"<!DOCTYPE x><x/>", "a document type declaration"),
    ],
)
def test_parse_xml_refuses_dtds(xml: bytes, reason: str) -> None:
    with pytest.raises(ImportRefused) as info:
        parse_xml(xml)
    assert str(info.value) == f"the document contains unsafe XML ({reason})"


def test_parse_xml_malformed() -> None:
    with pytest.raises(ImportRefused, match=r"^the \.odt file is damaged \(.+\)$"):
        parse_xml(b"<a><b></a>", what=".odt")


# --- files -------------------------------------------------------------------


def test_check_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"^the file was not found \(moved or deleted\?\)$"):
        check_file(tmp_path / "gone.txt")


def test_check_file_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="^this is a folder, not a file$"):
        check_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_check_file_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(ImportRefused, match=r"^this is not a regular file"):
        check_file(pipe)


def test_check_file_too_large_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * MIB)  # sparse: costs no disk space
    with pytest.raises(ImportRefused) as info:
        check_file(path)
    assert str(info.value) == "file is too large (200.0 MB; the limit is 50 MB)"
    assert check_file(path, max_bytes=300 * MIB) == 200 * MIB


def test_read_bytes_capped(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 100)
    assert read_bytes_capped(path, max_bytes=100) == b"x" * 100
    with pytest.raises(ImportRefused, match=r"^file is too large \(0\.0 MB; the limit is"):
        read_bytes_capped(path, max_bytes=99)
    assert MAX_FILE_BYTES == 50 * MIB


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-format or password-protected Office file"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b"\x00\x00\x00\x18ftypmp42", "an audio or video file"),
        (b"hello", None),
    ],
)
def test_describe_content(head: bytes, expected: str | None) -> None:
    assert describe_content(head) == expected
