"""One text clean-up applied to the output of every reader.

Readers differ in how they end lines, which control characters leak through and
how much blank space they leave between blocks.  Everything downstream (units,
offsets, search) relies on a single, predictable shape of text, so every reader
ends with :func:`normalise_text`, and the registry applies it once more.
"""

from __future__ import annotations

import re

# Line and paragraph separators that must become a plain "\n".  NEL (U+0085) is
# the EBCDIC-era newline; VT and FF are page/line breaks in old word processors.
_NEWLINE_LIKE = re.compile("\r\n|[\r\u2028\u2029\u0085\x0b\x0c]")

# C0 controls other than tab and newline, DEL, the remaining C1 controls, and a
# stray byte-order mark (U+FEFF): never meaningful in prose, and invisible in
# the GUI, so they would only make offsets confusing.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufeff]")

# Python strings can hold UTF-16 surrogates (e.g. RTF writes emoji as two
# ``\uN`` escapes); they cannot be stored as UTF-8, so pairs are joined and
# lone halves replaced.
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def _join_surrogates(match: re.Match[str]) -> str:
    high, low = match.group()
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


def normalise_text(text: str) -> str:
    """Return ``text`` in the one shape KetQual stores.

    * CRLF, lone CR, U+2028/U+2029, NEL, vertical tab and form feed become ``\\n``;
    * NUL and other control characters (except tab and newline) are removed;
    * UTF-16 surrogate pairs are joined, lone surrogates become U+FFFD;
    * trailing white space is removed from every line;
    * two or more consecutive blank lines collapse to a single blank line;
    * leading and trailing white space of the whole text is stripped.

    The function is idempotent: ``normalise_text(normalise_text(t)) == normalise_text(t)``.

    Args:
        text: Raw text from a reader.

    Returns:
        The normalised text (possibly empty).
    """
    text = _NEWLINE_LIKE.sub("\n", text)
    text = _CONTROL.sub("", text)
    if _LONE_SURROGATE.search(text):  # a C-speed scan; rare, so check before fixing
        text = _SURROGATE_PAIR.sub(_join_surrogates, text)
        text = _LONE_SURROGATE.sub("\ufffd", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


class BlockWriter:
    """Collects lines from a structured document and lays them out as plain text.

    Paragraphs and headings are separated by a blank line, so that they become
    separate paragraph units downstream; consecutive list items and the rows of
    one table stay on adjacent lines because together they form one block.
    """

    def __init__(self) -> None:
        self._blocks: list[list[str]] = []
        self._open_kind: str | None = None

    def paragraph(self, line: str) -> None:
        """Add a paragraph or heading as a block of its own (blank lines are dropped)."""
        if line.strip():
            self._blocks.append([line])
        self._open_kind = None

    def list_item(self, text: str) -> None:
        """Add a list item as a ``- `` bullet line; adjacent items share a block."""
        if text.strip():
            self._add_grouped("list", "- " + text.strip())

    def list_continuation(self, text: str) -> None:
        """Add a further paragraph of the current list item, indented under its bullet."""
        if text.strip():
            self._add_grouped("list", "  " + text.strip())

    def table_row(self, line: str) -> None:
        """Add one table row; rows of the same table share a block."""
        self._add_grouped("table", line)

    def end_group(self) -> None:
        """Close the current list or table so the next one starts a new block."""
        self._open_kind = None

    def text(self) -> str:
        """Return the collected text (not yet normalised)."""
        return "\n\n".join("\n".join(lines) for lines in self._blocks)

    def _add_grouped(self, kind: str, line: str) -> None:
        if not line.strip():
            return
        if self._open_kind == kind and self._blocks:
            self._blocks[-1].append(line)
        else:
            self._blocks.append([line])
            self._open_kind = kind
