"""Turn a feedback-sheet table (one row per answer) into one document per focus group.

The document text is meant for reading and coding::

    Session 1, Group 3 – feedback sheets

    What worked well?
    P3: The maps
    P4: Meeting others

    What should change?
    - Longer breaks

Answers with a participant code are written ``P3: answer`` (a bare number ``3`` becomes
``P3``). Every answer line must start its own paragraph unit (see ``units.is_item_line``)
rather than merge with the next into one "sentence", so an answer without a code, or with
a code that is not a short tag like ``P3``/``R07``, gets a ``- `` bullet in front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from ketqual.core.metadata import make_title
from ketqual.core.model import DocumentDraft, DocumentMeta, Table
from ketqual.core.units import is_item_line

# Header spellings per field, compared after lower-casing and dropping punctuation. An
# exact spelling beats a header that merely contains one of the field's words.
_SYNONYMS = {
    "session": ("session", "session no", "session number", "session id", "sess", "session #"),
    "group": ("group", "grp", "group no", "group number", "group id", "focus group", "table", "fg"),
    "participant": (
        "participant",
        "participant code",
        "participant id",
        "pid",
        "respondent",
        "code",
    ),
    "question": ("question", "question text", "q", "prompt", "item"),
    "answer": ("answer", "response", "comment", "comments", "feedback", "reply", "text"),
}
_WORDS = {
    "session": {"session", "sess"},
    "group": {"group", "grp"},
    "participant": {"participant", "respondent", "attendee"},
    "question": {"question"},
    "answer": {"answer", "answers", "response", "responses", "comment", "comments", "feedback"},
}
_LABEL_RE = re.compile(
    r"(?:session|sess|group|grp|focus\s+group|table|s|g|fg)?\s*[#.:]?\s*(\d+)(?:\.0*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ColumnMapping:
    """Which table header holds each field; ``None`` means the sheet has no such column.

    Attributes:
        answer: Header of the answer text column (required).
        question: Header of the question column.
        session: Header of the session number column.
        group: Header of the group number column.
        participant: Header of the participant code column.
    """

    answer: str
    question: str | None = None
    session: str | None = None
    group: str | None = None
    participant: str | None = None


def _simplify(header: str) -> str:
    return " ".join(re.sub(r"[^\w#]+", " ", header.lower()).split())


def guess_mapping(headers: tuple[str, ...] | list[str]) -> ColumnMapping | None:
    """Guess the column mapping from header names, ignoring case and punctuation.

    Args:
        headers: The table's header row.

    Returns:
        The guessed mapping, or ``None`` when no header looks like an answer column.
    """
    simple = [_simplify(h) for h in headers]
    chosen: dict[str, str] = {}
    used: set[int] = set()
    for exact in (True, False):  # all exact spellings first, then "contains a field word"
        for field_name in ("answer", "question", "participant", "session", "group"):
            for i, header in enumerate(simple):
                if field_name in chosen or i in used:
                    continue
                hit = (
                    header in _SYNONYMS[field_name]
                    if exact
                    else bool(_WORDS[field_name] & set(header.split()))
                )
                if hit:
                    chosen[field_name] = headers[i]
                    used.add(i)
    if "answer" not in chosen:
        return None
    return ColumnMapping(**chosen)


def parse_label_number(value: str) -> int | None:
    """Read a session or group cell such as ``"2"``, ``"S2"``, ``"Session 2"`` or ``"2.0"``.

    Args:
        value: The cell text.

    Returns:
        The number, or ``None`` when the cell is blank or not understood.
    """
    m = _LABEL_RE.fullmatch(value.strip())
    return int(m.group(1)) if m else None


def _column(headers: tuple[str, ...], wanted: str) -> int:
    if wanted in headers:
        return headers.index(wanted)
    loose = [i for i, h in enumerate(headers) if h.strip().casefold() == wanted.strip().casefold()]
    if not loose:
        shown = ", ".join(repr(h) for h in headers) or "none"
        raise ValueError(f"The sheet has no column {wanted!r} (its columns are: {shown}).")
    return loose[0]


def _one_line(cell: str) -> str:
    # cells typed with Alt+Enter hold line breaks; a blank line would split the answer
    return " ".join(cell.split())


def _answer_line(participant: str, answer: str) -> str:
    if re.fullmatch(r"\d+(?:\.0*)?", participant):  # a bare number, maybe xlsx's "3.0"
        participant = f"P{int(float(participant))}"
    line = f"{participant}: {answer}" if participant else answer
    # every answer must start its own unit; "Anna: ..." or a bare answer would not
    return line if participant and is_item_line(line) else f"- {line}"


def feedback_documents(
    table: Table,
    mapping: ColumnMapping,
    *,
    source_name: str,
    source_sha256: str,
    source_format: str | None = None,
) -> list[DocumentDraft]:
    """Make one ``feedback_sheet`` document per (session, group) found in the table.

    Rows with an empty answer are skipped. Rows whose session or group cell is blank or not
    understood go into a document without that number (with a warning for the latter).

    Args:
        table: The sheet; ``table.headers`` is the header row.
        mapping: Which headers hold which field.
        source_name: The source file's name.
        source_sha256: The source file's SHA-256.
        source_format: ``csv``, ``xlsx`` ...; taken from ``source_name``'s extension if omitted.

    Returns:
        Drafts ordered by session then group, unknown numbers last.

    Raises:
        ValueError: A mapped header is not in the table.
    """
    cols = {
        f.name: _column(table.headers, getattr(mapping, f.name))
        for f in fields(mapping)
        if getattr(mapping, f.name) is not None
    }
    docs: dict[tuple[int | None, int | None], dict[str, list[str]]] = {}
    warnings: dict[tuple[int | None, int | None], list[str]] = {}
    for row_no, row in enumerate(table.rows, start=2):  # row 1 is the header, as in a sheet
        cell = {name: _one_line(row[i]) if i < len(row) else "" for name, i in cols.items()}
        if not cell["answer"]:
            continue
        numbers, notes = [], []
        for name in ("session", "group"):
            number = parse_label_number(cell.get(name, ""))
            if number is None and cell.get(name):
                notes.append(f"Row {row_no}: {name} {cell[name]!r} not understood; left blank.")
            numbers.append(number)
        key = (numbers[0], numbers[1])
        line = _answer_line(cell.get("participant", ""), cell["answer"])
        docs.setdefault(key, {}).setdefault(cell.get("question", ""), []).append(line)
        warnings.setdefault(key, []).extend(notes)
    fmt = source_format or (
        source_name.rsplit(".", 1)[-1].lower() if "." in source_name else "table"
    )
    drafts = []
    for key in sorted(docs, key=lambda k: tuple((n is None, n or 0) for n in k)):
        title = make_title(key[0], key[1], "feedback_sheet")
        blocks = [title] + [
            "\n".join(([q] if q else []) + answers) for q, answers in docs[key].items()
        ]
        meta = DocumentMeta(title=title, kind="feedback_sheet", session=key[0], group=key[1])
        drafts.append(
            DocumentDraft(
                meta=meta,
                text="\n\n".join(blocks) + "\n",
                source_name=source_name,
                source_sha256=source_sha256,
                source_format=fmt,
                warnings=tuple(warnings[key]),
            )
        )
    return drafts
