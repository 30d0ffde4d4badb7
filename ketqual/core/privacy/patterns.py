"""Identifiers with a shape: e-mail addresses, phone numbers, postcodes, NHS numbers, dates
of birth and street addresses (UK conventions, as the study's notes use).

Each finder returns :class:`~ketqual.core.privacy.hits.Hit` objects; a shape that is
unmistakable (an e-mail address, an NHS number whose check digit is right, a full
postcode) is sure, anything that could be something else is for review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from ketqual.core.privacy.hits import Hit

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{3,30}\b(?!\.\w)")
# Candidates for phone numbers: +44 or a leading 0, then digits with spaces, dots,
# hyphens or brackets; the digits are counted afterwards.
PHONE_RE = re.compile(r"(?<![\w+/.-])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s().-]{7,15}\d(?![\w/])")
INTERNATIONAL_RE = re.compile(r"(?<![\w+])\+(?!44)\d{1,3}[\s.-]?\d[\d\s.-]{6,14}\d(?!\w)")
NHS_RE = re.compile(r"(?<![\w/.-])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\w/-]|\.\d)")
# Full UK postcodes, upper case only ("SE5 8AZ", "M1 1AE", "GIR 0AA"): lower case would
# catch "p3 2nd" and the like.
POSTCODE_RE = re.compile(
    r"(?<![\w#-])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"
)
STREETS = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Crescent|Cres|Place|Pl|"
    "Court|Ct|Gardens|Gdns|Terrace|Tce|Grove|Gr|Hill|Row|Square|Sq|Walk|Mews|Parade|Rise|"
    "Vale|Green|Park|Wharf|Yard|Hollow|Boulevard|Broadway"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NAME_WORD = r"(?:[A-Z][a-z'’]+|[A-Z]{2,}|St\.?|Saint)"
ADDRESS_RE = re.compile(
    rf"(?<![\w/])(?:(?:Flat|Apt|Apartment|Unit)\s+\d{{1,4}}[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?"
    rf",?\s+(?:{_NAME_WORD}\s+){{1,3}}(?:{STREETS})\b"
)
STREET_ONLY_RE = re.compile(
    r"(?<![\w'’])(?:[A-Z][a-z'’]+\s+){1,2}(?:Road|Street|Lane|Avenue|Close|Crescent|Terrace|"
    r"Gardens|Grove|Mews)\b"
)
# Capitalised words that start a sentence or name no particular street ("Near Elm Road",
# "the High Street").
_NOT_STREET_WORDS = _words(
    "the a an near on in at off by from to of lives lived living live moved main high side "
    "back ring this that our their his her my your one new old same busy "
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_RE = re.compile(
    rf"(?<![\d/.-])(?P<d1>\d{{1,2}})[/.-](?P<m1>\d{{1,2}})[/.-](?P<y1>\d{{4}}|\d{{2}})(?![\d/-]|\.\d)"
    rf"|(?<!\d)(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MONTH})\b,?\s+(?P<y2>\d{{4}})(?!\d)"
    rf"|\b(?P<mon3>{_MONTH})\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\b,?\s+(?P<y3>\d{{4}})(?!\d)"
    rf"|(?<!\d)(?P<y4>\d{{4}})-(?P<m4>\d{{1,2}})-(?P<d4>\d{{1,2}})(?!\d)",
    re.IGNORECASE,
)
# Every full date holds a four-digit year or a d/m/yy triple: cheap to find first.
# (``\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}`` with the first digit taken out in front: a
# pattern that starts with a character class lets Python's matcher skip to the digits.)
_YEARISH_RE = re.compile(r"\d(?:\d{3}|\d?[/.-]\d{1,2}[/.-]\d{2})")
# literal alternations without a leading \b or look-behind: Python's matcher then skips
# ahead to the first letter that can start one, which makes these anchors very fast
_STREET_WORD_RE = re.compile(STREETS)
_AT_RE = re.compile("@")
_THREE_DIGITS_RE = re.compile(r"\d\d{2}")  # \d{3}, starting with a class (see above)
# Characters that no match of the anchor before holds: the anchors after one are found
# the same whether a search starts there or at the top of the text (see windows_holding).
_NOT_YEARISH = re.compile(r"[^\d/.-]")
_NOT_DIGIT = re.compile(r"\D")
_NOT_INWARD = re.compile(r"[^\dA-Z]")
# Spots: single characters that every match holds, and few other characters do (see
# windows_holding). Each is one character long, so a search over the whole text finds
# every one; what they look at lies inside the match, or just before it where the
# pattern's own look-behind looks.
# - a date: the digit before the first separator of "17/03/2018" or "2018-03-17" (a
#   separator, one or two digits, a separator and a digit follow), or the first digit of
#   the year in "17 March 2018" and "March 17, 2018" (after a space, three more digits);
_DATE_SPOT = r"(?=[/.-]\d\d?[/.-]\d)|(?<=\s\d)(?=\d\d\d)"
# - an NHS number: the first of ten digits in 3-3-4 groups, nothing of a word or a number
#   before;
_NHS_SPOT = r"(?<![\w/.-]\d)(?=\d\d[\s-]?\d{3}[\s-]?\d{4})"
# - a postcode: the digit of its inward code (where its anchor starts).
_INWARD_SPOT = r"(?=[A-Z]{2})"
_DATE_SPOT_RE = re.compile(rf"\d(?:{_DATE_SPOT})")
_NHS_SPOT_RE = re.compile(rf"\d{_NHS_SPOT}")
_INWARD_RE = re.compile(r"\d[A-Z]{2}")
# All three in one search: a search for digits costs about the same whatever follows them.
_DIGIT_SPOT_RE = re.compile(rf"\d(?:{_DATE_SPOT}|{_NHS_SPOT}|{_INWARD_SPOT})")
# - a UK phone number: the 0 it starts with (alone or in a bracket, nothing of a word or
#   a number before), or the + of +44. Literal first characters: very fast to find.
_PHONE_ZERO_RE = re.compile(r"0(?=\d)(?:(?<![\w+/.-]0)|(?<=\(0)(?<![\w+/.-]\(0))")
_PHONE_PLUS_RE = re.compile(r"\+(?=\s?44)")
_PLUS_RE = re.compile(r"\+")
DOB_CUE_RE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday|b\.)\s*[:\-–]?\s*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 25


def nhs_checksum_ok(digits: str) -> bool:
    """True when a 10-digit NHS number's last digit is its modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find_emails(text: str) -> list[Hit]:
    """E-mail addresses: sure."""
    return [
        Hit(m.start(), m.end(), m.group(), "email", "pattern", True, "e-mail address")
        for m in finditer_in(EMAIL_RE, text, windows(text, _AT_RE, 80, 260))
    ]


