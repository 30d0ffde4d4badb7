"""The CSV rule: text stays text (OWASP), one byte-order-mark rule, and it can be read back."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.names import printable
from ketqual.io import csv_files


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tleading tab", "'\tleading tab"),
        ("\rcarriage return", "'\rcarriage return"),
        ("- bullet from a scribe", "'- bullet from a scribe"),
        ("'=already quoted", "''=already quoted"),
        ("'plain apostrophe", "'plain apostrophe"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("1e-5", "1e-5"),
        ("a = b", "a = b"),
        ("ctrl\x01char", "ctrlchar"),
        ("", ""),
    ],
)
def test_text_cells_never_read_as_formulas(value, written):
    assert csv_files.cell(value) == written
    assert csv_files.uncell(written) == printable(value)


def test_numbers_stay_numbers_and_undefined_is_empty():
    assert csv_files.cell(-3) == -3 and csv_files.cell(np.int64(4)) == 4
    assert csv_files.cell(np.float64(-0.5)) == -0.5
    assert csv_files.cell(math.nan) == "" and csv_files.cell(float("inf")) == ""
    assert csv_files.cell(None) == ""


def test_files_have_a_bom_and_crlf_and_read_back(tmp_path):
    path = csv_files.write_csv(tmp_path / "t.csv", ["name", "n"], [["=x", 1], ["a\nb", -2]])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["name", "n"], ["'=x", "1"], ["a\nb", "-2"]]
    terminal = csv_files.to_text(["a"], [["@b"]], "\n")
    assert terminal == "a\n'@b\n"


@given(st.text())
def test_any_text_comes_back(text):
    assert csv_files.uncell(csv_files.text_cell(text)) == printable(text)
