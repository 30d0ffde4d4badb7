"""Typed attributes of cases, documents and participants: what a value may be, how it is
stored, and how a column of values read from a spreadsheet is given a type.

Values are stored as canonical text so every backend holds them alike and a CSV round trip
is exact: a number as written without a spurious ``.0`` (``3``, ``2.5``), a date in ISO
8601 (``2018-03-17``), yes/no as ``yes`` or ``no``, a fixed-list value exactly as listed.
An empty value means "no value" and is never stored.

Besides the attributes a project defines, every document has built-in attributes read off
its metadata (session, group, document kind, the document itself and its focus group):
filters and crosstabs treat them like any other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

TARGETS = ("case", "document", "participant")
TARGET_LABELS = {"case": "focus group", "document": "document", "participant": "participant"}
TYPES = ("text", "number", "date", "boolean", "choice")
TYPE_LABELS = {
    "text": "text",
    "number": "number",
    "date": "date",
    "boolean": "yes/no",
    "choice": "fixed list",
}
# Built-in document attributes: name -> label. They come from each document's metadata.
BUILTIN = {
    "session": "Session",
    "group": "Group",
    "kind": "Document kind",
    "document": "Document",
    "case": "Focus group",
}
KIND_VALUES = {"scribe_notes": "scribe notes", "feedback_sheet": "feedback sheet", "other": "other"}
MAX_NAME = 120
MAX_VALUE = 2000
# A column read from a file becomes a fixed list when it has at most this many distinct
# values and some repeat (roles, yes/no-like answers); otherwise free text.
MAX_GUESSED_CHOICES = 12

_YES = {"yes", "y", "true", "t", "1", "ja", "oui"}
_NO = {"no", "n", "false", "f", "0", "nein", "non"}
_UK_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class AttributeDef:
    """An attribute the project defines.

    Attributes:
        id: Row id.
        uid: Stable id.
        target: ``case`` (focus groups), ``document`` or ``participant``.
        name: Its name, unique per target.
        type: One of :data:`TYPES`.
        choices: The allowed values of a ``choice`` attribute, in order.
        sort_order: Position among the target's attributes.
    """

    id: int
    uid: str
    target: str
    name: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    sort_order: int = 0

    @property
    def type_label(self) -> str:
        """How the app names the type ("yes/no", "fixed list" ...)."""
        return TYPE_LABELS.get(self.type, self.type)


def check_name(name: str) -> str:
    """An attribute name tidied (spaces collapsed).

    Raises:
        ValueError: Empty, too long, or one of the built-in names.
    """
    clean = " ".join(str(name).split())
    if not clean:
        raise ValueError("an attribute needs a name")
    if len(clean) > MAX_NAME:
        raise ValueError(f"an attribute name can be at most {MAX_NAME} characters")
    if clean.casefold() in BUILTIN or clean.casefold() == "participant label":
        raise ValueError(f"'{clean}' is built in; choose another name")
    return clean


def check_type(kind: str, choices: Iterable[str] = ()) -> tuple[str, tuple[str, ...]]:
    """A type and its choices, checked (choices only for ``choice``, at least one).

    Raises:
        ValueError: An unknown type, or a fixed list without values.
    """
    if kind not in TYPES:
        raise ValueError(f"type must be one of {', '.join(TYPES)}, not '{kind}'")
    if kind != "choice":
        return kind, ()
    clean = tuple(dict.fromkeys(" ".join(str(c).split()) for c in choices if str(c).strip()))
    if not clean:
        raise ValueError("a fixed list needs at least one value")
    return kind, clean


def number_text(value: float) -> str:
    """A number as stored: integral numbers without a decimal point."""
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def parse_number(raw: str) -> float | None:
    """``"3"``, ``"2.5"``, ``"2,5"`` (decimal comma) as a float; ``None`` if not a number."""
    text = raw.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(text):
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    elif "," in text:
        return None  # "1,234.5": thousands separators are ambiguous; ask for plain digits
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_date(raw: str) -> str | None:
    """ISO ``2018-03-17`` or day-first ``17/03/2018`` (``17/3/18``) as ISO text."""
    text = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", text):  # ISO, maybe with a time
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    m = _UK_DATE.fullmatch(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_boolean(raw: str) -> str | None:
    """``yes``/``no`` from the usual spellings; ``None`` if not one."""
    word = raw.strip().casefold()
    if word in _YES:
        return "yes"
    if word in _NO:
        return "no"
    return None


def normalise_value(definition: AttributeDef, raw: object) -> str | None:
    """A value as stored, or ``None`` for "no value" (an empty cell clears it).

    Raises:
        ValueError: A sentence saying what the attribute accepts.
    """
    text = "" if raw is None else " ".join(str(raw).split())
    if not text:
        return None
    name = definition.name
    if definition.type == "text":
        if len(text) > MAX_VALUE:
            raise ValueError(f"'{name}' takes at most {MAX_VALUE} characters")
        return text
    if definition.type == "number":
        value = parse_number(text)
        if value is None:
            raise ValueError(f"'{name}' takes a number, not '{text}'")
        return number_text(value)
    if definition.type == "date":
        date = parse_date(text)
        if date is None:
            raise ValueError(
                f"'{name}' takes a date such as 2018-03-17 or 17/03/2018, not '{text}'"
            )
        return date
    if definition.type == "boolean":
        flag = parse_boolean(text)
        if flag is None:
            raise ValueError(f"'{name}' takes yes or no, not '{text}'")
        return flag
    for choice in definition.choices:
        if choice.casefold() == text.casefold():
            return choice
    allowed = ", ".join(definition.choices)
    raise ValueError(f"'{name}' takes one of: {allowed} (not '{text}')")


def typed_value(kind: str, stored: str | None) -> object:
    """A stored value as Python data: float (int when integral), ``date``, bool or str."""
    if stored is None:
        return None
    if kind == "number":
        value = parse_number(stored)
        if value is None:
            return stored
        return int(value) if value == int(value) and abs(value) < 2**53 else value
    if kind == "date":
        try:
            return date.fromisoformat(stored)
        except ValueError:
            return stored
    if kind == "boolean":
        return stored == "yes"
    return stored


def sort_key(kind: str, stored: str | None) -> tuple:
    """Order of values in a crosstab or a sorted column: numbers by size, dates in time,
    fixed-list values as listed (give the choices' position), text alphabetically."""
    if stored is None:
        return (2, 0, "")
    if kind == "number":
        value = parse_number(stored)
        if value is not None:
            return (0, value, "")
    return (1, 0, natural_key(stored))


def natural_key(text: str) -> tuple:
    """``P2`` before ``P10``, ``S1 G2`` before ``S1 G10``: digits compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def order_values(definition: AttributeDef | None, values: Iterable[str]) -> list[str]:
    """Distinct values in their natural order (a fixed list's own order first)."""
    distinct = list(dict.fromkeys(values))
    if definition is not None and definition.type == "choice":
        rank = {c: i for i, c in enumerate(definition.choices)}
        return sorted(distinct, key=lambda v: (rank.get(v, len(rank)), natural_key(v)))
    kind = definition.type if definition is not None else "text"
    return sorted(distinct, key=lambda v: sort_key(kind, v))


def guess_type(values: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The type a column read from a file gets when the project does not know it yet.

    Numbers, dates and yes/no when every non-empty cell is one; a fixed list when there are
    few distinct values and some repeat; otherwise text.
    """
    cells = [" ".join(v.split()) for v in values if v and v.strip()]
    if not cells:
        return "text", ()
    if all(parse_number(v) is not None for v in cells):
        return "number", ()
    if all(parse_date(v) is not None for v in cells) and any(not v.isdigit() for v in cells):
        return "date", ()
    if all(parse_boolean(v) is not None for v in cells) and any(
        v.casefold() in _YES | _NO - {"1", "0"} for v in cells
    ):
        return "boolean", ()
    distinct = list(dict.fromkeys(cells))
    if len(distinct) <= MAX_GUESSED_CHOICES and len(distinct) < len(cells):
        return "choice", tuple(sorted(distinct, key=natural_key))
    return "text", ()
