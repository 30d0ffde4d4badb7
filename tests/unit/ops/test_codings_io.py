"""Codings CSV import: a refused row says which row, what it expected, what it found, and why."""

from __future__ import annotations

import csv

import pytest

from ketqual.core import positions
from ketqual.ops.coding import codings_io
from ketqual.ops.errors import OperationError
from tests.factories import add_coder, add_document, make_project

TEXT = "Session 1 – Group 2\n\nP3: the fog lifted 😀 in hours.\nCarer: driving home worried them.\n"


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(codings_io.COLUMNS)
        writer.writerows(rows)
    return path


@pytest.fixture
def setup(tmp_path):
    project = make_project(tmp_path)
    doc = add_document(project, TEXT)
    add_coder(project, "Coder A")
    yield project, doc, tmp_path
    project.close()


def _row(title, start, end, quote):
    return [title, "", "Effect on daily life", start, end, "", quote]


@pytest.mark.parametrize(
    ("shift", "cause"),
    [
        (lambda t, at: t.count("\n", 0, at), "line break as two characters (CRLF)"),
        (lambda t, at: 1, "UTF-16 units"),
    ],
    ids=["crlf", "utf16"],
)
def test_shifted_rows_name_row_texts_and_cause(setup, shift, cause):
    project, _doc, tmp_path = setup
    quote = "driving home" if "CRLF" in cause else "in hours"
    at = TEXT.index(quote)
    start = at + shift(TEXT, at)
    path = _write(tmp_path / "c.csv", [_row("S1 G2", start, start + len(quote), quote)])
    with pytest.raises(OperationError) as info:
        codings_io.import_codings(project, "Coder A", path)
    message = str(info.value)
    assert message.startswith("nothing imported from c.csv; fix these rows: row 2: ")
    assert f"the row expects “{quote}” but the document has “" in message
    assert f"it is at {at}-{at + len(quote)}" in message and cause in message
    assert len(message) < 400


def test_long_passages_are_quoted_briefly(setup):
    project, _doc, tmp_path = setup
    quote = "P3: the fog lifted 😀 in hours.\nCarer: driving home worried them."
    path = _write(tmp_path / "c.csv", [_row("S1 G2", 0, len(quote), quote)])
    with pytest.raises(OperationError) as info:
        codings_io.import_codings(project, "Coder A", path)
    message = str(info.value)
    shown = positions.brief(quote)
    assert f"“{shown}”" in message and len(shown) <= 40 and shown.endswith("…")
    assert "\n" not in message


def test_likely_causes():
    text = "one two\nthree four\n"
    assert "not in this document" in positions.likely_cause(text, 0, 3, "five")
    tidied = "one  two\nthree four"
    assert "differently tidied" in positions.likely_cause(text, 0, 8, tidied[:8])
    assert "3 characters later" in positions.likely_cause(text, 5, 8, "three")
