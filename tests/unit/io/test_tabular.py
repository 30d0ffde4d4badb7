"""CSV/TSV and .xlsx readers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from ketqual.core.model import ImportRefused, Table
from ketqual.io.readers.tabular import (
    XLSX_DAMAGED_REASON,
    XLSX_PROTECTED_REASON,
    cell_to_text,
    read_csv,
    read_xlsx,
    sniff_delimiter,
)


def write(tmp_path: Path, data: bytes, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- CSV ---------------------------------------------------------------------


def test_semicolon_csv_in_cp1252(tmp_path: Path) -> None:
    data = ("Name;Comment;Score\r\nZoë;“Great”, really – café…;3,5\r\n;;\r\nBob;ok;4,0\r\n").encode(
        "cp1252"
    )
    result = read_csv(write(tmp_path, data))
    assert result.encoding == "cp1252"
    assert result.warnings == ("encoding detected as Windows-1252",)
    assert result.tables == [
        Table(
            headers=("Name", "Comment", "Score"),
            rows=(("Zoë", "“Great”, really – café…", "3,5"), ("Bob", "ok", "4,0")),
            sheet=None,
        )
    ]


def test_comma_csv_with_quotes_newlines_and_ragged_rows(tmp_path: Path) -> None:
    data = b'\n\nid,text\n1,"Hello; world, ""quoted""\r\nsecond line  "\n2,short,extra\n3\n'
    (table,) = read_csv(write(tmp_path, data)).tables
    assert table.headers == ("id", "text", "")
    assert table.rows == (
        ("1", 'Hello; world, "quoted"\nsecond line', ""),
        ("2", "short", "extra"),
        ("3", "", ""),
    )


def test_tsv_always_splits_on_tabs(tmp_path: Path) -> None:
    (table,) = read_csv(write(tmp_path, b"a,b\tc\n1,2\t3\n", "data.tsv")).tables
    assert table.headers == ("a,b", "c")
    assert table.rows == (("1,2", "3"),)


def test_utf8_bom_csv(tmp_path: Path) -> None:
    result = read_csv(write(tmp_path, "\ufeffName,Note\nÉva,ok\n".encode()))
    assert result.tables[0].headers == ("Name", "Note")
    assert result.encoding == "utf-8-sig"


@pytest.mark.parametrize("data", [b"", b" \r\n", b",,,\n,,\r\n"], ids=["empty", "blank", "delims"])
def test_empty_csv(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ImportRefused, match="^the file is empty$"):
        read_csv(write(tmp_path, data))


def test_binary_csv(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="^this looks like a binary file, not text$"):
        read_csv(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"))


def test_huge_cell_is_refused(tmp_path: Path) -> None:
    data = b'a,b\n1,"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(ImportRefused, match=r"^the CSV file has a cell longer than 131,072"):
        read_csv(write(tmp_path, data))


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("name;amount\nx;3,5\ny;4,25\n", ";"),  # decimal commas
        ('text,n\n"semi; colon",1\n"a, b",2\n', ","),  # delimiters inside quotes
        ("one column\nvalue\n", ","),
    ],
)
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


# --- cells -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (3.0, "3"),
        (-2.0, "-2"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (1e20, "1e+20"),
        (7, "7"),
        (Decimal("1.50"), "1.50"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.datetime(2024, 3, 5), "2024-03-05"),
        (dt.datetime(2024, 3, 5, 14, 30), "2024-03-05T14:30:00"),
        (dt.datetime(2024, 3, 5, 14, 29, 59, 999_998), "2024-03-05T14:30:00"),
        (dt.date(2024, 3, 5), "2024-03-05"),
        (dt.time(9, 15), "09:15:00"),
        (dt.timedelta(hours=1, minutes=30), "1:30:00"),
        ("text", "text"),
    ],
)
def test_cell_to_text(value: object, expected: str) -> None:
    assert cell_to_text(value) == expected


# --- xlsx --------------------------------------------------------------------


def build_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Feedback"
    first.append([None, None])
    first.append(["Name", "Score", "Date", "Done", "Note"])
    first.append(["Ann", 3.0, dt.datetime(2024, 3, 5), True, "good\r\n  very  "])
    first.append([None, None, None, None, None])
    first.append(["Bob", 2.5, dt.date(2024, 3, 6), False])
    first["G9"] = None
    workbook.create_sheet("Empty")
    second = workbook.create_sheet("Session 2")
    second["B2"] = "Topic"
    second["B3"] = 42
    workbook.save(path)
    return path


def test_workbook_with_two_sheets(tmp_path: Path) -> None:
    result = read_xlsx(build_workbook(tmp_path / "book.xlsx"))
    assert result.encoding is None
    assert result.tables == [
        Table(
            headers=("Name", "Score", "Date", "Done", "Note"),
            rows=(
                ("Ann", "3", "2024-03-05", "TRUE", "good\n  very"),
                ("Bob", "2.5", "2024-03-06", "FALSE", ""),
            ),
            sheet="Feedback",
        ),
        Table(headers=("", "Topic"), rows=(("", "42"),), sheet="Session 2"),
    ]


def test_wrong_dimensions_do_not_matter(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["h"])
    workbook.active.append(["v"])
    path = tmp_path / "dim.xlsx"
    workbook.save(path)
    # openpyxl's read-only mode would otherwise pad to the claimed A1:XFD1048576.
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<dimension ref="A1:A2"/>', '<dimension ref="A1:XFD1048576"/>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert read_xlsx(path).tables == [Table(headers=("h",), rows=(("v",),), sheet="Sheet")]


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ImportRefused, match=r"^the workbook is empty \(no sheet contains data\)$"):
        read_xlsx(path)


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = build_workbook(tmp_path / "book.xlsx").read_bytes()
    path = write(tmp_path, data[: len(data) // 2], "cut.xlsx")
    with pytest.raises(ImportRefused) as info:
        read_xlsx(path)
    assert str(info.value) == XLSX_DAMAGED_REASON


def test_xlsx_with_missing_workbook_part(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ImportRefused, match=r"^the \.xlsx file is damaged \("):
        read_xlsx(path)


def test_old_or_protected_xlsx(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xlsx")
    with pytest.raises(ImportRefused) as info:
        read_xlsx(path)
    assert str(info.value) == XLSX_PROTECTED_REASON


def test_docx_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "words.xlsx"
    docx.Document().save(str(path))
    with pytest.raises(ImportRefused, match=r"^this file is a Word document \(\.docx\), not an"):
        read_xlsx(path)


def test_jpeg_renamed_xlsx(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.xlsx")
    with pytest.raises(ImportRefused, match="^this file is a JPEG image, not an .xlsx workbook$"):
        read_xlsx(path)
