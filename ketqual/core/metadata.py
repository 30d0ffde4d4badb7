"""Guess a document's session, group, kind, notetaker and date from its file name and text.

Every guess is only a default the user can edit, so the rules favour precision: a value is
reported only when a pattern clearly states it, and conflicting statements yield nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ketqual.core.model import DOCUMENT_KINDS, DocumentMeta

HEADER_LINES = 12  # how many non-empty lines at the top form the "header block"
MAX_HEADING_LENGTH = 80  # longer lines are never headings

# Session and group labels, without capture groups so they nest in larger patterns; the
# number is pulled out afterwards with _number(). Abbreviations (S2, G5, FG5) must touch
# their digits; the spelled-out words may be followed by "no.", "number" or "#".
_NO = r"(?:\s*(?:no\.?|number|#))?\s*"
_SESS = rf"(?:\bsess(?:ion)?\.?{_NO}\d{{1,2}}|\bs\d{{1,2}})(?!\d)"
_GRP = rf"(?:(?:\bfocus\s+|\b)(?:group|grp\.?){_NO}\d{{1,2}}|(?:\b|(?<=\d))f?g\d{{1,2}})(?!\d)"
_SEP = r"\s*(?:[,;:/|&+–—-]|\band\b)?\s*"
_BOTH = rf"(?P<s>{_SESS}){_SEP}(?P<g>{_GRP})|(?P<g2>{_GRP})\s*[(,:–—-]?\s*(?P<s2>{_SESS})\s*\)?"
_BOTH_RE = re.compile(_BOTH, re.IGNORECASE)
_SESS_WORD_RE = re.compile(r"\bsession\s*(?:no\.?|number|#)?\s*\d{1,2}(?!\d)", re.IGNORECASE)
_GRP_WORD_RE = re.compile(rf"(?:\bfocus\s+|\b)group{_NO}\d{{1,2}}(?!\d)", re.IGNORECASE)

# A line that is nothing but a heading: markdown/bullet/rule decoration around one of the
# label combinations, optionally followed by "notes" and a trailing colon.
_DECOR = r"[\s#*=~_>•·–—-]*"
_HEADING_RE = re.compile(
    rf"{_DECOR}(?:{_BOTH}|(?P<g3>{_GRP})|(?P<s3>{_SESS}))"
    rf"(?:\s+(?:scribe['’]?s?\s+)?notes|\s+feedback)?\s*[:.]?{_DECOR}",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"\s*(?:[-*•–—‣◦▪●+]\s|\(?\d{1,3}[.)]\s|\(?[a-z]\)\s)", re.IGNORECASE)

_KIND_WORDS = {
    "scribe": "scribe_notes",
    "scribes": "scribe_notes",
    "notetaker": "scribe_notes",
    "feedback": "feedback_sheet",
    "sheet": "feedback_sheet",
    "sheets": "feedback_sheet",
    "notes": "scribe_notes",
}
_KIND_LABELS = {"scribe_notes": "scribe notes", "feedback_sheet": "feedback sheets"}
_KIND_TEXT = (
    (re.compile(r"\bscribe(?:s|['’]s|s['’])?\s+notes\b", re.IGNORECASE), "scribe_notes"),
    (re.compile(r"\bfeedback\s+(?:sheets?|forms?)\b", re.IGNORECASE), "feedback_sheet"),
)

_NAME_AFTER_ROLE = re.compile(
    r"\b(?:scribes?|note[\s-]?taker|minute[\s-]?taker|recorder)\s*[:–—-]\s*(?P<n>.+)"
    r"|\b(?:notes\s+(?:taken|typed|written)|scribed)\s+by\s*[:–—-]?\s*(?P<n2>.+)",
    re.IGNORECASE,
)
_NAME_CUT = re.compile(
    r"\s{2,}|\t|[|;,]|\s[–—-]\s|\s+(?=(?:date|session|group|time|venue)\b)", re.IGNORECASE
)
_NAME_OK = re.compile(r"[^\W\d_][\w.'’ ()-]{0,59}")  # "scribe 4 (JK)" keeps the initials

_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/.-])"),
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b,?\s+(?P<y>\d{{4}})(?!\d)",
        re.I,
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
)


def _number(label: str | None) -> int | None:
    if not label:
        return None
    found = re.search(r"\d+", label)
    return int(found.group()) if found else None


def make_title(session: int | None, group: int | None, kind: str = "other") -> str:
    """Build the standard human title, e.g. ``"Session 2, Group 5 – scribe notes"``.

    Args:
        session: Session number, if known.
        group: Group number, if known.
        kind: One of ``DOCUMENT_KINDS``; ``"other"`` adds no suffix.

    Returns:
        The title; ``"Scribe notes"``, ``"Feedback sheets"`` or ``"Document"`` when neither
        number is known.
    """
    parts = [
        f"Session {session}" if session is not None else "",
        f"Group {group}" if group is not None else "",
    ]
    head = ", ".join(p for p in parts if p)
    label = _KIND_LABELS.get(kind)
    if head and label:
        return f"{head} – {label}"
    return head or (label.capitalize() if label else "Document")


def parse_heading(line: str) -> tuple[int | None, int | None] | None:
    """Read a line that consists only of a session and/or group heading.

    Accepts e.g. ``"Session 2 – Group 5"``, ``"## S2 G5"``, ``"Group 5 (session 2)"``,
    ``"- Group 5:"``, ``"**Group 5**"`` and ``"Session 3"``; rejects any line with other words.

    Args:
        line: One line of text, without its line break.

    Returns:
        ``(session, group)`` with ``None`` for a part the heading does not state, or ``None``
        when the line is not a heading.
    """
    # Headings are short; the bound also keeps the decoration-matching regex, which
    # backtracks quadratically on long rules like "=====...", cheap.
    m = _HEADING_RE.fullmatch(line) if len(line) <= MAX_HEADING_LENGTH else None
    if m is None:
        return None
    return _number(m["s"] or m["s2"] or m["s3"]), _number(m["g"] or m["g2"] or m["g3"])


def parse_date(text: str) -> str | None:
    """Find the first valid calendar date in ``text``, read day-first as in the UK.

    Args:
        text: Any text, e.g. ``"Date: 17/03/2018"`` or ``"Sat 17 Mar 2018"``.

    Returns:
        The date as ``YYYY-MM-DD``, or ``None``.
    """
    found: list[tuple[int, str]] = []
    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            if "m" in pattern.groupindex:
                month = int(m["m"])
            else:
                month = 1 + _MONTHS.index(m["mon"][:3].lower())
            try:
                found.append((m.start(), dt.date(year, month, int(m["d"])).isoformat()))
            except ValueError:  # e.g. 31/02/2018: keep looking
                continue
            break  # the first valid date of each pattern; the earliest in the text wins
    return min(found)[1] if found else None


def infer_from_filename(name: str) -> dict[str, Any]:
    """Guess kind, session, group and title from a file name such as ``S2_G5_scribe.docx``.

    Args:
        name: A file name; any directory part and the extension are ignored.

    Returns:
        A dict with any of the keys ``kind``, ``session``, ``group`` and ``title``.
    """
    stem = re.sub(r"(?<=.)\.[A-Za-z0-9]{1,5}$", "", re.split(r"[\\/]", name)[-1])
    words = " ".join(re.sub(r"[_\-.]+", " ", stem).split())
    facts: dict[str, Any] = {}
    if m := _BOTH_RE.search(words):
        facts["session"] = _number(m["s"] or m["s2"])
        facts["group"] = _number(m["g"] or m["g2"])
    else:
        if m := re.search(_SESS, words, re.IGNORECASE):
            facts["session"] = _number(m.group())
        if m := re.search(_GRP, words, re.IGNORECASE):
            facts["group"] = _number(m.group())
    found = [w for w in words.lower().split() if w in _KIND_WORDS]
    # "notes" is generic ("feedback notes"), so any other kind word takes precedence
    strong = [w for w in found if w != "notes"]
    if found:
        facts["kind"] = _KIND_WORDS[(strong or found)[0]]
    if "session" in facts and "group" in facts:
        facts["title"] = make_title(facts["session"], facts["group"], facts.get("kind", "other"))
    elif words:
        facts["title"] = words
    return facts


def _notetaker(line: str) -> str | None:
    m = _NAME_AFTER_ROLE.search(line)
    if m is None:
        return None
    name = _NAME_CUT.split(m["n"] or m["n2"], maxsplit=1)[0].strip(" .:-–—")
    if not _NAME_OK.fullmatch(name) or len(name.split()) > 6 or name.lower().startswith("the "):
        return None
    return name


def infer_from_text(text: str) -> dict[str, Any]:
    """Guess session, group, notetaker, date and kind from a document's header block.

    Only the first ``HEADER_LINES`` non-empty lines are read. Bullet lines count only when
    they are a bare heading, so "- P2 said group 3 ..." says nothing. When the header names
    two different sessions (or groups), e.g. a combined document, that field is omitted. A
    notetaker line ("Scribe: Ann") also hints that the document is scribe notes.

    Args:
        text: The document text.

    Returns:
        A dict with any of the keys ``session``, ``group``, ``notetaker``, ``date``, ``kind``.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:HEADER_LINES]
    sessions: list[int] = []
    groups: list[int] = []
    facts: dict[str, Any] = {}
    for line in lines:
        found: tuple[int | None, int | None] = (None, None)
        if (heading := parse_heading(line)) is not None:
            found = heading
        elif _BULLET_RE.match(line):
            pass  # notes about other groups are common in bullets; only headings count
        elif m := _BOTH_RE.search(line):
            found = (_number(m["s"] or m["s2"]), _number(m["g"] or m["g2"]))
        else:
            s, g = _SESS_WORD_RE.search(line), _GRP_WORD_RE.search(line)
            found = (_number(s and s.group()), _number(g and g.group()))
        sessions += [found[0]] if found[0] is not None else []
        groups += [found[1]] if found[1] is not None else []
        if "notetaker" not in facts and (name := _notetaker(line)):
            facts["notetaker"] = name
        if "date" not in facts and (date := parse_date(line)):
            facts["date"] = date
        for pattern, kind in _KIND_TEXT:
            if "kind" not in facts and pattern.search(line):
                facts["kind"] = kind
    if len(set(sessions)) == 1:
        facts["session"] = sessions[0]
    if len(set(groups)) == 1:
        facts["group"] = groups[0]
    if "kind" not in facts and "notetaker" in facts:
        facts["kind"] = "scribe_notes"
    return facts


