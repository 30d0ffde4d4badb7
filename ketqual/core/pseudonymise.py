"""Replace participants' and others' real names with pseudonyms before text is stored.

A *key* maps each real name to its pseudonym. It is usually built from a names file::

    # one name per line gets the next free "Person n"
    Anna Smith
    Anna
    Bob Jones = Carer 1      <- explicit pseudonym ("Name = Pseudonym")
    Chidi, Person 7          <- explicit pseudonym ("Name,Pseudonym")

``build_key(load_names(file_text))`` turns that into a key, and
``pseudonymise(text, key)`` applies it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

_APOSTROPHES = "'’‘ʼ"  # names are typed with straight or curly apostrophes
_EXPLICIT = re.compile(r"^(?P<name>[^=,]+?)\s*[=,]\s*(?P<pseudonym>.*?)\s*$")


def _norm(name: str) -> str:
    """Compare names ignoring case, spacing and the apostrophe style."""
    name = re.sub(f"[{_APOSTROPHES}]", "'", name)
    return " ".join(name.split()).casefold()


def load_names(text: str) -> dict[str, str | None]:
    """Read a names file: one name per line, optionally with an explicit pseudonym.

    Lines may be ``Name``, ``Name = Pseudonym`` or ``Name,Pseudonym``. Blank lines and
    lines starting with ``#`` are ignored; an empty pseudonym counts as none.

    Args:
        text: The file's text.

    Returns:
        Names in file order mapped to their explicit pseudonym or ``None`` (so iterating the
        result gives just the names). Pass it straight to :func:`build_key`.
    """
    names: dict[str, str | None] = {}
    for raw in text.splitlines():
        line = raw.strip().lstrip("\ufeff")  # a BOM survives some text editors
        if not line or line.startswith("#"):
            continue
        m = _EXPLICIT.match(line)
        name, pseudonym = (m["name"], m["pseudonym"] or None) if m else (line, None)
        name = " ".join(name.split())
        if name and names.get(name) is None:
            names[name] = pseudonym
    return names


def build_key(
    names: Iterable[str] | Mapping[str, str | None], prefix: str = "Person"
) -> dict[str, str]:
    """Build a pseudonymisation key.

    Names are deduplicated ignoring case and spacing (the first spelling is kept); blanks
    are ignored. Names without an explicit pseudonym get ``"{prefix} 1"``, ``"{prefix} 2"``
    ... in order of first appearance, skipping any number an explicit pseudonym already uses.

    Args:
        names: Real names, or a mapping of real name to explicit pseudonym (``None`` or ""
            for automatic), e.g. from :func:`load_names`.
        prefix: Word the automatic pseudonyms start with.

    Returns:
        Real name -> pseudonym, in first-appearance order.
    """
    pairs = names.items() if isinstance(names, Mapping) else ((n, None) for n in names)
    chosen: dict[str, tuple[str, str | None]] = {}  # normalised name -> (spelling, pseudonym)
    for raw_name, raw_pseudonym in pairs:
        name = " ".join(str(raw_name).split())
        pseudonym = " ".join(str(raw_pseudonym or "").split()) or None
        if not name:
            continue
        spelling, earlier = chosen.get(_norm(name), (name, None))
        chosen[_norm(name)] = (spelling, earlier or pseudonym)
    taken = {p.casefold() for _, p in chosen.values() if p}
    key: dict[str, str] = {}
    number = 0
    for spelling, pseudonym in chosen.values():
        while pseudonym is None:
            number += 1
            if f"{prefix} {number}".casefold() not in taken:
                pseudonym = f"{prefix} {number}"
        key[spelling] = pseudonym
    return key


@functools.lru_cache(maxsize=16)
def _compile(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The matcher and normalised lookup for one key (cached: keys are reused per import)."""
    lookup: dict[str, str] = {}
    spellings: list[str] = []
    for name, pseudonym in items:
        if name.strip() and _norm(name) not in lookup:
            lookup[_norm(name)] = pseudonym
            spellings.append(name)
    alternatives = []
    for name in sorted(spellings, key=len, reverse=True):  # longest first: "Anna Smith" > "Anna"
        alternative = r"\s+".join(re.escape(w) for w in name.split())  # may wrap across lines
        alternatives.append(re.sub("[" + _APOSTROPHES + "]", "[" + _APOSTROPHES + "]", alternative))
    # Whole words only; a hyphen joined to a letter continues the word, so "Anna" does not
    # turn "Anna-Maria" (probably someone else) into "Person 1-Maria". A trailing "'s" is
    # outside the word, so possessives come out as "Person 1's".
    body = "|".join(alternatives) or r"(?!)"
    pattern = re.compile(rf"(?<!\w)(?<!\w-)(?:{body})(?!\w|-\w)", re.IGNORECASE)
    return pattern, lookup


def _pseudonym_for(matched: str, lookup: dict[str, str]) -> str:
    try:
        return lookup[_norm(matched)]
    except KeyError:
        # re's IGNORECASE and str.casefold differ for a few letters (e.g. the Kelvin sign)
        for name, pseudonym in lookup.items():
            if re.fullmatch(re.escape(name), _norm(matched), re.IGNORECASE):
                return pseudonym
        return matched  # unreachable in practice; never lose text


def pseudonymise(text: str, key: Mapping[str, str]) -> tuple[str, int]:
    """Replace every whole-word, case-insensitive occurrence of the key's names.

    Longer names win over names they contain, a name broken across a line still matches,
    and straight and curly apostrophes are interchangeable ("O'Neil" matches "O’Neil").

    Args:
        text: Text to pseudonymise.
        key: Real name -> pseudonym, e.g. from :func:`build_key`. The compiled matcher is
            cached per distinct key, so calling this once per document is cheap.

    Returns:
        The new text and the number of replacements made.
    """
    pattern, lookup = _compile(tuple(key.items()))
    if not lookup:
        return text, 0
    return pattern.subn(lambda m: _pseudonym_for(m.group(), lookup), text)
