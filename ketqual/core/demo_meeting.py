"""The demo's consensus meeting: what a supervisor decides on each disagreement, and why.

The demo project should open on a meeting in progress: most of the queue decided, a few
items put aside, the last ones still waiting. :func:`plan_meeting` works through the queue
in order with a fixed, believable policy, so the same demo always gets the same meeting:

* **Boundary shift**: both coders used the code, so keep it over the union of their spans;
  but when one span is more than three times the other, the extra sentences have moved on
  to another point and the narrower reading is taken.
* **Different code, a theme against its own subtheme**: the subtheme says more; take the
  coder who used it (the other coder's memo, if any, becomes a dissent).
* **Different code, two other codes**: a coder's memo that asks a question makes the item
  one to come back to (deferred, at most ``defer`` of them); otherwise keep the code the
  consensus layer already uses in that document, or both codes when it uses neither.
* **One coder only**: keep it when that coder left a memo explaining it, or when the
  code's theme is in the consensus layer close by; otherwise it was a passing mention.

Reasons and dissent notes are written out in full and rotate through a few phrasings, as
real meeting notes would. Pure: records in, steps out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ketqual.core import disagreements as dis
from ketqual.core.records import CodingRecord, DisagreementRecord

DEFER = "defer"
NEAR = 400  # characters either side of a passage that count as "close by"
NARROWER_RATIO = 3.0


@dataclass(frozen=True)
class MeetingStep:
    """One decision of the meeting: ``action`` is a resolution or ``defer``."""

    disagreement_id: int
    action: str
    reason: str
    dissent: str = ""


_BOUNDARY_BOTH = (
    "Same code, different cut. The consensus keeps the whole stretch either coder marked.",
    "Both spans hold the point; joined so the quote reads on its own.",
    "Only the boundary differs. The wider reading keeps the lead-in that gives the remark "
    "its context.",
    "The coders agree on the code; the union of their spans goes into the consensus.",
)
_BOUNDARY_NARROW = (
    "The longer span runs on into a different point; {narrow}'s tighter span holds the remark.",
    "{wide} coded several more sentences than the remark needs; kept {narrow}'s span.",
)
_NESTED = (
    "'{sub}' says more than '{theme}' here, and the passage fits its definition.",
    "Coded at subtheme level: the remark is specifically about '{sub}'.",
    "The group settled on the more specific code, '{sub}'.",
)
_SIBLING_KEEP = (
    "The group's other remarks on this are coded '{code}' in the consensus; kept that "
    "for consistency.",
    "'{code}' matches how this document was coded elsewhere; {coder}'s reading stands.",
)
_SIBLING_BOTH = (
    "The remark touches both '{x}' and '{y}'; keep both codes.",
    "Two readings, both defensible: the passage carries both codes.",
)
_DEFER = (
    "{coder}'s memo asks a question the codebook does not answer yet. Back to it once the "
    "definitions have been looked at again.",
    "Not settled in the meeting: check the full notes for this group before deciding.",
    "Left for the next meeting; the scribe may remember what was meant.",
)
_ONE_SIDED_MEMO = (
    "{coder}'s memo makes the case for '{code}'; the group agreed to keep it.",
    "Kept: {coder}'s memo explains why this counts as '{code}'.",
)
_ONE_SIDED_NEARBY = (
    "The group is discussing {theme} around this passage; the code belongs here too.",
    "Fits the surrounding discussion of {theme}; {other} missed it on a first pass.",
    "Keep it: the neighbouring sentences are coded under {theme} as well.",
)
_ONE_SIDED_DROP = (
    "A passing mention; not enough on its own to code as '{code}'.",
    "On rereading this is context, not a remark about '{code}'. Left out of the consensus.",
    "Too thin for '{code}'; nothing in the passage goes beyond the topic being named.",
)
_ONE_SIDED_DISSENT = "{coder} still reads it as '{code}'."


class _Phrases:
    """Hands out each category's phrasings in turn (deterministic variety)."""

    def __init__(self) -> None:
        self.used: dict[tuple[str, ...], int] = {}

    def __call__(self, options: tuple[str, ...], **values: str) -> str:
        turn = self.used.get(options, 0)
        self.used[options] = turn + 1
        return options[turn % len(options)].format(**values)


def plan_meeting(
    items: Sequence[DisagreementRecord],
    *,
    parents: Mapping[int, int | None],
    names: Mapping[int, str],
    consensus: Sequence[CodingRecord],
    coder_a: str = "Coder A",
    coder_b: str = "Coder B",
    leave_open: int = 10,
    defer: int = 3,
) -> list[MeetingStep]:
    """Decide the queue ``items`` (in queue order) as the demo's meeting would.

    Args:
        items: The open disagreements, in queue order.
        parents: ``code id -> parent id`` (``None`` for a theme).
        names: ``code id -> name``.
        consensus: The consensus layer before the meeting (the accepted agreements).
        coder_a: Coder A's name, for reasons and dissent notes.
        coder_b: Coder B's name.
        leave_open: How many items at the end of the queue the meeting does not reach.
        defer: At most this many items are deferred.

    Returns:
        One step per decided item, in queue order; the last ``leave_open`` items have none.
    """
    planner = _Planner(parents, names, consensus, coder_a, coder_b)
    reached = list(items)[: max(0, len(items) - leave_open)]
    steps = []
    for item in reached:
        step = planner.decide(item, may_defer=planner.deferred < defer)
        if step.action == DEFER:
            planner.deferred += 1
        steps.append(step)
    return steps


