"""Word .docx reader: reading order, lists, tables and refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml

from ketqual.core.model import ImportRefused
from ketqual.io.readers.docx import DAMAGED_ZIP_REASON, PROTECTED_REASON, read_docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def build_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Session 1 notes", level=1)
    document.add_paragraph("The group met at ten.  ")
    document.add_paragraph("Too noisy", style="List Bullet")
    document.add_paragraph("Not enough time", style="List Bullet")
    document.add_paragraph("First step", style="List Number")
    document.add_paragraph("Between the list and the table.")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate([("Who", "Said", "Score"), ("P1", "Fine", "3"), ("", "", "")]):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    table.cell(1, 1).add_paragraph("and more")
    inner = table.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "n1"
    inner.cell(0, 1).text = "n2"
    document.add_paragraph("After the table.")
    document.save(str(path))
    return path


def test_reading_order_lists_and_tables(tmp_path: Path) -> None:
    result = read_docx(build_docx(tmp_path / "notes.docx"))
    assert result.format == "docx"
    assert result.encoding is None
    assert result.text == (
        "Session 1 notes\n"
        "\n"
        "The group met at ten.  \n"  # the source's trailing spaces are its text
        "\n"
        "- Too noisy\n"
        "- Not enough time\n"
        "- First step\n"
        "\n"
        "Between the list and the table.\n"
        "\n"
        "Who | Said | Score\n"
        "P1 | Fine and more | 3 n1 | n2\n"
        "\n"
        "After the table."
    )


def test_direct_numbering_tabs_breaks_revisions_and_content_controls(tmp_path: Path) -> None:
    document = docx.Document()
    body = document.element.body
    sect = body[-1]
    for xml in (
        # Direct numbering on a normal paragraph; numId 0 switches it off.
        f'<w:p {W_NS}><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
        "</w:pPr><w:r><w:t>nested item</w:t></w:r></w:p>",
        f'<w:p {W_NS}><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:numId w:val="0"/>'
        "</w:numPr></w:pPr><w:r><w:t>not an item</w:t></w:r></w:p>",
        # Tab, line break, tracked insertion kept; tracked deletion and field code dropped.
        f"<w:p {W_NS}><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>"
        '<w:ins><w:r><w:t xml:space="preserve"> inserted</w:t></w:r></w:ins>'
        "<w:del><w:r><w:delText> deleted</w:delText></w:r></w:del>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r></w:p>",
        # A block-level content control wrapping a paragraph.
        f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>inside control</w:t></w:r>"
        "</w:p></w:sdtContent></w:sdt>",
    ):
        sect.addprevious(parse_xml(xml))
    path = tmp_path / "x.docx"
    document.save(str(path))
    assert read_docx(path).text == (
        "- nested item\n\nnot an item\n\na\tb\nc inserted\n\ninside control"
    )


def test_numbered_heading_is_not_a_list_item(tmp_path: Path) -> None:
    document = docx.Document()
    heading = document.add_heading("1 Results", level=1)
    heading._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    heading._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="0"/>'))
    path = tmp_path / "h.docx"
    document.save(str(path))
    assert read_docx(path).text == "1 Results"


def test_png_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "photo.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(ImportRefused, match="^this file is a PNG image, not a .docx document$"):
        read_docx(path)


def test_ole_file_is_protected_or_old_doc(tmp_path: Path) -> None:
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(ImportRefused) as info:
        read_docx(path)
    assert str(info.value) == PROTECTED_REASON


def test_truncated_docx_is_damaged(tmp_path: Path) -> None:
    data = build_docx(tmp_path / "full.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportRefused) as info:
        read_docx(path)
    assert str(info.value) == DAMAGED_ZIP_REASON


def test_unknown_bytes_are_damaged(tmp_path: Path) -> None:
    path = tmp_path / "odd.docx"
    path.write_bytes(b"just some words, not a zip")
    with pytest.raises(ImportRefused) as info:
        read_docx(path)
    assert str(info.value) == DAMAGED_ZIP_REASON


def test_corrupted_member_is_damaged(tmp_path: Path) -> None:
    data = bytearray(build_docx(tmp_path / "full.docx").read_bytes())
    # Flip bytes in the middle of the first member's compressed data.
    data[200:210] = bytes(b ^ 0xFF for b in data[200:210])
    path = tmp_path / "flipped.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match=r"^the \.docx file is damaged \("):
        read_docx(path)


def test_xlsx_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ImportRefused, match=r"^this file is an Excel workbook \(\.xlsx\), not"):
        read_docx(path)


def test_zip_that_is_no_word_package(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportRefused, match=r"^the \.docx file is damaged \("):
        read_docx(path)


def test_billion_laughs_in_document_xml(tmp_path: Path) -> None:
    source = build_docx(tmp_path / "ok.docx")
    entities = ""
    for level in range(1, 10):
        references = f"&lol{level - 1};" * 10
        entities += f'<!ENTITY lol{level} "{references}">'
    evil = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">'
        + entities
        + f"]><w:document {W_NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    path = tmp_path / "laughs.docx"
    _replace_member(source, path, "word/document.xml", evil.encode())
    with pytest.raises(ImportRefused) as info:
        read_docx(path)
    assert str(info.value) == "the document contains unsafe XML (entity declarations)"


def _replace_member(source: Path, target: Path, name: str, data: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info))
    target.write_bytes(buffer.getvalue())
