"""Words of the framework matrices: what a cell says, the legend, drafts from quotes,
and the reference ids a summary cites."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ketqual.core.framework import MatrixCell
from ketqual.core.framework_quotes import QuotedPassage

# What a cell shows, beyond the three stored states.
SUMMARY = "summary"
NOT_DISCUSSED = "not_discussed"
NOTHING_SUBSTANTIVE = "nothing_substantive"
TO_SUMMARISE = "to_summarise"  # passages, no summary yet
NO_PASSAGES = "no_passages"  # no passages, no summary

STATE_LABELS = {
    SUMMARY: "Summary",
    NOTHING_SUBSTANTIVE: "Discussed, nothing substantive",
    NOT_DISCUSSED: "Not discussed",
    TO_SUMMARISE: "Not summarised yet",
    NO_PASSAGES: "No coded passages",
}
NO_PASSAGES_MARK = "–"
QUOTE_LENGTH = 140

LEGEND = (
    ("Text", "The analyst's summary of what the group said on this subtheme."),
    (
        "[S1G2-N-412-530]",
        "A reference to a coded passage: session 1, group 2, scribe notes (F feedback "
        "sheets, O other documents), characters 412 to 530 of that document (counted from "
        "0, end not included). The Quotes sheet gives its text; a number after the letter "
        "(N2) marks a group's second document of that kind; D17 is document 17, which "
        "belongs to no focus group.",
    ),
    (
        STATE_LABELS[NOTHING_SUBSTANTIVE],
        "The group touched on it, but said nothing that adds to the analysis.",
    ),
    (STATE_LABELS[NOT_DISCUSSED], "The analyst recorded that the group did not discuss it."),
    (
        f"{STATE_LABELS[TO_SUMMARISE]}: …",
        "Passages were coded here but no summary has been written; their references follow.",
    ),
    (NO_PASSAGES_MARK, "Nothing was coded here and the analyst has recorded nothing."),
    (
        "Other (theme-level)",
        "Passages coded at the theme itself rather than at one of its subthemes.",
    ),
)

_REF_SHAPE = re.compile(r"(?<![\w-])(?:S\d+G\d+|G\d+|D\d+)-[NFO]\d*-\d+-\d+(?![\w-])")


def reference_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each with whether it is a reference id such as
    ``S1G2-N-412-530`` (exports keep an id on one line)."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in _REF_SHAPE.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((match.group(0), True))
        at = match.end()
    if at < len(text) or not pieces:
        pieces.append((text[at:], False))
    return pieces


def status(cell: MatrixCell) -> str:
    """What the cell amounts to: a stored state, or ``to_summarise`` / ``no_passages``."""
    summary = cell.summary
    if summary is not None and (summary.state != SUMMARY or summary.text.strip()):
        return summary.state
    return TO_SUMMARISE if cell.passages else NO_PASSAGES


def cell_text(cell: MatrixCell) -> str:
    """The text a cell shows in an export."""
    state = status(cell)
    note = cell.summary.text.strip() if cell.summary is not None else ""
    if state == SUMMARY:
        return note
    if state in (NOTHING_SUBSTANTIVE, NOT_DISCUSSED):
        return STATE_LABELS[state] + (f"\n{note}" if note else "")
    if state == TO_SUMMARISE:
        refs = "; ".join(p.ref for p in cell.passages)
        return f"{STATE_LABELS[TO_SUMMARISE]}: {refs}"
    return NO_PASSAGES_MARK


def cited(text: str, passages: Iterable[QuotedPassage]) -> list[QuotedPassage]:
    """The passages whose reference id appears in ``text`` (as a whole id)."""
    found = set(_REF_SHAPE.findall(text))
    return [p for p in passages if p.ref in found]


def unknown_references(text: str, passages: Iterable[QuotedPassage]) -> list[str]:
    """Reference ids in ``text`` that match none of ``passages`` (stale or mistyped)."""
    known = {p.ref for p in passages}
    return list(dict.fromkeys(r for r in _REF_SHAPE.findall(text) if r not in known))


def refs_for(text: str, passages: Iterable[QuotedPassage]) -> tuple[str, ...]:
    """Uids of the codings behind the passages ``text`` cites, to store with a summary."""
    return tuple(dict.fromkeys(u for p in cited(text, passages) for u in p.coding_uids))


def short_quote(text: str, limit: int = QUOTE_LENGTH) -> str:
    """A passage as a short quote: one line, bullets dropped, cut at a word with "…"."""
    lines = [re.sub(r"^\s*(?:[-–—•*·]|\d+[.)])\s+", "", line) for line in text.splitlines()]
    flat = " ".join(" ".join(lines).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def draft_from_quotes(
    passages: Sequence[QuotedPassage], limit: int = QUOTE_LENGTH
) -> tuple[str, tuple[str, ...]]:
    """A first draft of a cell for the analyst to rewrite: one short quote per passage
    with its reference id.

    Returns:
        ``(text, refs)``: the draft, and the uids of the codings it cites.
    """
    lines = [f"“{short_quote(p.text, limit)}” [{p.ref}]" for p in passages if p.text.strip()]
    text = "\n".join(lines)
    return text, refs_for(text, passages)