def find_handles(text: str) -> list[Hit]:
    """Social-media handles such as ``@annie_s``: for review."""
    return [
        Hit(m.start(), m.end(), m.group(), "handle", "pattern", False, "online handle")
        for m in finditer_in(HANDLE_RE, text, windows(text, _AT_RE, 2, 40))
        if not text[max(0, m.start() - 1) : m.start()].isalnum()
    ]


def digit_spots(text: str) -> list[int]:
    """Where a date, an NHS number or a postcode's inward code may be: the digits that
    every one of them holds (see the spots above), found in one search over the text and
    shared by :func:`find_dates_of_birth`, :func:`find_nhs_numbers` and
    :func:`find_postcodes`, each of which keeps its own."""
    return [m.start() for m in _DIGIT_SPOT_RE.finditer(text)]


def _own_spots(spot: re.Pattern[str], text: str, spots: list[int] | None) -> list[int]:
    """The positions where ``spot`` matches: picked out of :func:`digit_spots` when at
    hand, else found afresh."""
    if spots is None:
        return [m.start() for m in spot.finditer(text)]
    return [i for i in spots if spot.match(text, i)]


def _digit_windows(text: str, spots: list[int] | None = None) -> list[tuple[int, int]]:
    """The stretches around three digits in a row (phone and NHS numbers start there) that
    can hold one: those with a spot of either (reference ids and counts anchor many
    stretches and hold neither).

    ``spots``: :func:`digit_spots` of ``text`` when already at hand.
    """
    zeros = [m.start() for m in _PHONE_ZERO_RE.finditer(text)]
    pluses = [m.start() for m in _PHONE_PLUS_RE.finditer(text)]
    numbers = sorted(_own_spots(_NHS_SPOT_RE, text, spots) + zeros + pluses)
    return windows_holding(text, _THREE_DIGITS_RE, 22, 22, _NOT_DIGIT, numbers)


