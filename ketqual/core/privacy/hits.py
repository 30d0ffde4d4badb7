"""One suggested identifier in a text: where it is, what it is and how sure the rule is."""

from __future__ import annotations

from dataclasses import dataclass, replace

# Where a suggestion came from, strongest first (used to settle overlaps).
SOURCES = ("roster", "place", "pattern", "title", "model", "manual")
FIELDS = ("text", "title", "notetaker", "source_name")


@dataclass(frozen=True)
class Hit:
    """A suggested identifier: ``text[start:end]`` of a document text or metadata field.

    Attributes:
        start: First code point.
        end: One past the last code point.
        text: The words found (what the user sees in context).
        kind: One of :data:`ketqual.core.privacy.kinds.KINDS`.
        source: One of :data:`SOURCES`.
        certain: True when the rule is sure (a roster name that is no ordinary word, an
            e-mail address, an NHS number with a valid checksum ...): such hits may be
            replaced without asking. False means "for review": never replaced blindly.
        reason: Why it was suggested, in a few words for the reviewer.
        entry_uid: The roster entry (in the key file) the hit belongs to, if known.
        token: The replacement token, when the entry already has one.
        field: ``text`` or the metadata field the hit is in.
    """

    start: int
    end: int
    text: str
    kind: str
    source: str
    certain: bool
    reason: str
    entry_uid: str | None = None
    token: str | None = None
    field: str = "text"

    @property
    def length(self) -> int:
        """Code points covered."""
        return self.end - self.start

    def moved(self, start: int, end: int) -> Hit:
        """The same hit at another place."""
        return replace(self, start=start, end=end)


def _rank(hit: Hit) -> tuple:
    # longer first, then sure before unsure, then the stronger source
    return (-hit.length, not hit.certain, SOURCES.index(hit.source))


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep one hit where several overlap, in text order.

    A title hit ("Dr Patel") that contains a roster hit ("Patel") becomes the roster
    entry's hit over the whole span, and sure, because a title with a roster name is a
    person on the roster. Otherwise the longest hit wins, then the surer, then the
    stronger source.
    """
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, *_rank(h))):
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            if last.source == "title" and hit.source == "roster" and hit.end <= last.end:
                merged[-1] = replace(
                    last,
                    kind=hit.kind,
                    source="roster",
                    certain=hit.entry_uid is not None,  # a shared surname stays for review
                    reason=f"title with {hit.reason}",
                    entry_uid=hit.entry_uid,
                    token=hit.token,
                )
            elif _rank(hit) < _rank(last):
                merged[-1] = hit  # the newcomer wins (longer or surer from the same start)
            continue
        merged.append(hit)
    # a winner can now overlap a later keeper of the same start walk; settle once more
    out: list[Hit] = []
    for hit in merged:
        if out and hit.start < out[-1].end:
            if _rank(hit) < _rank(out[-1]):
                out[-1] = hit
            continue
        out.append(hit)
    return out


STATUSES = ("pending", "accepted", "rejected", "applied")


@dataclass(frozen=True)
class StoredHit:
    """A suggestion as the project keeps it, with the reviewers' decision.

    ``status``: ``pending`` (nobody decided), ``accepted`` (to be replaced),
    ``rejected`` (not an identifier) or ``applied`` (replaced: ``text`` is then the token
    and ``start``/``end`` say where the token is).
    """

    id: int
    uid: str
    document_id: int
    field: str
    start: int
    end: int
    kind: str
    source: str
    certain: bool
    reason: str
    entry_uid: str | None
    token: str | None
    text: str
    status: str
    decided_by: str | None
    decided_at: str | None
