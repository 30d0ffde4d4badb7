"""The reader registry: dispatch, up-front checks and the shared contract."""

from __future__ import annotations

import builtins
import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from fpdf import FPDF

import ketqual.io.readers as readers
from ketqual.core.model import ExtractedText, ImportRefused, Table
from ketqual.io.readers import (
    MAX_FILE_BYTES,
    SUPPORTED_DOCUMENT_EXTENSIONS,
    SUPPORTED_TABLE_EXTENSIONS,
    read_document,
    read_table,
    read_table_detailed,
)

MIB = 1024 * 1024
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    "<office:body><office:text><text:p>From ODT</text:p></office:text></office:body>"
    "</office:document-content>"
)


def make_docx(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_odt(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", ODT_CONTENT)
    return path


def make_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 10, "From PDF")
    pdf.output(str(path))
    return path


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# --- constants ---------------------------------------------------------------


def test_public_constants() -> None:
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
    assert SUPPORTED_DOCUMENT_EXTENSIONS == (
        ".txt",
        ".md",
        ".text",
        ".docx",
        ".odt",
        ".rtf",
        ".pdf",
    )
    assert SUPPORTED_TABLE_EXTENSIONS == (".csv", ".tsv", ".xlsx")


# --- dispatch ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "fmt", "text"),
    [
        ("a.txt", lambda p: p.write_bytes(b"From TXT\r\n"), "txt", "From TXT\n"),
        ("a.TEXT", lambda p: p.write_bytes(b"From TEXT"), "txt", "From TEXT"),
        ("a.md", lambda p: p.write_bytes(b"# From MD"), "md", "# From MD"),
        ("a.DOCX", lambda p: make_docx(p, "From DOCX"), "docx", "From DOCX"),
        ("a.odt", make_odt, "odt", "From ODT"),
        ("a.rtf", lambda p: p.write_bytes(rb"{\rtf1\ansi From RTF\par}"), "rtf", "From RTF\n"),
        ("a.Pdf", make_pdf, "pdf", "From PDF"),
    ],
)
def test_read_document_dispatches_on_extension(
    tmp_path: Path, name: str, build, fmt: str, text: str
) -> None:
    path = tmp_path / name
    build(path)
    result = read_document(path)
    assert isinstance(result, ExtractedText)
    assert (result.format, result.text) == (fmt, text)


