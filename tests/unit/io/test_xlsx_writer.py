"""The in-house xlsx writer survives any value: read back with openpyxl (and pandas)."""

from __future__ import annotations

import math
import zipfile
from decimal import Decimal
from fractions import Fraction

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketqual.io import xlsx_writer
from ketqual.io.xlsx_writer import Workbook, sheet_name


def _read(path, sheet=None):
    book = openpyxl.load_workbook(path)
    return book, book[sheet] if sheet else book.worksheets[0]


def test_numbers_of_every_kind_are_numbers_and_nan_is_an_error_value(tmp_path):
    wb = Workbook()
    ws = wb.add_sheet("Numbers")
    ws.append(
        [
            np.float64(0.25),
            np.int64(7),
            np.float32(1.5),
            Decimal("2.5"),
            Fraction(1, 4),
            float("nan"),
            float("inf"),
            -math.inf,
            np.nan,
            True,
            np.bool_(False),
            10**20,
        ]
    )
    wb.save(tmp_path / "n.xlsx")
    _book, sheet = _read(tmp_path / "n.xlsx")
    cells = next(sheet.iter_rows())
    assert [c.value for c in cells[:5]] == [0.25, 7, 1.5, 2.5, 0.25]
    assert all(c.data_type == "n" for c in cells[:5])
    assert [(c.value, c.data_type) for c in cells[5:9]] == [
        ("#N/A", "e"),
        ("#NUM!", "e"),
        ("#NUM!", "e"),
        ("#N/A", "e"),
    ]
    assert [c.value for c in cells[9:]] == [True, False, 10**20]


def test_text_is_always_text_even_when_it_looks_like_a_formula(tmp_path):
    texts = ["=1+1", "=cmd|' /C calc'!A0", "+44 20", "-2", "@SUM(A1)", "'quoted", "_x0041_"]
    wb = Workbook()
    wb.add_sheet("T").append(texts)
    wb.save(tmp_path / "t.xlsx")
    _book, sheet = _read(tmp_path / "t.xlsx")
    cells = next(sheet.iter_rows())
    assert all(c.data_type == "s" for c in cells)
    # openpyxl does not undo Excel's _xHHHH_ escape in inline strings; Excel does.
    assert [c.value for c in cells] == [*texts[:-1], "_x005F_x0041_"]
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_lone_surrogates_and_control_characters_never_break_the_file(tmp_path):
    wb = Workbook(title="bad\x01title\ud800", creator="a\x00b")
    ws = wb.add_sheet("S\x01heet")
    ws.append(["a\ud800b", "c\x01d\x7fe\x9f", "tab\tand\nline"], "wrap")
    ws.extend_text([("x\udfffy", "\x0b", "ok")], ("cell", "cell", "cell"))
    wb.save(tmp_path / "s.xlsx")
    book, sheet = _read(tmp_path / "s.xlsx")
    assert book.sheetnames == ["S-heet"]
    assert book.properties.title == "badtitle\ufffd"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("a\ufffdb", "cde", "tab\tand\nline")
    assert rows[1] == ("x\ufffdy", "", "ok")  # nothing printable: an empty text


def test_emoji_count_twice_towards_the_cell_limit(tmp_path):
    wb = Workbook()
    ws = wb.add_sheet("S")
    ws.append(["😀" * 20_000])
    wb.save(tmp_path / "e.xlsx")
    value = _read(tmp_path / "e.xlsx")[1]["A1"].value
    assert xlsx_writer.utf16_length(value) <= xlsx_writer.MAX_CELL_TEXT
    assert value.startswith("😀😀") and "20,000 characters" in value
    assert wb.notes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("History", "History (2)"),
        ("history", "history (2)"),
        ("a[b]c:d*e?f/g\\h", "a-b-c-d-e-f-g-h"),
        ("'", "Sheet"),
        ("x" * 40, "x" * 31),
        ("😀" * 20, "😀" * 15),
        ("=cmd|' /C calc'!A0", "=cmd|' -C calc'!A0"),
    ],
)
def test_sheet_names_follow_excels_rules(name, expected):
    assert sheet_name(name, set()) == expected


def test_duplicate_and_reserved_sheet_names_are_made_unique(tmp_path):
    wb = Workbook()
    names = [wb.add_sheet(n).name for n in ("Data", "DATA", "data", "History", "x" * 40, "x" * 35)]
    assert names == ["Data", "DATA (2)", "data (3)", "History (2)", "x" * 31, "x" * 27 + " (2)"]
    for sheet in wb.sheets:
        sheet.append(["v"])
    wb.save(tmp_path / "d.xlsx")
    assert openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames == names


def test_every_sheet_prints_landscape_fitted_to_width_with_titles(tmp_path):
    wb = Workbook()
    ws = wb.add_sheet("A 'quoted' sheet", freeze=(1, 1), print_titles=(1, 1))
    ws.append(["h1", "h2"], "header")
    ws.append(["a", 1])
    wb.save(tmp_path / "p.xlsx")
    book, sheet = _read(tmp_path / "p.xlsx")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == "B2"
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"
    assert sheet["A1"].font.name == "Calibri" and sheet["A2"].font.name == "Calibri"


def test_styles_made_on_the_fly_carry_fill_font_and_number_format(tmp_path):
    wb = Workbook()
    heat = wb.style("number", fill="#3366cc", colour="ffffff", number="0.000", bold=True)
    assert wb.style("number", fill="#3366cc", colour="ffffff", number="0.000", bold=True) == heat
    turned = wb.style("header", rotate=90)
    ws = wb.add_sheet("S")
    ws.append(["x", 0.5], [turned, heat], height=120)
    wb.save(tmp_path / "s.xlsx")
    _book, sheet = _read(tmp_path / "s.xlsx")
    cell = sheet["B1"]
    assert cell.fill.fgColor.rgb == "FF3366CC" and cell.font.color.rgb == "FFFFFFFF"
    assert cell.number_format == "0.000" and cell.font.b
    assert sheet["A1"].alignment.textRotation == 90
    assert sheet.row_dimensions[1].height == 120
    with pytest.raises(ValueError, match="RRGGBB"):
        wb.style("normal", fill="red")
        wb.save(tmp_path / "bad.xlsx")


def test_too_many_columns_are_refused_with_a_sentence():
    ws = Workbook().add_sheet("S")
    with pytest.raises(ValueError, match="at most 16,384"):
        ws.append([1] * (xlsx_writer.MAX_COLUMNS + 1))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_any_text_is_stored_as_the_same_text(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("h") / "h.xlsx"
    wb = Workbook()
    wb.add_sheet("H").append(texts, "wrap")
    wb.save(path)
    row = next(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True), ())
    # XML reads every line ending as a line feed; openpyxl leaves Excel's escape in place.
    expected = [xlsx_writer.clean_text(t).replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    got = [("" if v is None else v) for v in row] + [""] * (len(texts) - len(row))
    assert [v.replace("_x005F_", "_") for v in got] == expected
