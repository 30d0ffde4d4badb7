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

A sheet may hold several answer columns (one per question: the header is the question),
and its documents may be laid out three ways: one per focus group (the default, above), one
per question (and group), or one per participant with each answer a paragraph under its
question. Every other column (age, gender, role …) is kept as a participant attribute, one
value per participant, rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


LAYOUTS = ("group", "question", "participant")
# Columns never kept as attributes: they would carry who someone is into the project.
IDENTIFYING = {
    "name",
    "names",
    "full name",
    "first name",
    "last name",
    "surname",
    "forename",
    "email",
    "e mail",
    "email address",
    "phone",
    "telephone",
    "mobile",
    "address",
    "postcode",
    "post code",
    "zip",
    "dob",
    "date of birth",
    "nhs number",
}
MAPPING_FIELDS = ("session", "group", "participant", "question", "answer", "layout", "keep")


@dataclass(frozen=True)
class ColumnMapping:
    """Which table header holds each field; ``None`` means the sheet has no such column.

    Attributes:
        answer: Header of the answer text column (required).
        question: Header of the question column.
        session: Header of the session number column.
        group: Header of the group number column.
        participant: Header of the participant code column.
        answers: More answer columns; with several, each column's header is its question.
        layout: ``group`` (one document per focus group), ``question`` (one per question
            and group) or ``participant`` (one per participant).
        keep: Columns kept as participant attributes (``None``: every column not mapped
            to a field above).
    """

    answer: str
    question: str | None = None
    session: str | None = None
    group: str | None = None
    participant: str | None = None
    answers: tuple[str, ...] = ()
    layout: str = "group"
    keep: tuple[str, ...] | None = None

    @property
    def answer_columns(self) -> tuple[str, ...]:
        """Every answer column, the first one first."""
        return (self.answer, *(a for a in self.answers if a != self.answer))

    def mapped(self) -> set[str]:
        """Headers this mapping uses for a field (not kept as attributes)."""
        found = {self.question, self.session, self.group, self.participant}
        return {h for h in found if h} | set(self.answer_columns)


@dataclass(frozen=True)
class FeedbackImport:
    """What a feedback sheet turns into.

    Attributes:
        drafts: The documents.
        owners: For each draft, the participant it belongs to (participant layout), or
            ``None``.
        participant_attributes: Label -> column -> value of every other column.
        warnings: Remarks for the user (columns not kept, values that disagree).
    """

    drafts: list[DocumentDraft]
    owners: list[str | None]
    participant_attributes: dict[str, dict[str, str]]
    warnings: tuple[str, ...] = ()


def parse_mapping(text: str) -> ColumnMapping:
    """A mapping written ``field=Header,...`` (as ``ketqual import --columns`` takes it).

    ``answer=`` may repeat (several answer columns), ``keep=`` too (columns kept as
    participant attributes), and ``layout=group|question|participant`` chooses the
    documents.

    Raises:
        ValueError: A sentence saying what cannot be read.
    """
    fields: dict[str, object] = {}
    answers: list[str] = []
    keep: list[str] = []
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in MAPPING_FIELDS:
            raise ValueError(
                f"--columns: cannot read '{part}' (use field=Header; fields: "
                f"{', '.join(MAPPING_FIELDS)})"
            )
        if key == "answer":
            answers.append(value)
        elif key == "keep":
            keep.append(value)
        elif key == "layout":
            if value not in LAYOUTS:
                raise ValueError(f"--columns: layout is one of {', '.join(LAYOUTS)}, not '{value}'")
            fields["layout"] = value
        else:
            fields[key] = value
    if not answers:
        raise ValueError("--columns must name an answer column (answer=Header)")
    if fields.get("layout") == "participant" and "participant" not in fields:
        raise ValueError("--columns: layout=participant needs the participant column")
    return ColumnMapping(
        answer=answers[0],
        answers=tuple(answers[1:]),
        keep=tuple(keep) if keep else None,
        **fields,  # type: ignore[arg-type]
    )


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
    # Headers written as questions ("What worried you most?") are answer columns.
    asked = [h for i, h in enumerate(headers) if i not in used and h.strip().endswith("?")]
    if "answer" not in chosen:
        if not asked:
            return None
        chosen["answer"], asked = asked[0], asked[1:]
    return ColumnMapping(
        answer=chosen["answer"],
        question=chosen.get("question"),
        session=chosen.get("session"),
        group=chosen.get("group"),
        participant=chosen.get("participant"),
        answers=tuple(asked),
    )


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


def participant_label(cell: str) -> str:
    """The label an answer line uses: a bare number ``3`` (or ``3.0``) is ``P3``."""
    cell = cell.strip()
    if re.fullmatch(r"\d+(?:\.0*)?", cell):
        return f"P{int(float(cell))}"
    return cell


def feedback_documents(
    table: Table,
    mapping: ColumnMapping,
    *,
    source_name: str,
    source_sha256: str,
    source_format: str | None = None,
) -> list[DocumentDraft]:
    """The documents of :func:`feedback_sheet` (without the participant attributes)."""
    return feedback_sheet(
        table,
        mapping,
        source_name=source_name,
        source_sha256=source_sha256,
        source_format=source_format,
    ).drafts


def _sort_key(key: tuple) -> tuple:
    return tuple((n is None, n if isinstance(n, int) else 0, str(n or "")) for n in key)