def test_read_table_dispatches_on_extension(tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("h1,h2\nv1,v2\n", encoding="utf-8")
    assert read_table(csv_path) == [Table(("h1", "h2"), (("v1", "v2"),))]

    tsv_path = tmp_path / "a.TSV"
    tsv_path.write_text("h1\th2\nv1\tv2\n", encoding="utf-8")
    assert read_table(tsv_path) == [Table(("h1", "h2"), (("v1", "v2"),))]

    xlsx_path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "One"
    workbook.active.append(["h", 1.0])
    workbook.create_sheet("Two").append(["x"])
    workbook.save(xlsx_path)
    assert read_table(xlsx_path) == [
        Table(("h", "1"), (), sheet="One"),
        Table(("x",), (), sheet="Two"),
    ]


def test_read_table_detailed_reports_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes("Naam;Opmerking\nZoë;“prima”\n".encode("cp1252"))
    result = read_table_detailed(path)
    assert result.tables == [Table(("Naam", "Opmerking"), (("Zoë", "“prima”"),))]
    assert result.encoding == "cp1252"
    assert result.warnings == ("encoding detected as Windows-1252",)


# --- refusals before reading -------------------------------------------------


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "slides.xyz"
    path.write_text("x")
    with pytest.raises(ImportRefused) as info:
        read_document(path)
    assert str(info.value) == (
        "unsupported file type '.xyz' (supported: .txt, .md, .text, .docx, .odt, .rtf, .pdf)"
    )


def test_table_file_given_as_document_and_vice_versa(tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("a,b\n")
    with pytest.raises(ImportRefused, match=r"^unsupported file type '\.csv' \(supported: \.txt"):
        read_document(csv_path)
    txt_path = tmp_path / "a.txt"
    txt_path.write_text("a")
    with pytest.raises(
        ImportRefused, match=r"^unsupported file type '\.txt' \(supported: \.csv, \.tsv, \.xlsx\)$"
    ):
        read_table(txt_path)


def test_no_extension(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("x")
    with pytest.raises(ImportRefused, match=r"^the file has no extension, so its type is unknown"):
        read_document(path)


@pytest.mark.parametrize("reader", [read_document, read_table])
def test_vanished_file(tmp_path: Path, reader) -> None:
    with pytest.raises(ImportRefused) as info:
        reader(tmp_path / "moved.docx")
    assert str(info.value) == "the file was not found (moved or deleted?)"


def test_directory_passed_as_file(tmp_path: Path) -> None:
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    with pytest.raises(ImportRefused) as info:
        read_document(folder)
    assert str(info.value) == "this is a folder, not a file"


@pytest.mark.parametrize(
    ("name", "reader"),
    [("big.txt", read_document), ("big.pdf", read_document), ("big.xlsx", read_table)],
)
def test_too_large_file_is_refused_without_being_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, reader
) -> None:
    path = sparse(tmp_path / name, 200 * MIB)

    def no_open(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(builtins, "open", no_open)
    monkeypatch.setattr(io, "open", no_open)
    with pytest.raises(ImportRefused) as info:
        reader(path)
    assert str(info.value) == "file is too large (200.0 MB; the limit is 50 MB)"


def test_file_just_over_the_limit(tmp_path: Path) -> None:
    path = sparse(tmp_path / "edge.txt", MAX_FILE_BYTES + 1)
    with pytest.raises(
        ImportRefused, match=r"^file is too large \(50\.0 MB; the limit is 50 MB\)$"
    ):
        read_document(path)


# --- content refusals through the registry -----------------------------------


def test_png_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "photo.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ImportRefused, match="^this file is a PNG image, not a .docx document$"):
        read_document(path)


def test_zip_bomb_docx(tmp_path: Path) -> None:
    # 300 MiB of zeros, honestly declared, in a few hundred kilobytes: after a
    # full flush every 1 MiB block of zeros deflates to the same bytes.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    zeros = block * 300 + compressor.flush()
    document = b"<w:document/>"
    path = raw_zip(
        tmp_path / "bomb.docx",
        [
            (
                "word/document.xml",
                document,
                zipfile.ZIP_STORED,
                zlib.crc32(document),
                len(document),
            ),
            ("word/media/zeros.bin", zeros, zipfile.ZIP_DEFLATED, 0, 300 * MIB),
        ],
    )
    with pytest.raises(ImportRefused) as info:
        read_document(path)
    assert str(info.value) == "the file looks like a zip bomb (expands to more than 200 MB)"


def raw_zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """Write a zip from ``(name, stored bytes, method, crc, claimed size)`` entries."""
    body, directory = bytearray(), bytearray()
    for name, data, method, crc, claimed in entries:
        encoded, offset = name.encode(), len(body)
        fields = (method, 0, 0x21, crc, len(data), claimed, len(encoded))
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, *fields, 0) + encoded + data
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset
        )
        directory += encoded
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [("blank.txt", b" \n\t\r\n"), ("blank.rtf", rb"{\rtf1\ansi \par\par }")],
)
def test_blank_documents_are_empty(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportRefused, match="^the file is empty$"):
        read_document(path)


def test_empty_docx_is_empty(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "empty.docx", "", "   ")
    with pytest.raises(ImportRefused, match="^the file is empty$"):
        read_document(path)


def test_every_reason_is_one_line(tmp_path: Path) -> None:
    cases = {
        "a.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "b.pdf": b"%PDF-1.4\n" + b"\x00junk" * 50,
        "c.odt": b"PK\x03\x04 broken",
        "d.xlsx": b"PK\x05\x06" + b"\x00" * 18,
        "e.txt": b"\x00\x01\x02\x03" * 20,
        "f.rtf": b"not rtf",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        reader = read_table if name.endswith(".xlsx") else read_document
        with pytest.raises(ImportRefused) as info:
            reader(path)
        reason = str(info.value)
        assert reason and "\n" not in reason and "Traceback" not in reason, (name, reason)


def test_registry_output_is_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def sloppy_reader(path: Path) -> ExtractedText:
        return ExtractedText(text="  a\r\nb  \n\n\n\nc\x00", format="txt")

    monkeypatch.setitem(readers._DOCUMENT_READERS, ".txt", sloppy_reader)
    path = tmp_path / "x.txt"
    path.write_text("ignored")
    assert read_document(path).text == "  a\nb  \n\n\n\nc\ufffd"  # line endings only


def test_unexpected_reader_failure_becomes_a_logged_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_reader(path: Path) -> ExtractedText:
        raise RuntimeError("parser bug")

    monkeypatch.setitem(readers._DOCUMENT_READERS, ".rtf", broken_reader)
    path = tmp_path / "x.rtf"
    path.write_text("ignored")
    with pytest.raises(ImportRefused) as info:
        read_document(path)
    assert str(info.value) == (
        "the .rtf file could not be read (unexpected problem; details are in the log)"
    )
    assert any("parser bug" in (record.exc_text or "") for record in caplog.records)