class _Planner:
    def __init__(
        self,
        parents: Mapping[int, int | None],
        names: Mapping[int, str],
        consensus: Sequence[CodingRecord],
        coder_a: str,
        coder_b: str,
    ) -> None:
        self.parents = parents
        self.names = names
        self.coders = (coder_a, coder_b)
        self.consensus: dict[int, list[CodingRecord]] = {}
        for coding in consensus:
            self.consensus.setdefault(coding.document_id, []).append(coding)
        self.phrase = _Phrases()
        self.deferred = 0
        self.counts: dict[str, int] = {}

    def _theme(self, code_id: int) -> int:
        return self.parents.get(code_id) or code_id

    def _name(self, code_id: int) -> str:
        return self.names.get(code_id, f"#{code_id}")

    def _turn(self, what: str) -> int:
        """How many times ``what`` came up before (for every-nth dissent notes)."""
        self.counts[what] = self.counts.get(what, 0) + 1
        return self.counts[what]

    def decide(self, item: DisagreementRecord, *, may_defer: bool) -> MeetingStep:
        if item.kind == dis.BOUNDARY:
            return self._boundary(item)
        if item.kind == dis.DIFFERENT_CODE:
            return self._different(item, may_defer)
        return self._one_sided(item)

    def _boundary(self, item: DisagreementRecord) -> MeetingStep:
        length_a = sum(c.end - c.start for c in item.codings_a)
        length_b = sum(c.end - c.start for c in item.codings_b)
        narrow, wide = (0, 1) if length_a <= length_b else (1, 0)
        lengths = (length_a, length_b)
        if lengths[wide] > NARROWER_RATIO * max(lengths[narrow], 1):
            reason = self.phrase(
                _BOUNDARY_NARROW, narrow=self.coders[narrow], wide=self.coders[wide]
            )
            action = dis.TAKE_A if narrow == 0 else dis.TAKE_B
            return MeetingStep(item.id, action, reason)
        dissent = ""
        if self._turn("boundary") % 5 == 0:
            dissent = f"{self.coders[narrow]} would have stopped at the shorter span."
        return MeetingStep(item.id, dis.BOTH, self.phrase(_BOUNDARY_BOTH), dissent)

    def _different(self, item: DisagreementRecord, may_defer: bool) -> MeetingStep:
        codes_a = [c.code_id for c in item.codings_a]
        codes_b = [c.code_id for c in item.codings_b]
        for side, mine, theirs, other in (
            (0, codes_a, codes_b, item.codings_b),
            (1, codes_b, codes_a, item.codings_a),
        ):
            sub = next((c for c in mine if self.parents.get(c) in theirs), None)
            if sub is None:
                continue
            theme = self.parents[sub] or sub
            reason = self.phrase(
                _NESTED,
                sub=self._name(sub),
                theme=self._name(theme),
            )
            dissent = ""
            if any(c.memo.strip() for c in other):
                dissent = f"{self.coders[1 - side]} kept it at theme level on purpose (see memo)."
            return MeetingStep(item.id, dis.TAKE_A if side == 0 else dis.TAKE_B, reason, dissent)
        questions = [
            side
            for side, codings in enumerate((item.codings_a, item.codings_b))
            if any("?" in c.memo for c in codings)
        ]
        if questions and may_defer:
            reason = self.phrase(_DEFER, coder=self.coders[questions[0]])
            return MeetingStep(item.id, DEFER, reason)
        nearby = self._nearby_codes(item)
        in_a = [c for c in codes_a if c in nearby]
        in_b = [c for c in codes_b if c in nearby]
        if bool(in_a) != bool(in_b):
            side = 0 if in_a else 1
            code = (in_a or in_b)[0]
            reason = self.phrase(_SIBLING_KEEP, code=self._name(code), coder=self.coders[side])
            return MeetingStep(item.id, dis.TAKE_A if side == 0 else dis.TAKE_B, reason)
        reason = self.phrase(_SIBLING_BOTH, x=self._name(codes_a[0]), y=self._name(codes_b[0]))
        return MeetingStep(item.id, dis.BOTH, reason)

    def _nearby_codes(self, item: DisagreementRecord) -> set[int]:
        """Codes of consensus codings in the same document (the group's other remarks)."""
        return {c.code_id for c in self.consensus.get(item.document_id, ())}

    def _theme_close_by(self, item: DisagreementRecord, theme: int) -> bool:
        return any(
            self._theme(c.code_id) == theme
            and c.start < item.end + NEAR
            and c.end > item.start - NEAR
            for c in self.consensus.get(item.document_id, ())
        )

    def _one_sided(self, item: DisagreementRecord) -> MeetingStep:
        side = 0 if item.codings_a else 1
        codings = item.codings_a or item.codings_b
        coder, other = self.coders[side], self.coders[1 - side]
        keep = dis.TAKE_A if side == 0 else dis.TAKE_B
        code = codings[0].code_id
        values = {"coder": coder, "other": other, "code": self._name(code)}
        if any(c.memo.strip() for c in codings):
            return MeetingStep(item.id, keep, self.phrase(_ONE_SIDED_MEMO, **values))
        theme = self._theme(code)
        if self._theme_close_by(item, theme):
            reason = self.phrase(_ONE_SIDED_NEARBY, theme=self._name(theme), **values)
            return MeetingStep(item.id, keep, reason)
        dissent = ""
        if self._turn("drop") % 3 == 0:
            dissent = _ONE_SIDED_DISSENT.format(**values)
        return MeetingStep(item.id, dis.NEITHER, self.phrase(_ONE_SIDED_DROP, **values), dissent)
