"""Pure rules of the exchange with other tools (REFI-QDA): code descriptions, names, document
kinds, and the summary an import shows before it completes.

A KetQual code has four texts (definition, when to use, when not to use, example); the
standard has one ``Description``. They travel as one readable text with labelled
paragraphs, which other tools show as it is and :func:`parse_description` splits again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

LABELS = (("include", "When to use"), ("exclude", "When not to use"), ("example", "Example"))
_LABEL_RE = re.compile(r"(?:^|\n\n)(When to use|When not to use|Example): ")
_FIELD_OF = {label: name for name, label in LABELS}

#: KetQual's document kinds as other tools' users read them, and back.
KIND_LABELS = {"scribe_notes": "scribe notes", "feedback_sheet": "feedback sheet", "other": "other"}

PATH_SEPARATOR = " › "  # between the levels of a deeper tree flattened into a subtheme name
MAX_NAME = 120


def compose_description(definition: str, include: str, exclude: str, example: str) -> str:
    """One ``Description`` text from a code's four texts (empty ones left out)."""
    parts = [definition.strip()] if definition.strip() else []
    for name, label in LABELS:
        value = {"include": include, "exclude": exclude, "example": example}[name].strip()
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(parts)


def parse_description(text: str) -> dict[str, str]:
    """Split a ``Description`` written by :func:`compose_description` (or by a person in the
    same shape) into definition, include, exclude and example. Any other text is the
    definition."""
    text = (text or "").replace("\r\n", "\n").strip()
    out = {"definition": "", "include": "", "exclude": "", "example": ""}
    matches = list(_LABEL_RE.finditer(text))
    out["definition"] = (text[: matches[0].start()] if matches else text).strip()
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        key = _FIELD_OF[match.group(1)]
        value = text[match.end() : end].strip()
        out[key] = f"{out[key]}\n\n{value}".strip() if out[key] else value
    return out


def clean_name(name: str, *, fallback: str = "Unnamed", slash: bool = False) -> str:
    """A name fit for a code or a coder: control characters removed, white space runs
    made one space, at most 120 characters; ``/`` (KetQual's code path separator) becomes
    a division slash unless ``slash`` allows it."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs") or ch.isspace() else ch for ch in name or ""
    )
    text = " ".join(text.split())
    if not slash:
        text = text.replace("/", "\u2215")
    if len(text) > MAX_NAME:
        text = text[: MAX_NAME - 1].rstrip() + "…"
    return text or fallback


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` … whichever is not in ``taken`` (compared
    without case); the result is added to ``taken``."""
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: MAX_NAME - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def kind_from_label(value: object) -> str | None:
    """A document kind from its label or name (``scribe notes`` / ``scribe_notes``)."""
    text = str(value or "").strip().casefold().replace("_", " ")
    for kind, label in KIND_LABELS.items():
        if text in (label, kind.replace("_", " ")):
            return kind
    return None


@dataclass
class ImportSummary:
    """What an import brings in and what it leaves behind, in words, before it completes.

    Attributes:
        counts: Elements found in the file by name (for the record and the tests).
        brought: Lines saying what comes in ("12 documents", "340 codings by 2 coders").
        lost: Lines naming what KetQual cannot hold (the data-loss summary).
        notes: Other remarks (detected positions, missing sources, renamed codes).
    """

    file_name: str = ""
    origin: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    brought: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def loses_data(self) -> bool:
        """True when something in the file will not come in."""
        return bool(self.lost)

    def lines(self) -> list[str]:
        """The summary as lines of text (CLI, dialog and audit log show the same)."""
        out = [f"{self.file_name}" + (f" (written by {self.origin})" if self.origin else "")]
        out += ["Brings in:"] + [f"  {line}" for line in self.brought or ["nothing"]]
        if self.lost:
            out += ["Cannot bring in (KetQual has no place for these):"]
            out += [f"  {line}" for line in self.lost]
        else:
            out += ["Nothing in the file is left behind."]
        if self.notes:
            out += ["Notes:"] + [f"  {line}" for line in self.notes]
        return out


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 coding``, ``3 codings`` (``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
