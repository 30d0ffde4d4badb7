"""The one rule every reader's text goes through before it is stored: line endings only.

A stored text is the source's text. Other tools (NVivo, ATLAS.ti, MAXQDA, QualCoder) and
KetQual's own codings CSV point into a document by character positions, and those land
only if KetQual keeps every character the source has: spaces at line ends, blank lines,
leading and trailing blank lines, tabs. What the app needs for display is the display's
business, never the stored text's.

So :func:`normalise_text` changes only what cannot be stored or shown as a line break:

* CRLF and lone CR become ``\\n`` (a CRLF is the only change of length; see
  :mod:`ketqual.core.textmap` for the position mapping that implies), and the other line
  and paragraph separators (U+2028, U+2029, NEL, vertical tab, form feed) become ``\\n``
  one for one;
* NUL, which no database text column can hold, becomes U+FFFD one for one;
* UTF-16 surrogate pairs left by a decoder (RTF writes emoji as two ``\\uN`` escapes) are
  joined into the character they encode, and lone halves, which UTF-8 cannot store,
  become U+FFFD one for one.
"""

from __future__ import annotations

from ketqual.core import textmap


def normalise_text(text: str) -> str:
    """Return ``text`` in the one shape KetQual stores: line endings normalised only.

    The function is idempotent: ``normalise_text(normalise_text(t)) == normalise_text(t)``.

    Args:
        text: Raw text from a reader.

    Returns:
        The text with ``\\n`` line endings, NUL and lone surrogates replaced.
    """
    return textmap.normalise(text)


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
