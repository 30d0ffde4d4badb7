"""Agreement exports: every format written and read back; undefined never becomes 0 or 1."""

from __future__ import annotations

import csv
import json
import re

import openpyxl
import pytest

from ketqual.core.agreement import explain
from ketqual.io import agreement_export
from tests.agreement_data import make_result

UNDEFINED_NOTHING = "both coders coded nothing"


@pytest.fixture(scope="module")
def result():
    return make_result()


def test_json_holds_context_report_and_glossary(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["context"]["coder_a"] == "Ann" and data["context"]["software"] == "KetQual 9.9"
    assert data["context"]["documents"][2]["title"] == "Doc <three> & co"
    assert data["report"]["parameters"]["seed"] == 1
    assert data["statistics"]["cohen_kappa"]["benchmark"] == "landis-koch"
    undefined = 0
    for table in data["report"]["tables"]:
        for row in table["rows"]:
            for key, reason in row.items():
                if key.endswith("_reason") and reason is not None:
                    assert row[key.removesuffix("_reason")] is None
                    undefined += 1
    assert undefined > 0


def test_csv_is_one_long_table_with_reasons_instead_of_numbers(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == agreement_export.CSV_COLUMNS
    expected = sum(len(t) * len(t.values) for t in result.report.tables.values())
    assert len(rows) == expected
    for row in rows:
        if row["reason"]:
            assert row["value"] == row["se"] == row["ci_low"] == row["ci_high"] == ""
        else:
            float(row["value"])
    [cost] = [
        r
        for r in rows
        if (r["unit"], r["scope"], r["code"], r["statistic"])
        == ("character", "code", "Cost", "cohen_kappa")
    ]
    assert cost["reason"] == UNDEFINED_NOTHING and cost["document"] == ""
    [overall] = [
        r
        for r in rows
        if (r["unit"], r["scope"], r["statistic"]) == ("sentence", "overall", "cohen_kappa")
    ]
    stat = result.pooled("sentence", "cohen_kappa")
    assert float(overall["value"]) == stat.value
    assert float(overall["ci_low"]) == stat.ci_low and float(overall["ci_high"]) == stat.ci_high
    cell = next(r for r in rows if r["scope"] == "code_document" and r["document"])
    assert cell["document"] in {"Doc one", "Doc two", "Doc <three> & co"}


def test_xlsx_has_summary_unit_matrices_and_parameters(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.xlsx", statistic="gwet_ac1")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Summary",
        "Characters",
        "Sentences",
        "Paragraphs",
        "Documents",
        "Across codes",
        "Parameters",
    ]
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    kappa = next(r for r in summary if r[:2] == ["Characters", "Cohen's kappa"])
    stat = result.pooled("character", "cohen_kappa")
    assert kappa[2] == pytest.approx(stat.value) and kappa[3] == pytest.approx(stat.ci_low)
    assert kappa[6] == explain.band(stat).label and kappa[7] == "Landis & Koch 1977"
    flat = [str(v) for r in summary for v in r if v is not None]
    assert any("Landis, J. R., & Koch" in v for v in flat)
    assert any("Gwet, K. L. (2008)" in v for v in flat)

    sheet = [[c.value for c in row] for row in book["Sentences"].iter_rows()]
    header = next(r for r in sheet if r[0] == "Code")
    assert header[3:] == ["Doc one", "Doc two", "Doc <three> & co"]
    cost = next(r for r in sheet if r[0] == "Cost")
    # Nobody coded Cost: AC1 is defined (agreement on absence), kappa would not be.
    assert cost[1] == pytest.approx(result.per_code("sentence", "gwet_ac1")[2][1].value)
    travel = next(r for r in sheet if r[0] == "Access/Travel")
    matrix = result.matrix("sentence", "gwet_ac1")
    for j, value in enumerate(travel[3:]):
        assert value == pytest.approx(matrix.cell(1, j).value)

    parameters = dict(
        (r[0].value, r[1].value) for r in book["Parameters"].iter_rows() if r[0].value
    )
    assert parameters["Bootstrap seed"] == 1 and parameters["Bootstrap replicates"] == 20
    assert parameters["Software"] == "KetQual 9.9"
    assert parameters["Coded share threshold"] == "any coded character"
    assert "sentence" in parameters["Unit: sentence"]


def test_xlsx_writes_undefined_cells_as_text(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "k.xlsx")
    sheet = openpyxl.load_workbook(path)["Characters"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    cost = next(r for r in rows if r[0] == "Cost")
    assert cost[1] == f"undefined: {UNDEFINED_NOTHING}"
    assert all(v == f"undefined: {UNDEFINED_NOTHING}" for v in cost[3:])
    assert not any(isinstance(v, int | float) for v in cost[1:])


def test_html_explains_and_shows_undefined_with_the_reason(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    for name in ("cohen_kappa", "krippendorff_alpha", "gwet_ac1", "percent_agreement"):
        info = explain.STATISTICS[name]
        assert info.explanation.replace("'", "&#x27;") in page
        if info.citation:
            assert info.citation.replace("&", "&amp;") in page
    assert "Doc &lt;three&gt; &amp; co" in page and "Doc <three>" not in page
    # The per-code table: Cost's kappa is undefined, with its reason, and no number.
    cost_row = re.search(r"<tr><th>Cost</th>(.*?)</tr>", page).group(1)
    assert cost_row.count("undefined") == len(result.units)
    assert UNDEFINED_NOTHING in cost_row
    assert not re.search(r"\d\.\d{3}", cost_row)
    assert "Bootstrap seed</th><td>1<" in page and "KetQual 9.9" in page
    assert "Landis, J. R., &amp; Koch" in page


def test_summary_text_lists_headline_figures_and_undefined_reasons():
    text = agreement_export.summary_text(make_result())
    assert "Inter-coder agreement: Ann and Bob" in text
    assert "Characters" in text and "Documents" in text and "Cohen's kappa" in text
    blank = agreement_export.summary_text(make_result(codings=([], [])))
    kappa = next(line for line in blank.splitlines() if "Cohen's kappa" in line)
    assert "undefined  " in kappa and f"({UNDEFINED_NOTHING})" in kappa
    assert "0.000" not in kappa and "1.000" not in kappa


def test_formats_and_statistics_are_checked(result, tmp_path):
    assert agreement_export.format_for(tmp_path / "x.HTM") == "html"
    assert agreement_export.format_for(tmp_path / "x", "csv") == "csv"
    with pytest.raises(ValueError, match="cannot tell the format"):
        agreement_export.write(result, tmp_path / "x.docx")
    with pytest.raises(ValueError, match="unknown statistic 'kappa'"):
        agreement_export.write(result, tmp_path / "x.html", statistic="kappa")
    with pytest.raises(ValueError, match="not a text format"):
        agreement_export.to_text(result, "xlsx")
    assert agreement_export.to_text(result, "csv").startswith("unit,scope,code")


def test_html_prints_every_section_and_every_heatmap_column(result, tmp_path):
    from ketqual.io import agreement_html

    page = agreement_export.write(result, tmp_path / "p.html").read_text(encoding="utf-8")
    assert "@media print" in page and "size: A4 landscape" in page
    assert "print-color-adjust: exact" in page  # heatmap colours survive printing
    assert "<details>" not in page and page.count("<details open>") >= len(result.units)
    assert "<thead>" in page  # header rows repeat on each printed page
    assert agreement_html._blocks(42) == [range(0, 11), range(11, 22), range(22, 33), range(33, 42)]
    assert agreement_html._blocks(5) == [range(5)]
    assert all(len(b) <= agreement_html.DOCUMENTS_PER_BLOCK for b in agreement_html._blocks(200))


def test_csv_keeps_names_that_look_like_formulas_as_text(tmp_path):
    hostile = make_result()
    hostile.codes[10] = "=cmd|' /C calc'!A0"
    path = agreement_export.write(hostile, tmp_path / "h.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    codes = {r[2] for r in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in codes and "=cmd|' /C calc'!A0" not in codes
    assert any(r[5].startswith("-") or r[5][:1].isdigit() for r in rows[1:] if r[5])