def feedback_sheet(
    table: Table,
    mapping: ColumnMapping,
    *,
    source_name: str,
    source_sha256: str,
    source_format: str | None = None,
) -> FeedbackImport:
    """Make ``feedback_sheet`` documents from a table, and keep its other columns as
    participant attributes.

    Rows with every answer empty are skipped. Rows whose session or group cell is blank or
    not understood go into a document without that number (with a warning for the latter).
    With several answer columns each answer is filed under its column's header.

    Args:
        table: The sheet; ``table.headers`` is the header row.
        mapping: Which headers hold which field, and the layout.
        source_name: The source file's name.
        source_sha256: The source file's SHA-256.
        source_format: ``csv``, ``xlsx`` ...; taken from ``source_name``'s extension if omitted.

    Returns:
        Drafts ordered by session, group (and question or participant), unknown numbers
        last; who owns each; the participants' attributes; warnings.

    Raises:
        ValueError: A mapped header is not in the table, or the layout is unknown.
    """
    if mapping.layout not in LAYOUTS:
        raise ValueError(f"the layout is one of {', '.join(LAYOUTS)}, not '{mapping.layout}'")
    singles = {
        name: _column(table.headers, getattr(mapping, name))
        for name in ("question", "session", "group", "participant")
        if getattr(mapping, name) is not None
    }
    answer_columns = [(h, _column(table.headers, h)) for h in mapping.answer_columns]
    several = len(answer_columns) > 1
    mapped = {_column(table.headers, h) for h in mapping.mapped()}
    if mapping.keep is None:
        kept = [(h, i) for i, h in enumerate(table.headers) if i not in mapped and h.strip()]
    else:
        kept = [(h, _column(table.headers, h)) for h in mapping.keep]
    notes: list[str] = []
    private = [h for h, _i in kept if _simplify(h) in IDENTIFYING]
    if private:
        notes.append(
            f"columns not kept ({', '.join(private)}): they may identify people, and names "
            "must not reach the analysis"
        )
        kept = [(h, i) for h, i in kept if _simplify(h) not in IDENTIFYING]
    if kept and "participant" not in singles:
        names = ", ".join(h for h, _i in kept)
        notes.append(
            f"columns not kept ({names}): the sheet has no participant column to attach them to"
        )
        kept = []
    # key -> block (question or heading) -> lines
    docs: dict[tuple, dict[str, list[str]]] = {}
    warnings: dict[tuple, list[str]] = {}
    where: dict[str, set[tuple[int | None, int | None]]] = {}
    attributes: dict[str, dict[str, str]] = {}
    asked: dict[str, int] = {}
    for row_no, row in enumerate(table.rows, start=2):  # row 1 is the header, as in a sheet

        def cell(i: int, row: tuple[str, ...] = row) -> str:
            return _one_line(row[i]) if i < len(row) else ""

        values = {name: cell(i) for name, i in singles.items()}
        answers = [(h, cell(i)) for h, i in answer_columns]
        person = participant_label(values.get("participant", ""))
        if person:
            found = attributes.setdefault(person, {})
            for header, i in kept:
                value = cell(i)
                if not value:
                    continue
                if header in found and found[header] != value:
                    notes.append(
                        f"{person} has two values for '{header}' ({found[header]}, {value}); "
                        "the first is kept"
                    )
                    continue
                found[header] = value
        if not any(answer for _h, answer in answers):
            continue
        numbers, row_notes = [], []
        for name in ("session", "group"):
            number = parse_label_number(values.get(name, ""))
            if number is None and values.get(name):
                row_notes.append(
                    f"Row {row_no}: {name} {values[name]!r} not understood; left blank."
                )
            numbers.append(number)
        if person:
            where.setdefault(person, set()).add((numbers[0], numbers[1]))
        for header, answer in answers:
            if not answer:
                continue
            question = header if several else values.get("question", "")
            if mapping.layout == "participant":
                key: tuple = (person or None,)
                block, line = question, answer
            elif mapping.layout == "question":
                order = asked.setdefault(question, len(asked))  # questions as first met
                key = (numbers[0], numbers[1], order, question)
                block, line = "", _answer_line(values.get("participant", ""), answer)
            else:
                key = (numbers[0], numbers[1])
                block, line = question, _answer_line(values.get("participant", ""), answer)
            docs.setdefault(key, {}).setdefault(block, []).append(line)
            warnings.setdefault(key, []).extend(row_notes)
    fmt = source_format or (
        source_name.rsplit(".", 1)[-1].lower() if "." in source_name else "table"
    )
    drafts, owners = [], []
    for key in sorted(docs, key=_sort_key):
        if mapping.layout == "participant":
            person = key[0]
            groups = where.get(person or "", set())
            session, group = next(iter(groups)) if len(groups) == 1 else (None, None)
            title = f"{person or 'No participant'} – feedback sheet"
            # each answer its own paragraph, under its question
            blocks = [title] + [
                "\n\n".join(f"{q}\n{a}" if q else a for a in answers)
                for q, answers in docs[key].items()
            ]
        else:
            session, group = key[0], key[1]
            title = make_title(session, group, "feedback_sheet")
            if mapping.layout == "question" and key[3]:
                question = key[3] if len(key[3]) <= 60 else key[3][:59] + "…"
                title = f"{title}: {question}"
                blocks = [title, key[3], *("\n".join(lines) for lines in docs[key].values())]
            else:
                blocks = [title] + [
                    "\n".join(([q] if q else []) + lines) for q, lines in docs[key].items()
                ]
        meta = DocumentMeta(title=title, kind="feedback_sheet", session=session, group=group)
        drafts.append(
            DocumentDraft(
                meta=meta,
                text="\n\n".join(blocks) + "\n",
                source_name=source_name,
                source_sha256=source_sha256,
                source_format=fmt,
                warnings=tuple(dict.fromkeys(warnings[key])),
            )
        )
        owners.append(key[0] if mapping.layout == "participant" else None)
    kept_values = {p: v for p, v in attributes.items() if v}
    return FeedbackImport(drafts, owners, kept_values, tuple(dict.fromkeys(notes)))
