"""Plain data shared by every layer: what a reader extracts, a document's metadata, units.

Offsets everywhere are 0-based Unicode code points into the stored text, half-open
``[start, end)``; Python ``str`` indices are exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

DOCUMENT_KINDS = ("scribe_notes", "feedback_sheet", "other")
UNIT_KINDS = ("sentence", "paragraph")


class ImportRefused(Exception):
    """A file cannot be imported; ``str(exc)`` is a one-line reason fit for a user."""


@dataclass(frozen=True)
class ExtractedText:
    """Text pulled out of one source file by a reader, before pseudonymisation.

    Attributes:
        text: The text with line endings normalised to ``\\n``.
        format: Short name of the source format (``txt``, ``docx``, ``pdf`` ...).
        encoding: The detected character encoding for plain-text formats, else ``None``.
        warnings: Non-fatal remarks for the user (e.g. "encoding detected as cp1252").
    """

    text: str
    format: str
    encoding: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentMeta:
    """Descriptive metadata of a document; every field is editable by the user."""

    title: str
    kind: str = "other"
    session: int | None = None
    group: int | None = None
    notetaker: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known

    def merged(self, **overrides: Any) -> DocumentMeta:
        """Return a copy where each override that is not ``None`` replaces the field."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True)
class Unit:
    """A sentence or paragraph unit: ``text[start:end]`` with surrounding space trimmed."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    """A sheet of cells as strings (csv or one xlsx worksheet); the first row is the header.

    ``row_numbers`` holds each kept row's number in the sheet as a spreadsheet shows it
    (1-based, counting the header and any empty rows that were dropped), so messages can
    name the right row; empty when unknown. Two tables with the same cells are equal
    wherever their rows were.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sheet: str | None = None
    # Where the rows were, not what the table holds: left out of comparisons.
    row_numbers: tuple[int, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class DocumentDraft:
    """A document ready to be stored: final text, metadata and where it came from."""

    meta: DocumentMeta
    text: str
    source_name: str
    source_sha256: str
    source_format: str
    encoding: str | None = None
    warnings: tuple[str, ...] = field(default=())