_FIELDS = ("kind", "session", "group", "notetaker", "date")


def infer_meta(
    file_name: str, text: str, **overrides: object
) -> tuple[DocumentMeta, tuple[str, ...]]:
    """Combine file-name facts, header-text facts and explicit values into metadata.

    Precedence: explicit non-``None`` overrides, then the file name, then the text. When
    file name and text disagree the file name is kept and a note says so.

    Args:
        file_name: The source file's name.
        text: The extracted document text.
        **overrides: Any ``DocumentMeta`` field; ``None`` means "no override".

    Returns:
        The metadata (always with a non-empty title) and notes for the user.

    Raises:
        TypeError: An override names no ``DocumentMeta`` field.
        ValueError: The ``kind`` override is not one of ``DOCUMENT_KINDS``.
    """
    unknown = set(overrides) - {*_FIELDS, "title"}
    if unknown:
        raise TypeError(f"unknown metadata field(s): {', '.join(sorted(unknown))}")
    if overrides.get("kind") is not None and overrides["kind"] not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind: {overrides['kind']!r}")
    from_name, from_text = infer_from_filename(file_name), infer_from_text(text)
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key in _FIELDS:
        a, b = from_name.get(key), from_text.get(key)
        if a is not None and b is not None and a != b and overrides.get(key) is None:
            notes.append(
                f"The file name says {key} {a} but the text says {key} {b}; "
                f"using {key} {a} from the file name."
            )
        values[key] = a if a is not None else b
        if overrides.get(key) is not None:
            values[key] = overrides[key]
    title = str(overrides.get("title") or "").strip()
    if not title and values["session"] is not None and values["group"] is not None:
        title = make_title(values["session"], values["group"], values["kind"] or "other")
    if not title:
        first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        title = str(from_name.get("title") or first_line[:80] or "Untitled document")
    values["kind"] = values["kind"] or "other"
    return DocumentMeta(title=title, **values), tuple(notes)


_SHORT_KIND = {"scribe_notes": "notes", "feedback_sheet": "feedback"}


def short_title(title: str, kind: str, session: int | None, group: int | None) -> str:
    """A short label for lists where every full title starts the same ("S1 G3 notes").

    Documents without a session and group keep their title: it is all that tells them apart.
    """
    if session is None and group is None:
        return title
    parts = []
    if session is not None:
        parts.append(f"S{session}")
    if group is not None:
        parts.append(f"G{group}")
    label = _SHORT_KIND.get(kind)
    if label is None:
        return f"{' '.join(parts)} {title}".strip()
    return f"{' '.join(parts)} {label}"
