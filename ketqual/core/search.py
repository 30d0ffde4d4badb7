"""Finding text in documents: plain (case-insensitive) or regular-expression search."""

from __future__ import annotations

import re
from dataclasses import dataclass


class SearchError(ValueError):
    """The search pattern cannot be used (an invalid or empty regular expression)."""


@dataclass(frozen=True)
class Hit:
    """One match: half-open code-point offsets into a document's text."""

    document_id: int
    start: int
    end: int


def compile_pattern(query: str, *, regex: bool = False, case_sensitive: bool = False) -> re.Pattern:
    """A compiled pattern for a user's query.

    Raises:
        SearchError: the query is empty, is an invalid regular expression, or can match
            the empty string (which would "hit" between every two characters).
    """
    if not query:
        raise SearchError("type something to search for")
    flags = 0 if case_sensitive else re.IGNORECASE
    try:
        pattern = re.compile(query if regex else re.escape(query), flags | re.MULTILINE)
    except re.error as exc:
        raise SearchError(f"not a valid regular expression: {exc}") from None
    if pattern.fullmatch(""):
        raise SearchError("the pattern matches empty text; make it match at least one character")
    return pattern


def find_hits(document_id: int, text: str, pattern: re.Pattern, limit: int | None = None):
    """Non-empty matches of ``pattern`` in ``text`` as :class:`Hit` objects."""
    hits: list[Hit] = []
    for match in pattern.finditer(text):
        if match.end() > match.start():
            hits.append(Hit(document_id, match.start(), match.end()))
            if limit is not None and len(hits) >= limit:
                break
    return hits


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """The hit with some text either side on one line, for a results list."""
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    return f"{lead}{before}[{text[start:end]}]{after}{tail}"
