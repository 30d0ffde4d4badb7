"""Reading a voting sheet: which columns are what, and every vote checked before any is kept.

Two shapes are understood:

* **One row per participant**: a participant column (pseudonymised ids such as ``P14``; a
  bare number ``14`` is read as ``P14``, as on feedback sheets) and one column per
  question. A multiple-choice question is either several columns, one per option, headed
  ``Question [Option]`` (or ``Question: Option`` when the question is named with
  ``--multi``) and holding a tick (``x``, ``1``, ``yes``, ``✓``, or the option's text), or
  one column whose cells list the chosen options separated by ``;`` (or line breaks).
* **A tally**: columns for the question, the option and the count. A blank question cell
  repeats the question above it. Two optional rows per question: ``(no answer)`` for the
  people present who did not answer, and ``(respondents)`` for how many people answered a
  multiple-choice question (without it, percentages of respondents are unknown).

A question's type and options come from a question list when there is one (a sheet named
``Questions`` with columns Question, Type, Options and Themes, or the questions already in
the project); otherwise from the answers: only yes/no/unsure answers make a yes/no/unsure
question, only 1-5 a rating, anything else a single choice with the options in the order
they first appear. With a question list, an answer that is not one of its options is an
error, as are a participant listed twice, a row without a participant, and a count that
is not a whole number; every error names its row and column, and nothing is imported
while any remains.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ketqual.core.model import Table
from ketqual.core.votes import KIND_LABELS, KINDS, RATING_OPTIONS, YES_NO_UNSURE, default_options

MISSING_CELLS = frozenset(
    {"", "-", "–", "—", "n/a", "na", "no answer", "not answered", "missing", "(no answer)"}
)
TICKS = frozenset({"x", "✓", "✔", "☑", "1", "yes", "y", "true", "ticked", "selected", "chosen"})
UNTICKED = frozenset({"", "0", "no", "n", "false", "-", "–", "☐"})
TALLY_MISSING = frozenset({"(no answer)", "no answer", "not answered", "missing", "(missing)"})
TALLY_RESPONDENTS = frozenset({"(respondents)", "respondents", "people who answered"})
_YES_NO = {
    "yes": "Yes",
    "y": "Yes",
    "no": "No",
    "n": "No",
    "unsure": "Unsure",
    "not sure": "Unsure",
    "don't know": "Unsure",
    "dont know": "Unsure",
    "do not know": "Unsure",
    "dk": "Unsure",
    "undecided": "Unsure",
    "?": "Unsure",
}
_KIND_WORDS = {
    "single": "single",
    "single choice": "single",
    "one": "single",
    "choice": "single",
    "yes/no/unsure": "yesno",
    "yes/no": "yesno",
    "yes-no-unsure": "yesno",
    "yes-no": "yesno",
    "yesno": "yesno",
    "yes no unsure": "yesno",
    "yes no": "yesno",
    "multiple": "multiple",
    "multiple choice": "multiple",
    "multi": "multiple",
    "multi-select": "multiple",
    "multiselect": "multiple",
    "tick all": "multiple",
    "tick all that apply": "multiple",
    "rating": "rating",
    "rating 1-5": "rating",
    "scale": "rating",
    "likert": "rating",
}
_SYNONYMS = {
    "participant": (
        "participant",
        "participant id",
        "participant code",
        "pid",
        "id",
        "respondent",
        "respondent id",
        "code",
        "pseudonym",
        "who",
    ),
    "question": ("question", "question text", "q", "item", "vote", "voting question"),
    "option": ("option", "answer", "choice", "response", "category", "option text"),
    "count": ("count", "votes", "n", "number", "total", "tally", "frequency", "freq", "hands"),
}
# Columns a per-participant sheet often carries that are not questions: left out by guess
# (and named in the report), never read as votes.
_NOT_QUESTIONS = (
    "session",
    "group",
    "focus group",
    "table",
    "date",
    "role",
    "notes",
    "note",
    "comments",
    "comment",
    "name",
    "facilitator",
    "scribe",
)
_BRACKET = re.compile(r"^(?P<question>.*\S)\s*\[(?P<option>[^\]]+)\]\s*$")
_JOINER_CHARS = ("[", ":", "-", "–", "—", "/", "_", "|")
SEPARATORS = (";", "\n")
MAX_ERRORS_SHOWN = 3
_NO_OPTIONS = (
    "nobody answered {text!r}, so its options are unknown; list it on a Questions sheet "
    "with its type and options"
)


class SheetError(ValueError):
    """The sheet cannot be imported; ``str(exc)`` names the row and column of the first
    problem (and how many more there are)."""


@dataclass(frozen=True)
class QuestionSpec:
    """A question's definition from a question list (or the project).

    Attributes:
        text: The question as the sheet names it.
        kind: One of :data:`~ketqual.core.votes.KINDS`.
        options: Option texts in order (fixed ones for yes/no/unsure and rating).
        themes: Theme names to link it to.
    """

    text: str
    kind: str
    options: tuple[str, ...]
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VoteColumns:
    """Which headers hold what (``None`` = not mapped; guessed when the sheet is read).

    Attributes:
        participant: Participant ids (one row per participant).
        question: Question text (tally).
        option: Option text (tally).
        count: Count (tally).
        skip: Columns that are not questions (left out).
        multi: Questions that are multiple choice (a column or a shared header prefix).
        separator: What separates several answers in one cell (line breaks always do).
    """

    participant: str | None = None
    question: str | None = None
    option: str | None = None
    count: str | None = None
    skip: tuple[str, ...] = ()
    multi: tuple[str, ...] = ()
    separator: str = ";"

    @property
    def shape(self) -> str:
        """``tally`` when any tally column is mapped, else ``participants``."""
        if self.question or self.option or self.count:
            return "tally"
        return "participants"


@dataclass(frozen=True)
class QuestionDraft:
    """A question read from the sheet with its checked answers, ready to store.

    Attributes:
        text: The question.
        kind: Its type.
        options: Option texts in order.
        shape: ``participants`` or ``tally``.
        answers: Participant -> option indices (empty = no answer); participants shape.
        counts: Count per option; tally shape.
        missing: Present but no answer (tally).
        respondents: People who answered a multiple-choice tally (``None`` if not given).
        themes: Theme names from the question list.
        how: How the type and options were decided (for the report).
    """

    text: str
    kind: str
    options: tuple[str, ...]
    shape: str
    answers: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    counts: tuple[int, ...] = ()
    missing: int = 0
    respondents: int | None = None
    themes: tuple[str, ...] = ()
    how: str = ""


@dataclass(frozen=True)
class VoteSheet:
    """Everything read from one voting sheet."""

    shape: str
    questions: tuple[QuestionDraft, ...]
    participants: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@lru_cache(maxsize=8192)
def simplify(text: str) -> str:
    """Compare cells and headers ignoring case, spacing and a trailing full stop."""
    return " ".join(str(text).replace("\u2019", "'").split()).casefold().rstrip(".")


def _header_key(header: str) -> str:
    return " ".join(re.sub(r"[^\w#/]+", " ", header.casefold()).split())


def participant_label(cell: str) -> str:
    """A participant cell as stored: trimmed, one space, and ``14``/``14.0`` -> ``P14``."""
    text = " ".join(cell.split())
    if re.fullmatch(r"\d+(?:\.0*)?", text):
        return f"P{int(float(text))}"
    return text


def parse_kind(text: str) -> str | None:
    """A question type as people write it ("Yes/No/Unsure", "multiple choice", ...)."""
    key = simplify(text).replace("–", "-")
    if key in KINDS:
        return key
    return _KIND_WORDS.get(key)


def split_options(text: str) -> tuple[str, ...]:
    """``"A; B;C"`` (or one per line) -> ``("A", "B", "C")``."""
    parts = re.split(r"[;\n]", text)
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def guess_columns(headers: Sequence[str]) -> VoteColumns | None:
    """Guess the columns from their headers (ignoring case and punctuation).

    Returns a tally mapping when headers for question, option and count are all there,
    else a per-participant mapping when a participant column is found, else ``None``.
    """
    keys = [_header_key(h) for h in headers]
    found: dict[str, str] = {}
    for name, spellings in _SYNONYMS.items():
        for i, key in enumerate(keys):
            if key in spellings and headers[i] not in found.values():
                found[name] = headers[i]
                break
    if all(name in found for name in ("question", "option", "count")):
        return VoteColumns(question=found["question"], option=found["option"], count=found["count"])
    if "participant" not in found:
        for i, key in enumerate(keys):  # "Participant (pseudonym)", "Respondent no."
            if {"participant", "respondent"} & set(key.split()):
                found["participant"] = headers[i]
                break
    if "participant" in found:
        skip = tuple(
            h
            for h, key in zip(headers, keys, strict=True)
            if h != found["participant"] and key in _NOT_QUESTIONS
        )
        return VoteColumns(participant=found["participant"], skip=skip)
    return None


def _column(headers: Sequence[str], wanted: str, what: str) -> int:
    for i, header in enumerate(headers):
        if header == wanted:
            return i
    for i, header in enumerate(headers):
        if simplify(header) == simplify(wanted):
            return i
    shown = ", ".join(repr(h) for h in headers if h) or "none"
    raise SheetError(
        f"The sheet has no column {wanted!r} for the {what} (its columns are: {shown})."
    )


class _Errors:
    """Collects problems so the message can name the first and count the rest."""

    def __init__(self) -> None:
        self.found: list[tuple[int, int, str]] = []  # (row, order found, sentence)

    @property
    def items(self) -> list[str]:
        """The problems in sheet order (whole-column problems first)."""
        return [text for _row, _n, text in sorted(self.found)]

    def add(self, row: int | None, column: str | None, text: str) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        place = ", ".join(where)
        sentence = f"{place[:1].upper()}{place[1:]}: {text}" if place else text
        self.found.append((row or 0, len(self.found), sentence))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        shown = self.items[:MAX_ERRORS_SHOWN]
        more = len(self.items) - len(shown)
        message = " ".join(s if s.endswith(".") else s + "." for s in shown)
        if more:
            message += f" ({more} more problem{'s' if more != 1 else ''} in the sheet.)"
        raise SheetError(message + " Nothing was imported.")


def row_number(table: Table, index: int) -> int:
    """The spreadsheet row of ``table.rows[index]`` (row 1 is the header)."""
    numbers = getattr(table, "row_numbers", ())
    if numbers and index < len(numbers):
        return numbers[index]
    return index + 2


# -- question lists -------------------------------------------------------------------


def is_question_list(table: Table) -> bool:
    """True for a sheet named Questions, or with Question and Type columns."""
    keys = {_header_key(h) for h in table.headers}
    named = (table.sheet or "").strip().casefold() in ("questions", "question list")
    return ("question" in keys and "type" in keys) or (named and "question" in keys)


def read_question_list(table: Table) -> dict[str, QuestionSpec]:
    """The question list: Question (required), Type, Options (``;``-separated), Themes.

    Returns:
        Specs by simplified question text.

    Raises:
        SheetError: For an unknown type, a repeated question, wrong fixed options.
    """
    headers = table.headers
    keys = [_header_key(h) for h in headers]
    col = {
        name: keys.index(name) for name in ("question", "type", "options", "themes") if name in keys
    }
    if "question" not in col:
        raise SheetError("The question list needs a 'Question' column.")
    errors = _Errors()
    specs: dict[str, QuestionSpec] = {}
    first: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        line = row_number(table, i)
        text = " ".join(row[col["question"]].split())
        if not text:
            continue
        kind_text = row[col["type"]].strip() if "type" in col else ""
        options = split_options(row[col["options"]]) if "options" in col else ()
        themes = split_options(row[col["themes"]]) if "themes" in col else ()
        kind = parse_kind(kind_text) if kind_text else ("single" if options else None)
        if kind is None:
            shown = ", ".join(KIND_LABELS.values())
            errors.add(
                line,
                headers[col["type"]] if "type" in col else None,
                f"{kind_text!r} is not a question type ({shown})"
                if kind_text
                else f"question {text!r} needs a type or its options",
            )
            continue
        key = simplify(text)
        if key in specs:
            errors.add(
                line,
                headers[col["question"]],
                f"question {text!r} is listed twice (rows {first[key]} and {line})",
            )
            continue
        fixed = default_options(kind)
        if (
            kind == "yesno"
            and options
            and tuple(simplify(o) for o in options) != tuple(simplify(o) for o in fixed)
        ):
            errors.add(
                line,
                headers[col["options"]],
                "a yes/no/unsure question has the options Yes; No; Unsure",
            )
            continue
        if kind == "rating" and options and len(options) != len(RATING_OPTIONS):
            errors.add(line, headers[col["options"]], "a rating question has five options (1 to 5)")
            continue
        options = options or fixed
        if not options:
            errors.add(
                line,
                headers[col["options"]] if "options" in col else None,
                f"question {text!r} needs its options",
            )
            continue
        repeated = _repeated(options)
        if repeated:
            errors.add(line, headers[col["options"]], f"the option {repeated!r} is listed twice")
            continue
        specs[key] = QuestionSpec(text, kind, tuple(options), tuple(themes))
        first[key] = line
    errors.raise_if_any()
    return specs


def _repeated(options: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for option in options:
        if simplify(option) in seen:
            return option
        seen.add(simplify(option))
    return None


# -- one row per participant ----------------------------------------------------------


@dataclass
class _QuestionColumns:
    text: str
    columns: list[tuple[int, str | None]]  # (column index, option named by the header)
    declared_multi: bool = False


def _split_header(header: str, multi: Sequence[str]) -> tuple[str, str | None, bool]:
    """``(question, option named by the header or None, named with --multi)``."""
    text = " ".join(header.split())
    for name in multi:
        stem = " ".join(name.split())
        if text.lower() == stem.lower():
            return stem, None, True
        if text.lower().startswith(stem.lower()) and len(text) > len(stem):
            rest = text[len(stem) :].lstrip()
            if rest[:1] in _JOINER_CHARS:
                option = rest.lstrip("".join(_JOINER_CHARS) + " ").rstrip("]").strip()
                if option:
                    return stem, option, True
    match = _BRACKET.match(text)
    if match:
        return " ".join(match["question"].split()), " ".join(match["option"].split()), False
    return text, None, False


def _group_columns(
    headers: Sequence[str], used: set[int], multi: Sequence[str]
) -> list[_QuestionColumns]:
    """Question columns in sheet order; several columns of one multiple-choice question
    are grouped by their shared question text."""
    groups: dict[str, _QuestionColumns] = {}
    for i, header in enumerate(headers):
        if i in used or not header.strip():
            continue
        text, option, declared = _split_header(header, multi)
        group = groups.setdefault(simplify(text), _QuestionColumns(text, [], declared))
        group.columns.append((i, option))
    return list(groups.values())


def read_participant_sheet(
    table: Table,
    columns: VoteColumns,
    specs: Mapping[str, QuestionSpec] | None = None,
) -> VoteSheet:
    """Read a sheet with one row per participant and one column (or several) per question.

    Args:
        table: The sheet.
        columns: ``participant`` must be set; ``skip``, ``multi`` and ``separator`` apply.
        specs: Known questions by :func:`simplify`-d text (a question list, the project's).

    Raises:
        SheetError: Naming the row and column of each problem; nothing is returned then.
    """
    specs = specs or {}
    if not columns.participant:
        raise SheetError(
            "Cannot tell which column holds the participant ids; map it "
            f"(participant=HEADER; the columns are: {', '.join(h for h in table.headers if h)})."
        )
    headers = table.headers
    p_col = _column(headers, columns.participant, "participant ids")
    used = {p_col} | {_column(headers, s, "columns to leave out") for s in columns.skip}
    for name in columns.multi:
        if not any(
            simplify(h) == simplify(name) or simplify(h).startswith(simplify(name)) for h in headers
        ):
            shown = ", ".join(repr(h) for h in headers if h)
            raise SheetError(
                f"No column is the multiple-choice question {name!r} (the columns are: {shown})."
            )
    groups = _group_columns(headers, used, columns.multi)
    if not groups:
        raise SheetError("The sheet has no question columns besides the participant ids.")
    errors = _Errors()
    participants: list[str] = []
    rows_of: dict[str, int] = {}
    kept_rows: list[tuple[int, tuple[str, ...], str]] = []
    for i, row in enumerate(table.rows):
        line = row_number(table, i)
        label = participant_label(row[p_col])
        if not label:
            errors.add(line, headers[p_col], "no participant id (every row needs one, such as P14)")
            continue
        key = label.casefold()
        if key in rows_of:
            errors.add(
                line,
                headers[p_col],
                f"participant {label} appears twice (rows {rows_of[key]} and {line})",
            )
            continue
        rows_of[key] = line
        participants.append(label)
        kept_rows.append((line, row, label))
    drafts = []
    notes: list[str] = []
    for group in groups:
        draft = _read_question(group, kept_rows, headers, columns, specs, errors, notes)
        if draft is not None:
            drafts.append(draft)
    errors.raise_if_any()
    skipped = tuple(headers[i] for i in sorted(used - {p_col}))
    return VoteSheet("participants", tuple(drafts), tuple(participants), skipped, tuple(notes))


def _read_question(
    group: _QuestionColumns,
    rows: list[tuple[int, tuple[str, ...], str]],
    headers: Sequence[str],
    columns: VoteColumns,
    specs: Mapping[str, QuestionSpec],
    errors: _Errors,
    notes: list[str],
) -> QuestionDraft | None:
    spec = specs.get(simplify(group.text))
    several = len(group.columns) > 1 or group.columns[0][1] is not None
    if spec is not None and spec.kind != "multiple" and (several or group.declared_multi):
        errors.add(
            None,
            headers[group.columns[0][0]],
            f"{group.text!r} is a {KIND_LABELS[spec.kind]} question, so it takes one column",
        )
        return None
    if several:
        return _read_tick_columns(group, rows, headers, spec, errors)
    index = group.columns[0][0]
    header = headers[index]
    multiple = group.declared_multi or (spec is not None and spec.kind == "multiple")
    cells = [(line, row[index], label) for line, row, label in rows]
    if multiple:
        return _read_list_cells(group.text, header, cells, spec, columns.separator, errors)
    return _read_one_answer(group.text, header, cells, spec, columns.separator, errors, notes)


def _match(value: str, options: Sequence[str], kind: str) -> int | None:
    key = simplify(value)
    for i, option in enumerate(options):
        if simplify(option) == key:
            return i
    if kind == "yesno" and key in _YES_NO:
        return options.index(_YES_NO[key]) if _YES_NO[key] in options else None
    if kind == "rating":
        number = re.fullmatch(r"([1-5])(?:\.0*)?", key)
        if number and len(options) == len(RATING_OPTIONS):
            return int(number.group(1)) - 1
    return None


def _not_an_option(value: str, text: str, options: Sequence[str]) -> str:
    return f"{value!r} is not an option of {text!r} (its options: {', '.join(options)})"


def _infer(values: list[str]) -> tuple[str, tuple[str, ...], str]:
    """Type and options of a question without a definition, from its answers."""
    keys = [simplify(v) for v in values]
    if keys and all(k in _YES_NO for k in keys):
        return "yesno", YES_NO_UNSURE, "yes/no/unsure answers only"
    if keys and all(re.fullmatch(r"[1-5](?:\.0*)?", k) for k in keys):
        return "rating", RATING_OPTIONS, "answers 1 to 5 only"
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(simplify(value), " ".join(value.split()))
    return "single", tuple(seen.values()), "options in the order they first appear"


def _read_one_answer(
    text: str,
    header: str,
    cells: list[tuple[int, str, str]],
    spec: QuestionSpec | None,
    separator: str,
    errors: _Errors,
    notes: list[str],
) -> QuestionDraft | None:
    given = [(line, " ".join(cell.split()), label) for line, cell, label in cells]
    present = [v for _line, v, _label in given if simplify(v) not in MISSING_CELLS]
    if spec is not None:
        kind, options, how = spec.kind, spec.options, "from the question list"
    else:
        kind, options, how = _infer(present)
        if kind == "single" and any(separator in v or "\n" in v for v in present):
            notes.append(
                f"Some answers to {text!r} hold {separator!r}; if it is multiple choice, "
                "name it as such (--multi) and import again."
            )
    if not options:
        errors.add(None, header, _NO_OPTIONS.format(text=text))
        return None
    answers: dict[str, tuple[int, ...]] = {}
    for line, value, label in given:
        if simplify(value) in MISSING_CELLS:
            answers[label] = ()
            continue
        index = _match(value, options, kind)
        if index is None:
            errors.add(line, header, _not_an_option(value, text, options))
            continue
        answers[label] = (index,)
    return QuestionDraft(
        text,
        kind,
        tuple(options),
        "participants",
        answers,
        themes=spec.themes if spec else (),
        how=how,
    )


def _read_list_cells(
    text: str,
    header: str,
    cells: list[tuple[int, str, str]],
    spec: QuestionSpec | None,
    separator: str,
    errors: _Errors,
) -> QuestionDraft | None:
    pattern = "|".join(re.escape(s) for s in {separator or ";", "\n"})
    split = [
        (line, [" ".join(p.split()) for p in re.split(pattern, cell) if p.strip()], label)
        for line, cell, label in cells
    ]
    if spec is not None:
        options, how = spec.options, "from the question list"
    else:
        seen: dict[str, str] = {}
        for _line, parts, _label in split:
            for part in parts:
                if simplify(part) not in MISSING_CELLS:
                    seen.setdefault(simplify(part), part)
        options, how = tuple(seen.values()), "options in the order they first appear"
    if not options:
        errors.add(None, header, _NO_OPTIONS.format(text=text))
        return None
    answers: dict[str, tuple[int, ...]] = {}
    for line, parts, label in split:
        chosen: list[int] = []
        for part in parts:
            if simplify(part) in MISSING_CELLS:
                continue
            index = _match(part, options, "multiple")
            if index is None:
                errors.add(line, header, _not_an_option(part, text, options))
            elif index not in chosen:
                chosen.append(index)
        answers[label] = tuple(sorted(chosen))
    return QuestionDraft(
        text,
        "multiple",
        tuple(options),
        "participants",
        answers,
        themes=spec.themes if spec else (),
        how=how,
    )


def _read_tick_columns(
    group: _QuestionColumns,
    rows: list[tuple[int, tuple[str, ...], str]],
    headers: Sequence[str],
    spec: QuestionSpec | None,
    errors: _Errors,
) -> QuestionDraft:
    named = [(i, option or headers[i]) for i, option in group.columns]
    if spec is not None:
        options, how = spec.options, "from the question list"
        index_of: dict[int, int] = {}
        for i, option in named:
            found = _match(option, options, "multiple")
            if found is None:
                errors.add(None, headers[i], _not_an_option(option, group.text, options))
            else:
                index_of[i] = found
    else:
        options = tuple(option for _i, option in named)
        repeated = _repeated(options)
        if repeated:
            errors.add(None, None, f"the option {repeated!r} of {group.text!r} has two columns")
        index_of = {i: n for n, (i, _option) in enumerate(named)}
        how = "one column per option"
    answers: dict[str, tuple[int, ...]] = {}
    for line, row, label in rows:
        chosen: list[int] = []
        for i, option in named:
            cell = simplify(row[i])
            if cell in UNTICKED or cell in MISSING_CELLS:
                continue
            if cell in TICKS or cell == simplify(option):
                if i in index_of:
                    chosen.append(index_of[i])
                continue
            errors.add(
                line,
                headers[i],
                f"{row[i]!r} is not a tick (use x, 1 or yes for a chosen option, or the "
                f"option's own text; leave it empty otherwise)",
            )
        answers[label] = tuple(sorted(set(chosen)))
    return QuestionDraft(
        group.text,
        "multiple",
        tuple(options),
        "participants",
        answers,
        themes=spec.themes if spec else (),
        how=how,
    )


# -- tally --------------------------------------------------------------------------


@dataclass
class _TallyQuestion:
    text: str
    first_row: int
    counts: dict[str, tuple[int, int, str]] = field(
        default_factory=dict
    )  # key -> (count, row, text)
    missing: int = 0
    respondents: int | None = None
    missing_row: int | None = None
    respondents_row: int | None = None


def _whole_number(cell: str) -> int | None:
    text = cell.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    match = re.fullmatch(r"(\d+)(?:\.0*)?", text)
    return int(match.group(1)) if match else None


def read_tally(
    table: Table,
    columns: VoteColumns,
    specs: Mapping[str, QuestionSpec] | None = None,
) -> VoteSheet:
    """Read a tally: question, option and count per row.

    Args:
        table: The sheet.
        columns: ``question``, ``option`` and ``count`` must be set; ``multi`` names
            questions that are multiple choice.
        specs: Known questions by :func:`simplify`-d text.

    Raises:
        SheetError: Naming the row and column of each problem.
    """
    specs = specs or {}
    missing_fields = [f for f in ("question", "option", "count") if not getattr(columns, f)]
    if missing_fields:
        raise SheetError(
            "A tally needs columns for the question, the option and the count; map "
            f"{', '.join(f + '=HEADER' for f in missing_fields)} "
            f"(the columns are: {', '.join(h for h in table.headers if h)})."
        )
    headers = table.headers
    q_col = _column(headers, columns.question, "question")  # type: ignore[arg-type]
    o_col = _column(headers, columns.option, "option")  # type: ignore[arg-type]
    c_col = _column(headers, columns.count, "count")  # type: ignore[arg-type]
    errors = _Errors()
    questions: dict[str, _TallyQuestion] = {}
    current: _TallyQuestion | None = None
    for i, row in enumerate(table.rows):
        line = row_number(table, i)
        text = " ".join(row[q_col].split())
        option = " ".join(row[o_col].split())
        cell = row[c_col]
        if not text and not option and not cell.strip():
            continue
        if text:
            current = questions.setdefault(simplify(text), _TallyQuestion(text, line))
        if current is None:
            errors.add(line, headers[q_col], "no question (the first row of a tally needs one)")
            continue
        count = _whole_number(cell)
        if count is None:
            what = repr(cell) if cell.strip() else "an empty cell"
            errors.add(line, headers[c_col], f"{what} is not a whole number")
            continue
        key = simplify(option)
        if not option:
            errors.add(line, headers[o_col], "no option")
        elif key in TALLY_MISSING:
            if current.missing_row is not None:
                errors.add(
                    line,
                    headers[o_col],
                    f"the people without an answer to {current.text!r} are counted twice (rows {current.missing_row} and {line})",
                )
            current.missing, current.missing_row = count, line
        elif key in TALLY_RESPONDENTS:
            if current.respondents_row is not None:
                errors.add(
                    line,
                    headers[o_col],
                    f"the respondents to {current.text!r} are counted twice (rows {current.respondents_row} and {line})",
                )
            current.respondents, current.respondents_row = count, line
        elif key in current.counts:
            errors.add(
                line,
                headers[o_col],
                f"{option!r} of {current.text!r} is counted twice (rows {current.counts[key][1]} and {line})",
            )
        else:
            current.counts[key] = (count, line, option)
    multi = {simplify(m) for m in columns.multi}
    drafts = []
    for key, tq in questions.items():
        draft = _tally_draft(tq, specs.get(key), key in multi, headers[o_col], errors)
        if draft is not None:
            drafts.append(draft)
    if not drafts and not errors.items:
        errors.add(None, None, "the tally has no counts")
    errors.raise_if_any()
    return VoteSheet("tally", tuple(drafts))


def _tally_draft(
    tq: _TallyQuestion,
    spec: QuestionSpec | None,
    multi: bool,
    option_header: str,
    errors: _Errors,
) -> QuestionDraft | None:
    given = list(tq.counts.values())
    if spec is not None:
        kind, options, how = spec.kind, spec.options, "from the question list"
    elif multi or tq.respondents is not None and tq.respondents != sum(c for c, _r, _t in given):
        kind = "multiple"
        options, how = tuple(t for _c, _r, t in given), "options in the order of the tally"
    else:
        kind, options, how = _infer([t for _c, _r, t in given])
        if kind == "single":
            how = "options in the order of the tally"
    counts = [0] * len(options)
    for count, line, option in given:
        index = _match(option, options, kind)
        if index is None:
            errors.add(line, option_header, _not_an_option(option, tq.text, options))
            continue
        counts[index] += count
    if kind != "multiple" and tq.respondents is not None and tq.respondents != sum(counts):
        errors.add(
            tq.respondents_row,
            option_header,
            f"{tq.respondents} respondents to {tq.text!r}, but its counts add up to {sum(counts)}",
        )
        return None
    if kind == "multiple" and tq.respondents is not None:
        if counts and tq.respondents < max(counts):
            errors.add(
                tq.respondents_row,
                option_header,
                f"{tq.respondents} respondents to {tq.text!r}, but {max(counts)} chose one of its options",
            )
            return None
        if tq.respondents > sum(counts):
            errors.add(
                tq.respondents_row,
                option_header,
                f"{tq.respondents} respondents to {tq.text!r}, but only {sum(counts)} selections",
            )
            return None
    return QuestionDraft(
        tq.text,
        kind,
        tuple(options),
        "tally",
        counts=tuple(counts),
        missing=tq.missing,
        respondents=tq.respondents if kind == "multiple" else None,
        themes=spec.themes if spec else (),
        how=how,
    )


def read_sheet(
    table: Table,
    columns: VoteColumns | None = None,
    specs: Mapping[str, QuestionSpec] | None = None,
    *,
    multi: Sequence[str] = (),
    separator: str = ";",
) -> VoteSheet:
    """Read a voting sheet in either shape (guessing the columns when not given).

    Raises:
        SheetError: When the columns cannot be told, or for any bad vote.
    """
    if columns is None:
        columns = guess_columns(table.headers)
        if columns is None:
            shown = ", ".join(h for h in table.headers if h) or "none"
            raise SheetError(
                "Cannot tell the shape of the sheet: name the participant column "
                "(participant=HEADER) for one row per participant, or the question, option "
                f"and count columns for a tally (the columns are: {shown})."
            )
    if multi or separator != columns.separator:
        columns = VoteColumns(
            participant=columns.participant,
            question=columns.question,
            option=columns.option,
            count=columns.count,
            skip=columns.skip,
            multi=tuple(dict.fromkeys((*columns.multi, *multi))),
            separator=separator,
        )
    if columns.shape == "tally":
        return read_tally(table, columns, specs)
    return read_participant_sheet(table, columns, specs)