def find_nhs_numbers(text: str, *, digit_windows: list[tuple[int, int]] | None = None) -> list[Hit]:
    """Ten-digit NHS numbers: sure when the check digit is right, else for review when
    written in the usual 3-3-4 groups (a mistyped NHS number still identifies).

    ``digit_windows``: :func:`_digit_windows` of ``text`` when already at hand.
    """
    out = []
    # A match starts where a run of three digits does: look only there (and far enough
    # on for the whole number and the look-ahead after it, 14 characters at most).
    spans = _digit_windows(text) if digit_windows is None else digit_windows
    for m in finditer_in(NHS_RE, text, spans):
        digits = "".join(m.groups())
        grouped = m.group() != digits
        if nhs_checksum_ok(digits):
            out.append(Hit(m.start(), m.end(), m.group(), "nhs", "pattern", True, "NHS number"))
        elif grouped and not digits.startswith("0"):
            reason = "looks like an NHS number (its check digit is wrong)"
            out.append(Hit(m.start(), m.end(), m.group(), "nhs", "pattern", False, reason))
    return out


def find_phones(text: str, *, digit_windows: list[tuple[int, int]] | None = None) -> list[Hit]:
    """UK phone numbers (0 or +44 and 10-11 digits, spaced any way) and international
    numbers (+ and a country code): sure.

    ``digit_windows``: :func:`_digit_windows` of ``text`` when already at hand.
    """
    out = []
    spans = _digit_windows(text) if digit_windows is None else digit_windows
    for m in finditer_in(PHONE_RE, text, spans):
        value = m.group().rstrip(" .-(")
        digits = _digits(value)
        national = digits[2:] if value.lstrip("(").startswith("+") else digits.lstrip("0")
        if value.lstrip("(").startswith("+") and digits.startswith("440"):
            national = digits[3:]
        if 9 <= len(national) <= 10 and len(digits) <= 13:
            out.append(
                Hit(
                    m.start(),
                    m.start() + len(value),
                    value,
                    "phone",
                    "pattern",
                    True,
                    "phone number",
                )
            )
    for m in finditer_in(INTERNATIONAL_RE, text, windows(text, _PLUS_RE, 2, 30)):
        if 8 <= len(_digits(m.group())) <= 15:
            out.append(Hit(m.start(), m.end(), m.group(), "phone", "pattern", True, "phone number"))
    return out


def find_postcodes(text: str, *, spots: list[int] | None = None) -> list[Hit]:
    """Full UK postcodes in capitals: sure.

    ``spots``: :func:`digit_spots` of ``text`` when already at hand.
    """
    inward = _own_spots(_INWARD_RE, text, spots)
    return [
        Hit(m.start(), m.end(), m.group(), "postcode", "pattern", True, "postcode")
        for m in finditer_in(
            POSTCODE_RE, text, windows_holding(text, _INWARD_RE, 9, 2, _NOT_INWARD, inward)
        )
    ]


def windows(text: str, anchor: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """Stretches of text around each match of a cheap ``anchor`` (merged where they meet),
    so an expensive pattern runs only where it can match."""
    return _windows_between(text, anchor, before, after, 0, len(text))


def _windows_between(
    text: str, anchor: re.Pattern[str], before: int, after: int, lo: int, hi: int
) -> list[tuple[int, int]]:
    """:func:`windows` for the anchors found between ``lo`` and ``hi`` (still clipped to
    the whole text)."""
    spans: list[tuple[int, int]] = []
    for m in anchor.finditer(text, lo, hi):
        a, b = max(0, m.start() - before), min(len(text), m.end() + after)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


def windows_holding(
    text: str,
    anchor: re.Pattern[str],
    before: int,
    after: int,
    cut: re.Pattern[str],
    spots: Iterable[int],
) -> list[tuple[int, int]]:
    """The windows of ``windows(text, anchor, before, after)`` that hold one of ``spots``
    (positions, ascending), worked out near each spot only.

    Where a pattern's matches are rare but its anchor is common (the years in machine-made
    reference ids), finding a spot that every match holds and building just the windows
    around those spots costs a fraction of building every window; and because each window
    is the very one :func:`windows` gives, a pattern run in it finds exactly what it finds
    there. ``cut`` matches a character that no match of ``anchor`` holds (and ``anchor``
    has no look-ahead): the anchors after such a character are the same whether the search
    starts there or at the top of the text. So the anchors between two cut characters are
    the text's own, and a window built from them is the text's own window as long as it
    ends too far from either end for an anchor outside to reach it.
    """
    out: list[tuple[int, int]] = []
    n = len(text)
    for spot in spots:
        if out and spot < out[-1][1]:
            continue  # in the window just found
        reach = 4 * (before + after)
        while True:
            lo = 0 if spot <= reach else _after_cut(text, cut, spot - reach, spot)
            if lo is not None:
                m = cut.search(text, spot + reach)
                hi = m.start() if m else n
                spans = _windows_between(text, anchor, before, after, lo, hi)
                # anchors before lo end before it (its last character is a cut), so their
                # windows end by lo + after; those after hi start after it
                held = next(((a, b) for a, b in spans if a <= spot < b), (spot, spot))
                if (lo == 0 or held[0] > lo + after) and (hi == n or held[1] < hi - before):
                    break
            reach *= 4
        if held[0] < held[1]:
            out.append(held)
    return out


def _after_cut(text: str, cut: re.Pattern[str], start: int, end: int) -> int | None:
    """The position just after the first cut character between ``start`` and ``end``."""
    m = cut.search(text, start, end)
    return m.end() if m else None


def finditer_in(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]):
    for a, b in windows:
        # pos/endpos keep look-behinds and \b working at the window's edges
        yield from pattern.finditer(text, a, b)


