"""Agreement exports: every format written and read back; undefined never becomes 0 or 1."""

from __future__ import annotations

import csv
import json
import re

import openpyxl
import pytest

from ketqual.core.agreement import explain
from ketqual.io import agreement_export, agreement_read
from tests.agreement_data import make_result

UNDEFINED_NOTHING = "both coders coded nothing"


@pytest.fixture(scope="module")
def result():
    return make_result()


def test_json_holds_context_report_and_glossary(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "ketqual-agreement" and data["format_version"] == 2
    assert data["context"]["coder_a"] == "Ann" and data["context"]["software"] == "KetQual 9.9"
    assert data["context"]["documents"][2]["title"] == "Doc <three> & co"
    assert data["report"]["parameters"]["seed"] == 1
    assert data["statistics"]["cohen_kappa"]["benchmark"] == "landis-koch"
    reasons = data["report"]["reasons"]
    assert reasons["3"] == UNDEFINED_NOTHING
    undefined = 0
    for table in data["report"]["tables"]:
        columns = table["columns"]
        assert columns[: len(table["key_names"])] == table["key_names"]
        for values in table["rows"]:
            assert len(values) == len(columns)
            row = dict(zip(columns, values, strict=True))
            for key, reason in row.items():
                if key.endswith("_reason") and reason is not None:
                    assert row[key.removesuffix("_reason")] is None
                    assert str(reason) in reasons  # a number, whose text is in reasons
                    undefined += 1
    assert undefined > 0


def test_json_is_compact_and_reads_back_as_the_row_per_object_layout(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.json")
    text = path.read_text(encoding="utf-8")
    assert "\n " not in text and '": ' not in text  # no indentation, no spaces
    # One line per table, so the file can be looked at with head and grep.
    assert len(text.splitlines()) == 13 + len(result.report.tables) + len(result.report.segments)
    expected = json.loads(json.dumps(result.to_dict(), default=str))
    expected["statistics"] = agreement_export.glossary(result.all_statistics())
    expected["units"] = {u: explain.UNIT_EXPLANATIONS[u] for u in result.units}
    assert agreement_read.load_json(path) == expected
    assert agreement_export.to_text(result, "json") == text


def _old_long_rows(result) -> list[list[str]]:
    """The CSV of KetQual 0.1.0 (one row per statistic), made here from the arrays."""
    old = []
    for (unit, scope), table in result.report.tables.items():
        labels = []
        for key in table.keys:
            fields = dict(zip(table.key_names, key, strict=True))
            code = fields.get("code_id", fields.get("theme_id"))
            doc = fields.get("document_id")
            labels.append(
                (
                    "" if code is None else result.code_label(code),
                    "" if doc is None else result.document_label(doc),
                )
            )
        for name in explain.ordered(table.values):
            for i, (code, doc) in enumerate(labels):
                stat = table.statistic(i, name)
                if stat.value is None:
                    old.append([unit, scope, code, doc, name, "", "", "", "", stat.reason])
                    continue
                boot = table.bootstrap.get(name)
                ci = ["", "", ""]
                if boot is not None and boot.ci_low[i] == boot.ci_low[i]:
                    parts = (boot.se[i], boot.ci_low[i], boot.ci_high[i])
                    ci = [repr(float(x)) if x == x else "" for x in parts]
                old.append([unit, scope, code, doc, name, repr(stat.value), *ci, ""])
    return old


def test_csv_is_one_row_per_cell_and_reads_back_as_the_long_table(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        wide = list(reader)
    assert reader.fieldnames[:9] == [
        "unit",
        "scope",
        "code",
        "document",
        "percent_agreement",
        "percent_agreement_se",
        "percent_agreement_ci_low",
        "percent_agreement_ci_high",
        "percent_agreement_reason",
    ]
    assert len(wide) == sum(len(t) for t in result.report.tables.values())
    # alpha_u is computed for characters only: its columns stay empty elsewhere.
    others = [r for r in wide if r["unit"] != "character"]
    assert others and all(not r["alpha_u"] and not r["alpha_u_reason"] for r in others)
    assert all(r["alpha_u"] or r["alpha_u_reason"] for r in wide if r["unit"] == "character")
    rows = agreement_read.load_csv_long(path)
    assert list(rows[0]) == list(agreement_export.CSV_COLUMNS)
    assert [list(r.values()) for r in rows] == _old_long_rows(result)


def test_csv_read_back_has_reasons_instead_of_numbers(result, tmp_path):
    path = agreement_export.write(result, tmp_path / "a.csv")
    rows = agreement_read.load_csv_long(path)
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
    assert agreement_export.to_text(result, "csv").startswith("unit,scope,code,document,")


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


def test_orjson_tables_read_back_as_the_standard_library_wrote_them(result, monkeypatch):
    fast = agreement_export.to_json(result)
    # The writer before orjson: every table through json.dumps.
    monkeypatch.setattr(
        agreement_export,
        "_encode_table",
        lambda body, nones: agreement_export._dumps(body).encode(),
    )
    slow = agreement_export.to_json(result)
    assert json.loads(fast) == json.loads(slow)
    # The same lines; only the spelling of a float may differ (1e-05 against 0.00001).
    assert len(fast.splitlines()) == len(slow.splitlines())
    assert re.sub(r"[-+.eE0-9]+", "#", fast) == re.sub(r"[-+.eE0-9]+", "#", slow)


def test_orjson_encodes_each_value_as_json_dumps_with_default_str_did():
    import datetime
    from collections import namedtuple

    import numpy as np

    pair = namedtuple("pair", "a b")
    cells = [
        1,
        -0.25,
        1e-05,
        None,
        "Çà «null» ✓",
        True,
        np.float64(0.5),  # a float subclass: a number
        np.int64(7),  # not an int: its str, as default=str made it
        np.bool_(False),
        pair(1, None),  # a named tuple: an array
        datetime.datetime(2026, 12, 4, 10, 30),  # str: a space, not orjson's "T"
        2**70,  # beyond orjson's 64 bits: the standard library writes it
        {1: "int key"},  # a key json.dumps turns into "1"
        (None, [None]),
    ]
    for cell in cells:
        body = {"unit": "character", "columns": ["x"], "rows": [(cell,), (None,)]}
        nones = 1 + (cell is None)
        encoded = agreement_export._encode_table(body, nones)
        assert json.loads(encoded) == json.loads(agreement_export._dumps(body)), cell


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "numpy nan"])
def test_a_nan_in_a_table_is_refused_as_before(result, tmp_path, monkeypatch, bad):
    import numpy as np

    from ketqual.core.agreement.report_model import ScopeTable

    value = np.float64("nan") if bad == "numpy nan" else float(bad)
    real = ScopeTable.columns

    def with_a_nan(table, **kwargs):
        columns = real(table, **kwargs)
        name = next(n for n in table.values)
        columns[name] = [value, *columns[name][1:]]
        return columns

    monkeypatch.setattr(ScopeTable, "columns", with_a_nan)
    target = tmp_path / "a.json"
    target.write_text("the earlier report", encoding="utf-8")
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        agreement_export.write(result, target)
    assert target.read_text(encoding="utf-8") == "the earlier report"  # left as it was
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
    with pytest.raises(ValueError, match="not JSON compliant"):
        agreement_export.to_json(result)
