"""Screen a document before it is stored: replace the roster's names, keep the rest for review.

At import the roster's names (and places) have known tokens, so they are replaced before
the text ever reaches the project file, in the text and in the metadata (title, notetaker,
source file name) alike. Everything else the detector suggests (e-mail addresses, phone
numbers, names that are also ordinary words, a title with a name not on the roster ...)
is kept for review, with its offsets moved past the replacements.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from ketqual.core.model import DocumentDraft
from ketqual.core.privacy.detector import Detector, DetectorOptions
from ketqual.core.privacy.hits import Hit
from ketqual.core.privacy.replace import Edit, OffsetMap, apply_edits
from ketqual.core.privacy.roster import RosterEntry

META_FIELDS = ("title", "notetaker", "source_name")


@dataclass(frozen=True)
class Screened:
    """A value after screening: its new form, the replacements made, the suggestions left."""

    value: str
    applied: tuple[Hit, ...]
    pending: tuple[Hit, ...]


def auto_replaceable(hit: Hit) -> bool:
    """A hit replaced without asking: a sure roster (or place list) name with a token."""
    return hit.certain and hit.token is not None and hit.source in ("roster", "place")


def screen_value(value: str, detector: Detector, field: str = "text") -> Screened:
    """Replace the sure roster hits of one text or metadata value; keep the rest pending."""
    if not value:
        return Screened(value, (), ())
    found = detector.detect(value, field=field)
    sure = [h for h in found if auto_replaceable(h)]
    if not sure:
        return Screened(value, (), tuple(found))
    edits = [Edit(h.start, h.end, h.token or "") for h in sure]
    new_value, spans = apply_edits(value, edits)
    moved = OffsetMap(value, edits)
    applied = tuple(
        replace(h, start=a, end=b, text=h.token or "")
        for h, (a, b) in zip(sorted(sure, key=lambda h: h.start), spans, strict=True)
    )
    pending = []
    for hit in found:
        if hit in sure:
            continue
        span = moved.span(hit.start, hit.end)
        if span is not None:
            pending.append(hit.moved(*span))
    return Screened(new_value, applied, tuple(pending))


def screen_draft(
    draft: DocumentDraft, detector: Detector
) -> tuple[DocumentDraft, list[Hit], list[Hit]]:
    """A draft with the roster's names replaced in its text and metadata.

    Returns:
        The new draft, the replacements made (as hits whose ``text`` is the token) and the
        suggestions for review, over the text and the metadata fields.
    """
    text = screen_value(draft.text, detector)
    applied, pending = list(text.applied), list(text.pending)
    meta_values = {
        "title": draft.meta.title,
        "notetaker": draft.meta.notetaker or "",
        "source_name": draft.source_name,
    }
    new_values: dict[str, str] = {}
    for field, value in meta_values.items():
        screened = screen_value(value, detector, field)
        new_values[field] = screened.value
        applied += screened.applied
        pending += screened.pending
    meta = replace(draft.meta, title=new_values["title"], notetaker=new_values["notetaker"] or None)
    new = replace(draft, text=text.value, meta=meta, source_name=new_values["source_name"])
    notes = screening_notes(len(applied), len(pending))
    return replace(new, warnings=new.warnings + notes), applied, pending


def screening_notes(replaced: int, to_review: int) -> tuple[str, ...]:
    """What screening did, for an import's report: names replaced, then those to review."""
    notes = []
    if replaced:
        notes.append(f"{replaced} name{'s' if replaced != 1 else ''} replaced")
    if to_review:
        notes.append(f"{to_review} possible identifier{'s' if to_review != 1 else ''} to review")
    return tuple(notes)


@dataclass(frozen=True)
class DetectionPlan:
    """What to look for in a batch: the roster's entries and the detector's options.

    Plain, hashable data, so it travels to worker processes and one detector is built per
    process and plan.
    """

    entries: tuple[RosterEntry, ...] = ()
    options: DetectorOptions = DetectorOptions()


@functools.lru_cache(maxsize=4)
def detector_for(plan: DetectionPlan) -> Detector:
    """The detector for a plan (built once per process)."""
    return Detector(plan.entries, plan.options)
