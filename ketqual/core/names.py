"""Names people type or paste (codes, coders, projects, documents), and text bound for files.

Two rules, one module:

* :func:`check_name` is the gate where a name is *entered* (the command line, the app, a
  codebook or REFI-QDA import). Runs of whitespace, tabs and line breaks included, become
  one space; a control character (say ``\\x01`` pasted from another program), a lone
  surrogate or the noncharacter U+FFFE or U+FFFF is refused with a sentence naming it and where it is,
  because such a name cannot be shown, printed or written to XML-based files.
* :func:`printable` is the net at every *writer*: names stored before the gate existed, or
  text from elsewhere, lose the characters a file format cannot hold, so an export never
  fails or comes out ill-formed because of one stray byte.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; lone
# surrogates; the noncharacters U+FFFE and U+FFFF. XML 1.0 cannot hold any of them
# (C1 only discouraged, but they show as boxes and break terminals), nor can Word or Excel.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class InvalidName(ValueError):  # noqa: N818 - reads as a sentence: raise InvalidName(...)
    """A name cannot be used; the message says why, in one sentence."""


def describe(char: str) -> str:
    """``U+0001`` with its Unicode name where it has one (``U+0009 (tab)``)."""
    known = {"\t": "tab", "\n": "line break", "\r": "carriage return", "\x00": "null"}
    code = f"U+{ord(char):04X}"
    name = known.get(char) or unicodedata.name(char, "")
    return f"{code} ({name.lower()})" if name else code


def check_name(text: str, *, what: str = "a name", max_length: int | None = None) -> str:
    """Tidy a name as entered and refuse what cannot be a name.

    Args:
        text: The name as typed or pasted.
        what: How messages call it, e.g. ``"a code name"``.
        max_length: Refuse longer names (after tidying), if given.

    Returns:
        The name with surrounding whitespace removed and inner runs of whitespace (tabs
        and line breaks included) made one space.

    Raises:
        InvalidName: For an empty name, a control character, a lone surrogate or a
            noncharacter (the message names the character and its position), or a name
            longer than ``max_length``.
    """
    tidy = " ".join(str(text).split())
    if not tidy:
        raise InvalidName(f"{what} cannot be empty")
    for position, char in enumerate(tidy, start=1):
        if _UNWRITABLE.match(char):
            shown = _UNWRITABLE.sub("?", tidy)
            if len(shown) > 40:
                shown = shown[:40] + "…"
            raise InvalidName(
                f"{what} cannot contain the control character {describe(char)} "
                f"(character {position} of '{shown}'); type the name again or remove it"
            )
    if max_length is not None and len(tidy) > max_length:
        raise InvalidName(
            f"{what} can be at most {max_length} characters long, not {len(tidy)}: {tidy[:40]}…"
        )
    return tidy


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` without the characters no file format can hold.

    Control characters and noncharacters are dropped; a lone surrogate becomes U+FFFD
    (the replacement character), so the reader sees that something was there. Tabs and
    line breaks stay, unless ``one_line`` (for names in places that hold one line): then
    each run of them becomes one space.
    """
    if _UNWRITABLE.search(text) is not None:
        text = _UNWRITABLE.sub(_replacement, text)
    if one_line and ("\n" in text or "\r" in text or "\t" in text):
        text = re.sub(r"[\t\r\n]+", " ", text)
    return text


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if _SURROGATE.match(match.group(0)) else ""
