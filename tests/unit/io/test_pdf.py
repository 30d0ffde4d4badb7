"""PDF reader: text layer, scans, encryption and damage."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfWriter

from ketqual.core.model import ImportRefused
from ketqual.io.readers.pdf import NO_TEXT_REASON, PROTECTED_REASON, read_pdf


def text_pdf(path: Path, *pages: str) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 10, text)
    pdf.output(str(path))
    return path


def image_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (40, 20), "navy"), x=10, y=10, w=80)
    pdf.output(str(path))
    return path


def encrypted_copy(source: Path, target: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=str(source))
    # RC4 needs no extra package; AES would need "cryptography".
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    writer.write(str(target))
    return target


def test_pages_joined_by_blank_line(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "a.pdf", "First page.\nSecond line.", "Page two.")
    result = read_pdf(path)
    assert result.format == "pdf"
    assert result.text == "First page.\nSecond line.\n\nPage two."
    assert result.warnings == ()


def test_blank_page_among_text_pages_is_reported(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "a.pdf", "One.", "", "Three.")
    result = read_pdf(path)
    assert result.text == "One.\n\nThree."
    assert result.warnings == ("page 2 of 3 has no text (scanned?)",)


def test_blank_pdf_has_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as info:
        read_pdf(text_pdf(tmp_path / "blank.pdf", ""))
    assert str(info.value) == NO_TEXT_REASON


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as info:
        read_pdf(image_pdf(tmp_path / "scan.pdf"))
    assert str(info.value) == NO_TEXT_REASON


def test_password_protected_pdf(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "a.pdf", "Secret notes.")
    path = encrypted_copy(source, tmp_path / "locked.pdf", user_password="secret")
    with pytest.raises(ImportRefused) as info:
        read_pdf(path)
    assert str(info.value) == PROTECTED_REASON


def test_encrypted_with_empty_user_password_opens(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "a.pdf", "Open notes.")
    path = encrypted_copy(source, tmp_path / "restricted.pdf", user_password="")
    assert read_pdf(path).text == "Open notes."


def test_truncated_pdf_is_damaged(tmp_path: Path) -> None:
    data = text_pdf(tmp_path / "a.pdf", "Some text.").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportRefused, match=r"^the PDF file is damaged: .+$"):
        read_pdf(path)


def test_garbage_after_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 100)
    with pytest.raises(ImportRefused, match=r"^the PDF file is damaged: "):
        read_pdf(path)


def test_png_renamed_pdf(tmp_path: Path) -> None:
    path = tmp_path / "photo.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with pytest.raises(ImportRefused, match="^this file is a PNG image, not a PDF document$"):
        read_pdf(path)


def test_text_without_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("plain words")
    with pytest.raises(ImportRefused, match=r"^this is not a PDF document \(the PDF header"):
        read_pdf(path)


def test_pypdf_noise_is_silenced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = text_pdf(tmp_path / "a.pdf", "Repairable.").read_bytes()
    # Damage the cross-reference offset so pypdf has to repair (and would log).
    broken = data.replace(b"startxref\n", b"startxref\n9").replace(b"%%EOF", b"%%EOF\n")
    path = tmp_path / "repair.pdf"
    path.write_bytes(broken)
    with caplog.at_level(logging.DEBUG):
        result = read_pdf(path)
    assert result.text == "Repairable."
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
    assert logging.getLogger("pypdf").level == logging.NOTSET
