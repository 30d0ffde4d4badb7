"""Identifier shapes: each finder's hits, sure or for review, and the look-alikes it leaves."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.privacy import patterns


def _found(text: str, **kw) -> list[tuple[str, str, bool]]:
    return [
        (h.kind, h.text, h.certain)
        for h in sorted(patterns.find_all(text, **kw), key=lambda h: h.start)
    ]


def _nhs_check(nine: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return {11: 0, 10: None}.get(check, check)


@pytest.mark.parametrize(
    "text",
    [
        "anna.smith@example.org",
        "A.N.Other+notes@mail.example.co.uk",
        "j_o-e@nhs.net",
    ],
)
def test_emails_are_sure(text):
    assert _found(f"write to {text}, please") == [("email", text, True)]


@pytest.mark.parametrize(
    "text",
    ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)20 7946 0958", "020 7946 0958",
     "0161 496 0000", "(01632) 960 001", "01632-960-001", "+353 1 234 5678"],
)  # fmt: skip
def test_phone_numbers(text):
    assert _found(f"ring {text} after 5") == [("phone", text, True)]


@pytest.mark.parametrize(
    "text",
    [
        "Date: 17/03/2018",
        "approx. £350 each",
        "dose every 2 wks, days 10-12",
        "1.5 mg/kg over 40 mins",
        "scored 3/10 then 7/10",
        "P3 2nd time",
        "S2 G5 and FG5",
        "colour #E6B2BB in the legend",
        "in 1998 and 2004",
        "room 101 at 10:30",
        "uid 25cd2e59d6e14f0f9a4b0c1d2e3f4a5b",
    ],
)
def test_ordinary_notes_have_no_shapes(text):
    assert _found(text, adult_before=2002) == []


def test_postcodes_are_full_and_in_capitals():
    assert _found("lives near SE5 8AZ or M1 1AE") == [
        ("postcode", "SE5 8AZ", True),
        ("postcode", "M1 1AE", True),
    ]
    assert _found("se5 8az") == []


def test_nhs_numbers_need_their_check_digit():
    assert _found("NHS no 943 476 5919") == [("nhs", "943 476 5919", True)]
    assert _found("NHS no 9434765919") == [("nhs", "9434765919", True)]
    # a wrong check digit in the usual grouping is still worth a look
    assert _found("NHS no 943 476 5918") == [("nhs", "943 476 5918", False)]
    assert _found("ref 9434765918") == []


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_checksum_agrees_with_the_modulus_11_rule(nine):
    check = _nhs_check(nine)
    if check is None:
        assert not any(patterns.nhs_checksum_ok(nine + str(d)) for d in range(10))
    else:
        assert patterns.nhs_checksum_ok(nine + str(check))
        assert not patterns.nhs_checksum_ok(nine + str((check + 1) % 10))


def test_dates_of_birth_need_a_cue_or_a_long_past():
    assert _found("DOB: 03/04/1961") == [("dob", "03/04/1961", True)]
    assert _found("born 1 May 1960") == [("dob", "1 May 1960", True)]
    assert _found("date of birth 1961-04-03") == [("dob", "1961-04-03", True)]
    assert _found("met on 12/07/1975", adult_before=2002) == [("dob", "12/07/1975", False)]
    assert _found("Date: 17/03/2018", adult_before=2002) == []
    assert _found("DOB: 31/02/1961") == []  # no such day


def test_addresses_with_numbers_are_sure_street_names_alone_for_review():
    assert _found("at Flat 2, 14 Elm Road today") == [("address", "Flat 2, 14 Elm Road", True)]
    assert _found("at 3a Kings Avenue.") == [("address", "3a Kings Avenue", True)]
    assert _found("Lives off Church Lane now") == [("address", "Church Lane", False)]
    assert _found("the High Street and Main Road") == []


def test_handles_are_for_review_and_emails_are_not_handles():
    assert _found("follow @annie_s online") == [("handle", "@annie_s", False)]
    assert _found("mail a@b.org") == [("email", "a@b.org", True)]
