"""Screening a draft at import: roster names replaced everywhere, the rest kept for review."""

from __future__ import annotations

from ketqual.core.model import DocumentDraft, DocumentMeta
from ketqual.core.privacy import roster, screening
from ketqual.core.privacy.detector import Detector
from ketqual.core.privacy.roster import RosterEntry


def test_text_and_metadata_are_screened_and_offsets_kept():
    entries = [
        RosterEntry("a", "participant", ("Anna Smith",), ("Annie",), "[P01]"),
        RosterEntry("t", "staff", ("Tom Baker",), (), "[STAFF-1]"),
        RosterEntry("w", "participant", ("Will Hope",), (), "[P02]"),
    ]
    text = "Scribe: Tom Baker\n- Annie rang 07700 900123 and Will agreed.\n"
    draft = DocumentDraft(
        DocumentMeta("Notes by Tom Baker", notetaker="Tom Baker"),
        text,
        "S1_G2_Tom_Baker.txt",
        "sha",
        "txt",
    )
    new, applied, pending = screening.screen_draft(draft, Detector(entries))
    assert new.text == "Scribe: [STAFF-1]\n- [P01] rang 07700 900123 and Will agreed.\n"
    assert new.meta.notetaker == "[STAFF-1]" and new.meta.title == "Notes by [STAFF-1]"
    assert new.source_name == "S1_G2_[STAFF-1].txt"
    assert {(h.field, h.text) for h in applied} == {
        ("text", "[STAFF-1]"), ("text", "[P01]"), ("title", "[STAFF-1]"),
        ("notetaker", "[STAFF-1]"), ("source_name", "[STAFF-1]"),
    }  # fmt: skip
    for hit in pending:
        assert new.text[hit.start : hit.end] == hit.text
    assert sorted(h.text for h in pending) == ["07700 900123", "Will"]
    assert "5 names replaced" in new.warnings and "2 possible identifiers to review" in new.warnings


def test_a_draft_without_findings_is_unchanged():
    draft = DocumentDraft(DocumentMeta("S1 G1"), "- P3 spoke.", "a.txt", "s", "txt")
    assert screening.screen_draft(draft, Detector()) == (draft, [], [])
    plan = screening.DetectionPlan(tuple(roster.variants([]) and ()))
    assert screening.detector_for(plan) is screening.detector_for(screening.DetectionPlan())
