"""The theme report: for each theme, in codebook order, the structured material of a
Results section. Nothing in it is generated prose: definitions come from the codebook,
numbers from the counts the theme-overlap network figure draws, quotes from the
supervisor's stars.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ketqual.core.attributes import natural_key
from ketqual.core.records import CaseRecord, DocumentRecord
from ketqual.core.theme_counts import Passage

NO_STARS = "No quotes were starred for this theme."


@dataclass(frozen=True)
class StarredQuote:
    """A quote chosen for the report.

    Attributes:
        ref: Reference id (the framework matrices').
        text: The quoted text.
        case: Its focus group ("" when none).
        document: Its document's title.
        code: The code it was starred under (``Theme/Subtheme``).
        participants: Labels of the participants it belongs to.
        starred_by: Who starred it.
        still_coded: False when no passage of the theme covers it any more (the codings
            changed after it was starred).
    """

    ref: str
    text: str
    case: str
    document: str
    code: str
    participants: tuple[str, ...] = ()
    starred_by: str = ""
    still_coded: bool = True


@dataclass(frozen=True)
class Overlap:
    """A theme this one overlaps with, as the network figure draws it."""

    theme: str
    n12: int
    value: str  # the figure's measure, formatted ("0.08")
    state: str  # accepted, drawn or candidate


@dataclass(frozen=True)
class ThemeSection:
    """One theme's material.

    Attributes:
        name: The theme.
        definition: Its codebook definition.
        n: Coded passages (the network figure's n).
        groups: ``(focus group, passages)`` for each group that raised it, in order.
        sessions: ``(session, groups, passages)`` for each session that raised it.
        subthemes: ``(subtheme, n)`` in codebook order.
        overlaps: Themes it overlaps with.
        quotes: The starred quotes.
    """

    code_id: int
    name: str
    definition: str
    n: int
    groups: tuple[tuple[str, int], ...]
    sessions: tuple[tuple[str, int, int], ...]
    subthemes: tuple[tuple[str, int], ...]
    overlaps: tuple[Overlap, ...]
    quotes: tuple[StarredQuote, ...]


@dataclass(frozen=True)
class ThemeReport:
    """The whole report.

    Attributes:
        project_name: The project.
        layer: The layer reported ("Consensus", "Coder A").
        unit: What n counts, in words.
        overlap_basis: How the overlapping themes were chosen, in words.
        created_at: When (ISO 8601, UTC).
        sections: One per theme in codebook order.
        no_case: Passages in documents without a focus group (not in any group's count).
    """

    project_name: str
    layer: str
    unit: str
    overlap_basis: str
    created_at: str
    sections: tuple[ThemeSection, ...]
    no_case: int = 0


def groups_and_sessions(
    passages: Iterable[Passage],
    documents: Mapping[int, DocumentRecord],
    cases: Mapping[int, CaseRecord],
) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int, int], ...], int]:
    """Which focus groups and sessions a theme's passages come from.

    Returns:
        ``(groups, sessions, without a group)``: passages per group in session and group
        order; per session the number of groups and of passages; and how many passages
        lie in documents without a focus group.
    """
    per_case: Counter[int] = Counter()
    without = 0
    for passage in passages:
        doc = documents.get(passage.document_id)
        if doc is None or doc.case_id is None or doc.case_id not in cases:
            without += 1
            continue
        per_case[doc.case_id] += 1
    ordered = sorted(
        per_case,
        key=lambda c: (
            cases[c].session if cases[c].session is not None else 10**9,
            cases[c].group if cases[c].group is not None else 10**9,
            natural_key(cases[c].name),
        ),
    )
    groups = tuple((cases[c].name, per_case[c]) for c in ordered)
    sessions: dict[str, tuple[int, int]] = {}
    for c in ordered:
        label = f"Session {cases[c].session}" if cases[c].session is not None else "No session"
        count, total = sessions.get(label, (0, 0))
        sessions[label] = (count + 1, total + per_case[c])
    return groups, tuple((s, g, n) for s, (g, n) in sessions.items()), without


def quote_text(text: str, start: int, end: int) -> str:
    """A starred span's text, whitespace collapsed."""
    return " ".join(text[start:end].split())


def section_lines(section: ThemeSection) -> Sequence[tuple[str, str]]:
    """The facts of a section as label/text pairs (writers lay them out)."""
    groups = ", ".join(f"{g} ({n})" for g, n in section.groups) or "none"
    sessions = (
        "; ".join(
            f"{s}: {g} group{'s' if g != 1 else ''}, {n} passage{'s' if n != 1 else ''}"
            for s, g, n in section.sessions
        )
        or "none"
    )
    subthemes = "; ".join(f"{name} (n = {n})" for name, n in section.subthemes) or "none"
    overlaps = (
        "; ".join(
            f"{o.theme} ({o.n12} shared, {o.value}{'' if o.state != 'candidate' else ', not yet reviewed'})"
            for o in section.overlaps
        )
        or "none"
    )
    return [
        ("Definition", section.definition or "(no definition in the codebook)"),
        ("n", str(section.n)),
        ("Sessions", sessions),
        ("Focus groups", groups),
        ("Subthemes", subthemes),
        ("Overlaps with", overlaps),
    ]
