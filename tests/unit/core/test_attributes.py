"""Typed attribute values: checking, storing, typing, guessing a column's type."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core import attributes as at
from ketqual.core.attributes import AttributeDef


def attr(kind, choices=()):
    return AttributeDef(1, "u", "participant", "age" if kind == "number" else "x", kind, choices)


def test_values_are_stored_canonically():
    assert at.normalise_value(attr("number"), " 42 ") == "42"
    assert at.normalise_value(attr("number"), "2,5") == "2.5"
    assert at.normalise_value(attr("number"), "3.0") == "3"
    assert at.normalise_value(attr("date"), "17/3/18") == "2018-03-17"
    assert at.normalise_value(attr("date"), "2018-03-17") == "2018-03-17"
    assert at.normalise_value(attr("boolean"), "Y") == "yes"
    assert at.normalise_value(attr("boolean"), "false") == "no"
    assert at.normalise_value(attr("choice", ("patient", "carer")), "CARER") == "carer"
    assert at.normalise_value(attr("text"), "  two  words ") == "two words"
    assert at.normalise_value(attr("number"), "") is None


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("number", "forty", "'age' takes a number, not 'forty'"),
        ("number", "1,234.5", "takes a number"),
        ("date", "31/02/2018", "takes a date"),
        ("boolean", "maybe", "takes yes or no"),
        ("choice", "nurse", "takes one of: patient, carer"),
    ],
)
def test_a_bad_value_is_refused_in_one_sentence(kind, raw, message):
    with pytest.raises(ValueError, match=message):
        at.normalise_value(attr(kind, ("patient", "carer")), raw)


def test_typed_values():
    assert at.typed_value("number", "3") == 3 and isinstance(at.typed_value("number", "3"), int)
    assert at.typed_value("number", "2.5") == 2.5
    assert at.typed_value("date", "2018-03-17") == date(2018, 3, 17)
    assert at.typed_value("boolean", "yes") is True
    assert at.typed_value("choice", "carer") == "carer"
    assert at.typed_value("text", None) is None


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_numbers_round_trip(value):
    stored = at.normalise_value(attr("number"), at.number_text(value))
    assert at.typed_value("number", stored) == pytest.approx(value)


def test_column_types_are_guessed():
    assert at.guess_type(["34", "51", ""]) == ("number", ())
    assert at.guess_type(["17/03/2018", "2018-03-18"]) == ("date", ())
    assert at.guess_type(["yes", "no", "yes"]) == ("boolean", ())
    assert at.guess_type(["carer", "patient", "carer"]) == ("choice", ("carer", "patient"))
    assert at.guess_type(["a long answer", "another"]) == ("text", ())
    assert at.guess_type(["", " "]) == ("text", ())


def test_names_and_types_are_checked():
    assert at.check_name("  role  in   group ") == "role in group"
    for bad in ("", "session", "x" * 121):
        with pytest.raises(ValueError):
            at.check_name(bad)
    assert at.check_type("choice", ["a", " a ", "b", ""]) == ("choice", ("a", "b"))
    with pytest.raises(ValueError):
        at.check_type("choice", [])
    with pytest.raises(ValueError):
        at.check_type("colour")


def test_values_sort_naturally():
    assert at.order_values(None, ["P10", "P2", "P1"]) == ["P1", "P2", "P10"]
    assert at.order_values(attr("number"), ["10", "9", "100"]) == ["9", "10", "100"]
    choice = attr("choice", ("patient", "carer", "advocate"))
    assert at.order_values(choice, ["advocate", "carer", "patient", "other"]) == [
        "patient",
        "carer",
        "advocate",
        "other",
    ]
