"""Scanning what an export is about to write."""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core.privacy import outgoing_scan
from ketqual.core.privacy.detector import Detector
from ketqual.core.privacy.roster import RosterEntry


@dataclass
class _Cell:
    label: str
    quotes: list[str]


def test_strings_of_walks_dataclasses_mappings_and_lists():
    payload = {"rows": [_Cell("S1 G2", ["first", "second"])], "n": 3, "title": "T"}
    assert list(outgoing_scan.strings_of(payload)) == [
        ("rows (key)", "rows"),
        ("rows[0].label", "S1 G2"),
        ("rows[0].quotes[0]", "first"),
        ("rows[0].quotes[1]", "second"),
        ("n (key)", "n"),
        ("title (key)", "title"),
        ("title", "T"),
    ]


def test_strings_of_skips_numbers_and_id_tuples_but_not_strings_among_them():
    payload = {"keys": [(1, 2), (3, "Ann"), None, 1.5], "rows": [[0, None, "Bob"], (True,)]}
    assert list(outgoing_scan.strings_of(payload)) == [
        ("keys (key)", "keys"),
        ("keys[1][1]", "Ann"),
        ("rows (key)", "rows"),
        ("rows[0][2]", "Bob"),
    ]


def test_scan_finds_roster_names_shapes_and_unreviewed_words():
    detector = Detector([RosterEntry("a", "participant", ("Anna Smith",), (), "[P01]")])
    items = [
        ("quotes[0]", "[P01] said Anna would ring 07700 900123"),
        ("quotes[1]", "Dr Foster was kind"),
        ("quotes[2]", "Will agreed; nothing else"),
        ("quotes[3]", "[P01] said Anna would ring 07700 900123"),
    ]
    found = outgoing_scan.scan(items, detector, pending=["Will"], allowed=["Dr Foster"])
    assert [(f.where, f.kind, f.text, f.places) for f in found] == [
        ("quotes[0]", "participant", "Anna", 2),
        ("quotes[0]", "phone", "07700 900123", 2),
        ("quotes[2]", "pending", "Will", 1),
    ]
    assert "»Anna«" in found[0].context and "quotes[0]" in found[0].line()


def test_nothing_runs_across_two_strings():
    found = outgoing_scan.scan([("a", "call 07700"), ("b", "900123 later")], Detector())
    assert found == []


def test_guids_and_uids_are_not_read_as_phone_numbers():
    """A REFI-QDA GUID such as 00223505-7853-… once blocked a demo's export as a phone
    number; machine identifiers are left out, while a phone number in prose still counts."""
    payload = {
        "guid": "00223505-7853-4a1b-9c2d-0123456789ab",
        "uid": "0022350578534a1b9c2d0123456789ab",
        "memo": "ring 07700 900123 after",
    }
    items = list(outgoing_scan.strings_of(payload))
    assert [where for where, _text in items] == ["guid (key)", "uid (key)", "memo (key)", "memo"]
    found = outgoing_scan.scan(items, Detector())
    assert [(f.where, f.text) for f in found] == [("memo", "07700 900123")]


def test_guids_inside_longer_strings_are_not_read_as_phone_numbers():
    """A REFI-QDA export's note holds JSON keyed by code GUIDs; one that began
    00525157-3695 blocked the export as a phone number (CI, at random). A hit wholly inside
    a GUID or uid written in a longer string is left out; a phone number beside one and hex
    that is no GUID still count."""
    note = (
        '{"codes": {"00525157-3695-47ea-a858-13c11e661bb2": {"n": 1}, '
        '"0123456789abcdef0123456789abcdef": 2, "00525157-3695-47ea-a858-13c11e66": 3}}'
    )
    found = outgoing_scan.scan([("notes[0].content", note)], Detector())
    assert [f.text for f in found] == ["00525157-3695"]  # the last "GUID" is one digit short
    guids = note.replace('"00525157-3695-47ea-a858-13c11e66"', '"x"')
    assert outgoing_scan.scan([("n", guids)], Detector()) == []
    beside = "id 00525157-3695-47ea-a858-13c11e661bb2 ring 07700 900123"
    found = outgoing_scan.scan([("memo", beside)], Detector())
    assert [f.text for f in found] == ["07700 900123"]
    assert outgoing_scan.in_machine_id(beside, 3, 16)
    assert not outgoing_scan.in_machine_id(beside, 45, 57)


def test_strings_of_walks_each_object_once_and_keeps_odd_types():
    """The walk looks each type up once: str and int subclasses, named tuples, shared
    objects (walked where first met) and uid-length strings that are no uids."""
    import enum
    from typing import NamedTuple

    class Name(str):
        pass

    class Level(enum.IntEnum):
        LOW = 1

    class Quote(NamedTuple):
        ref: str
        start: int
        uids: tuple[str, ...]

    shared = _Cell("shared", [])
    payload = [
        Name("Ann"),
        Level.LOW,
        Quote("S1G2-N-4-9", 4, ("0022350578534a1b9c2d0123456789ab", "x" * 32)),
        shared,
        {"again": shared, 3: ("Bo",)},
    ]
    assert list(outgoing_scan.strings_of(payload)) == [
        ("[0]", "Ann"),
        ("[2][0]", "S1G2-N-4-9"),
        ("[2][2][1]", "x" * 32),
        ("[3].label", "shared"),
        ("[4].again (key)", "again"),
        ("[4][3][0]", "Bo"),
    ]
