"""Matrices written to xlsx, docx and CSV, and read back with openpyxl and python-docx."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import RGBColor

from ketqual.io import atomic, matrix_csv, matrix_export, matrix_xlsx, xlsx_writer
from tests.unit.core.framework_data import CODES, code, coding, report_for, summary

THEMES = ["Monitoring", "Cost"]
CODINGS = [
    coding(10, 11, 0, 57),
    coding(10, 1, 58, 106),
    coding(12, 12, 107, 161),
    coding(15, 2, 2, 30),
]
SUMMARIES = [
    summary(4, 11, "Relief within hours [S1G3-N-0-57]; a carer doubts it lasts."),
    summary(6, 12, "", "nothing_substantive"),
    summary(5, 11, "", "not_discussed"),
]


@pytest.fixture(scope="module")
def report():
    return report_for(CODINGS, SUMMARIES)


@pytest.fixture(scope="module")
def workbook(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "matrices.xlsx"
    matrix_export.write(report, path, "xlsx")
    return openpyxl.load_workbook(path)


def test_workbook_sheets_in_order(workbook):
    assert workbook.sheetnames == ["README", "Codebook", *THEMES, "Quotes", "Counts"]
    assert all(not ws.merged_cells.ranges for ws in workbook.worksheets)


def test_theme_sheet_layout(workbook):
    ws = workbook["Monitoring"]
    assert ws.freeze_panes == "B3"  # caption and header rows, focus-group column
    assert ws["A1"].value.startswith("Framework matrix: Monitoring (n = 3 coded passages")
    header = [c.value for c in ws[2]]
    assert header == [
        "Focus group",
        "Session",
        "Group",
        "Sources",
        "National system",
        "Safety review",
        "Other (theme-level)",
    ]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert list(rows) == ["S1 G1", "S1 G3", "S2 G1", "G4", "No case"]
    assert rows["S1 G3"][1:4] == (1, 3, "scribe notes by scribe 3; feedback sheets")
    assert rows["S1 G3"][5] == "Relief within hours [S1G3-N-0-57]; a carer doubts it lasts."
    assert rows["S1 G3"][6] == "Not summarised yet: S1G3-N-58-106"
    assert rows["S1 G1"][4] == "Discussed, nothing substantive"
    assert rows["S2 G1"][5] == "Not discussed"
    assert rows["G4"][4] == "–"
    assert ws["F4"].alignment.wrap_text and ws["F4"].alignment.vertical == "top"
    assert ws["F4"].font.i is not True and ws["G4"].font.i is True  # states are muted
    assert ws.column_dimensions["E"].width == pytest.approx(38)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2" and ws.print_title_cols == "$A:$A"
    assert workbook["Cost"]["E2"].value == "Whole theme"


def test_readme_sheet_states_the_facts(workbook):
    ws = workbook["README"]
    facts: dict = {}
    for label, text in ws.iter_rows(values_only=True):
        facts.setdefault(label, text)  # "Codebook" is a fact and, further down, a sheet
    assert ws["A1"].value == "Framework matrices: Study"
    assert facts["Project"] == "Study"
    assert facts["Codebook"] == "version 7 of 2025-03-01"
    assert facts["Charted from"] == "the consensus coding"
    assert facts["Exported"] == "2025-03-04 05:06 UTC by Sam"
    assert "key is never exported" in facts["Pseudonymisation"]
    assert "Not discussed" in facts and "Discussed, nothing substantive" in facts
    assert "[S1G2-N-412-530]" in facts and "Monitoring" in facts and "Quotes" in facts


def test_quotes_codebook_and_counts_sheets(workbook):
    quotes = list(workbook["Quotes"].iter_rows(values_only=True))
    assert quotes[0] == (
        "Reference",
        "Focus group",
        "Document",
        "Location",
        "Text",
        "Codes",
        "Cited in",
    )
    refs = {r[0]: r for r in quotes[1:]}
    assert list(refs) == ["S1G1-N-107-161", "S1G3-N-0-57", "S1G3-N-58-106", "D15-N-2-30"]
    assert refs["S1G3-N-0-57"][5:] == (
        "Monitoring/Safety review",
        "S1 G3: Monitoring/Safety review",
    )
    assert refs["S1G3-N-0-57"][3] == "line 1, characters 0–57"
    assert workbook["Quotes"].freeze_panes == "B2"
    codebook = list(workbook["Codebook"].iter_rows(values_only=True))
    assert codebook[1][:2] == ("Monitoring", None) and codebook[2][:2] == (
        "Monitoring",
        "National system",
    )
    assert codebook[-1][-1] == "retired"
    counts = list(workbook["Counts"].iter_rows(values_only=True))
    assert counts[0][4:] == ("Documents (of 7)", "Focus groups (of 4)")
    assert counts[1] == ("Monitoring", None, 3, 1, 2, 2)
    assert any(r[0] and str(r[0]).startswith("Unit: coded passages") for r in counts)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Monitoring", "Monitoring"),
        ("Cost: who pays? [NHS/private]", "Cost- who pays- -NHS-private-"),
        ("A" * 40, "A" * 31),
        ("'quoted'", "quoted"),
        ("History", "History (2)"),
        ("README", "README (2)"),
        ("", "Theme"),
    ],
)
def test_sheet_names_stay_within_excels_rules(name, expected):
    taken = {n.casefold() for n in matrix_xlsx.FIXED_SHEETS}
    assert matrix_xlsx.sheet_name(name, taken) == expected


def test_clashing_long_theme_names_get_distinct_sheets(tmp_path):
    long = "Effects on daily life and work, family and caring"
    codes = [code(1, None, long + " (a)", 1), code(2, None, long + " (b)", 2), *CODES[4:5]]
    report = report_for([coding(10, 1, 0, 5)], codes=codes)
    path = tmp_path / "long.xlsx"
    matrix_export.write(report, path, "xlsx")
    names = openpyxl.load_workbook(path).sheetnames[2:4]
    assert names == [long[:31], long[:27] + " (2)"]
    assert all(len(n) <= 31 for n in names)


def test_text_xml_cannot_hold_is_dropped_and_long_text_is_cut(tmp_path):
    wb = xlsx_writer.Workbook("t")
    ws = wb.add_sheet("S", widths={0: 20})
    ws.append(["bell\x07 & <tag> “quote”", "x" * 40_000, 3, 2.5, None, True])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    row = next(openpyxl.load_workbook(path)["S"].iter_rows(values_only=True))
    assert row[0] == "bell & <tag> “quote”"
    assert len(row[1]) == xlsx_writer.MAX_CELL_TEXT and row[1].endswith("cell holds 32,767]")
    assert row[2:] == (3, 2.5, None, True)
    assert wb.notes == [
        "cell B1 of the sheet 'S' was cut to 32,767 characters (the most a spreadsheet cell holds)"
    ]
    assert xlsx_writer.column_letter(0) == "A" and xlsx_writer.column_letter(27) == "AB"
    with pytest.raises(ValueError, match="at least one sheet"):
        xlsx_writer.Workbook().save(tmp_path / "empty.xlsx")


def test_rows_of_wrapped_text_get_room_for_their_lines(tmp_path):
    wb = xlsx_writer.Workbook()
    ws = wb.add_sheet("S", widths={0: 10})
    ws.append(["short"], "wrap")
    ws.append(["word " * 40], "wrap")
    ws.append(["one\ntwo\nthree"], "wrap")
    wb.save(tmp_path / "h.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx")["S"]
    assert sheet.row_dimensions[1].height is None
    assert sheet.row_dimensions[2].height >= 15 * 14  # 200 characters, 12 to a line
    assert sheet.row_dimensions[3].height == pytest.approx(3 * 14 + 4)


def test_docx_has_a_landscape_table_per_theme_with_repeated_headers(report, tmp_path):
    path = matrix_export.write(report, tmp_path / "matrices.docx", "docx")
    document = Document(str(path))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Legend", *THEMES, "Passages cited in the summaries"]
    tables = document.tables
    assert len(tables) == 2 + len(THEMES) + 1  # facts, legend, themes, cited passages
    facts = {t.cell(i, 0).text: t.cell(i, 1).text for t in tables[:1] for i in range(len(t.rows))}
    assert facts["Project"] == "Study" and "never exported" in facts["Pseudonymisation"]
    monitoring = tables[2]
    assert [c.text for c in monitoring.rows[0].cells] == [
        "Focus group",
        "National system",
        "Safety review",
        "Other (theme-level)",
    ]
    assert monitoring.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    first_cells = [r.cells[0].text for r in monitoring.rows[1:]]
    assert first_cells[1] == "S1 G3\nscribe notes by scribe 3; feedback sheets"
    assert monitoring.rows[2].cells[2].text.startswith("Relief within hours")
    summary = monitoring.rows[2].cells[2].paragraphs[0]
    assert summary.style.font.size.pt == 8.5 and not summary.style.font.italic
    state = monitoring.rows[1].cells[1].paragraphs[0]  # "Discussed, nothing substantive"
    assert state.style.font.italic and state.style.font.color.rgb == RGBColor(0x59, 0x59, 0x59)
    cited = tables[-1]
    assert [r.cells[0].text for r in cited.rows[1:]] == ["S1G3-N-0-57"]
    captions = [p.text for p in document.paragraphs if p.text.startswith("Table ")]
    assert captions[0].startswith("Table 1. Framework matrix: Monitoring (n = 3")


def test_csv_folder_holds_a_file_per_theme_quotes_counts_and_readme(report, tmp_path):
    folder = tmp_path / "out"
    matrix_export.write(report, folder, "csv")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["01 Monitoring.csv", "02 Cost.csv", "README.txt", "counts.csv", "quotes.csv"]
    raw = (folder / "01 Monitoring.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Focus group", "Session", "Group", "Sources"]
    assert rows[2][0] == "S1 G3" and rows[2][5].startswith("Relief within hours")
    assert rows[-1][:3] == ["No case", "", ""]
    counts = list(csv.DictReader(io.StringIO((folder / "counts.csv").read_text("utf-8-sig"))))
    assert counts[0]["theme"] == "Monitoring" and counts[0]["passages"] == "3"
    assert counts[1]["theme_level_passages"] == ""
    readme = (folder / "README.txt").read_text("utf-8-sig")
    assert "Charted from: the consensus coding" in readme and "02 Cost.csv" in readme
    assert matrix_csv.file_stem('a/b: "c"?. ') == "a-b- -c--"


def test_format_from_the_path():
    assert matrix_export.format_for(Path("m.XLSX")) == "xlsx"
    assert matrix_export.format_for(Path("m.docx")) == "docx"
    assert matrix_export.format_for(Path("folder")) == "csv"
    assert matrix_export.format_for(Path("m.pdf"), "csv") == "csv"
    with pytest.raises(ValueError, match="cannot tell the format of 'm.pdf'"):
        matrix_export.format_for(Path("m.pdf"))
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        matrix_export.format_for(Path("m.xlsx"), "odt")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, report):
    target = tmp_path / "m.xlsx"
    target.write_bytes(b"previous export")

    def broken(_report, path):
        Path(path).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matrix_xlsx, "write_xlsx", broken)
    with pytest.raises(OSError, match="No space"):
        matrix_export.write(report, target, "xlsx")
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["m.xlsx"]


def test_atomic_files_get_ordinary_permissions(tmp_path):
    path = atomic.write_atomically(tmp_path / "x.txt", lambda p: p.write_text("ok"))
    assert path.read_text() == "ok"
    assert path.stat().st_mode & 0o777 == 0o666 & ~atomic._UMASK
