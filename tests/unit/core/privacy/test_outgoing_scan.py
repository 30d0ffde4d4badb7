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
