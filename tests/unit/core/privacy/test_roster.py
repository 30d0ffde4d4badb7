"""Reading a roster and the ways each person may be named."""

from __future__ import annotations

import pytest

from ketqual.core.privacy import roster
from ketqual.core.privacy.roster import RosterEntry


def test_parse_kinds_nicknames_and_tokens():
    lines = roster.parse_roster(
        "\ufeff# a comment\n\nAnna  Smith | Annie|Nan\ncarer: Bob Jones | Bobby\n"
        "Place: St Mary’s Hospital | St Mary's\nChidi Okafor = P07\nTom, Person 3\n"
    )
    assert [(x.kind, x.names, x.nicknames, x.token) for x in lines] == [
        ("participant", ["Anna Smith"], ["Annie", "Nan"], None),
        ("carer", ["Bob Jones"], ["Bobby"], None),
        ("place", ["St Mary's Hospital"], ["St Mary's"], None),
        ("participant", ["Chidi Okafor"], [], "[P07]"),
        ("participant", ["Tom"], [], "[Person 3]"),
    ]


def test_unknown_kind_names_its_line():
    with pytest.raises(ValueError, match="line 2: unknown kind 'doctor'"):
        roster.parse_roster("Anna\ndoctor: Who\n")


def _entry(kind, names, nicknames=(), token="[X]"):
    return RosterEntry(roster.new_uid(), kind, tuple(names), tuple(nicknames), token)


def _rules(entries):
    return {
        v.text: (v.certain, v.case_sensitive, bool(v.entry_uid)) for v in roster.variants(entries)
    }


def test_variants_full_first_surname_and_nicknames():
    rules = _rules([_entry("participant", ["Anna Smith"], ["Annie"])])
    assert rules == {
        "Anna Smith": (True, False, True),
        "Anna": (True, False, True),
        "Smith": (False, False, True),  # a surname alone is often someone else
        "Annie": (True, False, True),
    }


def test_ordinary_words_are_only_for_review_and_case_sensitive():
    rules = _rules([_entry("participant", ["Will Hope"], ["May"])])
    assert rules["Will"] == (False, True, True)
    assert rules["Hope"] == (False, True, True)
    assert rules["May"] == (False, True, True)
    assert rules["Will Hope"] == (True, False, True)  # two words together are a name


def test_a_first_name_two_people_share_has_no_owner():
    rules = _rules([_entry("participant", ["Sam Lee"]), _entry("carer", ["Sam Ortiz"])])
    assert rules["Sam"] == (False, False, False)
    assert rules["Sam Lee"] == (True, False, True)


def test_places_are_sure_in_every_form():
    rules = _rules([_entry("place", ["Greenfield Clinic"], ["the Greenfield"])])
    assert rules == {
        "Greenfield Clinic": (True, False, True),
        "the Greenfield": (True, False, True),
    }
