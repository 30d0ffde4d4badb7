"""Split one file holding several focus groups' notes into one section per group.

Scribes sometimes type a whole session into one file::

    Consultation day – session 3 notes (all groups)
    Typed up by the scribes ...

    Session 3 – Group 5
    Scribe: ...
    - P1 worried about ...

    Group 6
    ...

A *heading* is a line holding nothing but a group label ("Session 3 – Group 5", "Group 6",
"## G6", "- Group 6:" ...; see :func:`ketqual.core.metadata.parse_heading`). A line holding
only a session label ("Session 4") sets the session for the group headings after it and
also ends the section before it. Text outside every section, such as the *preamble* before
the first heading or notes between a session line and its first group, is not lost: it is
reported by :func:`uncovered_spans` (and :func:`preamble`) so the caller can show or keep it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core.metadata import infer_from_text, make_title, parse_heading
from ketqual.core.model import DocumentMeta


@dataclass(frozen=True)
class Section:
    """One group's part of a combined document: ``text[start:end]`` begins at its heading.

    Attributes:
        session: Session number from the heading, an earlier session line, the preamble or
            the caller's default; ``None`` when nothing says.
        group: Group number from the heading.
        start: Offset of the heading's first non-space character.
        end: Offset just after the section's last non-space character.
        heading: The heading line, stripped of surrounding whitespace.
    """

    session: int | None
    group: int | None
    start: int
    end: int
    heading: str


def _headings(text: str) -> list[tuple[int, int | None, int | None, str]]:
    """All heading lines as ``(start, session, group, stripped line)`` in text order."""
    found = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and (heading := parse_heading(stripped)) is not None:
            found.append((pos + line.index(stripped[0]), heading[0], heading[1], stripped))
        pos += len(line)
    return found


def find_group_sections(text: str, default_session: int | None = None) -> list[Section]:
    """Find the per-group sections of a combined document.

    Args:
        text: The whole document text.
        default_session: Session for group headings that state none and follow no session
            line. When ``None``, the session named in the preamble's header (e.g.
            "session 3 notes (all groups)") is used, if any.

    Returns:
        The sections in text order, or ``[]`` when fewer than two group headings exist (the
        document is then a single group's notes, or not divided by group at all).
    """
    headings = _headings(text)
    if sum(1 for _, _, group, _ in headings if group is not None) < 2:
        return []
    session = default_session
    if session is None:
        session = infer_from_text(text[: headings[0][0]]).get("session")
    sections = []
    for i, (start, h_session, group, line) in enumerate(headings):
        if h_session is not None:
            session = h_session  # later bare "Group n" headings belong to this session
        if group is None:
            continue
        end = headings[i + 1][0] if i + 1 < len(headings) else len(text)
        end = start + len(text[start:end].rstrip())
        sections.append(Section(session, group, start, end, line))
    return sections


def uncovered_spans(text: str, sections: list[Section]) -> list[tuple[int, int]]:
    """Return the trimmed, non-blank spans of ``text`` that lie in no section.

    Args:
        text: The document text the sections were found in.
        sections: Sections from :func:`find_group_sections`, in text order.

    Returns:
        ``(start, end)`` offsets; the first is the preamble when it starts before the first
        section. Empty when ``sections`` is empty (then the whole text is one document).
    """
    if not sections:
        return []
    spans = []
    bounds = [0, *(x for s in sections for x in (s.start, s.end)), len(text)]
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        piece = text[a:b]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((a + lead, a + len(piece.rstrip())))
    return spans


def preamble(text: str, sections: list[Section]) -> str:
    """Return the trimmed text before the first section ("" when there are no sections).

    Args:
        text: The document text the sections were found in.
        sections: Sections from :func:`find_group_sections`.

    Returns:
        The preamble, e.g. a title and "Typed up by ..." lines shared by all groups.
    """
    return text[: sections[0].start].strip() if sections else ""


def split_document(
    text: str, default_session: int | None = None
) -> list[tuple[int | None, int | None, str]]:
    """Split a combined document into ``(session, group, section_text)`` triples.

    Args:
        text: The whole document text.
        default_session: As for :func:`find_group_sections`.

    Returns:
        One triple per section, its text starting at the heading; ``[]`` when the document
        has fewer than two group headings.
    """
    return [
        (s.session, s.group, text[s.start : s.end])
        for s in find_group_sections(text, default_session)
    ]


def section_meta(base: DocumentMeta, section: Section, text: str) -> DocumentMeta:
    """Metadata for one group's section of a combined document.

    The section's session and group, and the notetaker and date its own header names,
    replace the whole document's; everything else (kind, undated sections' date...) is kept.

    Args:
        base: Metadata of the whole combined document.
        section: A section from :func:`find_group_sections`.
        text: The combined document's text.
    """
    facts = infer_from_text(text[section.start : section.end])
    return base.merged(
        title=make_title(section.session, section.group, base.kind),
        session=section.session,
        group=section.group,
        notetaker=facts.get("notetaker"),
        date=facts.get("date"),
    )