def find_addresses(text: str) -> list[Hit]:
    """House number and street ("12 Elm Road", "Flat 3, 45 Kings Road"): sure; a street
    name alone ("lives off Elm Road"): for review."""
    streets = windows(text, _STREET_WORD_RE, 90, 12)
    out = [
        Hit(m.start(), m.end(), m.group(), "address", "pattern", True, "street address")
        for m in finditer_in(ADDRESS_RE, text, streets)
    ]
    taken = [(h.start, h.end) for h in out]
    for m in finditer_in(STREET_ONLY_RE, text, streets):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            continue
        start, words = m.start(), m.group().split()
        while len(words) > 1 and words[0].lower() in _NOT_STREET_WORDS:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if len(words) < 2 or words[0].lower() in _NOT_STREET_WORDS:
            continue
        value = text[start : m.end()]
        out.append(Hit(start, m.end(), value, "address", "pattern", False, "street name"))
    return out


def _date(m: re.Match) -> dt.date | None:
    try:
        if m["y1"]:
            year = int(m["y1"]) + (1900 if len(m["y1"]) == 2 and int(m["y1"]) > 30 else 0)
            year += 2000 if len(m["y1"]) == 2 and year < 100 else 0
            return dt.date(year, int(m["m1"]), int(m["d1"]))
        if m["y2"]:
            return dt.date(int(m["y2"]), 1 + _MONTHS.index(m["mon2"][:3].lower()), int(m["d2"]))
        if m["y3"]:
            return dt.date(int(m["y3"]), 1 + _MONTHS.index(m["mon3"][:3].lower()), int(m["d3"]))
        return dt.date(int(m["y4"]), int(m["m4"]), int(m["d4"]))
    except ValueError:
        return None


def find_dates_of_birth(
    text: str, *, adult_before: int | None = None, spots: list[int] | None = None
) -> list[Hit]:
    """Dates of birth: a full date after "DOB", "born", "date of birth" is sure; a full
    date before ``adult_before`` (a year; default: 16 years ago) without such a cue is for
    review, since the notes' own dates are recent.

    ``spots``: :func:`digit_spots` of ``text`` when already at hand.
    """
    limit = adult_before if adult_before is not None else dt.date.today().year - 16
    out = []
    seen: set[tuple[int, int]] = set()
    # only the windows around a digit that every date holds: a payload of reference ids
    # ("S1G1-N-1110-1397") anchors many windows and holds no date
    dates = _own_spots(_DATE_SPOT_RE, text, spots)
    spans = windows_holding(text, _YEARISH_RE, 30, 7, _NOT_YEARISH, dates)
    for m in finditer_in(DATE_RE, text, spans):
        if (m.start(), m.end()) in seen:
            continue
        seen.add((m.start(), m.end()))
        date = _date(m)
        if date is None:
            continue
        before = text[max(0, m.start() - _CUE_WINDOW) : m.start()]
        if DOB_CUE_RE.search(before):
            # the cue stays in the text ("DOB: [DOB-1]"); only the date is replaced
            out.append(Hit(m.start(), m.end(), m.group(), "dob", "pattern", True, "date of birth"))
        elif date.year < limit and date.year >= 1900:
            reason = "a date long before the notes (a date of birth?)"
            out.append(Hit(m.start(), m.end(), m.group(), "dob", "pattern", False, reason))
    return out


def find_all(text: str, *, adult_before: int | None = None) -> list[Hit]:
    """Every pattern finder over ``text`` (overlaps are left to the caller)."""
    spots = digit_spots(text)
    digits = _digit_windows(text, spots)
    return (
        find_emails(text)
        + find_handles(text)
        + find_nhs_numbers(text, digit_windows=digits)
        + find_phones(text, digit_windows=digits)
        + find_postcodes(text, spots=spots)
        + find_addresses(text)
        + find_dates_of_birth(text, adult_before=adult_before, spots=spots)
    )
