"""The key's content: entries, tokens, lookups, JSON."""

from __future__ import annotations

import pytest

from ketqual.core.privacy import roster
from ketqual.core.privacy.keydata import KeyData, KeyDataError


def test_tokens_per_kind_and_explicit_ones():
    key = KeyData("p1", "Study")
    key.add_roster(
        roster.parse_roster("Anna Smith\ncarer: Bob\nChidi = P07\nDee\nplace: Elm Clinic")
    )
    assert [(e.display, e.token) for e in key.entries] == [
        ("Anna Smith", "[P01]"),
        ("Bob", "[CARER-1]"),
        ("Chidi", "[P07]"),
        ("Dee", "[P08]"),
        ("Elm Clinic", "[PLACE-1]"),
    ]
    assert key.by_token("P07").display == "Chidi" and key.by_token("[CARER-1]").kind == "carer"
    with pytest.raises(KeyDataError, match="already"):
        key.add("participant", ["Eve"], token="[P07]")


def test_adding_a_known_name_extends_its_entry_and_keeps_the_token():
    key = KeyData("p1")
    first, _ = key.add("participant", ["Anna Smith"])
    again, changed = key.add("participant", ["anna  smith"], ["Annie"])
    assert changed and again.uid == first.uid and again.token == first.token
    assert again.nicknames == ("Annie",) and len(key.entries) == 1
    assert key.add("participant", ["Annie"]) == (again, False)


def test_json_round_trip_and_refusals():
    key = KeyData("p1", "Study")
    key.add("participant", ["Zoë O’Neil"], ["Zo"])
    back = KeyData.from_json(key.to_json())
    assert back.entries == key.entries and back.project_uid == "p1"
    for bad in (b"{}", b"not json", b'{"format": "ketqual-key", "version": 1}'):
        with pytest.raises(KeyDataError):
            KeyData.from_json(bad)
    with pytest.raises(KeyDataError, match="newer"):
        KeyData.from_json(b'{"format": "ketqual-key", "version": 9}')
