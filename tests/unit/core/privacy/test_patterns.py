"""Identifier shapes: each finder's hits, sure or for review, and the look-alikes it leaves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
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


# ----- the shortcuts: windows built around spots give what every window gave ---------------
# Texts rich in what the shortcuts look at: digits in every grouping, separators, month
# names in any case, reference ids, ISO timestamps, postcodes, +44 and (0.
_TOKENS = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(1890, 2030).map(str),
    st.integers(0, 10**11).map(str),
    st.integers(0, 10**10).map(lambda n: f"0{n}"),
    st.sampled_from(
        ["jan", "Jan.", "JANUARY", "jAn", "may", "Sept", "sept.", "December", "mAR", "ſep"]
        + ["st", "nd", "th", "of", "DOB:", "born", "d.o.b.", "+44", "+353", "(0)", "(0"]
        + ["SE5 8AZ", "M1 1AE", "GIR 0AA", "8AZ", "P3", "Anna", "said", "١٢", "٢٠١٩", "²"]
    ),
    st.tuples(st.integers(1, 9), st.integers(0, 9999), st.integers(0, 9999)).map(
        lambda t: f"S{t[0]}G2-F7-{t[1]}-{t[2]}"
    ),
    st.tuples(st.integers(1890, 2030), st.integers(0, 19), st.integers(0, 39)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}T10:00:00"
    ),
)
_SEPARATORS = st.sampled_from([" ", " ", "  ", "/", ".", "-", ",", ", ", "\t", "\n", "(", ")", ""])
_TEXTS = st.lists(st.tuples(_TOKENS, _SEPARATORS), max_size=80).map(
    lambda parts: "".join(token + sep for token, sep in parts)
)
# the anchors the finders used to build every window from
_YEARISH = re.compile(r"\d(?:\d{3}|\d?[/.-]\d{1,2}[/.-]\d{2})")
_THREE_DIGITS = re.compile(r"\d\d{2}")
_INWARD = re.compile(r"\d[A-Z]{2}")


def _holding(spans: list[tuple[int, int]], spots: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in spans if any(a <= s < b for s in spots)]


# long texts with anchors in runs and alone, gaps of every width between them
_ANCHOR_TEXTS = st.lists(
    st.sampled_from(
        ["1999", "/", "12", "-", "3", ".", " ", "a", "a" * 7, " " * 29, "x" * 40, "1999 " * 60]
    ),
    max_size=600,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    _ANCHOR_TEXTS,
    st.sampled_from(
        [(_YEARISH, 30, 7, re.compile(r"[^\d/.-]")), (_THREE_DIGITS, 22, 22, re.compile(r"\D"))]
    ),
    st.data(),
)
def test_windows_holding_spots_are_windows_that_hold_them(text, case, data):
    anchor, before, after, cut = case
    spots = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=12)))
    every = patterns.windows(text, anchor, before, after)
    assert patterns.windows_holding(text, anchor, before, after, cut, spots) == _holding(
        every, spots
    )


def test_windows_holding_in_long_runs_of_anchors():
    # one window over a run far longer than the first reach, and windows that only just
    # meet or miss each other (an anchor's window ends 7 after it, the next starts 30 before)
    # (runs without a cut character, and runs of anchors each after a cut)
    for run in ("1999/" * 2000, "1999 " * 2000):
        text = f"x {run}" + " " * 40 + "2001" + " " * 37 + "2002" + " " * 38 + "2003"
        every = patterns.windows(text, _YEARISH, 30, 7)
        for spots in ([5000], [9990], [2], [len(text) - 1], [len(text) - 50, len(text) - 1]):
            cut = re.compile(r"[^\d/.-]")
            found = patterns.windows_holding(text, _YEARISH, 30, 7, cut, spots)
            assert found == _holding(every, spots)
        assert len(every) == 3


def _dates_in_every_window(text: str, adult_before: int) -> list:
    """find_dates_of_birth as it was: DATE_RE in the window around every year-like anchor."""
    out, seen = [], set()
    for m in patterns.finditer_in(patterns.DATE_RE, text, patterns.windows(text, _YEARISH, 30, 7)):
        if m.span() in seen:
            continue
        seen.add(m.span())
        hits = patterns.find_dates_of_birth(m.group(), adult_before=adult_before)
        if hits and hits[0].text == m.group():  # the date is valid (the finder's own test)
            cued = patterns.DOB_CUE_RE.search(text[max(0, m.start() - 25) : m.start()])
            if cued or hits[0].certain is False:
                out.append((m.start(), m.end(), m.group(), bool(cued)))
    return out


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_dates_of_birth_as_in_every_window(text):
    found = [
        (h.start, h.end, h.text, h.certain)
        for h in patterns.find_dates_of_birth(text, adult_before=3000)
    ]
    assert found == _dates_in_every_window(text, 3000)
    spots = patterns.digit_spots(text)
    assert patterns.find_dates_of_birth(text, adult_before=3000, spots=spots) == (
        patterns.find_dates_of_birth(text, adult_before=3000)
    )


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_phone_nhs_and_postcodes_as_in_every_window(text):
    every = patterns.windows(text, _THREE_DIGITS, 22, 22)
    assert patterns.find_nhs_numbers(text) == patterns.find_nhs_numbers(text, digit_windows=every)
    assert patterns.find_phones(text) == patterns.find_phones(text, digit_windows=every)
    postcodes = patterns.finditer_in(
        patterns.POSTCODE_RE, text, patterns.windows(text, _INWARD, 9, 2)
    )
    assert [(h.start, h.end) for h in patterns.find_postcodes(text)] == [
        m.span() for m in postcodes
    ]
    spots = patterns.digit_spots(text)
    assert patterns.find_postcodes(text, spots=spots) == patterns.find_postcodes(text)


@pytest.mark.parametrize(
    "text",
    [
        "17/03/1970", "DOB 17/03/1970", "17.3.70", "1970-03-17", "17 March 1970",
        "17th of mar. 1970", "March 17, 1970", "jAn 2 1970", "S1G1-N-1110-1397 17/03/1970",
        "17/03/1970 S1G1-N-1110-1397", "17/03/197017/03/1970", "17/03/1970 18/03/1970",
        "x" * 40 + "1970-03-17", "1970-03-17" + "-" * 40, "S1G1-N-1110-1970-03-17",
    ],
)  # fmt: skip
def test_dates_at_the_edges_and_beside_reference_ids(text):
    found = [(h.start, h.end, h.text, h.certain) for h in patterns.find_dates_of_birth(text)]
    assert found == _dates_in_every_window(text, dt.date.today().year - 16)
